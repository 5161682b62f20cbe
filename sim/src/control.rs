//! The control API under `/_sim/`: what tests use to pay, inject faults, move
//! the clock, reset and read the request log. Not MixPay's: never rate limited.

use crate::answer::{AnswerOverrides, With, OVERRIDE_FIELDS};
use crate::assets;
use crate::envelope::{self, now_ms, ok, ApiError};
use crate::faults::{FaultSpec, Faults};
use crate::payments::{Ledger, Outcome, PayOrder};
use crate::{AppState, LoggedRequest, Sim};
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};
use std::str::FromStr;

fn json_body(body: &Bytes) -> Result<Map<String, Value>, ApiError> {
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

/// Refuses a field the call does not know, so a misspelt one is not silently ignored.
fn known_fields(body: &Map<String, Value>, known: &[&str], call: &str) -> Result<(), ApiError> {
    match body.keys().find(|k| !known.contains(&k.as_str())) {
        Some(unknown) => Err(ApiError::param(format!(
            "{call}: unknown field {unknown:?}; known: {}",
            known.join(", ")
        ))),
        None => Ok(()),
    }
}

/// The ledger key of the payment a control body names by `traceId` or `code`.
fn payment_key(sim: &Sim, body: &Map<String, Value>) -> Result<String, ApiError> {
    let s = |k: &str| body.get(k).and_then(text_of);
    let key = match (s("traceId"), s("code")) {
        (Some(t), _) => t.to_ascii_lowercase(),
        (None, Some(c)) => sim
            .ledger
            .key_for_code(&c)
            .ok_or_else(|| ApiError::new(envelope::FAIL_NO_TRACE, "no payment has this code"))?,
        _ => return Err(ApiError::param("traceId or code is required")),
    };
    if !sim.ledger.payments.contains_key(&key) {
        return Err(ApiError::new(
            envelope::FAIL_NO_TRACE,
            "traceId does not exist: create it with one_time_payment or open its pay link first",
        ));
    }
    Ok(key)
}

const PAY_FIELDS: &[&str] = &[
    "traceId",
    "code",
    "outcome",
    "quoteAmount",
    "amount",
    "quoteAssetId",
    "payeeId",
    "paymentAssetId",
    "failureCode",
    "paymentAmount",
    "surplusAmount",
    "surplusStatus",
    "settleAsset",
    "settleSymbol",
    "delayMs",
    "late",
    "answerTraceId",
    "answerNumbers",
    "answerOmit",
];

/// `POST /_sim/pay`: pays a payment as a payer would (a first payment, a
/// top-up of an underpaid one, a transfer after the expiry), or ends what
/// MixPay holds (an audit, a wallet payment on its way, a 40021); optionally
/// with other values, and with overrides of how `payments_result` answers
/// from now on. The README lists every field.
pub async fn pay(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let b = json_body(&body)?;
    known_fields(&b, PAY_FIELDS, "/_sim/pay")?;
    let s = |k: &str| b.get(k).and_then(text_of);
    let decimal = |k: &str| -> Result<Option<Decimal>, ApiError> {
        s(k).map(|t| {
            Decimal::from_str(t.trim())
                .ok()
                .filter(|d| !d.is_sign_negative())
                .ok_or_else(|| ApiError::param(format!("{k} is not a decimal")))
        })
        .transpose()
    };
    let failure_code: Option<i64> = s("failureCode")
        .map(|t| {
            t.parse()
                .map_err(|_| ApiError::param("failureCode is a number"))
        })
        .transpose()?;
    let mut outcome = s("outcome").map(|o| Outcome::from_str(&o)).transpose()?;
    match (outcome, failure_code) {
        // A failure code says how the payment fails.
        (None, Some(_)) => outcome = Some(Outcome::Failed),
        (Some(o), Some(_)) if o != Outcome::Failed => {
            return Err(ApiError::param("failureCode goes with outcome failed"))
        }
        _ => {}
    }
    let settle_asset = match (s("settleAsset"), s("settleSymbol")) {
        (None, None) => None,
        (id, symbol) => {
            let asset = match &id {
                Some(id) => assets::find(id),
                None => assets::ASSETS.iter().find(|a| {
                    symbol
                        .as_deref()
                        .is_some_and(|s| a.symbol.eq_ignore_ascii_case(s))
                }),
            }
            .filter(|a| a.settles)
            .ok_or_else(|| {
                ApiError::param("settleAsset/settleSymbol: not an asset MixPay settles in")
            })?;
            if symbol.is_some_and(|s| !s.eq_ignore_ascii_case(asset.symbol)) {
                return Err(ApiError::param(
                    "settleSymbol is not the symbol of settleAsset",
                ));
            }
            Some(asset)
        }
    };
    let payment_amount = decimal("paymentAmount")?;
    if payment_amount.is_some_and(|d| d.is_zero()) {
        return Err(ApiError::param("paymentAmount must be above zero"));
    }
    let order = PayOrder {
        outcome,
        quote_amount: s("quoteAmount")
            .map(|t| {
                Decimal::from_str(&t).map_err(|_| ApiError::param("quoteAmount is not a decimal"))
            })
            .transpose()?,
        quote_asset_id: s("quoteAssetId"),
        payee_id: s("payeeId").map(|p| p.to_ascii_lowercase()),
        payment_asset_id: s("paymentAssetId"),
        failure_code,
        delay_ms: b.get("delayMs").and_then(Value::as_i64).unwrap_or(0),
        late: b.get("late").and_then(Value::as_bool).unwrap_or(false),
        payment_amount,
        surplus_amount: decimal("surplusAmount")?,
        surplus_status: s("surplusStatus"),
        settle_asset,
    };
    let overrides = AnswerOverrides::given_in(&b)
        .then(|| AnswerOverrides::from_body(&b))
        .transpose()?;
    let mut sim = state.lock();
    let now = sim.now_ms();
    let key = payment_key(&sim, &b)?;
    let payment = sim
        .ledger
        .payments
        .get_mut(&key)
        .expect("payment_key checks it");
    let mut order = order;
    // A pay link's `amount`, added by the payer: it takes priority over the
    // link's quoteAmount, as on the pay page.
    if let Some(amount) = s("amount") {
        if payment.code.is_some() {
            return Err(ApiError::param(
                "amount is a pay link's parameter: a one-time payment cannot be edited \
                 (quoteAmount plays a tampered answer)",
            ));
        }
        if order.quote_amount.is_some() {
            return Err(ApiError::param("give amount or quoteAmount, not both"));
        }
        order.quote_amount = Some(crate::payments::parse_quote_amount(
            &amount,
            payment.request.quote(),
        )?);
    }
    payment.pay(order, now)?;
    if let Some(overrides) = overrides {
        payment.answer = overrides;
    }
    Ok(ok(payment.result_json(now, With::ALL)))
}

/// `POST /_sim/answer`: replaces how `payments_result` answers for a payment,
/// without paying; no override = the normal full answer.
pub async fn answer(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let b = json_body(&body)?;
    let mut known = vec!["traceId", "code"];
    known.extend(OVERRIDE_FIELDS);
    known_fields(&b, &known, "/_sim/answer")?;
    let overrides = AnswerOverrides::from_body(&b)?;
    let mut sim = state.lock();
    let key = payment_key(&sim, &b)?;
    let payment = sim
        .ledger
        .payments
        .get_mut(&key)
        .expect("payment_key checks it");
    payment.answer = overrides;
    Ok(ok(&payment.answer))
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
