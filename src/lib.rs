//! MixPay PoS: a point-of-sale for crypto payments, running in the browser.
//!
//! `domain` holds the rules (money, keypad, links, statuses, verification),
//! `api` talks to MixPay, `state` keeps what survives a reload, and
//! `components`/`pages` only wire signals to those.

pub mod api;
pub mod app;
pub mod clock;
pub mod components;
pub mod domain;
pub mod hooks;
pub mod i18n;
pub mod pages;
pub mod state;
