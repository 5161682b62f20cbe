//! Step 1 of a sale: the cashier types the amount.

use leptos::prelude::*;

use crate::components::keypad::Keypad;
use crate::domain::keypad::KeypadEntry;

#[component]
pub fn AmountPage() -> impl IntoView {
    let entry = RwSignal::new(KeypadEntry::new(2));
    let notice = RwSignal::new(None::<String>);
    let display = Memo::new(move |_| entry.with(|e| e.display()));
    view! {
        <section class="amount-page">
            <output class="amount-display" aria-live="polite" aria-label="Amount">
                {display}
            </output>
            <p class="notice" role="alert">{move || notice.get()}</p>
            <Keypad entry notice />
            <button type="button" class="charge" disabled=move || entry.with(|e| e.amount().is_err())>
                "Charge"
            </button>
        </section>
    }
}
