//! The app's records in localStorage, one key each: settings, each sale in
//! progress under its own key (the write-ahead copy; history lives in
//! IndexedDB, see `journal`), and the cached asset lists for an offline start.

use serde::{Deserialize, Serialize};

use super::storage::{self, StorageError};
use crate::domain::sale::Sale;
use crate::domain::settings::{self, QuoteAsset, Settings, SettlementAsset};

const SETTINGS_KEY: &str = "mixpay-pos/settings";
const SALE_PREFIX: &str = "mixpay-pos/sale/";
const ASSET_LISTS_KEY: &str = "mixpay-pos/asset-lists";

/// Stored settings, or why there are none to use.
pub enum StoredSettings {
    /// First run: nothing stored.
    None,
    Ok(Box<Settings>),
    /// Something is stored but cannot be used; the message says so.
    Unusable(String),
}

pub fn load_settings() -> StoredSettings {
    match storage::get(SETTINGS_KEY) {
        Err(e) => StoredSettings::Unusable(e.to_string()),
        Ok(None) => StoredSettings::None,
        Ok(Some(json)) => match settings::parse_stored(&json) {
            Ok(s) => StoredSettings::Ok(Box::new(s)),
            Err(e) => StoredSettings::Unusable(e.to_string()),
        },
    }
}

pub fn save_settings(s: &Settings) -> Result<(), StorageError> {
    storage::set(SETTINGS_KEY, &settings::to_stored(s))
}

pub fn save_sale(sale: &Sale) -> Result<(), StorageError> {
    let json = serde_json::to_string(sale).expect("sales always serialize");
    storage::set(&format!("{SALE_PREFIX}{}", sale.trace_id), &json)
}

pub fn load_sale(trace_id: &str) -> Option<Sale> {
    let json = storage::get(&format!("{SALE_PREFIX}{trace_id}")).ok()??;
    serde_json::from_str(&json).ok()
}

pub fn remove_sale(trace_id: &str) -> Result<(), StorageError> {
    storage::remove(&format!("{SALE_PREFIX}{trace_id}"))
}

/// Whether a localStorage key is the settings' (another tab saved them).
pub fn is_settings_key(key: &str) -> bool {
    key == SETTINGS_KEY
}

/// The trace id a localStorage key holds a sale for.
pub fn sale_key_id(key: &str) -> Option<&str> {
    key.strip_prefix(SALE_PREFIX)
}

/// Every sale in progress that can be read; unreadable entries are skipped and counted.
pub fn local_sales() -> Result<(Vec<Sale>, usize), StorageError> {
    let mut sales = vec![];
    let mut unreadable = 0;
    for key in storage::keys_with_prefix(SALE_PREFIX)? {
        match storage::get(&key)?.map(|j| serde_json::from_str::<Sale>(&j)) {
            Some(Ok(s)) => sales.push(s),
            _ => unreadable += 1,
        }
    }
    Ok((sales, unreadable))
}

/// MixPay's lists as last fetched, for the settings screen with no network.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetLists {
    pub quote: Vec<QuoteAsset>,
    pub settlement: Vec<SettlementAsset>,
}

pub fn load_asset_lists() -> AssetLists {
    storage::get(ASSET_LISTS_KEY)
        .ok()
        .flatten()
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default()
}

pub fn save_asset_lists(lists: &AssetLists) -> Result<(), StorageError> {
    storage::set(
        ASSET_LISTS_KEY,
        &serde_json::to_string(lists).expect("lists serialize"),
    )
}
