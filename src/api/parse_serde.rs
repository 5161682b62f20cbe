//! The serde_json reading of MixPay's answers as it was before `api::parse`
//! read them through `domain::json`: kept, test-only, so the differential
//! tests (`parse::tests::differential`) compare the two on the same bodies.

use std::collections::HashMap;

use super::error::ApiError;
use crate::domain::money::Amount;
use crate::domain::settings::{QuoteAsset, SettlementAsset};
use crate::domain::status::{PaymentProgress, PaymentResult};
use serde_json::value::RawValue;
use serde_json::Value;

/// Reads an answer: the `data` of a well-formed success envelope or the error
/// it stands for, and MixPay's clock (`timestampMs`) when the body carries it.
///
/// A body is an envelope only with an integer `code` and a boolean `success`;
/// anything else is unreadable (retried), never success. A 5xx or a 429 is
/// connection trouble whatever its body says.
pub fn read_envelope(http_status: u16, body: &str) -> (Result<Value, ApiError>, Option<i64>) {
    let value = serde_json::from_str::<Value>(body).ok();
    let server_ms = value
        .as_ref()
        .and_then(|v| v.get("timestampMs"))
        .and_then(Value::as_i64);
    let result = (|| {
        if http_status == 429 {
            return Err(ApiError::RateLimited);
        }
        if http_status >= 500 {
            return Err(ApiError::Server {
                status: http_status,
            });
        }
        let Some(value @ Value::Object(_)) = value else {
            return Err(ApiError::Malformed("not a JSON object".into()));
        };
        let code = value.get("code").and_then(Value::as_i64);
        let success = value.get("success").and_then(Value::as_bool);
        let (Some(code), Some(success)) = (code, success) else {
            return Err(ApiError::Malformed(
                "no integer code and boolean success".into(),
            ));
        };
        if code == 1429 {
            return Err(ApiError::RateLimited);
        }
        if !success || code != 0 {
            return Err(ApiError::Refused {
                code,
                message: text(&value, "message"),
            });
        }
        Ok(value.get("data").cloned().unwrap_or(Value::Null))
    })();
    (result, server_ms)
}

/// A field as text, whether MixPay sent a string or a number.
pub fn text(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The fields of a JSON object with their values as sent (numbers keep the
/// exact digits of the body, which `Value` would round through a float).
type RawFields<'a> = HashMap<String, &'a RawValue>;

/// An amount field as decimal text: a string as sent, a number only when a
/// float cannot have changed it (`Amount::from_json_number`), else empty:
/// unreadable, so the answer cannot decide anything with it.
fn amount_text(fields: &RawFields, key: &str) -> String {
    let Some(raw) = fields.get(key).map(|r| r.get().trim()) else {
        return String::new();
    };
    if raw.starts_with('"') {
        return serde_json::from_str::<String>(raw).unwrap_or_default();
    }
    Amount::from_json_number(raw)
        .map(|a| a.to_string())
        .unwrap_or_default()
}

/// A yes/no field sent as a boolean, 0/1, or their text.
fn flag(v: &Value, key: &str) -> Option<bool> {
    match v.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        Value::String(s) => match s.trim() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// `payments_result` from the whole body of a success envelope (already
/// checked with `read_envelope`).
pub fn payment_result(body: &str) -> Result<PaymentResult, ApiError> {
    #[derive(serde::Deserialize)]
    struct Body<'a> {
        #[serde(borrow)]
        data: Option<&'a RawValue>,
    }
    let unreadable = |why: &str| ApiError::Malformed(format!("payments_result: {why}"));
    let body: Body = serde_json::from_str(body).map_err(|_| unreadable("not JSON"))?;
    let raw = body.data.ok_or_else(|| unreadable("no data"))?.get();
    let fields: RawFields =
        serde_json::from_str(raw).map_err(|_| unreadable("data is not an object"))?;
    let data: Value = serde_json::from_str(raw).map_err(|_| unreadable("data"))?;
    let payment = fields.get("payment").and_then(|raw| {
        let amounts: RawFields = serde_json::from_str(raw.get()).ok()?;
        let values: Value = serde_json::from_str(raw.get()).ok()?;
        Some(PaymentProgress {
            is_multi_pay: flag(&values, "isMultiPay") == Some(true),
            is_fully_paid: flag(&values, "isFullyPaid"),
            total_transactions_amount: amount_text(&amounts, "totalTransactionsAmount"),
        })
    });
    Ok(PaymentResult {
        status: text(&data, "status"),
        trace_id: text(&data, "traceId"),
        quote_amount: amount_text(&fields, "quoteAmount"),
        quote_symbol: text(&data, "quoteSymbol"),
        quote_asset_id: text(&data, "quoteAssetId"),
        payment_amount: amount_text(&fields, "paymentAmount"),
        payment_symbol: text(&data, "paymentSymbol"),
        payee_id: text(&data, "payeeId"),
        txid: text(&data, "txid"),
        block_explorer_url: text(&data, "blockExplorerUrl"),
        confirmations: data.get("confirmations").and_then(as_i64).unwrap_or(-1),
        payable_amount: amount_text(&fields, "payableAmount"),
        payable_symbol: text(&data, "payableSymbol"),
        failure_code: text(&data, "failureCode"),
        failure_reason: text(&data, "failureReason"),
        payment,
        surplus_amount: amount_text(&fields, "surplusAmount"),
        surplus_status: text(&data, "surplusStatus"),
        settle_amount: amount_text(&fields, "settleAmount"),
        settle_symbol: text(&data, "settleSymbol"),
        settle_asset: text(&data, "settleAsset"),
    })
}

/// The `orderId` (empty when absent) and `date` (unix seconds) of a
/// `payments_result` body already read by `payment_result`.
pub fn order_and_date(body: &str) -> (String, Option<i64>) {
    let data = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v.get("data").cloned())
        .unwrap_or(Value::Null);
    (text(&data, "orderId"), data.get("date").and_then(as_i64))
}

/// An amount from a `Value`: a decimal string, or a whole number (exact in
/// `Value`). A JSON fraction is `None`: `Value` made a float of it, and
/// `0.1000000000000000055511151231257827` would read as `0.1`.
fn whole_or_text_amount(v: &Value, key: &str) -> Option<Amount> {
    match v.get(key)? {
        Value::String(s) => Amount::parse(s).ok(),
        Value::Number(n) => n.as_u64().map(|n| Amount::parse(&n.to_string()).ok())?,
        _ => None,
    }
}

fn items(data: &Value) -> Result<&Vec<Value>, ApiError> {
    data.as_array()
        .ok_or_else(|| ApiError::Malformed("expected a list".into()))
}

/// Quote assets; items without an id or symbol are skipped.
pub fn quote_assets(data: &Value) -> Result<Vec<QuoteAsset>, ApiError> {
    Ok(items(data)?
        .iter()
        .filter_map(|a| {
            let asset_id = text(a, "assetId").trim().to_ascii_lowercase();
            let symbol = text(a, "symbol");
            if asset_id.is_empty() || symbol.is_empty() {
                return None;
            }
            let amount = |k| whole_or_text_amount(a, k);
            Some(QuoteAsset {
                asset_id,
                symbol,
                decimal_digit: a
                    .get("decimalDigit")
                    .and_then(as_i64)
                    .map_or(2, |d| d.clamp(0, 18) as u32),
                min: amount("minQuoteAmount"),
                max: amount("maxQuoteAmount"),
                icon_url: text(a, "iconUrl"),
            })
        })
        .collect())
}

pub fn settlement_assets(data: &Value) -> Result<Vec<SettlementAsset>, ApiError> {
    Ok(items(data)?
        .iter()
        .filter(|a| a.get("isAvailable").and_then(Value::as_bool) != Some(false))
        .filter_map(|a| {
            let asset_id = text(a, "assetId").trim().to_ascii_lowercase();
            let symbol = text(a, "symbol");
            (!asset_id.is_empty() && !symbol.is_empty()).then(|| SettlementAsset {
                asset_id,
                symbol,
                name: text(a, "name"),
                icon_url: text(a, "iconUrl"),
            })
        })
        .collect())
}

/// `isAvailable` of `asset_id` in a `settlement_assets` answer asked with a
/// quote: `None` when the asset is not listed or the flag is not a boolean
/// (not proof either way).
pub fn settlement_available(data: &Value, asset_id: &str) -> Option<bool> {
    items(data)
        .ok()?
        .iter()
        .find(|a| text(a, "assetId").trim().eq_ignore_ascii_case(asset_id.trim()))
        .and_then(|a| a.get("isAvailable").and_then(Value::as_bool))
}

/// The `code` of a created one-time payment.
pub fn one_time_code(data: &Value) -> Result<String, ApiError> {
    let code = text(data, "code");
    if code.trim().is_empty() {
        Err(ApiError::Malformed("one_time_payment gave no code".into()))
    } else {
        Ok(code)
    }
}

pub fn payee_id(data: &Value) -> Result<String, ApiError> {
    crate::domain::settings::normalize_uuid(&text(data, "payeeId"))
        .ok_or_else(|| ApiError::Malformed("mixin_uuid gave no payeeId".into()))
}

