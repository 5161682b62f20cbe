//! The sales history in IndexedDB: one record per sale, keyed by traceId,
//! with an index of the sales still worth checking (`open` = 1).
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

use crate::domain::merge::merge;
use crate::domain::sale::Sale;

const DB_NAME: &str = "mixpay-pos";
/// 1: the sales store; 2: the `open` index.
const DB_VERSION: u32 = 2;
const STORE: &str = "sales";
const OPEN_INDEX: &str = "open";
/// Stored beside the JSON so the cap can be enforced without parsing sales.
const CREATED: &str = "created_ms";

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
    let outcome = rx.await.unwrap_or(Err(()));
    uninstall();
    drop((ok, err));
    outcome
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
/// index cannot hold booleans).
fn open_flag(sale: &Sale) -> f64 {
    if sale.status.is_final() && !sale.status.is_expired_failure() {
        0.0
    } else {
        1.0
    }
}

/// Creates what this version needs; from version 1, fills the `open` field
/// of every record so the index holds them.
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
    if !store.index_names().contains(OPEN_INDEX) {
        let _ = store.create_index_with_str_and_optional_parameters(
            OPEN_INDEX,
            OPEN_INDEX,
            &IdbIndexParameters::new(),
        );
    }
    if (1.0..2.0).contains(&old_version) {
        backfill_open_flags(&store);
    }
}

/// Walks every record once, inside the upgrade's transaction.
fn backfill_open_flags(store: &IdbObjectStore) {
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
            let open = js_sys::Reflect::get(&record, &"json".into())
                .ok()
                .and_then(|j| j.as_string())
                .and_then(|j| serde_json::from_str::<Sale>(&j).ok())
                .map_or(0.0, |s| open_flag(&s));
            let _ = js_sys::Reflect::set(&record, &OPEN_INDEX.into(), &open.into());
            let _ = cursor.update(&record);
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
    let first = db().await?.transaction_with_str_and_mode(STORE, mode);
    match first {
        Ok(tx) => Ok(tx),
        Err(_) => {
            forget_connection();
            db().await?
                .transaction_with_str_and_mode(STORE, mode)
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
    set(
        "json",
        serde_json::to_string(sale).expect("sales serialize").into(),
    )?;
    Ok(record.into())
}

fn sale_of(record: &JsValue) -> Option<Sale> {
    js_sys::Reflect::get(record, &"json".into())
        .ok()
        .and_then(|j| j.as_string())
        .and_then(|j| serde_json::from_str::<Sale>(&j).ok())
}

/// Writes sales, each merged with its stored copy inside one readwrite
/// transaction (get, merge, put, with no await in between: the transaction
/// stays active). Resolves with the merged sales once committed.
pub async fn put_merged(sales: &[Sale]) -> Result<Vec<Sale>, HistoryDbError> {
    let tx = transaction(IdbTransactionMode::Readwrite).await?;
    let store = tx.object_store(STORE).map_err(js_error)?;
    let merged = Rc::new(RefCell::new(Vec::with_capacity(sales.len())));
    let mut handlers = Vec::with_capacity(sales.len());
    for sale in sales {
        let get = store
            .get(&JsValue::from_str(&sale.trace_id))
            .map_err(js_error)?;
        let (incoming, req, store, merged) =
            (sale.clone(), get.clone(), store.clone(), merged.clone());
        let on_got = Closure::<dyn FnMut()>::new(move || {
            let stored = req.result().ok().and_then(|r| sale_of(&r));
            let sale = match stored {
                Some(stored) => merge(&stored, &incoming),
                None => incoming.clone(),
            };
            if let Ok(record) = record_of(&sale) {
                // A failed put aborts the transaction, which `committed` reports.
                let _ = store.put(&record);
            }
            merged.borrow_mut().push(sale);
        });
        get.set_onsuccess(Some(on_got.as_ref().unchecked_ref()));
        handlers.push(on_got);
    }
    committed(tx).await?;
    drop(handlers);
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

/// Every stored sale, and how many records could not be read.
pub async fn all() -> Result<(Vec<Sale>, usize), HistoryDbError> {
    let tx = transaction(IdbTransactionMode::Readonly).await?;
    let store = tx.object_store(STORE).map_err(js_error)?;
    let records = request(store.get_all().map_err(js_error)?).await?;
    Ok(sales_of(records.unchecked_into()))
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

pub async fn delete(trace_ids: &[String]) -> Result<(), HistoryDbError> {
    if trace_ids.is_empty() {
        return Ok(());
    }
    let tx = transaction(IdbTransactionMode::Readwrite).await?;
    let store = tx.object_store(STORE).map_err(js_error)?;
    for id in trace_ids {
        store.delete(&JsValue::from_str(id)).map_err(js_error)?;
    }
    committed(tx).await
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
