//! History's "Find sales at MixPay" (the owner's, behind the PIN): walks the
//! device's order numbers (`domain::rebuild::Walk`), asks MixPay about each
//! one this device does not hold (`payments_result?orderId&payeeId`, through
//! the device's request budget like every request), and records each sale
//! MixPay knows, read by the same rule as every answer. With progress and a
//! Stop button. After the storage was cleared the owner types the device ID
//! of the old order numbers (on any receipt).

use std::cell::Cell;
use std::collections::HashSet;
use std::rc::Rc;

use leptos::prelude::*;

use crate::api::{ApiError, MixPayClient};
use crate::clock::now_ms;
use crate::domain::order_number::is_device_id;
use crate::domain::rebuild::{recovered_sale, NotRecovered, Walk};
use crate::i18n;
use crate::state::app_state::AppState;
use crate::state::sale_history_db::{self, PageEnd, Query};
use crate::state::{open_sales, order_numbers, sale_lifecycle};

/// The order numbers of every sale this device holds.
async fn known_orders() -> Result<HashSet<String>, String> {
    let mut known: HashSet<String> = open_sales::all()
        .map(|(sales, _)| sales.into_iter().map(|s| s.params.order_id).collect())
        .unwrap_or_default();
    let q = Query { kind: None, from_ms: None, to_ms: None, search: String::new() };
    let mut after: Option<PageEnd> = None;
    loop {
        let (sales, more, _) = sale_history_db::page(&q, after.as_ref(), 500, false)
            .await
            .map_err(|e| e.0)?;
        after = sales.last().map(|s| (s.created_ms, s.trace_id.clone()));
        known.extend(sales.into_iter().map(|s| s.params.order_id));
        if !more || after.is_none() {
            return Ok(known);
        }
    }
}

/// Walks `walk` to its end (or Stop); says how it went, as it goes, in `note`.
async fn find(state: AppState, mut walk: Walk, stop: Rc<Cell<bool>>, note: RwSignal<Option<String>>) {
    let lang = move || state.lang().get_untracked();
    let settings = state.settings().get_untracked();
    let client = MixPayClient::new(&settings.api_base);
    let mut found = 0;
    let known = match known_orders().await {
        Ok(k) => k,
        Err(why) => return note.set(Some(i18n::find_failed(lang(), 0, 0, &why))),
    };
    while let Some(order) = walk.next_order_id() {
        if stop.get() {
            return note.set(Some(i18n::find_stopped(lang(), walk.asked(), found)));
        }
        if known.contains(&order) {
            walk.record(true);
            continue;
        }
        match client.payments_result_by_order(&order, &settings.payee_id).await {
            Ok((result, answer_order, date)) => {
                match recovered_sale(&settings, &order, &answer_order, date, result, now_ms()) {
                    Ok(sale) => {
                        if sale_lifecycle::from_history(&sale.trace_id).await.is_none() {
                            sale_lifecycle::record_recovered(state, sale);
                            found += 1;
                        }
                        walk.record(true);
                    }
                    // Known to MixPay, but nothing to record.
                    Err(NotRecovered::NoAmount) => walk.record(true),
                    // "unpaid" with no payment behind it: an unknown number.
                    Err(_) => walk.record(false),
                }
            }
            // "No such order": a number never sent to MixPay.
            Err(ApiError::Refused { .. }) => walk.record(false),
            // The device's budget waits out the pause; the same number again.
            Err(ApiError::RateLimited) => {}
            Err(e) => {
                return note.set(Some(i18n::find_failed(lang(), walk.asked(), found, &e.to_string())));
            }
        }
        note.set(Some(i18n::find_progress(lang(), walk.asked(), found)));
    }
    note.set(Some(i18n::find_done(lang(), walk.asked(), found)));
}

#[component]
pub fn FindSales() -> impl IntoView {
    let state = AppState::expect();
    let lang = state.lang();
    let own = order_numbers::current();
    let device = RwSignal::new(own.as_ref().map(|c| c.device_id.clone()).unwrap_or_default());
    let note = RwSignal::new(None::<String>);
    let stop = StoredValue::new_local(Rc::new(Cell::new(false)));
    let running = RwSignal::new(false);
    let start = move |_| {
        let id = device.get_untracked().trim().to_ascii_uppercase();
        if !is_device_id(&id) {
            return note.set(Some(i18n::bad_device_id(lang.get_untracked()).into()));
        }
        let end = own.as_ref().filter(|c| c.device_id == id).map(|c| c.next);
        let flag = Rc::new(Cell::new(false));
        stop.set_value(flag.clone());
        running.set(true);
        note.set(Some(i18n::find_progress(lang.get_untracked(), 0, 0)));
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            find(state, Walk::new(&id, end), flag, note).await;
            running.set(false);
        });
    };
    view! {
        <div class="find-sales">
            <p class="hint">{move || i18n::find_sales_hint(lang.get())}</p>
            <label>{move || i18n::device_id(lang.get())} " "
                <input type="text" maxlength="6" autocapitalize="characters" prop:value=move || device.get()
                    on:input=move |ev| device.set(event_target_value(&ev)) disabled=move || running.get() />
            </label>
            <button type="button" on:click=move |ev| if running.get_untracked() { stop.with_value(|s| s.set(true)) } else { start(ev) }>
                {move || if running.get() { i18n::stop(lang.get()) } else { i18n::find_sales(lang.get()) }}
            </button>
            <p class="find-progress" aria-live="polite">{move || note.get()}</p>
        </div>
    }
}
