//! The browser's clocks: the wall clock for what people read, a monotonic
//! one for scheduling.

/// Milliseconds since the epoch, from the browser's clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Milliseconds from a clock that never jumps (unlike the wall clock), for
/// scheduling and rate budgets.
pub fn monotonic_ms() -> i64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(now_ms, |p| p.now() as i64)
}

fn local_date(ms: i64) -> js_sys::Date {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64))
}

/// The local day of a time, as `2026-11-26` (the form of `<input type=date>`).
pub fn local_day(ms: i64) -> String {
    let d = local_date(ms);
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

/// How far the tablet's clock is east of UTC at `ms`, in minutes (UTC+8: 480).
pub fn local_offset_minutes(ms: i64) -> i32 {
    -(local_date(ms).get_timezone_offset() as i32)
}

/// Local date and time, `2026-11-26 14:05`.
pub fn local_time(ms: i64) -> String {
    let d = local_date(ms);
    format!(
        "{} {:02}:{:02}",
        local_day(ms),
        d.get_hours(),
        d.get_minutes()
    )
}

/// The first and last millisecond of a local day given as `2026-11-26`.
pub fn local_day_range(day: &str) -> Option<(i64, i64)> {
    let mut parts = day.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let start = js_sys::Date::new_with_year_month_day(y, m as i32 - 1, d as i32).get_time();
    let next = js_sys::Date::new_with_year_month_day(y, m as i32 - 1, d as i32 + 1).get_time();
    (start.is_finite() && next.is_finite()).then(|| (start as i64, next as i64 - 1))
}

/// The parts of a moment on the tablet's clock, for `domain::lang::format_time`.
pub fn local_parts(ms: i64) -> crate::domain::lang::LocalTime {
    let d = local_date(ms);
    crate::domain::lang::LocalTime {
        year: d.get_full_year() as i32,
        month: d.get_month() + 1,
        day: d.get_date(),
        hour: d.get_hours(),
        minute: d.get_minutes(),
    }
}
