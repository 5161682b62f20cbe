//! Steps 2 and 3 of a sale: the payment link (created at MixPay in one-time
//! mode), its QR code with a countdown, and the verified result. Checking
//! MixPay is the checker's job (`state::checker`); this screen shows it.

use leptos::prelude::*;

use crate::api::MixPayClient;
use crate::clock::now_ms;
use crate::components::qr::QrCode;
use crate::domain::link::code_link;
use crate::domain::sale::{countdown_text, Sale};
use crate::domain::status::SaleStatus;
use crate::state::app_state::{AppState, Screen};
use crate::state::checker::Nudge;
use crate::state::sales;
use crate::state::tasks::spawn_scoped;
use crate::state::wake_lock::{self, keep_screen_awake_while};

/// Calls a DOM method that returns a promise, ignoring a refusal (full
/// screen is a nicety: the overlay works without it).
fn call_ignoring_refusal(target: &wasm_bindgen::JsValue, method: &str) {
    use wasm_bindgen::JsCast;
    let Ok(f) =
        js_sys::Reflect::get(target, &method.into()).and_then(|f| f.dyn_into::<js_sys::Function>())
    else {
        return;
    };
    let Ok(promise) = f.call0(target) else { return };
    // `promise.catch(() => {})`, with a function that frees itself once called.
    let ignore = wasm_bindgen::closure::Closure::<dyn FnMut(wasm_bindgen::JsValue)>::once_into_js(
        |_: wasm_bindgen::JsValue| {},
    );
    if let Ok(catch) = js_sys::Reflect::get(&promise, &"catch".into())
        .and_then(|c| c.dyn_into::<js_sys::Function>())
    {
        let _ = catch.call1(&promise, &ignore);
    }
}

/// Records a changed sale first, then shows it.
fn record(state: AppState, sale: Sale) {
    sales::record(state, &sale);
    state.sale.set(Some(sale));
    state.nudge(Nudge::Changed);
}

fn leave(state: AppState) {
    state.sale.set(None);
    state.screen.set(Screen::Amount);
}

/// Cancel: back to the keypad; the sale stays recorded as unfinished and is
/// re-checked in the background, so a late payment is still found.
fn cancel(state: AppState) {
    if let Some(mut sale) = state.sale.get_untracked() {
        sale.cancelled = true;
        sale.updated_ms = now_ms();
        sales::record(state, &sale);
        state.nudge(Nudge::Changed);
    }
    leave(state);
}

/// Creates the one-time payment at MixPay (the same traceId on a retry, so
/// a request that did arrive is not made twice).
async fn create_link(
    state: AppState,
    client: MixPayClient,
    pay_base: String,
    error: RwSignal<Option<String>>,
) {
    let Some(mut sale) = state.sale.get_untracked().filter(|s| s.link.is_none()) else {
        return;
    };
    match client.one_time_payment(&sale.params.one_time_body()).await {
        Ok(code) => {
            sale.link = Some(code_link(&pay_base, &code));
            sale.status = SaleStatus::Waiting;
            sale.updated_ms = now_ms();
            record(state, sale);
        }
        Err(e) => error.set(Some(e.to_string())),
    }
}

#[component]
pub fn PaymentPage() -> impl IntoView {
    let state = AppState::expect();
    let Some(first) = state.sale.get_untracked() else {
        state.screen.set(Screen::Amount);
        return ().into_any();
    };
    let settings = state.settings.get_untracked();
    let client = MixPayClient::new(&settings.api_base);
    let pay_base = settings.pay_base.clone();
    let shop_name = settings.shop_name.clone();

    let create_error = RwSignal::new(None::<String>);
    let create = move || create_link(state, client.clone(), pay_base.clone(), create_error);
    let create = StoredValue::new_local(create);
    spawn_scoped(create.with_value(|c| c()));
    // Event handlers run outside the component's owner: scope the retry to it.
    let owner = Owner::current().expect("components have an owner");
    let retry = Callback::new(move |_: ()| {
        create_error.set(None);
        owner.with(|| spawn_scoped(create.with_value(|c| c())));
    });

    // The countdown ticks once a second; the interval is cleared on unmount.
    let now = RwSignal::new(now_ms());
    let tick =
        send_wrapper::SendWrapper::new(gloo_timers::callback::Interval::new(1_000, move || {
            now.set(now_ms())
        }));
    on_cleanup(move || drop(tick));

    let sale = Memo::new(move |_| state.sale.get());
    let status = Memo::new(move |_| sale.with(|s| s.as_ref().map(|s| s.status.clone())));
    let seconds_left =
        Memo::new(move |_| sale.with(|s| s.as_ref().map_or(0, |s| s.seconds_left(now.get()))));
    let amount_text =
        Memo::new(move |_| sale.with(|s| s.as_ref().map(Sale::amount_text).unwrap_or_default()));
    let link = Memo::new(move |_| sale.with(|s| s.as_ref().and_then(|s| s.link.clone())));
    let headline = Memo::new(move |_| {
        status
            .get()
            .map(|st| st.headline(seconds_left.get() == 0))
            .unwrap_or_default()
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
    // The screen stays on while the customer may still be paying.
    keep_screen_awake_while(Signal::derive(move || !is_final()));

    // Full-screen view for the customer: the QR and the amount, nothing else.
    let customer_view = RwSignal::new(false);
    let open_customer_view = move |_| {
        customer_view.set(true);
        if let Some(root) = document().document_element() {
            call_ignoring_refusal(&root, "requestFullscreen");
        }
    };
    let leave_full_screen = || {
        if document().fullscreen_element().is_some() {
            call_ignoring_refusal(&document(), "exitFullscreen");
        }
    };
    let close_customer_view = move || {
        customer_view.set(false);
        leave_full_screen();
    };
    // Signals are already gone at cleanup: only the document is touched.
    on_cleanup(leave_full_screen);

    view! {
        <section class=move || format!("payment-page {}", status_class())>
            <div class="sale-summary">
                <p class="shop">{shop_name}</p>
                <p class="sale-amount">{amount_text}</p>
                {(!note.is_empty()).then(|| view! { <p class="sale-note">{note.clone()}</p> })}
            </div>

            <p role="status" class=status_class aria-live="polite">{headline}</p>
            <p class="reconnecting" aria-live="polite">
                {move || (!is_final()).then(|| state.connection.get()).flatten()}
            </p>

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
                    {(!wake_lock::available()).then(|| view! {
                        <p class="hint">"This browser cannot keep the screen on: turn off auto-lock while the customer pays."</p>
                    })}
                    <div class="qr-actions">
                        <button type="button" class="copy" disabled=move || link.get().is_none() on:click=copy_link>
                            {move || if copied.get() { "Link copied" } else { "Copy payment link" }}
                        </button>
                        <button type="button" disabled=move || link.get().is_none() on:click=open_customer_view>
                            "Show to customer"
                        </button>
                    </div>
                }.into_any(),
            }}

            // Closes by itself once the payment is final, so the cashier sees the verdict.
            <Show when=move || customer_view.get() && !is_final() && link.get().is_some()>
                <div class="customer-view" role="dialog" aria-label="Customer view">
                    <p class="shop">{settings.shop_name.clone()}</p>
                    <p class="sale-amount">{amount_text}</p>
                    <div class="qr-box">
                        <QrCode
                            link=Signal::derive(move || link.get().unwrap_or_default())
                            label=Signal::derive(move || format!("QR code for the customer to pay {}", amount_text.get()))
                        />
                    </div>
                    <p class="countdown">{move || countdown_text(seconds_left.get())}</p>
                    <p class="customer-status">{headline}</p>
                    <button type="button" on:click=move |_| close_customer_view()>"Close"</button>
                </div>
            </Show>

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
    let paid = format!("{} {}", result.payment_amount, result.payment_symbol)
        .trim()
        .to_string();
    view! {
        <div class="verdict paid">
            <p class="big">"✓"</p>
            {(!paid.is_empty()).then(|| view! { <p>"Customer paid " <strong>{paid.clone()}</strong></p> })}
            {(!result.txid.is_empty()).then(|| view! { <p class="txid">"Transaction " <code>{result.txid.clone()}</code></p> })}
        </div>
    }
}
