//! Fetches the Chinese words (`i18n/zh-Hans.txt`, see `i18n::zh`) the first
//! time Chinese is chosen on this page. The service worker precaches the
//! file with the rest of the build, so after a first visit it comes from the
//! cache, offline too.

use std::cell::Cell;

use crate::i18n::zh;

thread_local! {
    /// A fetch is under way.
    static FETCHING: Cell<bool> = const { Cell::new(false) };
}

/// Why the file is not in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotLoaded {
    /// Another call is fetching it already; that call tells the outcome.
    Fetching,
    /// It could not be fetched, or it is not this build's.
    Failed,
}

/// Loads the file, unless it is in already.
pub async fn load() -> Result<(), NotLoaded> {
    if zh::loaded() {
        return Ok(());
    }
    if FETCHING.with(|f| f.replace(true)) {
        return Err(NotLoaded::Fetching);
    }
    let result = fetch().await;
    FETCHING.with(|f| f.set(false));
    let text = result.ok_or(NotLoaded::Failed)?;
    zh::load(text).map_err(|_| NotLoaded::Failed)
}

async fn fetch() -> Option<String> {
    let response = gloo_net::http::Request::get(zh::PATH).send().await.ok()?;
    if !response.ok() {
        return None;
    }
    response.text().await.ok()
}
