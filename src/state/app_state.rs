//! The running app's shared signals, provided as context by `App`.

use leptos::prelude::*;

use crate::domain::sale::Sale;
use crate::domain::settings::Settings;
use crate::state::checker::{Nudge, Nudger};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// Reading settings and `config.json`.
    Starting,
    Settings,
    Amount,
    /// The QR and the payment's status for `AppState::sale`.
    Payment,
    History,
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
    /// Why MixPay could not be reached at the last check, while it lasts.
    pub connection: RwSignal<Option<String>>,
    /// MixPay's clock minus the device's, once MixPay has answered.
    pub clock_offset: RwSignal<Option<i64>>,
    /// This tab runs the checker (another tab may, instead).
    pub leader: RwSignal<bool>,
    /// Bumped whenever a sale is recorded, for views of the history.
    pub revision: RwSignal<u64>,
    /// A new version of the app is installed and waiting.
    pub update_ready: RwSignal<bool>,
    nudger: StoredValue<Option<Nudger>, LocalStorage>,
}

impl AppState {
    pub fn new() -> Self {
        AppState {
            settings: RwSignal::new(Settings::default()),
            screen: RwSignal::new(Screen::Starting),
            sale: RwSignal::new(None),
            banner: RwSignal::new(None),
            online: RwSignal::new(true),
            connection: RwSignal::new(None),
            clock_offset: RwSignal::new(None),
            leader: RwSignal::new(false),
            revision: RwSignal::new(0),
            update_ready: RwSignal::new(false),
            nudger: StoredValue::new_local(None),
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

    pub fn set_nudger(&self, nudger: Nudger) {
        self.nudger.set_value(Some(nudger));
    }

    /// Tells the checker that sales changed or the sale on screen needs a look now.
    pub fn nudge(&self, nudge: Nudge) {
        self.nudger.with_value(|n| {
            if let Some(n) = n {
                let _ = n.unbounded_send(nudge);
            }
        });
    }

    /// Why a new sale cannot start now, if MixPay is out of reach.
    pub fn offline_reason(&self) -> Option<String> {
        if !self.online.get_untracked() {
            return Some(
                "No network: a new sale cannot start until the connection is back.".into(),
            );
        }
        if self.connection.with_untracked(Option::is_some) {
            return Some(
                "MixPay cannot be reached right now: a new sale can start once it answers again."
                    .into(),
            );
        }
        None
    }

    /// Replaces the sale on screen with a newer copy of the same sale.
    pub fn show_if_on_screen(&self, sale: &Sale) {
        let on_screen = self
            .sale
            .with_untracked(|s| s.as_ref().is_some_and(|s| s.trace_id == sale.trace_id));
        if on_screen {
            self.sale.set(Some(sale.clone()));
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}
