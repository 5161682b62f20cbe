//! The request budget of the whole device. Every tab's requests go through
//! it, so all of them together stay under MixPay's 60 a minute; a 1429, or
//! `x-ratelimit-remaining` running low where the browser lets us read it,
//! pauses every tab for a while (several tablets behind one shop router may
//! share MixPay's limit, so the device slows down rather than insist).
//!
//! It lives in localStorage (the one store all tabs share synchronously);
//! where that is unavailable, each tab keeps its own.

use std::cell::RefCell;

use gloo_timers::future::TimeoutFuture;

use crate::domain::schedule::{RequestBudget, REQUESTS_PER_MINUTE};

const SENT_KEY: &str = "mixpay-pos/requests-sent";
const PAUSED_KEY: &str = "mixpay-pos/requests-paused-until";
const WINDOW_MS: f64 = 60_000.0;
/// How long every tab waits after MixPay said "too many requests".
const RATE_LIMITED_PAUSE_MS: f64 = 15_000.0;
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
    if paused > 0.0 && paused <= RATE_LIMITED_PAUSE_MS {
        return Err(paused);
    }
    // Whole milliseconds in storage: printing or reading a float would pull
    // the float formatter and parser into the wasm for nothing (Date.now()
    // is whole milliseconds anyway).
    let sent: Vec<i64> = storage
        .get_item(SENT_KEY)
        .ok()
        .flatten()
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default();
    let sent = sent.into_iter().map(|ms| ms as f64).collect();
    let mut budget = RequestBudget::with_sent(REQUESTS_PER_MINUTE, WINDOW_MS, sent);
    budget.try_take(now)?;
    let sent: Vec<i64> = budget.sent().map(|ms| ms as i64).collect();
    if storage
        .set_item(SENT_KEY, &serde_json::to_string(&sent).unwrap_or_default())
        .is_err()
    {
        // Storage full: this tab counts on its own rather than not at all.
        return OWN.with(|b| b.borrow_mut().try_take(now));
    }
    Ok(())
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

/// MixPay answered 1429 / HTTP 429: every tab of the device waits.
pub fn rate_limited() {
    pause_for(RATE_LIMITED_PAUSE_MS);
}

/// MixPay's `x-ratelimit-remaining`, where the browser exposes it.
pub fn remaining(left: i64) {
    if left <= LOW_REMAINING {
        pause_for(LOW_REMAINING_PAUSE_MS);
    }
}
