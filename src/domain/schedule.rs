//! When to ask MixPay next: the poll interval, backoff after errors, and a
//! request budget that keeps the whole tablet under MixPay's rate limit.

use std::collections::VecDeque;

/// Time between two checks of the sale on screen: MixPay recommends polling
/// `payments_result` every two seconds.
pub const POLL_INTERVAL_MS: u32 = 2_000;
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

/// The device's own ceiling: every request of every tab of this device, in
/// any 60 s. MixPay allows 60 a minute and may count them per shop (one
/// router, one address), and a browser may not let us read its
/// `x-ratelimit-remaining`; two devices cannot share a budget, so each keeps
/// to a share: two tablets together send at most 56 in any minute, under 60
/// with room for a clock skew between them. A lone sale on screen asks every
/// 2 s (30 a minute): the ceiling turns that into 28 a minute, one gap of
/// about 6 s a minute rather than a slower pace all the time; background
/// checks take their turn inside the same 28.
pub const REQUESTS_PER_MINUTE: usize = 28;

/// After MixPay's "too many requests" (1429 / HTTP 429), every tab of the
/// device waits this long, doubling with each 1429 in a row.
pub const RATE_LIMITED_PAUSE_MS: u32 = 15_000;
/// The longest such wait.
pub const RATE_LIMITED_PAUSE_CAP_MS: u32 = 120_000;

/// The wait after the `streak`-th 1429 in a row (1 for the first): 15 s,
/// 30 s, 60 s, then 120 s for every one after.
pub fn rate_limited_pause_ms(streak: u32) -> u32 {
    let doublings = streak.saturating_sub(1).min(8);
    (u64::from(RATE_LIMITED_PAUSE_MS) << doublings).min(u64::from(RATE_LIMITED_PAUSE_CAP_MS)) as u32
}

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
        assert_eq!(s.succeeded(), 2_000);
        let ceilings: Vec<u32> = (0..7)
            .map(|_| {
                s.failed(0.0);
                s.backoff_ceiling()
            })
            .collect();
        assert_eq!(
            ceilings,
            [4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000]
        );
        assert_eq!(s.succeeded(), 2_000);
        assert_eq!(s.backoff_ceiling(), 2_000);
    }

    #[test]
    fn jitter_stays_within_half_and_full_ceiling() {
        let mut s = PollSchedule::default();
        assert_eq!(s.failed(0.0), 2_000);
        let mut s = PollSchedule::default();
        assert_eq!(s.failed(0.999_999), 3_999);
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
    fn rate_limited_pauses_grow_to_two_minutes() {
        let pauses: Vec<u32> = (1..=6).map(rate_limited_pause_ms).collect();
        assert_eq!(pauses, [15_000, 30_000, 60_000, 120_000, 120_000, 120_000]);
        assert_eq!(rate_limited_pause_ms(0), 15_000);
        assert_eq!(rate_limited_pause_ms(u32::MAX), 120_000);
    }

    /// Two devices behind one address, each with a sale on screen asking
    /// every 2 s, each through its own budget: MixPay's 60 in any minute
    /// (counted for both together) is never reached.
    #[test]
    fn two_devices_each_polling_stay_under_mixpays_limit_together() {
        let mut sent = vec![];
        for (start, skew) in [(0.0, 0.0), (700.0, 45.0)] {
            let mut budget = RequestBudget::default();
            // A few start-up requests (lists, the clock, the one-time payment).
            let mut now = start;
            for _ in 0..4 {
                budget.try_take(now).unwrap();
                sent.push(now + skew);
                now += 300.0;
            }
            // Then the sale on screen for three minutes.
            while now < start + 180_000.0 {
                match budget.try_take(now) {
                    Ok(()) => {
                        // Arrives a little later at MixPay than sent.
                        sent.push(now + skew);
                        now += f64::from(POLL_INTERVAL_MS) + 80.0;
                    }
                    Err(wait) => now += wait,
                }
            }
        }
        sent.sort_by(f64::total_cmp);
        let most = (0..sent.len())
            .map(|i| sent[i..].iter().take_while(|t| **t - sent[i] < 60_000.0).count())
            .max()
            .unwrap();
        assert!(most <= 56, "{most} requests in one minute");
        assert!(most >= 50, "the budget is used, not starved: {most}");
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
