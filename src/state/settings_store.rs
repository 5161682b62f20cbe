//! The shop's settings and the cached MixPay asset lists, in localStorage
//! (one key each), so the app starts with no network.

use serde::{Deserialize, Serialize};

use super::local_storage::{self, StorageError};
use crate::domain::settings::{self, QuoteAsset, Settings, SettlementAsset};

const SETTINGS_KEY: &str = "mixpay-pos/settings";
const ASSET_LISTS_KEY: &str = "mixpay-pos/asset-lists";

/// Stored settings, or why there are none to use.
pub enum StoredSettings {
    /// First run: nothing stored.
    None,
    Ok(Box<Settings>),
    /// Something is stored but cannot be used; the message says so.
    Unusable(String),
}

pub fn load() -> StoredSettings {
    match local_storage::get(SETTINGS_KEY) {
        Err(e) => StoredSettings::Unusable(e.to_string()),
        Ok(None) => StoredSettings::None,
        Ok(Some(json)) => match settings::parse_stored(&json) {
            Ok(s) => StoredSettings::Ok(Box::new(s)),
            Err(e) => StoredSettings::Unusable(e.to_string()),
        },
    }
}

pub fn save(s: &Settings) -> Result<(), StorageError> {
    local_storage::set(SETTINGS_KEY, &settings::to_stored(s))?;
    let _ = local_storage::remove(RESET_KEY);
    Ok(())
}

/// Whether a localStorage key is the settings' (another tab saved them).
pub fn is_settings_key(key: &str) -> bool {
    key == SETTINGS_KEY
}

/// MixPay's lists as last fetched, for the settings screen with no network.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetLists {
    pub quote: Vec<QuoteAsset>,
    pub settlement: Vec<SettlementAsset>,
}

pub fn load_asset_lists() -> AssetLists {
    local_storage::get(ASSET_LISTS_KEY)
        .ok()
        .flatten()
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default()
}

pub fn save_asset_lists(lists: &AssetLists) -> Result<(), StorageError> {
    local_storage::set(
        ASSET_LISTS_KEY,
        &serde_json::to_string(lists).expect("lists serialize"),
    )
}

/// Asks the browser to keep this site's storage (settings, PIN, history)
/// under storage pressure; its answer is only logged.
pub fn ask_persistent_storage() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let storage = window.navigator().storage();
    if let Ok(promise) = storage.persist() {
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(granted) = wasm_bindgen_futures::JsFuture::from(promise).await {
                if granted.as_bool() != Some(true) {
                    leptos::logging::log!("persistent storage not granted by the browser");
                }
            }
        });
    }
}

const RESET_KEY: &str = "mixpay-pos/reset-at";

/// "Reset this device": the settings go (sales history stays), and the next
/// start knows the owner asked for it, so it does not report them lost.
pub fn forget_for_reset() {
    let _ = local_storage::remove(SETTINGS_KEY);
    let _ = local_storage::set(RESET_KEY, &crate::clock::now_ms().to_string());
}

/// Whether the settings were removed on purpose ("Reset this device").
pub fn was_reset() -> bool {
    matches!(local_storage::get(RESET_KEY), Ok(Some(_)))
}
