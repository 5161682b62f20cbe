//! "Reconnecting…" for every tab, not only the one whose check failed: the
//! state is kept under one localStorage key, and the other tabs learn it
//! from the `storage` event.

use super::local_storage;

const CONNECTION_KEY: &str = "mixpay-pos/connection";

/// Records this tab's view of the connection for the other tabs.
pub fn publish(trouble: Option<&str>) {
    // Best effort: a full store only means the other tabs are not told.
    let _ = match trouble {
        Some(text) => local_storage::set(CONNECTION_KEY, text),
        None => local_storage::remove(CONNECTION_KEY),
    };
}

/// The connection state as last published by any tab.
pub fn read() -> Option<String> {
    local_storage::get(CONNECTION_KEY).ok().flatten()
}

pub fn is_connection_key(key: &str) -> bool {
    key == CONNECTION_KEY
}
