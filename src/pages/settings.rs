//! The owner's settings: where the money goes and how prices are quoted.
//! Lists come from MixPay and are cached so the screen works offline. The
//! form's rules live in `domain::settings::SettingsForm`.

use leptos::prelude::*;

use crate::components::text::tr;

use crate::api::MixPayClient;
use crate::domain::clock_offset;
use crate::domain::pin::check_new_pin;
use crate::domain::settings::{
    parse_payee, PayeeInput, PaymentMode, SettingsForm, AUTO_RETURN_CHOICES,
    AUTO_RETURN_DEFAULT_SECONDS, MAX_EXPIRY_MINUTES,
};
use crate::i18n::{self, Lang, Msg, Sec};
use crate::pages::printer_settings::PrinterSettings;
use crate::pages::products_settings::ProductsSettings;
use crate::state::owner_pin;
use crate::state::app_state::AppState;
use crate::state::problems::Problem;
use crate::state::settings_store::{self, AssetLists};

/// Refreshes MixPay's lists; the cached ones stay on screen if this fails.
async fn load_lists(state: AppState, api_base: String) -> Result<(), String> {
    let client = MixPayClient::new(&api_base);
    let payee = state.settings().with_untracked(|s| s.payee_id.clone());
    let fetched = async {
        Ok::<_, crate::api::ApiError>((
            client.quote_assets(&payee).await?,
            client.settlement_assets(&payee).await?,
        ))
    };
    match fetched.await {
        Ok((quote, settlement)) => {
            let fresh = AssetLists { quote, settlement };
            if let Err(e) = settings_store::save_asset_lists(&fresh) {
                state.report(Problem::Storage(e));
            }
            Ok(())
        }
        Err(e) => Err(i18n::lists_failed(i18n::current(), &e.to_string())),
    }
}

/// A save as the owner asked for it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct SaveRequest {
    form: SettingsForm,
    new_pin: String,
    confirm_pin: String,
    /// The PIN typed again for a change of payee or PIN.
    current_pin: String,
    /// The owner saw the old and new payee side by side and confirmed.
    payee_confirmed: bool,
}

/// What came of pressing Save.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Saved {
    Done,
    /// The payee would change: shown side by side, saved only once confirmed.
    ConfirmPayee {
        old: String,
        new: String,
        /// The Mixin ID number the owner typed, when it was one.
        mixin_id: Option<String>,
    },
}

/// Turns the form into settings (looking a Mixin ID number up first) and
/// saves them, or returns the problems to show.
async fn save(state: AppState, request: SaveRequest) -> Result<Saved, Vec<String>> {
    let SaveRequest {
        mut form,
        new_pin,
        confirm_pin,
        current_pin,
        payee_confirmed,
    } = request;
    let lang = i18n::current();
    let locks = state.locks().get_untracked();
    let wants_pin = !new_pin.is_empty() || !confirm_pin.is_empty();
    if wants_pin {
        if locks.pin {
            return Err(vec![Sec::PinFromConfig.text(lang).into()]);
        }
        check_new_pin(&new_pin, &confirm_pin).map_err(|e| vec![e.to_string()])?;
    }
    let pinned = crate::api::client::pinned();
    let mut mixin_id = None;
    if let PayeeInput::MixinId(number) = parse_payee(&form.payee) {
        // Looked up at MixPay only: a changed API base is refused first.
        let api_base = pinned
            .check(crate::domain::origins::BaseKind::Api, &form.api_base)
            .map_err(|e| vec![i18n::origin_problem(lang, &e)])?;
        let client = MixPayClient::new(&api_base);
        match client.mixin_uuid(&number).await {
            Ok(id) => form.payee = id,
            Err(e) => {
                return Err(vec![i18n::mixin_lookup_failed(lang, &number, &e.to_string())])
            }
        }
        mixin_id = Some(number);
    }
    let lists = settings_store::load_asset_lists();
    let (saved_quote, old_payee, old_mode) = state
        .settings()
        .with_untracked(|s| (s.quote.clone(), s.payee_id.clone(), s.mode));
    let settings = form
        .to_settings(&lists.quote, &lists.settlement, &saved_quote, &pinned)
        .map_err(|problems| problems.iter().map(ToString::to_string).collect::<Vec<_>>())?;
    if locks.payee_id.as_ref().is_some_and(|id| *id != settings.payee_id) {
        return Err(vec![Sec::PayeeLocked.text(lang).into()]);
    }
    // A configured tablet never changes payee silently, nor without the PIN.
    let first_save = !state.settings_saved().get_untracked();
    let had_payee = !first_save && !old_payee.is_empty();
    let payee_changes = had_payee && settings.payee_id != old_payee;
    // Pay-link mode is MixPay's "only for testing": the payer can edit the
    // link, its amount included, so switching to it is the owner's call too.
    let to_pay_link = settings.mode == PaymentMode::PayLink && old_mode != PaymentMode::PayLink;
    if state.pin_set().get_untracked() && !first_save && (wants_pin || payee_changes || to_pay_link) {
        if current_pin.is_empty() {
            let mut why = vec![];
            if to_pay_link {
                why.push(Msg::PayLinkNeedsPin.text(lang).into());
                why.push(Msg::PinWhyPayLink.text(lang).into());
            }
            if wants_pin || payee_changes {
                why.push(Sec::CurrentPinNeeded.text(lang).into());
            }
            return Err(why);
        }
        match owner_pin::try_unlock(&current_pin).await {
            owner_pin::Unlock::Opened => {}
            owner_pin::Unlock::Wrong => {
                return Err(vec![format!("{} {}", Sec::CurrentOwnerPin.text(lang), Msg::WrongPin.text(lang))])
            }
            owner_pin::Unlock::LockedOut(s) => return Err(vec![i18n::too_many_pins(lang, s)]),
            owner_pin::Unlock::Failed(why) => return Err(vec![why.to_string()]),
        }
    }
    if payee_changes && !payee_confirmed {
        return Ok(Saved::ConfirmPayee {
            old: old_payee,
            new: settings.payee_id,
            mixin_id,
        });
    }
    if first_save {
        note_payee_after_loss(state, &settings.payee_id).await;
    }
    if wants_pin {
        let code = owner_pin::set_pin(&new_pin).await.map_err(|e| vec![e.to_string()])?;
        state.refresh_pin();
        state.show_recovery_code(Some(code));
    }
    state.save_settings(settings);
    Ok(Saved::Done)
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let state = AppState::expect();
    let lang = state.lang();
    let t = move |m: Msg| m.text(lang.get());
    let start = state.settings().get_untracked();
    let form = RwSignal::new(SettingsForm::from_settings(&start));
    let field = move |f: fn(&mut SettingsForm, String)| {
        move |ev: leptos::ev::Event| form.update(|form| f(form, event_target_value(&ev)))
    };

    let lists = RwSignal::new(settings_store::load_asset_lists());
    let load = Action::new_local(move |api_base: &String| {
        let api_base = api_base.clone();
        async move {
            let outcome = load_lists(state, api_base).await;
            lists.set(settings_store::load_asset_lists());
            outcome
        }
    });
    let loading = StoredValue::new_local(load.dispatch_local(start.api_base.clone()));
    let lists_note = Memo::new(move |_| {
        if load.pending().get() {
            Some(t(Msg::LoadingLists).to_string())
        } else {
            load.value().get().and_then(Result::err)
        }
    });

    let new_pin = RwSignal::new(String::new());
    let confirm_pin = RwSignal::new(String::new());
    let current_pin = RwSignal::new(String::new());
    let pin_set = state.pin_set();
    let locks = state.locks();
    let saving = Action::new_local(move |request: &SaveRequest| save(state, request.clone()));
    let confirming = Memo::new(move |_| match saving.value().get() {
        Some(Ok(Saved::ConfirmPayee { old, new, mixin_id })) => Some((old, new, mixin_id)),
        _ => None,
    });
    let shop_name = Memo::new(move |_| state.settings().with(|s| s.shop_name.clone()));
    let request = move |payee_confirmed: bool| SaveRequest {
        form: form.get_untracked(),
        new_pin: new_pin.get_untracked(),
        confirm_pin: confirm_pin.get_untracked(),
        current_pin: current_pin.get_untracked(),
        payee_confirmed,
    };
    let in_flight = StoredValue::new_local(None::<ActionAbortHandle>);
    let errors = Memo::new(move |_| {
        saving
            .value()
            .get()
            .and_then(Result::err)
            .unwrap_or_default()
    });
    let quote_options = Memo::new(move |_| {
        let mut options = lists.with(|l| l.quote.clone());
        if !options
            .iter()
            .any(|q| q.asset_id.eq_ignore_ascii_case(&start.quote.asset_id))
        {
            options.insert(0, start.quote.clone());
        }
        options
    });
    let settlement_options = Memo::new(move |_| lists.with(|l| l.settlement.clone()));
    let quote_hint = Memo::new(move |_| {
        let id = form.with(|f| f.quote_id.clone());
        quote_options.with(|o| {
            o.iter()
                .find(|q| q.asset_id.eq_ignore_ascii_case(&id))
                .map(|q| {
                    let limits = match (&q.min, &q.max) {
                        (Some(min), Some(max)) => Some((
                            min.format_fixed(q.decimal_digit),
                            max.format_fixed(q.decimal_digit),
                        )),
                        _ => None,
                    };
                    i18n::quote_hint(lang.get(), q.decimal_digit, limits)
                })
        })
    });
    // The asset chosen in the form, as MixPay's list has it: its icon beside
    // the select, its symbol in the strict-mode box.
    let chosen_settlement = Memo::new(move |_| {
        let id = form.with(|f| f.settlement_id.clone());
        settlement_options.with(|o| {
            o.iter()
                .find(|s| s.asset_id.eq_ignore_ascii_case(&id))
                .cloned()
        })
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        in_flight.set_value(Some(saving.dispatch_local(request(false))));
    };
    let confirm_payee = move |_| {
        in_flight.set_value(Some(saving.dispatch_local(request(true))));
    };
    let keep_old_payee = move |_| {
        let old = confirming.get_untracked().map(|(old, _, _)| old).unwrap_or_default();
        form.update(|f| f.payee = old);
        // Clears the question: the form is back to the saved payee.
        saving.value().set(None);
    };

    let saved_payee = Memo::new(move |_| state.settings().with(|s| s.payee_id.clone()));

    view! {
        <form class="settings-page" on:submit=on_submit novalidate>
            <h2>{tr(lang, Msg::Settings)}</h2>
            <p class="lists-note" aria-live="polite">{move || lists_note.get()}</p>
            {move || clock_offset::warning(lang.get(), state.clock_offset().get()).map(|w| view! { <p class="clock-warning" role="note">{w}</p> })}

            <fieldset class="group">
                <legend>{tr(lang, Msg::GroupShop)}</legend>
                <label>
                    {tr(lang, Msg::ShopName)}
                    <input type="text" maxlength="40" prop:value=move || form.with(|f| f.shop_name.clone())
                        on:input=field(|f, v| f.shop_name = v) />
                </label>
                <label>
                    {tr(lang, Msg::QuoteCurrency)}
                    <select on:change=field(|f, v| f.quote_id = v)>
                        {move || quote_options.get().into_iter().map(|q| {
                            let selected = form.with_untracked(|f| q.asset_id.eq_ignore_ascii_case(&f.quote_id));
                            view! { <option value=q.asset_id.clone() selected=selected>{q.symbol.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <p class="hint">{move || quote_hint.get()}</p>
                <label>
                    {tr(lang, Msg::Language)}
                    // Switches at once and is remembered on this device.
                    <select class="language" on:change=move |ev| {
                        if let Some(l) = Lang::from_tag(&event_target_value(&ev)) {
                            state.set_lang(l, true);
                        }
                    }>
                        {Lang::ALL.into_iter().map(|l| view! {
                            <option value=l.tag() selected=move || lang.get() == l>{l.native_name()}</option>
                        }).collect_view()}
                    </select>
                </label>
            </fieldset>

            <fieldset class="group">
                <legend>{tr(lang, Msg::GroupGettingPaid)}</legend>
                <label>
                    {tr(lang, Msg::Payee)}
                    <input type="text" autocomplete="off" spellcheck="false" aria-describedby="account-hint"
                        readonly=move || locks.with(|l| l.payee_id.is_some())
                        prop:value=move || form.with(|f| f.payee.clone())
                        on:input=field(|f, v| f.payee = v)
                        placeholder=tr(lang, Msg::PayeePlaceholder) />
                </label>
                <p class="hint" id="account-hint">{tr(lang, Msg::AccountHint)}</p>
                {move || locks.with(|l| l.payee_id.is_some()).then(|| view! { <p class="hint">{move || Sec::PayeeLocked.text(lang.get())}</p> })}
                // The account saved now, short, as the sale screen shows it.
                {move || (!saved_payee.get().is_empty()).then(|| view! {
                    <p class="hint"><strong>{i18n::payments_go(lang.get(), &saved_payee.get(), &shop_name.get())}</strong></p>
                })}
                <label>
                    {tr(lang, Msg::SettlementAsset)}
                    <span class="with-icon">
                        {move || chosen_settlement.with(|s| s.as_ref().map(|s| s.icon_url.clone())).filter(|u| !u.is_empty()).map(|src| view! { <img class="asset-icon" src=src alt="" width="28" height="28" /> })}
                        <select on:change=field(|f, v| f.settlement_id = v)>
                            <option value="" selected=move || form.with(|f| f.settlement_id.is_empty())>{tr(lang, Msg::Choose)}</option>
                            {move || settlement_options.get().into_iter().map(|s| {
                                let selected = form.with_untracked(|f| s.asset_id.eq_ignore_ascii_case(&f.settlement_id));
                                let text = if s.name.is_empty() { s.symbol.clone() } else { format!("{} — {}", s.symbol, s.name) };
                                view! { <option value=s.asset_id.clone() selected=selected>{text}</option> }
                            }).collect_view()}
                        </select>
                    </span>
                </label>
                <label class="checkbox">
                    <input type="checkbox" prop:checked=move || form.with(|f| f.strict)
                        on:change=move |ev| form.update(|f| f.strict = event_target_checked(&ev)) />
                    {move || chosen_settlement.with(|s| i18n::strict_words(lang.get(), s.as_ref().map_or("", |s| s.symbol.as_str())))}
                </label>
                <label>
                    {tr(lang, Msg::PaymentMode)}
                    <select on:change=field(|f, v| f.mode = PaymentMode::from_value(&v))>
                        <option value=PaymentMode::OneTime.value() selected=move || form.with(|f| f.mode == PaymentMode::OneTime)>{tr(lang, Msg::OneTimeMode)}</option>
                        <option value=PaymentMode::PayLink.value() selected=move || form.with(|f| f.mode == PaymentMode::PayLink)>{tr(lang, Msg::PayLinkMode)}</option>
                    </select>
                </label>
                <label>
                    {tr(lang, Msg::ExpiryMinutes)}
                    <input type="number" min="1" max=MAX_EXPIRY_MINUTES inputmode="numeric"
                        prop:value=move || form.with(|f| f.expiry_minutes.clone()) on:input=field(|f, v| f.expiry_minutes = v) />
                </label>
                // "Shop QR code": a poster of the saved settings' open-amount link.
                {crate::pages::poster::shop_qr_button()}
                // "Set up another tablet": these settings and products by one scan.
                {crate::pages::setup_tablet::setup_tablet_button()}
            </fieldset>

            <fieldset class="group counter-options">
                <legend>{tr(lang, Msg::AtTheCounter)}</legend>
                <label class="checkbox">
                    <input type="checkbox" prop:checked=move || form.with(|f| f.tips_enabled)
                        on:change=move |ev| form.update(|f| f.tips_enabled = event_target_checked(&ev)) />
                    {tr(lang, Msg::AskForTip)}
                </label>
                <label>
                    {tr(lang, Msg::TipPercentages)}
                    <input type="text" inputmode="numeric" autocomplete="off"
                        prop:value=move || form.with(|f| f.tip_percents.clone())
                        on:input=field(|f, v| f.tip_percents = v) />
                </label>
                <label class="checkbox">
                    <input type="checkbox" prop:checked=move || form.with(|f| f.sounds)
                        on:change=move |ev| form.update(|f| f.sounds = event_target_checked(&ev)) />
                    {tr(lang, Msg::Sounds)}
                </label>
                <label>
                    {tr(lang, Msg::AutoReturn)}
                    <select on:change=field(|f, v| f.auto_return_seconds = v.parse().unwrap_or(AUTO_RETURN_DEFAULT_SECONDS))>
                        {AUTO_RETURN_CHOICES.into_iter().map(|n| view! {
                            <option value=n.to_string() selected=move || form.with(|f| f.auto_return_seconds == n)>{move || i18n::auto_return_label(lang.get(), n)}</option>
                        }).collect_view()}
                    </select>
                </label>
            </fieldset>

            // "Printer": the paper and printing without the dialog (its own file).
            <PrinterSettings form=form />

            <fieldset class="group owner-pin">
                <legend>{tr(lang, Msg::GroupSafety)}</legend>
                <p class="hint">{move || if pin_set.get() {
                    t(Msg::PinGuards)
                } else {
                    t(Msg::PinRule)
                }}</p>
                {move || locks.with(|l| l.pin).then(|| view! { <p class="hint">{move || Sec::PinFromConfig.text(lang.get())}</p> })}
                {move || pin_set.get().then(|| view! {
                    <label>
                        {move || Sec::CurrentOwnerPin.text(lang.get())}
                        <input type="password" inputmode="numeric" autocomplete="current-password" maxlength="8"
                            prop:value=move || current_pin.get() on:input=move |ev| current_pin.set(event_target_value(&ev)) />
                    </label>
                    <p class="hint">{move || Sec::CurrentPinNeeded.text(lang.get())}</p>
                })}
                <label>
                    {tr(lang, Msg::NewOwnerPin)}
                    <input type="password" inputmode="numeric" autocomplete="new-password" maxlength="8"
                        prop:value=move || new_pin.get() on:input=move |ev| new_pin.set(event_target_value(&ev)) />
                </label>
                <label>
                    {tr(lang, Msg::ConfirmOwnerPin)}
                    <input type="password" inputmode="numeric" autocomplete="new-password" maxlength="8"
                        prop:value=move || confirm_pin.get() on:input=move |ev| confirm_pin.set(event_target_value(&ev)) />
                </label>
            </fieldset>

            // Collapsed: addresses only a technician changes.
            <details class="advanced">
                <summary>{tr(lang, Msg::Advanced)}</summary>
                <label>
                    {tr(lang, Msg::ApiBase)}
                    <input type="url" prop:value=move || form.with(|f| f.api_base.clone()) on:input=field(|f, v| f.api_base = v) />
                </label>
                <label>
                    {tr(lang, Msg::PayPageBase)}
                    <input type="url" prop:value=move || form.with(|f| f.pay_base.clone()) on:input=field(|f, v| f.pay_base = v) />
                </label>
                <button type="button" on:click=move |_| loading.set_value(load.dispatch_local(form.with_untracked(|f| f.api_base.clone())))>{tr(lang, Msg::ReloadLists)}</button>
            </details>

            {move || confirming.get().map(|(old, new, mixin_id)| view! {
                <section class="payee-change" role="alertdialog" aria-label=tr(lang, Msg::ConfirmTheNewPayee)>
                    <h3>{tr(lang, Msg::PayeeChanges)}</h3>
                    <div class="side-by-side">
                        <div class="old-payee">
                            <h4>{tr(lang, Msg::OldPayee)}</h4>
                            <p><code>{old.clone()}</code></p>
                            <p>{i18n::payee_fingerprint(lang.get_untracked(), &old, &shop_name.get_untracked())}</p>
                        </div>
                        <div class="new-payee">
                            <h4>{tr(lang, Msg::NewPayee)}</h4>
                            <p><code>{new.clone()}</code></p>
                            {mixin_id.map(|n| view! { <p>{tr(lang, Msg::MixinId)} {n}</p> })}
                            <p>{i18n::payee_fingerprint(lang.get_untracked(), &new, "")}</p>
                        </div>
                    </div>
                    <button type="button" class="primary" on:click=confirm_payee>{tr(lang, Msg::ConfirmNewPayee)}</button>
                    <button type="button" on:click=keep_old_payee>{tr(lang, Msg::KeepOldPayee)}</button>
                </section>
            })}

            {move || (!errors.get().is_empty()).then(|| view! {
                <ul class="errors" role="alert">
                    {errors.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
                </ul>
            })}

            // Stays at the bottom of the screen while the form scrolls.
            <div class="save-bar">
                <button type="submit" class="primary save" disabled=move || saving.pending().get()>{tr(lang, Msg::Save)}</button>
            </div>
        </form>
        <ProductsSettings />
    }
}

/// After a reset or a loss of the settings (Settings' first save, or a
/// set-up link on a tablet without settings): the first payee saved is
/// compared with the last sales', and another one is said until the owner
/// acknowledges it with the PIN.
pub(crate) async fn note_payee_after_loss(state: AppState, payee_id: &str) {
    let query = crate::state::sale_history_db::Query::default();
    if let Ok((last, _, _)) = crate::state::sale_history_db::page(&query, None, 1, true).await {
        if last.first().is_some_and(|s| !s.params.payee_id.eq_ignore_ascii_case(payee_id)) {
            let change = settings_store::PayeeChange {
                at_ms: crate::clock::now_ms(),
                payee_id: payee_id.to_string(),
            };
            if let Err(e) = settings_store::record_payee_change(&change) {
                state.report(Problem::Storage(e));
            }
            state.refresh_payee_change();
        }
    }
}
