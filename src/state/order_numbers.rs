//! The device's order numbers: its id and counter in localStorage, made at
//! the first sale. Taking a number writes the counter back before the
//! number is used, so a reload never hands out the same one twice.

use std::cell::RefCell;

use crate::domain::order_number::{device_id_from, DeviceCounter};
use crate::state::local_storage;

const KEY: &str = "mixpay-pos/device";

thread_local! {
    /// Used once localStorage refused a write: a fresh id for this session,
    /// so numbers stay unique even though the stored counter cannot move.
    static SESSION: RefCell<Option<DeviceCounter>> = const { RefCell::new(None) };
}

/// A new device id from the browser's cryptographic random source (the
/// bytes of two UUID v4s, without their fixed version and variant bytes).
fn fresh_device_id() -> String {
    let random: Vec<u8> = (0..2)
        .flat_map(|_| {
            let bytes = *uuid::Uuid::new_v4().as_bytes();
            bytes
                .into_iter()
                .enumerate()
                .filter(|(i, _)| *i != 6 && *i != 8)
                .map(|(_, b)| b)
                .collect::<Vec<_>>()
        })
        .collect();
    device_id_from(&random)
}

/// This device's id and next counter value as stored, without making one.
pub fn current() -> Option<DeviceCounter> {
    SESSION.with(|s| s.borrow().clone()).or_else(|| {
        local_storage::get(KEY)
            .ok()
            .flatten()
            .and_then(|json| DeviceCounter::parse(&json))
    })
}

/// The next order number of this device.
pub fn next() -> String {
    if let Some(number) = SESSION.with(|s| s.borrow_mut().as_mut().map(DeviceCounter::take)) {
        return number;
    }
    let mut counter = local_storage::get(KEY)
        .ok()
        .flatten()
        .and_then(|json| DeviceCounter::parse(&json))
        .unwrap_or_else(|| DeviceCounter::new(fresh_device_id()));
    let number = counter.take();
    if local_storage::set(KEY, &counter.to_stored()).is_ok() {
        return number;
    }
    let mut session = DeviceCounter::new(fresh_device_id());
    let number = session.take();
    SESSION.with(|s| *s.borrow_mut() = Some(session));
    number
}

/// This device's id, made now if it has none yet (a tablet just set up by
/// a link: its own order-number prefix from the start).
pub fn ensure() -> String {
    if let Some(counter) = current() {
        return counter.device_id;
    }
    let counter = DeviceCounter::new(fresh_device_id());
    if local_storage::set(KEY, &counter.to_stored()).is_err() {
        SESSION.with(|s| *s.borrow_mut() = Some(counter.clone()));
    }
    counter.device_id
}
