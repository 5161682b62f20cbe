//! Fixed words of the screens, following the language on screen.

use leptos::prelude::*;

use crate::i18n::{Lang, Msg, Sec};

/// A fixed word of one of the catalogues.
#[derive(Clone, Copy)]
pub enum Words {
    Msg(Msg),
    Sec(Sec),
}

/// The text of `m` in the language on screen, re-rendered when it changes.
pub fn tr(lang: ReadSignal<Lang>, m: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    words(lang, Words::Msg(m))
}

/// The text of `w` in the language on screen. One function, so one closure
/// type: every fixed text of the app shares one piece of rendering code in
/// the wasm (a closure per text, or per catalogue, would not).
pub fn words(lang: ReadSignal<Lang>, w: Words) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || match w {
        Words::Msg(m) => m.text(lang.get()),
        Words::Sec(s) => s.text(lang.get()),
    }
}
