//! The sale path's own code, in the payment part (see `pages::parts`): the
//! sale's screen, the sale lifecycle and its journal (localStorage
//! write-ahead and IndexedDB history), the background checker and the API
//! client. None of it is needed to draw the keypad, so the till's first load
//! leaves it out; the part is fetched as soon as the keypad is up, long
//! before a cashier has typed an amount and tapped Charge.
//!
//! The till reaches that code only through [`SalePath`], a table of
//! functions the part hands over once it is in memory: a direct call from
//! the first load into the lifecycle or the checker would pull them (and
//! everything they use) back into it.

use futures::future::LocalBoxFuture;
use futures::FutureExt;
use leptos::prelude::*;

use crate::domain::money::Amount;
use crate::domain::sale::Sale;
use crate::pages::amount::ChargeInputs;
use crate::pages::parts::{self, PartUnavailable};
use crate::state::app_state::{AppState, Screen};
use crate::state::problems::Problem;
use crate::state::sale_lifecycle::{self, SaleEvents};
use crate::state::{checker, open_sales, sale_history_db, settings_store};

/// What the first load may ask of the payment part.
#[derive(Clone, Copy)]
pub struct SalePath {
    /// The sale's screen (QR, outcomes, receipt, customer view).
    pub screen: fn() -> AnyView,
    /// Charge: the sale made, recorded and on screen (`pages::charge`); an
    /// error is the words for the cashier.
    pub charge: fn(ChargeInputs, Amount, Option<Amount>) -> Result<(), String>,
    /// At start, when the write-ahead holds sales: the unfinished ones,
    /// newest first (`sale_lifecycle::unfinished`).
    pub unfinished: fn(AppState) -> LocalBoxFuture<'static, Vec<Sale>>,
    /// Once the keypad is up: the checker, MixPay's clock, the journal tidied.
    pub after_start: fn(AppState) -> LocalBoxFuture<'static, ()>,
    /// How many sales the history holds (`None`: it could not be read).
    pub history_count: fn() -> LocalBoxFuture<'static, Option<u32>>,
    /// Another tab wrote the sale with this traceId into the write-ahead.
    pub written_elsewhere: fn(AppState, &str),
    /// The alerts of cancelled sales paid afterwards, over every screen
    /// (`components::late_alerts`): the checker raises them, so they come
    /// with it.
    pub late_alerts: fn() -> AnyView,
    /// The customer's tip screen for `subtotal` in the quote currency, with
    /// the shop's percentages: the tip chosen (`None`: no tip), or back.
    pub tip_screen: fn(Amount, Callback<Option<Amount>>, Callback<()>) -> AnyView,
}

/// The sale path if its part is in memory already.
pub fn loaded() -> Option<SalePath> {
    parts::sale_path_loaded()
}

/// The sale path, its part fetched first if needed (kept by `pages::parts`).
pub async fn load() -> Result<SalePath, PartUnavailable> {
    parts::sale_path().await
}

/// Once the keypad is up: fetches the part (again and again, with a growing
/// pause, while it cannot), tells `in_memory`, then starts what runs in the
/// background.
pub async fn start_after_keypad(state: AppState, in_memory: impl FnOnce(SalePath)) {
    let mut pause_ms = 2_000;
    let path = loop {
        match load().await {
            Ok(path) => break path,
            Err(PartUnavailable) => {
                gloo_timers::future::TimeoutFuture::new(pause_ms).await;
                pause_ms = (pause_ms * 2).min(60_000);
            }
        }
    };
    in_memory(path);
    (path.after_start)(state).await;
}

// ---- The part's side: only `make` (called at the split point) names these.

/// The table the part hands over.
pub(crate) fn make() -> SalePath {
    SalePath {
        screen: || view! { <crate::pages::payment::PaymentPage /> }.into_any(),
        charge: crate::pages::charge::charge,
        unfinished: |state| sale_lifecycle::unfinished(state).boxed_local(),
        after_start: |state| after_start(state).boxed_local(),
        history_count: || async { sale_history_db::count().await.ok() }.boxed_local(),
        written_elsewhere,
        late_alerts: || view! { <crate::components::late_alerts::LateAlerts /> }.into_any(),
        tip_screen,
    }
}

fn tip_screen(subtotal: Amount, on_choose: Callback<Option<Amount>>, on_back: Callback<()>) -> AnyView {
    use crate::components::tip_screen::TipScreen;
    let (decimals, symbol, percents) = AppState::expect().settings().with_untracked(|s| {
        (s.quote.decimal_digit, s.quote.symbol.clone(), s.tips.percents.clone())
    });
    view! { <TipScreen subtotal decimals symbol percents on_choose on_back /> }.into_any()
}

async fn after_start(state: AppState) {
    state.set_nudger(checker::start(state));
    // Sales only the history holds (the write-ahead could not): checked from
    // now on; the newest comes on screen if the till is idle at the keypad.
    let unfinished = sale_lifecycle::unfinished(state).await;
    if let Some(sale) = unfinished.into_iter().find(|s| !s.cancelled) {
        let idle = state.screen().get_untracked() == Screen::Amount && state.sale().with_untracked(Option::is_none);
        if idle && !state.in_sale().get_untracked() {
            state.show_sale(sale);
        }
    }
    learn_mixpay_clock(state).await;
    sale_lifecycle::tidy(state).await;
}

/// One request at start so that MixPay's clock is known before the first
/// sale's expiry is set; it refreshes the cached list of quote currencies too.
async fn learn_mixpay_clock(state: AppState) {
    let settings = state.settings().get_untracked();
    if !settings.is_ready() || !state.online().get_untracked() {
        // The settings screen loads MixPay's lists, which does the same; with
        // no network the first answer of the checker will.
        return;
    }
    let client = crate::api::MixPayClient::new(&settings.api_base);
    if let Ok(quote) = client.quote_assets(&settings.payee_id).await {
        let mut lists = settings_store::load_asset_lists();
        lists.quote = quote;
        if let Err(e) = settings_store::save_asset_lists(&lists) {
            state.report(Problem::Storage(e));
        }
    }
}

fn written_elsewhere(state: AppState, trace_id: &str) {
    // Read back through the merge, so a stray older write cannot show.
    if let Some(sale) = open_sales::read(trace_id) {
        if crate::domain::paid_proof::paid_stands(&sale) {
            state.recorded(&sale);
        } else {
            // "Paid" with no verified answer of MixPay's on it: not
            // shown; this tab's checker asks MixPay now.
            state.nudge(checker::Nudge::Hurry);
        }
    }
}
