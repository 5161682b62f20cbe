//! Tolerant reading of MixPay's answers: unknown fields ignored, numbers
//! accepted as strings or numbers, missing fields empty. Pure functions,
//! tested natively.

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

/// The `data` of an envelope, or the error it carries.
pub fn envelope(http_status: u16, body: &str) -> Result<Value, ApiError> {
    read_envelope(http_status, body).0
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

#[cfg(test)]
mod tests {

    #[test]
    fn settlement_available_reads_the_asset_asked_about() {
        let data: Value = serde_json::from_str(
            r#"[{"assetId":"4D8C508B-91c5-375b-92b0-ee702ed2dac5","symbol":"USDT","isAvailable":false},
                {"assetId":"c6d0c728-2624-429b-8e0d-d9d19b6592fa","symbol":"BTC","isAvailable":true},
                {"assetId":"43d61dcd-e413-450d-80b8-101d5e903357","symbol":"ETH","isAvailable":"no"}]"#,
        )
        .unwrap();
        assert_eq!(settlement_available(&data, "4d8c508b-91c5-375b-92b0-ee702ed2dac5"), Some(false));
        assert_eq!(settlement_available(&data, "c6d0c728-2624-429b-8e0d-d9d19b6592fa"), Some(true));
        // Not a boolean, or not listed: MixPay did not say.
        assert_eq!(settlement_available(&data, "43d61dcd-e413-450d-80b8-101d5e903357"), None);
        assert_eq!(settlement_available(&data, "9b180ab6-6abe-3dc0-a13f-04169eb34bfa"), None);
        assert_eq!(settlement_available(&Value::Null, "x"), None);
    }

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
        // A 5xx is connection trouble whatever the body says.
        assert_eq!(
            envelope(
                500,
                r#"{"code":-1,"success":false,"message":"Server error"}"#
            ),
            Err(ApiError::Server { status: 500 })
        );
        // An error envelope about one request is an answer, not an outage.
        assert_eq!(
            envelope(
                400,
                r#"{"code":10011,"success":false,"message":"traceId does not exist"}"#
            ),
            Err(ApiError::Refused {
                code: 10011,
                message: "traceId does not exist".into()
            })
        );
        // Not an envelope: no integer code and boolean success. Never success.
        for body in [
            r#"{"code":"0","data":[]}"#,
            r#"{"code":0,"data":{"status":"success"}}"#,
            r#"{"success":true,"data":{"status":"success"}}"#,
            r#"{"code":0,"success":"true","data":{}}"#,
            r#"{"code":0.5,"success":true,"data":{}}"#,
            r#"{"data":{"status":"success"}}"#,
        ] {
            assert!(
                matches!(envelope(200, body), Err(ApiError::Malformed(_))),
                "{body}"
            );
        }
        assert_eq!(
            read_envelope(200, ok).1,
            Some(1),
            "MixPay's clock is read from every answer"
        );
        assert_eq!(read_envelope(400, refused).1, None);
    }

    fn result_of(data: &str) -> PaymentResult {
        payment_result(&format!(
            r#"{{"code":0,"success":true,"message":"","data":{data},"timestampMs":1}}"#
        ))
        .unwrap()
    }

    #[test]
    fn payment_result_accepts_numbers_and_strings() {
        let r = result_of(
            r#"{"status":"success","quoteAmount":10.5,"quoteAssetId":"usd","traceId":"t",
            "payeeId":"p","confirmations":"3","failureCode":40000,"extra":{"x":1}}"#,
        );
        assert_eq!(r.quote_amount, "10.5");
        assert_eq!(r.trace_id, "t");
        assert_eq!(r.confirmations, 3);
        assert_eq!(r.failure_code, "40000");
        assert_eq!(r.txid, "");
        assert_eq!(r.payment, None);
        assert!(payment_result(r#"{"code":0,"success":true,"data":[]}"#).is_err());
        assert_eq!(result_of("{}").confirmations, -1);
    }

    #[test]
    fn an_amount_sent_as_a_float_counts_only_if_exact() {
        // 17 significant digits: the number a float would have turned into 10.
        let r = result_of(r#"{"status":"success","quoteAmount":10.000000000000001}"#);
        assert_eq!(r.quote_amount, "", "unreadable for the verdict");
        let r = result_of(r#"{"status":"success","quoteAmount":10.00000000000000000001}"#);
        assert_eq!(r.quote_amount, "");
        let r = result_of(r#"{"status":"success","quoteAmount":"10.000000000000001"}"#);
        assert_eq!(r.quote_amount, "10.000000000000001", "a string is exact");
        let r = result_of(r#"{"status":"success","quoteAmount":12.25,"payableAmount":1e2}"#);
        assert_eq!(r.quote_amount, "12.25");
        assert_eq!(r.payable_amount, "");
    }

    #[test]
    fn underpayment_progress() {
        let r = result_of(
            r#"{"status":"pending","payableAmount":"9","payableSymbol":"USDT",
            "payment":{"isMultiPay":"1","isFullyPaid":false,"totalTransactionsAmount":"4.5"}}"#,
        );
        assert_eq!(
            r.payment,
            Some(PaymentProgress {
                is_multi_pay: true,
                is_fully_paid: Some(false),
                total_transactions_amount: "4.5".into()
            })
        );
        let r = result_of(r#"{"status":"pending","payment":{"totalTransactionsAmount":4.5}}"#);
        assert_eq!(r.payment.as_ref().unwrap().is_fully_paid, None);
        assert_eq!(r.payment.unwrap().total_transactions_amount, "4.5");
    }

    #[test]
    fn surplus_and_settlement_fields() {
        let r = result_of(
            r#"{"status":"success","surplusAmount":0.5,"surplusStatus":"pending",
            "settleAmount":"9.99","settleSymbol":"BTC","settleAsset":"c6d0c728-2624-429b-8e0d-d9d19b6592fa",
            "settleStatus":"success"}"#,
        );
        assert_eq!(r.surplus_amount, "0.5");
        assert_eq!(r.surplus_status, "pending");
        assert_eq!(r.settle_amount, "9.99");
        assert_eq!(r.settle_symbol, "BTC");
        assert_eq!(r.settle_asset, "c6d0c728-2624-429b-8e0d-d9d19b6592fa");
        // A surplus that only a float could hold is unreadable, not a number.
        let r = result_of(r#"{"status":"success","surplusAmount":1e-3,"surplusStatus":1}"#);
        assert_eq!(r.surplus_amount, "");
        assert_eq!(r.surplus_status, "1");
        let r = result_of(r#"{"status":"failed","paymentAmount":"4.5","paymentSymbol":"USDT"}"#);
        assert_eq!((r.payment_amount.as_str(), r.payment_symbol.as_str()), ("4.5", "USDT"));
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
        // A limit sent as a JSON fraction is unknown, never a float's rounding.
        let beyond: Value = serde_json::from_str(
            r#"[{"assetId":"btc","symbol":"BTC","decimalDigit":8,
                 "minQuoteAmount":0.1000000000000000055511151231257827,"maxQuoteAmount":12345678901234567.89}]"#,
        )
        .unwrap();
        let btc = &quote_assets(&beyond).unwrap()[0];
        assert_eq!((btc.min, btc.max), (None, None));
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

    #[test]
    fn an_answer_by_order_number_says_its_order_and_date() {
        let body = r#"{"code":0,"success":true,"data":{"status":"success","orderId":"T3K9QX-000002","date":"1700000000"}}"#;
        assert_eq!(order_and_date(body), ("T3K9QX-000002".into(), Some(1_700_000_000)));
        assert_eq!(order_and_date(r#"{"data":{}}"#), (String::new(), None));
    }
}
