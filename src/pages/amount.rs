//! Step 1 of a sale: the cashier types the amount (touch or keyboard), adds
//! an optional note, and charges.

use leptos::prelude::*;

use crate::components::text::tr;

use crate::api::client::mixpay_now_ms;
use crate::clock::now_ms;
use crate::components::keypad::Keypad;
use crate::components::tip_screen::TipScreen;
use crate::domain::keypad::{check_limits, Key, KeypadEntry};
use crate::domain::link::REMARK_MAX_CHARS;
use crate::domain::money::Amount;
use crate::domain::sale::Sale;
use crate::domain::settings::PaymentMode;
use crate::domain::status::SaleStatus;
use crate::i18n::{self, Msg};
use crate::state::app_state::AppState;
use crate::state::{order_numbers, sale_lifecycle};

/// The amount typed, if a sale may be charged for it now.
fn checked_amount(state: AppState, entry: RwSignal<KeypadEntry>) -> Result<Amount, String> {
    if let Some(why) = state.offline_reason() {
        return Err(why);
    }
    let settings = state.settings().get_untracked();
    if !state.settings_saved().get_untracked() {
        // config.json may fill a first run; the owner still checks and saves it.
        return Err(Msg::OpenSettingsCheck.text(i18n::current()).into());
    }
    if !settings.is_ready() {
        return Err(Msg::SetUpFirst.text(i18n::current()).into());
    }
    let amount = entry
        .with_untracked(|e| e.amount())
        .map_err(|e| e.to_string())?;
    let q = &settings.quote;
    check_limits(amount, q.min, q.max, q.decimal_digit).map_err(|e| e.to_string())?;
    Ok(amount)
}

/// Creates the sale for `subtotal` (+ `tip`), records it, and opens the
/// payment screen. In pay-link mode the link is built here, so the QR is
/// drawn in the same frame.
fn charge(
    state: AppState,
    subtotal: Amount,
    tip: Option<Amount>,
    entry: RwSignal<KeypadEntry>,
    note: RwSignal<String>,
) -> Result<(), String> {
    if let Some(why) = state.offline_reason() {
        return Err(why);
    }
    let settings = state.settings().get_untracked();
    let trace_id = uuid::Uuid::new_v4().to_string();
    let mut sale = Sale::new(
        &settings,
        subtotal,
        &note.get_untracked(),
        trace_id,
        now_ms(),
        mixpay_now_ms(),
    );
    if let Some(tip) = tip {
        sale = sale
            .with_tip(tip)
            .ok_or_else(|| {
                i18n::amount_error(i18n::current(), &crate::domain::money::AmountError::TooLong)
            })?;
        // The total is what MixPay is asked for: it must be within the limits too.
        let q = &settings.quote;
        check_limits(sale.params.quote_amount, q.min, q.max, q.decimal_digit)
            .map_err(|e| {
                let lang = i18n::current();
                i18n::with_tip_error(lang, &i18n::limit_error(lang, &e))
            })?;
    }
    let mut sale = sale.with_order_id(order_numbers::next());
    if settings.mode == PaymentMode::PayLink {
        sale.link = Some(sale.params.pay_link(&settings.pay_base));
        sale.status = SaleStatus::Waiting;
    }
    // Recorded before the QR is shown: a reload from here on brings it back.
    let sale = sale_lifecycle::create(state, sale);
    entry.update(|e| e.press(Key::Clear).unwrap_or(()));
    note.set(String::new());
    state.show_sale(sale);
    Ok(())
}

#[component]
pub fn AmountPage() -> impl IntoView {
    let state = AppState::expect();
    let lang = state.lang();
    let quote = Memo::new(move |_| state.settings().with(|s| s.quote.clone()));
    // The shell opens this page anew when the quote currency changes, so the
    // places are fixed while it is up.
    let entry = RwSignal::new(KeypadEntry::new(quote.get_untracked().decimal_digit));
    let notice = RwSignal::new(None::<String>);
    let note = RwSignal::new(String::new());
    let display = Memo::new(move |_| entry.with(|e| e.display()));
    let ready = Memo::new(move |_| state.settings().with(|s| s.is_ready()));

    let on_key = Callback::new(move |key: Key| {
        let mut refused = None;
        entry.update(|e| refused = e.press(key).err());
        notice.set(refused.map(|r| r.to_string()));
    });
    // The subtotal waiting for the customer's tip, while the tip screen is up.
    let tip_for = RwSignal::new(None::<Amount>);
    let try_charge = move || {
        if tip_for.get_untracked().is_some() {
            return;
        }
        let outcome = checked_amount(state, entry).and_then(|amount| {
            if state.settings().with_untracked(|s| s.tips.enabled) {
                tip_for.set(Some(amount));
                Ok(())
            } else {
                charge(state, amount, None, entry, note)
            }
        });
        notice.set(outcome.err());
    };
    let on_tip = Callback::new(move |tip: Option<Amount>| {
        if let Some(subtotal) = tip_for.get_untracked() {
            tip_for.set(None);
            notice.set(charge(state, subtotal, tip, entry, note).err());
        }
    });

    // A physical keyboard works too; typing in the note field is left alone.
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        let target = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok());
        let tag = target.as_ref().map(|el| el.tag_name()).unwrap_or_default();
        let in_field = matches!(tag.as_str(), "INPUT" | "TEXTAREA" | "SELECT");
        // Enter on a button reached with the keyboard presses it; after a tap
        // (no focus ring) it still charges, as a cashier with a keypad expects.
        let on_control = matches!(tag.as_str(), "BUTTON" | "A" | "SUMMARY")
            && target.is_some_and(|el| el.matches(":focus-visible").unwrap_or(false));
        let key = ev.key();
        // The tip screen is the customer's: the keypad's keys wait.
        if tip_for.get_untracked().is_some() {
            return;
        }
        if key == "Enter" && !ev.repeat() && !on_control {
            ev.prevent_default();
            try_charge();
            return;
        }
        if let Some(k) = Key::from_keyboard(&key).filter(|_| !in_field) {
            ev.prevent_default();
            on_key.run(k);
        }
    });
    on_cleanup(move || keys.remove());

    let tip_screen = move || {
        tip_for.get().map(|subtotal| {
            let (decimals, symbol, percents) = state.settings().with_untracked(|s| {
                (
                    s.quote.decimal_digit,
                    s.quote.symbol.clone(),
                    s.tips.percents.clone(),
                )
            });
            view! {
                <TipScreen subtotal decimals symbol percents on_choose=on_tip
                    on_back=Callback::new(move |_| tip_for.set(None)) />
            }
        })
    };

    view! {
        {tip_screen}
        <section class="amount-page" class:hidden=move || tip_for.with(Option::is_some)>
            <output class="amount-display" aria-live="polite" aria-label=tr(lang, Msg::Amount)>
                <span class="digits">{display}</span>
                <span class="currency">{move || quote.with(|q| q.symbol.clone())}</span>
            </output>
            <p class="notice" role="alert">{move || notice.get()}</p>
            <Keypad decimals=Signal::derive(move || quote.with(|q| q.decimal_digit)) on_key lang />
            <label class="note-field">
                {tr(lang, Msg::NoteOptional)}
                <input
                    type="text"
                    maxlength=REMARK_MAX_CHARS
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))
                    placeholder=tr(lang, Msg::NotePlaceholder)
                />
            </label>
            <Show when=move || !ready.get()>
                <p class="hint">{tr(lang, Msg::NotSetUp)}</p>
            </Show>
            <button
                type="button"
                class="charge"
                disabled=move || !ready.get() || entry.with(|e| e.amount().map_or(true, |a| a.is_zero()))
                on:click=move |_| try_charge()
            >
                {move || i18n::charge(lang.get(), &display.get(), &quote.with(|q| q.symbol.clone()))}
            </button>
        </section>
    }
}
