//! The application shell: starts from stored settings (or `config.json` on
//! a first run), brings back a sale that was on screen, and shows one screen.

use leptos::prelude::*;

use crate::components::erased::{keyed, memo, shown, signal, Row};
use crate::components::lazy_screen::LazyScreen;
use crate::components::text::tr;
use leptos::task::spawn_local;

use crate::domain::settings::ProvisionedConfig;
use crate::hooks::{apply_update, use_idle_lock, use_sound_unlock, use_update_ready};
use crate::i18n::{Lang, Msg};
use crate::pages::amount::AmountPage;
use crate::pages::office;
use crate::pages::parts::{Part, PartUnavailable};
use crate::state::app_state::{AppState, Screen};
use crate::state::checker::Nudge;
use crate::state::problems::Problem;
use crate::state::products::Products;
use crate::state::settings_store::{self, StoredSettings};
use crate::state::{
    language, open_sales, owner_pin, provisioning, sale_history_db, sale_path, shared_connection,
};

/// What `config.json` locks (`ownerPinHash`, `lockedPayeeId`) wins over
/// what the device holds, on every start: the PIN is stored as given, and
/// the payee in use is the locked one.
pub(crate) fn apply_locks(state: AppState, config: &ProvisionedConfig) -> Option<String> {
    if let Some(record) = &config.owner_pin {
        owner_pin::provision(record);
    }
    state.refresh_pin();
    state.set_locks(settings_store::ConfigLocks {
        payee_id: config.locked_payee_id.clone(),
        pin: config.owner_pin.is_some(),
    });
    config.locked_payee_id.clone()
}

async fn start(state: AppState, products: Products) {
    state.refresh_pin();
    match settings_store::load() {
        StoredSettings::Ok(mut settings) => {
            let locks = provisioning::locks_at_start().await;
            if let Some(locked) = apply_locks(state, &locks) {
                if settings.payee_id != locked {
                    // Pointed elsewhere on the device: the provisioned payee wins.
                    settings.payee_id = locked;
                    if let Err(e) = settings_store::save(&settings) {
                        state.report(Problem::Storage(e));
                    }
                }
            }
            if let Err(errors) = settings.check_origins(&crate::api::client::pinned()) {
                // Stored before the origins were pinned, or tampered with:
                // no request goes there (the client refuses); the owner fixes it.
                let why: Vec<String> = errors.iter().map(ToString::to_string).collect();
                state.report(Problem::Settings(crate::i18n::settings_point_away(
                    crate::i18n::current(),
                    &why.join(" "),
                )));
            }
            state.use_saved_settings(*settings);
            // A sale that was on screen when the app stopped (reload, crash,
            // closed tab) comes back, still checked. The write-ahead holds
            // it: the till waits for the sale path to bring it back rather
            // than show the keypad first. One only in the history (the
            // write-ahead could not hold it) comes back once the sale path
            // has started (`sale_path::after_start`).
            let unfinished = if open_sales::any() {
                match sale_path::load().await {
                    Ok(path) => (path.unfinished)(state).await,
                    Err(_) => vec![],
                }
            } else {
                vec![]
            };
            match unfinished.into_iter().find(|s| !s.cancelled) {
                Some(sale) => state.show_sale(sale),
                // Opened with a set-up link (`#setup=…`): its screen is
                // Settings' (the office part reads the link).
                None if crate::state::setup_link::in_address() => state.go(Screen::Settings),
                None => state.go(Screen::Amount),
            }
        }
        stored => {
            // A first run, or settings that cannot be used: config.json's
            // defaults, then Settings; all of it in the back office's part.
            let unusable = match stored {
                StoredSettings::Unusable(why) => Some(why),
                _ => None,
            };
            match office::load().await {
                Ok(office) => (office.first_run)(state, products, unusable).await,
                Err(PartUnavailable) => {
                    // Settings will say its part cannot load, with "Try again".
                    if let Some(why) = unusable {
                        state.report(Problem::Settings(why));
                    }
                    state.go(Screen::Settings);
                }
            }
        }
    }
}

/// "The payee changed on {date}: payments now go to {fingerprint}": in
/// words at once, then with the field to acknowledge it with the PIN once
/// the office part (the PIN's code) is in memory. It must show even if
/// that part cannot be fetched: then it stays words only.
fn payee_change_banner(state: AppState) -> AnyView {
    let office_in = signal(office::loaded());
    if office_in.get_untracked().is_none() {
        spawn_local(async move {
            if let Ok(office) = office::load().await {
                office_in.set(Some(office));
            }
        });
    }
    let lang = state.lang();
    (move || match office_in.get() {
        Some(office) => (office.payee_banner)(),
        None => {
            let words = state.payee_change().with(|change| {
                let shop = state.settings().with(|s| s.shop_name.clone());
                change.as_ref().map(|c| c.words(lang.get(), &shop))
            });
            view! { <p class="banner warn payee-changed" role="alert"><strong>{words}</strong></p> }.into_any()
        }
    })
    .into_any()
}

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    let products = Products::provide(state);
    state.set_lang(language::initial(), false);
    let lang = state.lang();
    let t = move |m: Msg| m.text(lang.get());

    state.set_online(web_sys::window().is_none_or(|w| w.navigator().on_line()));
    let update_ready = use_update_ready();
    use_idle_lock(state);
    use_sound_unlock(Signal::derive(move || state.settings().with(|s| s.sounds)));
    crate::api::client::on_clock_offset(move |offset| state.set_clock_offset(offset));
    sale_history_db::on_newer_version_elsewhere(move || {
        state.report(Problem::NewerVersionElsewhere)
    });
    // The payment part's table once it is in memory (its late alerts).
    let sale_path_in = signal(None::<sale_path::SalePath>);
    spawn_local(async move {
        start(state, products).await;
        // The keypad is up: now the sale path (its screen, the journal, the
        // checker), long before the first Charge.
        sale_path::start_after_keypad(state, move |path| sale_path_in.set(Some(path))).await;
    });

    // Check at once when the tablet wakes up or the network returns.
    let on_visible = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            state.nudge(Nudge::Hurry);
        }
    });
    let on_online = window_event_listener(leptos::ev::online, move |_| state.set_online(true));
    let on_offline = window_event_listener(leptos::ev::offline, move |_| state.set_online(false));
    // Another tab changed something this tab shows.
    let on_storage = window_event_listener(leptos::ev::storage, move |ev| {
        let Some(key) = ev.key() else { return };
        if language::is_lang_key(&key) {
            // The owner picked a language in another tab.
            if let Some(l) = ev.new_value().and_then(|tag| Lang::from_tag(&tag)) {
                state.set_lang(l, false);
            }
        } else if settings_store::is_settings_key(&key) {
            // Settings saved in another tab apply here before the next sale.
            if let StoredSettings::Ok(settings) = settings_store::load() {
                state.use_saved_settings(*settings);
            }
        } else if key.starts_with("mixpay-pos/products") || key.starts_with("mixpay-pos/cart") {
            products.reload_if_ours(&key);
        } else if owner_pin::is_pin_key(&key) {
            state.refresh_pin();
        } else if settings_store::is_payee_change_key(&key) {
            state.refresh_payee_change();
        } else if shared_connection::is_connection_key(&key) {
            state.connection_from_elsewhere(ev.new_value());
        } else if let Some(trace_id) = open_sales::trace_id_of_key(&key) {
            // Not in memory yet: the sale path reads the write-ahead when it starts.
            if let Some(path) = sale_path::loaded() {
                (path.written_elsewhere)(state, trace_id);
            }
        }
    });
    on_cleanup(move || {
        on_visible.remove();
        on_online.remove();
        on_offline.remove();
        on_storage.remove();
    });

    let shop_name = memo(move || state.settings().with(|s| s.shop_name.clone()));
    let screen = state.screen();
    // The keypad takes its places from the quote currency when it opens: a
    // currency changed in another tab opens it anew.
    let quote_key = memo(move || {
        state
            .settings()
            .with(|s| (s.quote.asset_id.clone(), s.quote.decimal_digit))
    });
    // An unfinished sale on screen: leaving it is what Cancel is for, and an
    // update (which reloads the page) waits until it is over.
    let mid_sale = memo(move || {
        screen.get() == Screen::Payment
            && state
                .sale()
                .with(|s| s.as_ref().is_some_and(|s| !s.status.is_final()))
    });
    // From Charge until the outcome is left, the navigation gives way to
    // "Sale in progress": the sale's own screens have the way out (Cancel,
    // Back, New sale).
    let in_sale = state.in_sale();
    // The sale's screens fill the viewport exactly; the owner's may scroll.
    let sale_screen = memo(move || matches!(screen.get(), Screen::Amount | Screen::Payment));
    let nav = move |target: Screen, label: Msg| {
        view! {
            <button
                type="button"
                class="nav"
                aria-current=move || (screen.get() == target).then_some("page")
                disabled=move || screen.get() == Screen::Starting
                on:click=move |_| state.go(target)
            >
                {tr(lang, label)}
            </button>
        }
    };

    view! {
        <div class="shell" class:sale-screen=move || sale_screen.get() class:in-sale=move || in_sale.get()>
        <header class="topbar">
            <h1>{move || { let n = shop_name.get(); if n.is_empty() { t(Msg::AppName).to_string() } else { n } }}</h1>
            <nav hidden=move || in_sale.get()>{nav(Screen::Amount, Msg::NavSale)} {nav(Screen::History, Msg::NavHistory)} {nav(Screen::Settings, Msg::NavSettings)}</nav>
            <p class="sale-in-progress" hidden=move || !in_sale.get()>{tr(lang, Msg::SaleInProgress)}</p>
        </header>
        // An owner's matter: not in the way of a sale.
        {shown(move || !state.pin_set().get() && !in_sale.get(), move || view! {
            <p class="banner pin-hint" role="note">
                {tr(lang, Msg::SetOwnerPin)}
                <span class="hint">{tr(lang, Msg::PinHintTail)}</span>
            </p>
        }.into_any())}
        {shown(move || state.payee_change().with(Option::is_some), move || payee_change_banner(state))}
        // Only Settings sets a PIN: its part is in memory when there is a code to show.
        {move || state.recovery_code().with(Option::is_some).then(office::loaded).flatten().map(|o| (o.recovery_notice)())}
        {crate::api::client::pinned().extra().first().map(|_| view! {
            // A build that lets the app talk to a local simulator says so.
            <p class="test-build" role="note">{move || crate::i18n::Sec::TestBuild.text(lang.get())}</p>
        })}
        {shown(move || !state.online().get(), move || view! {
            <p class="banner offline" role="alert">{tr(lang, Msg::Offline)}</p>
        }.into_any())}
        {shown(move || update_ready.get(), move || view! {
            <p class="banner update" role="alert">
                {tr(lang, Msg::UpdateAvailable)}
                {move || {
                    if mid_sale.get() {
                        view! { <span class="hint">{tr(lang, Msg::AfterThisSale)}</span> }.into_any()
                    } else {
                        view! { <button type="button" on:click=move |_| apply_update()>{tr(lang, Msg::ReloadToUpdate)}</button> }.into_any()
                    }
                }}
            </p>
        }.into_any())}
        {keyed(move || {
            state.problems().get().into_iter().map(|problem| Row::new(problem.to_string(), move || {
                let kind = problem.kind();
                view! {
                    <p class="banner warn" role="alert">
                        // Worded again when the language changes.
                        {move || { lang.track(); problem.to_string() }}
                        <button type="button" class="dismiss" on:click=move |_| state.dismiss(kind)>{tr(lang, Msg::Dismiss)}</button>
                    </p>
                }.into_any()
            })).collect()
        })}
        // A cancelled sale paid afterwards, over whatever screen is up: the
        // payment part's, in view as soon as that part is in memory (its
        // checker is what finds them).
        {move || sale_path_in.get().map(|path| (path.late_alerts)())}
        <main>
            {move || match screen.get() {
                Screen::Starting => view! { <p class="starting">{tr(lang, Msg::Starting)}</p> }.into_any(),
                // The owner's lock is in the part too: not one field of the
                // form is in the page until the PIN is typed.
                Screen::Settings => view! { <LazyScreen part=Part::Settings /> }.into_any(),
                Screen::Amount => {
                    quote_key.track();
                    view! { <AmountPage /> }.into_any()
                }
                Screen::Payment => view! { <LazyScreen part=Part::Payment /> }.into_any(),
                // The back office is a part of its own, fetched when first opened.
                Screen::History => view! { <LazyScreen part=Part::History /> }.into_any(),
            }}
        </main>
        </div>
    }
}
