//! The payer's side: what a wallet shows after scanning the QR code, with
//! buttons to pay exactly, pay less, pay something else, or fail (after paying
//! less: pay the rest); the pages `/pay?…` and `/code/{code}` and their
//! buttons (`POST /pay/act`).

use crate::envelope::{self, ApiError};
use crate::payments::{Flow, Outcome, PayOrder, Payment, PaymentRequest, Status, CONFIRMATIONS};
use crate::{assets, form_pairs, AppState, Params, Sim};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use rust_decimal::Decimal;
use std::str::FromStr;

/// How long a payment from the payer page stays `pending`, counting confirmations.
pub const CONFIRM_MS: i64 = 4_000;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn page(title: &str, body: &str, refresh: bool) -> String {
    let refresh = if refresh {
        r#"<meta http-equiv="refresh" content="1">"#
    } else {
        ""
    };
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">{refresh}
<title>{title} - MixPay simulator</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 28rem; margin: 1rem auto; padding: 0 1rem; }}
.card {{ border: 1px solid #ccc; border-radius: 12px; padding: 1rem; margin: 1rem 0; }}
.amount {{ font-size: 2rem; font-weight: 700; }}
button {{ font: inherit; min-height: 48px; width: 100%; margin: .3rem 0; border-radius: 10px; }}
input, select {{ font: inherit; min-height: 44px; width: 100%; box-sizing: border-box; }}
.status {{ font-weight: 700; }} .muted {{ color: #666; }} .sim {{ background: #fff3cd; padding: .5rem; border-radius: 8px; }}
</style></head><body>
<p class="sim">MixPay simulator: no real money moves.</p>
{body}</body></html>"#,
        title = esc(title)
    )
}

pub fn index() -> String {
    page(
        "MixPay simulator",
        "<h1>MixPay simulator</h1><p>The API is under <code>/v1</code>; payer pages are \
         <code>/pay?…</code> and <code>/code/{code}</code>; tests drive <code>/_sim/</code>.</p>",
        false,
    )
}

pub fn error(e: &ApiError) -> String {
    page(
        "Cannot pay",
        &format!(
            "<h1>Cannot pay</h1><p role=\"alert\">{} (code {})</p>",
            esc(&e.message),
            e.code
        ),
        false,
    )
}

/// What is still owed after an underpayment, as "2.5 USDT".
fn still_owed(payment: &Payment) -> Option<String> {
    if !payment.awaiting_rest() {
        return None;
    }
    let owed = payment.still_owed().filter(|o| !o.is_zero())?;
    let symbol = payment.payment_asset().map_or("", |a| a.symbol);
    Some(format!("{} {symbol}", owed.normalize()))
}

/// Whether the payer can pay now: a new payment, or the rest of an underpaid one.
fn can_pay(status: &Status, payment: &Payment) -> bool {
    match status {
        Status::Unpaid => true,
        Status::Pending { .. } => payment.awaiting_rest(),
        _ => false,
    }
}

fn status_text(status: &Status, payment: &Payment, now_ms: i64) -> String {
    match status {
        Status::Pending { .. } if payment.awaiting_rest() => format!(
            "Underpaid: {} still to pay",
            still_owed(payment).unwrap_or_default()
        ),
        Status::Pending { .. } if payment.processing => "Processing: payment on its way".into(),
        Status::Unpaid => "Waiting for payment".into(),
        Status::Pending { confirmations } => {
            format!("Processing: {confirmations} of {CONFIRMATIONS} confirmations")
        }
        Status::Auditing => "Under review by MixPay".into(),
        Status::Success => "Paid".into(),
        Status::Failed { code } => format!(
            "Failed: {} ({code})",
            payment.result_json(now_ms, Default::default())["failureReason"]
                .as_str()
                .unwrap_or("")
        ),
    }
}

pub fn render(payment: &Payment, key: &str, now_ms: i64, notice: Option<&str>) -> String {
    let req = &payment.request;
    let quote = req.quote();
    let payee = assets::find_payee(&req.payee_id).map_or("", |p| p.name);
    let status = payment.status(now_ms);
    let amount = req
        .quote_amount
        .map(|a| a.to_string())
        .unwrap_or_else(|| "(payer enters the amount)".into());
    let expiry = match req.expired_timestamp {
        Some(ts) => {
            let left = ts - now_ms / 1000;
            if left > 0 {
                format!(
                    "<p class=\"muted\">Expires in {} min {} s</p>",
                    left / 60,
                    left % 60
                )
            } else {
                "<p class=\"muted\">Expired</p>".into()
            }
        }
        None => String::new(),
    };
    let remark = if req.remark.is_empty() {
        String::new()
    } else {
        format!("<p>Note: {}</p>", esc(&req.remark))
    };
    let key = esc(key);
    let actions = match (can_pay(&status, payment), still_owed(payment)) {
        (false, _) => String::new(),
        // A top-up pays in the first payment's terms: the rest, or half of it.
        (true, Some(owed)) => format!(
            r#"<form method="post" action="/pay/act"><input type="hidden" name="key" value="{key}">
<button name="action" value="exact">Pay exactly the rest ({owed})</button>
<button name="action" value="less">Pay less (half of the rest)</button>
<button name="action" value="fail">Make the payment fail</button></form>"#,
            owed = esc(&owed),
        ),
        (true, None) => {
            let asset_options: String = assets::ASSETS
                .iter()
                .filter(|a| a.id != quote.id)
                .map(|a| format!("<option value=\"{}\">{}</option>", a.id, a.symbol))
                .collect();
            format!(
                r#"<form method="post" action="/pay/act"><input type="hidden" name="key" value="{key}">
<button name="action" value="exact">Pay exactly</button>
<button name="action" value="less">Pay less (half)</button>
<button name="action" value="fail">Make the payment fail</button></form>
<form method="post" action="/pay/act" class="card"><input type="hidden" name="key" value="{key}">
<label>Pay a different amount <input name="amount" inputmode="decimal" placeholder="amount in {sym}"></label>
<button name="action" value="amount">Pay this amount</button></form>
<form method="post" action="/pay/act" class="card"><input type="hidden" name="key" value="{key}">
<label>Pay quoted in another asset <select name="asset">{asset_options}</select></label>
<button name="action" value="asset">Pay in this asset</button></form>"#,
                sym = esc(quote.symbol),
            )
        }
    };
    let notice = notice
        .map(|n| format!("<p role=\"alert\">{}</p>", esc(n)))
        .unwrap_or_default();
    let body = format!(
        r#"<h1>Pay {payee}</h1>
<div class="card"><div class="amount">{amount} {symbol}</div>{remark}{expiry}
<p class="status" role="status">{status}</p></div>{notice}{actions}"#,
        payee = esc(payee),
        amount = esc(&amount),
        symbol = esc(quote.symbol),
        status = esc(&status_text(&status, payment, now_ms)),
    );
    // Follows confirmations as they count; an underpaid page waits for the payer.
    let refresh = matches!(status, Status::Pending { confirmations } if confirmations >= 0);
    page(&format!("Pay {payee}"), &body, refresh)
}

pub async fn index_page() -> Html<String> {
    Html(index())
}

pub async fn icon(Path(file): Path<String>) -> Response {
    let symbol = file.strip_suffix(".svg").unwrap_or(&file);
    match assets::icon_svg(symbol) {
        Some(svg) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "max-age=86400"),
            ],
            svg,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The payer page of a payment the ledger has under `key`.
fn payer_page_of(sim: &Sim, key: &str, now: i64) -> Response {
    Html(render(&sim.ledger.payments[key], key, now, None)).into_response()
}

pub async fn pay_link_page(State(state): State<AppState>, Query(q): Params) -> Response {
    let mut sim = state.lock();
    let now = sim.now_ms();
    let opened = PaymentRequest::parse(&q, Flow::PayLink, now)
        .and_then(|req| sim.ledger.open_pay_link(req, now));
    match opened {
        Ok(key) => payer_page_of(&sim, &key, now),
        Err(e) => (StatusCode::BAD_REQUEST, Html(error(&e))).into_response(),
    }
}

pub async fn code_page(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    let sim = state.lock();
    let now = sim.now_ms();
    match sim.ledger.key_for_code(&code) {
        Some(key) => payer_page_of(&sim, &key, now),
        None => (
            StatusCode::NOT_FOUND,
            Html(error(&ApiError::new(
                404,
                "This payment code does not exist",
            ))),
        )
            .into_response(),
    }
}

/// The payer page's buttons.
pub async fn payer_action(State(state): State<AppState>, body: Bytes) -> Response {
    let form = form_pairs(&body).unwrap_or_default();
    let key = form.get("key").cloned().unwrap_or_default();
    let field = |k: &str| form.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let mut order = PayOrder {
        delay_ms: CONFIRM_MS,
        ..Default::default()
    };
    let parsed: Result<(), ApiError> = (|| {
        match field("action").unwrap_or("exact") {
            "exact" => {}
            "less" => order.outcome = Some(Outcome::Underpaid),
            "fail" => order.outcome = Some(Outcome::Failed),
            "amount" => {
                let text = field("amount").ok_or_else(|| ApiError::param("enter an amount"))?;
                order.quote_amount = Some(
                    Decimal::from_str(text)
                        .map_err(|_| ApiError::param("that amount is not a number"))?,
                );
            }
            "asset" => order.quote_asset_id = field("asset").map(str::to_string),
            other => return Err(ApiError::param(format!("unknown action {other}"))),
        }
        Ok(())
    })();
    let mut sim = state.lock();
    let now = sim.now_ms();
    let result = parsed.and_then(|_| {
        sim.ledger
            .payments
            .get_mut(&key)
            .ok_or_else(|| ApiError::new(envelope::FAIL_NO_TRACE, "traceId does not exist"))?
            .pay(order, now)
    });
    match (result, sim.ledger.payments.get(&key)) {
        (Ok(()), Some(p)) => match &p.code {
            Some(code) => Redirect::to(&format!("/code/{code}")).into_response(),
            None => Html(render(p, &key, now, Some("Payment sent."))).into_response(),
        },
        (Err(e), Some(p)) => Html(render(
            p,
            &key,
            now,
            Some(&format!("Refused: {} ({})", e.message, e.code)),
        ))
        .into_response(),
        (Err(e), None) => (StatusCode::NOT_FOUND, Html(error(&e))).into_response(),
        (Ok(()), None) => unreachable!("paid a payment that does not exist"),
    }
}
