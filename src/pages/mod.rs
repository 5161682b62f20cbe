//! One module per screen.

pub mod amount;
pub mod charge;
pub mod day_close;
pub mod history;
pub mod lock;
pub mod office;
pub mod parts;
pub mod payment;
pub mod poster;
pub mod printer;
pub mod printer_settings;
pub mod products_settings;
pub mod settings;
pub mod setup_tablet;
