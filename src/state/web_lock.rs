//! One read-modify-write at a time across the tabs: the Web Locks API
//! (`navigator.locks.request`), where the browser has it; elsewhere the
//! write simply runs (one tab's writes are already one at a time).

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

/// Runs `f` while holding the lock `name`, shared by every tab of the app.
pub async fn with_lock(name: &str, f: impl FnOnce() + 'static) {
    let Some(locks) = web_sys::window()
        .map(|w| w.navigator())
        .and_then(|n| Reflect::get(&n, &"locks".into()).ok())
        .filter(|l| !l.is_undefined())
    else {
        return f();
    };
    let request = Reflect::get(&locks, &"request".into())
        .ok()
        .and_then(|r| r.dyn_into::<Function>().ok());
    let Some(request) = request else {
        return f();
    };
    let f = std::rc::Rc::new(std::cell::Cell::new(Some(f)));
    let held = f.clone();
    let callback = Closure::<dyn FnMut(JsValue)>::new(move |_lock: JsValue| {
        if let Some(f) = held.take() {
            f();
        }
    });
    let promise = request.call2(&locks, &name.into(), callback.as_ref().unchecked_ref());
    if let Ok(p) = promise.and_then(|p| p.dyn_into::<Promise>()) {
        let _ = wasm_bindgen_futures::JsFuture::from(p).await;
    }
    drop(callback);
    // Refused or never called: the write still happens, unlocked.
    if let Some(f) = f.take() {
        f();
    }
}
