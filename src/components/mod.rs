//! Reusable view pieces. They hold no rules of their own: see `crate::domain`.

pub mod cart;
pub mod keypad;
pub mod product_grid;
pub mod qr;
