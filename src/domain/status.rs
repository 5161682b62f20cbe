//! What MixPay says about a payment, what the cashier is shown, and the one
//! rule that decides "Paid": status `success` AND payee, quote asset and
//! amount equal to the saved sale's.

use super::money::Amount;
use serde::{Deserialize, Serialize};

/// `data.payment` of `payments_result` (asked for with `with=payment`): the
/// only documented way to tell "paid part of it" from "paid, confirming".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PaymentProgress {
    pub is_multi_pay: bool,
    /// `None` when MixPay left it out.
    pub is_fully_paid: Option<bool>,
    /// Paid so far, in the paying asset.
    pub total_transactions_amount: String,
}

/// `data` of `payments_result`, as plain values (parsed tolerantly in `api`).
/// A field MixPay left out, or sent in a form that cannot be trusted, is empty.
/// Stored with a sale (`Sale::last_result`) by the derived `Serialize`; read
/// back by `read_stored_result`, not a derived `Deserialize` (17 KB of wasm).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PaymentResult {
    pub status: String,
    /// The traceId the answer is about, when it carries one.
    pub trace_id: String,
    pub quote_amount: String,
    pub quote_symbol: String,
    pub quote_asset_id: String,
    pub payment_amount: String,
    pub payment_symbol: String,
    pub payee_id: String,
    pub txid: String,
    pub block_explorer_url: String,
    /// -1 unless pending on chain.
    pub confirmations: i64,
    /// What the payment asks for, in the paying asset.
    pub payable_amount: String,
    pub payable_symbol: String,
    pub failure_code: String,
    pub failure_reason: String,
    pub payment: Option<PaymentProgress>,
    /// The overpaid part, in the paying asset (`"0"` or empty when none).
    pub surplus_amount: String,
    /// The surplus's refund: `no`/empty (none), `pending`, `sending`, `success`, `yes`.
    pub surplus_status: String,
    /// What the merchant received, and in which asset.
    pub settle_amount: String,
    pub settle_symbol: String,
    pub settle_asset: String,
}

impl PaymentResult {
    /// As the derived `Serialize` writes it (`domain::stored::Obj`).
    pub fn to_json(&self) -> String {
        let payment = self.payment.as_ref().map_or("null".into(), |p| {
            super::stored::Obj::new()
                .flag("is_multi_pay", p.is_multi_pay)
                .raw("is_fully_paid", match p.is_fully_paid {
                    None => "null",
                    Some(true) => "true",
                    Some(false) => "false",
                })
                .text("total_transactions_amount", &p.total_transactions_amount)
                .end()
        });
        super::stored::Obj::new()
            .text("status", &self.status)
            .text("trace_id", &self.trace_id)
            .text("quote_amount", &self.quote_amount)
            .text("quote_symbol", &self.quote_symbol)
            .text("quote_asset_id", &self.quote_asset_id)
            .text("payment_amount", &self.payment_amount)
            .text("payment_symbol", &self.payment_symbol)
            .text("payee_id", &self.payee_id)
            .text("txid", &self.txid)
            .text("block_explorer_url", &self.block_explorer_url)
            .num("confirmations", self.confirmations)
            .text("payable_amount", &self.payable_amount)
            .text("payable_symbol", &self.payable_symbol)
            .text("failure_code", &self.failure_code)
            .text("failure_reason", &self.failure_reason)
            .raw("payment", &payment)
            .text("surplus_amount", &self.surplus_amount)
            .text("surplus_status", &self.surplus_status)
            .text("settle_amount", &self.settle_amount)
            .text("settle_symbol", &self.settle_symbol)
            .text("settle_asset", &self.settle_asset)
            .end()
    }
}

/// A stored `PaymentResult` (what the derived `Serialize` wrote) read back
/// through `domain::stored` instead of a derived `Deserialize` per field
/// (a sale reads its own, `null` being none). The rules are the derive's
/// with `#[serde(default)]`: a missing field is empty (`confirmations` 0,
/// `payment` none); unknown fields are ignored; a field of the wrong type
/// (an amount as a number, say: never written, and a float could have
/// changed it) makes the record unreadable.
pub(crate) fn read_stored_result(v: &super::json::Value) -> Result<PaymentResult, String> {
    super::stored::read(v, "last_result", |f| {
        let payment = f
            .present("payment")
            .map(|p| {
                super::stored::read(p, "payment", |p| {
                    Ok(PaymentProgress {
                        // `null` is not a bool: the derive refused it too.
                        is_multi_pay: p.flag_or("is_multi_pay", false),
                        is_fully_paid: p.opt_flag("is_fully_paid"),
                        total_transactions_amount: p.text_or_empty("total_transactions_amount"),
                    })
                })
            })
            .transpose()?;
        let text = |key| f.text_or_empty(key);
        Ok(PaymentResult {
            status: text("status"),
            trace_id: text("trace_id"),
            quote_amount: text("quote_amount"),
            quote_symbol: text("quote_symbol"),
            quote_asset_id: text("quote_asset_id"),
            payment_amount: text("payment_amount"),
            payment_symbol: text("payment_symbol"),
            payee_id: text("payee_id"),
            txid: text("txid"),
            block_explorer_url: text("block_explorer_url"),
            confirmations: f.int_or("confirmations", 0),
            payable_amount: text("payable_amount"),
            payable_symbol: text("payable_symbol"),
            failure_code: text("failure_code"),
            failure_reason: text("failure_reason"),
            payment,
            surplus_amount: text("surplus_amount"),
            surplus_status: text("surplus_status"),
            settle_amount: text("settle_amount"),
            settle_symbol: text("settle_symbol"),
            settle_asset: text("settle_asset"),
        })
    })
}

/// MixPay's failure code for a payment whose expiry passed.
pub const FAILURE_OVERTIME: &str = "40000";
/// MixPay's reason for it, which counts whatever the code says.
pub const REASON_OVERTIME: &str = "Payment overtime";

/// Two UUIDs are the same whatever their case and hyphens.
pub fn same_uuid(a: &str, b: &str) -> bool {
    fn bare(s: &str) -> impl Iterator<Item = u8> + '_ {
        s.trim().bytes().filter(|b| *b != b'-').map(|b| b.to_ascii_lowercase())
    }
    bare(a).eq(bare(b))
}

/// An amount MixPay reports (paid, surplus) when it is readable and above zero.
fn above_zero(text: &str) -> Option<Amount> {
    Amount::parse(text).ok().filter(|a| !a.is_zero())
}

impl PaymentResult {
    /// The overpaid part MixPay refunds, when there is one: `surplusAmount`
    /// above zero and `surplusStatus` neither `no` nor empty.
    pub fn surplus(&self) -> Option<Amount> {
        let refunded = self.surplus_status.trim();
        if refunded.is_empty() || refunded.eq_ignore_ascii_case("no") {
            return None;
        }
        above_zero(&self.surplus_amount)
    }

    /// The asset the merchant was settled in, when it is not the one
    /// wanted (the sale's settlement asset id, and its symbol when known):
    /// its symbol (or id when MixPay gave none). Compared by id, or by symbol
    /// when MixPay sent no id. `None` when it is the wanted one or unsaid.
    pub fn settled_otherwise(&self, wanted_id: &str, wanted_symbol: &str) -> Option<String> {
        let (asset, symbol) = (self.settle_asset.trim(), self.settle_symbol.trim());
        let differs = match (asset.is_empty(), wanted_id.trim().is_empty()) {
            (false, false) => !same_uuid(asset, wanted_id),
            _ => {
                let wanted = wanted_symbol.trim();
                !symbol.is_empty() && !wanted.is_empty() && !symbol.eq_ignore_ascii_case(wanted)
            }
        };
        differs.then(|| if symbol.is_empty() { asset } else { symbol }.to_string())
    }
}

/// Why a `success` is not verified yet, as stored in `SaleStatus::Verifying`
/// (in English: the catalogue words it for the screen).
pub const WHY_OTHER_PAYMENT: &str = "MixPay answered about another payment";
/// Followed by the missing fields, e.g. "MixPay's answer lacks payee, amount".
pub const WHY_LACKS: &str = "MixPay's answer lacks ";

/// What the sale expects MixPay to report once paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expected {
    #[serde(default)]
    pub trace_id: String,
    pub payee_id: String,
    pub quote_asset_id: String,
    pub quote_amount: Amount,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    pub field: String,
    pub expected: String,
    pub received: String,
}

/// How a `success` answer compares with the sale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Payee, quote asset and amount all present and equal to the sale's.
    Verified,
    /// At least one present value contradicts the sale.
    Mismatch(Vec<Mismatch>),
    /// Nothing contradicts the sale, but these fields were missing or
    /// unreadable: not proof either way, so ask again.
    Incomplete(Vec<&'static str>),
}

/// MixPay's rule, and ours: `success` alone is not proof. Only a value that is
/// present and contradicts the sale is a mismatch; a missing one means "ask again".
pub fn verify(expected: &Expected, result: &PaymentResult) -> Verdict {
    let mut mismatches = vec![];
    let mut missing = vec![];
    let mut check_id = |field: &'static str, want: &str, got: &str| {
        if got.trim().is_empty() {
            missing.push(field);
        } else if !same_uuid(got, want) {
            mismatches.push(Mismatch {
                field: field.into(),
                expected: want.into(),
                received: got.into(),
            });
        }
    };
    check_id("Payee", &expected.payee_id, &result.payee_id);
    check_id("Currency", &expected.quote_asset_id, &result.quote_asset_id);
    match Amount::parse(&result.quote_amount) {
        Ok(amount) if amount == expected.quote_amount => {}
        Ok(_) => mismatches.push(Mismatch {
            field: "Amount".into(),
            expected: expected.quote_amount.to_string(),
            received: result.quote_amount.clone(),
        }),
        // Missing or not a decimal: unreadable, not a contradiction.
        Err(_) => missing.push("Amount"),
    }
    if !mismatches.is_empty() {
        Verdict::Mismatch(mismatches)
    } else if !missing.is_empty() {
        Verdict::Incomplete(missing)
    } else {
        Verdict::Verified
    }
}

/// Compares a `success` result with the sale. Empty = every check passed.
pub fn mismatches(expected: &Expected, result: &PaymentResult) -> Vec<Mismatch> {
    match verify(expected, result) {
        Verdict::Mismatch(found) => found,
        _ => vec![],
    }
}

/// Where a sale stands, as the cashier is told it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SaleStatus {
    /// The one-time payment is being created (or creating it failed and can be retried).
    Creating,
    /// The QR is up; nobody has paid yet (also any status MixPay adds later).
    Waiting,
    /// MixPay has seen the full payment and it is confirming.
    Confirming {
        confirmations: i64,
    },
    /// The payer paid part of it on chain (`pending`, `isMultiPay: true`,
    /// `isFullyPaid: false`); they can still top up. Amounts are in the paying asset.
    Underpaid {
        /// Still owed, e.g. "4.5" (empty when MixPay did not say).
        #[serde(default)]
        still_due: String,
        #[serde(default)]
        paid: String,
        /// What the payment asks for in all.
        #[serde(default)]
        asked: String,
        #[serde(default)]
        symbol: String,
    },
    Auditing,
    /// MixPay says `success` but the answer cannot be verified yet: a field
    /// is missing or unreadable, or the answer is about another traceId.
    /// Never "Paid"; the sale is asked about again.
    Verifying {
        #[serde(default)]
        why: String,
    },
    /// `success`, verified against the sale.
    Paid,
    /// `success`, but not for this sale's payee, currency or amount.
    Mismatch {
        mismatches: Vec<Mismatch>,
    },
    Failed {
        code: String,
        reason: String,
        /// What the customer did pay (MixPay refunds it), in the paying
        /// asset; empty when nothing was paid (and in older records).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        paid: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        symbol: String,
    },
}

/// A stored `SaleStatus` as read back: the JSON the derived `Serialize`
/// writes (`{"kind": "failed", "code": …, "reason": …}`), read through
/// `domain::stored` instead of derived readers (serde buffers an internally
/// tagged enum; a flat derived record still cost 10 KB of wasm). The rules
/// are the derive's: an unknown kind, a missing required field or a field
/// of the wrong type is an error (the sale is unreadable); unknown fields
/// are ignored.
pub(crate) fn read_status(v: &super::json::Value) -> Result<SaleStatus, String> {
    use super::stored::{read, Fields};
    read(v, "status", |f: Fields| {
        let required = |field: Option<String>, key: &str| field.ok_or_else(|| format!("missing field `{key}`"));
        let mismatch = |m| {
            read(m, "mismatch", |m: Fields| {
                Ok(Mismatch {
                    field: m.text("field"),
                    expected: m.text("expected"),
                    received: m.text("received"),
                })
            })
        };
        // Every field of every kind is checked, as the derive did.
        let confirmations = f.present("confirmations").map(|_| f.int("confirmations"));
        let mismatches = f.present("mismatches").map(|_| f.list_or_empty("mismatches", mismatch));
        let (still_due, paid, asked, symbol, why) = (
            f.text_or_empty("still_due"),
            f.text_or_empty("paid"),
            f.text_or_empty("asked"),
            f.text_or_empty("symbol"),
            f.text_or_empty("why"),
        );
        let (code, reason) = (f.opt_text("code"), f.opt_text("reason"));
        Ok(match f.text("kind").as_str() {
            "creating" => SaleStatus::Creating,
            "waiting" => SaleStatus::Waiting,
            "confirming" => SaleStatus::Confirming {
                confirmations: confirmations.ok_or("missing field `confirmations`")?,
            },
            "underpaid" => SaleStatus::Underpaid { still_due, paid, asked, symbol },
            "auditing" => SaleStatus::Auditing,
            "verifying" => SaleStatus::Verifying { why },
            "paid" => SaleStatus::Paid,
            "mismatch" => SaleStatus::Mismatch {
                mismatches: mismatches.ok_or("missing field `mismatches`")?,
            },
            "failed" => SaleStatus::Failed {
                code: required(code, "code")?,
                reason: required(reason, "reason")?,
                paid,
                symbol,
            },
            // An unreadable kind has already recorded its error.
            "" if f.get("kind").is_none_or(|k| k.as_str().is_none()) => SaleStatus::Creating,
            other => return Err(format!("unknown status kind `{other}`")),
        })
    })
}

impl SaleStatus {
    /// As the derived `Serialize` writes it: `{"kind":"failed",…}`.
    pub fn to_json(&self) -> String {
        let mut o = super::stored::Obj::new();
        let kind = match self {
            SaleStatus::Creating => "creating",
            SaleStatus::Waiting => "waiting",
            SaleStatus::Confirming { .. } => "confirming",
            SaleStatus::Underpaid { .. } => "underpaid",
            SaleStatus::Auditing => "auditing",
            SaleStatus::Verifying { .. } => "verifying",
            SaleStatus::Paid => "paid",
            SaleStatus::Mismatch { .. } => "mismatch",
            SaleStatus::Failed { .. } => "failed",
        };
        o.text("kind", kind);
        match self {
            SaleStatus::Confirming { confirmations } => {
                o.num("confirmations", confirmations);
            }
            SaleStatus::Underpaid { still_due, paid, asked, symbol } => {
                o.text("still_due", still_due).text("paid", paid).text("asked", asked).text("symbol", symbol);
            }
            SaleStatus::Verifying { why } => {
                o.text("why", why);
            }
            SaleStatus::Mismatch { mismatches } => {
                o.raw(
                    "mismatches",
                    &super::stored::list(mismatches, |m| {
                        super::stored::Obj::new()
                            .text("field", &m.field)
                            .text("expected", &m.expected)
                            .text("received", &m.received)
                            .end()
                    }),
                );
            }
            SaleStatus::Failed { code, reason, paid, symbol } => {
                o.text("code", code).text("reason", reason);
                for (key, value) in [("paid", paid), ("symbol", symbol)] {
                    if !value.is_empty() {
                        o.text(key, value);
                    }
                }
            }
            _ => {}
        }
        o.end()
    }

    /// A failure with nothing paid (for tests).
    #[cfg(test)]
    pub fn failed(code: &str, reason: &str) -> SaleStatus {
        SaleStatus::Failed {
            code: code.into(),
            reason: reason.into(),
            paid: String::new(),
            symbol: String::new(),
        }
    }

    /// Final: the verdict is shown and the sale on screen is no longer polled.
    /// (A sale that failed by expiry is still re-checked in the background
    /// for a while: see `Sale::wants_check`.)
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            SaleStatus::Paid | SaleStatus::Mismatch { .. } | SaleStatus::Failed { .. }
        )
    }

    /// Failed because the expiry passed (code 40000, or MixPay's reason
    /// "Payment overtime" whatever the code).
    pub fn is_expired_failure(&self) -> bool {
        matches!(self, SaleStatus::Failed { code, reason, .. }
            if code.trim() == FAILURE_OVERTIME || reason.trim().eq_ignore_ascii_case(REASON_OVERTIME))
    }

    /// What a failed sale's customer did pay, as (amount, symbol): MixPay
    /// refunds it. `None` when nothing was paid, or the sale did not fail.
    pub fn paid_on_failure(&self) -> Option<(&str, &str)> {
        match self {
            SaleStatus::Failed { paid, symbol, .. } if above_zero(paid).is_some() => {
                Some((paid.as_str(), symbol.as_str()))
            }
            _ => None,
        }
    }

    /// The status a result leads to, given the sale's expectations. A verdict
    /// never goes backwards: Paid and Mismatch stay; Failed stays too, except
    /// that a failed sale turns Paid (or Mismatch) on a later `success`,
    /// which must pass the same checks (MixPay's failure codes describe a
    /// refunded transfer, not always the end of the payment), and a later
    /// `failed` answer may tell what the customer paid.
    pub fn next(&self, expected: &Expected, result: &PaymentResult) -> SaleStatus {
        let answer_trace = result.trace_id.trim();
        if !answer_trace.is_empty() && !same_uuid(answer_trace, &expected.trace_id) {
            // An answer about another payment says nothing about this one.
            if self.is_final() {
                return self.clone();
            }
            return SaleStatus::Verifying {
                why: WHY_OTHER_PAYMENT.into(),
            };
        }
        let status = result.status.trim().to_ascii_lowercase();
        let was_failed = matches!(self, SaleStatus::Failed { .. });
        let late_success = was_failed && status == "success";
        let failed_again = was_failed && status == "failed";
        if self.is_final() && !late_success && !failed_again {
            return self.clone();
        }
        match status.as_str() {
            "success" => match verify(expected, result) {
                Verdict::Verified => SaleStatus::Paid,
                Verdict::Mismatch(mismatches) => SaleStatus::Mismatch { mismatches },
                Verdict::Incomplete(_) if late_success => self.clone(),
                Verdict::Incomplete(missing) => SaleStatus::Verifying {
                    why: format!("{WHY_LACKS}{}", missing.join(", ").to_ascii_lowercase()),
                },
            },
            "failed" => {
                let (mut paid, mut symbol) = match above_zero(&result.payment_amount) {
                    Some(a) => (a.to_string(), result.payment_symbol.trim().to_string()),
                    None => Default::default(),
                };
                // A later answer that leaves the amount out does not forget it.
                if let (true, Some((p, s))) = (paid.is_empty(), self.paid_on_failure()) {
                    (paid, symbol) = (p.to_string(), s.to_string());
                }
                SaleStatus::Failed {
                    code: result.failure_code.clone(),
                    reason: result.failure_reason.clone(),
                    paid,
                    symbol,
                }
            }
            // MixPay's browser SDK also names `pending` "processing". Paid in
            // part only by MixPay's own rule ("Checking for paid_less"): an
            // on-chain multi-payment not fully paid. A wallet payment still
            // processing reads `isFullyPaid: false` too: that is confirming.
            "pending" | "processing" => match &result.payment {
                Some(PaymentProgress {
                    is_multi_pay: true,
                    is_fully_paid: Some(false),
                    total_transactions_amount,
                }) => underpaid(result, total_transactions_amount),
                _ => SaleStatus::Confirming {
                    confirmations: result.confirmations.max(0),
                },
            },
            "auditing" => SaleStatus::Auditing,
            // `unpaid` and anything not known yet: keep checking, never success.
            _ => SaleStatus::Waiting,
        }
    }

    /// One line for the cashier, in the language on screen. `expired` says
    /// the countdown has run out.
    pub fn headline(&self, expired: bool) -> String {
        crate::i18n::headline(crate::i18n::current(), self, expired)
    }
}

/// `pending`, `isMultiPay`, `isFullyPaid: false`: what is still owed is what the payment
/// asks for less what was paid, in the paying asset.
fn underpaid(result: &PaymentResult, paid: &str) -> SaleStatus {
    let asked = Amount::parse(&result.payable_amount).ok();
    let paid_amount = Amount::parse(paid).ok();
    let still_due = match (asked, paid_amount) {
        (Some(a), Some(p)) => a.checked_sub(p).map(|d| d.to_string()).unwrap_or_default(),
        // Only the amount asked is known: show that rather than nothing.
        (Some(a), None) => a.to_string(),
        _ => String::new(),
    };
    SaleStatus::Underpaid {
        still_due,
        paid: paid_amount.map(|p| p.to_string()).unwrap_or_default(),
        asked: asked.map(|a| a.to_string()).unwrap_or_default(),
        symbol: result.payable_symbol.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAYEE: &str = "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b";
    const TRACE: &str = "dd9c3e04-a5d2-41ec-b909-0242ac120002";
    const OTHER: &str = "b7e3a1d2-4c5f-4a6b-8d9e-0f1a2b3c4d5e";

    fn expected() -> Expected {
        Expected {
            trace_id: TRACE.into(),
            payee_id: PAYEE.into(),
            quote_asset_id: "usd".into(),
            quote_amount: Amount::parse("10").unwrap(),
        }
    }

    /// `Option<PaymentResult>` as a sale field reads it: absent or `null`
    /// is `None`.
    fn read_stored(json: &str) -> Result<Option<PaymentResult>, String> {
        crate::domain::stored::parse(json, "sale", |f| f.present("last_result").map(read_stored_result).transpose())
    }

    /// A stored status alone, as a sale field reads it.
    fn parse_status(json: &str) -> Result<SaleStatus, String> {
        read_status(&crate::domain::json::parse(json).map_err(|e| e.to_string())?)
    }

    #[test]
    fn a_stored_result_reads_back_as_written() {
        let full = PaymentResult {
            status: "pending".into(),
            trace_id: TRACE.into(),
            quote_amount: "10.000000000000000001".into(),
            quote_symbol: "USD".into(),
            quote_asset_id: "usd".into(),
            payment_amount: "0.000123456789012345678".into(),
            payment_symbol: "BTC".into(),
            payee_id: PAYEE.into(),
            txid: "0xabc".into(),
            block_explorer_url: "https://example.com/tx/0xabc".into(),
            confirmations: 3,
            payable_amount: "9.99".into(),
            payable_symbol: "USDT".into(),
            failure_code: "40000".into(),
            failure_reason: "Payment overtime".into(),
            payment: Some(PaymentProgress {
                is_multi_pay: true,
                is_fully_paid: Some(false),
                total_transactions_amount: "4.5".into(),
            }),
            surplus_amount: "0.5".into(),
            surplus_status: "pending".into(),
            settle_amount: "9.98".into(),
            settle_symbol: "USDT".into(),
            settle_asset: "4d8c508b-91c5-375b-92b0-ee702ed2dac5".into(),
        };
        for result in [
            full.clone(),
            PaymentResult::default(),
            PaymentResult { payment: Some(PaymentProgress::default()), ..full.clone() },
            PaymentResult { confirmations: -1, ..full.clone() },
        ] {
            let json = format!(r#"{{"last_result":{}}}"#, serde_json::to_string(&result).unwrap());
            assert_eq!(read_stored(&json).unwrap(), Some(result), "{json}");
        }
        // Amounts come back as the exact text that was written.
        let json = format!(r#"{{"last_result":{}}}"#, serde_json::to_string(&full).unwrap());
        let read = read_stored(&json).unwrap().unwrap();
        assert_eq!(read.quote_amount, "10.000000000000000001");
        assert_eq!(read.payment_amount, "0.000123456789012345678");
    }

    #[test]
    fn a_stored_result_tolerates_what_the_derive_did() {
        assert_eq!(read_stored(r#"{"last_result":null}"#).unwrap(), None);
        assert_eq!(read_stored("{}").unwrap(), None, "no key: none");
        // Missing fields are empty, unknown ones ignored.
        let r = read_stored(r#"{"last_result":{"status":"success","txid":"x","new_field":{"a":[1]}}}"#)
            .unwrap()
            .unwrap();
        assert_eq!(r.status, "success");
        assert_eq!(r.txid, "x");
        assert_eq!(r.quote_amount, "");
        assert_eq!(r.confirmations, 0, "the default of a missing field");
        assert_eq!(r.payment, None);
        let r = read_stored(r#"{"last_result":{"payment":null}}"#).unwrap().unwrap();
        assert_eq!(r.payment, None);
        let r = read_stored(r#"{"last_result":{"payment":{"is_fully_paid":null}}}"#).unwrap().unwrap();
        assert_eq!(r.payment, Some(PaymentProgress::default()));
        let r = read_stored(r#"{"last_result":{"payment":{"is_fully_paid":true,"x":1}}}"#).unwrap().unwrap();
        assert_eq!(r.payment.unwrap().is_fully_paid, Some(true));
    }

    #[test]
    fn a_stored_result_of_the_wrong_shape_is_unreadable() {
        for json in [
            // An amount is stored as text: a number could have been through a float.
            r#"{"last_result":{"quote_amount":10.5}}"#,
            r#"{"last_result":{"payment":{"total_transactions_amount":4.5}}}"#,
            r#"{"last_result":{"status":null}}"#,
            r#"{"last_result":{"status":true}}"#,
            r#"{"last_result":{"confirmations":"3"}}"#,
            r#"{"last_result":{"confirmations":1.5}}"#,
            r#"{"last_result":{"confirmations":null}}"#,
            r#"{"last_result":{"payment":[]}}"#,
            r#"{"last_result":{"payment":{"is_multi_pay":1}}}"#,
            r#"{"last_result":{"payment":{"is_multi_pay":null}}}"#,
            r#"{"last_result":{"payment":{"is_fully_paid":"yes"}}}"#,
            r#"{"last_result":"success"}"#,
            r#"{"last_result":[]}"#,
            r#"{"last_result":1}"#,
        ] {
            assert!(read_stored(json).is_err(), "{json}");
        }
    }

    fn success(payee: &str, asset: &str, amount: &str) -> PaymentResult {
        PaymentResult {
            status: "success".into(),
            trace_id: TRACE.into(),
            payee_id: payee.into(),
            quote_asset_id: asset.into(),
            quote_amount: amount.into(),
            ..Default::default()
        }
    }

    #[test]
    fn verification_truth_table() {
        let e = expected();
        let other = "b7e3a1d2-4c5f-4a6b-8d9e-0f1a2b3c4d5e";
        // (payee, asset, amount) -> fields that contradict the sale, fields missing
        type Row<'a> = (&'a str, &'a str, &'a str, &'a [&'a str], &'a [&'a str]);
        let table: &[Row] = &[
            (PAYEE, "usd", "10", &[], &[]),
            (PAYEE, "usd", "10.00", &[], &[]),
            (&PAYEE.to_uppercase(), "USD", "10.0", &[], &[]),
            (other, "usd", "10", &["Payee"], &[]),
            (PAYEE, "eur", "10", &["Currency"], &[]),
            (PAYEE, "usd", "1", &["Amount"], &[]),
            (PAYEE, "usd", "10.01", &["Amount"], &[]),
            (other, "eur", "9", &["Payee", "Currency", "Amount"], &[]),
            // Missing or unreadable: ask again, never a final mismatch.
            (PAYEE, "usd", "", &[], &["Amount"]),
            (PAYEE, "usd", "ten", &[], &["Amount"]),
            ("", "usd", "10", &[], &["Payee"]),
            (PAYEE, " ", "10", &[], &["Currency"]),
            ("", "", "", &[], &["Payee", "Currency", "Amount"]),
            // A present contradiction wins over a missing field.
            ("", "usd", "9", &["Amount"], &[]),
        ];
        for (payee, asset, amount, wrong, missing) in table {
            let verdict = verify(&e, &success(payee, asset, amount));
            let status = SaleStatus::Waiting.next(&e, &success(payee, asset, amount));
            match verdict {
                Verdict::Verified => {
                    assert!(
                        wrong.is_empty() && missing.is_empty(),
                        "{payee} {asset} {amount}"
                    );
                    assert_eq!(status, SaleStatus::Paid);
                }
                Verdict::Mismatch(found) => {
                    let fields: Vec<&str> = found.iter().map(|m| m.field.as_str()).collect();
                    assert_eq!(&fields, wrong, "{payee} {asset} {amount}");
                    assert!(matches!(status, SaleStatus::Mismatch { .. }));
                }
                Verdict::Incomplete(found) => {
                    assert!(wrong.is_empty(), "{payee} {asset} {amount}");
                    assert_eq!(&found, missing, "{payee} {asset} {amount}");
                    assert!(matches!(status, SaleStatus::Verifying { .. }));
                    assert!(!status.is_final(), "asked again");
                }
            }
        }
    }

    #[test]
    fn an_answer_about_another_trace_is_never_paid() {
        let e = expected();
        let mut other = success(PAYEE, "usd", "10");
        other.trace_id = "b7e3a1d2-4c5f-4a6b-8d9e-0f1a2b3c4d5e".into();
        let status = SaleStatus::Waiting.next(&e, &other);
        assert!(matches!(status, SaleStatus::Verifying { .. }));
        assert!(status.headline(false).contains("another payment"));
        // No traceId in the answer: nothing to check, the rest decides.
        let mut silent = success(PAYEE, "usd", "10");
        silent.trace_id = String::new();
        assert_eq!(SaleStatus::Waiting.next(&e, &silent), SaleStatus::Paid);
        // Case does not matter; a final verdict is untouched by a stray answer.
        let mut upper = success(PAYEE, "usd", "10");
        upper.trace_id = TRACE.to_uppercase();
        assert_eq!(SaleStatus::Waiting.next(&e, &upper), SaleStatus::Paid);
        assert_eq!(SaleStatus::Paid.next(&e, &other), SaleStatus::Paid);
    }

    fn result(status: &str) -> PaymentResult {
        PaymentResult {
            status: status.into(),
            confirmations: 2,
            payable_amount: "9".into(),
            payable_symbol: "USDT".into(),
            failure_code: "40000".into(),
            failure_reason: "Payment overtime".into(),
            ..success(PAYEE, "usd", "10")
        }
    }

    fn progress(fully: Option<bool>, total: &str) -> Option<PaymentProgress> {
        Some(PaymentProgress {
            is_multi_pay: true,
            is_fully_paid: fully,
            total_transactions_amount: total.into(),
        })
    }

    #[test]
    fn transitions() {
        let e = expected();
        let w = SaleStatus::Waiting;
        assert_eq!(w.next(&e, &result("unpaid")), SaleStatus::Waiting);
        assert_eq!(
            w.next(&e, &result("pending")),
            SaleStatus::Confirming { confirmations: 2 }
        );
        assert_eq!(
            w.next(&e, &result("processing")),
            SaleStatus::Confirming { confirmations: 2 },
            "the SDK's name for pending"
        );
        assert_eq!(w.next(&e, &result("auditing")), SaleStatus::Auditing);
        assert_eq!(w.next(&e, &result("something_new")), SaleStatus::Waiting);
        assert_eq!(w.next(&e, &result("")), SaleStatus::Waiting);
        // Not MixPay statuses: nothing special about them.
        assert_eq!(w.next(&e, &result("paid_less")), SaleStatus::Waiting);
        assert_eq!(
            w.next(&e, &result("failed")),
            SaleStatus::Failed {
                code: "40000".into(),
                reason: "Payment overtime".into(),
                paid: String::new(),
                symbol: String::new(),
            }
        );
        assert_eq!(w.next(&e, &result("SUCCESS")), SaleStatus::Paid);
        // Final statuses stick.
        assert_eq!(
            SaleStatus::Paid.next(&e, &result("unpaid")),
            SaleStatus::Paid
        );
        let mismatch = w.next(&e, &success(PAYEE, "usd", "1"));
        assert_eq!(mismatch.next(&e, &result("success")), mismatch);
        assert!(SaleStatus::Paid.is_final());
    }

    #[test]
    fn underpayment_is_pending_with_is_fully_paid_false() {
        let e = expected();
        let w = SaleStatus::Waiting;
        let mut partly = result("pending");
        partly.payment = progress(Some(false), "4.5");
        let status = w.next(&e, &partly);
        assert_eq!(
            status,
            SaleStatus::Underpaid {
                still_due: "4.5".into(),
                paid: "4.5".into(),
                asked: "9".into(),
                symbol: "USDT".into()
            }
        );
        assert_eq!(
            status.headline(false),
            "Still due 4.50 USDT"
        );
        assert!(!status.is_final(), "a top-up can still complete it");
        // Only the amount asked is known: it is shown in the paying asset.
        partly.payment = progress(Some(false), "");
        assert!(w
            .next(&e, &partly)
            .headline(false)
            .ends_with("Still due 9.00 USDT"));
        // Fully paid, or not said: confirming.
        let mut full = result("pending");
        full.payment = progress(Some(true), "9");
        assert_eq!(
            w.next(&e, &full),
            SaleStatus::Confirming { confirmations: 2 }
        );
        full.payment = progress(None, "9");
        assert_eq!(
            w.next(&e, &full),
            SaleStatus::Confirming { confirmations: 2 }
        );
        // Then the top-up: success, verified.
        assert_eq!(status.next(&e, &result("success")), SaleStatus::Paid);
    }

    #[test]
    fn a_wallet_payment_still_processing_is_confirming_never_pay_the_rest() {
        let e = expected();
        let mut processing = result("pending");
        processing.confirmations = -1;
        // MixPay's rule: only an on-chain multi-payment can be paid in part.
        for fully in [Some(false), None, Some(true)] {
            processing.payment = Some(PaymentProgress {
                is_multi_pay: false,
                is_fully_paid: fully,
                total_transactions_amount: "0".into(),
            });
            let status = SaleStatus::Waiting.next(&e, &processing);
            assert_eq!(status, SaleStatus::Confirming { confirmations: 0 }, "{fully:?}");
            assert_eq!(status.headline(false), "Payment seen — confirming");
        }
        // No `payment` object at all: confirming too.
        processing.payment = None;
        assert_eq!(
            SaleStatus::Waiting.next(&e, &processing),
            SaleStatus::Confirming { confirmations: 0 }
        );
    }

    #[test]
    fn the_answers_trace_id_is_compared_as_a_uuid() {
        assert!(same_uuid(TRACE, "DD9C3E04A5D241ECB9090242AC120002"));
        assert!(same_uuid(&TRACE.to_uppercase(), TRACE));
        assert!(!same_uuid(TRACE, "dd9c3e04-a5d2-41ec-b909-0242ac120003"));
        assert!(!same_uuid(TRACE, "dd9c3e04"));
        let e = expected();
        let mut bare = success(PAYEE, "usd", "10");
        bare.trace_id = TRACE.replace('-', "").to_uppercase();
        assert_eq!(SaleStatus::Waiting.next(&e, &bare), SaleStatus::Paid);
    }

    #[test]
    fn a_failed_result_keeps_what_the_customer_paid() {
        let e = expected();
        let mut late = result("failed");
        late.payment_amount = "4.5".into();
        late.payment_symbol = "USDT".into();
        let failed = SaleStatus::Waiting.next(&e, &late);
        assert_eq!(failed.paid_on_failure(), Some(("4.5", "USDT")));
        assert!(failed.is_final());
        // Nothing paid: "0" or empty is no payment.
        let mut none = result("failed");
        none.payment_amount = "0".into();
        let unpaid = SaleStatus::Waiting.next(&e, &none);
        assert_eq!(unpaid.paid_on_failure(), None);
        // An expired sale then paid on chain after the expiry: MixPay keeps it
        // failed and reports the amount; the sale learns it.
        assert_eq!(unpaid.next(&e, &late).paid_on_failure(), Some(("4.5", "USDT")));
        // A later answer without the amount does not forget it.
        assert_eq!(failed.next(&e, &none).paid_on_failure(), Some(("4.5", "USDT")));
        assert_eq!(failed.next(&e, &result("unpaid")), failed);
        // Stored, and read back; a record from before has no amount.
        let json = serde_json::to_string(&failed).unwrap();
        assert_eq!(parse_status(&json).unwrap(), failed);
        let old: SaleStatus = parse_status(
            r#"{"kind":"failed","code":"40000","reason":"Payment overtime"}"#,
        )
        .unwrap();
        assert_eq!(old.paid_on_failure(), None);
        assert!(!serde_json::to_string(&old).unwrap().contains("paid"));
    }

    #[test]
    fn payment_overtime_is_expiry_whatever_the_code() {
        let mut overtime = result("failed");
        overtime.failure_code = "0".into();
        let status = SaleStatus::Waiting.next(&expected(), &overtime);
        assert!(status.is_expired_failure());
        overtime.failure_reason = "payment OVERTIME ".into();
        assert!(SaleStatus::Waiting.next(&expected(), &overtime).is_expired_failure());
        overtime.failure_reason = "Wrong asset".into();
        overtime.failure_code = "40020".into();
        assert!(!SaleStatus::Waiting.next(&expected(), &overtime).is_expired_failure());
    }

    #[test]
    fn surplus_and_settlement() {
        let mut r = success(PAYEE, "usd", "10");
        r.surplus_amount = "0.5".into();
        for (status, refunded) in [
            ("pending", true),
            ("sending", true),
            ("success", true),
            ("yes", true),
            ("no", false),
            ("NO", false),
            ("", false),
        ] {
            r.surplus_status = status.into();
            assert_eq!(r.surplus().is_some(), refunded, "{status:?}");
        }
        r.surplus_status = "pending".into();
        for (amount, surplus) in [("0", None), ("", None), ("x", None), ("0.50", Some("0.5"))] {
            r.surplus_amount = amount.into();
            assert_eq!(r.surplus().map(|a| a.to_string()), surplus.map(String::from), "{amount}");
        }
        let usdt = "4d8c508b-91c5-375b-92b0-ee702ed2dac5";
        r.settle_symbol = "USDT".into();
        r.settle_asset = usdt.to_uppercase();
        assert_eq!(r.settled_otherwise(usdt, "USDT"), None);
        r.settle_asset = "c6d0c728-2624-429b-8e0d-d9d19b6592fa".into();
        r.settle_symbol = "BTC".into();
        assert_eq!(r.settled_otherwise(usdt, "USDT").as_deref(), Some("BTC"));
        assert_eq!(r.settled_otherwise(usdt, "").as_deref(), Some("BTC"), "the id decides");
        // No id from MixPay: the symbol, when the shop's is known.
        r.settle_asset = String::new();
        assert_eq!(r.settled_otherwise(usdt, "USDT").as_deref(), Some("BTC"));
        assert_eq!(r.settled_otherwise(usdt, ""), None, "nothing to compare with");
        r.settle_symbol = "usdt".into();
        assert_eq!(r.settled_otherwise(usdt, "USDT"), None);
        r.settle_symbol = String::new();
        assert_eq!(r.settled_otherwise(usdt, "USDT"), None, "not said: nothing to show");
    }

    #[test]
    fn a_late_success_after_the_expiry_is_paid_only_if_it_checks_out() {
        let e = expected();
        let expired = SaleStatus::Waiting.next(&e, &result("failed"));
        assert!(expired.is_expired_failure() && expired.is_final());
        assert_eq!(expired.next(&e, &result("success")), SaleStatus::Paid);
        assert!(matches!(
            expired.next(&e, &success(PAYEE, "usd", "1")),
            SaleStatus::Mismatch { .. }
        ));
        assert_eq!(expired.next(&e, &success("", "usd", "10")), expired);
        assert_eq!(expired.next(&e, &result("unpaid")), expired);
        // Any failure: a double payment (40021) refunded, then a verified
        // success, is Paid; a success that does not check out is not.
        let mut double = result("failed");
        double.failure_code = "40021".into();
        double.failure_reason = "Double payment".into();
        let failed = SaleStatus::Waiting.next(&e, &double);
        assert!(!failed.is_expired_failure() && failed.is_final());
        assert_eq!(failed.next(&e, &result("success")), SaleStatus::Paid);
        assert!(matches!(
            failed.next(&e, &success(OTHER, "usd", "10")),
            SaleStatus::Mismatch { .. }
        ));
        assert_eq!(failed.next(&e, &success(PAYEE, "usd", "")), failed);
        assert_eq!(failed.next(&e, &result("pending")), failed);
    }

    #[test]
    fn headlines_a_cashier_understands() {
        assert_eq!(SaleStatus::Paid.headline(false), "Paid");
        assert!(SaleStatus::Waiting
            .headline(true)
            .contains("still checking"));
        assert!(SaleStatus::Mismatch { mismatches: vec![] }
            .headline(false)
            .contains("does not match"));
        assert!(!SaleStatus::Mismatch { mismatches: vec![] }
            .headline(false)
            .contains("Paid"));
        assert!(!SaleStatus::Verifying { why: String::new() }
            .headline(false)
            .contains("Paid"));
        assert_eq!(
            SaleStatus::Failed {
                code: "40000".into(),
                reason: "Payment overtime".into(),
                paid: String::new(),
                symbol: String::new(),
            }
            .headline(false),
            "Payment failed: Payment overtime"
        );
        assert!(SaleStatus::Confirming { confirmations: 2 }
            .headline(false)
            .contains("2 confirmations"));
    }

    #[test]
    fn sales_stored_before_this_version_still_read() {
        let old: SaleStatus =
            parse_status(r#"{"kind":"underpaid","payable":"5 USDT"}"#).unwrap();
        assert!(matches!(old, SaleStatus::Underpaid { .. }));
        let paid: SaleStatus = parse_status(r#"{"kind":"paid"}"#).unwrap();
        assert_eq!(paid, SaleStatus::Paid);
    }

    #[test]
    fn every_status_reads_back_as_written() {
        let all = [
            SaleStatus::Creating,
            SaleStatus::Waiting,
            SaleStatus::Confirming { confirmations: 3 },
            SaleStatus::Underpaid {
                still_due: "4.5".into(),
                paid: "5.5".into(),
                asked: "10".into(),
                symbol: "USDT".into(),
            },
            SaleStatus::Auditing,
            SaleStatus::Verifying { why: "no amount".into() },
            SaleStatus::Paid,
            SaleStatus::Mismatch {
                mismatches: vec![Mismatch {
                    field: "quoteAmount".into(),
                    expected: "10".into(),
                    received: "9".into(),
                }],
            },
            SaleStatus::Failed { code: "40000".into(), reason: "Payment overtime".into(), paid: String::new(), symbol: String::new() },
            SaleStatus::Failed { code: "40024".into(), reason: "Wrong amount".into(), paid: "4.5".into(), symbol: "USDT".into() },
        ];
        for status in all {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(parse_status(&json).unwrap(), status, "{json}");
        }
    }

    #[test]
    fn a_stored_status_of_the_wrong_shape_is_unreadable() {
        for json in [
            r#""paid""#,
            r#"null"#,
            r#"{"kind":1}"#,
            r#"{"kind":"Paid"}"#,
            r#"{"kind":"confirming","confirmations":"3"}"#,
            r#"{"kind":"confirming","confirmations":null}"#,
            r#"{"kind":"underpaid","still_due":4.5}"#,
            r#"{"kind":"underpaid","paid":null}"#,
            r#"{"kind":"mismatch","mismatches":{}}"#,
            r#"{"kind":"mismatch","mismatches":[{"field":"quoteAmount","expected":"10"}]}"#,
            r#"{"kind":"mismatch","mismatches":[{"field":"quoteAmount","expected":"10","received":9}]}"#,
            r#"{"kind":"failed","code":40000,"reason":"x"}"#,
            r#"{"kind":"failed","code":"40000","reason":null}"#,
            // Every field present is checked, whatever the kind needs.
            r#"{"kind":"paid","why":false}"#,
            r#"{"kind":"waiting","confirmations":1.5}"#,
        ] {
            assert!(parse_status(json).is_err(), "{json}");
        }
        // Unknown fields are ignored; null optional fields are absent.
        let failed: SaleStatus = parse_status(
            r#"{"kind":"failed","code":"40000","reason":"Payment overtime","later":{"x":[1]},"confirmations":null}"#,
        )
        .unwrap();
        assert_eq!(
            failed,
            SaleStatus::Failed { code: "40000".into(), reason: "Payment overtime".into(), paid: String::new(), symbol: String::new() }
        );
        let mismatch: SaleStatus = parse_status(
            r#"{"kind":"mismatch","mismatches":[{"field":"quoteAmount","expected":"10","received":"9.999999999999999999","extra":1}]}"#,
        )
        .unwrap();
        let SaleStatus::Mismatch { mismatches } = mismatch else { panic!("a mismatch") };
        assert_eq!(mismatches[0].received, "9.999999999999999999", "exact text");
    }

    #[test]
    fn a_stored_status_missing_what_its_kind_needs_is_unreadable() {
        for json in [
            r#"{"kind":"confirming"}"#,
            r#"{"kind":"mismatch"}"#,
            r#"{"kind":"failed","code":"40000"}"#,
            r#"{"kind":"refunded"}"#,
            r#"{"confirmations":1}"#,
        ] {
            assert!(parse_status(json).is_err(), "{json}");
        }
        let underpaid: SaleStatus = parse_status(r#"{"kind":"underpaid"}"#).unwrap();
        assert_eq!(
            underpaid,
            SaleStatus::Underpaid {
                still_due: String::new(),
                paid: String::new(),
                asked: String::new(),
                symbol: String::new()
            }
        );
    }
}
