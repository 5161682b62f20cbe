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
    parse(&local_storage::get(CHECKS_KEY).ok().flatten().unwrap_or_default())
}

/// The stored map: a JSON object of whole milliseconds (the last of a
/// repeated key); anything else (one value not a whole number that fits an
/// `i64`) is none, as when serde_json read it into this `HashMap`.
fn parse(text: &str) -> HashMap<String, i64> {
    crate::domain::json::parse(text)
        .ok()
        .and_then(|v| v.as_object()?.iter().map(|(k, ms)| Some((k.clone(), ms.as_i64()?))).collect())
        .unwrap_or_default()
}

/// `{"trace":ms,…}` as serde_json wrote the map.
fn write(checks: &HashMap<String, i64>) -> String {
    let mut out = String::from("{");
    for (i, (trace, at)) in checks.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        crate::domain::stored::push_text(&mut out, trace);
        out.push(':');
        out.push_str(&at.to_string());
    }
    out.push('}');
    out
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
        &write(&checks),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Read and written as serde_json did (`HashMap<String, i64>`).
    #[test]
    fn the_map_as_serde_json_read_and_wrote_it() {
        for text in [
            "", "{}", r#"{"0b7b4a2e-6d1c":1765080000123,"t\"2\u00e9":-5}"#, r#"{"a":1,"a":2}"#, r#"{"a":1.0}"#,
            r#"{"a":"1"}"#, r#"{"a":null}"#, r#"{"a":9223372036854775808}"#, r#"{"a":-0}"#, "[]", "[1]", "null",
            r#"{"a":1,}"#, r#"{"a":1"#, r#"{"a":1} x"#,
        ] {
            let theirs: HashMap<String, i64> = serde_json::from_str(text).unwrap_or_default();
            assert_eq!(parse(text), theirs, "{text}");
        }
        let mut checks = HashMap::new();
        assert_eq!(write(&checks), serde_json::to_string(&checks).unwrap());
        checks.insert("t-\"\\\n\u{1f}é".to_string(), i64::MIN);
        assert_eq!(write(&checks), serde_json::to_string(&checks).unwrap());
        checks.insert("b".to_string(), 1_765_080_000_123);
        assert_eq!(parse(&write(&checks)), checks);
        let theirs: HashMap<String, i64> = serde_json::from_str(&write(&checks)).unwrap();
        assert_eq!(theirs, checks);
    }
}
