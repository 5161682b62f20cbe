//! Screens in wasm parts of their own. History, and Settings with the
//! products admin, are fetched the first time one is opened, the sale's
//! screen right after the keypad is up (the service worker precaches them
//! all for offline use), so that a till's first load is the keypad. The
//! README's "The till and the back office: one app in parts" has the figures.
//!
//! With the `split` feature (every Trunk build turns it on: index.html) each
//! screen function below is a split point: `scripts/split.mjs` moves what
//! only it reaches into its own `.wasm`. Without it (native tests, browser
//! tests) the same function is a plain async call.

use leptos::prelude::*;

use crate::pages::history::HistoryPage;
use crate::pages::payment::PaymentPage;
use crate::pages::settings::SettingsPage;

/// A part of the app that could not be fetched (offline before the service
/// worker held it, or the server failed). The till itself keeps working: a
/// failed load is an answer on screen, never a panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartUnavailable;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for PartUnavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        PartUnavailable
    }
}

/// One screen behind one split point, and a function that only fetches its
/// part. `fallible`: a chunk that cannot be fetched is an `Err`, not the
/// panic (on wasm, an abort of the whole app) that leptos' `#[lazy]` gives.
macro_rules! split_screen {
    ($part:ident, $name:ident, $preload:ident, $view:expr) => {
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($part, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
        fn $name() -> Result<AnyView, PartUnavailable> {
            Ok($view)
        }

        #[cfg(not(feature = "split"))]
        async fn $name() -> Result<AnyView, PartUnavailable> {
            Ok($view)
        }

        #[cfg(not(feature = "split"))]
        async fn $preload() -> Result<(), PartUnavailable> {
            Ok(())
        }
    };
}

split_screen!(history, history_screen, preload_history, view! { <HistoryPage /> }.into_any());
split_screen!(settings, settings_screen, preload_settings, view! { <SettingsPage /> }.into_any());
// The sale's own screen (QR, outcomes, receipt, customer view) is a part as
// well, fetched right after the keypad is painted (see `preload_sale_path`):
// the keypad does not wait for it, and it is in memory long before a cashier
// has typed an amount.
split_screen!(payment, payment_screen, preload_payment, view! { <PaymentPage /> }.into_any());

/// The screens that load on first use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    History,
    Settings,
    Payment,
}

impl Part {
    /// The screen's view, its part fetched first if it is not in memory yet.
    pub async fn load(self) -> Result<AnyView, PartUnavailable> {
        match self {
            Part::History => history_screen().await,
            Part::Settings => settings_screen().await,
            Part::Payment => payment_screen().await,
        }
    }

    /// Fetches the part without drawing anything.
    // The error is a SplitLoaderError with the `split` feature, ours without.
    #[allow(clippy::useless_conversion)]
    pub async fn preload(self) -> Result<(), PartUnavailable> {
        let loaded = match self {
            Part::History => preload_history().await,
            Part::Settings => preload_settings().await,
            Part::Payment => preload_payment().await,
        };
        loaded.map_err(PartUnavailable::from)
    }
}

/// Fetches the sale's screen once the keypad is up, trying again with a
/// growing pause if it cannot (a cashier may still charge meanwhile: the
/// screen then loads it itself, with "Loading…").
pub async fn preload_sale_path() {
    let mut pause_ms = 2_000;
    while Part::Payment.preload().await.is_err() {
        gloo_timers::future::TimeoutFuture::new(pause_ms).await;
        pause_ms = (pause_ms * 2).min(60_000);
    }
}
