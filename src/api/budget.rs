//! The request budget of the whole device. Every tab's requests go through
//! it (the sale on screen, background checks, History's re-checks and its
//! "Find sales at MixPay"), so all of them together stay under the device's
//! ceiling (`schedule::REQUESTS_PER_MINUTE`, a share of MixPay's 60 a minute
//! that two tablets behind one shop router can both take); a 1429, or
//! `x-ratelimit-remaining` running low where the browser lets us read it,
//! pauses every tab for a while: 15 s, then 30 s, 60 s and 120 s while 1429s
//! keep coming (something else on the shop's network is asking too).
//!
//! It lives in localStorage (the one store all tabs share synchronously);
//! where that is unavailable, each tab keeps its own.

use std::cell::RefCell;

use gloo_timers::future::TimeoutFuture;

use crate::domain::schedule::{
    rate_limited_pause_ms, RequestBudget, RATE_LIMITED_PAUSE_CAP_MS, REQUESTS_PER_MINUTE,
};

const SENT_KEY: &str = "mixpay-pos/requests-sent";
const PAUSED_KEY: &str = "mixpay-pos/requests-paused-until";
/// 1429 answers in a row (any tab), for the growing pause.
const STREAK_KEY: &str = "mixpay-pos/requests-1429-streak";
const WINDOW_MS: f64 = 60_000.0;
/// Below this many requests left in MixPay's window, every tab waits a little.
const LOW_REMAINING: i64 = 3;
const LOW_REMAINING_PAUSE_MS: f64 = 10_000.0;

thread_local! {
    static OWN: RefCell<RequestBudget> = RefCell::new(RequestBudget::default());
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Wall-clock time, shared by the tabs (a clock set back is handled by the budget).
fn now() -> f64 {
    js_sys::Date::now()
}

fn paused_until(storage: &web_sys::Storage) -> f64 {
    storage
        .get_item(PAUSED_KEY)
        .ok()
        .flatten()
        .and_then(|v| v.parse::<i64>().ok())
        .map_or(0.0, |ms| ms as f64)
}

fn pause_for(ms: f64) {
    if let Some(storage) = storage() {
        let until = now() + ms;
        if paused_until(&storage) < until {
            let _ = storage.set_item(PAUSED_KEY, &(until as i64).to_string());
        }
    }
}

/// Takes a slot now, or says how long to wait before asking again.
fn try_take() -> Result<(), f64> {
    let Some(storage) = storage() else {
        return OWN.with(|b| b.borrow_mut().try_take(now()));
    };
    let now = now();
    let paused = paused_until(&storage) - now;
    // A pause far in the future is a clock set back: ignore it.
    if paused > 0.0 && paused <= f64::from(RATE_LIMITED_PAUSE_CAP_MS) {
        return Err(paused);
    }
    // Whole milliseconds in storage: printing or reading a float would pull
    // the float formatter and parser into the wasm for nothing (Date.now()
    // is whole milliseconds anyway).
    let sent = read_sent(&storage.get_item(SENT_KEY).ok().flatten().unwrap_or_default());
    let sent = sent.into_iter().map(|ms| ms as f64).collect();
    let mut budget = RequestBudget::with_sent(REQUESTS_PER_MINUTE, WINDOW_MS, sent);
    budget.try_take(now)?;
    let sent: Vec<i64> = budget.sent().map(|ms| ms as i64).collect();
    if storage
        .set_item(SENT_KEY, &write_sent(&sent))
        .is_err()
    {
        // Storage full: this tab counts on its own rather than not at all.
        return OWN.with(|b| b.borrow_mut().try_take(now));
    }
    Ok(())
}

/// The stored send times: a JSON list of whole milliseconds; anything else
/// (not JSON, not a list, one item not a whole number that fits an `i64`)
/// is none, as when serde_json read it into a `Vec<i64>`.
fn read_sent(text: &str) -> Vec<i64> {
    crate::domain::json::parse(text)
        .ok()
        .and_then(|v| v.as_array()?.iter().map(|ms| ms.as_i64()).collect())
        .unwrap_or_default()
}

/// `[1,2,3]`, as serde_json wrote a `Vec<i64>`.
fn write_sent(sent: &[i64]) -> String {
    let items: Vec<String> = sent.iter().map(i64::to_string).collect();
    format!("[{}]", items.join(","))
}

/// Waits for a slot of the device's request budget.
pub async fn take() {
    loop {
        match try_take() {
            Ok(()) => return,
            Err(ms) => TimeoutFuture::new(ms.ceil().clamp(1.0, 60_000.0) as u32).await,
        }
    }
}

fn streak(storage: &web_sys::Storage) -> u32 {
    storage
        .get_item(STREAK_KEY)
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// MixPay answered 1429 / HTTP 429: every tab of the device waits, longer
/// with each one in a row.
pub fn rate_limited() {
    let n = storage().map_or(1, |s| {
        let n = streak(&s).saturating_add(1);
        let _ = s.set_item(STREAK_KEY, &n.to_string());
        n
    });
    pause_for(f64::from(rate_limited_pause_ms(n)));
}

/// MixPay answered something other than 1429: the streak is over.
pub fn answered() {
    if let Some(s) = storage() {
        if streak(&s) != 0 {
            let _ = s.remove_item(STREAK_KEY);
        }
    }
}

/// MixPay's `x-ratelimit-remaining`, where the browser exposes it.
pub fn remaining(left: i64) {
    if left <= LOW_REMAINING {
        pause_for(LOW_REMAINING_PAUSE_MS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Read and written as serde_json did (`Vec<i64>`).
    #[test]
    fn send_times_as_serde_json_read_and_wrote_them() {
        for text in [
            "", "[]", " [ 1 , 2 ] ", "[1765080000123,1765080000456]", "[-5,0]", "[-0]", "[1.0]", "[1e3]",
            "[9223372036854775807]", "[9223372036854775808]", "[-9223372036854775808]", "[-9223372036854775809]",
            "[\"1\"]", "[null]", "[1,]", "[1", "{}", "{\"a\":1}", "null", "1", "[[1]]", "[1] x",
        ] {
            let theirs: Vec<i64> = serde_json::from_str(text).unwrap_or_default();
            assert_eq!(read_sent(text), theirs, "{text}");
        }
        for sent in [vec![], vec![1_765_080_000_123], vec![i64::MIN, -1, 0, i64::MAX]] {
            assert_eq!(write_sent(&sent), serde_json::to_string(&sent).unwrap());
            assert_eq!(read_sent(&write_sent(&sent)), sent);
        }
    }
}
