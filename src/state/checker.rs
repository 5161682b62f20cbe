//! The one place that asks MixPay about unfinished sales.
//!
//! Every tab runs it. The tab that holds the app's Web Lock (the leader)
//! checks every unfinished sale: the one on its own screen at the poll
//! interval, the others in the background (`CheckPlan`). Any other tab
//! checks only the sale on its own screen, at the poll interval, while the
//! cashier can see it; the leader then checks that sale at the background
//! pace only, so two tabs never poll one sale at full rate. Requests go
//! through the device-wide budget (`api::budget`), so all tabs together stay
//! under the device's ceiling. One request at a time, backing off after errors.
//!
//! A sale the traceId query keeps calling unknown is also asked by its
//! orderId (a pay link the payer opened by orderId); an error answer that is
//! not "unknown" (maintenance, no permission, …) is said on the sale's
//! screen after a few in a row, and the sale is still checked.

use std::cell::Cell;
use std::rc::Rc;

use futures::channel::mpsc;
use futures::future::{select, Either};
use futures::StreamExt;
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::MixPayClient;
use crate::clock::{monotonic_ms, now_ms};
use crate::api::ApiError;
use crate::domain::recheck::{refusal_kind, AnswerStreaks, CheckPlan, Next, OpenSale, Refusal};
use crate::domain::sale::Sale;
use crate::domain::schedule::{PollSchedule, POLL_INTERVAL_MS};
use crate::state::sale_lifecycle::{self, SaleEvents};
use crate::state::shared_checks;

const LOCK_NAME: &str = "mixpay-pos-checker";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nudge {
    /// Sales changed (a new one, a cancel): look at the plan again.
    Changed,
    /// Check the sale on screen now (tab visible again, back online).
    Hurry,
}

pub type Nudger = mpsc::UnboundedSender<Nudge>;

/// What the checker needs from the running app, and nothing more.
pub trait CheckerHost: SaleEvents {
    /// The API base to ask (from the settings).
    fn api_base(&self) -> String;
    /// The sale on this tab's screen, if any.
    fn sale_on_screen(&self) -> Option<Sale>;
    /// Whether the cashier can see this tab.
    fn visible(&self) -> bool;
    /// Trouble reaching MixPay (`Some`), or none any more.
    fn connection(&self, trouble: Option<String>);
    /// What MixPay keeps answering about a sale (its code and message), or
    /// nothing any more.
    fn answer_trouble(&self, trace_id: &str, trouble: Option<(i64, String)>);
}

/// Starts the checker. Returns the sender that nudges it.
pub fn start<H: CheckerHost>(host: H) -> Nudger {
    let (nudger, nudges) = mpsc::unbounded();
    let leader = Rc::new(Cell::new(false));
    let becomes_leader = leader.clone();
    let hurry = nudger.clone();
    when_leader(move || {
        becomes_leader.set(true);
        let _ = hurry.unbounded_send(Nudge::Changed);
    });
    leptos::task::spawn_local(run(host, leader, nudges));
    nudger
}

/// Runs `become_leader` once this tab holds the app's Web Lock, which it then
/// keeps until the tab closes. Without the Web Locks API (an old browser),
/// every tab checks everything for itself.
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
        leptos::logging::warn!("Web Locks request failed; this tab checks only its own sale");
    }
}

/// What this tab checks now: everything if it leads, else only the sale on
/// its own screen while the cashier can see it. The sale on this tab's
/// screen is the one checked at the poll interval; all others are background.
fn sales_to_check<H: CheckerHost>(host: H, leader: bool) -> Vec<OpenSale> {
    sales_with_records(host, leader).into_iter().map(|(s, _)| s).collect()
}

/// `sales_to_check` with each sale's record (its API base, order number, …).
fn sales_with_records<H: CheckerHost>(host: H, leader: bool) -> Vec<(OpenSale, Sale)> {
    if !leader && !host.visible() {
        return vec![];
    }
    let on_screen = host.sale_on_screen().filter(|s| !s.status.is_final());
    let focus_id = on_screen.as_ref().map(|s| s.trace_id.clone());
    let mut sales = if leader {
        sale_lifecycle::checkable(host)
    } else {
        vec![]
    };
    // The sale on screen, even if the write-ahead could not take it.
    if let Some(s) = on_screen {
        if !sales.iter().any(|x| x.trace_id == s.trace_id) {
            sales.push(s);
        }
    }
    let now = now_ms();
    sales
        .into_iter()
        .filter(|s| s.wants_check(now))
        .map(|s| {
            let open = OpenSale {
                age_ms: now - s.created_ms,
                focus: focus_id.as_deref() == Some(s.trace_id.as_str()),
                trace_id: s.trace_id.clone(),
            };
            (open, s)
        })
        .collect()
}

/// Asks MixPay about `sale`: by its traceId, or by its orderId and payee
/// (`by_order`). An answer by orderId that names another order is not
/// about this sale: read as "unknown".
async fn ask(client: &MixPayClient, sale: &Sale, by_order: bool) -> Result<crate::domain::status::PaymentResult, ApiError> {
    if !by_order {
        return client.payments_result(&sale.trace_id).await;
    }
    let (result, order, _) = client
        .payments_result_by_order(sale.order_id(), &sale.params.payee_id)
        .await?;
    if !order.trim().is_empty() && order.trim() != sale.order_id() {
        return Err(ApiError::Refused {
            code: -3,
            message: String::new(),
        });
    }
    Ok(result)
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

async fn run<H: CheckerHost>(
    host: H,
    leader: Rc<Cell<bool>>,
    mut nudges: mpsc::UnboundedReceiver<Nudge>,
) {
    let mut plan = CheckPlan::default();
    let mut streaks = AnswerStreaks::default();
    // Backoff of the whole device: only for trouble reaching MixPay at all.
    let mut network = PollSchedule::default();
    let troubled = Cell::new(false);
    // MixPay answered (or there is nothing to ask): no more "reconnecting".
    let connection_ok = |network: &mut PollSchedule| {
        network.succeeded();
        if troubled.replace(false) {
            host.connection(None);
        }
    };
    loop {
        let (open, records): (Vec<OpenSale>, Vec<Sale>) =
            sales_with_records(host, leader.get()).into_iter().unzip();
        if open.is_empty() {
            connection_ok(&mut network);
        }
        streaks.retain(|id| open.iter().any(|s| s.trace_id == id));
        let wait = match plan.next(&open, monotonic_ms()) {
            Next::Sleep(ms) => ms,
            Next::Check(trace_id)
                if shared_checks::checked_within(&trace_id, f64::from(POLL_INTERVAL_MS) * 0.8) =>
            {
                // Another tab asked a moment ago; its answer reaches us through the write-ahead.
                if let Some(sale) = open.iter().find(|s| s.trace_id == trace_id) {
                    plan.checked(sale, monotonic_ms());
                }
                0
            }
            Next::Check(trace_id) => {
                shared_checks::mark(&trace_id);
                let Some(i) = open.iter().position(|s| s.trace_id == trace_id) else {
                    continue;
                };
                let (sale, record) = (&open[i], &records[i]);
                // Each sale is checked where it was made, never at a base
                // changed since.
                let client = MixPayClient::new(record.check_base(&host.api_base()));
                let by_order = !record.order_id().is_empty() && streaks.ask_by_order(&trace_id);
                let answer = ask(&client, record, by_order).await;
                let now = monotonic_ms();
                match answer {
                    Ok(result) => {
                        connection_ok(&mut network);
                        plan.checked(sale, now);
                        host.answer_trouble(&trace_id, None);
                        // "unpaid" is also how MixPay answers a pay link it
                        // does not know (a one-time payment it created, it
                        // knows): counted like "unknown" for the orderId
                        // question. Asked by orderId, it is never applied (it
                        // would only turn a payment seen by traceId back).
                        let unpaid = record.mode == crate::domain::settings::PaymentMode::PayLink
                            && result.status.trim().eq_ignore_ascii_case("unpaid");
                        if unpaid {
                            streaks.refused(&trace_id, Refusal::Unknown, 0, "");
                        } else {
                            streaks.answered(&trace_id, by_order);
                        }
                        if !(unpaid && by_order) {
                            let known = host.sale_on_screen().filter(|s| s.trace_id == trace_id);
                            sale_lifecycle::apply_result(host, &trace_id, known, result);
                        }
                        0
                    }
                    Err(error) if error.is_connection_trouble() => {
                        plan.checked(sale, now);
                        let backoff = network.failed(js_sys::Math::random());
                        troubled.set(true);
                        host.connection(Some(crate::i18n::reconnecting(
                            crate::i18n::current(),
                            &error.to_string(),
                            backoff.div_ceil(1000),
                        )));
                        i64::from(backoff)
                    }
                    // An error answer about this sale alone (a traceId MixPay
                    // does not know yet, say): "not paid yet" for it. MixPay
                    // answered, so the connection is fine; only this sale
                    // waits a little longer. Any other refusal, a few times
                    // in a row, is said on the sale's screen.
                    Err(error) => {
                        connection_ok(&mut network);
                        plan.refused(sale, now, js_sys::Math::random());
                        let (code, message) = match &error {
                            ApiError::Refused { code, message } => (*code, message.clone()),
                            other => (0, other.to_string()),
                        };
                        let kind = match error {
                            // Asked by orderId, "no such order" is only "unknown".
                            ApiError::Refused { code: -3 | 40022 | 1017 | 10011, .. } if by_order => {
                                Refusal::Unknown
                            }
                            ApiError::Refused { code, .. } => refusal_kind(record, code),
                            _ => Refusal::Other,
                        };
                        streaks.refused(&trace_id, kind, code, &message);
                        host.answer_trouble(&trace_id, streaks.trouble(&trace_id));
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
            Woken::Nudged(Nudge::Hurry) => {
                plan.hurry(&sales_to_check(host, leader.get()), monotonic_ms())
            }
            Woken::Closed => return,
        }
    }
}
