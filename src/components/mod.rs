//! Reusable view pieces. They hold no rules of their own: see `crate::domain`.

pub mod keypad;
pub mod qr;
pub mod text;
