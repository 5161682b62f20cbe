//! A clock that ticks: `use_now(1_000, clock)` is a signal of `clock()`
//! updated every second while the calling component lives.

use leptos::prelude::*;

pub fn use_now(interval_ms: u32, clock: fn() -> i64) -> Signal<i64> {
    let now = RwSignal::new(clock());
    let tick = send_wrapper::SendWrapper::new(gloo_timers::callback::Interval::new(
        interval_ms,
        move || now.set(clock()),
    ));
    // An interval has no destructor of its own that runs at unmount.
    on_cleanup(move || drop(tick));
    now.into()
}
