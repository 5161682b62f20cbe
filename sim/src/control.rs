//! The control API under `/_sim/`: what tests use to pay, inject faults, move
//! the clock, reset and read the request log. Not MixPay's: never rate limited.

use crate::envelope::{self, now_ms, ok, ApiError};
use crate::faults::{FaultSpec, Faults};
use crate::payments::{Ledger, Outcome, PayOrder};
use crate::{AppState, LoggedRequest};
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;

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
pub async fn pay(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
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

pub async fn faults(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let spec: FaultSpec = if body.iter().all(u8::is_ascii_whitespace) {
        FaultSpec::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ApiError::param(format!("faults: {e}")))?
    };
    state.lock().faults.set(spec, now_ms());
    Ok(ok(json!({})))
}

pub async fn reset(State(state): State<AppState>) -> Response {
    let mut sim = state.lock();
    sim.ledger = Ledger::default();
    sim.faults = Faults::default();
    sim.limiter.clear();
    sim.requests.clear();
    sim.clock_offset_ms = 0;
    ok(json!({}))
}

pub async fn requests(State(state): State<AppState>) -> Json<Vec<LoggedRequest>> {
    Json(state.lock().requests.clone())
}

/// `POST /_sim/clock {"advanceMs": N}` moves the payments' clock forward.
pub async fn clock(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let b = json_body(&body)?;
    let advance = b
        .get("advanceMs")
        .and_then(Value::as_i64)
        .ok_or_else(|| ApiError::param("advanceMs is required"))?;
    let mut sim = state.lock();
    sim.clock_offset_ms += advance;
    Ok(ok(json!({ "nowMs": sim.now_ms() })))
}
