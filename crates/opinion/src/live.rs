//! Keeping a live opinion map current without recomputing on every vote.
//!
//! The rule: recompute when votes have come in and either nobody has voted for a short quiet period, or the
//! oldest vote not yet in the map has waited for the longest acceptable delay. During a busy session the
//! map is then at most `max_delay_ms` behind; afterwards it catches up within `quiet_ms`. Each
//! recomputation goes through [`crate::analyze_from`] with the previous analysis, which converges in a few
//! passes and keeps the axes and the group numbers in place. The caller owns the clock and the scheduling
//! (a background job); this module only decides.

/// When to recompute a live opinion map. Times are in milliseconds on any one clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Debounce {
    /// Recompute once no vote has arrived for this long.
    pub quiet_ms: i64,
    /// …but never let a vote wait longer than this.
    pub max_delay_ms: i64,
}

impl Default for Debounce {
    fn default() -> Self {
        Self {
            quiet_ms: 1_000,
            max_delay_ms: 5_000,
        }
    }
}

impl Debounce {
    /// Whether to recompute now. `pending_since`: arrival of the oldest vote not yet in the map (`None` if
    /// the map is current); `last_vote`: arrival of the newest vote.
    pub fn due(&self, pending_since: Option<i64>, last_vote: i64, now: i64) -> bool {
        match pending_since {
            None => false,
            Some(first) => now - last_vote >= self.quiet_ms || now - first >= self.max_delay_ms,
        }
    }

    /// When to look again if [`Debounce::due`] said no (`None` if nothing is pending).
    pub fn next_check(&self, pending_since: Option<i64>, last_vote: i64) -> Option<i64> {
        pending_since.map(|first| (last_vote + self.quiet_ms).min(first + self.max_delay_ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_for_quiet_but_not_forever() {
        let d = Debounce::default();
        assert!(!d.due(None, 0, 10_000));
        assert!(!d.due(Some(0), 500, 900));
        assert!(d.due(Some(0), 500, 1_500));
        // Votes every 200 ms: the quiet period never comes, the maximum delay does.
        assert!(!d.due(Some(0), 4_800, 4_900));
        assert!(d.due(Some(0), 5_000, 5_000));
        assert_eq!(d.next_check(Some(0), 4_800), Some(5_000));
        assert_eq!(d.next_check(Some(0), 200), Some(1_200));
        assert_eq!(d.next_check(None, 200), None);
    }
}
