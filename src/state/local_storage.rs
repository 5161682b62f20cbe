//! localStorage, with every failure (disabled, quota exceeded, private mode)
//! turned into a message instead of a panic.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageError {
    Unavailable,
    /// Writing failed, usually because the quota is full.
    WriteFailed(String),
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lang = crate::i18n::current();
        f.write_str(&match self {
            StorageError::Unavailable => crate::i18n::storage_unavailable(lang),
            StorageError::WriteFailed(why) => crate::i18n::storage_write_failed(lang, why),
        })
    }
}

fn storage() -> Result<web_sys::Storage, StorageError> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or(StorageError::Unavailable)
}

pub fn get(key: &str) -> Result<Option<String>, StorageError> {
    storage()?
        .get_item(key)
        .map_err(|_| StorageError::Unavailable)
}

pub fn set(key: &str, value: &str) -> Result<(), StorageError> {
    storage()?.set_item(key, value).map_err(|e| {
        let why = js_sys::Reflect::get(&e, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_else(|| "storage error".into());
        StorageError::WriteFailed(why)
    })
}

pub fn remove(key: &str) -> Result<(), StorageError> {
    storage()?
        .remove_item(key)
        .map_err(|_| StorageError::Unavailable)
}

/// Every key that starts with `prefix`.
pub fn keys_with_prefix(prefix: &str) -> Result<Vec<String>, StorageError> {
    let s = storage()?;
    let n = s.length().map_err(|_| StorageError::Unavailable)?;
    Ok((0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(prefix))
        .collect())
}
