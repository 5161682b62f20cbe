//! MixPay's response envelope and error codes.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

tokio::task_local! {
    /// The simulator's clock offset (`/_sim/clock`) while a `/v1` request is answered.
    static MIXPAY_CLOCK_OFFSET_MS: i64;
}

/// Runs `answer` with MixPay's clock `offset_ms` ahead of the wall clock, so
/// every envelope it makes carries MixPay's time.
pub async fn on_mixpay_clock<F: std::future::Future>(offset_ms: i64, answer: F) -> F::Output {
    MIXPAY_CLOCK_OFFSET_MS.scope(offset_ms, answer).await
}

/// `timestampMs`: MixPay's clock inside [`on_mixpay_clock`], the wall clock elsewhere.
pub fn mixpay_now_ms() -> i64 {
    now_ms() + MIXPAY_CLOCK_OFFSET_MS.try_with(|o| *o).unwrap_or(0)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a, T: Serialize> {
    code: i64,
    success: bool,
    message: &'a str,
    data: T,
    timestamp_ms: i64,
}

/// The envelope code of an answer, for the request log.
#[derive(Clone, Copy, Debug)]
pub struct EnvelopeCode(pub i64);

/// `{"code": 0, "success": true, "message": "", "data": ..., "timestampMs": ...}`
pub fn ok(data: impl Serialize) -> Response {
    let mut response = Json(Envelope {
        code: 0,
        success: true,
        message: "",
        data,
        timestamp_ms: mixpay_now_ms(),
    })
    .into_response();
    response.extensions_mut().insert(EnvelopeCode(0));
    response
}

/// An error as MixPay sends it: the envelope with `success=false`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub http: StatusCode,
    pub code: i64,
    pub message: String,
}

impl ApiError {
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        let http = match code {
            1429 => StatusCode::TOO_MANY_REQUESTS,
            -1 => StatusCode::INTERNAL_SERVER_ERROR,
            // MixPay answers most business errors with HTTP 200 or 400 and the code in the body.
            _ => StatusCode::BAD_REQUEST,
        };
        ApiError {
            http,
            code,
            message: message.into(),
        }
    }

    pub fn param(message: impl Into<String>) -> Self {
        ApiError::new(1017, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let code = self.code;
        let mut response = (
            self.http,
            Json(Envelope {
                code: self.code,
                success: false,
                message: &self.message,
                data: serde_json::json!([]),
                timestamp_ms: mixpay_now_ms(),
            }),
        )
            .into_response();
        response.extensions_mut().insert(EnvelopeCode(code));
        response
    }
}

pub const USER_NOT_FOUND: i64 = 10001;
pub const CURRENCY_NOT_SUPPORTED: i64 = 10002;
pub const QUOTE_NOT_SUPPORTED: i64 = 10003;
pub const PRICE_TOO_LOW: i64 = 10004;
pub const PRICE_TOO_HIGH: i64 = 10005;
/// MixPay's other parameter error: a traceId used twice, or one it does not know.
pub const PARAM_10011: i64 = 10011;
pub const RATE_LIMITED: i64 = 1429;

pub const FAIL_OVERTIME: i64 = 40000;
pub const FAIL_WRONG_ASSET: i64 = 40020;
pub const FAIL_DOUBLE_PAYMENT: i64 = 40021;
pub const FAIL_NO_TRACE: i64 = 40022;
pub const FAIL_WRONG_AMOUNT: i64 = 40024;
pub const FAIL_VOLATILITY: i64 = 40025;

/// MixPay's failure reasons for its failure codes.
pub fn failure_reason(code: i64) -> &'static str {
    match code {
        FAIL_OVERTIME => "Payment overtime",
        FAIL_WRONG_ASSET => "The asset paid is not the one asked for",
        FAIL_DOUBLE_PAYMENT => "Double payment",
        FAIL_NO_TRACE => "traceId does not exist",
        FAIL_WRONG_AMOUNT => "The amount paid is not the one asked for",
        FAIL_VOLATILITY => "Too much market volatility",
        _ => "Payment failed",
    }
}
