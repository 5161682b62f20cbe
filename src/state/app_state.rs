//! The running app's shared signals, provided as context by `App`.

use leptos::prelude::*;

use crate::domain::sale::Sale;
use crate::domain::settings::Settings;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// Reading settings and `config.json`.
    Starting,
    Settings,
    Amount,
    /// The QR and the payment's status for `AppState::sale`.
    Payment,
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub settings: RwSignal<Settings>,
    pub screen: RwSignal<Screen>,
    /// The sale on screen (QR, status, result).
    pub sale: RwSignal<Option<Sale>>,
    /// A message for the whole app: storage trouble, unreadable settings.
    pub banner: RwSignal<Option<String>>,
    /// `navigator.onLine`, kept current by the shell.
    pub online: RwSignal<bool>,
}

impl AppState {
    pub fn new() -> Self {
        AppState {
            settings: RwSignal::new(Settings::default()),
            screen: RwSignal::new(Screen::Starting),
            sale: RwSignal::new(None),
            banner: RwSignal::new(None),
            online: RwSignal::new(true),
        }
    }

    pub fn expect() -> Self {
        expect_context::<AppState>()
    }

    /// Shows a storage failure without stopping the sale.
    pub fn report<E: std::fmt::Display>(&self, result: Result<(), E>) {
        if let Err(e) = result {
            self.banner.set(Some(e.to_string()));
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

/// Milliseconds since the epoch, from the browser's clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}
