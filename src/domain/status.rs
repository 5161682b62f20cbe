//! What MixPay says about a payment, what the cashier is shown, and the one
//! rule that decides "Paid": status `success` AND payee, quote asset and
//! amount equal to the saved sale's.

use super::money::Amount;
use serde::{Deserialize, Serialize};

/// `data` of `payments_result`, as plain values (parsed tolerantly in `api`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaymentResult {
    pub status: String,
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
    pub payable_amount: String,
    pub payable_symbol: String,
    pub failure_code: String,
    pub failure_reason: String,
}

/// What the sale expects MixPay to report once paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expected {
    pub payee_id: String,
    pub quote_asset_id: String,
    pub quote_amount: Amount,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mismatch {
    pub field: String,
    pub expected: String,
    pub received: String,
}

/// Compares a `success` result with the sale. Empty = every check passed.
pub fn mismatches(expected: &Expected, result: &PaymentResult) -> Vec<Mismatch> {
    let mut out = vec![];
    let same_id =
        |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim()) && !a.trim().is_empty();
    if !same_id(&expected.payee_id, &result.payee_id) {
        out.push(Mismatch {
            field: "Payee".into(),
            expected: expected.payee_id.clone(),
            received: result.payee_id.clone(),
        });
    }
    if !same_id(&expected.quote_asset_id, &result.quote_asset_id) {
        out.push(Mismatch {
            field: "Currency".into(),
            expected: expected.quote_asset_id.clone(),
            received: result.quote_asset_id.clone(),
        });
    }
    // An amount that does not parse is never equal: MixPay must send a decimal.
    if Amount::parse(&result.quote_amount).ok() != Some(expected.quote_amount) {
        out.push(Mismatch {
            field: "Amount".into(),
            expected: expected.quote_amount.to_string(),
            received: result.quote_amount.clone(),
        });
    }
    out
}

/// Where a sale stands, as the cashier is told it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SaleStatus {
    /// The one-time payment is being created (or creating it failed and can be retried).
    Creating,
    /// The QR is up; nobody has paid yet (also any status MixPay adds later).
    Waiting,
    /// MixPay has seen the payment and it is confirming.
    Confirming {
        confirmations: i64,
    },
    /// The payer paid less; they can still top up.
    Underpaid {
        payable: String,
    },
    Auditing,
    /// `success`, verified against the sale.
    Paid,
    /// `success`, but not for this sale's payee, currency or amount.
    Mismatch {
        mismatches: Vec<Mismatch>,
    },
    Failed {
        code: String,
        reason: String,
    },
}

impl SaleStatus {
    /// Final: nothing MixPay says later changes it, and polling stops.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            SaleStatus::Paid | SaleStatus::Mismatch { .. } | SaleStatus::Failed { .. }
        )
    }

    /// The status a result leads to, given the sale's expectations. A final
    /// status stays: a late or flaky answer cannot turn "Paid" back into waiting.
    pub fn next(&self, expected: &Expected, result: &PaymentResult) -> SaleStatus {
        if self.is_final() {
            return self.clone();
        }
        match result.status.trim().to_ascii_lowercase().as_str() {
            "success" => {
                let found = mismatches(expected, result);
                if found.is_empty() {
                    SaleStatus::Paid
                } else {
                    SaleStatus::Mismatch { mismatches: found }
                }
            }
            "failed" => SaleStatus::Failed {
                code: result.failure_code.clone(),
                reason: result.failure_reason.clone(),
            },
            "pending" | "confirming" => SaleStatus::Confirming {
                confirmations: result.confirmations.max(0),
            },
            "paid_less" => SaleStatus::Underpaid {
                payable: format!("{} {}", result.payable_amount, result.payable_symbol)
                    .trim()
                    .to_string(),
            },
            "auditing" => SaleStatus::Auditing,
            // `unpaid` and anything not known yet: keep checking, never success.
            _ => SaleStatus::Waiting,
        }
    }

    /// One line for the cashier. `expired` says the countdown has run out.
    pub fn headline(&self, expired: bool) -> String {
        match self {
            SaleStatus::Creating => "Creating the payment…".into(),
            SaleStatus::Waiting if expired => "Expired — still checking for a late payment".into(),
            SaleStatus::Waiting => "Waiting for payment".into(),
            SaleStatus::Confirming { confirmations: 0 } => "Payment seen — confirming".into(),
            SaleStatus::Confirming { confirmations } => {
                format!("Payment seen — confirming ({confirmations} confirmations)")
            }
            SaleStatus::Underpaid { payable } if payable.is_empty() => {
                "Underpaid — the customer must pay the rest".into()
            }
            SaleStatus::Underpaid { payable } => {
                format!("Underpaid — the customer must still pay {payable}")
            }
            SaleStatus::Auditing => "Payment under review by MixPay — wait".into(),
            SaleStatus::Paid => "Paid".into(),
            SaleStatus::Mismatch { .. } => "Payment does not match - do not hand over goods".into(),
            SaleStatus::Failed { reason, code } if reason.is_empty() => {
                format!("Payment failed (code {code})")
            }
            SaleStatus::Failed { reason, .. } => format!("Payment failed: {reason}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAYEE: &str = "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b";

    fn expected() -> Expected {
        Expected {
            payee_id: PAYEE.into(),
            quote_asset_id: "usd".into(),
            quote_amount: Amount::parse("10").unwrap(),
        }
    }

    fn success(payee: &str, asset: &str, amount: &str) -> PaymentResult {
        PaymentResult {
            status: "success".into(),
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
        // (payee, asset, amount) -> fields that mismatch
        let table: &[(&str, &str, &str, &[&str])] = &[
            (PAYEE, "usd", "10", &[]),
            (PAYEE, "usd", "10.00", &[]),
            (&PAYEE.to_uppercase(), "USD", "10.0", &[]),
            (other, "usd", "10", &["Payee"]),
            (PAYEE, "eur", "10", &["Currency"]),
            (PAYEE, "usd", "1", &["Amount"]),
            (PAYEE, "usd", "10.01", &["Amount"]),
            (PAYEE, "usd", "", &["Amount"]),
            (PAYEE, "usd", "ten", &["Amount"]),
            ("", "usd", "10", &["Payee"]),
            (other, "eur", "9", &["Payee", "Currency", "Amount"]),
        ];
        for (payee, asset, amount, fields) in table {
            let found: Vec<String> = mismatches(&e, &success(payee, asset, amount))
                .into_iter()
                .map(|m| m.field)
                .collect();
            assert_eq!(&found, fields, "{payee} {asset} {amount}");
            let status = SaleStatus::Waiting.next(&e, &success(payee, asset, amount));
            assert_eq!(status == SaleStatus::Paid, fields.is_empty());
        }
    }

    fn result(status: &str) -> PaymentResult {
        PaymentResult {
            status: status.into(),
            confirmations: 2,
            payable_amount: "5".into(),
            payable_symbol: "USDT".into(),
            failure_code: "40000".into(),
            failure_reason: "Payment overtime".into(),
            ..success(PAYEE, "usd", "10")
        }
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
            w.next(&e, &result("confirming")),
            SaleStatus::Confirming { confirmations: 2 }
        );
        assert_eq!(
            w.next(&e, &result("paid_less")),
            SaleStatus::Underpaid {
                payable: "5 USDT".into()
            }
        );
        assert_eq!(w.next(&e, &result("auditing")), SaleStatus::Auditing);
        assert_eq!(w.next(&e, &result("something_new")), SaleStatus::Waiting);
        assert_eq!(w.next(&e, &result("")), SaleStatus::Waiting);
        assert_eq!(
            w.next(&e, &result("failed")),
            SaleStatus::Failed {
                code: "40000".into(),
                reason: "Payment overtime".into()
            }
        );
        assert_eq!(w.next(&e, &result("SUCCESS")), SaleStatus::Paid);
        // Final statuses stick.
        assert_eq!(
            SaleStatus::Paid.next(&e, &result("unpaid")),
            SaleStatus::Paid
        );
        let failed = w.next(&e, &result("failed"));
        assert_eq!(failed.next(&e, &result("success")), failed);
        assert!(failed.is_final() && SaleStatus::Paid.is_final());
        assert!(!SaleStatus::Underpaid {
            payable: String::new()
        }
        .is_final());
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
        assert_eq!(
            SaleStatus::Failed {
                code: "40000".into(),
                reason: "Payment overtime".into()
            }
            .headline(false),
            "Payment failed: Payment overtime"
        );
        assert!(SaleStatus::Confirming { confirmations: 2 }
            .headline(false)
            .contains("2 confirmations"));
    }
}
