//! Reusable view pieces. They hold no rules of their own: see `crate::domain`.

pub mod cart;
pub mod erased;
pub mod find_sales;
pub mod keypad;
pub mod late_alerts;
pub mod lazy_screen;
pub mod product_grid;
pub mod payee_fingerprint;
pub mod print_sheet;
pub mod qr;
pub mod receipt;
pub mod text;
pub mod tip_screen;
