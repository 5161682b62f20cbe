//! Tolerant reading of MixPay's answers: unknown fields ignored, numbers
//! accepted as strings or numbers, missing fields empty. Pure functions,
//! tested natively.

use super::error::ApiError;
use crate::domain::money::Amount;
use crate::domain::settings::{QuoteAsset, SettlementAsset};
use crate::domain::status::PaymentResult;
use serde_json::Value;

/// The `data` of an envelope, or the error it carries.
pub fn envelope(http_status: u16, body: &str) -> Result<Value, ApiError> {
    let parsed: Result<Value, _> = serde_json::from_str(body);
    let value = match parsed {
        Ok(v @ Value::Object(_)) => v,
        _ if http_status == 429 => return Err(ApiError::RateLimited),
        _ if http_status >= 500 => {
            return Err(ApiError::Server {
                status: http_status,
            })
        }
        Ok(_) => return Err(ApiError::Malformed("not a JSON object".into())),
        Err(e) => return Err(ApiError::Malformed(e.to_string())),
    };
    let code = value.get("code").and_then(as_i64).unwrap_or(0);
    let success = value
        .get("success")
        .and_then(Value::as_bool)
        .unwrap_or(code == 0);
    if code == 1429 || http_status == 429 {
        return Err(ApiError::RateLimited);
    }
    if !success || code != 0 {
        let message = text(&value, "message");
        if http_status >= 500 && code == 0 {
            return Err(ApiError::Server {
                status: http_status,
            });
        }
        return Err(ApiError::Refused { code, message });
    }
    if http_status >= 500 {
        return Err(ApiError::Server {
            status: http_status,
        });
    }
    Ok(value.get("data").cloned().unwrap_or(Value::Null))
}

fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
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

pub fn payment_result(data: &Value) -> Result<PaymentResult, ApiError> {
    if !data.is_object() {
        return Err(ApiError::Malformed(
            "payments_result data is not an object".into(),
        ));
    }
    Ok(PaymentResult {
        status: text(data, "status"),
        quote_amount: text(data, "quoteAmount"),
        quote_symbol: text(data, "quoteSymbol"),
        quote_asset_id: text(data, "quoteAssetId"),
        payment_amount: text(data, "paymentAmount"),
        payment_symbol: text(data, "paymentSymbol"),
        payee_id: text(data, "payeeId"),
        txid: text(data, "txid"),
        block_explorer_url: text(data, "blockExplorerUrl"),
        confirmations: data.get("confirmations").and_then(as_i64).unwrap_or(-1),
        payable_amount: text(data, "payableAmount"),
        payable_symbol: text(data, "payableSymbol"),
        failure_code: text(data, "failureCode"),
        failure_reason: text(data, "failureReason"),
    })
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
            let asset_id = text(a, "assetId");
            let symbol = text(a, "symbol");
            if asset_id.is_empty() || symbol.is_empty() {
                return None;
            }
            let amount = |k| Amount::parse(&text(a, k)).ok();
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
            let asset_id = text(a, "assetId");
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn envelopes() {
        let ok = r#"{"code":0,"success":true,"message":"","data":{"code":"abc"},"timestampMs":1}"#;
        assert_eq!(envelope(200, ok).unwrap()["code"], "abc");
        let refused = r#"{"code":10001,"success":false,"message":"User does not exist","data":[]}"#;
        assert_eq!(
            envelope(400, refused),
            Err(ApiError::Refused {
                code: 10001,
                message: "User does not exist".into()
            })
        );
        assert_eq!(
            envelope(429, r#"{"code":1429,"success":false}"#),
            Err(ApiError::RateLimited)
        );
        assert_eq!(
            envelope(429, "Too Many Requests"),
            Err(ApiError::RateLimited)
        );
        assert_eq!(
            envelope(502, "<html>Bad gateway</html>"),
            Err(ApiError::Server { status: 502 })
        );
        assert!(matches!(
            envelope(200, "{\"code\":0,\"success\":tru<html>"),
            Err(ApiError::Malformed(_))
        ));
        assert!(matches!(
            envelope(200, "[1,2]"),
            Err(ApiError::Malformed(_))
        ));
        assert!(matches!(envelope(200, ""), Err(ApiError::Malformed(_))));
        assert_eq!(
            envelope(
                500,
                r#"{"code":-1,"success":false,"message":"Server error"}"#
            ),
            Err(ApiError::Refused {
                code: -1,
                message: "Server error".into()
            })
        );
        // Code as a string, success missing.
        assert!(envelope(200, r#"{"code":"0","data":[]}"#).is_ok());
    }

    #[test]
    fn payment_result_accepts_numbers_and_strings() {
        let data = json!({"status":"success","quoteAmount":10.5,"quoteAssetId":"usd",
            "payeeId":"p","confirmations":"3","failureCode":40000,"extra":{"x":1}});
        let r = payment_result(&data).unwrap();
        assert_eq!(r.quote_amount, "10.5");
        assert_eq!(r.confirmations, 3);
        assert_eq!(r.failure_code, "40000");
        assert_eq!(r.txid, "");
        assert!(payment_result(&json!([])).is_err());
        assert_eq!(payment_result(&json!({})).unwrap().confirmations, -1);
    }

    #[test]
    fn asset_lists() {
        let quotes = quote_assets(&json!([
            {"assetId":"usd","symbol":"USD","decimalDigit":2,"minQuoteAmount":"0.01","maxQuoteAmount":"50000"},
            {"assetId":"jpy","symbol":"JPY","decimalDigit":"0","minQuoteAmount":1},
            {"symbol":"NOID"},
        ]))
        .unwrap();
        assert_eq!(quotes.len(), 2);
        assert_eq!(quotes[1].decimal_digit, 0);
        assert_eq!(quotes[1].min, Some(Amount::parse("1").unwrap()));
        assert_eq!(quotes[1].max, None);
        let settle = settlement_assets(&json!([
            {"assetId":"a","symbol":"BTC","isAvailable":false},
            {"assetId":"b","symbol":"USDT","name":"Tether USD"},
        ]))
        .unwrap();
        assert_eq!(settle.len(), 1);
        assert_eq!(settle[0].name, "Tether USD");
        assert!(quote_assets(&json!({})).is_err());
    }

    #[test]
    fn codes_and_payees() {
        assert_eq!(one_time_code(&json!({"code":"x-1"})).unwrap(), "x-1");
        assert!(one_time_code(&json!({})).is_err());
        assert_eq!(
            payee_id(&json!({"payeeId":"3F2A9C1E-5B7D-4E8F-9A6B-1C2D3E4F5A6B"})).unwrap(),
            "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b"
        );
        assert!(payee_id(&json!({"payeeId":"nope"})).is_err());
    }
}
