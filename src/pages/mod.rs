//! One module per screen.

pub mod amount;
