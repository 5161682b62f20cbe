//! The owner's lock: what the settings, History's owner-only parts and the
//! CSV export show until the owner PIN is typed; the reset with the recovery
//! code (the only reset on the device); the recovery code shown once; and
//! the banner of a payee changed after a reset or a loss of the settings.

use leptos::prelude::*;

use crate::components::erased::{memo, signal, switch};
use crate::components::text::{tr, words, Words};
use crate::i18n::{self, Lang, Msg, Sec};
use crate::state::app_state::AppState;
use crate::state::owner_pin::{self, Unlock};
use crate::state::settings_store;

/// A fixed word of the owner's defences, following the language on screen
/// (the same rendering code as `tr`'s words).
fn sec(lang: ReadSignal<Lang>, m: Sec) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    words(lang, Words::Sec(m))
}

/// Shows `children` only to the owner: at once when no PIN is set, else
/// after the PIN. Until then the children are not in the page at all.
#[component]
pub fn LockGate(
    /// What the lock says it guards.
    #[prop(default = Msg::SettingsLocked)]
    title: Msg,
    /// Whether the reset with the recovery code is offered (the settings' lock).
    #[prop(default = true)]
    offer_reset: bool,
    /// The title as one of the defences' words, in place of `title`.
    #[prop(optional)]
    sec_title: Option<Sec>,
    children: ChildrenFn,
) -> impl IntoView {
    let state = AppState::expect();
    let access = state.owner_access();
    switch(
        move || access.get(),
        move || children(),
        move || view! { <LockForm title sec_title offer_reset /> }.into_any(),
    )
}

/// Turns a verdict into the words on the lock screen.
pub(crate) fn unlock_message(lang: Lang, outcome: &Unlock, wrong: &'static str) -> Option<String> {
    match outcome {
        Unlock::Opened => None,
        Unlock::Wrong => Some(wrong.into()),
        Unlock::LockedOut(s) => Some(i18n::too_many_pins(lang, *s)),
        Unlock::Failed(why) => Some(i18n::pin_failure(lang, why)),
    }
}

/// A PIN typed into a form and tried: `on_open` runs when it is the owner's;
/// `message` is the verdict in words; `submit` tries the typed PIN and
/// empties the field. The lock screen, the payee-change banner and Close the
/// day ask for the PIN this way.
#[derive(Clone, Copy)]
pub(crate) struct PinTry {
    pin: RwSignal<String>,
    action: Action<String, Unlock>,
    pub message: Memo<Option<String>>,
}

impl PinTry {
    pub(crate) fn new(lang: ReadSignal<Lang>, pin: RwSignal<String>, on_open: impl Fn() + Copy + 'static) -> Self {
        let action = Action::new_local(move |typed: &String| {
            let typed = typed.clone();
            async move {
                let outcome = owner_pin::try_unlock(&typed).await;
                if outcome == Unlock::Opened {
                    on_open();
                }
                outcome
            }
        });
        let message = memo(move || {
            action.value().with(|v| {
                let lang = lang.get();
                v.as_ref().and_then(|o| unlock_message(lang, o, Msg::WrongPin.text(lang)))
            })
        });
        PinTry { pin, action, message }
    }

    pub(crate) fn submit(self, ev: leptos::ev::SubmitEvent) {
        ev.prevent_default();
        let typed = self.pin.get_untracked();
        self.pin.set(String::new());
        self.action.dispatch_local(typed);
    }

    /// While the PIN is being checked (its button is off meanwhile).
    pub(crate) fn pending(self) -> bool {
        self.action.pending().get()
    }
}

#[component]
fn LockForm(title: Msg, sec_title: Option<Sec>, offer_reset: bool) -> impl IntoView {
    let state = AppState::expect();
    let lang = state.lang();
    let missing = state.pin_missing();
    let pin = signal(String::new());
    let unlock = PinTry::new(lang, pin, move || state.unlock());
    let message = unlock.message;
    let on_submit = move |ev| unlock.submit(ev);

    view! {
        <section class="lock-page">
            {move || if missing.get() {
                // No PIN to type: the recovery code is the way in.
                view! { <div class="lock"><h2>{sec(lang, Sec::PinMissing)}</h2></div> }.into_any()
            } else {
                view! {
                    <form class="lock" on:submit=on_submit>
                        <h2>{move || match sec_title {
                            Some(m) => m.text(lang.get()),
                            None => title.text(lang.get()),
                        }}</h2>
                        <label>
                            {tr(lang, Msg::OwnerPin)}
                            <input type="password" inputmode="numeric" autocomplete="off" maxlength="8"
                                prop:value=move || pin.get()
                                on:input=move |ev| pin.set(event_target_value(&ev)) />
                        </label>
                        <button type="submit" class="primary" disabled=move || unlock.pending()>{tr(lang, Msg::Unlock)}</button>
                        <p class="lock-message" role="alert">{move || message.get()}</p>
                    </form>
                }.into_any()
            }}
            {move || (offer_reset || missing.get()).then(|| view! { <RecoveryReset open=missing.get() /> })}
        </section>
    }
}

/// "Reset this device" with the recovery code, or why there is no reset here.
#[component]
fn RecoveryReset(open: bool) -> impl IntoView {
    let state = AppState::expect();
    let lang = state.lang();
    let code = signal(String::new());
    let reset = Action::new_local(move |typed: &String| {
        let typed = typed.clone();
        async move {
            let outcome = owner_pin::try_recovery(&typed).await;
            if outcome == Unlock::Opened {
                // Settings and PIN go; the sales history stays. A fresh start
                // follows, as on a new tablet (config.json, then the owner saves).
                settings_store::forget_for_reset();
                owner_pin::forget();
                let _ = window().location().reload();
            }
            outcome
        }
    });
    let message = memo(move || {
        reset.value().with(|v| {
            let lang = lang.get();
            v.as_ref().and_then(|o| unlock_message(lang, o, Sec::WrongRecoveryCode.text(lang)))
        })
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = code.get_untracked();
        code.set(String::new());
        reset.dispatch_local(typed);
    };
    view! {
        <details class="forgot" open=open>
            <summary>{tr(lang, Msg::ForgotPin)}</summary>
            {if owner_pin::has_recovery() {
                view! {
                    <form on:submit=on_submit>
                        <p class="hint">{sec(lang, Sec::ResetWithRecovery)}</p>
                        <label>
                            {sec(lang, Sec::RecoveryCode)}
                            <input type="text" autocomplete="off" autocapitalize="characters" spellcheck="false"
                                prop:value=move || code.get()
                                on:input=move |ev| code.set(event_target_value(&ev)) />
                        </label>
                        <button type="submit" class="danger" disabled=move || reset.pending().get()>{tr(lang, Msg::ResetDevice)}</button>
                        <p role="alert">{move || message.get()}</p>
                    </form>
                }.into_any()
            } else {
                view! { <p class="hint">{sec(lang, Sec::NoRecoveryOnDevice)}</p> }.into_any()
            }}
        </details>
    }
}

/// The recovery code of a PIN just set, shown once until written down.
#[component]
pub fn RecoveryCodeNotice() -> impl IntoView {
    let state = AppState::expect();
    let lang = state.lang();
    move || {
        state.recovery_code().get().map(|code| view! {
            <section class="banner recovery-code" role="alertdialog" aria-label=sec(lang, Sec::RecoveryCodeTitle)>
                <h3>{sec(lang, Sec::RecoveryCodeTitle)}</h3>
                <p><code class="recovery">{code}</code></p>
                <p class="hint">{sec(lang, Sec::RecoveryCodeHint)}</p>
                <button type="button" class="primary" on:click=move |_| state.show_recovery_code(None)>{sec(lang, Sec::WroteItDown)}</button>
            </section>
        })
    }
}

/// "The payee changed on {date}: payments now go to {fingerprint}", after
/// the settings were reset or lost and saved with another payee than the
/// last sales': it stays until the owner acknowledges it with the PIN.
#[component]
pub fn PayeeChangeBanner() -> impl IntoView {
    let state = AppState::expect();
    let lang = state.lang();
    let pin_set = state.pin_set();
    let pin = signal(String::new());
    let ack = PinTry::new(lang, pin, move || {
        settings_store::acknowledge_payee_change();
        state.refresh_payee_change();
    });
    let message = ack.message;
    let shop = memo(move || state.settings().with(|s| s.shop_name.clone()));
    move || {
        state.payee_change().get().map(|change| {
            view! {
                <form class="banner warn payee-changed" role="alert" on:submit=move |ev| ack.submit(ev)>
                    <strong>{move || change.words(lang.get(), &shop.get())}</strong>
                    {move || if pin_set.get() {
                        view! {
                            <label>{sec(lang, Sec::AcknowledgeWithPin)}
                                <input type="password" inputmode="numeric" autocomplete="off" maxlength="8"
                                    prop:value=move || pin.get() on:input=move |ev| pin.set(event_target_value(&ev)) />
                            </label>
                            <button type="submit" disabled=move || ack.pending()>{sec(lang, Sec::Acknowledge)}</button>
                            <span>{move || message.get()}</span>
                        }.into_any()
                    } else {
                        view! { <span class="hint">{sec(lang, Sec::SetPinToAcknowledge)}</span> }.into_any()
                    }}
                </form>
            }
        })
    }
}
