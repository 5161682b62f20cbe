//! Keeps the screen on while a customer is scanning (Screen Wake Lock API).
//! Browsers release the lock when the page is hidden, so it is taken again
//! when the page becomes visible. Where the API is missing nothing is held:
//! the payment screen says so (`available`), so the cashier turns auto-lock off.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;

fn method(target: &JsValue, name: &str) -> Option<js_sys::Function> {
    js_sys::Reflect::get(target, &name.into())
        .ok()?
        .dyn_into()
        .ok()
}

fn wake_lock_api() -> Option<JsValue> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::get(&navigator, &"wakeLock".into())
        .ok()
        .filter(|w| !w.is_undefined() && !w.is_null())
}

/// Whether this browser has the Screen Wake Lock API at all.
pub fn available() -> bool {
    wake_lock_api().is_some()
}

/// The lock held, if any. Plain Rust state, not a signal: it must still be
/// reachable while the component is being cleaned up.
#[derive(Clone, Default)]
struct Held(Rc<RefCell<Option<JsValue>>>);

impl Held {
    fn release(&self) {
        if let Some(sentinel) = self.0.borrow_mut().take() {
            if let Some(release) = method(&sentinel, "release") {
                // Returns a promise that only fails if already released.
                let _ = release.call0(&sentinel);
            }
        }
    }

    fn acquire(&self, still_wanted: impl Fn() -> bool + 'static) {
        let Some(api) = wake_lock_api() else { return };
        let Some(request) = method(&api, "request") else {
            return;
        };
        let Ok(promise) = request
            .call1(&api, &"screen".into())
            .and_then(|p| p.dyn_into::<js_sys::Promise>())
        else {
            return;
        };
        let held = self.clone();
        leptos::task::spawn_local(async move {
            // Refused (battery saver, page hidden): the screen may dim; nothing else changes.
            let Ok(sentinel) = wasm_bindgen_futures::JsFuture::from(promise).await else {
                return;
            };
            held.release();
            *held.0.borrow_mut() = Some(sentinel);
            if !still_wanted() {
                held.release();
            }
        });
    }
}

/// Holds a screen wake lock while `active` is true, for the life of the
/// calling component.
pub fn keep_screen_awake_while(active: Signal<bool>) {
    let held = SendWrapper::new(Held::default());
    let wanted = move || active.try_get_untracked().unwrap_or(false);
    // Sync with the outside world: take or release the lock as `active` changes.
    let for_effect = held.clone();
    Effect::new(move |_| {
        if active.get() {
            for_effect.acquire(wanted);
        } else {
            for_effect.release();
        }
    });
    let for_visibility = held.clone();
    let on_visible = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible && wanted() {
            for_visibility.acquire(wanted);
        }
    });
    on_cleanup(move || {
        on_visible.remove();
        held.release();
    });
}
