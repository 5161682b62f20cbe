//! The owner's lock: what the settings and the CSV export show until the
//! owner PIN is typed, and "Reset this device" for a forgotten PIN.

use leptos::prelude::*;

use crate::clock::now_ms;
use crate::state::app_state::AppState;
use crate::state::owner_pin::{self, Unlock};
use crate::state::settings_store;

/// Shows `children` only to the owner: at once when no PIN is set, else
/// after the PIN. Until then the children are not in the page at all.
#[component]
pub fn LockGate(
    /// What the lock says it guards.
    #[prop(default = "Settings are locked")]
    title: &'static str,
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
fn unlock_message(outcome: &Unlock) -> Option<String> {
    match outcome {
        Unlock::Opened => None,
        Unlock::Wrong => Some("Wrong PIN".into()),
        Unlock::LockedOut(s) => Some(format!(
            "Too many wrong PINs: try again in {s} s."
        )),
        Unlock::Failed(why) => Some(why.clone()),
    }
}

#[component]
fn LockForm(title: &'static str, offer_reset: bool) -> impl IntoView {
    let state = AppState::expect();
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
    let message = Memo::new(move |_| unlock.value().with(|v| v.as_ref().and_then(unlock_message)));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = pin.get_untracked();
        pin.set(String::new());
        unlock.dispatch_local(typed);
    };

    let shop_typed = RwSignal::new(String::new());
    let reset_error = RwSignal::new(None::<String>);
    let reset = move |_| {
        let shop = state.settings().with_untracked(|s| s.shop_name.trim().to_lowercase());
        if shop_typed.get_untracked().trim().to_lowercase() != shop {
            reset_error.set(Some("That is not this shop's name.".into()));
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
                <h2>{title}</h2>
                <label>
                    "Owner PIN"
                    <input type="password" inputmode="numeric" autocomplete="off" maxlength="8"
                        prop:value=move || pin.get()
                        on:input=move |ev| pin.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="primary" disabled=move || unlock.pending().get()>"Unlock"</button>
                <p class="lock-message" role="alert">{move || message.get()}</p>
            </form>
            {offer_reset.then(|| view! { <details class="forgot">
                <summary>"Forgot the PIN?"</summary>
                <p class="hint">
                    "Resetting erases the settings and the PIN on this tablet (the sales history stays). "
                    "Type the shop name to confirm."
                </p>
                <label>
                    "Shop name to confirm"
                    <input type="text" autocomplete="off"
                        prop:value=move || shop_typed.get()
                        on:input=move |ev| shop_typed.set(event_target_value(&ev)) />
                </label>
                <button type="button" class="danger" on:click=reset>"Reset this device"</button>
                <p role="alert">{move || reset_error.get()}</p>
            </details> })}
        </section>
    }
}
