//! `use_sound_unlock`: lets sound play once the cashier has touched the app.
//!
//! Browsers start an AudioContext only from a user gesture, so the first tap
//! or key press (while "Sounds" is on) creates it; later gestures resume it if
//! the browser suspended it. The listeners go with the component.

use leptos::prelude::*;

use crate::state::sound;

/// Unlocks sound on taps and key presses while `enabled` is true.
pub fn use_sound_unlock(enabled: Signal<bool>) {
    let on_gesture = move || {
        if enabled.get_untracked() && !sound::is_unlocked() {
            sound::unlock();
        }
    };
    let down = window_event_listener(leptos::ev::pointerdown, move |_| on_gesture());
    let key = window_event_listener(leptos::ev::keydown, move |_| on_gesture());
    on_cleanup(move || {
        down.remove();
        key.remove();
    });
}
