//! The alerts of cancelled sales paid afterwards, kept in localStorage until
//! the cashier opens the sale or dismisses them: they come back after a
//! reload, and every tab sees them (the storage event). Where localStorage
//! refuses, this tab keeps them in memory.

use std::cell::RefCell;

use crate::domain::late_alert::{self, LateAlert};
use crate::domain::sale::Sale;
use crate::state::local_storage;

const KEY: &str = "mixpay-pos/late-alerts";

type Listener = Box<dyn Fn()>;

thread_local! {
    static HELD: RefCell<Vec<LateAlert>> = const { RefCell::new(Vec::new()) };
    /// Told when this tab raises or drops an alert.
    static LISTENER: RefCell<Option<Listener>> = const { RefCell::new(None) };
}

pub fn is_alerts_key(key: &str) -> bool {
    key == KEY
}

fn stored() -> Vec<LateAlert> {
    local_storage::get(KEY)
        .ok()
        .flatten()
        .map(|j| late_alert::parse(&j))
        .unwrap_or_default()
}

/// Every alert not yet acknowledged, oldest first.
pub fn all() -> Vec<LateAlert> {
    let mut list = stored();
    HELD.with(|h| {
        for a in h.borrow().iter() {
            late_alert::add(&mut list, a.clone());
        }
    });
    list
}

fn save(list: &[LateAlert]) {
    let written = local_storage::set(KEY, &late_alert::to_stored(list));
    HELD.with(|h| *h.borrow_mut() = if written.is_ok() { vec![] } else { list.to_vec() });
}

fn tell() {
    LISTENER.with(|l| {
        if let Some(listener) = l.borrow().as_ref() {
            listener();
        }
    });
}

/// Calls `listener` whenever this tab raises or drops an alert.
pub fn on_change(listener: impl Fn() + 'static) {
    LISTENER.with(|l| *l.borrow_mut() = Some(Box::new(listener)));
}

/// `sale`, cancelled, was just verified Paid.
pub fn raise(sale: &Sale) {
    let mut list = all();
    if late_alert::add(&mut list, LateAlert::of(sale)) {
        save(&list);
        tell();
    }
}

/// The cashier opened the sale or dismissed its alert.
pub fn acknowledge(trace_id: &str) {
    let mut list = all();
    list.retain(|a| a.trace_id != trace_id);
    save(&list);
    tell();
}
