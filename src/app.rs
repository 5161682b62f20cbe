//! The application shell: starts from stored settings (or `config.json` on
//! a first run), brings back a sale that was on screen, and shows one screen.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::settings::{ProvisionedConfig, Settings};
use crate::pages::amount::AmountPage;
use crate::pages::history::HistoryPage;
use crate::pages::payment::PaymentPage;
use crate::pages::settings::SettingsPage;
use crate::state::app_state::{AppState, Screen};
use crate::state::checker::{self, Nudge};
use crate::state::sales;
use crate::state::store::{self, StoredSettings};
use crate::state::update;

/// `config.json` beside `index.html`, if the host serves one.
async fn provisioned_config() -> ProvisionedConfig {
    let response = gloo_net::http::Request::get("config.json")
        .cache(web_sys::RequestCache::NoStore)
        .send()
        .await;
    match response {
        Ok(r) if r.ok() => r.json().await.unwrap_or_default(),
        _ => ProvisionedConfig::default(),
    }
}

/// One request at start so that MixPay's clock is known before the first
/// sale's expiry is set; it refreshes the cached list of quote currencies too.
async fn learn_mixpay_clock(state: AppState) {
    let settings = state.settings.get_untracked();
    if !settings.is_ready() {
        // The settings screen loads MixPay's lists, which does the same.
        return;
    }
    let client = crate::api::MixPayClient::new(&settings.api_base);
    if let Ok(quote) = client.quote_assets().await {
        let mut lists = store::load_asset_lists();
        lists.quote = quote;
        state.report(store::save_asset_lists(&lists));
    }
}

async fn start(state: AppState) {
    match store::load_settings() {
        StoredSettings::Ok(settings) => {
            state.settings.set(*settings);
            // A sale that was on screen when the app stopped (reload, crash,
            // closed tab) comes back, still checked.
            match sales::open_sales(state).into_iter().find(|s| !s.cancelled) {
                Some(sale) => {
                    state.sale.set(Some(sale));
                    state.screen.set(Screen::Payment);
                }
                None => state.screen.set(Screen::Amount),
            }
        }
        stored => {
            if let StoredSettings::Unusable(why) = stored {
                state.banner.set(Some(why));
            }
            let config = provisioned_config().await;
            state.settings.set(config.apply_to(Settings::default()));
            state.screen.set(Screen::Settings);
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);

    state
        .online
        .set(web_sys::window().is_none_or(|w| w.navigator().on_line()));

    update::watch_for_updates(state.update_ready);
    crate::api::client::on_clock_offset(move |offset| state.clock_offset.set(offset));
    spawn_local(async move {
        start(state).await;
        state.set_nudger(checker::start(state));
        learn_mixpay_clock(state).await;
        sales::tidy(state).await;
    });

    // Check at once when the tablet wakes up or the network returns.
    let on_visible = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            state.nudge(Nudge::Hurry);
        }
    });
    let on_online = window_event_listener(leptos::ev::online, move |_| {
        state.online.set(true);
        state.connection.set(None);
        state.nudge(Nudge::Hurry);
    });
    let on_offline = window_event_listener(leptos::ev::offline, move |_| state.online.set(false));
    // Another tab recorded a sale: show it if it is ours, and let the checker know.
    let on_storage = window_event_listener(leptos::ev::storage, move |ev| {
        let Some(key) = ev.key() else { return };
        // Settings saved in another tab apply here before the next sale.
        if store::is_settings_key(&key) {
            if let StoredSettings::Ok(settings) = store::load_settings() {
                state.settings.set(*settings);
            }
            return;
        }
        if store::sale_key_id(&key).is_some() {
            if let Some(sale) = ev.new_value().and_then(|v| serde_json::from_str(&v).ok()) {
                state.show_if_on_screen(&sale);
            }
            state.revision.update(|r| *r += 1);
            state.nudge(Nudge::Changed);
        }
    });
    on_cleanup(move || {
        on_visible.remove();
        on_online.remove();
        on_offline.remove();
        on_storage.remove();
    });

    let shop_name = Memo::new(move |_| state.settings.with(|s| s.shop_name.clone()));
    let screen = state.screen;
    // The keypad takes its places from the quote currency when it opens: a
    // currency changed in another tab opens it anew.
    let quote_key = Memo::new(move |_| {
        state
            .settings
            .with(|s| (s.quote.asset_id.clone(), s.quote.decimal_digit))
    });
    // An unfinished sale on screen: leaving it is what Cancel is for, and an
    // update (which reloads the page) waits until it is over.
    let mid_sale = Memo::new(move |_| {
        screen.get() == Screen::Payment
            && state
                .sale
                .with(|s| s.as_ref().is_some_and(|s| !s.status.is_final()))
    });
    let nav = move |target: Screen, label: &'static str| {
        view! {
            <button
                type="button"
                class="nav"
                aria-current=move || (screen.get() == target).then_some("page")
                disabled=move || screen.get() == Screen::Starting || mid_sale.get()
                on:click=move |_| screen.set(target)
            >
                {label}
            </button>
        }
    };

    view! {
        <header class="topbar">
            <h1>{move || { let n = shop_name.get(); if n.is_empty() { "MixPay PoS".to_string() } else { n } }}</h1>
            <nav>{nav(Screen::Amount, "Sale")} {nav(Screen::History, "History")} {nav(Screen::Settings, "Settings")}</nav>
        </header>
        <Show when=move || !state.online.get()>
            <p class="banner offline" role="alert">"Offline — reconnecting when the network returns."</p>
        </Show>
        <Show when=move || state.update_ready.get()>
            <p class="banner update" role="alert">
                "Update available"
                {move || {
                    if mid_sale.get() {
                        view! { <span class="hint">"— after this sale"</span> }.into_any()
                    } else {
                        view! { <button type="button" on:click=move |_| update::apply_update()>"Reload to update"</button> }.into_any()
                    }
                }}
            </p>
        </Show>
        {move || state.banner.get().map(|text| view! {
            <p class="banner warn" role="alert">
                {text}
                <button type="button" class="dismiss" on:click=move |_| state.banner.set(None)>"Dismiss"</button>
            </p>
        })}
        <main>
            {move || match screen.get() {
                Screen::Starting => view! { <p class="starting">"Starting…"</p> }.into_any(),
                Screen::Settings => view! { <SettingsPage /> }.into_any(),
                Screen::Amount => {
                    quote_key.track();
                    view! { <AmountPage /> }.into_any()
                }
                Screen::Payment => view! { <PaymentPage /> }.into_any(),
                Screen::History => view! { <HistoryPage /> }.into_any(),
            }}
        </main>
    }
}
