//! The shop's settings and the cached MixPay asset lists, in localStorage
//! (one key each), so the app starts with no network.

use serde::Serialize;

use super::local_storage::{self, StorageError};
use crate::domain::json::{self, Value};
use crate::domain::settings::{self, QuoteAsset, Settings, SettlementAsset};
use crate::domain::stored;

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

/// The field beside the settings that says an owner PIN guards them: with
/// it and no PIN stored, the PIN was deleted, and the settings stay locked.
const PIN_GUARDED: &str = "pin_guarded";

/// Written as `serde_json::Value` wrote them (keys in byte order), as
/// before: the stored bytes do not change.
pub fn save(s: &Settings) -> Result<(), StorageError> {
    let mut json = json::parse(&settings::to_stored(s)).expect("settings are JSON");
    if super::owner_pin::has_record() {
        json.set(PIN_GUARDED, Value::Bool(true));
    }
    local_storage::set(SETTINGS_KEY, &json.to_json())?;
    let _ = local_storage::remove(RESET_KEY);
    Ok(())
}

/// Marks settings saved before the mark existed, on a tablet that has a
/// PIN, as guarded by it: deleting the PIN's key then keeps them locked.
pub fn mark_pin_guarded() {
    let Ok(Some(text)) = local_storage::get(SETTINGS_KEY) else {
        return;
    };
    let Ok(mut json) = json::parse(&text) else {
        return;
    };
    if json.as_object().is_some() && json.get(PIN_GUARDED).and_then(Value::as_bool) != Some(true) {
        json.set(PIN_GUARDED, Value::Bool(true));
        let _ = local_storage::set(SETTINGS_KEY, &json.to_json());
    }
}

/// Whether the stored settings were saved with an owner PIN set.
pub fn pin_guarded() -> bool {
    local_storage::get(SETTINGS_KEY)
        .ok()
        .flatten()
        .and_then(|j| json::parse(&j).ok())
        .is_some_and(|v| v.get(PIN_GUARDED).and_then(Value::as_bool) == Some(true))
}

/// Whether a localStorage key is the settings' (another tab saved them).
pub fn is_settings_key(key: &str) -> bool {
    key == SETTINGS_KEY
}

/// MixPay's lists as last fetched, for the settings screen with no network.
/// Read back by `load_asset_lists` through `domain::stored`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AssetLists {
    pub quote: Vec<QuoteAsset>,
    pub settlement: Vec<SettlementAsset>,
}

pub fn load_asset_lists() -> AssetLists {
    local_storage::get(ASSET_LISTS_KEY)
        .ok()
        .flatten()
        .and_then(|j| read_asset_lists(&j).ok())
        .unwrap_or_default()
}

/// The stored lists, with the derive's rules (`domain::stored`): both
/// lists required, items as stored in the settings.
fn read_asset_lists(json: &str) -> Result<AssetLists, String> {
    stored::parse(json, "asset lists", |f| {
        f.required("quote")?;
        f.required("settlement")?;
        Ok(AssetLists {
            quote: f.list_or_empty("quote", QuoteAsset::read),
            settlement: f.list_or_empty("settlement", SettlementAsset::read),
        })
    })
}

pub fn save_asset_lists(lists: &AssetLists) -> Result<(), StorageError> {
    local_storage::set(
        ASSET_LISTS_KEY,
        &stored::Obj::new()
            .raw("quote", &stored::list(&lists.quote, QuoteAsset::to_json))
            .raw("settlement", &stored::list(&lists.settlement, SettlementAsset::to_json))
            .end(),
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

const PAYEE_CHANGE_KEY: &str = "mixpay-pos/payee-changed";

/// The settings were reset or lost, and saved again with another payee than
/// the last sales': when, and the new payee. Kept until the owner
/// acknowledges it with the PIN.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PayeeChange {
    pub at_ms: i64,
    pub payee_id: String,
}

impl PayeeChange {
    /// "The payee changed on {date}: payments now go to {fingerprint}", the
    /// banner's words (the shell's and the office part's alike).
    pub fn words(&self, lang: crate::i18n::Lang, shop: &str) -> String {
        crate::i18n::payee_changed(
            lang,
            &crate::clock::local_day(self.at_ms),
            &crate::i18n::payee_fingerprint(lang, &self.payee_id, shop),
        )
    }
}

pub fn payee_change() -> Option<PayeeChange> {
    local_storage::get(PAYEE_CHANGE_KEY)
        .ok()
        .flatten()
        .map(|j| {
            // An unreadable marker still warns (with what can be read: nothing).
            read_payee_change(&j).unwrap_or(PayeeChange {
                at_ms: 0,
                payee_id: String::new(),
            })
        })
}

fn read_payee_change(json: &str) -> Result<PayeeChange, String> {
    stored::parse(json, "payee change", |f| {
        Ok(PayeeChange {
            at_ms: f.int("at_ms"),
            payee_id: f.text("payee_id"),
        })
    })
}

pub fn record_payee_change(change: &PayeeChange) -> Result<(), StorageError> {
    local_storage::set(
        PAYEE_CHANGE_KEY,
        &stored::Obj::new()
            .num("at_ms", change.at_ms)
            .text("payee_id", &change.payee_id)
            .end(),
    )
}

pub fn acknowledge_payee_change() {
    let _ = local_storage::remove(PAYEE_CHANGE_KEY);
}

pub fn is_payee_change_key(key: &str) -> bool {
    key == PAYEE_CHANGE_KEY
}

/// What `config.json` locks on a provisioned tablet: they win over what the
/// device holds on every start.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigLocks {
    /// `lockedPayeeId`: the only payee this tablet may use.
    pub payee_id: Option<String>,
    /// `ownerPinHash` was given (the PIN cannot be changed on the tablet).
    pub pin: bool,
}
