//! What the app keeps and shares: the sale lifecycle (the one writer of
//! sales) over the write-ahead of open sales (localStorage) and the sale
//! history database (IndexedDB), the settings store, the payment checker,
//! and the shared state of the running app.

pub mod app_state;
pub mod checker;
pub mod language;
pub mod late_alerts;
pub mod local_storage;
pub mod open_sales;
pub mod owner_pin;
pub mod order_numbers;
pub mod problems;
pub mod products;
pub mod provisioning;
pub mod sale_history_db;
pub mod sale_lifecycle;
pub mod sale_path;
pub mod settings_store;
pub mod setup_link;
pub mod shared_checks;
pub mod shared_connection;
pub mod sound;
pub mod web_lock;
pub mod zh_file;
