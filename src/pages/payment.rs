//! Steps 2 and 3 of a sale: the payment link (created at MixPay in one-time
//! mode), its QR code with a countdown, and the verified result. Checking
//! MixPay is the checker's job (`state::checker`); this screen shows it.

use leptos::prelude::*;

use crate::components::text::tr;

use crate::api::client::mixpay_now_ms;
use crate::api::MixPayClient;
use crate::components::payee_fingerprint::PayeeFingerprint;
use crate::components::qr::QrCode;
use crate::components::receipt::ReceiptView;
use crate::domain::clock_offset;
use crate::domain::link::code_link;
use crate::domain::receipt::Receipt;
use crate::domain::sale::{countdown_text, Sale};
use crate::domain::status::{Mismatch, SaleStatus};
use crate::hooks::{use_now, use_wake_lock};
use crate::i18n::{self, Lang, Msg};
use crate::state::app_state::AppState;
use crate::state::sale_lifecycle;
use crate::state::sound::{self, Cue};

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

/// Creates the one-time payment at MixPay (the same traceId on a retry, so
/// a request that did arrive is not made twice).
async fn create_link(state: AppState) -> Result<(), String> {
    let Some(sale) = state.sale().get_untracked().filter(|s| s.link.is_none()) else {
        return Ok(());
    };
    let settings = state.settings().get_untracked();
    // A sale restored after a restart (or retried after a long wait) whose
    // expiry has passed would be refused for ever: it gets a fresh one.
    let sale = sale_lifecycle::refresh_stale_expiry(
        state,
        &sale,
        mixpay_now_ms(),
        settings.expiry_minutes,
    );
    let client = MixPayClient::new(sale.check_base(&settings.api_base));
    let code = client
        .one_time_payment(&sale.params.one_time_body())
        .await
        .map_err(|e| e.to_string())?;
    sale_lifecycle::link_ready(state, &sale, code_link(&settings.pay_base, &code));
    Ok(())
}

fn status_class(status: Option<&SaleStatus>) -> &'static str {
    match status {
        Some(SaleStatus::Paid) => "status paid",
        Some(SaleStatus::Mismatch { .. }) => "status mismatch",
        Some(SaleStatus::Failed { .. }) => "status failed",
        Some(SaleStatus::Underpaid { .. })
        | Some(SaleStatus::Auditing)
        | Some(SaleStatus::Verifying { .. }) => "status warn",
        _ => "status waiting",
    }
}

#[component]
pub fn PaymentPage() -> impl IntoView {
    let state = AppState::expect();
    if state.sale().get_untracked().is_none() {
        state.leave_sale();
        return ().into_any();
    }
    let shop_name = state.settings().with_untracked(|s| s.shop_name.clone());
    let lang = state.lang();
    let t = move |m: Msg| m.text(lang.get());

    // Creating the link. The abort handle lives with the page: when it is
    // dropped (unmount, or a retry replacing it) the request is aborted.
    let create = Action::new_local(move |_: &()| create_link(state));
    let in_flight = StoredValue::new_local(create.dispatch_local(()));
    let create_error = Memo::new(move |_| create.value().get().and_then(Result::err));

    // The countdown ticks once a second on MixPay's clock (the expiry is MixPay's time).
    let now = use_now(1_000, mixpay_now_ms);
    let clock_warning =
        Memo::new(move |_| clock_offset::warning(lang.get(), state.clock_offset().get()));

    let sale = state.sale();
    let status = Memo::new(move |_| sale.with(|s| s.as_ref().map(|s| s.status.clone())));
    let seconds_left =
        Memo::new(move |_| sale.with(|s| s.as_ref().map_or(0, |s| s.seconds_left(now.get()))));
    let amount_text =
        Memo::new(move |_| sale.with(|s| s.as_ref().map(Sale::amount_text).unwrap_or_default()));
    let link = Memo::new(move |_| sale.with(|s| s.as_ref().and_then(|s| s.link.clone())));
    // Whom this sale pays, as recorded with it (not the settings of now).
    let payee_id = Signal::derive(move || {
        sale.with(|s| s.as_ref().map(|s| s.params.payee_id.clone()).unwrap_or_default())
    });
    let note = sale.with_untracked(|s| s.as_ref().map(|s| s.note.clone()).unwrap_or_default());
    let lines = sale.with_untracked(|s| s.as_ref().map(Sale::lines_text).unwrap_or_default());
    let order_id = sale.with_untracked(|s| {
        s.as_ref()
            .map(|s| s.order_id().to_string())
            .unwrap_or_default()
    });
    let headline = Memo::new(move |_| {
        status
            .get()
            .map(|st| i18n::headline(lang.get(), &st, seconds_left.get() == 0))
            .unwrap_or_default()
    });
    let class = Memo::new(move |_| status.with(|s| status_class(s.as_ref())));
    let is_final = Memo::new(move |_| status.with(|s| s.as_ref().is_some_and(|s| s.is_final())));
    // A sound when the verdict arrives while the sale is on screen (not for
    // a sale that was already final when the screen opened).
    Effect::new(move |was_final: Option<bool>| {
        let now_final = is_final.get();
        if was_final == Some(false) && now_final && state.settings().with_untracked(|s| s.sounds) {
            sound::play(match status.get_untracked() {
                Some(SaleStatus::Paid) => Cue::Paid,
                _ => Cue::Warning,
            });
        }
        now_final
    });
    let receipt_open = RwSignal::new(false);
    let receipt = Memo::new(move |_| {
        sale.with(|s| {
            s.as_ref().and_then(|s| {
                Receipt::of(
                    s,
                    &state.settings().with_untracked(|st| st.shop_name.clone()),
                    crate::clock::local_parts(s.created_ms),
                )
            })
        })
    });
    // The screen stays on while the customer may still be paying.
    let wake_lock = use_wake_lock(Signal::derive(move || !is_final.get()));

    let copied = RwSignal::new(false);
    let copy_link = move |_| {
        if let Some(l) = link.get_untracked() {
            let _ = window().navigator().clipboard().write_text(&l);
            copied.set(true);
        }
    };

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
    // Signals are already gone at cleanup: only the document is touched.
    on_cleanup(leave_full_screen);

    let cancel = move |_| {
        if let Some(sale) = state.sale().get_untracked() {
            // Kept as unfinished and checked in the background: a late payment is still found.
            sale_lifecycle::cancel(state, &sale);
        }
        state.leave_sale();
    };

    view! {
        <section class=move || format!("payment-page {}", class.get())>
            <div class="sale-summary">
                <p class="shop">{shop_name.clone()}</p>
                <p class="sale-amount">{amount_text}</p>
                {(!lines.is_empty()).then(|| view! { <p class="sale-lines">{lines.clone()}</p> })}
                <PayeeFingerprint payee_id=payee_id name=shop_name.clone() />
                {(!note.is_empty()).then(|| view! { <p class="sale-note">{note.clone()}</p> })}
                {(!order_id.is_empty()).then(|| view! { <p class="order-number">{tr(lang, Msg::Order)} <strong>{order_id.clone()}</strong></p> })}
            </div>

            <p role="status" class=class aria-live="polite">{headline}</p>
            {move || clock_warning.get().map(|w| view! { <p class="clock-warning" role="note">{w}</p> })}
            <p class="reconnecting" aria-live="polite">
                {move || (!is_final.get()).then(|| state.connection().get()).flatten()}
            </p>

            {move || create_error.get().map(|e| view! {
                <div class="create-error" role="alert">
                    <p>{tr(lang, Msg::CouldNotCreate)} {e}</p>
                    <button type="button" class="primary" on:click=move |_| in_flight.set_value(create.dispatch_local(()))>{tr(lang, Msg::TryAgain)}</button>
                </div>
            })}

            {move || match status.get() {
                Some(SaleStatus::Paid) => view! { <PaidVerdict sale=sale.get_untracked() lang /> }.into_any(),
                Some(SaleStatus::Mismatch { mismatches }) => view! { <MismatchVerdict mismatches lang /> }.into_any(),
                Some(failed @ SaleStatus::Failed { .. }) => view! { <FailedVerdict expired=failed.is_expired_failure() lang /> }.into_any(),
                _ => view! {
                    {move || link.get().map(|l| view! {
                        <div class="qr-box">
                            <QrCode link=l label=Signal::derive(move || i18n::qr_label(lang.get(), &amount_text.get())) />
                        </div>
                    })}
                    <p class="countdown" aria-label=tr(lang, Msg::TimeLeft)>
                        {move || if link.get().is_some() { countdown_text(seconds_left.get()) } else { String::new() }}
                    </p>
                    {(!wake_lock.supported).then(|| view! {
                        <p class="hint">{tr(lang, Msg::NoWakeLock)}</p>
                    })}
                    <div class="qr-actions">
                        <button type="button" class="copy" disabled=move || link.get().is_none() on:click=copy_link>
                            {move || if copied.get() { t(Msg::LinkCopied) } else { t(Msg::CopyLink) }}
                        </button>
                        <button type="button" disabled=move || link.get().is_none() on:click=open_customer_view>
                            {tr(lang, Msg::ShowToCustomer)}
                        </button>
                    </div>
                }.into_any(),
            }}

            // Closes by itself once the payment is final, so the cashier sees the verdict.
            <Show when=move || customer_view.get() && !is_final.get() && link.get().is_some()>
                <CustomerView
                    shop_name=shop_name.clone()
                    payee_id
                    amount_text
                    link=Signal::derive(move || link.get().unwrap_or_default())
                    countdown=Signal::derive(move || countdown_text(seconds_left.get()))
                    headline
                    lang
                    on_close=Callback::new(move |_| { customer_view.set(false); leave_full_screen(); })
                />
            </Show>

            {move || receipt_open.get().then(|| receipt.get()).flatten().map(|r| view! {
                <ReceiptView receipt=r paper=state.settings().with_untracked(|s| s.paper)
                    on_close=Callback::new(move |_| receipt_open.set(false)) />
            })}

            <div class="actions">
                {move || receipt.with(Option::is_some).then(|| view! {
                    <button type="button" class="receipt-button" on:click=move |_| receipt_open.set(true)>{tr(lang, Msg::Receipt)}</button>
                })}
                {move || if is_final.get() {
                    view! { <button type="button" class="primary" on:click=move |_| state.leave_sale()>{tr(lang, Msg::NewSale)}</button> }.into_any()
                } else {
                    view! { <button type="button" class="cancel" on:click=cancel>{tr(lang, Msg::Cancel)}</button> }.into_any()
                }}
            </div>
        </section>
    }
    .into_any()
}

/// The QR and the amount, full screen, for the customer.
#[component]
fn CustomerView(
    shop_name: String,
    payee_id: Signal<String>,
    #[prop(into)] amount_text: Signal<String>,
    link: Signal<String>,
    countdown: Signal<String>,
    #[prop(into)] headline: Signal<String>,
    lang: ReadSignal<Lang>,
    on_close: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="customer-view" role="dialog" aria-label=tr(lang, Msg::CustomerView)>
            <p class="shop">{shop_name.clone()}</p>
            <p class="sale-amount">{amount_text}</p>
            <PayeeFingerprint payee_id name=shop_name />
            <div class="qr-box">
                <QrCode
                    link
                    label=Signal::derive(move || i18n::customer_qr_label(lang.get(), &amount_text.get()))
                />
            </div>
            <p class="countdown">{countdown}</p>
            <p class="customer-status">{headline}</p>
            <button type="button" on:click=move |_| on_close.run(())>{tr(lang, Msg::Close)}</button>
        </div>
    }
}

#[component]
fn PaidVerdict(sale: Option<Sale>, lang: ReadSignal<Lang>) -> impl IntoView {
    let late = sale.as_ref().is_some_and(|s| s.paid_late);
    let result = sale.and_then(|s| s.last_result).unwrap_or_default();
    let paid = format!("{} {}", result.payment_amount, result.payment_symbol)
        .trim()
        .to_string();
    view! {
        <div class="verdict paid">
            <p class="big">"✓"</p>
            {late.then(|| view! { <p>{tr(lang, Msg::PaidLate)}</p> })}
            {(!paid.is_empty()).then(|| view! { <p>{tr(lang, Msg::CustomerPaid)} <strong>{paid.clone()}</strong></p> })}
            {(!result.txid.is_empty()).then(|| view! { <p class="txid">{tr(lang, Msg::Transaction)} <code>{result.txid.clone()}</code></p> })}
        </div>
    }
}

#[component]
fn MismatchVerdict(mismatches: Vec<Mismatch>, lang: ReadSignal<Lang>) -> impl IntoView {
    view! {
        <div class="verdict mismatch">
            <p class="big">{tr(lang, Msg::DoNotHandOver)}</p>
            <table>
                <thead><tr><th>""</th><th>{tr(lang, Msg::Expected)}</th><th>{tr(lang, Msg::Received)}</th></tr></thead>
                <tbody>
                    {mismatches.into_iter().map(|m| view! {
                        <tr><th>{move || i18n::mismatch_field(lang.get(), &m.field)}</th><td>{m.expected.clone()}</td><td>{m.received.clone()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn FailedVerdict(expired: bool, lang: ReadSignal<Lang>) -> impl IntoView {
    view! {
        <div class="verdict failed">
            <p>{tr(lang, Msg::NotPaid)}</p>
            {expired.then(|| view! {
                <p class="hint">{tr(lang, Msg::LatePaymentCaught)}</p>
            })}
        </div>
    }
}
