//! The big touch keypad. It only reports keys; the page owning the amount
//! applies them (`KeypadEntry` holds the rules).

use leptos::prelude::*;

use crate::domain::keypad::Key;
use crate::i18n::{Lang, Msg};

#[component]
pub fn Keypad(
    /// The quote currency's decimal places: no "." key for a currency without any.
    #[prop(into)]
    decimals: Signal<u32>,
    /// Called with every key pressed.
    on_key: Callback<Key>,
    /// The language of the keypad's names (its keys are figures).
    #[prop(into, optional)]
    lang: Signal<Lang>,
) -> impl IntoView {
    let key_button = move |label: &'static str, key: Key| {
        view! {
            <button type="button" class="key" on:click=move |_| on_key.run(key)>
                {label}
            </button>
        }
    };
    view! {
        <div class="keypad" role="group" aria-label=move || Msg::AmountKeypad.text(lang.get())>
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
                disabled=move || decimals.get() == 0
                on:click=move |_| on_key.run(Key::Point)
            >
                "."
            </button>
            {key_button("0", Key::Digit(0))}
            <button
                type="button"
                class="key key-back"
                aria-label=move || Msg::Backspace.text(lang.get())
                on:click=move |_| on_key.run(Key::Backspace)
            >
                "⌫"
            </button>
        </div>
    }
}
