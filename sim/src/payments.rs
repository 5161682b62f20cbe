//! Payments as MixPay keeps them: what the merchant asked for, what the payer
//! paid, and the status that follows from both and from the clock.

use crate::answer::{AnswerOverrides, With};
use crate::assets::{self, Asset};
use crate::envelope::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::str::FromStr;

/// Confirmations a payment goes through while `pending`.
pub const CONFIRMATIONS: i64 = 3;
/// Expiry bounds of MixPay: "more than 10 s and less than 2880 min" ahead.
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
    /// A pay link's `paymentAssetId`: what the payer pays with.
    pub payment_asset_id: Option<String>,
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
        // MixPay's pay link documents `amount`, "the total in the quote asset",
        // which "takes priority over `quoteAmount`": the payer can add it.
        let amount = match flow {
            Flow::PayLink => get("amount").or(get("quoteAmount")),
            Flow::OneTime => get("quoteAmount"),
        };
        let quote_amount = match (flow, amount) {
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

        let payment_asset_id = match (flow, get("paymentAssetId")) {
            (Flow::PayLink, Some(id)) => match assets::find(id).filter(|a| a.payable) {
                Some(a) => Some(a.id.to_string()),
                None => {
                    return Err(ApiError::new(
                        CURRENCY_NOT_SUPPORTED,
                        "Currency not supported",
                    ))
                }
            },
            _ => None,
        };

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
                if ahead >= MAX_EXPIRY_S || (flow == Flow::OneTime && ahead <= MIN_EXPIRY_S) {
                    return Err(ApiError::param(
                        "expiredTimestamp must be more than 10 seconds and less than 2880 minutes ahead",
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
            payment_asset_id,
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

    /// What the payer pays with when nothing else is said: a pay link's
    /// `paymentAssetId`, the settlement asset, or USDT.
    pub fn default_payment_asset(&self) -> &'static Asset {
        self.payment_asset_id
            .as_deref()
            .or(self.settlement_asset_id.as_deref())
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
    /// Pays half of what is still owed: the payment stays `pending` with
    /// `payment.isFullyPaid == false` until a top-up completes it.
    Underpaid,
    /// Paid in full, then held for review: `auditing` until a later
    /// `/_sim/pay` says `success` or `failed`.
    Auditing,
    /// A Mixin-wallet payment on its way: `pending` with `isMultiPay: false`,
    /// `isFullyPaid: false`, `totalTransactionsAmount: "0"` until a later
    /// `/_sim/pay` ends it with `success`, `failed` or `auditing`.
    Processing,
}

impl FromStr for Outcome {
    type Err = ApiError;
    fn from_str(s: &str) -> Result<Self, ApiError> {
        match s {
            "success" => Ok(Outcome::Success),
            "failed" => Ok(Outcome::Failed),
            "underpaid" => Ok(Outcome::Underpaid),
            "auditing" => Ok(Outcome::Auditing),
            "processing" => Ok(Outcome::Processing),
            _ => Err(ApiError::param(
                "outcome must be success, failed, underpaid, auditing or processing",
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
    /// Defensive: MixPay documents a refund, not a late success. A transfer
    /// that arrives after the expiry is recorded and the payment stays
    /// `failed` 40000 "Payment overtime" with the paid `paymentAmount`; with
    /// `late` it is taken as if it had come in time (the outcome decides), for
    /// tests of a client that must still check such a `success`.
    pub late: bool,
    /// What the payer transferred, in the payment asset, when it is not what
    /// the payment asks for: only for a payment that ends `failed` (a wrong
    /// amount, a transfer after the expiry).
    pub payment_amount: Option<Decimal>,
    /// Overpaid, in the payment asset: added to the transfer and answered as
    /// `surplusAmount`, with `surplusStatus` (default `pending`, or `no` for 0).
    pub surplus_amount: Option<Decimal>,
    pub surplus_status: Option<String>,
    /// What MixPay settled in, when not the payment's settlement asset.
    pub settle_asset: Option<&'static Asset>,
}

impl PayOrder {
    /// Whether the order changes what the payment is paid against (a tampered
    /// link, another payee, another asset): only a first payment can.
    fn changes_terms(&self) -> bool {
        self.quote_amount.is_some()
            || self.quote_asset_id.is_some()
            || self.payee_id.is_some()
            || self.payment_asset_id.is_some()
    }
}

/// What the payer pays against, as MixPay recorded it with the first
/// transaction; top-ups pay the rest of the same terms.
#[derive(Clone, Debug)]
pub struct Terms {
    pub quote_amount: Decimal,
    pub quote_asset_id: String,
    pub payee_id: String,
    pub payment_asset_id: String,
    /// The full amount the payment asks for, in the payment asset.
    pub payable_amount: Decimal,
}

/// One transfer by the payer.
#[derive(Clone, Debug)]
pub struct Transaction {
    /// In the payment asset.
    pub amount: Decimal,
    pub at_ms: i64,
    /// How long it takes to reach [`CONFIRMATIONS`].
    pub delay_ms: i64,
    pub txid: String,
}

impl Transaction {
    /// Confirmations so far, up to [`CONFIRMATIONS`].
    fn confirmations(&self, now_ms: i64) -> i64 {
        let elapsed = now_ms - self.at_ms;
        if elapsed >= self.delay_ms {
            CONFIRMATIONS
        } else {
            (elapsed.max(0) * CONFIRMATIONS / self.delay_ms.max(1)).min(CONFIRMATIONS - 1)
        }
    }

    fn block_explorer_url(&self) -> String {
        format!("https://viewblock.io/mixin/tx/{}", self.txid)
    }
}

/// What MixPay decides once a payment is paid in full and confirmed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Success,
    Failed { code: i64 },
    Auditing,
}

#[derive(Clone, Debug)]
pub struct Payment {
    pub request: PaymentRequest,
    pub code: Option<String>,
    pub created_ms: i64,
    /// Set by the first transaction.
    pub terms: Option<Terms>,
    pub transactions: Vec<Transaction>,
    /// Set by the transaction that completes the payment, or by the end of an audit.
    pub verdict: Verdict,
    /// How `payments_result` answers for this payment (tests of the client's strictness).
    pub answer: AnswerOverrides,
    /// An on-chain payment made of several transfers (`outcome: "underpaid"`):
    /// `payment.isMultiPay`, and the rest is awaited until the expiry.
    pub multi_pay: bool,
    /// A wallet payment on its way (`outcome: "processing"`), not yet transferred.
    pub processing: bool,
    pub surplus_amount: Decimal,
    pub surplus_status: String,
    /// Set by `/_sim/pay`'s `settleAsset`/`settleSymbol`.
    pub settle_asset: Option<&'static Asset>,
}

/// `data.status` of `payments_result`: MixPay's five values, nothing else.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Unpaid,
    /// Confirming on chain (`confirmations` 0..), or paid in part (`-1`).
    Pending {
        confirmations: i64,
    },
    Auditing,
    Success,
    Failed {
        code: i64,
    },
}

impl Status {
    pub fn name(&self) -> &'static str {
        match self {
            Status::Unpaid => "unpaid",
            Status::Pending { .. } => "pending",
            Status::Auditing => "auditing",
            Status::Success => "success",
            Status::Failed { .. } => "failed",
        }
    }
}

/// Half of `owed`, in the payment asset's places: what "pay less" pays.
fn half_of(owed: Decimal, asset: &Asset) -> Result<Decimal, ApiError> {
    let part = (owed / Decimal::TWO)
        .round_dp_with_strategy(
            asset.decimal_digit.max(2),
            rust_decimal::RoundingStrategy::ToZero,
        )
        .normalize();
    if part <= Decimal::ZERO {
        return Err(ApiError::param(format!(
            "{owed} {} is too little to pay less than it",
            asset.symbol
        )));
    }
    Ok(part)
}

fn double_payment() -> ApiError {
    ApiError::new(FAIL_DOUBLE_PAYMENT, failure_reason(FAIL_DOUBLE_PAYMENT))
}

impl Payment {
    pub fn new(request: PaymentRequest, code: Option<String>, now_ms: i64) -> Self {
        Payment {
            request,
            code,
            created_ms: now_ms,
            terms: None,
            transactions: vec![],
            verdict: Verdict::Success,
            answer: AnswerOverrides::default(),
            multi_pay: false,
            processing: false,
            surplus_amount: Decimal::ZERO,
            surplus_status: "no".into(),
            settle_asset: None,
        }
    }

    fn expired(&self, now_ms: i64) -> bool {
        self.request
            .expired_timestamp
            .is_some_and(|ts| now_ms >= ts * 1000)
    }

    /// The sum of the payer's transactions, in the payment asset.
    pub fn paid(&self) -> Decimal {
        self.transactions.iter().map(|t| t.amount).sum()
    }

    /// Whether the transactions add up to what the payment asks for.
    pub fn is_fully_paid(&self) -> bool {
        self.terms
            .as_ref()
            .is_some_and(|t| self.paid() >= t.payable_amount)
    }

    /// An on-chain payment paid in part, waiting for the rest (MixPay's
    /// "Checking for paid_less": pending, isMultiPay, not isFullyPaid).
    pub fn awaiting_rest(&self) -> bool {
        self.multi_pay && !self.transactions.is_empty() && !self.is_fully_paid()
    }

    /// What is still owed after an underpayment, in the payment asset.
    pub fn still_owed(&self) -> Option<Decimal> {
        self.terms
            .as_ref()
            .map(|t| (t.payable_amount - self.paid()).max(Decimal::ZERO))
    }

    pub fn payment_asset(&self) -> Option<&'static Asset> {
        self.terms
            .as_ref()
            .and_then(|t| assets::find(&t.payment_asset_id))
    }

    pub fn status(&self, now_ms: i64) -> Status {
        let Some(last) = self.transactions.last() else {
            return if self.processing {
                // Seen by MixPay before the expiry: it decides, not the clock.
                Status::Pending { confirmations: -1 }
            } else if self.expired(now_ms) {
                Status::Failed {
                    code: FAIL_OVERTIME,
                }
            } else {
                Status::Unpaid
            };
        };
        let counting = now_ms - last.at_ms < last.delay_ms;
        if self.awaiting_rest() {
            // Paid in part on chain: MixPay waits for the rest until the expiry.
            if self.expired(now_ms) {
                return Status::Failed {
                    code: FAIL_OVERTIME,
                };
            }
            return Status::Pending {
                confirmations: if counting {
                    last.confirmations(now_ms)
                } else {
                    -1
                },
            };
        }
        if counting {
            return Status::Pending {
                confirmations: last.confirmations(now_ms),
            };
        }
        match self.verdict {
            Verdict::Success => Status::Success,
            Verdict::Failed { code } => Status::Failed { code },
            Verdict::Auditing => Status::Auditing,
        }
    }

    /// Records a payment by the payer (a first payment or a top-up), or the
    /// end of an audit or of a payment on its way, or refuses it as MixPay would.
    pub fn pay(&mut self, order: PayOrder, now_ms: i64) -> Result<(), ApiError> {
        let outcome = order.outcome.unwrap_or(Outcome::Success);
        let mut verdict = match outcome {
            Outcome::Failed => Some(Verdict::Failed {
                code: order.failure_code.unwrap_or(FAIL_VOLATILITY),
            }),
            Outcome::Success => Some(Verdict::Success),
            Outcome::Auditing => Some(Verdict::Auditing),
            Outcome::Underpaid | Outcome::Processing => None,
        };
        // MixPay deciding a payment it already holds: not another payment.
        let ends = |outcomes: &[Outcome]| -> Result<(), ApiError> {
            match order.outcome {
                Some(o) if outcomes.contains(&o) && !order.changes_terms() => Ok(()),
                Some(o) if outcomes.contains(&o) => Err(ApiError::param(
                    "ending a payment MixPay holds takes an outcome (and failureCode) only",
                )),
                _ => Err(double_payment()),
            }
        };
        let status = self.status(now_ms);
        let late_arrival = !order.late
            && status
                == Status::Failed {
                    code: FAIL_OVERTIME,
                };
        if order.payment_amount.is_some() && outcome != Outcome::Failed && !late_arrival {
            return Err(ApiError::param(
                "paymentAmount is for a payment that ends failed: give outcome failed \
                 (or failureCode), or pay after the expiry",
            ));
        }
        match status {
            Status::Unpaid => self.first_payment(&order, outcome, now_ms)?,
            // A transfer after the expiry: MixPay refunds it and the payment
            // stays failed, now with what was paid.
            Status::Failed {
                code: FAIL_OVERTIME,
            } if self.transactions.is_empty() => {
                if outcome == Outcome::Processing {
                    return Err(ApiError::param(
                        "a payment after the expiry is a transfer: processing is for before it",
                    ));
                }
                self.first_payment(&order, outcome, now_ms)?;
                if !order.late {
                    verdict = Some(Verdict::Failed {
                        code: FAIL_OVERTIME,
                    });
                }
            }
            Status::Failed {
                code: FAIL_OVERTIME,
            } if self.awaiting_rest() => {
                if order.late {
                    return Err(ApiError::param(
                        "late is for a first payment after the expiry, not a top-up",
                    ));
                }
                self.top_up(&order, outcome, now_ms)?;
                verdict = Some(Verdict::Failed {
                    code: FAIL_OVERTIME,
                });
            }
            Status::Pending { .. } if self.processing => {
                ends(&[Outcome::Success, Outcome::Failed, Outcome::Auditing])?;
                let payable = self
                    .terms
                    .as_ref()
                    .map_or(Decimal::ZERO, |t| t.payable_amount);
                self.processing = false;
                let amount = order.payment_amount.unwrap_or(payable);
                self.transfer(&order, amount, now_ms);
            }
            Status::Pending { .. } if self.awaiting_rest() => {
                self.top_up(&order, outcome, now_ms)?
            }
            Status::Auditing => ends(&[Outcome::Success, Outcome::Failed])?,
            // "Double payment" refunds a second transfer; the first one stands
            // and MixPay may still end the payment in success.
            Status::Failed {
                code: FAIL_DOUBLE_PAYMENT,
            } => ends(&[Outcome::Success])?,
            Status::Pending { .. } | Status::Success => return Err(double_payment()),
            Status::Failed { code } => return Err(ApiError::new(code, failure_reason(code))),
        }
        if let Some(verdict) = verdict {
            self.verdict = verdict;
        }
        if let Some(amount) = order.surplus_amount {
            self.surplus_amount = amount;
            self.surplus_status = if amount.is_zero() { "no" } else { "pending" }.into();
        }
        if let Some(status) = order.surplus_status {
            self.surplus_status = status;
        }
        if order.settle_asset.is_some() {
            self.settle_asset = order.settle_asset;
        }
        Ok(())
    }

    /// One transfer by the payer: `amount` plus any surplus the order overpays.
    fn transfer(&mut self, order: &PayOrder, amount: Decimal, now_ms: i64) {
        let surplus = order.surplus_amount.unwrap_or_default();
        self.push_transaction(amount + surplus, order.delay_ms, now_ms);
    }

    /// Another on-chain transfer towards an underpaid payment: the rest, or
    /// half of it with `underpaid`.
    fn top_up(&mut self, order: &PayOrder, outcome: Outcome, now_ms: i64) -> Result<(), ApiError> {
        if order.changes_terms() || order.payment_amount.is_some() {
            return Err(ApiError::param(
                "a top-up pays the rest of the first payment: quoteAmount, \
                 quoteAssetId, payeeId, paymentAssetId and paymentAmount cannot change",
            ));
        }
        let owed = self.still_owed().unwrap_or_default();
        let amount = match (outcome, self.payment_asset()) {
            (Outcome::Underpaid, Some(asset)) => half_of(owed, asset)?,
            (Outcome::Processing, _) => {
                return Err(ApiError::param(
                    "processing is a wallet payment, not a top-up of an on-chain one",
                ))
            }
            _ => owed,
        };
        self.transfer(order, amount, now_ms);
        Ok(())
    }

    fn first_payment(
        &mut self,
        order: &PayOrder,
        outcome: Outcome,
        now_ms: i64,
    ) -> Result<(), ApiError> {
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
        let payable_amount = quote.convert(quote_amount, payment_asset);
        let amount = match (outcome, order.payment_amount) {
            (_, Some(paid)) => paid,
            (Outcome::Underpaid, None) => half_of(payable_amount, payment_asset)?,
            _ => payable_amount,
        };
        self.terms = Some(Terms {
            quote_amount,
            quote_asset_id: quote.id.to_string(),
            payee_id: order
                .payee_id
                .clone()
                .unwrap_or_else(|| req.payee_id.clone()),
            payment_asset_id: payment_asset.id.to_string(),
            payable_amount,
        });
        match outcome {
            // Only on-chain transfers can be several: paying less is one.
            Outcome::Underpaid => self.multi_pay = true,
            Outcome::Processing => {
                self.processing = true;
                return Ok(());
            }
            _ => {}
        }
        self.transfer(order, amount, now_ms);
        Ok(())
    }

    fn push_transaction(&mut self, amount: Decimal, delay_ms: i64, now_ms: i64) {
        self.transactions.push(Transaction {
            amount: amount.normalize(),
            at_ms: now_ms,
            delay_ms: delay_ms.max(0),
            txid: uuid::Uuid::new_v4().simple().to_string(),
        });
    }

    /// `data` of `payments_result`, as MixPay sends it, before the test
    /// overrides of [`AnswerOverrides`].
    pub fn result_json(&self, now_ms: i64, with: With) -> Value {
        let req = &self.request;
        let status = self.status(now_ms);
        let terms = self.terms.as_ref();
        let last = self.transactions.last();
        let quote = terms
            .and_then(|t| assets::find(&t.quote_asset_id))
            .unwrap_or_else(|| req.quote());
        let payee_id = terms.map_or(req.payee_id.as_str(), |t| t.payee_id.as_str());
        let payee = assets::find_payee(payee_id);
        let payment_asset = self.payment_asset();
        let settle = self.settle_asset.or_else(|| {
            req.settlement_asset_id
                .as_deref()
                .and_then(assets::find)
                .or(payment_asset)
        });
        let (failure_code, failure_reason) = match status {
            Status::Failed { code } => (code.to_string(), failure_reason(code)),
            _ => ("0".to_string(), ""),
        };
        let confirmations = match status {
            Status::Pending { confirmations } => confirmations,
            _ => -1,
        };
        let quote_amount = terms
            .map(|t| t.quote_amount)
            .or(req.quote_amount)
            .map(|d| d.to_string())
            .unwrap_or_default();
        let settle_amount = match (&status, settle, terms) {
            (Status::Success, Some(s), Some(t)) => quote.convert(t.quote_amount, s).to_string(),
            _ => String::new(),
        };
        let text = |d: Option<Decimal>| d.map(|d| d.normalize().to_string()).unwrap_or_default();
        let mut data = json!({
            "status": status.name(),
            "traceId": req.trace_id.clone().unwrap_or_default(),
            "orderId": req.order_id.clone().unwrap_or_default(),
            "quoteAmount": quote_amount,
            "quoteSymbol": quote.symbol,
            "quoteAssetId": quote.id,
            // What the payer has paid so far.
            "paymentAmount": text(terms.map(|_| self.paid())),
            "paymentSymbol": payment_asset.map(|a| a.symbol).unwrap_or_default(),
            "paymentAssetId": payment_asset.map(|a| a.id).unwrap_or_default(),
            "payee": payee.map(|p| p.name).unwrap_or_default(),
            "payeeId": payee_id,
            "payeeMixinNumber": payee.map(|p| p.mixin_number).unwrap_or_default(),
            "txid": last.map(|t| t.txid.clone()).unwrap_or_default(),
            "blockExplorerUrl": last.map(Transaction::block_explorer_url).unwrap_or_default(),
            "date": last.map_or(self.created_ms, |t| t.at_ms) / 1000,
            "surplusAmount": self.surplus_amount.normalize().to_string(),
            "surplusStatus": self.surplus_status,
            "confirmations": confirmations,
            // The full amount the payment asks for, in the payment asset.
            "payableAmount": text(terms.map(|t| t.payable_amount)),
            "payableSymbol": payment_asset.map(|a| a.symbol).unwrap_or_default(),
            "failureCode": failure_code,
            "failureReason": failure_reason,
            "settleStatus": if status == Status::Success { "success" } else { "pending" },
            "settleAmount": settle_amount,
            "settleSymbol": settle.map(|a| a.symbol).unwrap_or_default(),
            "settleAsset": settle.map(|a| a.id).unwrap_or_default(),
            "remark": req.remark,
            "expiredTimestamp": req.expired_timestamp.unwrap_or(0),
        });
        if with.payment && terms.is_some() {
            data["payment"] = json!({
                "isMultiPay": self.multi_pay,
                "isFullyPaid": self.is_fully_paid(),
                "totalTransactionsAmount": text(Some(self.paid())),
            });
        }
        if with.transactions {
            let symbol = payment_asset.map(|a| a.symbol).unwrap_or_default();
            data["transactions"] = self
                .transactions
                .iter()
                .map(|t| {
                    json!({
                        "paymentAmount": t.amount.to_string(),
                        "paymentAssetSymbol": symbol,
                        "confirmations": t.confirmations(now_ms),
                        "requiredConfirms": CONFIRMATIONS,
                        "txid": t.txid,
                        "blockExplorerUrl": t.block_explorer_url(),
                        "broadcastAt": t.at_ms / 1000,
                    })
                })
                .collect();
        }
        data
    }
}

/// All payments of one simulator, by key, with one-time codes pointing at keys.
#[derive(Default)]
pub struct Ledger {
    pub payments: HashMap<String, Payment>,
    pub codes: HashMap<String, String>,
    /// `order_key(payee, orderId)` → the key of a payment made with both a
    /// traceId and an orderId: MixPay keeps an orderId unique per payee and
    /// answers `payments_result?orderId=…&payeeId=…` for it.
    pub orders: HashMap<String, String>,
}

impl Ledger {
    /// Refuses an orderId the payee already used for another payment.
    fn check_order(&self, request: &PaymentRequest, key: &str) -> Result<(), ApiError> {
        let Some(order) = &request.order_id else {
            return Ok(());
        };
        let order_key = order_key(&request.payee_id, order);
        let taken = match self.orders.get(&order_key) {
            Some(owner) => owner != key,
            // A payment made with the orderId alone is stored under it.
            None => order_key != key && self.payments.contains_key(&order_key),
        };
        if taken {
            return Err(ApiError::new(PARAM_10011, "orderId already used"));
        }
        Ok(())
    }

    fn remember_order(&mut self, request: &PaymentRequest, key: &str) {
        if let Some(order) = &request.order_id {
            self.orders
                .insert(order_key(&request.payee_id, order), key.to_string());
        }
    }

    /// The key a `payments_result` by orderId and payeeId finds.
    pub fn key_for_order(&self, payee_id: &str, order_id: &str) -> String {
        let order_key = order_key(payee_id, order_id);
        self.orders.get(&order_key).cloned().unwrap_or(order_key)
    }

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
                    PARAM_10011,
                    "traceId or orderId already used",
                )),
            };
        }
        self.check_order(&request, &key)?;
        self.remember_order(&request, &key);
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
        self.check_order(&request, &key)?;
        self.remember_order(&request, &key);
        match self.payments.get_mut(&key) {
            Some(p) if p.code.is_some() => Err(ApiError::new(
                PARAM_10011,
                "traceId or orderId already used",
            )),
            Some(p) if p.transactions.is_empty() => {
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
    const ALL: With = With {
        payment: true,
        transactions: true,
    };

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

    fn order(outcome: Outcome) -> PayOrder {
        PayOrder {
            outcome: Some(outcome),
            ..Default::default()
        }
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
        let r = p.result_json(4000, With::default());
        assert_eq!(r["paymentAmount"], "10");
        assert_eq!(r["paymentSymbol"], "USDT");
        assert_eq!(r["confirmations"], -1);
        assert_eq!(r["failureCode"], "0");
        assert!(r.get("payment").is_none() && r.get("transactions").is_none());
    }

    #[test]
    fn double_payment_and_expiry() {
        let mut req = one_time("10").unwrap();
        req.expired_timestamp = Some(100);
        let mut p = Payment::new(req.clone(), None, 0);
        assert_eq!(
            p.status(100_000),
            Status::Failed {
                code: FAIL_OVERTIME
            }
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
        // A transfer after the expiry is refunded: failed, with what was paid.
        let mut late = Payment::new(req.clone(), None, 0);
        late.pay(PayOrder::default(), 100_000).unwrap();
        assert_eq!(
            late.status(100_001),
            Status::Failed {
                code: FAIL_OVERTIME
            }
        );
        let r = late.result_json(100_001, ALL);
        assert_eq!(r["paymentAmount"], "10");
        assert_eq!(r["failureReason"], "Payment overtime");
        assert_eq!(
            late.pay(PayOrder::default(), 100_002).unwrap_err().code,
            FAIL_OVERTIME
        );
        // Defensive only: `late` takes it as if in time.
        let mut defensive = Payment::new(req, None, 0);
        defensive
            .pay(
                PayOrder {
                    late: true,
                    ..Default::default()
                },
                100_000,
            )
            .unwrap();
        assert_eq!(defensive.status(100_001), Status::Success);
    }

    #[test]
    fn underpaid_is_pending_until_topped_up() {
        let mut p = Payment::new(one_time("10").unwrap(), None, 0);
        p.pay(order(Outcome::Underpaid), 0).unwrap();
        assert_eq!(p.status(1), Status::Pending { confirmations: -1 });
        let r = p.result_json(1, ALL);
        assert_eq!(r["payableAmount"], "10", "the full amount asked for");
        assert_eq!(r["payment"]["isFullyPaid"], false);
        assert_eq!(r["payment"]["isMultiPay"], true, "paying less is on-chain");
        assert_eq!(r["payment"]["totalTransactionsAmount"], "5");
        assert_eq!(r["transactions"].as_array().unwrap().len(), 1);
        assert_eq!(p.still_owed(), Some(Decimal::from(5)));
        // Paying less again pays half of the rest.
        p.pay(order(Outcome::Underpaid), 2).unwrap();
        assert_eq!(p.still_owed(), Some(Decimal::new(25, 1)));
        // A top-up keeps the first payment's terms.
        let other_asset = PayOrder {
            payment_asset_id: Some(assets::BTC.into()),
            ..Default::default()
        };
        assert_eq!(p.pay(other_asset, 3).unwrap_err().code, 1017);
        p.pay(
            PayOrder {
                delay_ms: 3000,
                ..Default::default()
            },
            4,
        )
        .unwrap();
        assert_eq!(p.status(5), Status::Pending { confirmations: 0 });
        assert!(p.is_fully_paid());
        assert_eq!(p.status(3004), Status::Success);
        let r = p.result_json(3004, ALL);
        assert_eq!(r["payment"]["isMultiPay"], true);
        assert_eq!(r["payment"]["totalTransactionsAmount"], "10");
        assert_eq!(r["paymentAmount"], "10");
    }

    #[test]
    fn underpaid_without_top_up_fails_at_expiry() {
        let mut req = one_time("10").unwrap();
        req.expired_timestamp = Some(100);
        let mut p = Payment::new(req, None, 0);
        p.pay(order(Outcome::Underpaid), 1_000).unwrap();
        assert_eq!(
            p.status(100_000),
            Status::Failed {
                code: FAIL_OVERTIME
            }
        );
        assert_eq!(p.result_json(100_000, ALL)["paymentAmount"], "5");
        // The rest arriving late is refunded too: still failed, now all paid.
        p.pay(PayOrder::default(), 100_000).unwrap();
        assert_eq!(
            p.status(100_001),
            Status::Failed {
                code: FAIL_OVERTIME
            }
        );
        assert_eq!(p.result_json(100_001, ALL)["paymentAmount"], "10");
    }

    #[test]
    fn processing_is_pending_with_nothing_transferred_until_it_ends() {
        let mut req = one_time("10").unwrap();
        req.expired_timestamp = Some(100);
        let mut p = Payment::new(req, None, 0);
        p.pay(order(Outcome::Processing), 1_000).unwrap();
        assert_eq!(p.status(200_000), Status::Pending { confirmations: -1 });
        let r = p.result_json(200_000, ALL);
        assert_eq!(
            r["payment"],
            json!({"isMultiPay": false, "isFullyPaid": false, "totalTransactionsAmount": "0"})
        );
        assert_eq!(
            p.pay(PayOrder::default(), 2_000).unwrap_err().code,
            FAIL_DOUBLE_PAYMENT
        );
        p.pay(order(Outcome::Success), 200_000).unwrap();
        assert_eq!(p.status(200_001), Status::Success);
        let r = p.result_json(200_001, ALL);
        assert_eq!(r["payment"]["isFullyPaid"], true);
        assert_eq!(r["payment"]["isMultiPay"], false);
    }

    #[test]
    fn an_audit_ends_in_success_or_failure_without_a_second_payment() {
        let mut p = Payment::new(one_time("10").unwrap(), None, 0);
        p.pay(order(Outcome::Auditing), 0).unwrap();
        assert_eq!(p.status(1), Status::Auditing);
        assert_eq!(
            p.pay(PayOrder::default(), 2).unwrap_err().code,
            FAIL_DOUBLE_PAYMENT,
            "paying again without saying how the audit ends is a second payment"
        );
        assert_eq!(
            p.pay(order(Outcome::Underpaid), 2).unwrap_err().code,
            FAIL_DOUBLE_PAYMENT
        );
        p.pay(
            PayOrder {
                outcome: Some(Outcome::Failed),
                failure_code: Some(FAIL_WRONG_ASSET),
                ..Default::default()
            },
            3,
        )
        .unwrap();
        assert_eq!(
            p.status(4),
            Status::Failed {
                code: FAIL_WRONG_ASSET
            }
        );
        assert_eq!(p.transactions.len(), 1);
    }
}
