//! The sales history in IndexedDB: one record per sale, keyed by traceId,
//! with an index of the sales still worth checking (`open` = 1), indexes on
//! the sale's time (`created`, and `kind_created` per kind of status) that
//! History pages through newest first, and a small per-day totals store
//! (`days`) kept in the same transaction as every write of a sale.
//!
//! Why IndexedDB: 10,000 sales do not fit in localStorage's 5 MB, and a put
//! writes one sale without touching the others. Sales in progress are also
//! written synchronously to localStorage first (`open_sales`), because an
//! IndexedDB write completes only after the frame that shows the QR.
//!
//! Every write is get-merge-put inside one readwrite transaction
//! (`domain::merge`), so no writer can undo a verdict another one recorded.
//! The connection cannot hang the app: an upgrade blocked by another tab is
//! an error, a newer version opened elsewhere closes ours (and says so), and
//! a connection the browser closed is opened again once.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    IdbCursorWithValue, IdbDatabase, IdbIndexParameters, IdbObjectStore, IdbObjectStoreParameters,
    IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode, IdbVersionChangeEvent,
};

use crate::clock::local_day;
use crate::domain::history::{self, DayTotal};
use crate::domain::merge::merge;
use crate::domain::money::Amount;
use crate::domain::sale::Sale;

const DB_NAME: &str = "mixpay-pos";
/// 1: the sales store; 2: the `open` index; 3: the `created` and
/// `kind_created` indexes, the `kind` and `day` fields, the `days` store.
const DB_VERSION: u32 = 3;
const STORE: &str = "sales";
const OPEN_INDEX: &str = "open";
/// Sales by time (`created_ms`), for paging newest first.
const CREATED_INDEX: &str = "created";
/// Sales by `[kind, created_ms]`: one kind of status, by time.
const KIND_INDEX: &str = "kind_created";
/// Totals of verified payments per `[day, currency]`.
const DAYS: &str = "days";
/// The `days` record that says the totals were counted from the sales (a
/// store without it is rebuilt before it is read).
const BUILT_DAY: &str = "built";
/// What the totals' records hold, written in the marker: 1 count and sum;
/// 2 also subtotal and tips. A store built by another version is counted
/// again from the sales before it is read.
const TOTALS_VERSION: f64 = 2.0;
/// Stored beside the JSON so the cap can be enforced without parsing sales.
const CREATED: &str = "created_ms";
/// The texts History's search looks in, lowercased, beside the JSON so a
/// search does not parse every sale it passes.
const SEARCH: &str = "search";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryDbError(pub String);

impl std::fmt::Display for HistoryDbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn js_error(e: JsValue) -> HistoryDbError {
    let name = js_sys::Reflect::get(&e, &"name".into())
        .ok()
        .and_then(|n| n.as_string());
    let message = js_sys::Reflect::get(&e, &"message".into())
        .ok()
        .and_then(|m| m.as_string());
    HistoryDbError(match (name, message) {
        (Some(n), Some(m)) if !m.is_empty() => format!("{n}: {m}"),
        (Some(n), _) => n,
        _ => format!("{e:?}"),
    })
}

/// Runs its function when dropped. A future waiting on an IndexedDB event
/// can be dropped before the event (History left in the middle of a walk);
/// the handlers must come off the request before their closures are freed,
/// or the browser calls a freed closure ("closure invoked ... after being
/// dropped", seen in WebKit).
struct OnDrop<F: FnOnce()>(Option<F>);

impl<F: FnOnce()> Drop for OnDrop<F> {
    fn drop(&mut self) {
        if let Some(f) = self.0.take() {
            f();
        }
    }
}

/// Takes a request's success and error handlers off when dropped.
fn detach_on_drop(req: &IdbRequest) -> OnDrop<impl FnOnce()> {
    let req = req.clone();
    OnDrop(Some(move || {
        req.set_onsuccess(None);
        req.set_onerror(None);
    }))
}

/// Waits for one of an IndexedDB object's events. `install` sets the
/// handlers (the `Ok` one and the `Err` one); `uninstall` removes them.
async fn next_event(
    install: impl FnOnce(&js_sys::Function, &js_sys::Function),
    uninstall: impl FnOnce(),
) -> Result<(), ()> {
    let (tx, rx) = oneshot::channel::<Result<(), ()>>();
    let tx = Rc::new(RefCell::new(Some(tx)));
    let ok_tx = tx.clone();
    let ok = Closure::<dyn FnMut()>::new(move || {
        if let Some(t) = ok_tx.borrow_mut().take() {
            let _ = t.send(Ok(()));
        }
    });
    let err = Closure::<dyn FnMut()>::new(move || {
        if let Some(t) = tx.borrow_mut().take() {
            let _ = t.send(Err(()));
        }
    });
    install(ok.as_ref().unchecked_ref(), err.as_ref().unchecked_ref());
    // Declared after the closures, so dropped (handlers off) before them,
    // also when this future is dropped while waiting.
    let _uninstall = OnDrop(Some(uninstall));
    rx.await.unwrap_or(Err(()))
}

async fn request(req: IdbRequest) -> Result<JsValue, HistoryDbError> {
    let r = req.clone();
    let outcome = next_event(
        |ok, err| {
            req.set_onsuccess(Some(ok));
            req.set_onerror(Some(err));
        },
        move || {
            r.set_onsuccess(None);
            r.set_onerror(None);
        },
    )
    .await;
    match outcome {
        Ok(()) => req.result().map_err(js_error),
        Err(()) => Err(req
            .error()
            .ok()
            .flatten()
            .map(|e| HistoryDbError(format!("{}: {}", e.name(), e.message())))
            .unwrap_or_else(|| HistoryDbError("request failed".into()))),
    }
}

/// Resolves once the transaction has committed.
async fn committed(tx: IdbTransaction) -> Result<(), HistoryDbError> {
    let t = tx.clone();
    let outcome = next_event(
        |ok, err| {
            tx.set_oncomplete(Some(ok));
            tx.set_onerror(Some(err));
            tx.set_onabort(Some(err));
        },
        move || {
            t.set_oncomplete(None);
            t.set_onerror(None);
            t.set_onabort(None);
        },
    )
    .await;
    outcome.map_err(|()| {
        tx.error()
            .map(|e| HistoryDbError(format!("{}: {}", e.name(), e.message())))
            .unwrap_or_else(|| HistoryDbError("transaction aborted".into()))
    })
}

thread_local! {
    static DB: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
    /// Told when another tab opens a newer version (this tab must reload).
    static ON_NEWER_VERSION: RefCell<Option<Box<dyn Fn()>>> = const { RefCell::new(None) };
    /// Handlers that must live as long as the connection.
    static CONNECTION_HANDLERS: RefCell<Vec<Closure<dyn FnMut()>>> = const { RefCell::new(Vec::new()) };
}

/// Calls `listener` when another tab opens a newer version of the database
/// (this tab's connection is then closed and it should reload).
pub fn on_newer_version_elsewhere(listener: impl Fn() + 'static) {
    ON_NEWER_VERSION.with(|l| *l.borrow_mut() = Some(Box::new(listener)));
}

fn forget_connection() {
    DB.with(|d| *d.borrow_mut() = None);
}

/// The `open` field of a record: 1 while the sale is worth checking (an
/// index cannot hold booleans). A failed sale is (any failure can still be
/// followed by a payment, for a while: `Sale::wants_check`).
fn open_flag(sale: &Sale) -> f64 {
    if sale.status.is_final() && !matches!(sale.status, crate::domain::status::SaleStatus::Failed { .. }) {
        0.0
    } else {
        1.0
    }
}

/// Creates what this version needs; from versions 1 and 2, fills the fields
/// the new indexes read in every record. The totals are counted from the
/// sales the first time they are read (`day_totals`).
fn upgrade(open: &IdbOpenDbRequest, old_version: f64) {
    let Ok(result) = open.result() else { return };
    let db: IdbDatabase = result.unchecked_into();
    let Some(tx) = open.transaction() else { return };
    let store = if db.object_store_names().contains(STORE) {
        tx.object_store(STORE).ok()
    } else {
        let params = IdbObjectStoreParameters::new();
        params.set_key_path(&JsValue::from_str("trace_id"));
        db.create_object_store_with_optional_parameters(STORE, &params)
            .ok()
    };
    let Some(store) = store else { return };
    let indexes: [(&str, JsValue); 3] = [
        (OPEN_INDEX, OPEN_INDEX.into()),
        (CREATED_INDEX, CREATED.into()),
        (
            KIND_INDEX,
            js_sys::Array::of2(&"kind".into(), &CREATED.into()).into(),
        ),
    ];
    for (name, key_path) in indexes {
        if !store.index_names().contains(name) {
            let _ = store.create_index_with_str_sequence_and_optional_parameters(
                name,
                &key_path,
                &IdbIndexParameters::new(),
            );
        }
    }
    if !db.object_store_names().contains(DAYS) {
        let params = IdbObjectStoreParameters::new();
        params.set_key_path(&js_sys::Array::of2(&"day".into(), &"currency".into()).into());
        let _ = db.create_object_store_with_optional_parameters(DAYS, &params);
    }
    if (1.0..3.0).contains(&old_version) {
        backfill_fields(&store);
    }
}

/// Walks every record once, inside the upgrade's transaction, and writes
/// the fields of this version from its sale.
fn backfill_fields(store: &IdbObjectStore) {
    let Ok(cursor_request) = store.open_cursor() else {
        return;
    };
    let req = cursor_request.clone();
    let step = Closure::<dyn FnMut()>::new(move || {
        let Some(cursor) = req
            .result()
            .ok()
            .and_then(|c| c.dyn_into::<IdbCursorWithValue>().ok())
        else {
            return;
        };
        if let Ok(record) = cursor.value() {
            // An unreadable sale keeps its record (never lost) out of the new indexes.
            if let Some(sale) = sale_of(&record) {
                if let Ok(fresh) = record_of(&sale) {
                    let _ = cursor.update(&fresh);
                }
            } else {
                let _ = js_sys::Reflect::set(&record, &OPEN_INDEX.into(), &0.0.into());
                let _ = cursor.update(&record);
            }
        }
        let _ = cursor.continue_();
    });
    cursor_request.set_onsuccess(Some(step.as_ref().unchecked_ref()));
    // Lives until the page goes: the upgrade runs once per device.
    step.forget();
}

async fn open_db() -> Result<IdbDatabase, HistoryDbError> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or_else(|| HistoryDbError("IndexedDB is not available".into()))?;
    let open = factory
        .open_with_u32(DB_NAME, DB_VERSION)
        .map_err(js_error)?;
    let upgrade_req = open.clone();
    let on_upgrade =
        Closure::<dyn FnMut(IdbVersionChangeEvent)>::new(move |event: IdbVersionChangeEvent| {
            upgrade(&upgrade_req, event.old_version())
        });
    open.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    // Another tab holds an older version open and does not let go: say so
    // instead of waiting for ever.
    let blocked_req = open.clone();
    let blocked = Closure::<dyn FnMut()>::new(move || {
        if let Some(err) = blocked_req.onerror() {
            let _ = err.call0(&JsValue::NULL);
        }
    });
    open.set_onblocked(Some(blocked.as_ref().unchecked_ref()));
    let result = request(open.clone().unchecked_into()).await;
    open.set_onupgradeneeded(None);
    open.set_onblocked(None);
    drop((on_upgrade, blocked));
    let db: IdbDatabase = result
        .map_err(|e| {
            if e.0 == "request failed" {
                HistoryDbError(crate::i18n::older_history_elsewhere(crate::i18n::current()))
            } else {
                e
            }
        })?
        .unchecked_into();

    // A newer version opened in another tab: let it proceed, and tell the cashier.
    let for_change = db.clone();
    let on_version_change = Closure::<dyn FnMut()>::new(move || {
        for_change.close();
        forget_connection();
        ON_NEWER_VERSION.with(|l| {
            if let Some(listener) = l.borrow().as_ref() {
                listener();
            }
        });
    });
    db.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
    // Closed by the browser (storage cleared, disk trouble): open again next time.
    let on_close = Closure::<dyn FnMut()>::new(forget_connection);
    let _ = js_sys::Reflect::set(&db, &"onclose".into(), on_close.as_ref());
    CONNECTION_HANDLERS.with(|h| *h.borrow_mut() = vec![on_version_change, on_close]);
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

async fn db() -> Result<IdbDatabase, HistoryDbError> {
    match DB.with(|d| d.borrow().clone()) {
        Some(db) => Ok(db),
        None => open_db().await,
    }
}

/// A transaction on the sales store. A connection that turns out to be
/// closed is opened again, once.
async fn transaction(mode: IdbTransactionMode) -> Result<IdbTransaction, HistoryDbError> {
    transaction_on(&[STORE], mode).await
}

/// A transaction on some stores (a sale and its day's totals are written
/// together), with the same reopening.
async fn transaction_on(
    stores: &[&str],
    mode: IdbTransactionMode,
) -> Result<IdbTransaction, HistoryDbError> {
    let names = js_sys::Array::new();
    for s in stores {
        names.push(&JsValue::from_str(s));
    }
    let first = db()
        .await?
        .transaction_with_str_sequence_and_mode(&names, mode);
    match first {
        Ok(tx) => Ok(tx),
        Err(_) => {
            forget_connection();
            db().await?
                .transaction_with_str_sequence_and_mode(&names, mode)
                .map_err(js_error)
        }
    }
}

fn record_of(sale: &Sale) -> Result<JsValue, HistoryDbError> {
    let record = js_sys::Object::new();
    let set = |k: &str, v: JsValue| js_sys::Reflect::set(&record, &k.into(), &v).map_err(js_error);
    set("trace_id", sale.trace_id.clone().into())?;
    set(CREATED, (sale.created_ms as f64).into())?;
    set("final", sale.status.is_final().into())?;
    set(OPEN_INDEX, open_flag(sale).into())?;
    set("kind", history::status_kind(&sale.status).into())?;
    set("day", local_day(sale.created_ms).into())?;
    let texts = js_sys::Array::new();
    for t in history::search_texts(sale) {
        texts.push(&t.into());
    }
    set(SEARCH, texts.into())?;
    set(
        "json",
        sale.to_json().into(),
    )?;
    Ok(record.into())
}

fn sale_of(record: &JsValue) -> Option<Sale> {
    js_sys::Reflect::get(record, &"json".into())
        .ok()
        .and_then(|j| j.as_string())
        .and_then(|j| Sale::parse(&j).ok())
}

/// Request handlers that must live until their transaction commits.
type Handlers = Rc<RefCell<Vec<Closure<dyn FnMut()>>>>;

/// A change of the totals: this sale added to (or taken from) its day.
struct DayChange {
    day: String,
    sale: Sale,
    add: bool,
}

/// How a write (or a delete: `now` is `None`) of a sale changes the totals.
fn day_change(before: Option<&Sale>, now: Option<&Sale>) -> Option<DayChange> {
    let counted = |s: Option<&Sale>| s.is_some_and(history::counts_in_totals);
    match (counted(before), counted(now)) {
        (false, true) => now.map(|s| (s, true)),
        (true, false) => before.map(|s| (s, false)),
        _ => None,
    }
    .map(|(s, add)| DayChange {
        day: local_day(s.created_ms),
        sale: s.clone(),
        add,
    })
}

fn total_of(record: &JsValue) -> Option<DayTotal> {
    let get = |k: &str| js_sys::Reflect::get(record, &k.into()).ok();
    Some(DayTotal {
        day: get("day")?.as_string()?,
        currency: get("currency")?.as_string()?,
        decimals: get("decimals")?.as_f64()? as u32,
        count: get("count")?.as_f64()? as usize,
        subtotal: Amount::parse(&get("subtotal")?.as_string()?).ok()?,
        tips: Amount::parse(&get("tips")?.as_string()?).ok()?,
        sum: Amount::parse(&get("sum")?.as_string()?).ok()?,
    })
}

fn record_of_total(t: &DayTotal) -> JsValue {
    let record = js_sys::Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(&record, &k.into(), &v);
    };
    set("day", t.day.as_str().into());
    set("currency", t.currency.as_str().into());
    set("decimals", t.decimals.into());
    set("count", (t.count as f64).into());
    // Text, so the amounts stay exact.
    set("sum", t.sum.to_string().into());
    set("subtotal", t.subtotal.to_string().into());
    set("tips", t.tips.to_string().into());
    record.into()
}

/// Applies the changes to the `days` store inside `tx`: one get-update-put
/// per day and currency, each issued once (so two sales of one day in one
/// transaction cannot overwrite each other). The handlers go to `keep`.
fn apply_day_changes(tx: &IdbTransaction, changes: Vec<DayChange>, keep: &Handlers) {
    let Ok(days) = tx.object_store(DAYS) else {
        return;
    };
    let mut by_key: Vec<(String, String, Vec<DayChange>)> = vec![];
    for c in changes {
        match by_key
            .iter_mut()
            .find(|(d, cur, _)| *d == c.day && *cur == c.sale.quote_symbol)
        {
            Some((_, _, list)) => list.push(c),
            None => by_key.push((c.day.clone(), c.sale.quote_symbol.clone(), vec![c])),
        }
    }
    for (day, currency, list) in by_key {
        let key = js_sys::Array::of2(&day.as_str().into(), &currency.as_str().into());
        let Ok(get) = days.get(&key) else { continue };
        let (req, days) = (get.clone(), days.clone());
        let on_got = Closure::<dyn FnMut()>::new(move || {
            let mut total = req.result().ok().and_then(|r| total_of(&r));
            for c in &list {
                total = history::with_sale(total, &day, &c.sale, c.add);
            }
            let _ = match &total {
                Some(t) => days.put(&record_of_total(t)),
                None => days.delete(&key),
            };
        });
        get.set_onsuccess(Some(on_got.as_ref().unchecked_ref()));
        keep.borrow_mut().push(on_got);
    }
}

/// Writes sales, each merged with its stored copy inside one readwrite
/// transaction (get, merge, put, with no await in between: the transaction
/// stays active), and their days' totals in the same transaction, so the
/// totals never disagree with the sales. Resolves with the merged sales
/// once committed.
pub async fn put_merged(sales: &[Sale]) -> Result<Vec<Sale>, HistoryDbError> {
    let tx = transaction_on(&[STORE, DAYS], IdbTransactionMode::Readwrite).await?;
    let store = tx.object_store(STORE).map_err(js_error)?;
    let merged = Rc::new(RefCell::new(Vec::with_capacity(sales.len())));
    let changes = Rc::new(RefCell::new(Vec::new()));
    let keep: Handlers = Rc::default();
    let left = Rc::new(std::cell::Cell::new(sales.len()));
    for sale in sales {
        let get = store
            .get(&JsValue::from_str(&sale.trace_id))
            .map_err(js_error)?;
        let (incoming, req, store, merged) =
            (sale.clone(), get.clone(), store.clone(), merged.clone());
        // Weak: `keep` holds this closure, so a strong handle here would be
        // a cycle that never frees it, nor the requests and transaction it
        // holds (a leak of every write, seen by `make bench`'s memory figure).
        let (changes, left, tx, for_days) =
            (changes.clone(), left.clone(), tx.clone(), Rc::downgrade(&keep));
        let on_got = Closure::<dyn FnMut()>::new(move || {
            let stored = req.result().ok().and_then(|r| sale_of(&r));
            let sale = match &stored {
                Some(stored) => merge(stored, &incoming),
                None => incoming.clone(),
            };
            if let Ok(record) = record_of(&sale) {
                // A failed put aborts the transaction, which `committed` reports.
                let _ = store.put(&record);
            }
            changes
                .borrow_mut()
                .extend(day_change(stored.as_ref(), Some(&sale)));
            merged.borrow_mut().push(sale);
            left.set(left.get() - 1);
            if let Some(keep) = for_days.upgrade().filter(|_| left.get() == 0) {
                apply_day_changes(&tx, changes.take(), &keep);
            }
        });
        get.set_onsuccess(Some(on_got.as_ref().unchecked_ref()));
        keep.borrow_mut().push(on_got);
    }
    committed(tx).await?;
    drop(keep);
    let merged = merged.borrow().clone();
    Ok(merged)
}

/// The records `request` gives, as sales, and how many could not be read.
fn sales_of(records: js_sys::Array) -> (Vec<Sale>, usize) {
    let mut sales = Vec::with_capacity(records.length() as usize);
    let mut unreadable = 0;
    for record in records.iter() {
        match sale_of(&record) {
            Some(sale) => sales.push(sale),
            None => unreadable += 1,
        }
    }
    (sales, unreadable)
}

/// The sales still worth checking, through the `open` index (not a scan).
pub async fn unfinished() -> Result<(Vec<Sale>, usize), HistoryDbError> {
    let tx = transaction(IdbTransactionMode::Readonly).await?;
    let index = tx
        .object_store(STORE)
        .and_then(|s| s.index(OPEN_INDEX))
        .map_err(js_error)?;
    let records = request(
        index
            .get_all_with_key(&JsValue::from_f64(1.0))
            .map_err(js_error)?,
    )
    .await?;
    Ok(sales_of(records.unchecked_into()))
}

/// One stored sale.
pub async fn get(trace_id: &str) -> Result<Option<Sale>, HistoryDbError> {
    let tx = transaction(IdbTransactionMode::Readonly).await?;
    let store = tx.object_store(STORE).map_err(js_error)?;
    let record = request(store.get(&JsValue::from_str(trace_id)).map_err(js_error)?).await?;
    Ok(sale_of(&record))
}

pub async fn count() -> Result<u32, HistoryDbError> {
    let tx = transaction(IdbTransactionMode::Readonly).await?;
    let store = tx.object_store(STORE).map_err(js_error)?;
    let n = request(store.count().map_err(js_error)?).await?;
    Ok(n.as_f64().unwrap_or(0.0) as u32)
}

/// Deletes sales, and takes them out of their days' totals in the same
/// transaction.
pub async fn delete(trace_ids: &[String]) -> Result<(), HistoryDbError> {
    if trace_ids.is_empty() {
        return Ok(());
    }
    let tx = transaction_on(&[STORE, DAYS], IdbTransactionMode::Readwrite).await?;
    let store = tx.object_store(STORE).map_err(js_error)?;
    let changes = Rc::new(RefCell::new(Vec::new()));
    let keep: Handlers = Rc::default();
    let left = Rc::new(std::cell::Cell::new(trace_ids.len()));
    for id in trace_ids {
        let key = JsValue::from_str(id);
        let get = store.get(&key).map_err(js_error)?;
        let (req, store) = (get.clone(), store.clone());
        // Weak: `keep` holds this closure, so a strong handle here would be
        // a cycle that never frees it, nor the requests and transaction it
        // holds (a leak of every write, seen by `make bench`'s memory figure).
        let (changes, left, tx, for_days) =
            (changes.clone(), left.clone(), tx.clone(), Rc::downgrade(&keep));
        let on_got = Closure::<dyn FnMut()>::new(move || {
            let stored = req.result().ok().and_then(|r| sale_of(&r));
            let _ = store.delete(&key);
            changes
                .borrow_mut()
                .extend(day_change(stored.as_ref(), None));
            left.set(left.get() - 1);
            if let Some(keep) = for_days.upgrade().filter(|_| left.get() == 0) {
                apply_day_changes(&tx, changes.take(), &keep);
            }
        });
        get.set_onsuccess(Some(on_got.as_ref().unchecked_ref()));
        keep.borrow_mut().push(on_got);
    }
    committed(tx).await?;
    drop(keep);
    Ok(())
}

/// `(trace_id, created_ms, final)` of every record, read without parsing
/// the sales, for enforcing the cap.
pub async fn summaries() -> Result<Vec<(String, i64, bool)>, HistoryDbError> {
    let tx = transaction(IdbTransactionMode::Readonly).await?;
    let store = tx.object_store(STORE).map_err(js_error)?;
    let records: js_sys::Array = request(store.get_all().map_err(js_error)?)
        .await?
        .unchecked_into();
    Ok(records
        .iter()
        .filter_map(|r| {
            let get = |k: &str| js_sys::Reflect::get(&r, &k.into()).ok();
            Some((
                get("trace_id")?.as_string()?,
                get(CREATED)?.as_f64()? as i64,
                get("final")?.as_bool()?,
            ))
        })
        .collect())
}

/// Which sales History shows: one kind of status (or all), within a span
/// of time (local days, as milliseconds, both ends included), matching a
/// search (`history::search_key`; empty: every sale).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub kind: Option<&'static str>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub search: String,
}

/// Whether a record matches the query's search, from its stored texts (a
/// record written before they were stored is read as its sale).
fn record_matches(record: &JsValue, key: &str) -> bool {
    if key.is_empty() {
        return true;
    }
    match js_sys::Reflect::get(record, &SEARCH.into())
        .ok()
        .filter(|t| t.is_array())
    {
        Some(texts) => {
            let texts: Vec<String> = js_sys::Array::from(&texts)
                .iter()
                .filter_map(|t| t.as_string())
                .collect();
            history::texts_match(&texts, key)
        }
        // An unreadable sale is kept in the page, where it is counted as such.
        None => sale_of(record).is_none_or(|s| history::matches_search(&s, key)),
    }
}

/// The latest time an index key can hold (IndexedDB keys are numbers).
const MAX_MS: f64 = 9_007_199_254_740_991.0;

/// The index a query reads and its key range: the time index, or the kind
/// index with the kind in front of the time.
fn index_and_range(
    tx: &IdbTransaction,
    q: &Query,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<(web_sys::IdbIndex, web_sys::IdbKeyRange), HistoryDbError> {
    let store = tx.object_store(STORE).map_err(js_error)?;
    let lo = from.map_or(-MAX_MS, |v| v as f64);
    let hi = to.map_or(MAX_MS, |v| v as f64);
    let key = |t: f64| -> JsValue {
        match q.kind {
            Some(kind) => js_sys::Array::of2(&kind.into(), &t.into()).into(),
            None => t.into(),
        }
    };
    let index = store
        .index(if q.kind.is_some() {
            KIND_INDEX
        } else {
            CREATED_INDEX
        })
        .map_err(js_error)?;
    let range = web_sys::IdbKeyRange::bound(&key(lo), &key(hi)).map_err(js_error)?;
    Ok((index, range))
}

/// How many sales a query matches, counted by the index (its search aside:
/// that needs every record read, which paging is there to avoid).
pub async fn count_matching(q: &Query) -> Result<u32, HistoryDbError> {
    let tx = transaction(IdbTransactionMode::Readonly).await?;
    let (index, range) = index_and_range(&tx, q, q.from_ms, q.to_ms)?;
    let n = request(index.count_with_key(&range).map_err(js_error)?).await?;
    Ok(n.as_f64().unwrap_or(0.0) as u32)
}

/// Where a page ended: the time and trace id of its last sale.
pub type PageEnd = (i64, String);

/// Up to `limit` sales of a query after `after`, newest first (or oldest
/// first), read by a cursor on the index: only the page is read (with a
/// search, the records passed on the way, by their stored texts only). Also
/// whether more follow, and how many records could not be read.
pub async fn page(
    q: &Query,
    after: Option<&PageEnd>,
    limit: usize,
    newest_first: bool,
) -> Result<(Vec<Sale>, bool, usize), HistoryDbError> {
    let tx = transaction(IdbTransactionMode::Readonly).await?;
    // The page starts at the last one's time, included: sales of the same
    // millisecond are told apart by their trace id (the index's order).
    let (from, to) = match (after, newest_first) {
        (Some((t, _)), true) => (q.from_ms, Some(*t)),
        (Some((t, _)), false) => (Some(*t), q.to_ms),
        (None, _) => (q.from_ms, q.to_ms),
    };
    let (index, range) = index_and_range(&tx, q, from, to)?;
    let direction = if newest_first {
        web_sys::IdbCursorDirection::Prev
    } else {
        web_sys::IdbCursorDirection::Next
    };
    let cursor_request = index
        .open_cursor_with_range_and_direction(&range, direction)
        .map_err(js_error)?;
    let records = Rc::new(RefCell::new(Vec::<JsValue>::new()));
    let (done_tx, done_rx) = oneshot::channel::<Result<(), ()>>();
    let done = Rc::new(RefCell::new(Some(done_tx)));
    let after = after.cloned();
    let key = q.search.clone();
    let (req, found, finish) = (cursor_request.clone(), records.clone(), done.clone());
    let step = Closure::<dyn FnMut()>::new(move || {
        let finish = |r| {
            if let Some(t) = finish.borrow_mut().take() {
                let _ = t.send(r);
            }
        };
        let Some(cursor) = req
            .result()
            .ok()
            .and_then(|c| c.dyn_into::<IdbCursorWithValue>().ok())
        else {
            return finish(Ok(()));
        };
        let Ok(record) = cursor.value() else {
            return finish(Err(()));
        };
        let already_shown = after.as_ref().is_some_and(|(t, id)| {
            let created = js_sys::Reflect::get(&record, &CREATED.into())
                .ok()
                .and_then(|v| v.as_f64())
                .map(|v| v as i64);
            let key = cursor
                .primary_key()
                .ok()
                .and_then(|k| k.as_string())
                .unwrap_or_default();
            created == Some(*t) && if newest_first { key >= *id } else { key <= *id }
        });
        if !already_shown && record_matches(&record, &key) {
            found.borrow_mut().push(record);
        }
        // One more than asked for says whether more follow.
        if found.borrow().len() > limit {
            return finish(Ok(()));
        }
        let _ = cursor.continue_();
    });
    let failed = done.clone();
    let on_error = Closure::<dyn FnMut()>::new(move || {
        if let Some(t) = failed.borrow_mut().take() {
            let _ = t.send(Err(()));
        }
    });
    cursor_request.set_onsuccess(Some(step.as_ref().unchecked_ref()));
    cursor_request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // History left mid-walk drops this future: the walk stops, no freed closure is called.
    let _detach = detach_on_drop(&cursor_request);
    let outcome = done_rx.await.unwrap_or(Err(()));
    cursor_request.set_onsuccess(None);
    cursor_request.set_onerror(None);
    drop((step, on_error));
    outcome.map_err(|()| HistoryDbError("the history could not be read".into()))?;
    let mut records = records.take();
    let more = records.len() > limit;
    records.truncate(limit);
    let mut sales = Vec::with_capacity(records.len());
    let mut unreadable = 0;
    for r in &records {
        match sale_of(r) {
            Some(s) => sales.push(s),
            None => unreadable += 1,
        }
    }
    Ok((sales, more, unreadable))
}

/// Totals of verified payments per day and currency, of the local days from
/// `from` to `to` (`2026-11-27`, both included; empty: no bound), from the
/// per-day store; counted from the sales first if that store has never been
/// (an upgrade, or sales written by an older version).
pub async fn day_totals(from: &str, to: &str) -> Result<Vec<DayTotal>, HistoryDbError> {
    let tx = transaction_on(&[DAYS], IdbTransactionMode::Readonly).await?;
    let days = tx.object_store(DAYS).map_err(js_error)?;
    let marker = js_sys::Array::of2(&BUILT_DAY.into(), &"".into());
    let built = request(days.get(&marker).map_err(js_error)?).await?;
    let version = js_sys::Reflect::get(&built, &"version".into())
        .ok()
        .and_then(|v| v.as_f64());
    if built.is_undefined() || version != Some(TOTALS_VERSION) {
        rebuild_totals().await?;
    }
    let tx = transaction_on(&[DAYS], IdbTransactionMode::Readonly).await?;
    let days = tx.object_store(DAYS).map_err(js_error)?;
    // Keys are `[day, currency]`: every currency of the first day to every
    // currency of the last (day texts sort as dates; an open end reaches
    // the marker record, left out below).
    let hi = if to.is_empty() { "\u{ffff}" } else { to };
    let range = web_sys::IdbKeyRange::bound(
        &js_sys::Array::of2(&from.into(), &"".into()),
        &js_sys::Array::of2(&hi.into(), &"\u{ffff}".into()),
    )
    .map_err(js_error)?;
    let records: js_sys::Array = request(days.get_all_with_key(&range).map_err(js_error)?)
        .await?
        .unchecked_into();
    let mut totals: Vec<DayTotal> = records
        .iter()
        .filter_map(|r| total_of(&r))
        .filter(|t| t.day != BUILT_DAY)
        .collect();
    history::sort_totals(&mut totals);
    Ok(totals)
}

/// Counts the totals from the paid sales (through the kind index) and
/// writes them, with the marker, in one transaction over both stores.
async fn rebuild_totals() -> Result<(), HistoryDbError> {
    let tx = transaction_on(&[STORE, DAYS], IdbTransactionMode::Readwrite).await?;
    let q = Query {
        kind: Some(history::StatusFilter::Paid.value()),
        ..Query::default()
    };
    let (index, range) = index_and_range(&tx, &q, None, None)?;
    let days = tx.object_store(DAYS).map_err(js_error)?;
    days.clear().map_err(js_error)?;
    let cursor_request = index.open_cursor_with_range(&range).map_err(js_error)?;
    let req = cursor_request.clone();
    let totals: Rc<RefCell<Vec<DayTotal>>> = Rc::default();
    let step = Closure::<dyn FnMut()>::new(move || {
        let Some(cursor) = req
            .result()
            .ok()
            .and_then(|c| c.dyn_into::<IdbCursorWithValue>().ok())
        else {
            // The walk is over: write what it counted, in the same transaction.
            for t in totals.borrow().iter() {
                let _ = days.put(&record_of_total(t));
            }
            let marker = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&marker, &"day".into(), &BUILT_DAY.into());
            let _ = js_sys::Reflect::set(&marker, &"currency".into(), &"".into());
            let _ = js_sys::Reflect::set(&marker, &"version".into(), &TOTALS_VERSION.into());
            let _ = days.put(&marker);
            return;
        };
        if let Some(sale) = cursor.value().ok().and_then(|r| sale_of(&r)) {
            let day = local_day(sale.created_ms);
            let mut totals = totals.borrow_mut();
            match totals
                .iter()
                .position(|t| t.day == day && t.currency == sale.quote_symbol)
            {
                Some(i) => {
                    if let Some(t) = history::with_sale(Some(totals[i].clone()), &day, &sale, true)
                    {
                        totals[i] = t;
                    }
                }
                None => totals.extend(history::with_sale(None, &day, &sale, true)),
            }
        }
        let _ = cursor.continue_();
    });
    cursor_request.set_onsuccess(Some(step.as_ref().unchecked_ref()));
    // Dropped mid-walk: the walk stops and the marker is not written, so the
    // totals are counted again next time (never half counted).
    let _detach = detach_on_drop(&cursor_request);
    committed(tx).await
}
