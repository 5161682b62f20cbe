//! The owner's lock: what the settings and the CSV export show until the
//! owner PIN is typed, and "Reset this device" for a forgotten PIN.

use leptos::prelude::*;

use crate::clock::now_ms;
use crate::domain::text::fold_case;
use crate::components::text::tr;
use crate::i18n::{self, Lang, Msg};
use crate::state::app_state::AppState;
use crate::state::owner_pin::{self, Unlock};
use crate::state::settings_store;

/// Shows `children` only to the owner: at once when no PIN is set, else
/// after the PIN. Until then the children are not in the page at all.
#[component]
pub fn LockGate(
    /// What the lock says it guards.
    #[prop(default = Msg::SettingsLocked)]
    title: Msg,
    /// Whether "Reset this device" is offered (on the settings' lock).
    #[prop(default = true)]
    offer_reset: bool,
    children: ChildrenFn,
) -> impl IntoView {
    let state = AppState::expect();
    let access = state.owner_access();
    view! {
        <Show when=move || access.get() fallback=move || view! { <LockForm title offer_reset /> }>
            {children()}
        </Show>
    }
}

/// Turns a verdict into the words on the lock screen.
pub(crate) fn unlock_message(lang: Lang, outcome: &Unlock) -> Option<String> {
    match outcome {
        Unlock::Opened => None,
        Unlock::Wrong => Some(Msg::WrongPin.text(lang).into()),
        Unlock::LockedOut(s) => Some(i18n::too_many_pins(lang, *s)),
        Unlock::Failed(why) => Some(i18n::pin_failure(lang, why)),
    }
}

#[component]
fn LockForm(title: Msg, offer_reset: bool) -> impl IntoView {
    let state = AppState::expect();
    let lang = state.lang();
    let pin = RwSignal::new(String::new());
    let unlock = Action::new_local(move |typed: &String| {
        let typed = typed.clone();
        async move {
            let outcome = owner_pin::try_unlock(&typed, now_ms()).await;
            if outcome == Unlock::Opened {
                state.unlock();
            }
            outcome
        }
    });
    let message = Memo::new(move |_| unlock.value().with(|v| v.as_ref().and_then(|o| unlock_message(lang.get(), o))));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = pin.get_untracked();
        pin.set(String::new());
        unlock.dispatch_local(typed);
    };

    let shop_typed = RwSignal::new(String::new());
    let reset_error = RwSignal::new(None::<String>);
    let reset = move |_| {
        let shop = state.settings().with_untracked(|s| fold_case(s.shop_name.trim()));
        if fold_case(shop_typed.get_untracked().trim()) != shop {
            reset_error.set(Some(Msg::NotThisShop.text(lang.get_untracked()).into()));
            return;
        }
        // Settings and PIN go; the sales history stays. A fresh start
        // follows, as on a new tablet (config.json, then the owner saves).
        settings_store::forget_for_reset();
        owner_pin::forget();
        let _ = window().location().reload();
    };

    view! {
        <section class="lock-page">
            <form class="lock" on:submit=on_submit>
                <h2>{tr(lang, title)}</h2>
                <label>
                    {tr(lang, Msg::OwnerPin)}
                    <input type="password" inputmode="numeric" autocomplete="off" maxlength="8"
                        prop:value=move || pin.get()
                        on:input=move |ev| pin.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="primary" disabled=move || unlock.pending().get()>{tr(lang, Msg::Unlock)}</button>
                <p class="lock-message" role="alert">{move || message.get()}</p>
            </form>
            {offer_reset.then(|| view! { <details class="forgot">
                <summary>{tr(lang, Msg::ForgotPin)}</summary>
                <p class="hint">
                    {tr(lang, Msg::ResetWarning)}
                    {tr(lang, Msg::TypeShopName)}
                </p>
                <label>
                    {tr(lang, Msg::ShopNameToConfirm)}
                    <input type="text" autocomplete="off"
                        prop:value=move || shop_typed.get()
                        on:input=move |ev| shop_typed.set(event_target_value(&ev)) />
                </label>
                <button type="button" class="danger" on:click=reset>{tr(lang, Msg::ResetDevice)}</button>
                <p role="alert">{move || reset_error.get()}</p>
            </details> })}
        </section>
    }
}
