//! The one message catalogue: every word the app shows, in English and in
//! Simplified Chinese. Plain Rust (no Leptos, no web APIs), tested natively.
//!
//! Fixed words are [`Msg`]s (`Msg::Cancel.text(lang)`); words with values in
//! them are functions here taking the language first. The errors of the
//! domain and of the MixPay client write themselves through this catalogue
//! (their `Display`) in the language on screen when they are made: see
//! [`current`].

/// Picks the English or the Chinese of a message.
macro_rules! pick {
    ($lang:expr, $en:expr, $zh:expr $(,)?) => {
        match $lang {
            $crate::i18n::Lang::En => $en,
            $crate::i18n::Lang::ZhHans => $zh,
        }
    };
}

mod alerts;
mod messages;
mod parts;
mod poster;
mod products;
mod security;

use std::cell::Cell;

pub use crate::domain::lang::Lang;
pub use alerts::*;
pub use messages::*;
pub use parts::*;
pub use poster::*;
pub use products::*;
pub use security::*;

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

