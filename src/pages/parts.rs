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

use std::cell::OnceCell;
use std::future::Future;
use std::thread::LocalKey;

use leptos::prelude::*;

use crate::pages::history::HistoryPage;
use crate::pages::office::{self as office_table, Office};
use crate::pages::printer::{Job, Printer};
use crate::state::app_state::AppState;
use crate::state::sale_path::{self as sale_path_table, SalePath};

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

/// One split point: `$name` returns what its part hands over (`$out`), and
/// `$preload` only fetches the part. `fallible`: a chunk that cannot be
/// fetched is an `Err`, not the panic (on wasm, an abort of the whole app)
/// that leptos' `#[lazy]` gives.
macro_rules! split_part {
    ($part:ident, $name:ident, $preload:ident, $out:ty, $make:expr) => {
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($part, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
        fn $name() -> Result<$out, PartUnavailable> {
            Ok($make)
        }

        #[cfg(not(feature = "split"))]
        async fn $name() -> Result<$out, PartUnavailable> {
            Ok($make)
        }

        #[cfg(not(feature = "split"))]
        #[allow(dead_code)]
        async fn $preload() -> Result<(), PartUnavailable> {
            Ok(())
        }
    };
}

split_part!(history, history_screen, preload_history, AnyView, view! { <HistoryPage /> }.into_any());
// The back office: Settings behind the owner's lock, and the PIN's own code
// (see `Office`).
split_part!(settings, office_part, preload_settings, Office, office_table::make());
// The sale path: the sale's own screen (QR, outcomes, receipt, customer
// view), the lifecycle and journal, the checker and the API client (see
// `state::sale_path`). Fetched right after the keypad is painted: the keypad
// does not wait for it, and it is in memory long before a cashier has typed
// an amount.
split_part!(payment, payment_part, preload_payment, SalePath, sale_path_table::make());

thread_local! {
    static OFFICE: OnceCell<Office> = const { OnceCell::new() };
    static SALE_PATH: OnceCell<SalePath> = const { OnceCell::new() };
}

/// A part's table of functions, kept once its part is in memory. A failed
/// fetch is not kept: the next call fetches anew.
async fn kept<T: Copy + 'static, F: Future<Output = Result<T, PartUnavailable>>>(
    slot: &'static LocalKey<OnceCell<T>>,
    fetch: impl FnOnce() -> F,
) -> Result<T, PartUnavailable> {
    if let Some(table) = slot.with(|s| s.get().copied()) {
        return Ok(table);
    }
    let table = fetch().await?;
    Ok(slot.with(|s| *s.get_or_init(|| table)))
}

/// The office part's table, its part fetched first if needed.
pub async fn office() -> Result<Office, PartUnavailable> {
    kept(&OFFICE, office_part).await
}

/// The payment part's table, its part fetched first if needed.
pub async fn sale_path() -> Result<SalePath, PartUnavailable> {
    kept(&SALE_PATH, payment_part).await
}

/// Printing straight to a thermal printer (`pages::printer`): in the office
/// part (a split point of its own would add its loader's code to the first
/// load), fetched when Settings opens or the first time a job prints, never
/// before the keypad nor on the way to Paid.
pub async fn printer() -> Result<Printer, PartUnavailable> {
    Ok(office().await?.printer)
}

/// Prints `job` on the printer connected to this device, on its own: the
/// caller (a Paid sale, a receipt's Print, the day's report) never waits for
/// the printer nor its part. How it went is said in the printer's notice.
pub fn print(state: AppState, job: Job) {
    leptos::task::spawn_local(async move {
        if let Ok(printer) = printer().await {
            (printer.print)(state, job);
        }
    });
}

/// The office part's table if its part is in memory already.
pub fn office_loaded() -> Option<Office> {
    OFFICE.with(|s| s.get().copied())
}

/// The payment part's table if its part is in memory already.
pub fn sale_path_loaded() -> Option<SalePath> {
    SALE_PATH.with(|s| s.get().copied())
}

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
            Part::Settings => Ok((office().await?.settings_screen)()),
            Part::Payment => Ok((sale_path().await?.screen)()),
        }
    }

    /// Fetches the part without drawing anything.
    // The error is a SplitLoaderError with the `split` feature, ours without.
    #[allow(clippy::useless_conversion)]
    pub async fn preload(self) -> Result<(), PartUnavailable> {
        let loaded = match self {
            Part::History => preload_history().await,
            Part::Settings => return office().await.map(|_| ()),
            // Fetched and its table kept, so the charge path finds it in memory.
            Part::Payment => return sale_path().await.map(|_| ()),
        };
        loaded.map_err(PartUnavailable::from)
    }
}

