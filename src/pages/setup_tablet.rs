//! "Set up another tablet" (issue 27, part 2): in Settings, behind the
//! owner's lock, a QR code and a copyable link that carry this tablet's shop
//! settings and products, signed with the owner PIN; and the screen a new
//! tablet shows when it is opened with such a link. Both are in the Settings
//! part only (with their words, `i18n::setup`, and their styles, a sheet
//! adopted while they are open). The format and its rules are
//! `domain::setup_link`; the browser's side is `state::setup_link`.

use leptos::prelude::*;

use crate::components::erased::shown;
use crate::components::print_sheet::AdoptedSheet;
use crate::components::qr::QrCode;
use crate::domain::product_import;
use crate::domain::setup_link::{fits_qr, SetupPayload, SetupProblem, MAX_QR_LINK_CHARS};
use crate::i18n::{self, Msg, Sec};
use crate::state::app_state::{AppState, Screen};
use crate::state::owner_pin::{self, Unlock};
use crate::state::products::Products;
use crate::state::settings_store::{self, StoredSettings};
use crate::state::{order_numbers, setup_link};

const SETUP_CSS: &str = "\
.setup-dialog, .setup-open { background: var(--card); color: var(--fg); padding: 1rem 1.5rem; border-radius: 12px; width: min(40rem, 100%); display: flex; flex-direction: column; gap: 0.75rem; }
.setup-dialog h2, .setup-open h2, .setup-dialog p, .setup-open p { margin: 0; }
.setup-qr { width: min(30rem, 100%, 70vh); align-self: center; background: #fff; }
.setup-link { width: 100%; font-family: ui-monospace, monospace; font-size: 0.8rem; min-height: 5rem; overflow-wrap: anywhere; }
.setup-payee { font-size: 2rem; font-weight: 700; line-height: 1.2; overflow-wrap: anywhere; }
.setup-open dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0; }
.setup-open dt { font-weight: 600; }
.setup-open dd { margin: 0; overflow-wrap: anywhere; }
.setup-actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
.setup-open form, .setup-pin { display: flex; flex-direction: column; align-items: flex-start; gap: 0.5rem; }
.setup-open label:not(.checkbox), .setup-pin label { display: flex; flex-direction: column; gap: 0.25rem; }";

fn adopt_styles() {
    let sheet = StoredValue::new_local(AdoptedSheet::adopt(SETUP_CSS));
    on_cleanup(move || sheet.set_value(None));
}

/// The link made: the link itself, how many products it carries, and, when
/// the catalogue made it too long for a QR code, that link's length.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Made {
    link: String,
    products: usize,
    too_long: Option<usize>,
}

/// The link of the saved settings and the catalogue, or of the settings
/// alone when the catalogue makes it too long for a QR code.
async fn make_link(state: AppState, products: Products, pin: String) -> Result<Made, String> {
    let lang = i18n::current();
    match owner_pin::try_unlock(&pin).await {
        Unlock::Opened => {}
        Unlock::Wrong => return Err(Msg::WrongPin.text(lang).into()),
        Unlock::LockedOut(s) => return Err(i18n::too_many_pins(lang, s)),
        Unlock::Failed(why) => return Err(why.to_string()),
    }
    let settings = state.settings().get_untracked();
    let catalogue = products.catalogue().get_untracked();
    let count = catalogue.products.len();
    let with = SetupPayload { settings: settings.clone(), catalogue: (count > 0).then_some(catalogue) };
    let link = setup_link::make(&pin, &with).await.map_err(|e| e.to_string())?;
    if fits_qr(&link) {
        return Ok(Made { link, products: count, too_long: None });
    }
    let without = SetupPayload { settings, catalogue: None };
    let short = setup_link::make(&pin, &without).await.map_err(|e| e.to_string())?;
    Ok(Made { link: short, products: count, too_long: Some(link.len()) })
}

/// The dialog: the PIN that signs, then the QR code and the link.
#[component]
fn SetupTabletDialog(on_close: Callback<()>) -> impl IntoView {
    let state = AppState::expect();
    let products = Products::expect();
    let lang = state.lang();
    adopt_styles();
    let pin = RwSignal::new(String::new());
    let copied = RwSignal::new(None::<String>);
    let making = Action::new_local(move |pin: &String| make_link(state, products, pin.clone()));
    let export = move |_| {
        let text = products.catalogue().with_untracked(product_import::to_json);
        let lang = lang.get_untracked();
        copied.set(Some(match crate::pages::history::download("mixpay-products.json", &text) {
            Ok(()) => i18n::exported_to(lang, "mixpay-products.json"),
            Err(_) => i18n::export_failed(lang),
        }));
    };
    let copy = move |link: String| {
        leptos::task::spawn_local(async move {
            let clipboard = window().navigator().clipboard();
            let done = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&link)).await.is_ok();
            let lang = lang.get_untracked();
            copied.set(Some(if done { i18n::link_copied(lang) } else { i18n::copy_failed(lang) }.to_string()));
        });
    };
    let body = move || {
        let lang = lang.get();
        if !state.pin_set().get() {
            return view! { <p role="alert">{i18n::set_pin_first(lang)}</p> }.into_any();
        }
        if !state.settings_saved().get() {
            return view! { <p role="alert">{i18n::save_settings_first(lang)}</p> }.into_any();
        }
        match making.value().get() {
            Some(Ok(made)) => {
                let link = made.link.clone();
                view! {
                    {made.too_long.map(|chars| view! {
                        <div role="alert">
                            <p>{i18n::too_long_for_qr(lang, chars, MAX_QR_LINK_CHARS, made.products)}</p>
                            <button type="button" on:click=export>{Msg::ExportJson.text(lang)}</button>
                        </div>
                    })}
                    <div class="setup-qr">
                        <QrCode link=made.link.clone() label=i18n::setup_qr_label(lang).to_string() />
                    </div>
                    <label>
                        {i18n::setup_link_label(lang)}
                        <textarea class="setup-link" readonly=true spellcheck="false" prop:value=made.link.clone()></textarea>
                    </label>
                    <p>{if made.too_long.is_some() { i18n::link_carries(lang, 0) } else { i18n::link_carries(lang, made.products) }}</p>
                    <p class="hint">{i18n::link_is_secret(lang)}</p>
                    <div class="setup-actions">
                        <button type="button" class="primary" on:click=move |_| copy(link.clone())>{i18n::copy_link(lang)}</button>
                    </div>
                    <p class="hint" role="status">{move || copied.get()}</p>
                }
                .into_any()
            }
            outcome => {
                let error = outcome.and_then(Result::err);
                view! {
                    <form class="setup-pin" on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        making.dispatch_local(pin.get_untracked());
                    }>
                        <label>
                            {i18n::pin_to_sign(lang)}
                            <input type="password" inputmode="numeric" autocomplete="current-password" maxlength="8"
                                prop:value=move || pin.get() on:input=move |ev| pin.set(event_target_value(&ev)) />
                        </label>
                        {error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
                        <button type="submit" class="primary" disabled=move || making.pending().get()>{i18n::make_the_link(lang)}</button>
                    </form>
                }
                .into_any()
            }
        }
    };
    view! {
        <div class="receipt-overlay" role="dialog" aria-modal="true" aria-label=move || i18n::set_up_another_tablet(lang.get())>
            <div class="setup-dialog">
                <h2>{move || i18n::set_up_another_tablet(lang.get())}</h2>
                <p>{move || i18n::setup_intro(lang.get())}</p>
                {body}
                <div class="setup-actions">
                    <button type="button" on:click=move |_| on_close.run(())>{move || Msg::Close.text(lang.get())}</button>
                </div>
            </div>
        </div>
    }
}

/// Settings' "Set up another tablet" button and its dialog, as one erased view.
#[inline(never)]
pub fn setup_tablet_button() -> AnyView {
    let lang = AppState::expect().lang();
    let open = RwSignal::new(false);
    view! {
        <button type="button" class="setup-tablet" aria-haspopup="dialog" on:click=move |_| open.set(true)>
            {move || i18n::set_up_another_tablet(lang.get())}
        </button>
        {shown(move || open.get(), move || view! { <SetupTabletDialog on_close=Callback::new(move |_| open.set(false)) /> }.into_any())}
    }
    .into_any()
}

/// Why "Use these settings" changed nothing.
fn refusal(lang: i18n::Lang, problem: Result<SetupProblem, crate::domain::pin::PinFailure>) -> String {
    match problem {
        Ok(p) => i18n::setup_problem(lang, &p),
        Err(why) => i18n::pin_failure(lang, &why),
    }
}

/// Checks the PINs and the link, then saves its settings and products and
/// gives this tablet its own device id. Nothing changes on any refusal.
async fn use_link(state: AppState, products: Products, opened: setup_link::Opened, first_pin: String, this_pin: String, replace: bool) -> Result<String, String> {
    let lang = i18n::current();
    let has_settings = matches!(settings_store::load(), StoredSettings::Ok(_));
    if has_settings && !replace {
        return Err(i18n::tick_replace_first(lang).into());
    }
    // This tablet's PIN whenever it has one, settings or not: its settings
    // may be missing or unreadable while its PIN still guards the payee.
    if state.pin_set().get_untracked() {
        match owner_pin::try_unlock(&this_pin).await {
            Unlock::Opened => {}
            Unlock::Wrong => return Err(i18n::wrong_this_tablet_pin(lang).into()),
            Unlock::LockedOut(s) => return Err(i18n::too_many_pins(lang, s)),
            Unlock::Failed(why) => return Err(why.to_string()),
        }
    }
    setup_link::verify(&opened, &first_pin).await.map_err(|p| refusal(lang, p))?;
    let settings = opened.payload.settings;
    if state.locks().with_untracked(|l| l.payee_id.as_ref().is_some_and(|id| *id != settings.payee_id)) {
        return Err(Sec::PayeeLocked.text(lang).into());
    }
    if let Err(errors) = settings.check_origins(&crate::api::client::pinned()) {
        return Err(errors.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "));
    }
    // Saved and used as Settings' Save does, the screen staying to say the
    // tablet's own order-number prefix. The settings first: if they cannot
    // be saved (storage full), nothing else has changed.
    if let Err(e) = settings_store::save(&settings) {
        return Err(e.to_string());
    }
    if !has_settings {
        crate::pages::settings::note_payee_after_loss(state, &settings.payee_id).await;
    }
    state.use_saved_settings(settings);
    let prefix = order_numbers::ensure();
    // The cart of another currency is dropped by the keypad itself
    // (`Products::cart_for`): a call here would take it out of line in the
    // first load (+182 B of code).
    if let Some(catalogue) = opened.payload.catalogue {
        products.replace(catalogue);
    }
    settings_store::ask_persistent_storage();
    Ok(prefix)
}

/// The payee's fingerprint in the language on screen, without the "to "
/// (付给) that the sentence above it already says. Through
/// `i18n::payee_fingerprint`, as Settings: a call of `domain::payee`'s own
/// from here would take it out of line in the first load (+45 B gzip).
fn payee_in_large(lang: i18n::Lang, payee_id: &str, name: &str) -> String {
    let fp = i18n::payee_fingerprint(lang, payee_id, name);
    match fp.split_once(' ') {
        Some((to, rest)) if to == "to" || to == "付给" => rest.to_string(),
        _ => fp,
    }
}

/// The screen a set-up link opens: what it sets, whom it pays in large
/// type, the first tablet's PIN, and "Use these settings".
#[component]
fn SetupOpen(text: String, on_done: Callback<()>) -> impl IntoView {
    let state = AppState::expect();
    let products = Products::expect();
    let lang = state.lang();
    adopt_styles();
    let opened = RwSignal::new(None::<Result<setup_link::Opened, SetupProblem>>);
    leptos::task::spawn_local(async move { opened.set(Some(setup_link::open(&text).await)) });
    let has_settings = matches!(settings_store::load(), StoredSettings::Ok(_));
    let first_pin = RwSignal::new(String::new());
    let this_pin = RwSignal::new(String::new());
    let replace = RwSignal::new(false);
    let using = Action::new_local(move |link: &setup_link::Opened| {
        use_link(state, products, link.clone(), first_pin.get_untracked(), this_pin.get_untracked(), replace.get_untracked())
    });
    let body = move || {
        let lang = lang.get();
        match opened.get() {
            None => view! { <p>{Msg::Starting.text(lang)}</p> }.into_any(),
            Some(Err(problem)) => view! {
                <p class="error" role="alert">{i18n::setup_problem(lang, &problem)}</p>
            }
            .into_any(),
            Some(Ok(link)) => {
                let s = link.payload.settings.clone();
                let count = link.payload.catalogue.as_ref().map(|c| c.products.len());
                let settlement = s.settlement.as_ref().map(|a| a.symbol.clone()).unwrap_or_default();
                let mode = if s.mode == crate::domain::settings::PaymentMode::PayLink { Msg::PayLinkMode } else { Msg::OneTimeMode };
                if let Some(Ok(prefix)) = using.value().get() {
                    return view! { <p role="status">{i18n::set_up_done(lang, &prefix)}</p> }.into_any();
                }
                let error = using.value().get().and_then(Result::err);
                view! {
                    <p>{i18n::payments_will_go(lang)}</p>
                    // Under "Payments will go to": the fingerprint without its "to ".
                    <p class="setup-payee">{payee_in_large(lang, &s.payee_id, &s.shop_name)}</p>
                    <p>{i18n::setup_will_set(lang)}</p>
                    <dl>
                        <dt>{Msg::ShopName.text(lang)}</dt><dd>{s.shop_name.clone()}</dd>
                        <dt>{Msg::QuoteCurrency.text(lang)}</dt><dd>{s.quote.symbol.clone()}</dd>
                        <dt>{Msg::SettlementAsset.text(lang)}</dt><dd>{settlement}</dd>
                        <dt>{Msg::PaymentMode.text(lang)}</dt><dd>{mode.text(lang)}</dd>
                    </dl>
                    <p>{match count { Some(n) => i18n::products_in_link(lang, n), None => i18n::no_products_in_link(lang).into() }}</p>
                    <form class="setup-use" on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        using.dispatch_local(link.clone());
                    }>
                        {has_settings.then(|| view! {
                            <p class="banner warn" role="note">{i18n::replaces_settings(lang)}</p>
                            <label class="checkbox">
                                <input type="checkbox" prop:checked=move || replace.get() on:change=move |ev| replace.set(event_target_checked(&ev)) />
                                {i18n::replace_them(lang)}
                            </label>
                        })}
                        {state.pin_set().get_untracked().then(|| view! {
                            <label>
                                {i18n::this_tablet_pin(lang)}
                                <input type="password" inputmode="numeric" autocomplete="current-password" maxlength="8"
                                    prop:value=move || this_pin.get() on:input=move |ev| this_pin.set(event_target_value(&ev)) />
                            </label>
                        })}
                        <label>
                            {i18n::first_tablet_pin(lang)}
                            <input type="password" inputmode="numeric" autocomplete="off" maxlength="8"
                                prop:value=move || first_pin.get() on:input=move |ev| first_pin.set(event_target_value(&ev)) />
                        </label>
                        {error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
                        <div class="setup-actions">
                            <button type="submit" class="primary" disabled=move || using.pending().get()>{i18n::use_these_settings(lang)}</button>
                        </div>
                    </form>
                }
                .into_any()
            }
        }
    };
    view! {
        // A `div` as a region, not a `section`: that element's code would be
        // one more in the first load (wasm-split puts it there).
        <div class="setup-open" role="region" aria-labelledby="setup-open-title">
            <h2 id="setup-open-title">{move || i18n::set_up_this_tablet(lang.get())}</h2>
            {body}
            <div class="setup-actions">
                <button type="button" on:click=move |_| on_done.run(())>{move || {
                    let done = matches!(using.value().get(), Some(Ok(_)));
                    if done { Msg::Close.text(lang.get()) } else { Msg::Cancel.text(lang.get()) }
                }}</button>
            </div>
        </div>
    }
}

/// Settings as the office part draws it: the screen of a set-up link when
/// the app was opened with one, else the settings behind the owner's lock.
pub fn settings_or_setup(settings: fn() -> AnyView) -> AnyView {
    let pending = RwSignal::new(setup_link::take_from_address());
    let state = AppState::expect();
    (move || match pending.get() {
        Some(text) => view! {
            <SetupOpen text=text on_done=Callback::new(move |_| {
                pending.set(None);
                if state.settings_saved().get_untracked() {
                    state.go(Screen::Amount);
                }
            }) />
        }
        .into_any(),
        None => settings(),
    })
    .into_any()
}
