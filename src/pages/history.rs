//! The sales on this device: newest first, over one range of dates (a
//! preset or two dates) and a status, with a summary card and totals of
//! verified payments, a re-check for unfinished sales, and CSV export.

use leptos::prelude::*;

use crate::components::erased::{self, Row};
use crate::components::text::tr;
use wasm_bindgen::JsCast;

use crate::api::MixPayClient;
use crate::clock::{local_day_range, local_offset_minutes, local_parts, local_time, now_ms};
use crate::components::find_sales::FindSales;
use crate::components::receipt::ReceiptView;
use crate::domain::lang::{format_day, format_time};
use crate::domain::history::{self, DayTotal, RangePreset, StatusFilter, Tone};
use crate::domain::receipt::{Receipt, ReceiptLine};
use crate::domain::sale::Sale;
use crate::domain::status::SaleStatus;
use crate::i18n::{self, Lang, Msg, Sec};
use crate::pages::day_close::{self, CloseDay};
use crate::pages::lock::LockGate;
use crate::state::app_state::AppState;
use crate::state::sale_history_db::{self, PageEnd, Query};
use crate::state::{open_sales, sale_lifecycle};

/// Sales read and drawn at once, newest first; more on request ("Show
/// more"), so opening History reads one page whatever the history holds.
const PAGE: usize = 50;

/// Offers `text` as a file download.
pub(crate) fn download(file_name: &str, text: &str) -> Result<(), String> {
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

/// What the list shows: the sales read so far, whether more follow, and
/// how many match in all (`None` for a search: counting its matches would
/// read every sale).
#[derive(Clone, Debug, PartialEq)]
enum Loaded {
    Loading,
    Sales {
        list: Vec<Sale>,
        more: bool,
        total: Option<usize>,
    },
    /// The history could not be read: said, never an endless "Loading…".
    Failed(String),
}

/// A re-check of one sale, as the cashier sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Recheck {
    Idle,
    Running(String),
    Failed { trace_id: String, why: String },
}

/// Asks MixPay about one sale and records the answer through the lifecycle.
async fn recheck(state: AppState, trace_id: String) -> Recheck {
    let current = state.settings().with_untracked(|s| s.api_base.clone());
    // A sale that left the write-ahead (final, or older than the re-checks last) comes from the history.
    let known = sale_lifecycle::from_history(&trace_id).await;
    // Asked where it was made, never at a base changed since.
    let client = MixPayClient::new(
        known
            .as_ref()
            .map_or(current.as_str(), |s| s.check_base(&current)),
    );
    match client.payments_result(&trace_id).await {
        Ok(result) => {
            sale_lifecycle::apply_result(state, &trace_id, known, result);
            Recheck::Idle
        }
        Err(e) => Recheck::Failed {
            trace_id,
            why: e.to_string(),
        },
    }
}

/// The query the filters stand for: the first millisecond of `from`'s day
/// to the last of `to`'s (an empty or unreadable date: no bound).
fn query_of(from: &str, to: &str, status: StatusFilter, search: &str) -> Query {
    let (from, to) = history::ordered_days(from, to);
    Query {
        kind: status.kind(),
        from_ms: local_day_range(&from).map(|(t, _)| t),
        to_ms: local_day_range(&to).map(|(_, t)| t),
        search: history::search_key(search),
    }
}

/// Puts `page` after `list`, merging a sale both have (a copy this tab holds
/// can fall at a page's edge).
fn append(list: &mut Vec<Sale>, page: Vec<Sale>) {
    for sale in page {
        match list.iter_mut().find(|s| s.trace_id == sale.trace_id) {
            Some(s) => *s = crate::domain::merge::merge(s, &sale),
            None => list.push(sale),
        }
    }
}

/// The CSV of the sales of the chosen days, read by a cursor a chunk at a
/// time, oldest first; between chunks the page yields to the browser, so a
/// long history never holds the main thread.
pub(crate) async fn export_csv(from: &str, to: &str) -> Result<(usize, String), String> {
    const CHUNK: usize = 250;
    let q = query_of(from, to, StatusFilter::All, "");
    let mut csv = history::csv_header();
    let mut count = 0;
    let mut after: Option<PageEnd> = None;
    loop {
        let (sales, more, _) = sale_history_db::page(&q, after.as_ref(), CHUNK, false)
            .await
            .map_err(|e| e.0)?;
        for sale in &sales {
            // The copy this tab holds, if any, is the newer word on the sale.
            let sale = match open_sales::read(&sale.trace_id) {
                Some(held) => crate::domain::merge::merge(sale, &held),
                None => sale.clone(),
            };
            csv.push_str(&history::csv_row(&sale, local_time));
        }
        count += sales.len();
        after = sales.last().map(|s| (s.created_ms, s.trace_id.clone()));
        if !more || after.is_none() {
            return Ok((count, csv));
        }
        gloo_timers::future::TimeoutFuture::new(0).await;
    }
}

#[component]
pub fn HistoryPage() -> impl IntoView {
    let state = AppState::expect();
    let lang = state.lang();
    // The cashier sees today's sales and the receipt of the sale just made;
    // everything else of History is the owner's.
    let owner = state.owner_access();
    let loaded = RwSignal::new(Loaded::Loading);
    // The newest sale on the device when History opened (its first page is
    // today's, every status, no search): the sale just made.
    let just_made = StoredValue::new(None::<String>);
    // One range of dates for the list, the totals and the export; today first.
    let opened_ms = now_ms();
    let offset = local_offset_minutes(opened_ms);
    let (today_from, today_to) = RangePreset::Today.days(opened_ms, offset);
    let from = RwSignal::new(today_from);
    let to = RwSignal::new(today_to);
    let preset = Memo::new(move |_| {
        RangePreset::of(&from.get(), &to.get(), opened_ms, offset)
    });
    let status = RwSignal::new(StatusFilter::All);
    let search = RwSignal::new(String::new());
    let totals = RwSignal::new(Vec::<DayTotal>::new());
    // Each load has a number: the answer of a load the filters have since
    // replaced is dropped.
    let generation = StoredValue::new(0u64);
    // What the controls stand for now: the dates in order, and the query.
    let chosen_days = move || history::ordered_days(&from.get_untracked(), &to.get_untracked());
    let chosen_query = move || {
        query_of(
            &from.get_untracked(),
            &to.get_untracked(),
            status.get_untracked(),
            &search.get_untracked(),
        )
    };

    let load_first = move || {
        let query = chosen_query();
        let days = chosen_days();
        let this = generation.get_value() + 1;
        generation.set_value(this);
        loaded.set(Loaded::Loading);
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            let first = sale_lifecycle::history_page(state, &query, None, PAGE).await;
            let total = if query.search.is_empty() {
                sale_history_db::count_matching(&query).await.map(Some)
            } else {
                Ok(None)
            };
            let day_totals = sale_history_db::day_totals(&days.0, &days.1).await;
            if generation.get_value() != this {
                return;
            }
            // The totals first: the closed days' marks read them once the list is in.
            match day_totals {
                Ok(t) => totals.set(t),
                Err(e) => state.report(crate::state::problems::Problem::HistoryDb(e.0)),
            }
            match (first, total) {
                (Ok((list, more)), Ok(total)) => {
                    // A search that has read to the end knows its count.
                    let total = match total {
                        Some(n) => Some((n as usize).max(list.len())),
                        None => (!more).then_some(list.len()),
                    };
                    if just_made.with_value(Option::is_none) {
                        just_made.set_value(list.first().map(|s| s.trace_id.clone()));
                    }
                    loaded.set(Loaded::Sales { list, more, total });
                }
                (Err(why), _) | (_, Err(sale_history_db::HistoryDbError(why))) => {
                    loaded.set(Loaded::Failed(why))
                }
            }
        });
    };
    load_first();

    let show_more = move || {
        let after = loaded.with_untracked(|l| match l {
            Loaded::Sales { list, .. } => list.last().map(|s| (s.created_ms, s.trace_id.clone())),
            _ => None,
        });
        let Some(after) = after else { return };
        let query = chosen_query();
        let this = generation.get_value();
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            let next = sale_lifecycle::history_page(state, &query, Some(&after), PAGE).await;
            if generation.get_value() != this {
                return;
            }
            match next {
                Ok((page, more_left)) => loaded.update(|l| {
                    if let Loaded::Sales { list, more, total } = l {
                        append(list, page);
                        *more = more_left;
                        *total = match *total {
                            Some(n) => Some(n.max(list.len())),
                            None => (!more_left).then_some(list.len()),
                        };
                    }
                }),
                Err(why) => loaded.set(Loaded::Failed(why)),
            }
        });
    };

    // Sales recorded while the page is open (re-checks, another tab) are in
    // the write-ahead first: merge those rather than reading the history
    // again; the totals, a small read, are read again.
    Effect::new(move |prev: Option<u64>| {
        let rev = state.revision().get();
        if prev.is_some() {
            let query = chosen_query();
            if let Ok((local, _)) = open_sales::all() {
                loaded.update(|l| {
                    let Loaded::Sales { list, total, .. } = l else {
                        return;
                    };
                    for sale in local {
                        match list.iter_mut().find(|s| s.trace_id == sale.trace_id) {
                            Some(s) => *s = crate::domain::merge::merge(s, &sale),
                            None if sale_lifecycle::in_query(&query, &sale) => {
                                list.insert(0, sale);
                                if let Some(n) = total {
                                    *n += 1;
                                }
                            }
                            None => {}
                        }
                    }
                });
            }
            let days = chosen_days();
            leptos::task::spawn_local_scoped_with_cancellation(async move {
                if let Ok(t) = sale_history_db::day_totals(&days.0, &days.1).await {
                    totals.set(t);
                }
            });
        }
        rev
    });

    let export_note = RwSignal::new(None::<String>);
    let export_open = RwSignal::new(false);
    let export = move |_| {
        export_open.set(false);
        let (from, to) = chosen_days();
        export_note.set(Some(i18n::exporting(lang.get_untracked()).into()));
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            let name = format!(
                "mixpay-sales-{}-{}.csv",
                if from.is_empty() { "start" } else { &from },
                if to.is_empty() { "end" } else { &to }
            );
            let lang = lang.get_untracked();
            let note = match export_csv(&from, &to).await {
                Ok((count, csv)) => match download(&name, &csv) {
                    Ok(()) => i18n::exported(lang, count, &name),
                    Err(_) => i18n::export_failed(lang),
                },
                Err(why) => i18n::export_unreadable(lang, &why),
            };
            export_note.set(Some(note));
        });
    };

    let recheck_action =
        Action::new_local(move |trace_id: &String| recheck(state, trace_id.clone()));
    // Kept with the page: dropping it (unmount) aborts a re-check in flight.
    let in_flight = StoredValue::new_local(None::<leptos::prelude::ActionAbortHandle>);
    let recheck_state = Memo::new(move |_| {
        if let Some(id) = recheck_action.input().get() {
            Recheck::Running(id)
        } else {
            recheck_action.value().get().unwrap_or(Recheck::Idle)
        }
    });
    let on_recheck = Callback::new(move |trace_id: String| {
        in_flight.set_value(Some(recheck_action.dispatch_local(trace_id)));
    });
    let totals = Memo::new(move |_| totals.get());
    // The card: the range's paid sales per currency, from the days store.
    let card = Memo::new(move |_| {
        let lang = lang.get();
        let label = match preset.get() {
            RangePreset::Today => Msg::Today.text(lang).to_string(),
            RangePreset::Yesterday => Msg::Yesterday.text(lang).to_string(),
            RangePreset::Week => Msg::PastWeek.text(lang).to_string(),
            RangePreset::All | RangePreset::Custom => {
                i18n::range_label(lang, &from.get(), &to.get())
            }
        };
        let sums = totals.with(|t| history::summary(t));
        (i18n::range_summary(lang, &label, &sums), i18n::summary_tips(lang, &sums))
    });
    let pick = move |p: RangePreset| {
        let now = now_ms();
        let (f, t) = p.days(now, local_offset_minutes(now));
        from.set(f);
        to.set(t);
        load_first();
    };
    // The receipt shown again for a sale of the list.
    let receipt = RwSignal::new(None::<Receipt>);
    let shop_name = state.settings().with_untracked(|s| s.shop_name.clone());
    let on_receipt = Callback::new(move |sale: Sale| {
        receipt.set(Receipt::of(&sale, &shop_name, local_parts(sale.created_ms)));
    });
    // The lock back on (idle, hidden, a sale): the list goes back to today.
    Effect::new(move |was_owner: Option<bool>| {
        let now_owner = owner.get();
        if was_owner == Some(true) && !now_owner {
            receipt.set(None);
            pick(RangePreset::Today);
        }
        now_owner
    });
    // A sale kept open to settle, settled by the owner: recorded through the
    // lifecycle (every tab, the history), and its row says so at once.
    let on_settle = Callback::new(move |sale: Sale| {
        let settled = sale_lifecycle::mark_settled(state, &sale);
        loaded.update(|l| {
            if let Loaded::Sales { list, .. } = l {
                if let Some(s) = list.iter_mut().find(|s| s.trace_id == settled.trace_id) {
                    *s = settled;
                }
            }
        });
    });

    // "Close the day": the day chosen (one day) or today; the days closed
    // on this device, marked in the range shown.
    let closed = RwSignal::new(day_close::closed_days());
    let close_day = Signal::derive(move || {
        let (f, t) = history::ordered_days(&from.get(), &to.get());
        if owner.get() && f == t && !f.is_empty() {
            f
        } else {
            crate::clock::local_day(now_ms())
        }
    });
    // Run in the page's owner: the report that asks is gone by then, and a
    // load begun in its owner would be cancelled with it.
    let page_owner = Owner::current();
    let on_open = Callback::new(move |(day, key): (String, String)| {
        from.set(day.clone());
        to.set(day);
        status.set(StatusFilter::All);
        search.set(key);
        match &page_owner {
            Some(o) => o.with(load_first),
            None => load_first(),
        }
    });
    let on_closed = Callback::new(move |_| closed.set(day_close::closed_days()));
    let marks = Memo::new(move |_| {
        if loaded.with(|l| matches!(l, Loaded::Loading)) {
            return vec![];
        }
        let (f, t) = history::ordered_days(&from.get(), &to.get());
        let lang = lang.get();
        closed.with(|c| totals.with(|tt| day_close::day_marks(lang, c, tt, &f, &t)))
    });

    view! {
        <section class="history-page">
            <h2>{tr(lang, Msg::History)}</h2>
            {erased::switch(move || owner.get(), move || view! {
            <fieldset class="range">
                <legend>{tr(lang, Msg::Dates)}</legend>
                <div class="presets">
                    {RangePreset::BUTTONS.into_iter().map(|p| view! {
                        <button type="button" aria-pressed=move || (preset.get() == p).to_string() on:click=move |_| pick(p)>
                            {tr(lang, match p {
                                RangePreset::Today => Msg::Today,
                                RangePreset::Yesterday => Msg::Yesterday,
                                RangePreset::Week => Msg::Last7Days,
                                _ => Msg::AllDates,
                            })}
                        </button>
                    }).collect_view()}
                </div>
                // Two dates typed make a custom range.
                <label>{tr(lang, Msg::From)} <input type="date" prop:value=move || from.get() on:input=move |ev| { from.set(event_target_value(&ev)); load_first(); } /></label>
                <label>{tr(lang, Msg::To)} <input type="date" prop:value=move || to.get() on:input=move |ev| { to.set(event_target_value(&ev)); load_first(); } /></label>
            </fieldset>
            }.into_any(), move || view! {
                <LockGate sec_title=Sec::HistoryNeedsPin offer_reset=false><span /></LockGate>
            }.into_any())}
            <div class="summary-card">
                <p class="summary-main">{move || card.get().0}</p>
                {move || card.get().1.map(|tips| view! { <p class="hint">{tips}</p> })}
                {move || marks.get().into_iter().map(|(day, at, changed)| view! {
                    <p class="day-closed"><strong>{day}</strong> " " {at}
                        {changed.map(|c| view! { <br /><strong class="day-changed">{c}</strong> })}</p>
                }).collect_view()}
            </div>
            <CloseDay day=close_day on_open on_closed />
            <div class="filters">
                <label>{tr(lang, Msg::Search)} " " <input type="search" placeholder=tr(lang, Msg::SearchPlaceholder)
                    prop:value=move || search.get() on:input=move |ev| { search.set(event_target_value(&ev)); load_first(); } /></label>
                <label>{tr(lang, Msg::Status)}
                    <select prop:value=move || status.get().value() on:change=move |ev| {
                        status.set(StatusFilter::from_value(&event_target_value(&ev)));
                        load_first();
                    }>
                        {StatusFilter::ALL.into_iter().map(|f| view! { <option value=f.value()>{move || i18n::filter_label(lang.get(), f)}</option> }).collect_view()}
                    </select>
                </label>
            </div>

            // The list stays visible to the cashier; the export is the owner's.
            {erased::shown(move || owner.get(), move || view! {
                // A menu button: the export is of the dates chosen above.
                <div class="export" on:keydown=move |ev| if ev.key() == "Escape" { export_open.set(false) }>
                    <button type="button" class="menu-button" aria-haspopup="true" aria-controls="export-menu"
                        aria-expanded=move || export_open.get().to_string()
                        on:click=move |_| export_open.update(|o| *o = !*o)>{tr(lang, Msg::Export)}</button>
                    <div id="export-menu" class="menu" hidden=move || !export_open.get()>
                        <button type="button" on:click=export>{tr(lang, Msg::ExportCsv)}</button>
                    </div>
                    <p aria-live="polite">{move || export_note.get()}</p>
                </div>
                // Rebuilds the sales a wiped device lost, from MixPay.
                <FindSales />
            }.into_any())}

            <p class="check-note" aria-live="polite">{move || match recheck_state.get() {
                Recheck::Failed { trace_id, why } => Some(i18n::recheck_failed(lang.get(), &trace_id, &why)),
                _ => None,
            }}</p>

            {move || receipt.get().map(|r| view! {
                <ReceiptView receipt=r paper=state.settings().with_untracked(|s| s.paper)
                    reprinted=format_time(lang.get_untracked(), local_parts(now_ms()))
                    on_close=Callback::new(move |_| receipt.set(None)) />
            })}

            {move || match loaded.get() {
                Loaded::Failed(why) => view! {
                    <p class="error" role="alert">{move || i18n::history_unreadable(lang.get(), &why)}</p>
                }.into_any(),
                Loaded::Loading => view! { <p>{tr(lang, Msg::LoadingHistory)}</p> }.into_any(),
                Loaded::Sales { list, .. } if list.is_empty() => view! { <p>{tr(lang, Msg::NoSales)}</p> }.into_any(),
                Loaded::Sales { list, more, total } => {
                    let shown = list.len();
                    view! {
                        <p class="count">{move || match total {
                            Some(total) => i18n::sale_count(lang.get(), total),
                            // A search still reading: how many it has found so far.
                            None => i18n::sale_count_so_far(lang.get(), shown),
                        }}</p>
                        <ul class="sales">
                            {erased::keyed(move || list.iter().cloned().map(|s| {
                                Row::new(format!("{}\u{1}{}", s.trace_id, s.updated_ms), move || {
                                    let latest = just_made.with_value(|id| id.as_deref() == Some(s.trace_id.as_str()));
                                    view! { <SaleRow sale=s on_recheck on_receipt on_settle recheck_state lang owner latest /> }.into_any()
                                })
                            }).collect())}
                        </ul>
                        {more.then(|| view! {
                            <button type="button" class="more" on:click=move |_| show_more()>
                                {move || match total {
                                    Some(total) => i18n::show_more(lang.get(), total.saturating_sub(shown)),
                                    None => i18n::show_more_matches(lang.get()).to_string(),
                                }}
                            </button>
                        })}
                    }.into_any()
                }
            }}

            // The day-by-day breakdown under the sales: the card above has the range's sum.
            <Totals rows=totals lang />
        </section>
    }
}

/// Totals per day and currency, of verified payments only. Subtotal and
/// tips get their own columns once tips are in play (asked for, or in a total).
#[component]
fn Totals(rows: Memo<Vec<DayTotal>>, lang: ReadSignal<Lang>) -> impl IntoView {
    let t = move |m: Msg| m.text(lang.get());
    let state = AppState::expect();
    let with_tips = Memo::new(move |_| {
        state.settings().with(|s| s.tips.enabled)
            || rows.with(|r| r.iter().any(|t| !t.tips.is_zero()))
    });
    view! {
        <table class="totals" aria-label=tr(lang, Msg::TotalsLabel)>
            <thead><tr>
                <th>{tr(lang, Msg::Day)}</th><th>{tr(lang, Msg::Currency)}</th><th>{tr(lang, Msg::PaidSales)}</th>
                {move || with_tips.get().then(|| view! { <th>{move || t(Msg::Subtotal).trim_end()}</th><th>{tr(lang, Msg::Tips)}</th> })}
                <th>{tr(lang, Msg::Total)}</th>
            </tr></thead>
            <tbody>
                {move || {
                    let rows = rows.get();
                    let tips = with_tips.get();
                    if rows.is_empty() {
                        view! { <tr><td class="empty" colspan=if tips { "6" } else { "4" }>{t(Msg::NoVerified)}</td></tr> }.into_any()
                    } else {
                        rows.into_iter().map(|t| view! {
                            <tr>
                                <td>{format_day(lang.get(), &t.day)}</td><td>{t.currency}</td><td>{t.count}</td>
                                {tips.then(|| view! { <td>{t.subtotal.format_fixed(t.decimals)}</td><td>{t.tips.format_fixed(t.decimals)}</td> })}
                                <td>{t.sum.format_fixed(t.decimals)}</td>
                            </tr>
                        }).collect_view().into_any()
                    }
                }}
            </tbody>
        </table>
    }
}

/// The icon of a status pill (beside its words: never colour alone).
fn tone_icon(tone: Tone) -> impl IntoView {
    let path = match tone {
        Tone::Paid => "M3 8.5l3.2 3.2L13 5",
        Tone::Bad => "M4 4l8 8M12 4l-8 8",
        Tone::Open => "M8 2.5a5.5 5.5 0 1 0 0 11a5.5 5.5 0 1 0 0-11M8 5v3.2l2.2 1.6",
    };
    view! {
        <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
            <path d=path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
    }
}

/// One sale in the list: amount, status pill and time on the row; the ids,
/// what was paid and the transaction behind "Details".
#[component]
fn SaleRow(
    sale: Sale,
    on_recheck: Callback<String>,
    on_receipt: Callback<Sale>,
    on_settle: Callback<Sale>,
    recheck_state: Memo<Recheck>,
    lang: ReadSignal<Lang>,
    /// The owner unlocked History (or no PIN is set).
    owner: Signal<bool>,
    /// The sale just made: its receipt is the cashier's to print.
    latest: bool,
) -> impl IntoView {
    let s = sale;
    let tip = s.tip.map(|t| (s.money_text(s.subtotal()), s.money_text(t)));
    let receipt_sale = (s.status == SaleStatus::Paid).then(|| s.clone());
    let settle_sale = (matches!(s.status, SaleStatus::Mismatch { .. }) && s.to_settle && !s.settled)
        .then(|| s.clone());
    let r = s.last_result.clone().unwrap_or_default();
    let paid = (s.status == SaleStatus::Paid)
        .then(|| i18n::paying_money(&r.payment_amount, &r.payment_symbol));
    // Paid: an overpayment MixPay refunds, and an asset settled other than the shop's.
    let surplus = paid.as_ref().and(r.surplus()).map(|a| i18n::paying_money(&a.to_string(), &r.payment_symbol));
    let wanted = &s.params.settlement_asset_id;
    let wanted_symbol = AppState::expect().settings().with_untracked(|st| {
        st.settlement.as_ref().filter(|a| a.asset_id.eq_ignore_ascii_case(wanted)).map(|a| a.symbol.clone())
    }).unwrap_or_default();
    let settled = paid.as_ref().and(r.settled_otherwise(wanted, &wanted_symbol));
    // Failed, but the customer paid: MixPay refunds it.
    let paid_back = s.status.paid_on_failure().map(|(p, sym)| i18n::paying_money(p, sym));
    // Any failed sale can be asked about again (a failure may be followed by a payment).
    let open = !s.status.is_final() || matches!(s.status, SaleStatus::Failed { .. });
    let created = s.created_ms;
    let trace_id = s.trace_id.clone();
    let busy_id = trace_id.clone();
    let tone = Tone::of(&s);
    let class = match tone {
        Tone::Paid => "sale paid",
        Tone::Bad => "sale bad",
        Tone::Open => "sale open",
    };
    let payee = s.params.payee_id.clone();
    view! {
        <li class=class>
            <div class="line">
                <strong class="amount">{s.amount_text()}</strong>
                <span class=tone.class()>{tone_icon(tone)}{let s = s.clone(); move || i18n::status_pill(lang.get(), &s)}</span>
                <span class="when">{move || format_time(lang.get(), local_parts(created))}</span>
            </div>
            {(!s.lines.is_empty()).then(|| view! { <div class="lines">{s.lines_text()}</div> })}
            {(!s.order_id().is_empty()).then(|| view! { <div class="order">{tr(lang, Msg::Order)} <strong>{s.order_id().to_string()}</strong></div> })}
            {(!s.note.is_empty()).then(|| view! { <div class="note">{s.note.clone()}</div> })}
            {paid_back.clone().map(|p| view! { <div class="paid-back-line">{move || i18n::customer_paid_failed(lang.get(), &p)}</div> })}
            {s.recovered.then(|| view! { <div class="note recovered">{move || i18n::recovered_note(lang.get())}</div> })}
            <div class="sale-actions">
                {receipt_sale.map(|sale| view! {
                    {erased::shown(move || latest || owner.get(), move || view! {
                        <button type="button" class="receipt-button" on:click={let sale = sale.clone(); move |_| on_receipt.run(sale.clone())}>{tr(lang, Msg::Receipt)}</button>
                    }.into_any())}
                })}
                {settle_sale.map(|sale| view! {
                    {erased::shown(move || owner.get(), move || view! {
                        <button type="button" class="settle" on:click={let sale = sale.clone(); move |_| on_settle.run(sale.clone())}>{tr(lang, Msg::MarkSettled)}</button>
                    }.into_any())}
                })}
                {open.then(|| view! {
                    <button type="button" class="recheck"
                        disabled=move || recheck_state.with(|r| matches!(r, Recheck::Running(id) if *id == busy_id))
                        on:click=move |_| on_recheck.run(trace_id.clone())>
                        {tr(lang, Msg::Recheck)}
                    </button>
                })}
            </div>
            <details class="sale-details">
                <summary>{tr(lang, Msg::Details)}</summary>
                {paid.map(|p| view! { <div>{move || i18n::paid_with(lang.get(), &p)}</div> })}
                {surplus.map(|x| view! { <div class="surplus">{move || i18n::overpaid(lang.get(), &x)}</div> })}
                {settled.map(|x| view! { <div class="settled-as">{move || i18n::settled_as(lang.get(), &x)}</div> })}
                // How the money of a failed sale comes back (what was paid is on the row).
                {paid_back.is_some().then(|| {
                    let (order_id, trace_id) = (s.order_id().to_string(), s.trace_id.clone());
                    view! {
                        <div>{tr(lang, Msg::RefundFromWallet)}</div>
                        <div>{move || i18n::refund_on_chain(lang.get(), &order_id, &trace_id)}</div>
                    }
                })}
                {tip.map(|(subtotal, tip)| view! { <div class="tip-line">{tr(lang, Msg::Subtotal)} {subtotal} " · " {move || i18n::receipt_label(lang.get(), ReceiptLine::Tip)} " " {tip}</div> })}
                <div class="ids">{tr(lang, Msg::TraceId)} <code>{s.trace_id.clone()}</code></div>
                {(!r.txid.is_empty()).then(|| {
                    let tx = r.txid.clone();
                    match r.block_explorer_url.clone() {
                        // A link out of the app: the owner's only (a kiosk's way out).
                        url if (url.starts_with("https://") || url.starts_with("http://")) => view! {
                            <div class="ids">{tr(lang, Msg::Transaction)} {move || if owner.get() {
                                view! { <a href=url.clone() target="_blank" rel="noopener noreferrer"><code>{tx.clone()}</code></a> }.into_any()
                            } else {
                                view! { <code>{tx.clone()}</code> }.into_any()
                            }}</div>
                        }.into_any(),
                        _ => view! { <div class="ids">{tr(lang, Msg::Transaction)} <code>{tx}</code></div> }.into_any(),
                    }
                })}
                <div class="ids">{tr(lang, Msg::AccountLabel)} <code>{payee}</code></div>
            </details>
        </li>
    }
}
