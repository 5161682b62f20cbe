//! The write-ahead of sales in progress: one localStorage key per sale,
//! written synchronously before the QR is shown, so a crash in the very
//! frame that draws it loses nothing. Every write is read-merge-write with
//! the copy already there (`domain::merge`), so a Cancel in one tab cannot
//! undo a Paid written by another a moment before.

use super::local_storage::{self, StorageError};
use crate::domain::merge::merge;
use crate::domain::sale::Sale;

const SALE_PREFIX: &str = "mixpay-pos/sale/";

fn key(trace_id: &str) -> String {
    format!("{SALE_PREFIX}{trace_id}")
}

/// The copy of a sale in localStorage, if there is a readable one.
pub fn read(trace_id: &str) -> Option<Sale> {
    let json = local_storage::get(&key(trace_id)).ok()??;
    Sale::parse(&json).ok()
}

/// Merges `sale` with the stored copy and writes the result; returns the
/// merged sale (what is now true), or why it could not be written.
pub fn write_merged(sale: &Sale) -> (Sale, Result<(), StorageError>) {
    let merged = match read(&sale.trace_id) {
        Some(stored) => merge(&stored, sale),
        None => sale.clone(),
    };
    let json = merged.to_json();
    let written = local_storage::set(&key(&merged.trace_id), &json);
    (merged, written)
}

pub fn remove(trace_id: &str) -> Result<(), StorageError> {
    local_storage::remove(&key(trace_id))
}

/// The trace id a localStorage key holds a sale for.
pub fn trace_id_of_key(key: &str) -> Option<&str> {
    key.strip_prefix(SALE_PREFIX)
}

/// Whether the write-ahead holds any sale, readable or not (no sale is
/// read: the till's start-up asks this before the sale path is in memory).
/// Unreadable storage counts as holding some: the sale path then looks.
pub fn any() -> bool {
    local_storage::keys_with_prefix(SALE_PREFIX).map_or(true, |keys| !keys.is_empty())
}

/// Every sale in the write-ahead that can be read; unreadable entries are
/// skipped and counted.
pub fn all() -> Result<(Vec<Sale>, usize), StorageError> {
    let mut sales = vec![];
    let mut unreadable = 0;
    for key in local_storage::keys_with_prefix(SALE_PREFIX)? {
        match local_storage::get(&key)?.map(|j| Sale::parse(&j)) {
            Some(Ok(s)) => sales.push(s),
            _ => unreadable += 1,
        }
    }
    Ok((sales, unreadable))
}
