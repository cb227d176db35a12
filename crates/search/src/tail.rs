use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// Position of a node in the `search_changes` outbox.
///
/// Sequence numbers are handed out when a transaction inserts its row, but transactions commit in any
/// order (and a rolled-back one leaves a hole for good on PostgreSQL). So the tail does not simply jump to
/// the highest number seen: `done` only advances over a contiguous run; rows above a hole are applied as
/// soon as they are seen (re-applying is harmless — a change means "re-read this entity") and remembered
/// so they are not applied twice; a hole that stays open longer than `grace` is taken to be a rollback.
#[derive(Debug, Clone)]
pub struct Tail {
    done: i64,
    seen: BTreeSet<i64>,
    hole_since: Option<Instant>,
    grace: Duration,
}

impl Tail {
    /// Everything up to and including `done` is reflected in the index.
    pub fn new(done: i64, grace: Duration) -> Tail {
        Tail {
            done,
            seen: BTreeSet::new(),
            hole_since: None,
            grace,
        }
    }

    /// Read changes with `seq > after()`.
    pub fn after(&self) -> i64 {
        self.done
    }

    /// Whether the row `seq` still has to be applied; marks it as applied.
    pub fn accept(&mut self, seq: i64) -> bool {
        seq > self.done && self.seen.insert(seq)
    }

    /// Move `done` forward after a poll at `now`.
    pub fn advance(&mut self, now: Instant) {
        loop {
            while self.seen.remove(&(self.done + 1)) {
                self.done += 1;
            }
            if self.seen.is_empty() {
                self.hole_since = None;
                return;
            }
            match self.hole_since {
                None => {
                    self.hole_since = Some(now);
                    return;
                }
                Some(t) if now.duration_since(t) >= self.grace => {
                    // The missing row never committed: skip it.
                    self.done += 1;
                    self.hole_since = None;
                    if self.seen.first().is_some_and(|s| *s > self.done + 1) {
                        self.hole_since = Some(now);
                        return;
                    }
                }
                Some(_) => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contiguous_rows_advance() {
        let now = Instant::now();
        let mut t = Tail::new(10, Duration::from_secs(5));
        assert!(t.accept(11));
        assert!(t.accept(12));
        assert!(!t.accept(12));
        assert!(!t.accept(9));
        t.advance(now);
        assert_eq!(t.after(), 12);
    }

    #[test]
    fn a_late_commit_is_not_missed_and_a_rollback_is_skipped_after_grace() {
        let now = Instant::now();
        let mut t = Tail::new(0, Duration::from_secs(5));
        // 2 and 3 committed, 1 is still open.
        assert!(t.accept(2));
        assert!(t.accept(3));
        t.advance(now);
        assert_eq!(t.after(), 0, "waits for 1");
        // Next poll re-reads 2 and 3 but does not apply them again; 1 has committed meanwhile.
        assert!(!t.accept(2));
        assert!(t.accept(1));
        t.advance(now + Duration::from_secs(1));
        assert_eq!(t.after(), 3);
        // 4 rolled back; 5 is there.
        assert!(t.accept(5));
        t.advance(now + Duration::from_secs(2));
        assert_eq!(t.after(), 3);
        t.advance(now + Duration::from_secs(4));
        assert_eq!(t.after(), 3, "still within grace");
        t.advance(now + Duration::from_secs(8));
        assert_eq!(t.after(), 5, "hole skipped after grace");
    }
}
