//! Step 1 of a sale: the cashier types the amount (touch or keyboard) or,
//! when the shop has products, fills a cart from them; adds an optional
//! note, and charges.

use leptos::prelude::*;

use crate::components::erased::{memo, shown, signal};
use crate::components::text::tr;

use crate::components::cart::CartView;
use crate::components::keypad::Keypad;
use crate::components::product_grid::ProductGrid;
use crate::domain::keypad::{check_limits, Key, KeypadEntry};
use crate::domain::link::REMARK_MAX_CHARS;
use crate::domain::cart::CartError;
use crate::domain::money::{Amount, AmountError};
use crate::i18n::{self, Msg};
use crate::state::app_state::AppState;
use crate::state::products::Products;
use crate::state::sale_path;

/// Which way the cashier sells, when the shop has products.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Products,
    Keypad,
}

/// The amount to charge, if a sale may be charged for it now: a non-empty
/// cart's total (keypad amounts join it as custom lines), otherwise the
/// keypad's amount.
fn checked_amount(
    state: AppState,
    products: Products,
    entry: RwSignal<KeypadEntry>,
) -> Result<Amount, String> {
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
    let amount = products.cart().with_untracked(|cart| {
        if cart.is_empty() {
            entry
                .with_untracked(|e| e.amount())
                .map_err(|e| e.to_string())
        } else if !cart.is_for(&settings.quote.asset_id, settings.quote.decimal_digit) {
            Err(CartError::WrongCurrency.to_string())
        } else {
            cart.total()
                .ok_or_else(|| i18n::amount_error(i18n::current(), &AmountError::TooLong))
        }
    })?;
    let q = &settings.quote;
    check_limits(amount, q.min, q.max, &q.money_style()).map_err(|e| e.to_string())?;
    Ok(amount)
}

/// What Charge needs from the amount page.
#[derive(Clone, Copy)]
pub struct ChargeInputs {
    pub state: AppState,
    pub products: Products,
    pub entry: RwSignal<KeypadEntry>,
    pub note: RwSignal<String>,
    pub notice: RwSignal<Option<String>>,
    /// The sale path is being fetched, or a strict-mode check is on its way:
    /// a second Charge waits for it.
    pub checking: RwSignal<bool>,
}

/// Charges `subtotal` (+ `tip`): the sale path's work (`pages::charge`, in
/// the payment part, in memory long before a Charge); fetched first only
/// on a slow network, and said so if it cannot be.
fn charge(inputs: ChargeInputs, subtotal: Amount, tip: Option<Amount>) -> Result<(), String> {
    let ChargeInputs { notice, checking, .. } = inputs;
    if checking.get_untracked() {
        return Ok(());
    }
    if let Some(path) = sale_path::loaded() {
        return (path.charge)(inputs, subtotal, tip);
    }
    checking.set(true);
    leptos::task::spawn_local(async move {
        let path = sale_path::load().await;
        // The page was left meanwhile: the cashier moved on, no sale.
        if checking.try_set(false).is_some() {
            return;
        }
        notice.set(match path {
            Ok(path) => (path.charge)(inputs, subtotal, tip).err(),
            Err(_) => Some(i18n::sale_path_unavailable(i18n::current()).to_string()),
        });
    });
    Ok(())
}

#[component]
pub fn AmountPage() -> impl IntoView {
    let state = AppState::expect();
    let products = Products::expect();
    let lang = state.lang();
    let quote = memo(move || state.settings().with(|s| s.quote.clone()));
    products.cart_for(&quote.get_untracked());
    // Products are sold only in the currency they are priced in; after a
    // change the owner is asked in Settings first.
    let sellable = memo(move || {
        let id = quote.with(|q| q.asset_id.clone());
        products
            .catalogue()
            .with(|c| c.priced_in(&id) && c.visible().next().is_some())
    });
    let cart_empty = memo(move || products.cart().with(|c| c.is_empty()));
    let tab = signal(if sellable.get_untracked() { Tab::Products } else { Tab::Keypad });
    let on_keypad = memo(move || !sellable.get() || tab.get() == Tab::Keypad);
    // The shell opens this page anew when the quote currency changes, so the
    // places are fixed while it is up.
    let entry = signal(KeypadEntry::new(quote.get_untracked().decimal_digit));
    let notice = signal(None::<String>);
    let note = signal(String::new());
    let inputs = ChargeInputs {
        state,
        products,
        entry,
        note,
        notice,
        checking: signal(false),
    };
    // The typed amount in the one money format, the places still to come apart.
    let typed = memo(move || {
        let style = quote.with(|q| q.money_style());
        entry.with(|e| style.typed(e.text()))
    });
    let ready = memo(move || state.settings().with(|s| s.is_ready()));

    let on_key = Callback::new(move |key: Key| {
        let mut refused = None;
        entry.update(|e| refused = e.press(key).err());
        notice.set(refused.map(|r| r.to_string()));
    });
    // The subtotal waiting for the customer's tip, while the tip screen is up.
    let tip_for = signal(None::<Amount>);
    // The shell hides the navigation while the customer chooses a tip.
    let show_tip_screen = move |subtotal: Option<Amount>| {
        tip_for.set(subtotal);
        state.set_choosing_tip(subtotal.is_some());
    };
    on_cleanup(move || state.set_choosing_tip(false));
    let try_charge = move || {
        if tip_for.get_untracked().is_some() {
            return;
        }
        let outcome = checked_amount(state, products, entry).and_then(|amount| {
            if !state.settings().with_untracked(|s| s.tips.enabled) {
                return charge(inputs, amount, None);
            }
            // The tip screen is the sale path's (the payment part, in memory
            // long before this); fetched here only on a slow network.
            if sale_path::loaded().is_some() {
                show_tip_screen(Some(amount));
            } else if !inputs.checking.get_untracked() {
                inputs.checking.set(true);
                leptos::task::spawn_local(async move {
                    let path = sale_path::load().await;
                    if inputs.checking.try_set(false).is_none() {
                        match path {
                            Ok(_) => show_tip_screen(Some(amount)),
                            Err(_) => notice.set(Some(i18n::sale_path_unavailable(i18n::current()).to_string())),
                        }
                    }
                });
            }
            Ok(())
        });
        notice.set(outcome.err());
    };
    let on_tip = Callback::new(move |tip: Option<Amount>| {
        if let Some(subtotal) = tip_for.get_untracked() {
            show_tip_screen(None);
            notice.set(charge(inputs, subtotal, tip).err());
        }
    });
    let on_refused = Callback::new(move |why: String| notice.set(Some(why)));
    let add_custom = move |_| {
        let added = entry
            .with_untracked(|e| e.amount())
            .map_err(|e| e.to_string())
            .and_then(|a| {
                products
                    .add_custom(a, Msg::CustomAmount.text(lang.get_untracked()))
                    .map_err(|e| e.to_string())
            });
        match added {
            Ok(()) => {
                entry.update(|e| e.press(Key::Clear).unwrap_or(()));
                notice.set(None);
            }
            Err(why) => notice.set(Some(why)),
        }
    };
    // "Charge $12.50": the typed amount, or the cart's total once it has lines.
    let charge_label = move || {
        let amount = if cart_empty.get() {
            typed.with(|t| t.text())
        } else {
            let style = quote.with(|q| q.money_style());
            products.cart().with(|c| c.total().map_or_else(|| "—".into(), |t| style.format(&t)))
        };
        i18n::charge(lang.get(), &amount)
    };
    let symbol = Signal::derive(move || quote.with(|q| q.symbol.clone()));
    let decimals = Signal::derive(move || quote.with(|q| q.decimal_digit));
    let tab_button = move |target: Tab, label: Msg, id: &'static str, panel: &'static str| {
        view! {
            <button type="button" role="tab" id=id aria-controls=panel
                aria-selected=move || (tab.get() == target).to_string()
                tabindex=move || if tab.get() == target { "0" } else { "-1" }
                on:click=move |_| tab.set(target)>
                {tr(lang, label)}
            </button>
        }
    };

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
        if let Some(k) = Key::from_keyboard(&key).filter(|_| !in_field && on_keypad.get_untracked()) {
            ev.prevent_default();
            on_key.run(k);
        }
    });
    on_cleanup(move || keys.remove());

    let tip_screen = move || {
        // Shown only once the sale path is in memory (see try_charge).
        tip_for.get().zip(sale_path::loaded()).map(|(subtotal, path)| {
            (path.tip_screen)(subtotal, on_tip, Callback::new(move |_| show_tip_screen(None)))
        })
    };

    view! {
        {tip_screen}
        <section class="amount-page" class:with-products=move || sellable.get()
            class:hidden=move || tip_for.with(Option::is_some)>
            // Shown and hidden with the `hidden` attribute rather than <Show>:
            // each <Show> adds its own copy of Leptos' view code to the wasm.
            <div class="sale-tabs" role="tablist" aria-label=tr(lang, Msg::SellFrom) hidden=move || !sellable.get()>
                {tab_button(Tab::Products, Msg::Products, "tab-products", "panel-products")}
                {tab_button(Tab::Keypad, Msg::Keypad, "tab-keypad", "panel-keypad")}
            </div>
            <div class="sale-body">
                <ProductGrid decimals symbol on_refused hidden=on_keypad />
                <div class="keypad-panel" id="panel-keypad" role=move || sellable.get().then_some("tabpanel")
                    aria-labelledby=move || sellable.get().then_some("tab-keypad")
                    hidden=move || !on_keypad.get()>
                    <output class="amount-display" aria-live="polite" aria-label=tr(lang, Msg::Amount)>
                        // One line box, so the display can centre it in the room it has.
                        <span class="amount-text">
                            <span class="currency">{move || typed.with(|t| t.prefix.clone())}</span>
                            <span class="digits">{move || typed.with(|t| t.digits.clone())}</span>
                            <span class="pending">{move || typed.with(|t| t.pending.clone())}</span>
                            <span class="currency">{move || typed.with(|t| t.suffix.clone())}</span>
                        </span>
                    </output>
                    <Keypad decimals on_key lang />
                    <button type="button" class="add-custom" hidden=move || !sellable.get()
                        disabled=move || entry.with(|e| e.amount().map_or(true, |a| a.is_zero()))
                        on:click=add_custom>
                        {tr(lang, Msg::AddToCart)}
                    </button>
                </div>
                // A cart left while products became unsellable still shows:
                // Charge must never ask for an amount the screen does not explain.
                <CartView symbol on_refused hidden=Signal::derive(move || !sellable.get() && cart_empty.get()) />
            </div>
            <p class="notice" role="alert">{move || notice.get()}</p>
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
            {shown(move || !ready.get(), move || view! { <p class="hint">{tr(lang, Msg::NotSetUp)}</p> }.into_any())}
            <button
                type="button"
                class="charge"
                disabled=move || !ready.get() || (cart_empty.get() && entry.with(|e| e.amount().map_or(true, |a| a.is_zero())))
                on:click=move |_| try_charge()
            >
                {charge_label}
            </button>
        </section>
    }
}
