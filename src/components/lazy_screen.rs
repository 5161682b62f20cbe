//! A screen whose code is a wasm part of its own (see `pages::parts`):
//! "Loading…" while it is fetched, then the screen; if it cannot be fetched,
//! a message with "Try again" in its place.
//!
//! Only the fetch is awaited. The screen itself is made synchronously, in
//! this component's own reactive scope, once its part is in memory: a
//! component made inside a future would own its signals in the future's
//! scope, which is gone while the screen still reads them.

use futures::FutureExt;
use leptos::prelude::*;

use crate::components::erased::signal;
use leptos::task::spawn_local;

use crate::components::text::tr;
use crate::i18n::{self, Msg};
use crate::pages::parts::Part;
use crate::state::app_state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Load {
    Fetching,
    Ready,
    Failed,
}

#[component]
pub fn LazyScreen(part: Part) -> impl IntoView {
    let lang = AppState::expect().lang();
    let load = signal(Load::Fetching);
    // Ready at once when the part is in memory already; else fetched, and
    // a failure is not kept (the next attempt fetches anew).
    let fetch = move || {
        let mut fetching = Box::pin(part.preload());
        match fetching.as_mut().now_or_never() {
            Some(Ok(())) => load.set(Load::Ready),
            Some(Err(_)) => load.set(Load::Failed),
            None => {
                load.set(Load::Fetching);
                spawn_local(async move {
                    let done = if fetching.await.is_ok() { Load::Ready } else { Load::Failed };
                    // The screen may have been left meanwhile.
                    load.try_set(done);
                });
            }
        }
    };
    fetch();
    let failed = move || {
        view! {
            <div class="banner warn part-unavailable" role="alert">
                <p>{move || i18n::part_unavailable(lang.get())}</p>
                <button type="button" on:click=move |_| fetch()>{tr(lang, Msg::TryAgain)}</button>
            </div>
        }
        .into_any()
    };
    move || match load.get() {
        Load::Fetching => view! {
            <p class="loading-part" role="status">{move || i18n::part_loading(lang.get())}</p>
        }
        .into_any(),
        Load::Failed => failed(),
        // In memory: the call into the part completes at once. Untracked:
        // the screen is made once, not again whenever a signal it read changes.
        Load::Ready => match untrack(|| part.load().now_or_never()) {
            Some(Ok(screen)) => screen,
            _ => failed(),
        },
    }
}
