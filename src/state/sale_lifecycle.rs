//! The one owner of a sale's record: create, link ready, apply a result,
//! cancel, re-check, tidy. Pages and the checker call these; nothing else
//! writes a sale.
//!
//! Every write goes through `domain::merge`, twice: synchronously into the
//! localStorage write-ahead (`open_sales`, read-merge-write) before the screen
//! shows anything, then into the IndexedDB history (`sale_history_db`,
//! get-merge-put in one transaction). Whatever the history then knows (a Paid
//! another tab recorded) comes back to the write-ahead and the screen. A
//! sale that is done leaves the write-ahead once the history has it. A sale
//! the write-ahead could not hold (localStorage full) is kept in memory and
//! in the history, and is still checked and brought back on the next start.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::clock::now_ms;
use crate::domain::history::{self, HISTORY_CAP, RECHECK_MAX_AGE_MS};
use crate::domain::merge::merge;
use crate::domain::sale::Sale;
use crate::domain::status::{PaymentResult, SaleStatus};
use crate::state::problems::Problem;
use crate::state::sale_history_db::{PageEnd, Query};
use crate::state::{open_sales, sale_history_db};

/// Where the lifecycle tells the running app what happened.
pub trait SaleEvents: Copy + 'static {
    /// A sale's record changed (here or learnt from the history): show it if
    /// it is on screen, refresh lists.
    fn recorded(&self, sale: &Sale);
    fn problem(&self, problem: Problem);
    /// Whether the sale with this traceId is on this tab's screen.
    fn on_screen(&self, _trace_id: &str) -> bool {
        false
    }
}

thread_local! {
    /// Unfinished sales the write-ahead could not hold (localStorage full or
    /// disabled): still checked, and in the history.
    static SPILLED: RefCell<HashMap<String, Sale>> = RefCell::new(HashMap::new());
    /// Sales created this session, for keeping the history within its cap.
    static CREATED_SINCE_CAP_CHECK: RefCell<usize> = const { RefCell::new(0) };
}

/// How many new sales between two checks of the history's cap.
const CAP_CHECK_EVERY: usize = 10;

/// Done with: final, and not waiting for a late payment any more.
fn is_done(sale: &Sale, now: i64) -> bool {
    sale.status.is_final() && !sale.wants_check(now)
}

fn spill(sale: &Sale) {
    SPILLED.with(|s| {
        let mut spilled = s.borrow_mut();
        let merged = match spilled.get(&sale.trace_id) {
            Some(held) => merge(held, sale),
            None => sale.clone(),
        };
        spilled.insert(sale.trace_id.clone(), merged);
    });
}

fn unspill(trace_id: &str) {
    SPILLED.with(|s| s.borrow_mut().remove(trace_id));
}

/// The freshest copy this tab can read at once: the write-ahead's, else one
/// held in memory.
fn current(trace_id: &str) -> Option<Sale> {
    let spilled = SPILLED.with(|s| s.borrow().get(trace_id).cloned());
    match (open_sales::read(trace_id), spilled) {
        (Some(a), Some(b)) => Some(merge(&a, &b)),
        (a, b) => a.or(b),
    }
}

/// Writes into the write-ahead (merged), then into the history in the
/// background; returns what is now true of the sale.
fn write<E: SaleEvents>(events: E, incoming: Sale) -> Sale {
    let spilled = SPILLED.with(|s| s.borrow().get(&incoming.trace_id).cloned());
    let incoming = match spilled {
        Some(held) => merge(&held, &incoming),
        None => incoming,
    };
    let (merged, written) = open_sales::write_merged(&incoming);
    match written {
        Ok(()) => unspill(&merged.trace_id),
        Err(e) => {
            events.problem(Problem::Storage(e));
            if !is_done(&merged, now_ms()) {
                spill(&merged);
            }
        }
    }
    events.recorded(&merged);
    let for_history = merged.clone();
    leptos::task::spawn_local(async move {
        match sale_history_db::put_merged(std::slice::from_ref(&for_history)).await {
            Ok(mut from_history) => {
                let Some(known) = from_history.pop() else {
                    return;
                };
                settle(events, &for_history, known);
            }
            // The write-ahead copy stays: nothing is lost, the history is behind.
            Err(e) => events.problem(Problem::HistoryDb(e.0)),
        }
    });
    merged
}

/// After the history committed `known` (the merge of what it had and what
/// was written): the write-ahead follows it, and lets go once it is done.
fn settle<E: SaleEvents>(events: E, written: &Sale, known: Sale) {
    if &known != written {
        events.recorded(&known);
    }
    if is_done(&known, now_ms()) {
        if let Err(e) = open_sales::remove(&known.trace_id) {
            events.problem(Problem::Storage(e));
        }
        unspill(&known.trace_id);
    } else if &known != written {
        let (_, written) = open_sales::write_merged(&known);
        if written.is_err() {
            spill(&known);
        }
    }
}

/// A new sale, recorded before its QR is shown.
pub fn create<E: SaleEvents>(events: E, sale: Sale) -> Sale {
    let recorded = write(events, sale);
    let due = CREATED_SINCE_CAP_CHECK.with(|n| {
        let mut n = n.borrow_mut();
        *n += 1;
        *n % CAP_CHECK_EVERY == 0
    });
    if due {
        leptos::task::spawn_local(keep_within_cap(events));
    }
    recorded
}

/// The one-time payment was created at MixPay: the sale has its link.
pub fn link_ready<E: SaleEvents>(events: E, sale: &Sale, link: String) -> Sale {
    let mut sale = current(&sale.trace_id).unwrap_or_else(|| sale.clone());
    if sale.link.is_none() {
        sale.link = Some(link);
        if sale.status == SaleStatus::Creating {
            sale.status = SaleStatus::Waiting;
        }
        sale.updated_ms = now_ms();
    }
    write(events, sale)
}

/// A link not yet created whose expiry has passed gets a fresh one.
pub fn refresh_stale_expiry<E: SaleEvents>(
    events: E,
    sale: &Sale,
    mixpay_now_ms: i64,
    expiry_minutes: u32,
) -> Sale {
    let mut sale = current(&sale.trace_id).unwrap_or_else(|| sale.clone());
    if sale.refresh_stale_expiry(mixpay_now_ms, expiry_minutes) {
        sale.updated_ms = now_ms();
        return write(events, sale);
    }
    sale
}

/// What MixPay answered about a sale. `known` is a copy to start from when
/// this tab holds none (the sale on screen, or one from the history).
pub fn apply_result<E: SaleEvents>(
    events: E,
    trace_id: &str,
    known: Option<Sale>,
    result: PaymentResult,
) -> Option<Sale> {
    let mut sale = match (current(trace_id), known) {
        (Some(a), Some(b)) => merge(&b, &a),
        (a, b) => a.or(b)?,
    };
    let before = sale.status.clone();
    if sale.apply(result, now_ms()) {
        let written = write(events, sale);
        // MixPay has no cancel: a QR the cashier gave up can still be paid.
        let on_screen = events.on_screen(&written.trace_id);
        if crate::domain::late_alert::paid_after_cancel(&before, &written, on_screen) {
            crate::state::late_alerts::raise(&written);
        }
        Some(written)
    } else {
        Some(sale)
    }
}

/// A sale the device lost, found again at MixPay (History's "Find sales at
/// MixPay"): recorded like any other, merged with whatever is known of it.
pub fn record_recovered<E: SaleEvents>(events: E, sale: Sale) -> Sale {
    write(events, sale)
}

/// The cashier left the QR screen: the sale stays, checked in the background.
pub fn cancel<E: SaleEvents>(events: E, sale: &Sale) -> Sale {
    let mut sale = current(&sale.trace_id).unwrap_or_else(|| sale.clone());
    sale.cancelled = true;
    sale.updated_ms = now_ms();
    write(events, sale)
}

/// The cashier keeps a sale whose payment does not match open: it is marked
/// to settle with the customer, and History says so.
pub fn keep_to_settle<E: SaleEvents>(events: E, sale: &Sale) -> Sale {
    let mut sale = current(&sale.trace_id).unwrap_or_else(|| sale.clone());
    sale.to_settle = true;
    sale.updated_ms = now_ms();
    write(events, sale)
}

/// The owner settled a sale kept open (in History): it stays a mismatch,
/// worded "settled" from now on, on every tab and after every merge.
pub fn mark_settled<E: SaleEvents>(events: E, sale: &Sale) -> Sale {
    let mut sale = current(&sale.trace_id)
        .map_or_else(|| sale.clone(), |held| merge(&held, sale));
    sale.settled = true;
    sale.updated_ms = now_ms();
    write(events, sale)
}

/// Merges `copy` into the list's record of the same sale, or adds it.
fn merge_into(list: &mut Vec<Sale>, copy: &Sale) {
    match list.iter_mut().find(|x| x.trace_id == copy.trace_id) {
        Some(x) => *x = merge(x, copy),
        None => list.push(copy.clone()),
    }
}

/// Every copy this tab holds: the write-ahead's and those held in memory, merged.
fn held_copies<E: SaleEvents>(events: E) -> Vec<Sale> {
    let mut sales = match open_sales::all() {
        Ok((sales, unreadable)) => {
            if unreadable > 0 {
                events.problem(Problem::UnreadableSales(unreadable));
            }
            sales
        }
        Err(e) => {
            events.problem(Problem::Storage(e));
            vec![]
        }
    };
    SPILLED.with(|s| {
        for held in s.borrow().values() {
            merge_into(&mut sales, held);
        }
    });
    sales
}

/// The sales worth checking now, of those this tab holds.
pub fn checkable<E: SaleEvents>(events: E) -> Vec<Sale> {
    let now = now_ms();
    let mut sales = held_copies(events);
    sales.retain(|s| s.wants_check(now));
    sales
}

/// At start: the unfinished sales wherever they are (the write-ahead, or
/// only the history when localStorage could not hold them), newest first.
/// Those only in the history are held in memory so they are checked too.
pub async fn unfinished<E: SaleEvents>(events: E) -> Vec<Sale> {
    match sale_history_db::unfinished().await {
        Ok((from_history, _)) => {
            let now = now_ms();
            for sale in from_history {
                if sale.wants_check(now) && open_sales::read(&sale.trace_id).is_none() {
                    spill(&sale);
                }
            }
        }
        Err(e) => events.problem(Problem::HistoryDb(e.0)),
    }
    let mut sales = checkable(events);
    sales.retain(|s| !s.status.is_final());
    sales.sort_by_key(|s| std::cmp::Reverse(s.created_ms));
    sales
}

/// Whether a sale belongs to a History query (its kind, span of time and search).
pub fn in_query(q: &Query, sale: &Sale) -> bool {
    q.kind
        .is_none_or(|k| k == history::status_kind(&sale.status))
        && q.from_ms.is_none_or(|t| sale.created_ms >= t)
        && q.to_ms.is_none_or(|t| sale.created_ms <= t)
        && history::matches_search(sale, &q.search)
}

/// A page of History, newest first: the history's page through its index,
/// with the copies this tab holds merged in (a sale in progress may be newer
/// in the write-ahead, or only there), within the page's span of time.
/// Also whether more follow.
pub async fn history_page<E: SaleEvents>(
    events: E,
    q: &Query,
    after: Option<&PageEnd>,
    limit: usize,
) -> Result<(Vec<Sale>, bool), String> {
    let (mut sales, more, unreadable) = sale_history_db::page(q, after, limit, true)
        .await
        .map_err(|e| e.0)?;
    if unreadable > 0 {
        events.problem(Problem::UnreadableSales(unreadable));
    }
    let oldest = if more {
        sales.last().map(|s| s.created_ms)
    } else {
        None
    };
    let newest = after.map(|(t, _)| *t);
    for copy in held_copies(events) {
        let in_span = oldest.is_none_or(|t| copy.created_ms >= t)
            && newest.is_none_or(|t| copy.created_ms <= t);
        if in_span {
            merge_into(&mut sales, &copy);
        }
    }
    // The merged copy decides the filter (a sale the history has as Waiting
    // that this tab saw Paid is a paid one).
    sales.retain(|s| in_query(q, s));
    sales.sort_by_key(|s| std::cmp::Reverse(s.created_ms));
    Ok((sales, more))
}

/// A sale from the history (older than the write-ahead keeps) about to be
/// re-checked: back in this tab's keeping so the result has a copy to apply to.
pub async fn from_history(trace_id: &str) -> Option<Sale> {
    match current(trace_id) {
        Some(sale) => Some(sale),
        None => sale_history_db::get(trace_id).await.ok().flatten(),
    }
}

/// At start: every write-ahead sale into the history (merged: a final write
/// that landed meanwhile is kept), the done and stale ones out of the
/// write-ahead, and the history within its cap.
pub async fn tidy<E: SaleEvents>(events: E) {
    let local = match open_sales::all() {
        Ok((local, _)) => local,
        Err(e) => return events.problem(Problem::Storage(e)),
    };
    if !local.is_empty() {
        match sale_history_db::put_merged(&local).await {
            Ok(known) => {
                let now = now_ms();
                for sale in known {
                    let stale = now - sale.created_ms >= RECHECK_MAX_AGE_MS;
                    let changed = local
                        .iter()
                        .find(|l| l.trace_id == sale.trace_id)
                        .is_some_and(|l| l != &sale);
                    if changed {
                        // The history knew more (a Paid recorded meanwhile): show that.
                        events.recorded(&sale);
                    }
                    if is_done(&sale, now) || stale {
                        if let Err(e) = open_sales::remove(&sale.trace_id) {
                            events.problem(Problem::Storage(e));
                        }
                    } else if changed {
                        let _ = open_sales::write_merged(&sale);
                    }
                }
            }
            Err(e) => return events.problem(Problem::HistoryDb(e.0)),
        }
    }
    keep_within_cap(events).await;
}

/// Drops the oldest final sales beyond the cap; unfinished sales never.
async fn keep_within_cap<E: SaleEvents>(events: E) {
    match sale_history_db::count().await {
        Ok(n) if (n as usize) <= HISTORY_CAP => {}
        Ok(_) => match sale_history_db::summaries().await {
            Ok(summaries) => {
                let drop = history::to_drop(&summaries, HISTORY_CAP);
                if let Err(e) = sale_history_db::delete(&drop).await {
                    events.problem(Problem::HistoryDb(e.0));
                }
            }
            Err(e) => events.problem(Problem::HistoryDb(e.0)),
        },
        Err(e) => events.problem(Problem::HistoryDb(e.0)),
    }
}
