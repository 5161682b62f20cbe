//! Which unfinished sale to ask MixPay about next. The sale on screen is
//! checked every poll interval; sales left behind (cancelled, or from before
//! a reload) are re-checked in the background, at most one request every
//! few seconds, so that together they stay inside the request budget.
//!
//! Times here are from a monotonic clock (`performance.now()`), so a wall
//! clock set back an hour cannot stall the checks; a sale's age comes from
//! the wall clock, by the caller.

use std::collections::HashMap;

use super::history::RECHECK_MAX_AGE_MS;
use super::schedule::POLL_INTERVAL_MS;

/// Background checks share at most one request per this many ms (10 a minute).
pub const BACKGROUND_GAP_MS: i64 = 6_000;
/// The longest sleep before the plan is looked at again.
const MAX_SLEEP_MS: i64 = 5_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenSale {
    pub trace_id: String,
    /// Since the sale was made (wall clock).
    pub age_ms: i64,
    /// On a screen (not cancelled): checked at the poll interval.
    pub focus: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    Check(String),
    Sleep(i64),
}

#[derive(Clone, Debug, Default)]
pub struct CheckPlan {
    due: HashMap<String, i64>,
    /// Error answers in a row about one sale (an unknown traceId, say).
    refusals: HashMap<String, u32>,
    next_background_ms: i64,
}

/// A sale's own backoff after error answers about it stops at this many
/// times its normal interval: it keeps being checked on its own schedule.
const REFUSAL_BACKOFF_FACTOR: i64 = 4;

/// How often a sale left behind is re-checked: often while a late payment
/// is likely, rarely after.
pub fn background_interval_ms(age_ms: i64) -> i64 {
    if age_ms < 3600 * 1000 {
        20_000
    } else {
        120_000
    }
}

impl CheckPlan {
    pub fn next(&mut self, open: &[OpenSale], now_ms: i64) -> Next {
        let live: Vec<&OpenSale> = open
            .iter()
            .filter(|s| s.age_ms < RECHECK_MAX_AGE_MS)
            .collect();
        self.due
            .retain(|id, _| live.iter().any(|s| &s.trace_id == id));
        self.refusals
            .retain(|id, _| live.iter().any(|s| &s.trace_id == id));
        let due = |s: &OpenSale| self.due.get(&s.trace_id).copied().unwrap_or(now_ms);

        let focus = live.iter().filter(|s| s.focus).min_by_key(|s| due(s));
        if let Some(s) = focus.filter(|s| due(s) <= now_ms) {
            return Next::Check(s.trace_id.clone());
        }
        let background = live.iter().filter(|s| !s.focus).min_by_key(|s| due(s));
        let background_at = background.map(|s| due(s).max(self.next_background_ms));
        if let (Some(s), Some(at)) = (background, background_at) {
            if at <= now_ms {
                return Next::Check(s.trace_id.clone());
            }
        }
        let wake_at = [focus.map(|s| due(s)), background_at]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(now_ms + MAX_SLEEP_MS);
        Next::Sleep((wake_at - now_ms).clamp(1, MAX_SLEEP_MS))
    }

    fn interval_ms(sale: &OpenSale) -> i64 {
        if sale.focus {
            i64::from(POLL_INTERVAL_MS)
        } else {
            background_interval_ms(sale.age_ms)
        }
    }

    /// Records a check of `sale` that MixPay answered (or that could not
    /// reach MixPay: the device-wide backoff is the caller's).
    pub fn checked(&mut self, sale: &OpenSale, now_ms: i64) {
        self.refusals.remove(&sale.trace_id);
        self.schedule(sale, now_ms, Self::interval_ms(sale));
    }

    /// Records an error answer about `sale` alone (e.g. a traceId MixPay does
    /// not know yet): that sale backs off, doubling up to a few of its
    /// intervals, with `jitter` in [0, 1); every other sale keeps its pace.
    pub fn refused(&mut self, sale: &OpenSale, now_ms: i64, jitter: f64) {
        let n = self.refusals.entry(sale.trace_id.clone()).or_insert(0);
        *n = n.saturating_add(1);
        let interval = Self::interval_ms(sale);
        let ceiling = (interval << (*n).min(10)).min(interval * REFUSAL_BACKOFF_FACTOR);
        let wait = ceiling / 2 + ((ceiling - ceiling / 2) as f64 * jitter.clamp(0.0, 1.0)) as i64;
        self.schedule(sale, now_ms, wait.max(interval));
    }

    fn schedule(&mut self, sale: &OpenSale, now_ms: i64, wait_ms: i64) {
        if !sale.focus {
            self.next_background_ms = now_ms + BACKGROUND_GAP_MS;
        }
        self.due.insert(sale.trace_id.clone(), now_ms + wait_ms);
    }

    /// Checks every sale on screen at once (tab visible again, back online).
    pub fn hurry(&mut self, open: &[OpenSale], now_ms: i64) {
        for s in open.iter().filter(|s| s.focus) {
            self.due.insert(s.trace_id.clone(), now_ms);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sale(id: &str, focus: bool) -> OpenSale {
        OpenSale {
            trace_id: id.into(),
            age_ms: 0,
            focus,
        }
    }

    /// Runs the plan for `ms` of simulated time and counts checks per sale.
    fn simulate(open: &[OpenSale], ms: i64) -> HashMap<String, usize> {
        let mut plan = CheckPlan::default();
        let mut counts = HashMap::new();
        let mut now = 1;
        while now < ms {
            match plan.next(open, now) {
                Next::Check(id) => {
                    *counts.entry(id.clone()).or_insert(0) += 1;
                    let s = open.iter().find(|s| s.trace_id == id).unwrap();
                    plan.checked(s, now);
                    now += 100; // the request takes a while
                }
                Next::Sleep(d) => now += d,
            }
        }
        counts
    }

    #[test]
    fn the_sale_on_screen_is_checked_every_interval() {
        let counts = simulate(&[sale("a", true)], 60_000);
        assert!((38..=40).contains(&counts["a"]), "{counts:?}");
    }

    #[test]
    fn many_sales_left_behind_stay_within_the_budget() {
        let mut open: Vec<OpenSale> = (0..30).map(|i| sale(&format!("bg{i}"), false)).collect();
        open.push(sale("screen", true));
        let counts = simulate(&open, 60_000);
        let background: usize = counts
            .iter()
            .filter(|(k, _)| k.starts_with("bg"))
            .map(|(_, v)| v)
            .sum();
        assert!(background <= 10, "{background}");
        assert!(
            counts["screen"] >= 38,
            "the sale on screen keeps its pace: {counts:?}"
        );
        assert!(counts.values().sum::<usize>() <= 50);
    }

    #[test]
    fn old_sales_are_no_longer_checked() {
        let mut plan = CheckPlan::default();
        let old = vec![OpenSale {
            age_ms: RECHECK_MAX_AGE_MS,
            ..sale("old", false)
        }];
        assert_eq!(plan.next(&old, 1), Next::Sleep(5_000));
        assert_eq!(plan.next(&[], 0), Next::Sleep(5_000));
    }

    #[test]
    fn error_answers_about_one_sale_slow_only_that_sale() {
        let mut plan = CheckPlan::default();
        let cancelled = sale("cancelled", false);
        let screen = sale("screen", true);
        let open = vec![cancelled.clone(), screen.clone()];
        // The cancelled sale keeps answering "no such traceId".
        for round in 1..=5 {
            plan.refused(&cancelled, 0, 0.999);
            let due = plan.due["cancelled"];
            assert!(due <= 80_000, "round {round}: {due}");
            assert!(due >= 20_000, "never faster than its own interval");
        }
        assert_eq!(plan.due["cancelled"], 79_960, "capped at 4 intervals");
        // The sale on screen is checked at once and at its normal pace.
        assert_eq!(plan.next(&open, 0), Next::Check("screen".into()));
        plan.checked(&screen, 0);
        assert_eq!(plan.next(&open, 1_500), Next::Check("screen".into()));
        // A good answer resets the sale's own backoff.
        plan.checked(&cancelled, 100_000);
        plan.refused(&cancelled, 200_000, 0.0);
        assert_eq!(plan.due["cancelled"], 220_000);
    }

    #[test]
    fn hurry_checks_the_sale_on_screen_now() {
        let mut plan = CheckPlan::default();
        let open = vec![sale("a", true)];
        assert_eq!(plan.next(&open, 1_000), Next::Check("a".into()));
        plan.checked(&open[0], 1_000);
        assert_eq!(plan.next(&open, 1_100), Next::Sleep(1_400));
        plan.hurry(&open, 1_100);
        assert_eq!(plan.next(&open, 1_100), Next::Check("a".into()));
        assert_eq!(background_interval_ms(10), 20_000);
    }
}
