//! What the app keeps: settings, sales and cached asset lists on the device,
//! and the shared signals of the running app.

pub mod app_state;
pub mod checker;
pub mod journal;
pub mod sales;
pub mod storage;
pub mod store;
pub mod tasks;
pub mod update;
pub mod wake_lock;
