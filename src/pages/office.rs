//! The back office's part as the till sees it: Settings behind the owner's
//! lock, a first run, and the owner's banners (see `pages::parts`). The
//! lock's form, the recovery reset and the PIN's hashing are the owner's
//! matters, not the cashier's: the till's first load leaves them out, and
//! reaches them only through [`Office`], the table the part hands over.

use futures::future::LocalBoxFuture;
use futures::FutureExt;
use leptos::prelude::*;

use crate::pages::lock::{LockGate, PayeeChangeBanner, RecoveryCodeNotice};
use crate::pages::parts::{self, PartUnavailable};
use crate::pages::settings::SettingsPage;
use crate::domain::settings::Settings;
use crate::i18n::Msg;
use crate::state::app_state::{AppState, Screen};
use crate::state::problems::Problem;
use crate::state::products::Products;
use crate::state::{provisioning, sale_path, settings_store};

/// What the first load may ask of the office part.
#[derive(Clone, Copy)]
pub struct Office {
    /// Settings, behind the lock: not one field of the form is in the page
    /// until the PIN is typed.
    pub settings_screen: fn() -> AnyView,
    /// A start without usable settings (`Some(why)` when some were stored
    /// but cannot be used): `config.json`'s defaults and locks, then Settings.
    pub first_run: fn(AppState, Products, Option<String>) -> LocalBoxFuture<'static, ()>,
    /// The banner of a payee changed after a reset, with the PIN to
    /// acknowledge it (`pages::lock::PayeeChangeBanner`).
    pub payee_banner: fn() -> AnyView,
    /// The recovery code of a PIN just set, shown once: only Settings sets a
    /// PIN, so this part is in memory whenever there is one to show.
    pub recovery_notice: fn() -> AnyView,
    /// Printing straight to a thermal printer (`pages::printer`).
    pub printer: crate::pages::printer::Printer,
}

/// The office, its part fetched first if needed (kept by `pages::parts`).
pub async fn load() -> Result<Office, PartUnavailable> {
    parts::office().await
}

/// The office if its part is in memory already.
pub fn loaded() -> Option<Office> {
    parts::office_loaded()
}

// ---- The part's side: only `make` (called at the split point) names these.

pub(crate) fn make() -> Office {
    Office {
        // The screen of a set-up link the app was opened with, if any
        // (`pages::setup_tablet`), else Settings behind the lock.
        settings_screen: || {
            crate::pages::setup_tablet::settings_or_setup(|| view! { <LockGate><SettingsPage /></LockGate> }.into_any())
        },
        first_run: |state, products, unusable| first_run(state, products, unusable).boxed_local(),
        payee_banner: || view! { <PayeeChangeBanner /> }.into_any(),
        recovery_notice: || view! { <RecoveryCodeNotice /> }.into_any(),
        printer: crate::pages::printer::make(),
    }
}

async fn first_run(state: AppState, products: Products, unusable: Option<String>) {
    let first_run = unusable.is_none();
    if let Some(why) = unusable {
        state.report(Problem::Settings(why));
    }
    let reading = provisioning::fetch().await;
    crate::app::apply_locks(state, &reading.config);
    if let Some(message) = crate::i18n::config_message(crate::i18n::current(), &reading) {
        state.report(Problem::Config(message));
    }
    // No settings but sales on the device: the browser dropped the
    // settings (storage cleared, or evicted). Said loudly, since the
    // defaults shown now are config.json's, not the owner's.
    if first_run && !settings_store::was_reset() && history_holds_sales().await {
        state.report(Problem::Settings(
            Msg::SavedSettingsGone.text(crate::i18n::current()).into(),
        ));
    }
    let settings = reading.config.apply_to(Settings::default());
    if let Some(list) = &reading.config.products {
        products.provision(&settings.quote, list);
    }
    state.use_settings(settings);
    state.go(Screen::Settings);
}

/// Whether the sales history holds any sale (through the payment part).
async fn history_holds_sales() -> bool {
    match sale_path::load().await {
        Ok(path) => (path.history_count)().await.is_some_and(|n| n > 0),
        Err(_) => false,
    }
}
