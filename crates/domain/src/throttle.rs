//! Log-in throttling policy. The counts come from the database so that every server node sees the same
//! numbers; this module only decides.

/// Limits on failed log-ins within a sliding window.
#[derive(Debug, Clone, Copy)]
pub struct LoginThrottle {
    pub window_secs: i64,
    pub max_per_account: i64,
    pub max_per_ip: i64,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self {
            window_secs: 15 * 60,
            max_per_account: 5,
            max_per_ip: 30,
        }
    }
}

impl LoginThrottle {
    /// Whether another attempt is allowed given the failures recorded in the window.
    pub fn allows(&self, account_failures: i64, ip_failures: i64) -> bool {
        account_failures < self.max_per_account && ip_failures < self.max_per_ip
    }

    /// Seconds until the oldest counted failure leaves the window, rounded up to whole minutes.
    pub fn retry_after_minutes(&self, oldest_failure_at: i64, now: i64) -> i64 {
        let secs = (oldest_failure_at + self.window_secs - now).max(0);
        (secs + 59) / 60
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits() {
        let t = LoginThrottle::default();
        assert!(t.allows(4, 0));
        assert!(!t.allows(5, 0));
        assert!(!t.allows(0, 30));
        assert_eq!(t.retry_after_minutes(1000, 1000), 15);
        assert_eq!(t.retry_after_minutes(1000, 1000 + 15 * 60), 0);
    }
}
