//! The tip screen the customer sees after Charge when the shop asks for
//! tips: one button per percentage with the amount it adds, a custom tip,
//! and no tip. The amounts come from `domain::tip`.

use leptos::prelude::*;

use crate::components::erased::{shown, signal};
use crate::components::text::tr;
use crate::domain::money::Amount;
use crate::domain::money_format::MoneyStyle;
use crate::domain::tip;
use crate::i18n::{self, Msg};
use crate::state::app_state::AppState;

#[component]
pub fn TipScreen(
    /// The price before the tip.
    subtotal: Amount,
    /// The quote currency's decimal places and symbol.
    decimals: u32,
    symbol: String,
    /// The shop's percentages, in order.
    percents: Vec<u32>,
    /// The tip chosen; `None` for "No tip".
    on_choose: Callback<Option<Amount>>,
    /// Back to the keypad, nothing charged.
    on_back: Callback<()>,
) -> impl IntoView {
    let lang = AppState::expect().lang();
    let money = {
        let style = MoneyStyle::new(&symbol, decimals);
        move |a: Amount| style.format(&a)
    };
    let choices = tip::choices(subtotal, &percents, decimals);
    let custom_open = signal(false);
    let custom = signal(String::new());
    let custom_error = signal(None::<String>);
    let add_custom = move || match tip::parse_custom_tip(&custom.get_untracked(), decimals) {
        Ok(t) => on_choose.run((!t.is_zero()).then_some(t)),
        Err(e) => custom_error.set(Some(i18n::amount_error(lang.get_untracked(), &e))),
    };
    let custom_total = {
        let money = money.clone();
        move || {
            tip::parse_custom_tip(&custom.get(), decimals)
                .ok()
                .and_then(|t| subtotal.checked_add(t))
                .map(|total| i18n::total_of(lang.get(), &money(total)))
        }
    };

    view! {
        <section class="tip-screen" aria-labelledby="tip-title">
            <h2 id="tip-title">{tr(lang, Msg::AddATip)}</h2>
            <p class="tip-subtotal">{tr(lang, Msg::Subtotal)} <strong>{money(subtotal)}</strong></p>
            <div class="tip-choices">
                {choices.into_iter().map(|c| {
                    let (tip_text, total_text) = (money(c.tip), money(c.total));
                    view! {
                        <button type="button" class="tip-choice" on:click=move |_| on_choose.run(Some(c.tip))>
                            <span class="tip-percent">{move || i18n::tip_choice(lang.get(), c.percent)}</span>
                            " "
                            <span class="tip-amount">{format!("+{tip_text}")}</span>
                            " "
                            <span class="tip-total">{move || i18n::total_of(lang.get(), &total_text)}</span>
                        </button>
                    }
                }).collect_view()}
            </div>
            <div class="tip-other">
                <button type="button" class="tip-custom" aria-expanded=move || custom_open.get().to_string()
                    on:click=move |_| custom_open.update(|o| *o = !*o)>{tr(lang, Msg::CustomTip)}</button>
                <button type="button" class="tip-none primary" on:click=move |_| on_choose.run(None)>{tr(lang, Msg::NoTip)}</button>
            </div>
            {shown(move || custom_open.get(), move || {
                let symbol = symbol.clone();
                let custom_total = custom_total.clone();
                view! {
                <form class="tip-custom-form" on:submit=move |ev| { ev.prevent_default(); add_custom(); }>
                    <label>
                        {let symbol = symbol.clone(); move || i18n::tip_amount_label(lang.get(), &symbol)}
                        <input type="text" inputmode="decimal" autocomplete="off"
                            prop:value=move || custom.get()
                            on:input=move |ev| { custom.set(event_target_value(&ev)); custom_error.set(None); } />
                    </label>
                    <p class="hint" aria-live="polite">{custom_total.clone()}</p>
                    <p class="notice" role="alert">{move || custom_error.get()}</p>
                    <button type="submit" class="primary">{tr(lang, Msg::AddTip)}</button>
                </form>
                }.into_any()
            })}
            <button type="button" class="tip-back" on:click=move |_| on_back.run(())>{tr(lang, Msg::Back)}</button>
        </section>
    }
}
