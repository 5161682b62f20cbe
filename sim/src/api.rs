//! MixPay's API under `/v1`: the gate every request passes (log, faults, rate
//! limit) and one handler per endpoint of `shared/mixpay-api.md`.

use crate::answer::With;
use crate::envelope::{self, now_ms, ok, ApiError};
use crate::faults::{self, Fault, PayLinkKey, UnknownTraceAnswer};
use crate::payments::{self, Flow, PaymentRequest};
use crate::{assets, form_pairs, log_answer, log_request, param, AppState, Params};
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;

/// Everything between a client and MixPay's API: the request log, injected
/// latency and faults, the rate limit with its headers, and MixPay's clock
/// (`/_sim/clock`) in every envelope's `timestampMs`.
pub async fn mixpay_gate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let client = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(std::net::IpAddr::from([127, 0, 0, 1]));
    let path = req.uri().path().to_string();
    let (seq, latency) = {
        let mut sim = state.lock();
        let seq = log_request(&mut sim, &req);
        (seq, sim.faults.latency_ms(&path, req.uri().query()))
    };
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    let (fault, check, clock_offset) = {
        let mut sim = state.lock();
        let now = now_ms();
        let fault = sim.faults.pick(&path, now, fastrand::f64);
        (fault, sim.limiter.check(client, now), sim.clock_offset_ms)
    };
    let answer = async move {
        match fault {
            Some(Fault::RateLimited) => {
                ApiError::new(envelope::RATE_LIMITED, "Too many requests").into_response()
            }
            _ if !check.allowed => {
                ApiError::new(envelope::RATE_LIMITED, "Too many requests").into_response()
            }
            Some(Fault::Drop) => {
                // A body that fails makes the server cut the connection mid-answer.
                let broken = futures_util::stream::once(async {
                    Err::<Bytes, std::io::Error>(std::io::Error::other(
                        "connection dropped by the simulator",
                    ))
                });
                Response::new(Body::from_stream(broken))
            }
            Some(Fault::ServerError(500)) => ApiError::new(-1, "Server error").into_response(),
            // What a gateway in front of MixPay sends: no envelope at all.
            Some(Fault::ServerError(status)) => (
                StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY),
                [(header::CONTENT_TYPE, "text/html")],
                format!("<html><body><h1>{status} Bad Gateway</h1></body></html>"),
            )
                .into_response(),
            Some(Fault::Malformed) => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                "{\"code\":0,\"success\":tru<html>garbage",
            )
                .into_response(),
            None => next.run(req).await,
        }
    };
    let mut response = envelope::on_mixpay_clock(clock_offset, answer).await;
    // A dropped or garbage answer has no code, whatever the handler made.
    let enveloped = !matches!(fault, Some(Fault::Drop | Fault::Malformed));
    log_answer(&mut state.lock(), seq, &response, enveloped);
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-limit", HeaderValue::from(faults::RATE_LIMIT));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(check.remaining));
    response
}

fn check_payee(q: &HashMap<String, String>) -> Result<(), ApiError> {
    match param(q, "payeeId") {
        Some(id) if assets::find_payee(id).is_none() => Err(ApiError::new(
            envelope::USER_NOT_FOUND,
            "User does not exist",
        )),
        _ => Ok(()),
    }
}

/// The quote named by `quoteAssetId` + `quoteAmount`, when both are given.
fn quote_of(
    q: &HashMap<String, String>,
) -> Result<Option<(&'static assets::Asset, Decimal)>, ApiError> {
    let (Some(id), Some(amount)) = (param(q, "quoteAssetId"), param(q, "quoteAmount")) else {
        return Ok(None);
    };
    let quote = assets::find(id)
        .ok_or_else(|| ApiError::new(envelope::QUOTE_NOT_SUPPORTED, "Quote asset not supported"))?;
    Ok(Some((quote, payments::parse_quote_amount(amount, quote)?)))
}

/// `http://host:port` as the client reached us, for links back to the simulator.
fn base_of(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:8787");
    format!("http://{host}")
}

pub async fn quote_assets(headers: HeaderMap, Query(q): Params) -> Result<Response, ApiError> {
    check_payee(&q)?;
    let base = base_of(&headers);
    Ok(ok(assets::ASSETS
        .iter()
        .map(|a| a.quote_json(&base))
        .collect::<Vec<_>>()))
}

/// Settling in BTC or ETH needs at least this much in USD.
const MIN_ONCHAIN_SETTLE_USD: &str = "1";

pub async fn settlement_assets(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Params,
) -> Result<Response, ApiError> {
    check_payee(&q)?;
    let unavailable = state.lock().faults.spec.unavailable_settlement.clone();
    let quote = quote_of(&q)?;
    let usd = assets::find("usd").expect("USD is in the table");
    let items: Vec<Value> = assets::ASSETS
        .iter()
        .filter(|a| a.settles)
        .map(|a| {
            let mut item = a.settlement_json(&base_of(&headers));
            if let Some((quote, amount)) = quote {
                let on_chain = a.id == assets::BTC || a.id == assets::ETH;
                let available = (!on_chain
                    || quote.convert(amount, usd) >= assets::dec(MIN_ONCHAIN_SETTLE_USD))
                    && !unavailable.iter().any(|id| id.eq_ignore_ascii_case(a.id));
                item["isAvailable"] = json!(available);
            }
            item
        })
        .collect();
    Ok(ok(items))
}

pub async fn payment_assets(headers: HeaderMap, Query(q): Params) -> Result<Response, ApiError> {
    check_payee(&q)?;
    let quote = quote_of(&q)?;
    let usd = assets::find("usd").expect("USD is in the table");
    let items: Vec<Value> = assets::ASSETS
        .iter()
        .filter(|a| a.payable)
        .map(|a| {
            let mut item = a.settlement_json(&base_of(&headers));
            item["minPaymentAmount"] = json!(usd.convert(assets::dec("0.01"), a).to_string());
            item["maxPaymentAmount"] = json!(usd.convert(assets::dec("50000"), a).to_string());
            item["onChainSupported"] = json!(a.id == assets::BTC || a.id == assets::ETH);
            if let Some((quote, amount)) = quote {
                item["paymentAmount"] = json!(quote.convert(amount, a).to_string());
            }
            item
        })
        .collect();
    Ok(ok(items))
}

pub async fn payments_estimated(Query(q): Params) -> Result<Response, ApiError> {
    let find = |key: &str| -> Result<&'static assets::Asset, ApiError> {
        let id = param(&q, key).ok_or_else(|| ApiError::param(format!("{key} is required")))?;
        assets::find(id).ok_or_else(|| {
            ApiError::new(envelope::CURRENCY_NOT_SUPPORTED, "Currency not supported")
        })
    };
    let payment = find("paymentAssetId")?;
    let settlement = find("settlementAssetId")?;
    let (quote, amount) = quote_of(&q)?
        .ok_or_else(|| ApiError::param("quoteAssetId and quoteAmount are required"))?;
    // The documented names: `price`, `paymentAmount`, `estimatedSettlementAmount`,
    // `paymentAssetSymbol`, `settlementAssetSymbol`, `quoteAssetSymbol` and the three ids.
    Ok(ok(json!({
        "price": quote.convert(Decimal::ONE, payment).to_string(),
        "paymentAmount": quote.convert(amount, payment).to_string(),
        "estimatedSettlementAmount": quote.convert(amount, settlement).to_string(),
        "paymentAssetSymbol": payment.symbol,
        "settlementAssetSymbol": settlement.symbol,
        "quoteAssetSymbol": quote.symbol,
        "paymentAssetId": payment.id,
        "settlementAssetId": settlement.id,
        "quoteAssetId": quote.id,
        "quoteAmount": amount.to_string(),
    })))
}

/// JSON or form body to text values, as MixPay accepts both.
fn body_params(headers: &HeaderMap, body: &Bytes) -> Result<HashMap<String, String>, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return form_pairs(body);
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|_| ApiError::param("body is not valid JSON"))?;
    let object = value
        .as_object()
        .ok_or_else(|| ApiError::param("body must be a JSON object"))?;
    Ok(object
        .iter()
        .filter_map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some((k.clone(), text))
        })
        .collect())
}

pub async fn one_time_payment(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let params = body_params(&headers, &body)?;
    let mut sim = state.lock();
    let now = sim.now_ms();
    let request = PaymentRequest::parse(&params, Flow::OneTime, now)?;
    let code = sim.ledger.create_one_time(request, now)?;
    Ok(ok(json!({ "code": code })))
}

pub async fn payments_result(
    State(state): State<AppState>,
    Query(q): Params,
) -> Result<Response, ApiError> {
    if let Some(code) = state.lock().faults.spec.result_error {
        return Err(ApiError::new(code, faults::result_error_message(code)));
    }
    let (key, asked_by) = match (
        param(&q, "traceId"),
        param(&q, "orderId"),
        param(&q, "payeeId"),
    ) {
        (Some(trace), _, _) => (trace.to_ascii_lowercase(), "traceId"),
        (None, Some(order), Some(payee)) => {
            (state.lock().ledger.key_for_order(payee, order), "orderId")
        }
        _ => {
            return Err(ApiError::param(
                "traceId, or orderId with payeeId, is required",
            ))
        }
    };
    let with = With::parse(param(&q, "with"));
    let sim = state.lock();
    let now = sim.now_ms();
    let known_by_order_only = |p: &payments::Payment| {
        sim.faults.spec.pay_link_key == PayLinkKey::OrderId
            && p.code.is_none()
            && asked_by == "traceId"
    };
    match sim.ledger.payments.get(&key) {
        Some(payment) if !known_by_order_only(payment) => {
            Ok(ok(payment.answer.apply(payment.result_json(now, with))))
        }
        // Nobody has opened or paid it yet: "not paid yet", in one of MixPay's two ways.
        _ => match sim.faults.spec.unknown_trace_answer {
            UnknownTraceAnswer::Unpaid => Ok(ok(
                json!({ "status": "unpaid", "traceId": param(&q, "traceId").unwrap_or("") }),
            )),
            UnknownTraceAnswer::Error => Err(ApiError::new(
                envelope::PARAM_10011,
                format!("{asked_by} does not exist"),
            )),
        },
    }
}

pub async fn mixin_uuid(Path(id): Path<String>) -> Result<Response, ApiError> {
    if !id.bytes().all(|b| b.is_ascii_digit()) || id.is_empty() {
        return Err(ApiError::param("a Mixin ID is a number"));
    }
    let payee = assets::PAYEES
        .iter()
        .find(|p| p.mixin_number == id)
        .ok_or_else(|| ApiError::new(envelope::USER_NOT_FOUND, "User does not exist"))?;
    Ok(ok(json!({ "payeeId": payee.id })))
}
