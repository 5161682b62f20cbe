//! Locks the owner's screens after `domain::pin::IDLE_LOCK_MS` without a
//! touch or a key, measured with `performance.now()` (a clock the device's
//! time setting does not move), and when the app comes back after more than
//! `domain::pin::HIDDEN_LOCK_MS` hidden; counts a PIN lockout down while the
//! app runs. One interval and three listeners, removed on unmount.

use leptos::prelude::*;

use crate::state::app_state::AppState;

/// How often the idle time is looked at; the lock comes at most this late.
const LOOK_EVERY_MS: u32 = 5_000;

pub fn use_idle_lock(state: AppState) {
    let on_pointer = window_event_listener(leptos::ev::pointerdown, move |_| state.touched());
    let on_key = window_event_listener(leptos::ev::keydown, move |_| state.touched());
    let on_visibility = window_event_listener(leptos::ev::visibilitychange, move |_| {
        state.visibility_changed(document().visibility_state() == web_sys::VisibilityState::Visible)
    });
    let look = send_wrapper::SendWrapper::new(gloo_timers::callback::Interval::new(
        LOOK_EVERY_MS,
        move || {
            state.lock_if_idle(crate::clock::monotonic_ms());
            crate::state::owner_pin::tick();
        },
    ));
    on_cleanup(move || {
        on_pointer.remove();
        on_key.remove();
        on_visibility.remove();
        drop(look);
    });
}
