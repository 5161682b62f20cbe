//! Where sales are recorded. Every change is written synchronously to
//! localStorage first (so the QR is never shown for a sale the device has
//! not recorded, and a crash in the same frame loses nothing), then to the
//! IndexedDB history. A final sale leaves localStorage once the history has
//! committed it; a sale still unfinished after 48 h moves to the history too.

use leptos::prelude::{Set, Update};

use crate::clock::now_ms;
use crate::domain::history::{self, HISTORY_CAP, RECHECK_MAX_AGE_MS};
use crate::domain::sale::Sale;
use crate::state::app_state::AppState;
use crate::state::{journal, store};

/// Records a sale: localStorage now, the history in the background.
pub fn record(state: AppState, sale: &Sale) {
    state.report(store::save_sale(sale));
    state.revision.update(|r| *r += 1);
    let sale = sale.clone();
    leptos::task::spawn_local(async move {
        match journal::put(std::slice::from_ref(&sale)).await {
            // A sale that failed by expiry stays for its late re-checks.
            Ok(()) if !sale.wants_check(now_ms()) && sale.status.is_final() => {
                state.report(store::remove_sale(&sale.trace_id))
            }
            Ok(()) => {}
            // The localStorage copy stays: nothing is lost, the history is behind.
            Err(e) => state.banner.set(Some(e.to_string())),
        }
    });
}

/// Sales in progress on this device (from localStorage), newest first.
pub fn open_sales(state: AppState) -> Vec<Sale> {
    match store::local_sales() {
        Ok((mut sales, unreadable)) => {
            if unreadable > 0 {
                state.banner.set(Some(format!(
                    "{unreadable} stored sale(s) could not be read and were skipped."
                )));
            }
            sales.retain(|s| !s.status.is_final());
            sales.sort_by_key(|s| std::cmp::Reverse(s.created_ms));
            sales
        }
        Err(e) => {
            state.banner.set(Some(e.to_string()));
            vec![]
        }
    }
}

/// Every sale: the history merged with the copies in localStorage (newer
/// copy wins), newest first.
pub async fn all_sales(state: AppState) -> Vec<Sale> {
    let (mut sales, unreadable) = match journal::all().await {
        Ok(found) => found,
        Err(e) => {
            state.banner.set(Some(e.to_string()));
            (vec![], 0)
        }
    };
    if unreadable > 0 {
        state.banner.set(Some(format!(
            "{unreadable} sale(s) in the history could not be read and were skipped."
        )));
    }
    if let Ok((local, _)) = store::local_sales() {
        for sale in local {
            match sales.iter_mut().find(|s| s.trace_id == sale.trace_id) {
                Some(s) if s.updated_ms <= sale.updated_ms => *s = sale,
                Some(_) => {}
                None => sales.push(sale),
            }
        }
    }
    sales.sort_by_key(|s| std::cmp::Reverse(s.created_ms));
    sales
}

/// At start: copies every localStorage sale into the history, lets final and
/// stale ones leave localStorage, and keeps the history within its cap.
pub async fn tidy(state: AppState) {
    let Ok((local, _)) = store::local_sales() else {
        return;
    };
    if !local.is_empty() {
        if let Err(e) = journal::put(&local).await {
            state.banner.set(Some(e.to_string()));
            return;
        }
        let now = now_ms();
        for sale in local {
            let done = sale.status.is_final() && !sale.wants_check(now);
            if done || now - sale.created_ms >= RECHECK_MAX_AGE_MS {
                state.report(store::remove_sale(&sale.trace_id));
            }
        }
    }
    match journal::summaries().await {
        Ok(summaries) => {
            let drop = history::to_drop(&summaries, HISTORY_CAP);
            if let Err(e) = journal::delete(&drop).await {
                state.banner.set(Some(e.to_string()));
            }
        }
        Err(e) => state.banner.set(Some(e.to_string())),
    }
}
