//! MixPay's response envelope and error codes.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// `{"code": 0, "success": true, "message": "", "data": ..., "timestampMs": ...}`
pub fn ok(data: Value) -> Response {
    Json(json!({
        "code": 0,
        "success": true,
        "message": "",
        "data": data,
        "timestampMs": now_ms(),
    }))
    .into_response()
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
        (
            self.http,
            Json(json!({
                "code": self.code,
                "success": false,
                "message": self.message,
                "data": [],
                "timestampMs": now_ms(),
            })),
        )
            .into_response()
    }
}

pub const USER_NOT_FOUND: i64 = 10001;
pub const CURRENCY_NOT_SUPPORTED: i64 = 10002;
pub const QUOTE_NOT_SUPPORTED: i64 = 10003;
pub const PRICE_TOO_LOW: i64 = 10004;
pub const PRICE_TOO_HIGH: i64 = 10005;
pub const DUPLICATE_TRACE: i64 = 10011;
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
