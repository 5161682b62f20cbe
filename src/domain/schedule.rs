//! When to ask MixPay next: the poll interval, backoff after errors, and a
//! request budget that keeps the whole tablet under MixPay's rate limit.

use std::collections::VecDeque;

/// Default time between two checks of a payment.
pub const POLL_INTERVAL_MS: u32 = 1_500;
/// Longest wait after repeated errors.
pub const BACKOFF_CAP_MS: u32 = 30_000;

/// The delay before the next poll. Errors back off exponentially with
/// "equal jitter" (half fixed, half random) so many tablets do not retry in step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollSchedule {
    interval_ms: u32,
    cap_ms: u32,
    failures: u32,
}

impl Default for PollSchedule {
    fn default() -> Self {
        PollSchedule::new(POLL_INTERVAL_MS, BACKOFF_CAP_MS)
    }
}

impl PollSchedule {
    pub fn new(interval_ms: u32, cap_ms: u32) -> Self {
        PollSchedule {
            interval_ms,
            cap_ms,
            failures: 0,
        }
    }

    pub fn succeeded(&mut self) -> u32 {
        self.failures = 0;
        self.interval_ms
    }

    /// Records an error; `jitter` is a random draw in [0, 1).
    pub fn failed(&mut self, jitter: f64) -> u32 {
        self.failures = self.failures.saturating_add(1);
        let ceiling = self.backoff_ceiling();
        let half = ceiling / 2;
        half + (f64::from(ceiling - half) * jitter.clamp(0.0, 1.0)) as u32
    }

    /// The largest delay the current error streak allows.
    pub fn backoff_ceiling(&self) -> u32 {
        let factor = 1u64 << self.failures.min(20);
        (u64::from(self.interval_ms) * factor).min(u64::from(self.cap_ms)) as u32
    }
}

/// A sliding-window budget of requests for the whole app: MixPay allows 60 a
/// minute per client; we keep a margin below that.
#[derive(Clone, Debug)]
pub struct RequestBudget {
    limit: usize,
    window_ms: f64,
    sent: VecDeque<f64>,
}

/// The app's own ceiling, below MixPay's 60 per minute.
pub const REQUESTS_PER_MINUTE: usize = 50;

impl Default for RequestBudget {
    fn default() -> Self {
        RequestBudget::new(REQUESTS_PER_MINUTE, 60_000.0)
    }
}

impl RequestBudget {
    pub fn new(limit: usize, window_ms: f64) -> Self {
        RequestBudget {
            limit,
            window_ms,
            sent: VecDeque::new(),
        }
    }

    /// A budget whose requests so far were sent at `sent` (any order), as
    /// another tab recorded them.
    pub fn with_sent(limit: usize, window_ms: f64, mut sent: Vec<f64>) -> Self {
        sent.sort_by(f64::total_cmp);
        RequestBudget {
            limit,
            window_ms,
            sent: sent.into(),
        }
    }

    /// When the requests still in the window were sent.
    pub fn sent(&self) -> impl Iterator<Item = f64> + '_ {
        self.sent.iter().copied()
    }

    /// Takes a slot now, or says how long to wait before asking again.
    pub fn try_take(&mut self, now_ms: f64) -> Result<(), f64> {
        // Times from the future (a wall clock set back since) are dropped
        // rather than blocking the budget until that future comes.
        self.sent.retain(|t| *t <= now_ms + 1_000.0);
        while self
            .sent
            .front()
            .is_some_and(|t| now_ms - t >= self.window_ms)
        {
            self.sent.pop_front();
        }
        if self.sent.len() < self.limit {
            self.sent.push_back(now_ms);
            Ok(())
        } else {
            let oldest = self.sent.front().copied().unwrap_or(now_ms);
            Err((oldest + self.window_ms - now_ms).max(1.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_the_cap_and_resets() {
        let mut s = PollSchedule::default();
        assert_eq!(s.succeeded(), 1_500);
        let ceilings: Vec<u32> = (0..7)
            .map(|_| {
                s.failed(0.0);
                s.backoff_ceiling()
            })
            .collect();
        assert_eq!(
            ceilings,
            [3_000, 6_000, 12_000, 24_000, 30_000, 30_000, 30_000]
        );
        assert_eq!(s.succeeded(), 1_500);
        assert_eq!(s.backoff_ceiling(), 1_500);
    }

    #[test]
    fn jitter_stays_within_half_and_full_ceiling() {
        let mut s = PollSchedule::default();
        assert_eq!(s.failed(0.0), 1_500);
        let mut s = PollSchedule::default();
        assert_eq!(s.failed(0.999_999), 2_999);
        let mut s = PollSchedule::default();
        for _ in 0..30 {
            let d = s.failed(0.5);
            assert!(
                (15_000..=30_000).contains(&d) || s.backoff_ceiling() < 30_000,
                "{d}"
            );
        }
        assert!(s.failed(1.0) <= BACKOFF_CAP_MS);
    }

    #[test]
    fn budget_keeps_under_the_limit_in_any_window() {
        let mut b = RequestBudget::new(50, 60_000.0);
        let mut sent = vec![];
        let mut now = 0.0;
        // Someone asking every 100 ms for five minutes.
        while now < 300_000.0 {
            if b.try_take(now).is_ok() {
                sent.push(now);
            }
            now += 100.0;
        }
        for (i, t) in sent.iter().enumerate() {
            let in_window = sent[i..].iter().take_while(|u| **u - t < 60_000.0).count();
            assert!(
                in_window <= 50,
                "{in_window} requests in the minute from {t}"
            );
        }
        assert_eq!(sent.len(), 250);
        let mut full = RequestBudget::new(1, 60_000.0);
        full.try_take(1_000.0).unwrap();
        assert_eq!(full.try_take(31_000.0), Err(30_000.0));
    }

    #[test]
    fn a_budget_shared_by_tabs_counts_every_tabs_requests() {
        // Two tabs' requests, recorded in one list.
        let sent: Vec<f64> = (0..50).map(|i| f64::from(i) * 100.0).rev().collect();
        let mut shared = RequestBudget::with_sent(50, 60_000.0, sent);
        assert_eq!(shared.try_take(10_000.0), Err(50_000.0));
        assert!(
            shared.try_take(60_000.0).is_ok(),
            "the oldest left the window"
        );
        assert_eq!(shared.sent().count(), 50);
        // A clock set back an hour does not freeze the budget.
        let mut jumped = RequestBudget::with_sent(1, 60_000.0, vec![3_600_000.0]);
        assert!(jumped.try_take(5_000.0).is_ok());
    }
}
