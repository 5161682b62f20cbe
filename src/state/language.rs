//! The language on screen: the owner's choice when one was made on this
//! device, else the browser's (`navigator.languages`).

use crate::domain::lang::Lang;
use crate::state::local_storage::{self, StorageError};

const LANG_KEY: &str = "mixpay-pos/lang";

/// The remembered choice, else the first of the browser's languages the app has.
pub fn initial() -> Lang {
    if let Some(lang) = local_storage::get(LANG_KEY)
        .ok()
        .flatten()
        .and_then(|tag| Lang::from_tag(&tag))
    {
        return lang;
    }
    let languages: Vec<String> = web_sys::window()
        .map(|w| w.navigator().languages().iter().filter_map(|l| l.as_string()).collect())
        .unwrap_or_default();
    Lang::from_browser(&languages)
}

/// Remembers the owner's choice on this device.
pub fn remember(lang: Lang) -> Result<(), StorageError> {
    local_storage::set(LANG_KEY, lang.tag())
}

/// Whether a localStorage key is the language's (chosen in another tab).
pub fn is_lang_key(key: &str) -> bool {
    key == LANG_KEY
}

/// `<html lang>` follows the language, for screen readers and fonts.
pub fn mark_document(lang: Lang) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang.tag());
    }
}

/// Puts the Language select (Settings) back on `lang`, the language on
/// screen, after another one was picked and could not be loaded.
pub fn show_in_select(lang: Lang) {
    use wasm_bindgen::JsCast;
    if let Some(select) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("select.language").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
    {
        select.set_value(lang.tag());
    }
}
