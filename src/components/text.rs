//! Fixed words of the screens, following the language on screen.

use leptos::prelude::*;

use crate::i18n::{Lang, Msg};

/// The text of `m` in the language on screen, re-rendered when it changes.
/// One function, so one closure type: every fixed text of the app shares one
/// piece of rendering code in the wasm (a closure per text would not).
pub fn tr(lang: ReadSignal<Lang>, m: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || m.text(lang.get())
}
