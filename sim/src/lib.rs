//! A local MixPay: the API contract of `shared/mixpay-api.md` on localhost,
//! a payer page to pay from a browser, and a control API (`/_sim/`) for tests
//! to pay, inject faults, move the clock and read the request log.
//!
//! This file is the router and the state the three parts share: [`api`] (the
//! `/v1` endpoints), [`payer_page`] (what the payer sees) and [`control`]
//! (`/_sim/*`).

pub mod answer;
pub mod api;
pub mod assets;
pub mod control;
pub mod envelope;
pub mod faults;
pub mod payer_page;
pub mod payments;

use axum::body::Bytes;
use axum::extract::{Query, Request, State};
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use envelope::{now_ms, ApiError};
use faults::{Faults, RateLimiter};
use payments::Ledger;
use serde::Serialize;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use tower_http::cors::{Any, CorsLayer};

/// Requests kept for `GET /_sim/requests`.
const REQUEST_LOG_CAP: usize = 10_000;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedRequest {
    #[serde(skip)]
    pub seq: u64,
    pub method: String,
    pub path: String,
    pub query: String,
    pub ts_ms: i64,
    /// The answer's HTTP status; `null` while it is being answered.
    pub status: Option<u16>,
    /// The answer's envelope `code`; `null` for an answer that is no envelope
    /// (a payer page, a gateway's HTML, a garbage body, a dropped connection).
    pub code: Option<i64>,
}

pub struct Sim {
    pub ledger: Ledger,
    pub faults: Faults,
    pub limiter: RateLimiter,
    pub requests: Vec<LoggedRequest>,
    pub next_seq: u64,
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
            next_seq: 0,
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
        .route("/v1/setting/quote_assets", get(api::quote_assets))
        .route("/v1/setting/settlement_assets", get(api::settlement_assets))
        .route("/v1/setting/payment_assets", get(api::payment_assets))
        .route("/v1/payments_estimated", get(api::payments_estimated))
        .route("/v1/one_time_payment", post(api::one_time_payment))
        .route("/v1/payments_result", get(api::payments_result))
        .route("/v1/user/mixin_uuid/{id}", get(api::mixin_uuid))
        .fallback(|| async { ApiError::new(404, "Not found") })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            api::mixpay_gate,
        ));
    let pages = Router::new()
        .route("/", get(payer_page::index_page))
        .route("/icons/{file}", get(payer_page::icon))
        .route("/pay", get(payer_page::pay_link_page))
        .route("/code/{code}", get(payer_page::code_page))
        .route("/pay/act", post(payer_page::payer_action))
        .layer(middleware::from_fn_with_state(state.clone(), log_only));
    let control = Router::new()
        .route("/_sim/pay", post(control::pay))
        .route("/_sim/answer", post(control::answer))
        .route("/_sim/faults", post(control::faults))
        .route("/_sim/reset", post(control::reset))
        .route("/_sim/requests", get(control::requests))
        .route("/_sim/clock", post(control::clock));
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

/// Logs a request; returns its number for [`log_answer`].
pub(crate) fn log_request(sim: &mut Sim, req: &Request) -> u64 {
    if sim.requests.len() >= REQUEST_LOG_CAP {
        sim.requests.drain(..REQUEST_LOG_CAP / 10);
    }
    let seq = sim.next_seq;
    sim.next_seq += 1;
    sim.requests.push(LoggedRequest {
        seq,
        method: req.method().to_string(),
        path: req.uri().path().to_string(),
        query: req.uri().query().unwrap_or("").to_string(),
        ts_ms: now_ms(),
        status: None,
        code: None,
    });
    seq
}

/// Records the answer to the logged request `seq`.
pub(crate) fn log_answer(sim: &mut Sim, seq: u64, response: &Response, enveloped: bool) {
    if let Some(entry) = sim.requests.iter_mut().rev().find(|r| r.seq == seq) {
        entry.status = Some(response.status().as_u16());
        entry.code = response
            .extensions()
            .get::<envelope::EnvelopeCode>()
            .filter(|_| enveloped)
            .map(|c| c.0);
    }
}

async fn log_only(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let seq = log_request(&mut state.lock(), &req);
    let response = next.run(req).await;
    log_answer(&mut state.lock(), seq, &response, false);
    response
}

pub(crate) type Params = Query<HashMap<String, String>>;

/// A query or form value, trimmed; empty counts as absent.
pub(crate) fn param<'a>(q: &'a HashMap<String, String>, key: &str) -> Option<&'a str> {
    q.get(key).map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// An `application/x-www-form-urlencoded` body as pairs.
pub(crate) fn form_pairs(body: &Bytes) -> Result<HashMap<String, String>, ApiError> {
    Query::<HashMap<String, String>>::try_from_uri(
        &format!("/?{}", String::from_utf8_lossy(body))
            .parse()
            .map_err(|_| ApiError::param("body is not a valid form"))?,
    )
    .map(|q| q.0)
    .map_err(|_| ApiError::param("body is not a valid form"))
}
