//! Async work tied to the component that started it.

use futures::future::{AbortHandle, Abortable};
use leptos::prelude::on_cleanup;
use std::future::Future;

/// Spawns `task` and aborts it when the current owner (component) is cleaned
/// up. Dropping the task drops its futures, which aborts their fetches.
pub fn spawn_scoped(task: impl Future<Output = ()> + 'static) {
    let (handle, registration) = AbortHandle::new_pair();
    leptos::task::spawn_local(async move {
        let _ = Abortable::new(task, registration).await;
    });
    on_cleanup(move || handle.abort());
}
