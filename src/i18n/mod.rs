//! The one message catalogue: every word the app shows, in English and in
//! Simplified Chinese. Plain Rust (no Leptos, no web APIs), tested natively.
//!
//! Fixed words are [`Msg`]s (`Msg::Cancel.text(lang)`); words with values in
//! them are functions here taking the language first. The errors of the
//! domain and of the MixPay client write themselves through this catalogue
//! (their `Display`) in the language on screen when they are made: see
//! [`current`].

/// The English of a message, or its Chinese (a `zh!`) when `lang` is Chinese
/// and the Chinese file is in; the English while it is not. With an English
/// literal the message is one call: a fixed text, or a template whose values
/// (named as in the `zh!`) fill whichever language is shown.
macro_rules! pick {
    ($lang:expr, $en:literal, zh!($zh:literal) $(,)?) => {
        $crate::i18n::zh::pick_text($lang, $en, zh!($zh))
    };
    ($lang:expr, $en:literal, zh!($zh:literal; $($name:ident $(= $value:expr)?),+ $(,)?) $(,)?) => {
        $crate::i18n::zh::pick_fill(
            $lang,
            {
                const _: () = $crate::i18n::zh::check_names($en, &[$(stringify!($name)),+], false);
                $en
            },
            zh!($zh; $($name $(= $value)?),+),
        )
    };
    ($lang:expr, $en:expr, $zh:expr $(,)?) => {
        match $crate::i18n::zh::Tr::get($zh, $lang) {
            ::core::option::Option::Some(zh) => zh,
            ::core::option::Option::None => $en,
        }
    };
}

/// A Chinese text of the data file (see [`zh`]): `zh!("取消")` is a
/// [`zh::Key`]; `zh!("收款 {amount}"; amount)` a [`zh::Tpl`], its values
/// named as in the text (`name = expr` for anything but a variable).
#[macro_export]
macro_rules! zh {
    ($text:literal) => {
        $crate::i18n::zh::Key({
            const KEY: u16 = $crate::i18n::zh::index_of($text);
            KEY
        })
    };
    ($text:literal; $($name:ident $(= $value:expr)?),+ $(,)?) => {
        $crate::i18n::zh::Tpl(
            {
                const KEY: u16 = $crate::i18n::zh::index_of($text);
                const _: () = $crate::i18n::zh::check_names($text, &[$(stringify!($name)),+], true);
                KEY
            },
            &[$((stringify!($name), &$crate::zh_value!($name $(, $value)?) as &dyn ::core::fmt::Display)),+],
        )
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! zh_value {
    ($name:ident) => {
        $name
    };
    ($name:ident, $value:expr) => {
        $value
    };
}

mod alerts;
pub mod day_close;
#[cfg(test)]
mod extract;
mod messages;
mod parts;
mod poster;
mod printer;
mod products;
mod security;
mod setup;
pub mod zh;

use std::cell::Cell;

pub use crate::domain::lang::Lang;
pub use alerts::*;
pub use messages::*;
pub use parts::*;
pub use poster::*;
pub use printer::*;
pub use products::*;
pub use security::*;
pub use setup::*;

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// The language on screen. Errors made deep in the app (a refused key, an
/// API error, a storage failure) are worded in it; the screens themselves
/// read the language signal, so they switch at once.
pub fn current() -> Lang {
    CURRENT.with(Cell::get)
}

/// Called by the language state only, whenever the language on screen changes.
pub fn set_current(lang: Lang) {
    CURRENT.with(|c| c.set(lang));
}


/// The one message of both languages, kept in the wasm: the Chinese words
/// could not be fetched (offline before the service worker had them).
pub const CHINESE_UNAVAILABLE: &str =
    "Chinese could not be loaded, so the app stays in English. 无法载入中文，应用暂时显示英文。";
