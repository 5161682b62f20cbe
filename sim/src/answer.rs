//! How `payments_result` answers: what the `with` parameter adds, and the
//! overrides a test sets on a payment to try the client's strictness (another
//! `traceId`, fields sent as JSON numbers, fields left out).

use crate::envelope::ApiError;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The `with` parameter: `payment`, `transactions` or `payment,transactions`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct With {
    /// `data.payment`: `isMultiPay`, `isFullyPaid`, `totalTransactionsAmount`.
    pub payment: bool,
    /// `data.transactions[]`: one item per transfer by the payer.
    pub transactions: bool,
}

impl With {
    pub const ALL: With = With {
        payment: true,
        transactions: true,
    };

    /// Parts other than `payment` and `transactions` are ignored.
    pub fn parse(text: Option<&str>) -> With {
        let parts: Vec<&str> = text.unwrap_or("").split(',').map(str::trim).collect();
        With {
            payment: parts.contains(&"payment"),
            transactions: parts.contains(&"transactions"),
        }
    }
}

/// How a payment's answers differ from what MixPay would send, for tests of
/// the client. Empty = the normal full answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnswerOverrides {
    /// Sent as the answer's `traceId` instead of the sale's.
    pub answer_trace_id: Option<String>,
    /// Fields (`quoteAmount`, or a path like `payment.totalTransactionsAmount`)
    /// sent as JSON numbers written with exactly the digits of their text.
    pub answer_numbers: Vec<String>,
    /// Fields (a key or a path) left out of the answer.
    pub answer_omit: Vec<String>,
}

pub const OVERRIDE_FIELDS: [&str; 3] = ["answerTraceId", "answerNumbers", "answerOmit"];

fn names(body: &Map<String, Value>, key: &str) -> Result<Vec<String>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(vec![]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v.as_str().map(str::trim) {
                Some(name) if !name.is_empty() => Ok(name.to_string()),
                _ => Err(ApiError::param(format!("{key} holds field names"))),
            })
            .collect(),
        Some(_) => Err(ApiError::param(format!("{key} is a list of field names"))),
    }
}

impl AnswerOverrides {
    /// Whether a control body says anything about the answer.
    pub fn given_in(body: &Map<String, Value>) -> bool {
        OVERRIDE_FIELDS.iter().any(|k| body.contains_key(*k))
    }

    /// The overrides of a control body; fields it leaves out are empty.
    pub fn from_body(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let answer_trace_id = match body.get("answerTraceId") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(ApiError::param("answerTraceId is a string")),
        };
        Ok(AnswerOverrides {
            answer_trace_id,
            answer_numbers: names(body, "answerNumbers")?,
            answer_omit: names(body, "answerOmit")?,
        })
    }

    /// `data` as this payment's answers show it.
    pub fn apply(&self, mut data: Value) -> Shaped {
        if let (Some(trace), Some(object)) = (&self.answer_trace_id, data.as_object_mut()) {
            object.insert("traceId".into(), Value::String(trace.clone()));
        }
        for path in &self.answer_omit {
            omit(&mut data, &path.split('.').collect::<Vec<_>>());
        }
        let numbers: Vec<Vec<&str>> = self
            .answer_numbers
            .iter()
            .map(|p| p.split('.').collect())
            .collect();
        shape(data, &numbers)
    }
}

/// Removes the field at `path`; through a list, from each of its items.
fn omit(value: &mut Value, path: &[&str]) {
    match (value, path) {
        (Value::Array(items), _) => items.iter_mut().for_each(|v| omit(v, path)),
        (Value::Object(object), [key]) => {
            object.remove(*key);
        }
        (Value::Object(object), [key, rest @ ..]) => {
            if let Some(inner) = object.get_mut(*key) {
                omit(inner, rest);
            }
        }
        _ => {}
    }
}

/// The JSON number written exactly as `text`, if `text` is one.
fn raw_number(text: &str) -> Option<Box<RawValue>> {
    if text.trim() != text || serde_json::from_str::<serde_json::Number>(text).is_err() {
        return None;
    }
    RawValue::from_string(text.to_string()).ok()
}

/// A JSON value in which some numbers are written from their decimal text, so
/// no digit is lost to a float (`10.000000000000001` stays that).
#[derive(Debug)]
pub enum Shaped {
    Value(Value),
    Number(Box<RawValue>),
    Object(BTreeMap<String, Shaped>),
    Array(Vec<Shaped>),
}

impl Serialize for Shaped {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Shaped::Value(v) => v.serialize(s),
            Shaped::Number(n) => n.serialize(s),
            Shaped::Object(o) => o.serialize(s),
            Shaped::Array(a) => a.serialize(s),
        }
    }
}

/// Turns the text fields at `paths` into JSON numbers; a path through a list
/// applies to each of its items. Text that is not a number stays text.
fn shape(value: Value, paths: &[Vec<&str>]) -> Shaped {
    if paths.is_empty() {
        return Shaped::Value(value);
    }
    match value {
        Value::Array(items) => Shaped::Array(items.into_iter().map(|v| shape(v, paths)).collect()),
        Value::Object(object) => Shaped::Object(
            object
                .into_iter()
                .map(|(key, v)| {
                    let here: Vec<&[&str]> = paths
                        .iter()
                        .filter(|p| p.first() == Some(&key.as_str()))
                        .map(|p| &p[1..])
                        .collect();
                    let field = if here.iter().any(|rest| rest.is_empty()) {
                        match v.as_str().and_then(raw_number) {
                            Some(n) => Shaped::Number(n),
                            None => Shaped::Value(v),
                        }
                    } else {
                        let inner: Vec<Vec<&str>> = here.iter().map(|r| r.to_vec()).collect();
                        shape(v, &inner)
                    };
                    (key, field)
                })
                .collect(),
        ),
        other => Shaped::Value(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn with_is_a_comma_list() {
        assert_eq!(With::parse(None), With::default());
        assert_eq!(
            With::parse(Some("payment")),
            With {
                payment: true,
                transactions: false
            }
        );
        assert_eq!(With::parse(Some("payment, transactions")), With::ALL);
        assert!(!With::parse(Some("transactions,other")).payment);
    }

    #[test]
    fn numbers_keep_every_digit_and_omitted_fields_go() {
        let overrides = AnswerOverrides {
            answer_trace_id: Some("other".into()),
            answer_numbers: vec![
                "quoteAmount".into(),
                "payment.totalTransactionsAmount".into(),
                "transactions.paymentAmount".into(),
                "quoteSymbol".into(),
            ],
            answer_omit: vec!["payeeId".into(), "payment.isMultiPay".into()],
        };
        let data = json!({
            "traceId": "mine", "quoteAmount": "10.000000000000001", "quoteSymbol": "USD",
            "payeeId": "p", "payment": {"isMultiPay": false, "totalTransactionsAmount": "0.10"},
            "transactions": [{"paymentAmount": "-1"}, {"paymentAmount": "2.50"}],
        });
        let text = serde_json::to_string(&overrides.apply(data)).unwrap();
        assert_eq!(
            text,
            r#"{"payment":{"totalTransactionsAmount":0.10},"quoteAmount":10.000000000000001,"quoteSymbol":"USD","traceId":"other","transactions":[{"paymentAmount":-1},{"paymentAmount":2.50}]}"#
        );
        let none = AnswerOverrides::default().apply(json!({"quoteAmount": "1"}));
        assert_eq!(
            serde_json::to_string(&none).unwrap(),
            r#"{"quoteAmount":"1"}"#
        );
    }

    #[test]
    fn overrides_from_a_control_body() {
        let body = json!({"answerNumbers": ["quoteAmount"], "answerTraceId": "t"});
        let o = AnswerOverrides::from_body(body.as_object().unwrap()).unwrap();
        assert_eq!(o.answer_trace_id.as_deref(), Some("t"));
        assert_eq!(o.answer_numbers, ["quoteAmount"]);
        assert!(o.answer_omit.is_empty());
        let bad = json!({"answerOmit": "payeeId"});
        assert!(AnswerOverrides::from_body(bad.as_object().unwrap()).is_err());
        assert!(!AnswerOverrides::given_in(
            json!({"traceId": "x"}).as_object().unwrap()
        ));
    }
}
