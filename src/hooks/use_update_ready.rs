//! "Update available": `public/sw-register.js` tells us when a new version's
//! service worker is waiting; the cashier decides when to switch to it.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn call_window(name: &str) -> Option<wasm_bindgen::JsValue> {
    let window = web_sys::window()?;
    let f = js_sys::Reflect::get(&window, &name.into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    f.call0(&window).ok()
}

/// Whether a new version is waiting, now or later, for the calling component's life.
pub fn use_update_ready() -> Signal<bool> {
    // It may have been announced before the app was listening.
    let ready =
        RwSignal::new(call_window("mixpayUpdateWaiting").and_then(|v| v.as_bool()) == Some(true));
    let listener = window_event_listener_untyped("mixpay-update-ready", move |_| ready.set(true));
    on_cleanup(move || listener.remove());
    ready.into()
}

/// Activates the waiting version; the page reloads once it has taken over.
pub fn apply_update() {
    let _ = call_window("mixpayApplyUpdate");
}
