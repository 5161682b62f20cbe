//! Steps 2 and 3 of a sale: the payment link (created at MixPay in one-time
//! mode), its QR code with a countdown, and the verified result.

use leptos::prelude::*;

use crate::api::MixPayClient;
use crate::components::qr::QrCode;
use crate::domain::link::code_link;
use crate::domain::sale::{countdown_text, Sale};
use crate::domain::status::SaleStatus;
use crate::state::app_state::{now_ms, AppState, Screen};
use crate::state::poller::{poll_payment, wake_channel, Keep, PollEvent};
use crate::state::store;
use crate::state::tasks::spawn_scoped;

/// Saves a changed sale first, then shows it: the device never shows a state
/// it has not recorded.
fn record(state: AppState, sale: Sale) {
    state.report(store::save_sale(&sale));
    state.sale.set(Some(sale));
}

fn leave(state: AppState) {
    state.report(store::set_current_sale(None));
    state.sale.set(None);
    state.screen.set(Screen::Amount);
}

/// Cancel: back to the keypad; the sale stays stored as unfinished and is
/// still found if paid late.
fn cancel(state: AppState) {
    if let Some(mut sale) = state.sale.get_untracked() {
        sale.cancelled = true;
        sale.updated_ms = now_ms();
        state.report(store::save_sale(&sale));
    }
    leave(state);
}

#[component]
pub fn PaymentPage() -> impl IntoView {
    let state = AppState::expect();
    let Some(first) = state.sale.get_untracked() else {
        state.screen.set(Screen::Amount);
        return ().into_any();
    };
    let trace_id = first.trace_id.clone();
    let settings = state.settings.get_untracked();
    let client = MixPayClient::new(&settings.api_base);
    let pay_base = settings.pay_base.clone();
    let shop_name = settings.shop_name.clone();

    let create_error = RwSignal::new(None::<String>);
    let reconnecting = RwSignal::new(None::<String>);
    let (wake, woken) = wake_channel();
    let wake = StoredValue::new_local(wake);

    // One task: create the one-time payment if needed, then poll until final.
    let woken = StoredValue::new_local(Some(woken));
    let run = move || {
        let client = client.clone();
        let trace_id = trace_id.clone();
        let pay_base = pay_base.clone();
        async move {
            let needs_link = state.sale.with_untracked(|s| s.as_ref().is_some_and(|s| s.link.is_none()));
            if needs_link {
                let Some(mut sale) = state.sale.get_untracked() else { return };
                match client.one_time_payment(&sale.payment_params().one_time_body()).await {
                    Ok(code) => {
                        sale.link = Some(code_link(&pay_base, &code));
                        sale.status = SaleStatus::Waiting;
                        sale.updated_ms = now_ms();
                        record(state, sale);
                    }
                    Err(e) => {
                        create_error.set(Some(e.to_string()));
                        return;
                    }
                }
            }
            if state.sale.with_untracked(|s| s.as_ref().is_some_and(|s| s.status.is_final())) {
                return;
            }
            let Some(woken) = woken.try_update_value(|w| w.take()).flatten() else { return };
            poll_payment(client, trace_id.clone(), woken, move |event| match event {
                PollEvent::Answer(result) => {
                    reconnecting.set(None);
                    let Some(mut sale) = state.sale.get_untracked().filter(|s| s.trace_id == trace_id) else {
                        return Keep::Stop;
                    };
                    if sale.apply(result, now_ms()) {
                        record(state, sale.clone());
                    }
                    if sale.status.is_final() { Keep::Stop } else { Keep::Going }
                }
                PollEvent::Failed { error, retry_in_ms } => {
                    reconnecting.set(Some(format!(
                        "Reconnecting — {error} Next check in {} s.",
                        retry_in_ms.div_ceil(1000)
                    )));
                    Keep::Going
                }
            })
            .await;
        }
    };
    let run = StoredValue::new_local(run);
    spawn_scoped(run.with_value(|r| r()));
    // Event handlers run outside the component's owner: scope the retry to it.
    let owner = Owner::current().expect("components have an owner");
    let retry = Callback::new(move |_: ()| {
        create_error.set(None);
        owner.with(|| spawn_scoped(run.with_value(|r| r())));
    });

    // Check at once when the tablet wakes up or the network returns.
    let check_now = move || wake.with_value(|w| { let _ = w.unbounded_send(()); });
    let visible = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            check_now();
        }
    });
    let online = window_event_listener(leptos::ev::online, move |_| check_now());

    // The countdown ticks once a second; the interval is cleared on unmount.
    let now = RwSignal::new(now_ms());
    let tick = gloo_timers::callback::Interval::new(1_000, move || now.set(now_ms()));
    let tick = StoredValue::new_local(Some(tick));
    on_cleanup(move || {
        visible.remove();
        online.remove();
        tick.update_value(|t| drop(t.take()));
        wake.with_value(|w| w.close_channel());
    });

    let sale = Memo::new(move |_| state.sale.get());
    let status = Memo::new(move |_| sale.with(|s| s.as_ref().map(|s| s.status.clone())));
    let seconds_left = Memo::new(move |_| sale.with(|s| s.as_ref().map_or(0, |s| s.seconds_left(now.get()))));
    let amount_text = Memo::new(move |_| sale.with(|s| s.as_ref().map(Sale::amount_text).unwrap_or_default()));
    let link = Memo::new(move |_| sale.with(|s| s.as_ref().and_then(|s| s.link.clone())));
    let headline = Memo::new(move |_| {
        status.get().map(|st| st.headline(seconds_left.get() == 0)).unwrap_or_default()
    });
    let copied = RwSignal::new(false);
    let copy_link = move |_| {
        if let Some(l) = link.get_untracked() {
            let _ = window().navigator().clipboard().write_text(&l);
            copied.set(true);
        }
    };
    let note = first.note.clone();

    let status_class = move || match status.get() {
        Some(SaleStatus::Paid) => "status paid",
        Some(SaleStatus::Mismatch { .. }) => "status mismatch",
        Some(SaleStatus::Failed { .. }) => "status failed",
        Some(SaleStatus::Underpaid { .. }) | Some(SaleStatus::Auditing) => "status warn",
        _ => "status waiting",
    };
    let is_final = move || status.with(|s| s.as_ref().is_some_and(|s| s.is_final()));

    view! {
        <section class=move || format!("payment-page {}", status_class())>
            <div class="sale-summary">
                <p class="shop">{shop_name}</p>
                <p class="sale-amount">{amount_text}</p>
                {(!note.is_empty()).then(|| view! { <p class="sale-note">{note.clone()}</p> })}
            </div>

            <p role="status" class=status_class aria-live="polite">{headline}</p>
            <p class="reconnecting" aria-live="polite">{move || reconnecting.get()}</p>

            {move || create_error.get().map(|e| view! {
                <div class="create-error" role="alert">
                    <p>"The payment could not be created: " {e}</p>
                    <button type="button" class="primary" on:click=move |_| retry.run(())>"Try again"</button>
                </div>
            })}

            {move || match status.get() {
                Some(SaleStatus::Paid) => paid_view(sale.get()).into_any(),
                Some(SaleStatus::Mismatch { mismatches }) => view! {
                    <div class="verdict mismatch">
                        <p class="big">"Do not hand over goods."</p>
                        <table>
                            <thead><tr><th>""</th><th>"Expected"</th><th>"Received"</th></tr></thead>
                            <tbody>
                                {mismatches.into_iter().map(|m| view! {
                                    <tr><th>{m.field}</th><td>{m.expected}</td><td>{m.received}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
                Some(SaleStatus::Failed { .. }) => view! {
                    <div class="verdict failed"><p>"The customer has not paid. Ask for another way to pay or start again."</p></div>
                }.into_any(),
                _ => view! {
                    {move || link.get().map(|l| view! {
                        <div class="qr-box">
                            <QrCode link=l label=Signal::derive(move || format!("QR code to pay {}", amount_text.get())) />
                        </div>
                    })}
                    <p class="countdown" aria-label="Time left">
                        {move || if link.get().is_some() { countdown_text(seconds_left.get()) } else { String::new() }}
                    </p>
                    <button type="button" class="copy" disabled=move || link.get().is_none() on:click=copy_link>
                        {move || if copied.get() { "Link copied" } else { "Copy payment link" }}
                    </button>
                }.into_any(),
            }}

            <div class="actions">
                {move || if is_final() {
                    view! { <button type="button" class="primary" on:click=move |_| leave(state)>"New sale"</button> }.into_any()
                } else {
                    view! { <button type="button" class="cancel" on:click=move |_| cancel(state)>"Cancel"</button> }.into_any()
                }}
            </div>
        </section>
    }
    .into_any()
}

fn paid_view(sale: Option<Sale>) -> impl IntoView {
    let result = sale.and_then(|s| s.last_result).unwrap_or_default();
    let paid = format!("{} {}", result.payment_amount, result.payment_symbol).trim().to_string();
    view! {
        <div class="verdict paid">
            <p class="big">"✓"</p>
            {(!paid.is_empty()).then(|| view! { <p>"Customer paid " <strong>{paid.clone()}</strong></p> })}
            {(!result.txid.is_empty()).then(|| view! { <p class="txid">"Transaction " <code>{result.txid.clone()}</code></p> })}
        </div>
    }
}
