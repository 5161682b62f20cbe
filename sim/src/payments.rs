//! Payments as MixPay keeps them: what the merchant asked for, what the payer
//! paid, and the status that follows from both and from the clock.

use crate::assets::{self, Asset};
use crate::envelope::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::str::FromStr;

/// Confirmations a payment goes through while `pending`.
pub const CONFIRMATIONS: i64 = 3;
/// Expiry bounds of MixPay: 10 s to 2880 min ahead.
const MIN_EXPIRY_S: i64 = 10;
const MAX_EXPIRY_S: i64 = 2880 * 60;

/// The merchant's side of a payment: a one-time payment's body or a pay link's query.
#[derive(Clone, Debug, PartialEq)]
pub struct PaymentRequest {
    pub payee_id: String,
    pub trace_id: Option<String>,
    pub order_id: Option<String>,
    pub quote_asset_id: String,
    /// `None` lets the payer type the amount (pay link only).
    pub quote_amount: Option<Decimal>,
    pub settlement_asset_id: Option<String>,
    pub strict: bool,
    pub remark: String,
    pub settlement_memo: String,
    pub expired_timestamp: Option<i64>,
    pub return_to: Option<String>,
    pub failed_return_to: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    OneTime,
    PayLink,
}

fn is_uuid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok() && s.len() == 36
}

fn is_order_id(s: &str) -> bool {
    (6..=36).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn parse_bool(s: &str) -> Result<bool, ApiError> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" | "0" | "false" => Ok(false),
        "1" | "true" => Ok(true),
        _ => Err(ApiError::param("strictMode must be 0/1 or true/false")),
    }
}

/// A decimal quote amount within the quote asset's places and limits.
pub fn parse_quote_amount(text: &str, quote: &Asset) -> Result<Decimal, ApiError> {
    let text = text.trim();
    let valid_form = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && text.bytes().filter(|b| *b == b'.').count() <= 1;
    let amount = Decimal::from_str(text)
        .ok()
        .filter(|_| valid_form)
        .ok_or_else(|| ApiError::param(format!("quoteAmount {text:?} is not a decimal number")))?;
    if amount <= Decimal::ZERO {
        return Err(ApiError::param("quoteAmount must be above zero"));
    }
    if amount.normalize().scale() > quote.decimal_digit {
        return Err(ApiError::param(format!(
            "quoteAmount has more than {} decimal places for {}",
            quote.decimal_digit, quote.symbol
        )));
    }
    if amount < quote.min() {
        return Err(ApiError::new(
            PRICE_TOO_LOW,
            format!(
                "Price too low: the minimum is {} {}",
                quote.min_quote, quote.symbol
            ),
        ));
    }
    if amount > quote.max() {
        return Err(ApiError::new(
            PRICE_TOO_HIGH,
            format!(
                "Price too high: the maximum is {} {}",
                quote.max_quote, quote.symbol
            ),
        ));
    }
    Ok(amount)
}

impl PaymentRequest {
    /// Validates parameters as MixPay does. `params` holds every value as text
    /// (query string, form body, or JSON values turned into text).
    pub fn parse(
        params: &HashMap<String, String>,
        flow: Flow,
        now_ms: i64,
    ) -> Result<PaymentRequest, ApiError> {
        let get = |k: &str| params.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
        let required = |k: &str| get(k).ok_or_else(|| ApiError::param(format!("{k} is required")));

        let payee_id = required("payeeId")?;
        if !is_uuid(payee_id) {
            return Err(ApiError::param("payeeId must be a UUID"));
        }
        if assets::find_payee(payee_id).is_none() {
            return Err(ApiError::new(USER_NOT_FOUND, "User does not exist"));
        }
        let trace_id = get("traceId").map(str::to_string);
        let order_id = get("orderId").map(str::to_string);
        match (&trace_id, &order_id) {
            (None, None) => return Err(ApiError::param("traceId or orderId is required")),
            (Some(t), _) if !is_uuid(t) => return Err(ApiError::param("traceId must be a UUID")),
            (_, Some(o)) if !is_order_id(o) => {
                return Err(ApiError::param("orderId must be 6-36 of A-Z a-z 0-9 _ -"))
            }
            _ => {}
        }

        let quote_asset_id = match flow {
            Flow::OneTime => required("quoteAssetId")?,
            // A pay link without one is quoted in USD here.
            Flow::PayLink => get("quoteAssetId").unwrap_or("usd"),
        };
        let quote = assets::find(quote_asset_id)
            .ok_or_else(|| ApiError::new(QUOTE_NOT_SUPPORTED, "Quote asset not supported"))?;
        let quote_amount = match (flow, get("quoteAmount")) {
            (_, Some(text)) => Some(parse_quote_amount(text, quote)?),
            (Flow::OneTime, None) => return Err(ApiError::param("quoteAmount is required")),
            (Flow::PayLink, None) => None,
        };

        let settlement_asset_id = match flow {
            Flow::OneTime => Some(required("settlementAssetId")?),
            Flow::PayLink => get("settlementAssetId"),
        };
        if let Some(id) = settlement_asset_id {
            if !assets::find(id).is_some_and(|a| a.settles) {
                return Err(ApiError::new(
                    CURRENCY_NOT_SUPPORTED,
                    "Currency not supported",
                ));
            }
        }

        let strict = parse_bool(get("strictMode").unwrap_or(""))?;
        let remark = get("remark").unwrap_or("").to_string();
        if remark.chars().count() > 50 {
            return Err(ApiError::param("remark must be at most 50 characters"));
        }
        let settlement_memo = get("settlementMemo").unwrap_or("").to_string();
        if settlement_memo.chars().count() > 200 {
            return Err(ApiError::param(
                "settlementMemo must be at most 200 characters",
            ));
        }

        let expired_timestamp = match get("expiredTimestamp") {
            None => None,
            Some(text) => {
                let ts: i64 = text
                    .parse()
                    .map_err(|_| ApiError::param("expiredTimestamp must be unix seconds"))?;
                let ahead = ts - now_ms / 1000;
                // A pay link may be opened late: only a one-time payment must be
                // created at least 10 s ahead; both are bounded by 2880 minutes.
                if ahead > MAX_EXPIRY_S || (flow == Flow::OneTime && ahead < MIN_EXPIRY_S) {
                    return Err(ApiError::param(
                        "expiredTimestamp must be 10 seconds to 2880 minutes ahead",
                    ));
                }
                Some(ts)
            }
        };

        Ok(PaymentRequest {
            payee_id: payee_id.to_ascii_lowercase(),
            trace_id,
            order_id,
            quote_asset_id: quote.id.to_string(),
            quote_amount,
            settlement_asset_id: settlement_asset_id.map(|s| s.to_ascii_lowercase()),
            strict,
            remark,
            settlement_memo,
            expired_timestamp,
            return_to: get("returnTo").map(str::to_string),
            failed_return_to: get("failedReturnTo").map(str::to_string),
        })
    }

    /// The key payments are stored under: the traceId, or payee + orderId.
    pub fn key(&self) -> String {
        match (&self.trace_id, &self.order_id) {
            (Some(t), _) => t.to_ascii_lowercase(),
            (None, Some(o)) => order_key(&self.payee_id, o),
            (None, None) => unreachable!("parse requires one of them"),
        }
    }

    pub fn quote(&self) -> &'static Asset {
        assets::find(&self.quote_asset_id).expect("validated on parse")
    }

    /// What the payer pays with when nothing else is said: the settlement
    /// asset, or USDT.
    pub fn default_payment_asset(&self) -> &'static Asset {
        self.settlement_asset_id
            .as_deref()
            .and_then(assets::find)
            .unwrap_or_else(|| assets::find(assets::USDT).expect("USDT is in the table"))
    }
}

pub fn order_key(payee_id: &str, order_id: &str) -> String {
    format!("order:{}:{}", payee_id.to_ascii_lowercase(), order_id)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failed,
    Underpaid,
}

impl FromStr for Outcome {
    type Err = ApiError;
    fn from_str(s: &str) -> Result<Self, ApiError> {
        match s {
            "success" => Ok(Outcome::Success),
            "failed" => Ok(Outcome::Failed),
            "underpaid" => Ok(Outcome::Underpaid),
            _ => Err(ApiError::param(
                "outcome must be success, failed or underpaid",
            )),
        }
    }
}

/// How the payer pays: fields left `None` pay exactly what was asked.
#[derive(Clone, Debug, Default)]
pub struct PayOrder {
    pub outcome: Option<Outcome>,
    pub quote_amount: Option<Decimal>,
    pub quote_asset_id: Option<String>,
    pub payee_id: Option<String>,
    pub payment_asset_id: Option<String>,
    pub failure_code: Option<i64>,
    pub delay_ms: i64,
}

/// One payment by the payer, as MixPay recorded it.
#[derive(Clone, Debug)]
pub struct Attempt {
    pub outcome: Outcome,
    pub quote_amount: Decimal,
    pub quote_asset_id: String,
    pub payee_id: String,
    pub payment_asset_id: String,
    pub payment_amount: Decimal,
    /// Still owed after an underpayment, in the payment asset.
    pub payable_amount: Decimal,
    pub failure_code: i64,
    pub at_ms: i64,
    pub delay_ms: i64,
    pub txid: String,
}

#[derive(Clone, Debug)]
pub struct Payment {
    pub request: PaymentRequest,
    pub code: Option<String>,
    pub created_ms: i64,
    pub attempts: Vec<Attempt>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Unpaid,
    Pending { confirmations: i64 },
    PaidLess,
    Success,
    Failed { code: i64 },
}

impl Status {
    pub fn name(&self) -> &'static str {
        match self {
            Status::Unpaid => "unpaid",
            Status::Pending { .. } => "pending",
            Status::PaidLess => "paid_less",
            Status::Success => "success",
            Status::Failed { .. } => "failed",
        }
    }
}

impl Payment {
    pub fn new(request: PaymentRequest, code: Option<String>, now_ms: i64) -> Self {
        Payment {
            request,
            code,
            created_ms: now_ms,
            attempts: vec![],
        }
    }

    fn expired(&self, now_ms: i64) -> bool {
        self.request
            .expired_timestamp
            .is_some_and(|ts| now_ms >= ts * 1000)
    }

    pub fn status(&self, now_ms: i64) -> Status {
        let Some(last) = self.attempts.last() else {
            return if self.expired(now_ms) {
                Status::Failed {
                    code: FAIL_OVERTIME,
                }
            } else {
                Status::Unpaid
            };
        };
        let elapsed = now_ms - last.at_ms;
        if elapsed < last.delay_ms {
            let confirmations =
                (elapsed * CONFIRMATIONS / last.delay_ms.max(1)).min(CONFIRMATIONS - 1);
            return Status::Pending { confirmations };
        }
        match last.outcome {
            Outcome::Success => Status::Success,
            Outcome::Failed => Status::Failed {
                code: last.failure_code,
            },
            // An underpaid payment that expires without a top-up fails.
            Outcome::Underpaid if self.expired(now_ms) => Status::Failed {
                code: FAIL_OVERTIME,
            },
            Outcome::Underpaid => Status::PaidLess,
        }
    }

    /// Records a payment by the payer, or refuses it as MixPay would.
    pub fn pay(&mut self, order: PayOrder, now_ms: i64) -> Result<(), ApiError> {
        match self.status(now_ms) {
            Status::Unpaid | Status::PaidLess => {}
            Status::Pending { .. } | Status::Success => {
                return Err(ApiError::new(
                    FAIL_DOUBLE_PAYMENT,
                    failure_reason(FAIL_DOUBLE_PAYMENT),
                ))
            }
            Status::Failed { code } => return Err(ApiError::new(code, failure_reason(code))),
        }
        let req = &self.request;
        let quote_asset_id = order
            .quote_asset_id
            .clone()
            .unwrap_or_else(|| req.quote_asset_id.clone());
        let quote = assets::find(&quote_asset_id)
            .ok_or_else(|| ApiError::new(QUOTE_NOT_SUPPORTED, "Quote asset not supported"))?;
        let quote_amount = order
            .quote_amount
            .or(req.quote_amount)
            .ok_or_else(|| ApiError::param("the payer must give an amount: the link has none"))?;
        let payment_asset = match &order.payment_asset_id {
            Some(id) => assets::find(id)
                .filter(|a| a.payable)
                .ok_or_else(|| ApiError::new(CURRENCY_NOT_SUPPORTED, "Currency not supported"))?,
            None => req.default_payment_asset(),
        };
        let owed = quote.convert(quote_amount, payment_asset);
        let outcome = order.outcome.unwrap_or(Outcome::Success);
        let (payment_amount, payable_amount) = match outcome {
            Outcome::Underpaid => {
                let paid = (owed / Decimal::TWO).round_dp(payment_asset.decimal_digit.max(2));
                (paid, owed - paid)
            }
            _ => (owed, Decimal::ZERO),
        };
        self.attempts.push(Attempt {
            outcome,
            quote_amount,
            quote_asset_id: quote.id.to_string(),
            payee_id: order.payee_id.unwrap_or_else(|| req.payee_id.clone()),
            payment_asset_id: payment_asset.id.to_string(),
            payment_amount,
            payable_amount,
            failure_code: order.failure_code.unwrap_or(FAIL_VOLATILITY),
            at_ms: now_ms,
            delay_ms: order.delay_ms.max(0),
            txid: uuid::Uuid::new_v4().simple().to_string(),
        });
        Ok(())
    }

    /// `data` of `payments_result`.
    pub fn result_json(&self, now_ms: i64) -> Value {
        let req = &self.request;
        let status = self.status(now_ms);
        let last = self.attempts.last();
        let quote = last
            .and_then(|a| assets::find(&a.quote_asset_id))
            .unwrap_or_else(|| req.quote());
        let payee_id = last.map_or(req.payee_id.as_str(), |a| a.payee_id.as_str());
        let payee = assets::find_payee(payee_id);
        let payment_asset = last.and_then(|a| assets::find(&a.payment_asset_id));
        let settle = req
            .settlement_asset_id
            .as_deref()
            .and_then(assets::find)
            .or(payment_asset);
        let (failure_code, failure_reason) = match status {
            Status::Failed { code } => (json!(code), json!(failure_reason(code))),
            _ => (json!(""), json!("")),
        };
        let confirmations = match status {
            Status::Pending { confirmations } => confirmations,
            _ => -1,
        };
        let quote_amount = last
            .map(|a| a.quote_amount)
            .or(req.quote_amount)
            .map(|d| d.to_string())
            .unwrap_or_default();
        let paid = last.filter(|_| !matches!(status, Status::Unpaid));
        let settle_amount = match (&status, settle, paid) {
            (Status::Success, Some(s), Some(a)) => quote.convert(a.quote_amount, s).to_string(),
            _ => String::new(),
        };
        json!({
            "status": status.name(),
            "traceId": req.trace_id.clone().unwrap_or_default(),
            "orderId": req.order_id.clone().unwrap_or_default(),
            "quoteAmount": quote_amount,
            "quoteSymbol": quote.symbol,
            "quoteAssetId": quote.id,
            "paymentAmount": paid.map(|a| a.payment_amount.to_string()).unwrap_or_default(),
            "paymentSymbol": payment_asset.map(|a| a.symbol).unwrap_or_default(),
            "paymentAssetId": payment_asset.map(|a| a.id).unwrap_or_default(),
            "payee": payee.map(|p| p.name).unwrap_or_default(),
            "payeeId": payee_id,
            "payeeMixinNumber": payee.map(|p| p.mixin_number).unwrap_or_default(),
            "txid": paid.map(|a| a.txid.clone()).unwrap_or_default(),
            "blockExplorerUrl": paid
                .map(|a| format!("https://viewblock.io/mixin/tx/{}", a.txid))
                .unwrap_or_default(),
            "date": paid.map_or(self.created_ms, |a| a.at_ms) / 1000,
            "surplusAmount": "0",
            "surplusStatus": "no",
            "confirmations": confirmations,
            "payableAmount": if status == Status::PaidLess {
                paid.map(|a| a.payable_amount.to_string()).unwrap_or_default()
            } else {
                String::new()
            },
            "payableSymbol": payment_asset.map(|a| a.symbol).unwrap_or_default(),
            "failureCode": failure_code,
            "failureReason": failure_reason,
            "settleStatus": if status == Status::Success { "success" } else { "unpaid" },
            "settleAmount": settle_amount,
            "settleSymbol": settle.map(|a| a.symbol).unwrap_or_default(),
            "remark": req.remark,
            "expiredTimestamp": req.expired_timestamp.unwrap_or(0),
        })
    }
}

/// All payments of one simulator, by key, with one-time codes pointing at keys.
#[derive(Default)]
pub struct Ledger {
    pub payments: HashMap<String, Payment>,
    pub codes: HashMap<String, String>,
}

impl Ledger {
    /// Creates a one-time payment, or returns the code of the same one made
    /// before (a retried POST); a traceId reused with other values is refused.
    pub fn create_one_time(
        &mut self,
        request: PaymentRequest,
        now_ms: i64,
    ) -> Result<String, ApiError> {
        let key = request.key();
        if let Some(existing) = self.payments.get(&key) {
            return match (&existing.code, existing.request == request) {
                (Some(code), true) => Ok(code.clone()),
                _ => Err(ApiError::new(
                    DUPLICATE_TRACE,
                    "traceId or orderId already used",
                )),
            };
        }
        let code = uuid::Uuid::new_v4().to_string();
        self.codes.insert(code.clone(), key.clone());
        self.payments
            .insert(key, Payment::new(request, Some(code.clone()), now_ms));
        Ok(code)
    }

    /// Registers a pay link when the payer opens it. The values are the ones in
    /// the link as opened, so a link edited by the payer shows edited values.
    pub fn open_pay_link(
        &mut self,
        request: PaymentRequest,
        now_ms: i64,
    ) -> Result<String, ApiError> {
        let key = request.key();
        match self.payments.get_mut(&key) {
            Some(p) if p.code.is_some() => Err(ApiError::new(
                DUPLICATE_TRACE,
                "traceId or orderId already used",
            )),
            Some(p) if p.attempts.is_empty() => {
                p.request = request;
                Ok(key)
            }
            Some(_) => Ok(key),
            None => {
                self.payments
                    .insert(key.clone(), Payment::new(request, None, now_ms));
                Ok(key)
            }
        }
    }

    pub fn key_for_code(&self, code: &str) -> Option<String> {
        self.codes.get(code.trim()).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAYEE: &str = "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b";
    const TRACE: &str = "5f0a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b";

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn one_time(amount: &str) -> Result<PaymentRequest, ApiError> {
        PaymentRequest::parse(
            &params(&[
                ("payeeId", PAYEE),
                ("traceId", TRACE),
                ("quoteAssetId", "usd"),
                ("quoteAmount", amount),
                ("settlementAssetId", assets::USDT),
            ]),
            Flow::OneTime,
            0,
        )
    }

    #[test]
    fn amount_validation_uses_mixpay_codes() {
        assert!(one_time("10.50").is_ok());
        assert_eq!(
            one_time("0.001").unwrap_err().code,
            1017,
            "three places for USD"
        );
        assert_eq!(one_time("1e3").unwrap_err().code, 1017);
        assert_eq!(one_time("-5").unwrap_err().code, 1017);
        assert_eq!(one_time("0").unwrap_err().code, 1017);
        assert_eq!(one_time("50000.01").unwrap_err().code, PRICE_TOO_HIGH);
        let jpy = assets::find("jpy").unwrap();
        assert_eq!(parse_quote_amount("0.5", jpy).unwrap_err().code, 1017);
        assert_eq!(parse_quote_amount("1", jpy).unwrap(), Decimal::ONE);
        let btc = assets::find(assets::BTC).unwrap();
        assert_eq!(
            parse_quote_amount("0.00000001", btc).unwrap_err().code,
            PRICE_TOO_LOW
        );
    }

    #[test]
    fn status_moves_through_pending_to_success() {
        let mut p = Payment::new(one_time("10").unwrap(), None, 0);
        assert_eq!(p.status(0), Status::Unpaid);
        p.pay(
            PayOrder {
                delay_ms: 3000,
                ..Default::default()
            },
            1000,
        )
        .unwrap();
        assert_eq!(p.status(1000), Status::Pending { confirmations: 0 });
        assert_eq!(p.status(3000), Status::Pending { confirmations: 2 });
        assert_eq!(p.status(4000), Status::Success);
        let r = p.result_json(4000);
        assert_eq!(r["paymentAmount"], "10");
        assert_eq!(r["paymentSymbol"], "USDT");
        assert_eq!(r["confirmations"], -1);
    }

    #[test]
    fn double_payment_and_expiry() {
        let mut req = one_time("10").unwrap();
        req.expired_timestamp = Some(100);
        let mut p = Payment::new(req, None, 0);
        assert_eq!(
            p.status(100_000),
            Status::Failed {
                code: FAIL_OVERTIME
            }
        );
        assert_eq!(
            p.pay(PayOrder::default(), 100_000).unwrap_err().code,
            FAIL_OVERTIME
        );
        p.pay(PayOrder::default(), 5_000).unwrap();
        assert_eq!(
            p.pay(PayOrder::default(), 6_000).unwrap_err().code,
            FAIL_DOUBLE_PAYMENT
        );
        assert_eq!(
            p.status(200_000),
            Status::Success,
            "a paid payment never expires"
        );
    }

    #[test]
    fn underpaid_then_topped_up() {
        let mut p = Payment::new(one_time("10").unwrap(), None, 0);
        p.pay(
            PayOrder {
                outcome: Some(Outcome::Underpaid),
                ..Default::default()
            },
            0,
        )
        .unwrap();
        assert_eq!(p.status(1), Status::PaidLess);
        assert_eq!(p.result_json(1)["payableAmount"], "5");
        p.pay(PayOrder::default(), 2).unwrap();
        assert_eq!(p.status(3), Status::Success);
    }
}
