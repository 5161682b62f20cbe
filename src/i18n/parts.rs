//! Words shown while a screen of the back office loads (its code is a wasm
//! part of its own, fetched the first time it is opened), English then
//! Simplified Chinese.

use super::Lang;

pub fn part_loading(lang: Lang) -> &'static str {
    pick!(lang, "Loading…", zh!("正在载入…"))
}

/// The part could not be fetched: offline before the service worker held
/// it, or the server failed. The till itself keeps working.
pub fn part_unavailable(lang: Lang) -> &'static str {
    pick!(
        lang,
        "This screen could not be loaded. Check the connection, then try again. Sales go on as usual.",
        zh!("无法载入此页面。请检查网络连接后重试。收款照常进行。"),
    )
}
