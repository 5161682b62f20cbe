//! Steps 2 and 3 of a sale: the payment link (created at MixPay in one-time
//! mode), its QR code with a countdown, and the verified result. Checking
//! MixPay is the checker's job (`state::checker`); this screen shows it.

use leptos::prelude::*;

use crate::components::erased::{shown, switch};
use crate::components::text::tr;

use crate::api::client::mixpay_now_ms;
use crate::api::MixPayClient;
use crate::components::payee_fingerprint::PayeeFingerprint;
use crate::components::qr::PixelQrCode;
use crate::components::receipt::ReceiptView;
use crate::domain::clock_offset;
use crate::domain::link::checked_code_link;
use crate::domain::money_format::MoneyStyle;
use crate::domain::outcome::{mismatch_lines, permille};
use crate::domain::receipt::Receipt;
use crate::domain::sale::{countdown_text, Sale};
use crate::domain::status::{Mismatch, SaleStatus};
use crate::hooks::{use_now, use_wake_lock};
use crate::i18n::{self, Lang, Msg};
use crate::state::app_state::AppState;
use crate::state::sale_lifecycle;
use crate::state::sound::{self, Cue};

/// Calls `target.method()` by name, if `target` has such a method: through
/// `Reflect`, so a method used once adds no web-sys glue to the JS every
/// first load fetches. `None` when there is no method or it threw.
pub(crate) fn call_method(target: &wasm_bindgen::JsValue, method: &str) -> Option<wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let f = js_sys::Reflect::get(target, &method.into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    f.call0(target).ok()
}

/// Calls a DOM method that returns a promise, ignoring a refusal (full
/// screen is a nicety: the overlay works without it).
fn call_ignoring_refusal(target: &wasm_bindgen::JsValue, method: &str) {
    use wasm_bindgen::JsCast;
    let Some(promise) = call_method(target, method) else { return };
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

/// Why creating the one-time payment did not give a link.
#[derive(Clone, Debug, PartialEq)]
enum CreateFailed {
    /// Worth trying again: the error, worded.
    Retry(String),
    /// MixPay already has this traceId (an earlier request arrived but its
    /// answer was lost): its code cannot be had again, so no retry can work.
    AlreadyExists,
}

/// Creates the one-time payment at MixPay (the same traceId on a retry, so
/// a request that did arrive is not made twice).
async fn create_link(state: AppState) -> Result<(), CreateFailed> {
    let Some(sale) = state.sale().get_untracked().filter(|s| s.link.is_none()) else {
        return Ok(());
    };
    let settings = state.settings().get_untracked();
    // The QR goes only to MixPay's pinned pay origin: checked before asking.
    let pinned = crate::api::client::pinned();
    pinned
        .check(crate::domain::origins::BaseKind::Pay, &settings.pay_base)
        .map_err(|e| CreateFailed::Retry(crate::i18n::origin_problem(crate::i18n::current(), &e)))?;
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
        .one_time_payment(&sale.params.one_time_form())
        .await
        .map_err(|e| match e.is_already_used() {
            true => CreateFailed::AlreadyExists,
            false => CreateFailed::Retry(e.to_string()),
        })?;
    let link = checked_code_link(&settings.pay_base, &code, &pinned)
        .map_err(|e| CreateFailed::Retry(crate::i18n::origin_problem(crate::i18n::current(), &e)))?;
    sale_lifecycle::link_ready(state, &sale, link);
    Ok(())
}

/// A CSS width for parts per thousand ("45.5%"), in integers: formatting a
/// float would pull the float printer into the wasm for one bar.
fn permille_percent(permille: u32) -> String {
    format!("{}.{}%", permille / 10, permille % 10)
}

/// Whether a tap was on the customer view (Turn, Close): not the cashier
/// reading the Paid screen, so it does not stop the return to a new sale.
/// Asked of the target, which Close has already taken out of the page.
fn from_customer_view(ev: &leptos::ev::MouseEvent) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest(".customer-view").ok().flatten())
        .is_some()
}

/// The whole screen's colour: green, red, amber, grey for the outcomes.
fn outcome_class(status: Option<&SaleStatus>) -> &'static str {
    match status {
        Some(SaleStatus::Paid) => "outcome-paid",
        Some(SaleStatus::Mismatch { .. }) => "outcome-mismatch",
        Some(SaleStatus::Underpaid { .. }) => "outcome-underpaid",
        Some(SaleStatus::Failed { .. }) => "outcome-failed",
        _ => "",
    }
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
    // What is left of the sale's time, for the thin bar under the countdown.
    // (Both on MixPay's clock: the whole is the expiry the shop set.)
    let expiry_seconds =
        (i64::from(state.settings().with_untracked(|s| s.expiry_minutes)) * 60).max(1);
    let time_permille = Memo::new(move |_| {
        (seconds_left.get().clamp(0, expiry_seconds) * 1000 / expiry_seconds) as u32
    });
    let amount_text =
        Memo::new(move |_| sale.with(|s| s.as_ref().map(Sale::amount_text).unwrap_or_default()));
    let link = Memo::new(move |_| sale.with(|s| s.as_ref().and_then(|s| s.link.clone())));
    // Past the expiry MixPay refuses a payment, so the code leaves the screen
    // (the sale is still checked for a payment that was already on its way).
    let qr_expired = Memo::new(move |_| link.with(Option::is_some) && seconds_left.get() == 0);
    // The code is up only while it asks for money: waiting, or a real
    // underpayment. A payment seen (confirming, under review, verifying)
    // takes it away: a second transfer would be a "double payment" refund.
    let asks_payment = Memo::new(move |_| {
        status.with(|s| matches!(s, Some(SaleStatus::Waiting | SaleStatus::Underpaid { .. })))
    });
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
    let trace_id = sale.with_untracked(|s| s.as_ref().map(|s| s.trace_id.clone()).unwrap_or_default());
    // What the customer tells MixPay's support about a failed sale they paid.
    let ids_for_verdict = (order_id.clone(), trace_id.clone());
    let ids_for_customer = (order_id.clone(), trace_id);
    let headline = Memo::new(move |_| {
        status
            .get()
            .map(|st| i18n::headline(lang.get(), &st, seconds_left.get() == 0))
            .unwrap_or_default()
    });
    let class = Memo::new(move |_| status.with(|s| status_class(s.as_ref())));
    let outcome = Memo::new(move |_| status.with(|s| outcome_class(s.as_ref())));
    let is_final = Memo::new(move |_| status.with(|s| s.as_ref().is_some_and(|s| s.is_final())));
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
    // A sound when the verdict arrives while the sale is on screen (not for
    // a sale that was already final when the screen opened), and on Paid the
    // receipt and kitchen ticket printed by themselves where the owner asked.
    Effect::new(move |was_final: Option<bool>| {
        let now_final = is_final.get();
        if was_final == Some(false) && now_final && state.settings().with_untracked(|s| s.sounds) {
            sound::play(match status.get_untracked() {
                Some(SaleStatus::Paid) => Cue::Paid,
                _ => Cue::Warning,
            });
        }
        if was_final == Some(false) && now_final && matches!(status.get_untracked(), Some(SaleStatus::Paid)) {
            print_after_paid(state, receipt.get_untracked());
        }
        now_final
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

    // Paid goes back to a new sale by itself after the owner's delay; any tap
    // on the screen (or the receipt) stops it, so a cashier reading is never
    // cut off. `None` once stopped.
    let auto_return = RwSignal::new(
        Some(state.settings().with_untracked(|s| s.auto_return_seconds)).filter(|n| *n > 0),
    );
    let paid = Memo::new(move |_| status.with(|s| matches!(s, Some(SaleStatus::Paid))));
    // Taps while the customer pays (Copy link, Show to customer) do not count.
    let stop_auto_return = move || {
        if paid.get_untracked() && auto_return.get_untracked().is_some() {
            auto_return.set(None);
        }
    };
    // A mismatch the cashier keeps open is marked to settle in the journal
    // (History says so); the verdict stays until they choose New sale.
    let kept_open = Memo::new(move |_| sale.with(|s| s.as_ref().is_some_and(|s| s.to_settle)));
    let keep_open = move |_| {
        if let Some(sale) = state.sale().get_untracked() {
            sale_lifecycle::keep_to_settle(state, &sale);
        }
    };
    // Cancel asks once, in the page, before the sale is given up.
    let confirm_cancel = RwSignal::new(false);

    // The expiry on the tablet's clock (the expiry is MixPay's time).
    let expiry_hh_mm = move || {
        let expiry_ms = sale.with_untracked(|s| s.as_ref().map_or(0, |s| s.params.expired_timestamp * 1000));
        let t = crate::clock::local_parts(expiry_ms - state.clock_offset().get_untracked().unwrap_or(0));
        crate::domain::late_alert::hh_mm(t.hour, t.minute)
    };
    // MixPay keeps answering an error about this sale: said, still checked.
    let answer_trouble = Memo::new(move |_| {
        let id = sale.with(|s| s.as_ref().map(|s| s.trace_id.clone()));
        state.answer_trouble().with(|t| {
            t.as_ref()
                .filter(|(t, _, _)| Some(t) == id.as_ref())
                .map(|(_, code, message)| (*code, message.clone()))
        })
    });

    let cancel = move |_| {
        if let Some(sale) = state.sale().get_untracked() {
            // Kept as unfinished and checked in the background: a late payment is still found.
            sale_lifecycle::cancel(state, &sale);
        }
        state.leave_sale();
    };

    view! {
        <section class=move || format!("payment-page {} {}", class.get(), outcome.get())
            on:click=move |ev| if !from_customer_view(&ev) { stop_auto_return() }>
            {move || (outcome.get() == "outcome-paid").then(|| view! { <PaidCheck /> })}
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
            {move || answer_trouble.get().filter(|_| !is_final.get()).map(|(code, message)| view! {
                <p class="mixpay-answers" role="alert">{move || i18n::mixpay_answers(lang.get(), &message, code)}</p>
            })}

            {move || create_error.get().map(|e| match e {
                CreateFailed::Retry(e) => view! {
                    <div class="create-error" role="alert">
                        <p>{tr(lang, Msg::CouldNotCreate)} {e}</p>
                        <button type="button" class="primary" on:click=move |_| in_flight.set_value(create.dispatch_local(()))>{tr(lang, Msg::TryAgain)}</button>
                    </div>
                }.into_any(),
                // Nobody can pay it (its code is lost): kept in History, given up.
                CreateFailed::AlreadyExists => view! {
                    <div class="create-error" role="alert">
                        <p>{tr(lang, Msg::AlreadyAtMixPay)}</p>
                        <button type="button" class="primary" on:click=cancel>{tr(lang, Msg::NewSale)}</button>
                    </div>
                }.into_any(),
            })}

            {move || match status.get() {
                Some(SaleStatus::Paid) => view! { <PaidVerdict sale=sale.get_untracked() lang /> }.into_any(),
                Some(SaleStatus::Mismatch { mismatches }) => view! {
                    <MismatchVerdict mismatches style=sale.with_untracked(|s| s.as_ref().map(Sale::money_style)).unwrap_or_else(|| MoneyStyle::new("", 2)) lang />
                }.into_any(),
                Some(failed @ SaleStatus::Failed { .. }) => view! {
                    <FailedVerdict failed order_id=ids_for_verdict.0.clone() trace_id=ids_for_verdict.1.clone() lang />
                }.into_any(),
                _ => view! {
                    {move || match status.get() {
                        Some(SaleStatus::Underpaid { paid: p, asked, .. }) => Some(view! { <UnderpaidProgress paid=p asked lang /> }),
                        _ => None,
                    }}
                    // The slot takes the room left; the code is the largest square in it.
                    {move || link.get().filter(|_| !qr_expired.get() && asks_payment.get()).map(|l| view! {
                        <div class="qr-slot"><div class="qr-box">
                            <PixelQrCode link=l label=Signal::derive(move || i18n::qr_label(lang.get(), &amount_text.get())) />
                        </div></div>
                    })}
                    // "Start a new sale" only while nothing has been paid: a payment on its way is still checked.
                    {move || (qr_expired.get() && matches!(status.get(), Some(SaleStatus::Waiting))).then(|| view! { <p class="qr-expired" role="note">{tr(lang, Msg::QrExpired)}</p> })}
                    <p class="countdown" aria-label=tr(lang, Msg::TimeLeft)>
                        {move || if link.get().is_some() && asks_payment.get() { i18n::expires_in(lang.get(), &countdown_text(seconds_left.get())) } else { String::new() }}
                    </p>
                    <div class="time-bar" aria-hidden="true"><div class="time-fill" style:width=move || permille_percent(time_permille.get())></div></div>
                    {(!wake_lock.supported).then(|| view! {
                        <p class="hint">{tr(lang, Msg::NoWakeLock)}</p>
                    })}
                    <div class="qr-actions">
                        <button type="button" class="copy" disabled=move || link.get().is_none() || qr_expired.get() || !asks_payment.get() on:click=copy_link>
                            {move || if copied.get() { t(Msg::LinkCopied) } else { t(Msg::CopyLink) }}
                        </button>
                        <button type="button" class="primary show-customer" disabled=move || link.get().is_none() || qr_expired.get() on:click=open_customer_view>
                            {tr(lang, Msg::ShowToCustomer)}
                        </button>
                    </div>
                }.into_any(),
            }}

            // Switches live to the verdict; Close shows the cashier's screen.
            {shown(move || customer_view.get() && link.get().is_some(), move || view! {
                <CustomerView
                    shop_name=shop_name.clone()
                    payee_id
                    amount_text
                    link=Signal::derive(move || link.get().unwrap_or_default())
                    countdown=Signal::derive(move || countdown_text(seconds_left.get()))
                    expired=qr_expired.into()
                    asks_payment=asks_payment.into()
                    order_id=ids_for_customer.0.clone()
                    trace_id=ids_for_customer.1.clone()
                    headline
                    status=Signal::derive(move || status.get())
                    outcome=Signal::derive(move || outcome.get())
                    lang
                    on_close=Callback::new(move |_| { customer_view.set(false); leave_full_screen(); })
                />
            }.into_any())}

            {move || receipt_open.get().then(|| receipt.get()).flatten().map(|r| view! {
                <ReceiptView receipt=r paper=state.settings().with_untracked(|s| s.paper)
                    on_close=Callback::new(move |_| receipt_open.set(false)) />
            })}

            {move || (paid.get() && auto_return.get().is_some()).then(|| view! {
                <AutoReturn seconds=auto_return.get_untracked().unwrap_or(0) lang
                    on_done=Callback::new(move |_| state.leave_sale()) />
            })}
            <div class="actions">
                {move || receipt.with(Option::is_some).then(|| view! {
                    <button type="button" class="receipt-button" on:click=move |_| { stop_auto_return(); receipt_open.set(true); }>{tr(lang, Msg::Receipt)}</button>
                })}
                {move || if outcome.get() == "outcome-mismatch" {
                    // The verdict stays up until the cashier chooses: keeping
                    // the sale open is the safe, main action.
                    view! {
                        <button type="button" class="primary keep-open" aria-pressed=move || kept_open.get().to_string()
                            on:click=keep_open>{tr(lang, Msg::KeepSaleOpen)}</button>
                        <button type="button" class="new-sale secondary" on:click=move |_| state.leave_sale()>{tr(lang, Msg::NewSale)}</button>
                    }.into_any()
                } else if is_final.get() {
                    view! { <button type="button" class="primary" on:click=move |_| state.leave_sale()>{tr(lang, Msg::NewSale)}</button> }.into_any()
                } else {
                    view! {
                        {switch(move || !confirm_cancel.get(),
                            move || view! {
                                <button type="button" class="cancel quiet" on:click=move |_| confirm_cancel.set(true)>{tr(lang, Msg::Cancel)}</button>
                            }.into_any(),
                            move || view! {
                                <div class="confirm-cancel" role="group" aria-label=tr(lang, Msg::Cancel)>
                                    <p>{tr(lang, Msg::CancelSaleQuestion)}</p>
                                    // MixPay has no cancel: the QR stays payable until its expiry.
                                    <p class="still-payable">{move || i18n::still_payable_until(lang.get(), &expiry_hh_mm())}</p>
                                    <button type="button" class="keep-waiting" on:click=move |_| confirm_cancel.set(false)>{tr(lang, Msg::KeepWaiting)}</button>
                                    <button type="button" class="danger yes-cancel" on:click=cancel>{tr(lang, Msg::YesCancelSale)}</button>
                                </div>
                            }.into_any())}
                    }.into_any()
                }}
            </div>
            <p class="kept-open" aria-live="polite" hidden=move || !kept_open.get()>{tr(lang, Msg::KeptToSettle)}</p>
        </section>
    }
    .into_any()
}

/// The QR and the amount, full screen, for the customer, in words for the
/// customer; it turns into the verdict when there is one.
#[component]
fn CustomerView(
    shop_name: String,
    payee_id: Signal<String>,
    #[prop(into)] amount_text: Signal<String>,
    link: Signal<String>,
    countdown: Signal<String>,
    expired: Signal<bool>,
    /// Waiting, or a real underpayment: the code asks for money.
    asks_payment: Signal<bool>,
    /// For a failed sale the customer paid: what they tell MixPay's support.
    order_id: String,
    trace_id: String,
    #[prop(into)] headline: Signal<String>,
    status: Signal<Option<SaleStatus>>,
    outcome: Signal<&'static str>,
    lang: ReadSignal<Lang>,
    on_close: Callback<()>,
) -> impl IntoView {
    // For a tablet facing the customer across the counter.
    let turned = RwSignal::new(false);
    let words = move || match status.get() {
        // Paid, or a payment on its way: the customer reads what the cashier reads.
        Some(SaleStatus::Confirming { .. } | SaleStatus::Auditing | SaleStatus::Verifying { .. }) => headline.get(),
        Some(s) if s.is_final() => headline.get(),
        _ if expired.get() => Msg::QrExpiredCustomer.text(lang.get()).to_string(),
        Some(SaleStatus::Underpaid { still_due, symbol, .. }) if !still_due.is_empty() => {
            i18n::pay_remaining(lang.get(), &i18n::paying_money(&still_due, &symbol))
        }
        _ => Msg::ScanToPay.text(lang.get()).to_string(),
    };
    // Nothing to scan once it is over, once its time ran out, or while a
    // payment is seen (a second one would be refunded as a double payment).
    let scannable = move || asks_payment.get() && !expired.get();
    view! {
        <div class=move || format!("customer-view {}", outcome.get()) class:turned=move || turned.get()
            role="dialog" aria-label=tr(lang, Msg::CustomerView)>
            <div class="customer-main">
                <p class="shop">{shop_name.clone()}</p>
                {move || (outcome.get() == "outcome-paid").then(|| view! { <PaidCheck /> })}
                <p class="sale-amount">{amount_text}</p>
                <PayeeFingerprint payee_id name=shop_name />
                <p class="customer-status">{words}</p>
                // Failed after paying: what was paid, and how it comes back.
                {move || status.with(|s| s.as_ref().and_then(SaleStatus::paid_on_failure).map(|(p, sym)| i18n::paying_money(p, sym)))
                    .map(|paid| view! { <PaidBack paid order_id=order_id.clone() trace_id=trace_id.clone() lang /> })}
                {shown(scannable, move || view! {
                    <p class="countdown">{move || i18n::expires_in(lang.get(), &countdown.get())}</p>
                }.into_any())}
            </div>
            {shown(scannable, move || view! {
                <div class="qr-slot"><div class="qr-box">
                    <PixelQrCode
                        link
                        label=Signal::derive(move || i18n::customer_qr_label(lang.get(), &amount_text.get()))
                    />
                </div></div>
            }.into_any())}
            <div class="customer-actions">
                <button type="button" class="turn" aria-pressed=move || turned.get().to_string()
                    on:click=move |_| turned.update(|t| *t = !*t)>{tr(lang, Msg::Turn180)}</button>
                <button type="button" on:click=move |_| on_close.run(())>{tr(lang, Msg::Close)}</button>
            </div>
        </div>
    }
}

/// "Print receipts by themselves after Paid" and "Kitchen ticket": the jobs
/// handed to the printer part (fetched now if it is not in memory), which
/// prints on its own; the sale and its screen never wait for it.
fn print_after_paid(state: AppState, receipt: Option<Receipt>) {
    use crate::pages::printer::{self, Job};
    let (auto, kitchen) = state.settings().with_untracked(|s| (s.auto_print, s.kitchen_ticket));
    if !(auto || kitchen) || !printer::available() {
        return;
    }
    if let (true, Some(receipt)) = (auto, receipt) {
        crate::pages::parts::print(state, Job::Receipt { receipt, reprinted: None });
    }
    let ticket = state.sale().with_untracked(|s| {
        s.as_ref().and_then(|s| crate::domain::receipt::KitchenTicket::of(s, crate::clock::local_parts(s.created_ms)))
    });
    if let (true, Some(ticket)) = (kitchen, ticket) {
        crate::pages::parts::print(state, Job::Kitchen(ticket));
    }
}

/// The large check of a Paid screen, drawn in once (CSS; still when the
/// system asks for reduced motion).
#[component]
fn PaidCheck() -> impl IntoView {
    view! {
        <svg class="paid-check" viewBox="0 0 52 52" aria-hidden="true">
            <circle cx="26" cy="26" r="24" />
            <path d="M14 27 l8 8 l16 -17" />
        </svg>
    }
}

/// "New sale in 8 s", counting down once a second; the page leaves when it
/// reaches zero. Unmounted (and its timer with it) when the cashier taps.
#[component]
fn AutoReturn(seconds: u32, lang: ReadSignal<Lang>, on_done: Callback<()>) -> impl IntoView {
    let started = crate::clock::now_ms();
    let now = use_now(250, crate::clock::now_ms);
    let left = Memo::new(move |_| {
        let gone = ((now.get() - started).max(0) / 1000) as u32;
        seconds.saturating_sub(gone)
    });
    Effect::new(move |_| {
        if left.get() == 0 {
            on_done.run(());
        }
    });
    view! { <p class="auto-return" aria-live="off">{move || i18n::new_sale_in(lang.get(), left.get())}</p> }
}

#[component]
fn PaidVerdict(sale: Option<Sale>, lang: ReadSignal<Lang>) -> impl IntoView {
    let late = sale.as_ref().is_some_and(|s| s.paid_late);
    let wanted = sale.as_ref().map(|s| s.params.settlement_asset_id.clone()).unwrap_or_default();
    let wanted_symbol = crate::state::app_state::AppState::expect().settings().with_untracked(|st| {
        st.settlement.as_ref().filter(|a| a.asset_id.eq_ignore_ascii_case(&wanted)).map(|a| a.symbol.clone())
    }).unwrap_or_default();
    let result = sale.and_then(|s| s.last_result).unwrap_or_default();
    let paid = i18n::paying_money(&result.payment_amount, &result.payment_symbol);
    let surplus = result.surplus().map(|s| i18n::paying_money(&s.to_string(), &result.payment_symbol));
    let settled = result.settled_otherwise(&wanted, &wanted_symbol);
    view! {
        <div class="verdict paid">
            {late.then(|| view! { <p>{tr(lang, Msg::PaidLate)}</p> })}
            {surplus.map(|s| view! { <p class="surplus">{move || i18n::overpaid(lang.get(), &s)}</p> })}
            {settled.map(|s| view! { <p class="settled-as">{move || i18n::settled_as(lang.get(), &s)}</p> })}
            <details class="paid-details">
                <summary>{tr(lang, Msg::Details)}</summary>
                {(!paid.is_empty()).then(|| view! { <p>{tr(lang, Msg::CustomerPaid)} <strong>{paid.clone()}</strong></p> })}
                {(!result.txid.is_empty()).then(|| view! { <p class="txid">{tr(lang, Msg::Transaction)} <code>{result.txid.clone()}</code></p> })}
            </details>
        </div>
    }
}

#[component]
fn MismatchVerdict(mismatches: Vec<Mismatch>, style: MoneyStyle, lang: ReadSignal<Lang>) -> impl IntoView {
    let lines = mismatch_lines(&mismatches, &style);
    view! {
        <div class="verdict mismatch">
            <h2 class="big">{tr(lang, Msg::DoNotHandOver)}</h2>
            <ul class="mismatch-lines">
                {lines.into_iter().map(|l| view! { <li>{move || i18n::mismatch_line(lang.get(), &l)}</li> }).collect_view()}
            </ul>
            <p class="next">{tr(lang, Msg::MismatchNext)}</p>
        </div>
    }
}

/// How much of an underpayment has arrived: "paid 4.50 of 9.00" and a bar.
#[component]
fn UnderpaidProgress(paid: String, asked: String, lang: ReadSignal<Lang>) -> impl IntoView {
    let per = permille(&paid, &asked);
    // The paying asset's amounts without its code, at least two places ("4.50").
    let (paid_text, asked_text) = (i18n::paying_money(&paid, ""), i18n::paying_money(&asked, ""));
    let words = {
        let (p, a) = (paid_text.clone(), asked_text.clone());
        move || i18n::paid_of(lang.get(), &p, &a)
    };
    view! {
        <div class="underpaid">
            {(!paid.is_empty() && !asked.is_empty()).then(|| view! {
                <p class="paid-of">{words.clone()}</p>
            })}
            {per.map(|p| view! {
                <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="1000"
                    aria-valuenow=p.to_string() aria-label=words.clone()>
                    <div class="progress-fill" style:width=permille_percent(p)></div>
                </div>
            })}
        </div>
    }
}

/// Failed or expired: what it means in one heading, why in plain words (the
/// status line above carries MixPay's own reason), and what to do. When the
/// customer did pay, the heading stays "Not paid" and says what was paid and
/// how it comes back.
#[component]
fn FailedVerdict(failed: SaleStatus, order_id: String, trace_id: String, lang: ReadSignal<Lang>) -> impl IntoView {
    let expired = failed.is_expired_failure();
    let paid = failed.paid_on_failure().map(|(p, sym)| i18n::paying_money(p, sym));
    let was_paid = paid.is_some();
    let code = match failed {
        SaleStatus::Failed { code, .. } => code,
        _ => String::new(),
    };
    view! {
        <div class="verdict failed">
            <h2 class="big">{tr(lang, if expired && !was_paid { Msg::ExpiredTitle } else { Msg::NotPaidTitle })}</h2>
            {move || i18n::failure_explained(lang.get(), &code, was_paid).map(|why| view! { <p class="why">{why}</p> })}
            {paid.map(|paid| view! { <PaidBack paid order_id trace_id lang /> })}
            <p>{tr(lang, Msg::NotPaid)}</p>
            {(expired && !was_paid).then(|| view! {
                <p class="hint">{tr(lang, Msg::LatePaymentRefunded)}</p>
            })}
        </div>
    }
}

/// A failed sale the customer did pay: "The customer paid 4.50 USDT." and
/// how the money comes back, with the numbers MixPay's support asks for.
#[component]
fn PaidBack(paid: String, order_id: String, trace_id: String, lang: ReadSignal<Lang>) -> impl IntoView {
    view! {
        <div class="paid-back">
            <p class="paid-amount"><strong>{move || i18n::customer_paid_failed(lang.get(), &paid)}</strong></p>
            <p>{tr(lang, Msg::RefundFromWallet)}</p>
            <p>{move || i18n::refund_on_chain(lang.get(), &order_id, &trace_id)}</p>
        </div>
    }
}
