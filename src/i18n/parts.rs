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

/// Charge was tapped but the sale's own code (its screen, the journal, the
/// checker) could not be fetched: nothing was recorded or charged.
pub fn sale_path_unavailable(lang: Lang) -> &'static str {
    pick!(
        lang,
        "The sale could not start: this app's payment screen could not be loaded. Check the connection, then tap Charge again.",
        zh!("无法开始收款：未能载入付款页面。请检查网络连接，然后再次点击收款。"),
    )
}
