//! One module per screen.

pub mod amount;
pub mod payment;
pub mod settings;
