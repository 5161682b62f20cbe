//! A local MixPay: the API contract of `shared/mixpay-api.md` on localhost,
//! a payer page to pay from a browser, and a control API (`/_sim/`) for tests
//! to pay, inject faults, move the clock and read the request log.

pub mod assets;
pub mod envelope;
pub mod faults;
pub mod payer_page;
pub mod payments;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use envelope::{now_ms, ok, ApiError};
use faults::{Fault, FaultSpec, Faults, RateLimiter};
use payments::{Flow, Ledger, Outcome, PayOrder, PaymentRequest};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard};
use tower_http::cors::{Any, CorsLayer};

/// Requests kept for `GET /_sim/requests`.
const REQUEST_LOG_CAP: usize = 10_000;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    pub query: String,
    pub ts_ms: i64,
}

pub struct Sim {
    pub ledger: Ledger,
    pub faults: Faults,
    pub limiter: RateLimiter,
    pub requests: Vec<LoggedRequest>,
    /// Added to the wall clock for payments, so tests can jump past an expiry.
    pub clock_offset_ms: i64,
}

impl Sim {
    pub fn now_ms(&self) -> i64 {
        now_ms() + self.clock_offset_ms
    }
}

#[derive(Clone)]
pub struct AppState(Arc<Mutex<Sim>>);

impl AppState {
    pub fn new(rate_limit: bool) -> Self {
        AppState(Arc::new(Mutex::new(Sim {
            ledger: Ledger::default(),
            faults: Faults::default(),
            limiter: RateLimiter::new(rate_limit),
            requests: vec![],
            clock_offset_ms: 0,
        })))
    }

    pub fn lock(&self) -> MutexGuard<'_, Sim> {
        // A panic in one handler must not take the whole simulator down.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The whole simulator as one router.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/v1/setting/quote_assets", get(quote_assets))
        .route("/v1/setting/settlement_assets", get(settlement_assets))
        .route("/v1/setting/payment_assets", get(payment_assets))
        .route("/v1/payments_estimated", get(payments_estimated))
        .route("/v1/one_time_payment", post(one_time_payment))
        .route("/v1/payments_result", get(payments_result))
        .route("/v1/user/mixin_uuid/{id}", get(mixin_uuid))
        .fallback(|| async { ApiError::new(404, "Not found") })
        .layer(middleware::from_fn_with_state(state.clone(), mixpay_gate));
    let pages = Router::new()
        .route("/", get(index_page))
        .route("/icons/{file}", get(icon))
        .route("/pay", get(pay_link_page))
        .route("/code/{code}", get(code_page))
        .route("/pay/act", post(payer_action))
        .layer(middleware::from_fn_with_state(state.clone(), log_only));
    let control = Router::new()
        .route("/_sim/pay", post(control_pay))
        .route("/_sim/faults", post(control_faults))
        .route("/_sim/reset", post(control_reset))
        .route("/_sim/requests", get(control_requests))
        .route("/_sim/clock", post(control_clock));
    // Outermost, so preflights and every error (429 included) carry CORS headers
    // like a public API's.
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods(Any)
        .allow_headers(Any)
        .expose_headers([
            header::HeaderName::from_static("x-ratelimit-limit"),
            header::HeaderName::from_static("x-ratelimit-remaining"),
        ]);
    Router::new()
        .merge(api)
        .merge(pages)
        .merge(control)
        .with_state(state)
        .layer(cors)
}

/// Serves until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, rate_limit: bool) -> std::io::Result<()> {
    let app = router(AppState::new(rate_limit));
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}

fn log_request(sim: &mut Sim, req: &Request) {
    if sim.requests.len() >= REQUEST_LOG_CAP {
        sim.requests.drain(..REQUEST_LOG_CAP / 10);
    }
    sim.requests.push(LoggedRequest {
        method: req.method().to_string(),
        path: req.uri().path().to_string(),
        query: req.uri().query().unwrap_or("").to_string(),
        ts_ms: now_ms(),
    });
}

async fn log_only(State(state): State<AppState>, req: Request, next: Next) -> Response {
    log_request(&mut state.lock(), &req);
    next.run(req).await
}

/// Everything between a client and MixPay's API: the request log, injected
/// latency and faults, and the rate limit with its headers.
async fn mixpay_gate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let client = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(std::net::IpAddr::from([127, 0, 0, 1]));
    let path = req.uri().path().to_string();
    let latency = {
        let mut sim = state.lock();
        log_request(&mut sim, &req);
        sim.faults.latency_ms(&path)
    };
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    let (fault, check) = {
        let mut sim = state.lock();
        let now = now_ms();
        let fault = sim.faults.pick(&path, now, fastrand::f64);
        (fault, sim.limiter.check(client, now))
    };
    let mut response = match fault {
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
        Some(Fault::ServerError) => ApiError::new(-1, "Server error").into_response(),
        Some(Fault::Malformed) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            "{\"code\":0,\"success\":tru<html>garbage",
        )
            .into_response(),
        None => next.run(req).await,
    };
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-limit", HeaderValue::from(faults::RATE_LIMIT));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(check.remaining));
    response
}

type Params = Query<HashMap<String, String>>;

fn param<'a>(q: &'a HashMap<String, String>, key: &str) -> Option<&'a str> {
    q.get(key).map(|v| v.trim()).filter(|v| !v.is_empty())
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

async fn quote_assets(headers: HeaderMap, Query(q): Params) -> Result<Response, ApiError> {
    check_payee(&q)?;
    let base = base_of(&headers);
    Ok(ok(assets::ASSETS
        .iter()
        .map(|a| a.quote_json(&base))
        .collect()))
}

async fn icon(Path(file): Path<String>) -> Response {
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

/// Settling in BTC or ETH needs at least this much in USD.
const MIN_ONCHAIN_SETTLE_USD: &str = "1";

async fn settlement_assets(headers: HeaderMap, Query(q): Params) -> Result<Response, ApiError> {
    check_payee(&q)?;
    let quote = quote_of(&q)?;
    let usd = assets::find("usd").expect("USD is in the table");
    let items = assets::ASSETS
        .iter()
        .filter(|a| a.settles)
        .map(|a| {
            let mut item = a.settlement_json(&base_of(&headers));
            if let Some((quote, amount)) = quote {
                let on_chain = a.id == assets::BTC || a.id == assets::ETH;
                let available =
                    !on_chain || quote.convert(amount, usd) >= assets::dec(MIN_ONCHAIN_SETTLE_USD);
                item["isAvailable"] = json!(available);
            }
            item
        })
        .collect();
    Ok(ok(items))
}

async fn payment_assets(headers: HeaderMap, Query(q): Params) -> Result<Response, ApiError> {
    check_payee(&q)?;
    let quote = quote_of(&q)?;
    let usd = assets::find("usd").expect("USD is in the table");
    let items = assets::ASSETS
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

async fn payments_estimated(Query(q): Params) -> Result<Response, ApiError> {
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
    Ok(ok(json!({
        "price": quote.convert(Decimal::ONE, payment).to_string(),
        "paymentAmount": quote.convert(amount, payment).to_string(),
        "paymentSymbol": payment.symbol,
        "estimatedSettlementAmount": quote.convert(amount, settlement).to_string(),
        "settlementSymbol": settlement.symbol,
        "quoteAmount": amount.to_string(),
        "quoteSymbol": quote.symbol,
    })))
}

/// JSON or form body to text values, as MixPay accepts both.
fn body_params(headers: &HeaderMap, body: &Bytes) -> Result<HashMap<String, String>, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return serde_urlencoded_pairs(body);
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

fn serde_urlencoded_pairs(body: &Bytes) -> Result<HashMap<String, String>, ApiError> {
    axum::extract::Query::<HashMap<String, String>>::try_from_uri(
        &format!("/?{}", String::from_utf8_lossy(body))
            .parse()
            .map_err(|_| ApiError::param("body is not a valid form"))?,
    )
    .map(|q| q.0)
    .map_err(|_| ApiError::param("body is not a valid form"))
}

async fn one_time_payment(
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

async fn payments_result(
    State(state): State<AppState>,
    Query(q): Params,
) -> Result<Response, ApiError> {
    let key = match (
        param(&q, "traceId"),
        param(&q, "orderId"),
        param(&q, "payeeId"),
    ) {
        (Some(trace), _, _) => trace.to_ascii_lowercase(),
        (None, Some(order), Some(payee)) => payments::order_key(payee, order),
        _ => {
            return Err(ApiError::param(
                "traceId, or orderId with payeeId, is required",
            ))
        }
    };
    let sim = state.lock();
    let now = sim.now_ms();
    Ok(ok(match sim.ledger.payments.get(&key) {
        Some(payment) => payment.result_json(now),
        // Nobody has opened or paid it yet: "not paid yet", like MixPay.
        None => json!({ "status": "unpaid", "traceId": param(&q, "traceId").unwrap_or("") }),
    }))
}

async fn mixin_uuid(Path(id): Path<String>) -> Result<Response, ApiError> {
    if !id.bytes().all(|b| b.is_ascii_digit()) || id.is_empty() {
        return Err(ApiError::param("a Mixin ID is a number"));
    }
    let payee = assets::PAYEES
        .iter()
        .find(|p| p.mixin_number == id)
        .ok_or_else(|| ApiError::new(envelope::USER_NOT_FOUND, "User does not exist"))?;
    Ok(ok(json!({ "payeeId": payee.id })))
}

async fn index_page() -> Html<String> {
    Html(payer_page::index())
}

/// The payer page of a payment the ledger has under `key`.
fn payer_page_of(sim: &Sim, key: &str, now: i64) -> Response {
    Html(payer_page::render(
        &sim.ledger.payments[key],
        key,
        now,
        None,
    ))
    .into_response()
}

async fn pay_link_page(State(state): State<AppState>, Query(q): Params) -> Response {
    let mut sim = state.lock();
    let now = sim.now_ms();
    let opened = PaymentRequest::parse(&q, Flow::PayLink, now)
        .and_then(|req| sim.ledger.open_pay_link(req, now));
    match opened {
        Ok(key) => payer_page_of(&sim, &key, now),
        Err(e) => (StatusCode::BAD_REQUEST, Html(payer_page::error(&e))).into_response(),
    }
}

async fn code_page(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    let sim = state.lock();
    let now = sim.now_ms();
    match sim.ledger.key_for_code(&code) {
        Some(key) => payer_page_of(&sim, &key, now),
        None => (
            StatusCode::NOT_FOUND,
            Html(payer_page::error(&ApiError::new(
                404,
                "This payment code does not exist",
            ))),
        )
            .into_response(),
    }
}

/// The payer page's buttons.
async fn payer_action(State(state): State<AppState>, body: Bytes) -> Response {
    let form = serde_urlencoded_pairs(&body).unwrap_or_default();
    let key = form.get("key").cloned().unwrap_or_default();
    let field = |k: &str| form.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let mut order = PayOrder {
        delay_ms: payer_page::CONFIRM_MS,
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
            None => Html(payer_page::render(p, &key, now, Some("Payment sent."))).into_response(),
        },
        (Err(e), Some(p)) => Html(payer_page::render(
            p,
            &key,
            now,
            Some(&format!("Refused: {} ({})", e.message, e.code)),
        ))
        .into_response(),
        (Err(e), None) => (StatusCode::NOT_FOUND, Html(payer_page::error(&e))).into_response(),
        (Ok(()), None) => unreachable!("paid a payment that does not exist"),
    }
}

fn json_body(body: &Bytes) -> Result<serde_json::Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Default::default());
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(ApiError::param("body must be a JSON object")),
    }
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `POST /_sim/pay`: pays a payment as a payer would, optionally with other values.
async fn control_pay(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let b = json_body(&body)?;
    let s = |k: &str| b.get(k).and_then(text_of);
    let order = PayOrder {
        outcome: s("outcome").map(|o| Outcome::from_str(&o)).transpose()?,
        quote_amount: s("quoteAmount")
            .map(|t| {
                Decimal::from_str(&t).map_err(|_| ApiError::param("quoteAmount is not a decimal"))
            })
            .transpose()?,
        quote_asset_id: s("quoteAssetId"),
        payee_id: s("payeeId").map(|p| p.to_ascii_lowercase()),
        payment_asset_id: s("paymentAssetId"),
        failure_code: b.get("failureCode").and_then(Value::as_i64),
        delay_ms: b.get("delayMs").and_then(Value::as_i64).unwrap_or(0),
    };
    let mut sim = state.lock();
    let now = sim.now_ms();
    let key = match (s("traceId"), s("code")) {
        (Some(t), _) => t.to_ascii_lowercase(),
        (None, Some(c)) => sim
            .ledger
            .key_for_code(&c)
            .ok_or_else(|| ApiError::new(envelope::FAIL_NO_TRACE, "no payment has this code"))?,
        _ => return Err(ApiError::param("traceId or code is required")),
    };
    let payment = sim.ledger.payments.get_mut(&key).ok_or_else(|| {
        ApiError::new(
            envelope::FAIL_NO_TRACE,
            "traceId does not exist: create it with one_time_payment or open its pay link first",
        )
    })?;
    payment.pay(order, now)?;
    Ok(ok(payment.result_json(now)))
}

async fn control_faults(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let spec: FaultSpec = if body.iter().all(u8::is_ascii_whitespace) {
        FaultSpec::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ApiError::param(format!("faults: {e}")))?
    };
    state.lock().faults.set(spec, now_ms());
    Ok(ok(json!({})))
}

async fn control_reset(State(state): State<AppState>) -> Response {
    let mut sim = state.lock();
    sim.ledger = Ledger::default();
    sim.faults = Faults::default();
    sim.limiter.clear();
    sim.requests.clear();
    sim.clock_offset_ms = 0;
    ok(json!({}))
}

async fn control_requests(State(state): State<AppState>) -> Json<Vec<LoggedRequest>> {
    Json(state.lock().requests.clone())
}

/// `POST /_sim/clock {"advanceMs": N}` moves the payments' clock forward.
async fn control_clock(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let b = json_body(&body)?;
    let advance = b
        .get("advanceMs")
        .and_then(Value::as_i64)
        .ok_or_else(|| ApiError::param("advanceMs is required"))?;
    let mut sim = state.lock();
    sim.clock_offset_ms += advance;
    Ok(ok(json!({ "nowMs": sim.now_ms() })))
}
