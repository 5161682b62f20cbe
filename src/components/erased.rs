//! Leptos' `<For>` and `<Show>` behind one non-generic function each, and
//! `Memo::new`/`RwSignal::new` behind one function per value type.
//!
//! Every `<For>` or `<Show>` in a `view!` is a copy of Leptos' list or
//! switch code made for its own closure and child types (5-8 KB of wasm for
//! a `<For>`, about 1 KB for a `<Show>`). Here the rows, the condition and
//! the children come in boxed, so all the lists of the app share one copy,
//! and all the conditional blocks another. Same DOM, same updates: a row is
//! drawn only when its key is new, a block only when its condition turns
//! true.

use leptos::prelude::*;

/// One row of a [`keyed`] list: its key, and how to draw it (called only
/// when no row with this key was on screen).
pub struct Row {
    key: String,
    draw: Box<dyn FnOnce() -> AnyView + Send>,
}

impl Row {
    pub fn new(key: String, draw: impl FnOnce() -> AnyView + Send + 'static) -> Self {
        Row { key, draw: Box::new(draw) }
    }
}

/// A keyed list, as Leptos' `<For>`: `rows` is re-run when a signal it
/// reads changes; rows whose key was on screen stay as they are.
pub fn keyed(rows: impl Fn() -> Vec<Row> + Send + 'static) -> AnyView {
    keyed_boxed(Box::new(rows))
}

#[inline(never)]
fn keyed_boxed(rows: Box<dyn Fn() -> Vec<Row> + Send>) -> AnyView {
    view! {
        <For each=move || rows() key=|row: &Row| row.key.clone() children=|row: Row| (row.draw)() />
    }
    .into_any()
}

/// `children` while `when` is true, as Leptos' `<Show>`: drawn again only
/// when `when` turns from false to true.
pub fn shown(
    when: impl Fn() -> bool + Send + Sync + 'static,
    children: impl Fn() -> AnyView + Send + Sync + 'static,
) -> AnyView {
    switch_boxed(Box::new(when), Box::new(children), None)
}

/// `yes` while `when` is true, else `no` (`<Show>` with a fallback).
pub fn switch(
    when: impl Fn() -> bool + Send + Sync + 'static,
    yes: impl Fn() -> AnyView + Send + Sync + 'static,
    no: impl Fn() -> AnyView + Send + Sync + 'static,
) -> AnyView {
    switch_boxed(Box::new(when), Box::new(yes), Some(Box::new(no)))
}

type Draw = Box<dyn Fn() -> AnyView + Send + Sync>;

#[inline(never)]
fn switch_boxed(when: Box<dyn Fn() -> bool + Send + Sync>, yes: Draw, no: Option<Draw>) -> AnyView {
    let when = memo_boxed(when);
    (move || {
        if when.get() {
            Some(yes())
        } else {
            no.as_ref().map(|no| no())
        }
    })
    .into_any()
}

/// `Memo::new`, made once per value type: Leptos' memo code inlined at each
/// call site, or copied per closure type, is what the component bodies were
/// mostly made of.
pub fn memo<T: PartialEq + Send + Sync + 'static>(f: impl Fn() -> T + Send + Sync + 'static) -> Memo<T> {
    memo_boxed(Box::new(f))
}

#[inline(never)]
fn memo_boxed<T: PartialEq + Send + Sync + 'static>(f: Box<dyn Fn() -> T + Send + Sync>) -> Memo<T> {
    Memo::new(move |_| f())
}

/// `RwSignal::new`, made once per value type rather than inlined at each
/// call site.
#[inline(never)]
pub fn signal<T: Send + Sync + 'static>(value: T) -> RwSignal<T> {
    RwSignal::new(value)
}
