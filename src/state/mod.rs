//! What the app keeps: settings, sales and cached asset lists on the device,
//! and the shared signals of the running app.

pub mod app_state;
pub mod poller;
pub mod storage;
pub mod store;
pub mod tasks;
