//! Plain Rust types for the point-of-sale's rules: no Leptos, no web APIs,
//! so every rule is unit-tested natively with `cargo test --lib`.

pub mod cart;
pub mod escpos;
pub mod catalogue;
pub mod clock_offset;
pub mod config_fields;
pub mod day_close;
pub mod history;
pub mod json;
pub mod keypad;
pub mod lang;
pub mod late_alert;
pub mod link;
pub mod merge;
pub mod money;
pub mod money_format;
pub mod order_number;
pub mod product_import;
pub mod origins;
pub mod outcome;
pub mod paid_proof;
pub mod payee;
pub mod pin;
pub mod qr;
pub mod rebuild;
pub mod receipt;
pub mod recheck;
pub mod sale;
pub mod schedule;
pub mod settings;
pub mod setup_link;
pub mod status;
pub mod stored;
pub mod text;
pub mod tip;
