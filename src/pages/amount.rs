//! Step 1 of a sale: the cashier types the amount (touch or keyboard), adds
//! an optional note, and charges.

use leptos::prelude::*;

use crate::clock::now_ms;
use crate::components::keypad::{press_key, Keypad};
use crate::domain::keypad::{check_limits, Key, KeypadEntry};
use crate::domain::link::REMARK_MAX_CHARS;
use crate::domain::sale::Sale;
use crate::domain::settings::PaymentMode;
use crate::domain::status::SaleStatus;
use crate::state::app_state::{AppState, Screen};
use crate::state::checker::Nudge;
use crate::state::sales;

/// Creates the sale, saves it, and opens the payment screen. In pay-link mode
/// the link is built here, so the QR is drawn in the same frame.
fn charge(
    state: AppState,
    entry: RwSignal<KeypadEntry>,
    note: RwSignal<String>,
    notice: RwSignal<Option<String>>,
) {
    let settings = state.settings.get_untracked();
    if let Some(why) = state.offline_reason() {
        notice.set(Some(why));
        return;
    }
    if !settings.is_ready() {
        notice.set(Some("Set up payments in Settings first.".into()));
        return;
    }
    let amount = match entry.with_untracked(|e| e.amount()) {
        Ok(a) => a,
        Err(e) => return notice.set(Some(e.to_string())),
    };
    let q = &settings.quote;
    if let Err(e) = check_limits(amount, q.min, q.max, q.decimal_digit) {
        return notice.set(Some(e.to_string()));
    }
    let trace_id = uuid::Uuid::new_v4().to_string();
    let mut sale = Sale::new(
        &settings,
        amount,
        &note.get_untracked(),
        trace_id,
        now_ms(),
        crate::api::client::mixpay_now_ms(),
    );
    if settings.mode == PaymentMode::PayLink {
        sale.link = Some(sale.params.pay_link(&settings.pay_base));
        sale.status = SaleStatus::Waiting;
    }
    // Recorded before the QR is shown: a reload from here on brings it back.
    sales::record(state, &sale);
    state.nudge(Nudge::Changed);
    entry.update(|e| e.press(Key::Clear).unwrap_or(()));
    note.set(String::new());
    notice.set(None);
    state.sale.set(Some(sale));
    state.screen.set(Screen::Payment);
}

#[component]
pub fn AmountPage() -> impl IntoView {
    let state = AppState::expect();
    let quote = Memo::new(move |_| state.settings.with(|s| s.quote.clone()));
    // Settings change only on their own screen, so the places are fixed while this one is up.
    let entry = RwSignal::new(KeypadEntry::new(quote.get_untracked().decimal_digit));
    let notice = RwSignal::new(None::<String>);
    let note = RwSignal::new(String::new());
    let display = Memo::new(move |_| entry.with(|e| e.display()));
    let ready = Memo::new(move |_| state.settings.with(|s| s.is_ready()));

    // A physical keyboard works too; typing in the note field is left alone.
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        let in_field = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        let key = ev.key();
        if key == "Enter" && !ev.repeat() {
            ev.prevent_default();
            charge(state, entry, note, notice);
        } else if in_field {
        } else if let Some(k) = Key::from_keyboard(&key) {
            ev.prevent_default();
            press_key(entry, notice, k);
        }
    });
    on_cleanup(move || keys.remove());

    view! {
        <section class="amount-page">
            <output class="amount-display" aria-live="polite" aria-label="Amount">
                <span class="digits">{display}</span>
                <span class="currency">{move || quote.with(|q| q.symbol.clone())}</span>
            </output>
            <p class="notice" role="alert">{move || notice.get()}</p>
            <Keypad entry notice />
            <label class="note-field">
                "Note (optional)"
                <input
                    type="text"
                    maxlength=REMARK_MAX_CHARS
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))
                    placeholder="e.g. table 4"
                />
            </label>
            <Show when=move || !ready.get()>
                <p class="hint">"Payments are not set up yet: open Settings."</p>
            </Show>
            <button
                type="button"
                class="charge"
                disabled=move || !ready.get() || entry.with(|e| e.amount().map_or(true, |a| a.is_zero()))
                on:click=move |_| charge(state, entry, note, notice)
            >
                {move || format!("Charge {} {}", display.get(), quote.with(|q| q.symbol.clone()))}
            </button>
        </section>
    }
}
