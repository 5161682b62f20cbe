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
use super::sale::Sale;
use super::schedule::POLL_INTERVAL_MS;
use super::settings::PaymentMode;
use super::status::SaleStatus;

/// Background checks share at most one request per this many ms (10 a minute).
pub const BACKGROUND_GAP_MS: i64 = 6_000;
/// While a sale is on screen (30 checks a minute), background checks get one
/// request per this many ms (4 a minute): together inside the device's
/// ceiling (`schedule::REQUESTS_PER_MINUTE`) as near as the 2 s pace allows.
pub const BACKGROUND_GAP_WITH_FOCUS_MS: i64 = 15_000;
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
    /// A sale was on screen at the last look: background checks space out.
    focus_on_screen: bool,
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
        self.focus_on_screen = live.iter().any(|s| s.focus);
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
            let gap = if self.focus_on_screen {
                BACKGROUND_GAP_WITH_FOCUS_MS
            } else {
                BACKGROUND_GAP_MS
            };
            self.next_background_ms = now_ms + gap;
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

/// What an error answer about one sale says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// MixPay does not know the payment (yet): "not paid yet".
    Unknown,
    /// Anything else (2000 no permission, 10007 no service, 10008
    /// maintenance, a parameter error about a sale MixPay knows, "no such
    /// traceId" about a sale already paid): said on screen after a few.
    Other,
}

/// Error answers in a row after which the sale on screen says what MixPay answers.
pub const REFUSALS_SHOWN_AFTER: u32 = 3;
/// "Unknown" answers in a row to the traceId after which the sale is also
/// asked by its orderId (every third check from then on).
pub const UNKNOWN_BEFORE_ORDER_ID: u32 = 3;

/// Reads an error answer about `sale`. A traceId nobody opened yet answers
/// -3 "Unpaid", 40022 "does not exist" or a parameter error (1017/10011);
/// once MixPay knows the sale (a one-time payment it created, or any answer
/// about it) a parameter error is not that any more, nor is 40022 once a
/// payment was seen.
pub fn refusal_kind(sale: &Sale, code: i64) -> Refusal {
    let known = sale.last_result.is_some()
        || (sale.mode == PaymentMode::OneTime && sale.link.is_some());
    let payment_seen = !matches!(sale.status, SaleStatus::Creating | SaleStatus::Waiting);
    match code {
        -3 => Refusal::Unknown,
        40022 if !payment_seen => Refusal::Unknown,
        1017 | 10011 if !known => Refusal::Unknown,
        _ => Refusal::Other,
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Streak {
    unknown: u32,
    other: u32,
    /// The last "other" answer: its code and MixPay's message.
    last: Option<(i64, String)>,
    /// An answer was found by orderId: asked that way from then on.
    by_order: bool,
}

/// Error answers in a row about each sale, by kind: when to also ask by
/// orderId, and when the sale on screen says what MixPay answers.
#[derive(Clone, Debug, Default)]
pub struct AnswerStreaks {
    streaks: HashMap<String, Streak>,
}

impl AnswerStreaks {
    /// MixPay answered about the sale (found by its orderId: `by_order`).
    pub fn answered(&mut self, trace_id: &str, by_order: bool) {
        let s = self.streaks.entry(trace_id.to_string()).or_default();
        *s = Streak {
            by_order: s.by_order || by_order,
            ..Streak::default()
        };
    }

    /// An error answer about the sale.
    pub fn refused(&mut self, trace_id: &str, kind: Refusal, code: i64, message: &str) {
        let s = self.streaks.entry(trace_id.to_string()).or_default();
        match kind {
            Refusal::Unknown => {
                s.unknown = s.unknown.saturating_add(1);
                s.other = 0;
                s.last = None;
            }
            Refusal::Other => {
                s.other = s.other.saturating_add(1);
                s.last = Some((code, message.to_string()));
            }
        }
    }

    /// Whether the next check of a sale with an orderId asks by it: once
    /// the traceId was called unknown (or unpaid, which is also how MixPay
    /// answers a payment it does not know) a few times in a row, every third
    /// check; always once an answer was found that way.
    pub fn ask_by_order(&self, trace_id: &str) -> bool {
        self.streaks.get(trace_id).is_some_and(|s| {
            s.by_order
                || (s.unknown >= UNKNOWN_BEFORE_ORDER_ID
                    && (s.unknown - UNKNOWN_BEFORE_ORDER_ID).is_multiple_of(3))
        })
    }

    /// What MixPay keeps answering about the sale, once it has said it a
    /// few times in a row: its code and message.
    pub fn trouble(&self, trace_id: &str) -> Option<(i64, String)> {
        self.streaks
            .get(trace_id)
            .filter(|s| s.other >= REFUSALS_SHOWN_AFTER)
            .and_then(|s| s.last.clone())
    }

    /// Forgets sales no longer checked.
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.streaks.retain(|id, _| keep(id));
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
        assert!((28..=30).contains(&counts["a"]), "{counts:?}");
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
        assert!(background <= 4, "{background}");
        assert!(
            counts["screen"] >= 28,
            "the sale on screen keeps its pace: {counts:?}"
        );
        assert!(counts.values().sum::<usize>() <= 34);
        // With nothing on screen the sales left behind get 10 a minute.
        open.pop();
        let counts = simulate(&open, 60_000);
        assert!((9..=10).contains(&counts.values().sum::<usize>()), "{counts:?}");
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
        assert_eq!(plan.next(&open, 2_000), Next::Check("screen".into()));
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
        assert_eq!(plan.next(&open, 1_100), Next::Sleep(1_900));
        plan.hurry(&open, 1_100);
        assert_eq!(plan.next(&open, 1_100), Next::Check("a".into()));
        assert_eq!(background_interval_ms(10), 20_000);
    }

    fn a_sale(mode: PaymentMode, link: bool) -> Sale {
        let settings = crate::domain::settings::Settings {
            mode,
            ..Default::default()
        };
        let mut s = Sale::new(
            &settings,
            crate::domain::money::Amount::parse("1").unwrap(),
            "",
            "t".into(),
            0,
            0,
        );
        if link {
            s.link = Some("l".into());
            s.status = SaleStatus::Waiting;
        }
        s
    }

    #[test]
    fn unknown_trace_answers_are_told_apart_from_other_refusals() {
        let link = a_sale(PaymentMode::PayLink, true);
        // A pay link nobody opened yet.
        for code in [-3, 40022, 1017, 10011] {
            assert_eq!(refusal_kind(&link, code), Refusal::Unknown, "{code}");
        }
        for code in [2000, 10007, 10008, -1, 77] {
            assert_eq!(refusal_kind(&link, code), Refusal::Other, "{code}");
        }
        // A one-time payment MixPay created exists: a parameter error is not "unknown".
        let created = a_sale(PaymentMode::OneTime, true);
        assert_eq!(refusal_kind(&created, 10011), Refusal::Other);
        assert_eq!(refusal_kind(&created, 40022), Refusal::Unknown);
        // Nor once MixPay answered about the pay link.
        let mut answered = link.clone();
        answered.last_result = Some(Default::default());
        assert_eq!(refusal_kind(&answered, 1017), Refusal::Other);
        // A sale whose payment was seen: "does not exist" is wrong, not "unknown".
        let mut paid = link;
        paid.status = SaleStatus::Confirming { confirmations: 1 };
        assert_eq!(refusal_kind(&paid, 40022), Refusal::Other);
        paid.status = SaleStatus::Paid;
        assert_eq!(refusal_kind(&paid, 40022), Refusal::Other);
    }

    #[test]
    fn three_other_refusals_in_a_row_are_shown_until_an_answer() {
        let mut s = AnswerStreaks::default();
        s.refused("a", Refusal::Other, 10008, "Maintenance");
        s.refused("a", Refusal::Other, 10008, "Maintenance");
        assert_eq!(s.trouble("a"), None, "two are not yet a pattern");
        s.refused("a", Refusal::Other, 2000, "No permission");
        assert_eq!(s.trouble("a"), Some((2000, "No permission".into())));
        assert_eq!(s.trouble("b"), None);
        s.refused("a", Refusal::Unknown, 10011, "");
        assert_eq!(s.trouble("a"), None, "an unknown breaks the row");
        for _ in 0..3 {
            s.refused("a", Refusal::Other, 10007, "We can not provide service to you");
        }
        assert!(s.trouble("a").is_some());
        s.answered("a", false);
        assert_eq!(s.trouble("a"), None);
        s.retain(|id| id != "a");
        assert!(s.streaks.is_empty());
    }

    #[test]
    fn a_sale_the_trace_query_keeps_calling_unknown_is_asked_by_order_id() {
        let mut s = AnswerStreaks::default();
        let mut asked = vec![];
        for _ in 0..8 {
            asked.push(s.ask_by_order("a"));
            s.refused("a", Refusal::Unknown, 10011, "traceId does not exist");
        }
        assert_eq!(asked, [false, false, false, true, false, false, true, false]);
        // Found by orderId: asked that way from then on.
        s.answered("a", true);
        assert!(s.ask_by_order("a"));
        s.refused("a", Refusal::Other, 10008, "");
        assert!(s.ask_by_order("a"));
    }
}
