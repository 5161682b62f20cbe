//! The sales on this device: newest first, filtered by day and status, with
//! totals of verified payments, a re-check for unfinished sales, and CSV export.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::MixPayClient;
use crate::clock::{local_day, local_time};
use crate::domain::history::{self, StatusFilter};
use crate::domain::sale::Sale;
use crate::domain::status::SaleStatus;
use crate::state::app_state::AppState;
use crate::state::checker::apply_result;
use crate::state::sales;
use crate::state::store;
use crate::state::tasks::spawn_scoped;

/// Sales drawn at once; more on request, so 10,000 stored sales open quickly.
const PAGE: usize = 100;

/// Offers `text` as a file download.
fn download(file_name: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the file could not be made")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the file could not be made")?;
    let a: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(|_| "no document")?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(file_name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

#[component]
pub fn HistoryPage() -> impl IntoView {
    let state = AppState::expect();
    let all = RwSignal::new(None::<Vec<Sale>>);
    spawn_scoped(async move { all.set(Some(sales::all_sales(state).await)) });

    // Sales recorded while the page is open (re-checks, another tab) are in
    // localStorage first: merge those rather than reading the history again.
    Effect::new(move |prev: Option<u64>| {
        let rev = state.revision.get();
        if prev.is_some() {
            if let Ok((local, _)) = store::local_sales() {
                all.update(|list| {
                    let Some(list) = list else { return };
                    for sale in local {
                        match list.iter_mut().find(|s| s.trace_id == sale.trace_id) {
                            Some(s) => *s = sale,
                            None => list.insert(0, sale),
                        }
                    }
                });
            }
        }
        rev
    });

    let day = RwSignal::new(String::new());
    let status = RwSignal::new(StatusFilter::All);
    let shown = RwSignal::new(PAGE);
    let filtered = Memo::new(move |_| {
        let day = day.get();
        let status = status.get();
        all.with(|all| {
            all.as_ref().map(|all| {
                all.iter()
                    .filter(|s| status.matches(&s.status))
                    .filter(|s| day.is_empty() || local_day(s.created_ms) == day)
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    });
    let totals = Memo::new(move |_| {
        let day = day.get();
        all.with(|all| {
            let all = all.as_deref().unwrap_or_default();
            history::totals(
                all.iter()
                    .filter(|s| day.is_empty() || local_day(s.created_ms) == day),
                local_day,
            )
        })
    });

    let today = local_day(crate::clock::now_ms());
    let export_from = RwSignal::new(today.clone());
    let export_to = RwSignal::new(today);
    let export_note = RwSignal::new(None::<String>);
    let export = move |_| {
        let (from, to) = (export_from.get_untracked(), export_to.get_untracked());
        let csv = all.with_untracked(|all| {
            let mut chosen: Vec<&Sale> = all
                .iter()
                .flatten()
                .filter(|s| {
                    let d = local_day(s.created_ms);
                    (from.is_empty() || d >= from) && (to.is_empty() || d <= to)
                })
                .collect();
            chosen.sort_by_key(|s| s.created_ms);
            (chosen.len(), history::to_csv(chosen, local_time))
        });
        let name = format!(
            "mixpay-sales-{}-{}.csv",
            if from.is_empty() { "start" } else { &from },
            if to.is_empty() { "end" } else { &to }
        );
        export_note.set(Some(match download(&name, &csv.1) {
            Ok(()) => format!("Exported {} sale(s) to {name}.", csv.0),
            Err(e) => format!("Export failed: {e}."),
        }));
    };

    let owner = Owner::current().expect("components have an owner");
    let checking = RwSignal::new(None::<String>);
    let recheck = Callback::new(move |trace_id: String| {
        let client = MixPayClient::new(&state.settings.with_untracked(|s| s.api_base.clone()));
        checking.set(Some(trace_id.clone()));
        owner.with(|| {
            spawn_scoped(async move {
                match client.payments_result(&trace_id).await {
                    Ok(result) => {
                        // A sale that left localStorage (older than 48 h) is re-checked from the history.
                        if store::load_sale(&trace_id).is_none() {
                            if let Some(sale) = all.with_untracked(|a| {
                                a.iter().flatten().find(|s| s.trace_id == trace_id).cloned()
                            }) {
                                state.report(store::save_sale(&sale));
                            }
                        }
                        apply_result(state, &trace_id, result);
                        checking.set(None);
                    }
                    Err(e) => checking.set(Some(format!("{trace_id}: {e}"))),
                }
            })
        });
    });

    view! {
        <section class="history-page">
            <h2>"History"</h2>
            <div class="filters">
                <label>"Day" <input type="date" prop:value=move || day.get() on:input=move |ev| { day.set(event_target_value(&ev)); shown.set(PAGE); } /></label>
                <label>"Status"
                    <select on:change=move |ev| {
                        let v = event_target_value(&ev);
                        status.set(StatusFilter::ALL.into_iter().find(|f| f.label() == v).unwrap_or(StatusFilter::All));
                        shown.set(PAGE);
                    }>
                        {StatusFilter::ALL.into_iter().map(|f| view! { <option value=f.label()>{f.label()}</option> }).collect_view()}
                    </select>
                </label>
            </div>

            <table class="totals" aria-label="Totals of verified payments">
                <thead><tr><th>"Day"</th><th>"Currency"</th><th>"Paid sales"</th><th>"Total"</th></tr></thead>
                <tbody>
                    {move || {
                        let rows = totals.get();
                        if rows.is_empty() {
                            view! { <tr><td class="empty" colspan="4">"No verified payments yet."</td></tr> }.into_any()
                        } else {
                            rows.into_iter().map(|t| view! {
                                <tr><td>{t.day}</td><td>{t.currency}</td><td>{t.count}</td><td>{t.sum.format_fixed(t.decimals)}</td></tr>
                            }).collect_view().into_any()
                        }
                    }}
                </tbody>
            </table>

            <div class="export">
                <label>"From" <input type="date" prop:value=move || export_from.get() on:input=move |ev| export_from.set(event_target_value(&ev)) /></label>
                <label>"To" <input type="date" prop:value=move || export_to.get() on:input=move |ev| export_to.set(event_target_value(&ev)) /></label>
                <button type="button" on:click=export>"Export CSV"</button>
                <p aria-live="polite">{move || export_note.get()}</p>
            </div>

            <p class="check-note" aria-live="polite">{move || checking.get().filter(|c| c.contains(':')).map(|c| format!("Re-check failed: {c}"))}</p>

            {move || match filtered.get() {
                None => view! { <p>"Loading the history…"</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p>"No sales here yet."</p> }.into_any(),
                Some(list) => {
                    let total = list.len();
                    view! {
                        <p class="count">{format!("{total} sale(s)")}</p>
                        <ul class="sales">
                            {list.into_iter().take(shown.get()).map(|s| sale_item(s, recheck, checking)).collect_view()}
                        </ul>
                        {(total > shown.get()).then(|| view! {
                            <button type="button" class="more" on:click=move |_| shown.update(|n| *n += PAGE)>
                                {format!("Show more ({} left)", total - shown.get_untracked())}
                            </button>
                        })}
                    }.into_any()
                }
            }}
        </section>
    }
}

fn sale_item(
    s: Sale,
    recheck: Callback<String>,
    checking: RwSignal<Option<String>>,
) -> impl IntoView {
    let r = s.last_result.clone().unwrap_or_default();
    let paid = (s.status == SaleStatus::Paid)
        .then(|| format!("{} {}", r.payment_amount, r.payment_symbol));
    // A sale that failed by expiry may still see a late payment.
    let open = !s.status.is_final() || s.status.is_expired_failure();
    let trace_id = s.trace_id.clone();
    let busy_id = trace_id.clone();
    let word = history::status_word(&s);
    let class = match &s.status {
        SaleStatus::Paid => "sale paid",
        SaleStatus::Mismatch { .. } | SaleStatus::Failed { .. } => "sale bad",
        _ => "sale open",
    };
    view! {
        <li class=class>
            <div class="line">
                <strong class="amount">{s.amount_text()}</strong>
                <span class="word">{word}</span>
                <span class="when">{local_time(s.created_ms)}</span>
            </div>
            {paid.map(|p| view! { <div>"Paid " {p}</div> })}
            {(!s.note.is_empty()).then(|| view! { <div class="note">{s.note.clone()}</div> })}
            <div class="ids">"Trace " <code>{s.trace_id.clone()}</code></div>
            {(!r.txid.is_empty()).then(|| {
                let tx = r.txid.clone();
                match r.block_explorer_url.clone() {
                    url if url.starts_with("https://") || url.starts_with("http://") => view! {
                        <div class="ids">"Tx " <a href=url target="_blank" rel="noopener noreferrer"><code>{tx}</code></a></div>
                    }.into_any(),
                    _ => view! { <div class="ids">"Tx " <code>{tx}</code></div> }.into_any(),
                }
            })}
            {open.then(|| view! {
                <button type="button" class="recheck"
                    disabled=move || checking.with(|c| c.as_deref() == Some(busy_id.as_str()))
                    on:click=move |_| recheck.run(trace_id.clone())>
                    "Re-check"
                </button>
            })}
        </li>
    }
}
