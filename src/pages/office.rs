//! The back office's part as the till sees it: Settings behind the owner's
//! lock, and the code that checks the owner PIN (see `pages::parts`). The
//! lock's form, the recovery reset and the PIN's hashing are the owner's
//! matters, not the cashier's: the till's first load leaves them out, and
//! reaches them only through [`Office`], the table the part hands over.

use futures::future::LocalBoxFuture;
use futures::FutureExt;
use leptos::prelude::*;

use crate::pages::lock::LockGate;
use crate::pages::parts::{self, PartUnavailable};
use crate::pages::settings::SettingsPage;
use crate::state::owner_pin::{self, Unlock};

/// What the first load may ask of the office part.
#[derive(Clone, Copy)]
pub struct Office {
    /// Settings, behind the lock: not one field of the form is in the page
    /// until the PIN is typed.
    pub settings_screen: fn() -> AnyView,
    /// Checks the owner PIN (counting wrong tries, as the lock does).
    pub try_unlock: fn(String) -> LocalBoxFuture<'static, Unlock>,
}

/// The office, its part fetched first if needed (kept by `pages::parts`).
pub async fn load() -> Result<Office, PartUnavailable> {
    parts::office().await
}

/// Checks the owner PIN through the office part; a part that cannot be
/// fetched is a failure worded as such (nothing is unlocked).
pub async fn try_unlock(typed: String) -> Unlock {
    match load().await {
        Ok(office) => (office.try_unlock)(typed).await,
        Err(PartUnavailable) => Unlock::Failed(crate::domain::pin::PinFailure::CheckUnavailable),
    }
}

// ---- The part's side: only `make` (called at the split point) names these.

pub(crate) fn make() -> Office {
    Office {
        settings_screen: || view! { <LockGate><SettingsPage /></LockGate> }.into_any(),
        try_unlock: |typed| async move { owner_pin::try_unlock(&typed).await }.boxed_local(),
    }
}
