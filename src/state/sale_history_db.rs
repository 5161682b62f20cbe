//! The sales history in IndexedDB: one record per sale, keyed by traceId.
//!
//! Why IndexedDB: 10,000 sales do not fit in localStorage's 5 MB, and a put
//! writes one sale without touching the others. Sales in progress are also
//! written synchronously to localStorage first (see `sales`), because an
//! IndexedDB write completes only after the frame that shows the QR.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    IdbDatabase, IdbObjectStoreParameters, IdbRequest, IdbTransaction, IdbTransactionMode,
};

use crate::domain::sale::Sale;

const DB_NAME: &str = "mixpay-pos";
const DB_VERSION: u32 = 1;
const STORE: &str = "sales";
/// Stored beside the JSON so the cap can be enforced without parsing sales.
const CREATED: &str = "created_ms";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalError(pub String);

impl std::fmt::Display for JournalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "The sales history on this device could not be used ({}).",
            self.0
        )
    }
}

fn js_error(e: JsValue) -> JournalError {
    let name = js_sys::Reflect::get(&e, &"name".into())
        .ok()
        .and_then(|n| n.as_string());
    let message = js_sys::Reflect::get(&e, &"message".into())
        .ok()
        .and_then(|m| m.as_string());
    JournalError(match (name, message) {
        (Some(n), Some(m)) if !m.is_empty() => format!("{n}: {m}"),
        (Some(n), _) => n,
        _ => format!("{e:?}"),
    })
}

/// Waits for one of an IndexedDB object's events. `listen` installs the
/// handlers (`Ok` ones and `Err` ones); they are removed afterwards.
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

async fn request(req: IdbRequest) -> Result<JsValue, JournalError> {
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
            .map(|e| JournalError(format!("{}: {}", e.name(), e.message())))
            .unwrap_or_else(|| JournalError("request failed".into()))),
    }
}

/// Resolves once the transaction has committed.
async fn committed(tx: IdbTransaction) -> Result<(), JournalError> {
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
            .map(|e| JournalError(format!("{}: {}", e.name(), e.message())))
            .unwrap_or_else(|| JournalError("transaction aborted".into()))
    })
}

thread_local! {
    static DB: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

async fn db() -> Result<IdbDatabase, JournalError> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or_else(|| JournalError("IndexedDB is not available".into()))?;
    let open = factory
        .open_with_u32(DB_NAME, DB_VERSION)
        .map_err(js_error)?;
    let upgrade_req = open.clone();
    let on_upgrade = Closure::<dyn FnMut()>::new(move || {
        let Ok(result) = upgrade_req.result() else {
            return;
        };
        let db: IdbDatabase = result.unchecked_into();
        if !db.object_store_names().contains(STORE) {
            let params = IdbObjectStoreParameters::new();
            params.set_key_path(&JsValue::from_str("trace_id"));
            let _ = db.create_object_store_with_optional_parameters(STORE, &params);
        }
    });
    open.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let result = request(open.clone().unchecked_into()).await;
    open.set_onupgradeneeded(None);
    drop(on_upgrade);
    let db: IdbDatabase = result?.unchecked_into();
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

fn record_of(sale: &Sale) -> Result<JsValue, JournalError> {
    let record = js_sys::Object::new();
    let set = |k: &str, v: JsValue| js_sys::Reflect::set(&record, &k.into(), &v).map_err(js_error);
    set("trace_id", sale.trace_id.clone().into())?;
    set(CREATED, (sale.created_ms as f64).into())?;
    set("final", sale.status.is_final().into())?;
    set(
        "json",
        serde_json::to_string(sale).expect("sales serialize").into(),
    )?;
    Ok(record.into())
}

/// A read-write transaction on the sales store; await `committed(tx)` after the writes.
async fn writing() -> Result<(IdbTransaction, web_sys::IdbObjectStore), JournalError> {
    let tx = db()
        .await?
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .map_err(js_error)?;
    let store = tx.object_store(STORE).map_err(js_error)?;
    Ok((tx, store))
}

/// Writes sales (one transaction), resolving once committed.
pub async fn put(sales: &[Sale]) -> Result<(), JournalError> {
    let (tx, store) = writing().await?;
    for sale in sales {
        store.put(&record_of(sale)?).map_err(js_error)?;
    }
    committed(tx).await
}

/// Every record of the store, as IndexedDB gives them.
async fn all_records() -> Result<js_sys::Array, JournalError> {
    let db = db().await?;
    let tx = db.transaction_with_str(STORE).map_err(js_error)?;
    let store = tx.object_store(STORE).map_err(js_error)?;
    Ok(request(store.get_all().map_err(js_error)?)
        .await?
        .unchecked_into())
}

/// Every stored sale, and how many records could not be read.
pub async fn all() -> Result<(Vec<Sale>, usize), JournalError> {
    let records = all_records().await?;
    let mut sales = Vec::with_capacity(records.length() as usize);
    let mut unreadable = 0;
    for record in records.iter() {
        let parsed = js_sys::Reflect::get(&record, &"json".into())
            .ok()
            .and_then(|j| j.as_string())
            .and_then(|j| serde_json::from_str::<Sale>(&j).ok());
        match parsed {
            Some(sale) => sales.push(sale),
            None => unreadable += 1,
        }
    }
    Ok((sales, unreadable))
}

pub async fn delete(trace_ids: &[String]) -> Result<(), JournalError> {
    if trace_ids.is_empty() {
        return Ok(());
    }
    let (tx, store) = writing().await?;
    for id in trace_ids {
        store.delete(&JsValue::from_str(id)).map_err(js_error)?;
    }
    committed(tx).await
}

/// `(trace_id, created_ms, final)` of every record, read without parsing
/// the sales, for enforcing the cap.
pub async fn summaries() -> Result<Vec<(String, i64, bool)>, JournalError> {
    Ok(all_records()
        .await?
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
