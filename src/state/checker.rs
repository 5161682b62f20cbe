//! The one place that asks MixPay about unfinished sales. Only one tab of
//! the app runs it (it holds a Web Lock; another tab takes over when that
//! one closes), so two tabs never poll twice. It checks the sale on screen at
//! the poll interval and sales left behind in the background (`CheckPlan`),
//! one request at a time, backing off after errors.

use futures::channel::mpsc;
use futures::future::{select, Either};
use futures::StreamExt;
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use leptos::prelude::{GetUntracked, Set, WithUntracked};

use crate::api::MixPayClient;
use crate::clock::{monotonic_ms, now_ms};
use crate::domain::recheck::{CheckPlan, Next, OpenSale};
use crate::domain::schedule::PollSchedule;
use crate::domain::status::PaymentResult;
use crate::state::app_state::AppState;
use crate::state::{sales, store};

const LOCK_NAME: &str = "mixpay-pos-checker";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nudge {
    /// Sales changed (a new one, a cancel): look at the plan again.
    Changed,
    /// Check the sale on screen now (tab visible again, back online).
    Hurry,
}

pub type Nudger = mpsc::UnboundedSender<Nudge>;

/// Starts the checker once this tab holds the lock. Returns the sender that
/// nudges it; nudges sent before it runs are kept until it does.
pub fn start(state: AppState) -> Nudger {
    let (nudger, nudges) = mpsc::unbounded();
    let mut nudges = Some(nudges);
    when_leader(move || {
        state.leader.set(true);
        if let Some(nudges) = nudges.take() {
            leptos::task::spawn_local(run(state, nudges));
        }
    });
    nudger
}

/// Runs `become_leader` once this tab holds the app's Web Lock, which it then
/// keeps until the tab closes. Without the Web Locks API (an old browser),
/// every tab checks for itself.
fn when_leader(become_leader: impl FnOnce() + 'static) {
    let locks = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"locks".into()).ok())
        .filter(|l| !l.is_undefined() && !l.is_null());
    let request = locks.as_ref().and_then(|l| {
        js_sys::Reflect::get(l, &"request".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    });
    let (Some(locks), Some(request)) = (locks, request) else {
        become_leader();
        return;
    };
    let granted = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
        become_leader();
        // Never settles: the lock is held for the life of the tab.
        js_sys::Promise::new(&mut |_, _| {}).into()
    });
    if request.call2(&locks, &LOCK_NAME.into(), &granted).is_err() {
        leptos::logging::warn!("Web Locks request failed; this tab will not check payments");
    }
}

/// The unfinished sales: those in localStorage, and the one on screen even
/// if localStorage could not take it (full or disabled), so it is still checked.
fn open_sales(state: AppState) -> Vec<OpenSale> {
    let mut sales = store::local_sales()
        .map(|(sales, _)| sales)
        .unwrap_or_default();
    if let Some(on_screen) = state.sale.get_untracked() {
        if !sales.iter().any(|s| s.trace_id == on_screen.trace_id) {
            sales.push(on_screen);
        }
    }
    let now = now_ms();
    sales
        .into_iter()
        .filter(|s| s.wants_check(now))
        .map(|s| OpenSale {
            age_ms: now - s.created_ms,
            // On screen and unfinished: checked at the poll interval. A
            // failed-by-expiry sale is re-checked in the background only.
            focus: !s.cancelled && !s.status.is_final(),
            trace_id: s.trace_id,
        })
        .collect()
}

/// Applies a result to the stored sale (read fresh: the cashier may have
/// cancelled it meanwhile; the copy on screen if there is none) and records
/// it if anything changed.
pub fn apply_result(state: AppState, trace_id: &str, result: PaymentResult) {
    let stored = store::load_sale(trace_id).or_else(|| {
        state
            .sale
            .get_untracked()
            .filter(|s| s.trace_id == trace_id)
    });
    let Some(mut sale) = stored else { return };
    if sale.apply(result, now_ms()) {
        sales::record(state, &sale);
        state.show_if_on_screen(&sale);
    }
}

enum Woken {
    Timer,
    Nudged(Nudge),
    Closed,
}

async fn sleep_or_nudge(ms: i64, nudges: &mut mpsc::UnboundedReceiver<Nudge>) -> Woken {
    match select(
        TimeoutFuture::new(ms.clamp(0, u32::MAX as i64) as u32),
        nudges.next(),
    )
    .await
    {
        Either::Left(_) => Woken::Timer,
        Either::Right((Some(n), _)) => Woken::Nudged(n),
        Either::Right((None, _)) => Woken::Closed,
    }
}

/// Clears the "reconnecting" state (only if set, so views are not woken for nothing).
fn connection_ok(state: AppState) {
    if state.connection.with_untracked(Option::is_some) {
        state.connection.set(None);
    }
}

async fn run(state: AppState, mut nudges: mpsc::UnboundedReceiver<Nudge>) {
    let mut plan = CheckPlan::default();
    // Backoff of the whole device: only for trouble reaching MixPay at all.
    let mut network = PollSchedule::default();
    loop {
        let open = open_sales(state);
        if open.is_empty() {
            // Nothing to check: nothing to be reconnecting for.
            connection_ok(state);
        }
        let wait = match plan.next(&open, monotonic_ms()) {
            Next::Sleep(ms) => ms,
            Next::Check(trace_id) => {
                let client =
                    MixPayClient::new(&state.settings.with_untracked(|s| s.api_base.clone()));
                let answer = client.payments_result(&trace_id).await;
                let sale = open.iter().find(|s| s.trace_id == trace_id);
                let now = monotonic_ms();
                match answer {
                    Ok(result) => {
                        network.succeeded();
                        connection_ok(state);
                        if let Some(sale) = sale {
                            plan.checked(sale, now);
                        }
                        apply_result(state, &trace_id, result);
                        0
                    }
                    Err(error) if error.is_connection_trouble() => {
                        if let Some(sale) = sale {
                            plan.checked(sale, now);
                        }
                        let backoff = network.failed(js_sys::Math::random());
                        state.connection.set(Some(format!(
                            "Reconnecting — {error} Next check in {} s.",
                            backoff.div_ceil(1000)
                        )));
                        i64::from(backoff)
                    }
                    // An error answer about this sale alone (a traceId MixPay
                    // does not know yet, say): "not paid yet" for it. MixPay
                    // answered, so the connection is fine; only this sale
                    // waits a little longer.
                    Err(_) => {
                        network.succeeded();
                        connection_ok(state);
                        if let Some(sale) = sale {
                            plan.refused(sale, now, js_sys::Math::random());
                        }
                        0
                    }
                }
            }
        };
        if wait == 0 {
            continue;
        }
        match sleep_or_nudge(wait, &mut nudges).await {
            Woken::Timer | Woken::Nudged(Nudge::Changed) => {}
            Woken::Nudged(Nudge::Hurry) => plan.hurry(&open_sales(state), monotonic_ms()),
            Woken::Closed => return,
        }
    }
}
