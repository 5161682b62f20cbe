//! History's "Close the day" (issue 27, part 1): asks for the owner PIN when
//! one is set, re-checks with MixPay every sale of the day that is not final
//! or was cancelled (through the device's request budget, with progress),
//! then shows the day's report (`domain::day_close`), printable on the
//! shop's roll like the receipt, shared as text, with the day's CSV; and
//! records the closed day on the device (History marks it).
//! Only History reads this: it travels in the History part.

use leptos::prelude::*;

use crate::clock::{local_day_range, local_parts, now_ms};
use crate::components::erased;
use crate::components::print_sheet::AdoptedSheet;
use crate::components::text::tr;
use crate::domain::day_close::{self as dc, ClosedDay, DayReport};
use crate::domain::lang::{format_day, format_time};
use crate::domain::money_format::MoneyStyle;
use crate::domain::receipt::PaperWidth;
use crate::domain::sale::Sale;
use crate::i18n::{self, day_close as words, Msg};
use crate::api::{ApiError, MixPayClient};
use crate::pages::history::{download, export_csv};
use crate::pages::lock::PinTry;
use crate::state::app_state::AppState;
use crate::state::owner_pin;
use crate::state::sale_history_db::{self, PageEnd, Query};
use crate::state::{local_storage, open_sales, order_numbers, sale_lifecycle};

/// Where the closed days are kept on the device.
const CLOSED_KEY: &str = "mixpay-pos/closed-days";

/// The days closed on this device.
pub fn closed_days() -> Vec<ClosedDay> {
    local_storage::get(CLOSED_KEY)
        .ok()
        .flatten()
        .map(|t| dc::read_closed(&t))
        .unwrap_or_default()
}

fn record_closed(closed: ClosedDay) -> Result<(), String> {
    let days = dc::with_closed(closed_days(), closed);
    local_storage::set(CLOSED_KEY, &dc::write_closed(&days)).map_err(|e| e.to_string())
}

/// Every sale of `day` (local), the copies this tab holds merged in.
async fn day_sales(day: &str) -> Result<Vec<Sale>, String> {
    let (from_ms, to_ms) = local_day_range(day).ok_or("no such day")?;
    let q = Query {
        kind: None,
        from_ms: Some(from_ms),
        to_ms: Some(to_ms),
        search: String::new(),
    };
    let mut out: Vec<Sale> = vec![];
    let mut after: Option<PageEnd> = None;
    loop {
        let (sales, more, _) = sale_history_db::page(&q, after.as_ref(), 250, false)
            .await
            .map_err(|e| e.0)?;
        after = sales.last().map(|s| (s.created_ms, s.trace_id.clone()));
        for sale in sales {
            out.push(match open_sales::read(&sale.trace_id) {
                Some(held) => crate::domain::merge::merge(&sale, &held),
                None => sale,
            });
        }
        if !more || after.is_none() {
            break;
        }
    }
    // A sale only this tab holds yet (just made).
    if let Ok((held, _)) = open_sales::all() {
        for s in held {
            if s.created_ms >= from_ms
                && s.created_ms <= to_ms
                && !out.iter().any(|o| o.trace_id == s.trace_id)
            {
                out.push(s);
            }
        }
    }
    Ok(out)
}

/// Asks MixPay about one sale where it was made and records the answer
/// through the lifecycle (as History's "Re-check" does).
async fn ask(state: AppState, trace_id: &str) -> Result<(), ApiError> {
    let current = state.settings().with_untracked(|s| s.api_base.clone());
    let known = sale_lifecycle::from_history(trace_id).await;
    let client = MixPayClient::new(
        known
            .as_ref()
            .map_or(current.as_str(), |s| s.check_base(&current)),
    );
    let result = client.payments_result(trace_id).await?;
    sale_lifecycle::apply_result(state, trace_id, known, result);
    Ok(())
}

/// Where the close is.
#[derive(Clone, Debug, PartialEq)]
enum Stage {
    Idle,
    AskPin,
    Checking { done: usize, total: usize },
    Report {
        report: DayReport,
        unchecked: usize,
        agrees: bool,
        closed_ms: i64,
    },
    Failed(String),
}

/// Re-checks the day, then reports it and records the close.
async fn close(state: AppState, day: String, stage: RwSignal<Stage>) {
    let sales = match day_sales(&day).await {
        Ok(s) => s,
        Err(why) => return stage.set(Stage::Failed(why)),
    };
    let targets: Vec<String> = sales
        .iter()
        .filter(|s| dc::wants_recheck(s))
        .map(|s| s.trace_id.clone())
        .collect();
    let total = targets.len();
    let mut unchecked = 0;
    stage.set(Stage::Checking { done: 0, total });
    for (i, trace_id) in targets.into_iter().enumerate() {
        // Every request waits its turn in the device's budget (the client's);
        // an answer refused for the rate is asked again, a few times.
        let mut tries = 0;
        loop {
            match ask(state, &trace_id).await {
                Err(ApiError::RateLimited) if tries < 3 => tries += 1,
                Err(_) => {
                    unchecked += 1;
                    break;
                }
                Ok(()) => break,
            }
        }
        stage.set(Stage::Checking { done: i + 1, total });
    }
    let sales = match day_sales(&day).await {
        Ok(s) => s,
        Err(why) => return stage.set(Stage::Failed(why)),
    };
    let report = DayReport::of(&day, &sales);
    // Unreadable, the store is not taken for an empty one: a close recorded
    // against nothing would show "Changed after closing" for nothing.
    let store = match sale_history_db::day_totals(&day, &day).await {
        Ok(store) => store,
        Err(why) => return stage.set(Stage::Failed(why.0)),
    };
    let agrees = report.agrees_with(&store);
    let closed_ms = now_ms();
    let device = order_numbers::current().map(|c| c.device_id).unwrap_or_default();
    // The totals as closed: the per-day store's (what History marks against).
    let paid = if agrees { report.paid() } else { dc::day_summary(&store, &day) };
    if let Err(why) = record_closed(ClosedDay::new(&report, &device, closed_ms, paid)) {
        state.report(crate::state::problems::Problem::HistoryDb(why));
    }
    stage.set(Stage::Report { report, unchecked, agrees, closed_ms });
}

/// The page size and the report's print rules, while the report is open.
fn report_css(paper: PaperWidth) -> String {
    format!(
        "@page {{ size: {} 260mm; margin: 0; }}\n\
         .day-report .receipt-line dd {{ flex-shrink: 0; max-width: 65%; }}\n\
         .day-report .pending-list {{ list-style: none; padding: 0; margin: 0.4em 0; }}\n\
         .day-report .pending-list li {{ display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0.3em; padding: 0.2em 0; border-bottom: 1px dotted #000; }}\n\
         .day-report .pending-list button {{ font: inherit; min-height: 2.75rem; padding: 0 0.6em; color: #000; background: #fff; border: 1px solid #000; border-radius: 4px; }}\n\
         @media print {{ .day-report button {{ display: none !important; }} }}\n\
         .day-report[data-to-printer] button {{ display: none !important; }}",
        paper.value()
    )
}

/// "Close the day" and what follows. `day`: the day to close; `on_open`
/// shows one sale in History (its day and its order number or traceId);
/// `on_closed`: a day was closed (History marks it).
#[component]
pub fn CloseDay(
    day: Signal<String>,
    on_open: Callback<(String, String)>,
    on_closed: Callback<()>,
) -> impl IntoView {
    let state = AppState::expect();
    let lang = state.lang();
    let stage = RwSignal::new(Stage::Idle);
    let closing_day = StoredValue::new(String::new());
    let pin = RwSignal::new(String::new());
    let run = move || {
        let d = closing_day.get_value();
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            close(state, d, stage).await;
            on_closed.run(());
        });
    };
    let start = move |_| {
        closing_day.set_value(day.get_untracked());
        if owner_pin::has_record() {
            pin.set(String::new());
            stage.set(Stage::AskPin);
        } else {
            run();
        }
    };
    let unlock = PinTry::new(lang, pin, move || {
        state.unlock();
        run();
    });
    let pin_message = unlock.message;
    let on_pin = move |ev| unlock.submit(ev);
    let busy = move || matches!(stage.get(), Stage::Checking { .. });
    view! {
        <div class="close-day">
            <button type="button" class="close-day-button" disabled=busy on:click=start>{move || words::close_the_day(lang.get())}</button>
            {move || match stage.get() {
                Stage::Idle => ().into_any(),
                Stage::AskPin => view! {
                    <form class="lock close-day-pin" on:submit=on_pin>
                        <p>{move || words::close_needs_pin(lang.get())}</p>
                        <label>
                            {tr(lang, Msg::OwnerPin)}
                            <input type="password" inputmode="numeric" autocomplete="off" maxlength="8"
                                prop:value=move || pin.get() on:input=move |ev| pin.set(event_target_value(&ev)) />
                        </label>
                        <button type="submit" class="primary" disabled=move || unlock.pending()>{move || words::close_the_day(lang.get())}</button>
                        <button type="button" on:click=move |_| stage.set(Stage::Idle)>{tr(lang, Msg::Cancel)}</button>
                        <p class="lock-message" role="alert">{move || pin_message.get()}</p>
                    </form>
                }.into_any(),
                Stage::Checking { done, total } => view! {
                    <p class="close-progress" role="status">
                        <progress max=total.max(1).to_string() value=done.to_string() aria-label=move || words::close_the_day(lang.get())></progress> " "
                        {move || words::close_progress(lang.get(), done, total)}
                    </p>
                }.into_any(),
                Stage::Failed(why) => view! {
                    <p class="error" role="alert">{move || i18n::history_unreadable(lang.get(), &why)}</p>
                }.into_any(),
                Stage::Report { report, unchecked, agrees, closed_ms } => view! {
                    <ReportView report unchecked agrees closed_ms
                        on_open=Callback::new(move |key: (String, String)| { stage.set(Stage::Idle); on_open.run(key); })
                        on_close=Callback::new(move |_| stage.set(Stage::Idle)) />
                }.into_any(),
            }}
        </div>
    }
}

#[component]
fn ReportView(
    report: DayReport,
    unchecked: usize,
    agrees: bool,
    closed_ms: i64,
    on_open: Callback<(String, String)>,
    on_close: Callback<()>,
) -> impl IntoView {
    let state = AppState::expect();
    let lang = state.lang();
    let owner = state.owner_access();
    let shop = state.settings().with_untracked(|s| s.shop_name.clone());
    let paper = RwSignal::new(state.settings().with_untracked(|s| s.paper));
    let sheet = StoredValue::new_local(AdoptedSheet::adopt(&report_css(paper.get_untracked())));
    on_cleanup(move || sheet.set_value(None));
    Effect::new(move |_| {
        let css = report_css(paper.get());
        sheet.with_value(|s| {
            if let Some(s) = s {
                let _ = s.replace(&css);
            }
        });
    });
    let day = report.day.clone();
    let for_share = (report.clone(), shop.clone());
    let share = Action::new_local(move |_: &()| {
        let lang = lang.get_untracked();
        let (r, shop) = for_share.clone();
        let day_text = format_day(lang, &r.day);
        let title = words::day_report(lang, &day_text);
        crate::components::receipt::share_or_copy(lang, title, words::report_text(lang, &shop, &day_text, &r), words::report_copied(lang))
    });
    let in_flight = StoredValue::new_local(None::<ActionAbortHandle>);
    let note = RwSignal::new(None::<String>);
    // Straight to the printer connected on this device (no dialog), as it
    // looks without its buttons; else the browser's print dialog.
    let paper_ref = NodeRef::<leptos::html::Article>::new();
    let print = move |_| {
        use crate::pages::printer::{self, Job};
        match paper_ref.get_untracked() {
            Some(article) if printer::set_up() => {
                let element: web_sys::Element = article.into();
                let _ = element.set_attribute("data-to-printer", "");
                // Copied now, while the buttons are hidden.
                let job = printer::snapshot(&element).map(Job::Snapshot);
                let _ = element.remove_attribute("data-to-printer");
                crate::pages::parts::print(state, job.unwrap_or(Job::Element(element)));
            }
            _ => {
                let _ = window().print();
            }
        }
    };
    Effect::new(move |_| {
        if let Some(n) = share.value().get().flatten() {
            note.set(Some(n));
        }
    });
    let csv_day = day.clone();
    let export = move |_| {
        let day = csv_day.clone();
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            let lang = lang.get_untracked();
            let name = format!("mixpay-sales-{day}-{day}.csv");
            note.set(Some(match export_csv(&day, &day).await {
                Ok((count, csv)) => match download(&name, &csv) {
                    Ok(()) => i18n::exported(lang, count, &name),
                    Err(_) => i18n::export_failed(lang),
                },
                Err(why) => i18n::export_unreadable(lang, &why),
            }));
        });
    };
    let lines_report = report.clone();
    let pending = report.pending.clone();
    let heading_day = day.clone();
    view! {
        <div class="receipt-overlay" role="dialog" aria-modal="true" aria-label=move || words::close_the_day(lang.get())>
            <article node_ref=paper_ref class=move || format!("receipt printed day-report paper-{}", paper.get().value())>
                {(!shop.is_empty()).then(|| view! { <h2 class="receipt-shop">{shop.clone()}</h2> })}
                <h3 class="receipt-title">{move || words::day_report(lang.get(), &format_day(lang.get(), &heading_day))}</h3>
                <p class="receipt-copy">{move || words::closed_at(lang.get(), &format_time(lang.get(), local_parts(closed_ms)))}</p>
                <dl class="receipt-lines">
                    {move || words::report_lines(lang.get(), &lines_report).into_iter().map(|(k, v)| view! {
                        <div class="receipt-line"><dt>{k}</dt><dd>{v}</dd></div>
                    }).collect_view()}
                </dl>
                {(unchecked > 0).then(|| view! { <p class="hint">{move || words::close_unchecked(lang.get(), unchecked)}</p> })}
                {(!agrees).then(|| view! { <p class="hint">{move || words::totals_disagree(lang.get())}</p> })}
                <h3 class="receipt-title">{move || words::pending_heading(lang.get())}</h3>
                {if pending.is_empty() {
                    view! { <p>{move || words::nothing_pending(lang.get())}</p> }.into_any()
                } else {
                    let day = day.clone();
                    view! {
                        <ul class="pending-list">
                            {pending.into_iter().map(|p| {
                                let label = if p.order_id.is_empty() { crate::domain::history::short_id(&p.trace_id) } else { p.order_id.clone() };
                                let key = if p.order_id.is_empty() { p.trace_id.clone() } else { p.order_id.clone() };
                                let amount = MoneyStyle::new(&p.amount.code, p.amount.decimals).format(&p.amount.amount);
                                let (day, outcome, name) = (day.clone(), p.outcome, label.clone());
                                view! {
                                    <li>
                                        <span>{label}</span> <span>{amount}</span> <span>{move || words::outcome_label(lang.get(), outcome)}</span>
                                        <button type="button" aria-label=move || words::open_sale_named(lang.get(), &name)
                                            on:click=move |_| on_open.run((day.clone(), key.clone()))>{move || i18n::open_sale(lang.get())}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </article>
            <div class="receipt-actions">
                <label>{tr(lang, Msg::ReceiptPaper)} " "
                    <select on:change=move |ev| paper.set(PaperWidth::from_value(&event_target_value(&ev)))>
                        {PaperWidth::ALL.into_iter().map(|p| view! {
                            <option value=p.value() selected=move || paper.get() == p>{move || i18n::paper_label(lang.get(), p)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="button" class="primary" on:click=print>{tr(lang, Msg::Print)}</button>
                {erased::shown(move || owner.get(), move || view! {
                    <button type="button" disabled=move || share.pending().get()
                        on:click=move |_| in_flight.set_value(Some(share.dispatch_local(())))>{tr(lang, Msg::Share)}</button>
                    <button type="button" on:click=export.clone()>{tr(lang, Msg::ExportCsv)}</button>
                }.into_any())}
                <button type="button" class="close-report" on:click=move |_| on_close.run(())>{tr(lang, Msg::Close)}</button>
                <p class="receipt-note" aria-live="polite">{move || note.get()}</p>
            </div>
        </div>
    }
}

/// History's marks on the closed days of a range: "Closed at {time}", and
/// "Changed after closing" with the difference, from the per-day store.
pub fn day_marks(
    lang: crate::i18n::Lang,
    closed: &[ClosedDay],
    totals: &[crate::domain::history::DayTotal],
    from: &str,
    to: &str,
) -> Vec<(String, String, Option<String>)> {
    closed
        .iter()
        .rev()
        .filter(|c| (from.is_empty() || c.day.as_str() >= from) && (to.is_empty() || c.day.as_str() <= to))
        .take(7)
        .map(|c| {
            let now = dc::day_summary(totals, &c.day);
            let changes = dc::changes_since(c, &now);
            (
                format_day(lang, &c.day),
                words::closed_at(lang, &format_time(lang, local_parts(c.closed_ms))),
                (!changes.is_empty()).then(|| words::changed_after_closing(lang, &changes)),
            )
        })
        .collect()
}
