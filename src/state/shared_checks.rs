//! When any tab last asked MixPay about a sale, so that two tabs showing the
//! same sale do not both poll it at full rate: a tab skips a check another
//! tab made moments ago (the answer reaches it through the write-ahead).
//! One localStorage key, a small map of traceId to wall-clock time.

use std::collections::HashMap;

use super::local_storage;

const CHECKS_KEY: &str = "mixpay-pos/last-checks";
/// Entries older than this are dropped when the map is written.
const KEEP_MS: i64 = 5 * 60_000;

/// Whole milliseconds: no float is printed or parsed (that would pull the
/// float formatter and parser into the wasm), and `Date.now()` is whole anyway.
fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

fn read() -> HashMap<String, i64> {
    local_storage::get(CHECKS_KEY)
        .ok()
        .flatten()
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default()
}

/// Whether another tab (or this one) asked about `trace_id` less than
/// `within_ms` ago.
pub fn checked_within(trace_id: &str, within_ms: f64) -> bool {
    let now = now_ms();
    read()
        .get(trace_id)
        .is_some_and(|&at| ((now - at) as f64) < within_ms && at <= now + 1_000)
}

/// Records a check of `trace_id` now.
pub fn mark(trace_id: &str) {
    let now = now_ms();
    let mut checks = read();
    checks.retain(|_, at| now - *at < KEEP_MS && *at <= now + 1_000);
    checks.insert(trace_id.to_string(), now);
    // Best effort: without it two tabs may both check a sale, within the budget.
    let _ = local_storage::set(
        CHECKS_KEY,
        &serde_json::to_string(&checks).unwrap_or_default(),
    );
}
