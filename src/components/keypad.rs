//! The big touch keypad. It only forwards keys to `KeypadEntry`, which holds the rules.

use leptos::prelude::*;

use crate::domain::keypad::{Key, KeypadEntry};

/// Applies a key and reports a refusal (or clears the last one).
pub fn press_key(entry: RwSignal<KeypadEntry>, notice: RwSignal<Option<String>>, key: Key) {
    let mut refused = None;
    entry.update(|e| refused = e.press(key).err());
    notice.set(refused.map(|r| r.to_string()));
}

#[component]
pub fn Keypad(
    entry: RwSignal<KeypadEntry>,
    /// Where a refused key's reason goes ("At most 2 decimal places.").
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let key_button = move |label: &'static str, key: Key| {
        view! {
            <button type="button" class="key" on:click=move |_| press_key(entry, notice, key)>
                {label}
            </button>
        }
    };
    let no_point = move || entry.with(|e| e.decimals() == 0);
    view! {
        <div class="keypad" role="group" aria-label="Amount keypad">
            {key_button("1", Key::Digit(1))}
            {key_button("2", Key::Digit(2))}
            {key_button("3", Key::Digit(3))}
            {key_button("4", Key::Digit(4))}
            {key_button("5", Key::Digit(5))}
            {key_button("6", Key::Digit(6))}
            {key_button("7", Key::Digit(7))}
            {key_button("8", Key::Digit(8))}
            {key_button("9", Key::Digit(9))}
            <button
                type="button"
                class="key"
                disabled=no_point
                on:click=move |_| press_key(entry, notice, Key::Point)
            >
                "."
            </button>
            {key_button("0", Key::Digit(0))}
            <button
                type="button"
                class="key key-back"
                aria-label="Backspace"
                on:click=move |_| press_key(entry, notice, Key::Backspace)
            >
                "⌫"
            </button>
        </div>
    }
}
