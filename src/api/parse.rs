//! Tolerant reading of MixPay's answers: unknown fields ignored, numbers
//! accepted as strings or numbers, missing fields empty. Pure functions,
//! tested natively.
//!
//! Read through `domain::json` (the app's own reader, whose numbers keep
//! their source text), not serde_json: the same answers read the same (a
//! differential test compares both on real-shaped bodies), with no serde_json
//! in the wasm. One deliberate difference: a field read as text (`status`,
//! `traceId`, `failureCode`…) that MixPay sent as a JSON number with a
//! fraction or exponent reads as the number's own text (`1E2`, `10.50`),
//! where serde_json printed its float (`100.0`, `10.5`); whole numbers read
//! the same. Amounts never went through a float and still do not.

use super::error::ApiError;
use crate::domain::json::{self, Value};
use crate::domain::money::Amount;
use crate::domain::settings::{QuoteAsset, SettlementAsset};
use crate::domain::status::{PaymentProgress, PaymentResult};

/// Reads an answer: the `data` of a well-formed success envelope or the error
/// it stands for, and MixPay's clock (`timestampMs`) when the body carries it.
///
/// A body is an envelope only with an integer `code` and a boolean `success`;
/// anything else is unreadable (retried), never success. A 5xx or a 429 is
/// connection trouble whatever its body says.
pub fn read_envelope(http_status: u16, body: &str) -> (Result<Value, ApiError>, Option<i64>) {
    let value = json::parse(body).ok();
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

/// A field as text, whether MixPay sent a string or a number (a number as
/// written: see the module's note).
pub fn text(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::Str(s) | Value::Number(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(_) => v.as_i64(),
        Value::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// An amount field as decimal text: a string as sent, a number only when a
/// float cannot have changed it (`Amount::from_json_number`), else empty:
/// unreadable, so the answer cannot decide anything with it.
fn amount_text(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::Str(s)) => s.clone(),
        Some(Value::Number(n)) => Amount::from_json_number(n)
            .map(|a| a.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// A yes/no field sent as a boolean, 0/1, or their text.
fn flag(v: &Value, key: &str) -> Option<bool> {
    match v.get(key)? {
        Value::Bool(b) => Some(*b),
        n @ Value::Number(_) => n.as_i64().map(|n| n != 0),
        Value::Str(s) => match s.trim() {
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
    let unreadable = |why: &str| ApiError::Malformed(format!("payments_result: {why}"));
    let body = json::parse(body).map_err(|_| unreadable("not JSON"))?;
    let top = body.as_object().ok_or_else(|| unreadable("not JSON"))?;
    // A repeated `data` is refused (serde's derived reader did so).
    if top.iter().filter(|(k, _)| k == "data").count() > 1 {
        return Err(unreadable("not JSON"));
    }
    let data = match body.get("data") {
        None | Some(Value::Null) => return Err(unreadable("no data")),
        Some(data @ Value::Object(_)) => data,
        Some(_) => return Err(unreadable("data is not an object")),
    };
    let payment = data.get("payment").filter(|p| p.as_object().is_some()).map(|p| PaymentProgress {
        is_multi_pay: flag(p, "isMultiPay") == Some(true),
        is_fully_paid: flag(p, "isFullyPaid"),
        total_transactions_amount: amount_text(p, "totalTransactionsAmount"),
    });
    Ok(PaymentResult {
        status: text(data, "status"),
        trace_id: text(data, "traceId"),
        quote_amount: amount_text(data, "quoteAmount"),
        quote_symbol: text(data, "quoteSymbol"),
        quote_asset_id: text(data, "quoteAssetId"),
        payment_amount: amount_text(data, "paymentAmount"),
        payment_symbol: text(data, "paymentSymbol"),
        payee_id: text(data, "payeeId"),
        txid: text(data, "txid"),
        block_explorer_url: text(data, "blockExplorerUrl"),
        confirmations: data.get("confirmations").and_then(as_i64).unwrap_or(-1),
        payable_amount: amount_text(data, "payableAmount"),
        payable_symbol: text(data, "payableSymbol"),
        failure_code: text(data, "failureCode"),
        failure_reason: text(data, "failureReason"),
        payment,
        surplus_amount: amount_text(data, "surplusAmount"),
        surplus_status: text(data, "surplusStatus"),
        settle_amount: amount_text(data, "settleAmount"),
        settle_symbol: text(data, "settleSymbol"),
        settle_asset: text(data, "settleAsset"),
    })
}

/// The `orderId` (empty when absent) and `date` (unix seconds) of a
/// `payments_result` body already read by `payment_result`.
pub fn order_and_date(body: &str) -> (String, Option<i64>) {
    let data = json::parse(body)
        .ok()
        .and_then(|v| v.get("data").cloned())
        .unwrap_or(Value::Null);
    (text(&data, "orderId"), data.get("date").and_then(as_i64))
}

/// An amount from a `Value`: a decimal string, or a whole number from 0 to
/// `u64::MAX`. A JSON fraction is `None`, as when serde_json read these (it
/// made a float of it, and `0.1000000000000000055511151231257827` would
/// have read as `0.1`).
fn whole_or_text_amount(v: &Value, key: &str) -> Option<Amount> {
    match v.get(key)? {
        Value::Str(s) => Amount::parse(s).ok(),
        n @ Value::Number(_) => n.as_u64().map(|n| Amount::parse(&n.to_string()).ok())?,
        _ => None,
    }
}

fn items(data: &Value) -> Result<&[Value], ApiError> {
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
        let data = j(
            r#"[{"assetId":"4D8C508B-91c5-375b-92b0-ee702ed2dac5","symbol":"USDT","isAvailable":false},
                {"assetId":"c6d0c728-2624-429b-8e0d-d9d19b6592fa","symbol":"BTC","isAvailable":true},
                {"assetId":"43d61dcd-e413-450d-80b8-101d5e903357","symbol":"ETH","isAvailable":"no"}]"#,
        );
        assert_eq!(settlement_available(&data, "4d8c508b-91c5-375b-92b0-ee702ed2dac5"), Some(false));
        assert_eq!(settlement_available(&data, "c6d0c728-2624-429b-8e0d-d9d19b6592fa"), Some(true));
        // Not a boolean, or not listed: MixPay did not say.
        assert_eq!(settlement_available(&data, "43d61dcd-e413-450d-80b8-101d5e903357"), None);
        assert_eq!(settlement_available(&data, "9b180ab6-6abe-3dc0-a13f-04169eb34bfa"), None);
        assert_eq!(settlement_available(&Value::Null, "x"), None);
    }

    use super::*;

    /// A JSON text as `domain::json` reads it.
    fn j(text: &str) -> Value {
        json::parse(text).unwrap()
    }

    #[test]
    fn envelopes() {
        let ok = r#"{"code":0,"success":true,"message":"","data":{"code":"abc"},"timestampMs":1}"#;
        assert_eq!(envelope(200, ok).unwrap().get("code").and_then(Value::as_str), Some("abc"));
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
        let quotes = quote_assets(&j(r#"[
            {"assetId":"usd","symbol":"USD","decimalDigit":2,"minQuoteAmount":"0.01","maxQuoteAmount":"50000"},
            {"assetId":"jpy","symbol":"JPY","decimalDigit":"0","minQuoteAmount":1},
            {"symbol":"NOID"}
        ]"#))
        .unwrap();
        assert_eq!(quotes.len(), 2);
        assert_eq!(quotes[1].decimal_digit, 0);
        assert_eq!(quotes[1].min, Some(Amount::parse("1").unwrap()));
        assert_eq!(quotes[1].max, None);
        // A limit sent as a JSON fraction is unknown, never a float's rounding.
        let beyond = j(
            r#"[{"assetId":"btc","symbol":"BTC","decimalDigit":8,
                 "minQuoteAmount":0.1000000000000000055511151231257827,"maxQuoteAmount":12345678901234567.89}]"#,
        );
        let btc = &quote_assets(&beyond).unwrap()[0];
        assert_eq!((btc.min, btc.max), (None, None));
        let settle = settlement_assets(&j(r#"[
            {"assetId":"a","symbol":"BTC","isAvailable":false},
            {"assetId":"b","symbol":"USDT","name":"Tether USD"}
        ]"#))
        .unwrap();
        assert_eq!(settle.len(), 1);
        assert_eq!(settle[0].name, "Tether USD");
        assert!(quote_assets(&j("{}")).is_err());
    }

    #[test]
    fn codes_and_payees() {
        assert_eq!(one_time_code(&j(r#"{"code":"x-1"}"#)).unwrap(), "x-1");
        assert!(one_time_code(&j("{}")).is_err());
        assert_eq!(
            payee_id(&j(r#"{"payeeId":"3F2A9C1E-5B7D-4E8F-9A6B-1C2D3E4F5A6B"}"#)).unwrap(),
            "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b"
        );
        assert!(payee_id(&j(r#"{"payeeId":"nope"}"#)).is_err());
    }

    #[test]
    fn an_answer_by_order_number_says_its_order_and_date() {
        let body = r#"{"code":0,"success":true,"data":{"status":"success","orderId":"T3K9QX-000002","date":"1700000000"}}"#;
        assert_eq!(order_and_date(body), ("T3K9QX-000002".into(), Some(1_700_000_000)));
        assert_eq!(order_and_date(r#"{"data":{}}"#), (String::new(), None));
    }

    /// The same bodies read by serde_json (`api::parse_serde`, the reader
    /// before this one) and by `domain::json`: the same answers, errors and
    /// amounts, but for the text of a JSON number with a fraction or an
    /// exponent in a text field (the module's note), which must then be the
    /// same number.
    mod differential {
        use super::super::*;
        use crate::api::parse_serde as old;

        /// Equal, or the same number written two ways (`1E2` / `100.0`).
        fn same_text(ours: &str, theirs: &str) -> bool {
            ours == theirs
                || matches!((ours.parse::<f64>(), theirs.parse::<f64>()), (Ok(a), Ok(b)) if (a - b).abs() <= a.abs() * 1e-15)
        }

        /// `ours` is the value serde_json read (numbers: the same integer, or
        /// the same float).
        fn same_value(ours: &Value, theirs: &serde_json::Value) -> bool {
            use serde_json::Value as J;
            match (ours, theirs) {
                (Value::Null, J::Null) => true,
                (Value::Bool(a), J::Bool(b)) => a == b,
                (Value::Str(a), J::String(b)) => a == b,
                (Value::Number(text), J::Number(n)) => {
                    ours.as_i64() == n.as_i64()
                        && ours.as_u64() == n.as_u64()
                        // serde_json's float reader may be an ulp off.
                        && matches!((text.parse::<f64>(), n.as_f64()), (Ok(a), Some(b)) if (a - b).abs() <= a.abs() * 1e-15)
                }
                (Value::Array(a), J::Array(b)) => {
                    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_value(x, y))
                }
                (Value::Object(_), J::Object(b)) => {
                    let Value::Object(fields) = ours else { unreachable!() };
                    let sorted = Value::sorted_fields(fields);
                    sorted.len() == b.len()
                        && sorted.iter().zip(b).all(|((k, v), (kb, vb))| k == kb && same_value(v, vb))
                }
                _ => false,
            }
        }

        fn same_result(ours: &PaymentResult, theirs: &PaymentResult) -> bool {
            // Amounts, confirmations and the underpayment progress exactly.
            let exact = |r: &PaymentResult| {
                (
                    r.quote_amount.clone(),
                    r.payment_amount.clone(),
                    r.payable_amount.clone(),
                    r.surplus_amount.clone(),
                    r.settle_amount.clone(),
                    r.confirmations,
                    r.payment.clone(),
                )
            };
            let texts = |r: &PaymentResult| {
                [
                    r.status.clone(),
                    r.trace_id.clone(),
                    r.quote_symbol.clone(),
                    r.quote_asset_id.clone(),
                    r.payment_symbol.clone(),
                    r.payee_id.clone(),
                    r.txid.clone(),
                    r.block_explorer_url.clone(),
                    r.payable_symbol.clone(),
                    r.failure_code.clone(),
                    r.failure_reason.clone(),
                    r.surplus_status.clone(),
                    r.settle_symbol.clone(),
                    r.settle_asset.clone(),
                ]
            };
            exact(ours) == exact(theirs)
                && texts(ours).iter().zip(texts(theirs)).all(|(a, b)| same_text(a, &b))
        }

        /// Reads `body` both ways as the client does and checks they agree.
        fn agree(status: u16, body: &str) {
            let (ours, our_ms) = read_envelope(status, body);
            let (theirs, their_ms) = old::read_envelope(status, body);
            assert_eq!(our_ms, their_ms, "timestampMs of {body}");
            match (&ours, &theirs) {
                (Ok(a), Ok(b)) => assert!(same_value(a, b), "data of {body}"),
                (Err(ApiError::Refused { code: c1, message: m1 }), Err(ApiError::Refused { code: c2, message: m2 })) => {
                    assert!(c1 == c2 && same_text(m1, m2), "{body}: {ours:?} / {theirs:?}")
                }
                _ => assert_eq!(ours.as_ref().err(), theirs.as_ref().err(), "envelope of {body}"),
            }
            let (ours_r, theirs_r) = (payment_result(body), old::payment_result(body));
            if theirs.is_ok() {
                // What the client does with a success envelope.
                match (&ours_r, &theirs_r) {
                    (Ok(a), Ok(b)) => assert!(same_result(a, b), "{body}:\n{a:?}\n{b:?}"),
                    _ => assert_eq!(ours_r, theirs_r, "payments_result of {body}"),
                }
                let ((o1, d1), (o2, d2)) = (order_and_date(body), old::order_and_date(body));
                assert!(same_text(&o1, &o2) && d1 == d2, "order and date of {body}");
            } else if let Ok(a) = &ours_r {
                // Never read where serde_json could not.
                assert!(same_result(a, theirs_r.as_ref().expect("serde_json read it too")), "{body}");
            }
            if let (Ok(data), Ok(old_data)) = (&ours, &theirs) {
                agree_data(data, old_data);
            }
        }

        /// The readers of a `data` (lists, codes, payee) agree on it.
        fn agree_data(data: &Value, theirs: &serde_json::Value) {
            let quote = |q: &QuoteAsset| (q.decimal_digit, q.min, q.max);
            match (quote_assets(data), old::quote_assets(theirs)) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.len(), b.len());
                    for (x, y) in a.iter().zip(&b) {
                        assert_eq!(quote(x), quote(y));
                        assert!(same_text(&x.asset_id, &y.asset_id) && same_text(&x.symbol, &y.symbol));
                        assert!(same_text(&x.icon_url, &y.icon_url));
                    }
                }
                (a, b) => assert_eq!(a, b),
            }
            match (settlement_assets(data), old::settlement_assets(theirs)) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.len(), b.len());
                    for (x, y) in a.iter().zip(&b) {
                        assert!(same_text(&x.asset_id, &y.asset_id) && same_text(&x.symbol, &y.symbol));
                        assert!(same_text(&x.name, &y.name) && same_text(&x.icon_url, &y.icon_url));
                    }
                }
                (a, b) => assert_eq!(a, b),
            }
            for asset in ["usd", "4d8c508b-91c5-375b-92b0-ee702ed2dac5", "c6d0c728-2624-429b-8e0d-d9d19b6592fa", "100"] {
                assert_eq!(settlement_available(data, asset), old::settlement_available(theirs, asset));
            }
            match (one_time_code(data), old::one_time_code(theirs)) {
                (Ok(a), Ok(b)) => assert!(same_text(&a, &b)),
                (a, b) => assert_eq!(a, b),
            }
            assert_eq!(payee_id(data), old::payee_id(theirs));
        }

        fn envelope_of(data: &str) -> String {
            format!(r#"{{"code":0,"success":true,"message":"","data":{data},"timestampMs":1765080000123}}"#)
        }

        /// A `payments_result` as the simulator (`sim/src/payments.rs`) answers
        /// it, with `with=payment,transactions`.
        fn sim_result(status: &str, fields: &[(&str, &str)]) -> String {
            let mut data: Vec<(String, String)> = [
                ("status", format!("\"{status}\"")),
                ("traceId", "\"0b7b4a2e-6d1c-4c1e-9a47-3f1b2c3d4e5f\"".into()),
                ("orderId", "\"T3K9QX-000127\"".into()),
                ("quoteAmount", "\"14.2\"".into()),
                ("quoteSymbol", "\"USD\"".into()),
                ("quoteAssetId", "\"usd\"".into()),
                ("paymentAmount", "\"14.203871\"".into()),
                ("paymentSymbol", "\"USDT\"".into()),
                ("paymentAssetId", "\"4d8c508b-91c5-375b-92b0-ee702ed2dac5\"".into()),
                ("payee", "\"Corner Cafe\"".into()),
                ("payeeId", "\"3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b\"".into()),
                ("payeeMixinNumber", "\"40053095\"".into()),
                ("txid", "\"0x9f8e7d6c5b4a\"".into()),
                ("blockExplorerUrl", "\"https://etherscan.io/tx/0x9f8e7d6c5b4a\"".into()),
                ("date", "1765080000".into()),
                ("surplusAmount", "\"0\"".into()),
                ("surplusStatus", "\"no\"".into()),
                ("confirmations", "-1".into()),
                ("payableAmount", "\"14.203871\"".into()),
                ("payableSymbol", "\"USDT\"".into()),
                ("failureCode", "\"0\"".into()),
                ("failureReason", "\"\"".into()),
                ("settleStatus", "\"success\"".into()),
                ("settleAmount", "\"14.2\"".into()),
                ("settleSymbol", "\"USDT\"".into()),
                ("settleAsset", "\"4d8c508b-91c5-375b-92b0-ee702ed2dac5\"".into()),
                ("remark", "\"Table 4 \\u00e9\\ud83d\\ude00\"".into()),
                ("expiredTimestamp", "1765080900".into()),
                ("payment", r#"{"isMultiPay":false,"isFullyPaid":true,"totalTransactionsAmount":"14.203871"}"#.into()),
                (
                    "transactions",
                    r#"[{"paymentAmount":"14.203871","paymentAssetSymbol":"USDT","confirmations":12,"requiredConfirms":12,"txid":"0x9f8e7d6c5b4a","blockExplorerUrl":"https://etherscan.io/tx/0x9f8e7d6c5b4a","broadcastAt":1765080000}]"#.into(),
                ),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
            for (k, v) in fields {
                match data.iter_mut().find(|(key, _)| key == k) {
                    Some(field) if *v == "<omit>" => field.1.clear(),
                    Some(field) => field.1 = v.to_string(),
                    None => data.push((k.to_string(), v.to_string())),
                }
            }
            let inner: Vec<String> =
                data.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("\"{k}\":{v}")).collect();
            envelope_of(&format!("{{{}}}", inner.join(",")))
        }

        /// What an amount or a text field may hold.
        const ODD: &[&str] = &[
            "\"0.010013\"", "0.010013", "\"10.000000000000001\"", "10.000000000000001", "10.00000000000000000001",
            "\"123456789012.345678901234\"", "123456789012.345", "1234567890123456", "12345678901234567.89",
            "0.1000000000000000055511151231257827", "\"0.1000000000000000055511151231257827\"", "1e2", "1E-3",
            "-0", "0", "-1", "\"-1\"", "10.50", "\"10.50\"", "18446744073709551615", "18446744073709551616",
            "-9223372036854775808", "-9223372036854775809", "1e308", "null", "true", "false", "\"\"", "\" 3 \"",
            "\"abc\"", "[]", "[\"1\"]", "{}", "{\"value\":\"1\"}", "\"\\u0031\\u002e5\"", "<omit>",
        ];

        #[test]
        fn simulator_answers_read_the_same() {
            let mut bodies = vec![];
            for status in ["unpaid", "pending", "success", "failed", "auditing", "processing"] {
                bodies.push(sim_result(status, &[]));
                bodies.push(sim_result(status, &[("payment", "<omit>"), ("transactions", "<omit>")]));
                bodies.push(sim_result(
                    status,
                    &[
                        ("payment", r#"{"isMultiPay":true,"isFullyPaid":false,"totalTransactionsAmount":"4.5"}"#),
                        ("confirmations", "3"),
                        ("failureCode", "\"40000\""),
                        ("failureReason", "\"Payment overtime\""),
                        ("surplusAmount", "\"0.5\""),
                        ("surplusStatus", "\"pending\""),
                    ],
                ));
            }
            let fields = [
                "quoteAmount", "paymentAmount", "payableAmount", "surplusAmount", "settleAmount", "status",
                "traceId", "quoteSymbol", "quoteAssetId", "paymentSymbol", "payeeId", "txid", "blockExplorerUrl",
                "payableSymbol", "failureCode", "failureReason", "surplusStatus", "settleSymbol", "settleAsset",
                "confirmations", "orderId", "date", "payment",
            ];
            for field in fields {
                for odd in ODD {
                    bodies.push(sim_result("success", &[(field, odd)]));
                }
            }
            for key in ["isMultiPay", "isFullyPaid", "totalTransactionsAmount"] {
                for odd in ODD.iter().chain(&["1", "2", "1.0", "\"true\"", "\"1\"", "\"0\"", "\"yes\"", "\" true \""]) {
                    let payment = if *odd == "<omit>" { "{}".to_string() } else { format!(r#"{{"{key}":{odd}}}"#) };
                    bodies.push(sim_result("pending", &[("payment", &payment)]));
                }
            }
            // Repeated keys: the last counts; a repeated `data` is refused.
            bodies.push(sim_result("success", &[("quoteAmount", r#""1","quoteAmount":"14.2""#)]));
            bodies.push(sim_result("success", &[("status", r#""pending","status":"success""#)]));
            bodies.push(envelope_of(r#"{"status":"success"},"data":{"status":"pending"}"#));
            // Data that is not an object.
            for data in ["null", "[]", "[{\"status\":\"success\"}]", "\"success\"", "0", "true"] {
                bodies.push(envelope_of(data));
            }
            bodies.push(r#"{"code":0,"success":true,"message":""}"#.into());
            for body in &bodies {
                agree(200, body);
            }
            assert!(bodies.len() > 900);
        }

        #[test]
        fn envelopes_and_errors_read_the_same() {
            let mut bodies: Vec<String> = vec![];
            for code in ["0", "-1", "1429", "10001", "10034", "40022", "\"0\"", "0.0", "1e3", "-0", "null", "9223372036854775808"] {
                for success in ["true", "false", "\"true\"", "1", "null"] {
                    for message in ["\"\"", "\"User does not exist\"", "1.5", "null", "{}"] {
                        bodies.push(format!(
                            r#"{{"code":{code},"success":{success},"message":{message},"data":[],"timestampMs":1765080000123}}"#
                        ));
                    }
                }
            }
            for ms in ["1765080000123", "\"1765080000123\"", "1.7e12", "-5", "null", "9223372036854775808"] {
                bodies.push(format!(r#"{{"code":0,"success":true,"data":{{"code":"525502dd"}},"timestampMs":{ms}}}"#));
            }
            bodies.extend(
                [
                    "", " ", "null", "[1,2]", "\"ok\"", "<html>Bad gateway</html>", "Too Many Requests",
                    "{\"code\":0,\"success\":tru<html>garbage", r#"{"code":0,"success":true}"#,
                    r#"{"code":0,"success":true,"data":{"code":"x-1"}} trailing"#, "\u{feff}{\"code\":0,\"success\":true}",
                ]
                .map(String::from),
            );
            // One-time codes and payees.
            for data in [
                r#"{"code":"525502dd-e552-4505-b114-32fe32ff23c2"}"#, r#"{"code":12345}"#, r#"{"code":1.5}"#,
                r#"{"code":"  "}"#, r#"{"code":null}"#, r#"{}"#, "[]",
                r#"{"payeeId":"3F2A9C1E-5B7D-4E8F-9A6B-1C2D3E4F5A6B"}"#, r#"{"payeeId":"nope"}"#, r#"{"payeeId":7}"#,
            ] {
                bodies.push(envelope_of(data));
            }
            // Asset lists as the simulator and MixPay send them, and odd ones.
            bodies.push(envelope_of(
                r#"[{"assetId":"usd","symbol":"USD","iconUrl":"https://x/usd.png","decimalDigit":2,"minQuoteAmount":"0.01","maxQuoteAmount":"50000","isAsset":0,"chainAsset":{"id":"","symbol":"","name":"","iconUrl":""}},
                    {"assetId":"C6D0C728-2624-429b-8e0d-d9d19b6592fa","symbol":"BTC","decimalDigit":8,"minQuoteAmount":0.00001,"maxQuoteAmount":12345678901234567.89,"isAsset":1},
                    {"assetId":"jpy","symbol":"JPY","decimalDigit":"0","minQuoteAmount":1,"maxQuoteAmount":18446744073709551616},
                    {"assetId":"eur","symbol":"EUR","decimalDigit":-3,"minQuoteAmount":"x","maxQuoteAmount":null},
                    {"assetId":"gbp","symbol":"GBP","decimalDigit":99.5,"minQuoteAmount":true},
                    {"assetId":100,"symbol":1.5e1},{"symbol":"NOID"},{"assetId":"x"},7,"s",null]"#,
            ));
            bodies.push(envelope_of(
                r#"[{"assetId":"4D8C508B-91c5-375b-92b0-ee702ed2dac5","name":"Tether USD","symbol":"USDT","iconUrl":"u","network":"ERC20","isAsset":1,"isAvailable":false},
                    {"assetId":"c6d0c728-2624-429b-8e0d-d9d19b6592fa","symbol":"BTC","isAvailable":true},
                    {"assetId":"43d61dcd-e413-450d-80b8-101d5e903357","symbol":"ETH","isAvailable":"no"},
                    {"assetId":"usd","symbol":"USD","isAvailable":0},{"assetId":"usd","symbol":"USD2","isAvailable":null}]"#,
            ));
            for body in &bodies {
                for status in [200, 400, 429, 500, 502] {
                    agree(status, body);
                }
            }
        }

        #[test]
        fn cut_and_garbled_answers_read_the_same() {
            let full = sim_result(
                "pending",
                &[("payment", r#"{"isMultiPay":true,"isFullyPaid":false,"totalTransactionsAmount":4.5}"#), ("quoteAmount", "14.2")],
            );
            let error = r#"{"code":10001,"success":false,"message":"User does not exist","data":[],"timestampMs":1765080000123}"#;
            for body in [full.as_str(), error] {
                for cut in 0..body.len() {
                    agree(200, &body[..cut]);
                }
                for at in 0..body.len() {
                    for slip in ["\"", "}", "]", ",", "0", "x", "\\", " ", "-", "."] {
                        let mut garbled = body.to_string();
                        garbled.replace_range(at..at + 1, slip);
                        agree(200, &garbled);
                    }
                }
            }
        }
    }
}
