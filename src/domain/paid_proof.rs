//! A "Paid" that arrives from storage (another tab's write, a reload) is
//! not taken on its word: any script of the same origin can write one. It
//! stands only with the proof the checker keeps beside it, MixPay's
//! `success` answer, passing the verdict rule again against the sale's own
//! payee, currency and amount. Otherwise the tab asks MixPay itself.

use super::sale::Sale;
use super::status::{same_uuid, verify, SaleStatus, Verdict};

/// Whether `sale`, read from storage, may be shown as it says: anything but
/// Paid, or Paid with MixPay's verified `success` answer on it.
pub fn paid_stands(sale: &Sale) -> bool {
    sale.status != SaleStatus::Paid
        || sale.last_result.as_ref().is_some_and(|r| {
            r.status.trim().eq_ignore_ascii_case("success")
                // A result copied from another sale is no proof for this one.
                && (r.trace_id.trim().is_empty() || same_uuid(&r.trace_id, &sale.trace_id))
                && verify(&sale.expected(), r) == Verdict::Verified
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Amount;
    use crate::domain::settings::{Settings, SettlementAsset};
    use crate::domain::status::PaymentResult;

    fn sale() -> Sale {
        let settings = Settings {
            payee_id: "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b".into(),
            settlement: Some(SettlementAsset {
                asset_id: "4d8c508b-91c5-375b-92b0-ee702ed2dac5".into(),
                symbol: "USDT".into(),
                name: String::new(),
                icon_url: String::new(),
            }),
            ..Settings::default()
        };
        Sale::new(&settings, Amount::parse("7.5").unwrap(), "", "t-1".into(), 0, 0)
    }

    fn success(payee: &str, amount: &str) -> PaymentResult {
        PaymentResult {
            status: "success".into(),
            payee_id: payee.into(),
            quote_asset_id: "usd".into(),
            quote_amount: amount.into(),
            ..PaymentResult::default()
        }
    }

    #[test]
    fn a_paid_without_mixpays_verified_answer_does_not_stand() {
        let mut s = sale();
        assert!(paid_stands(&s), "a waiting sale is shown as it is");
        s.status = SaleStatus::Paid;
        assert!(!paid_stands(&s), "Paid written with no answer");
        s.last_result = Some(success("3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b", "7.50"));
        assert!(paid_stands(&s));
        s.last_result = Some(success("b7e3a1d2-4c5f-4a6b-8d9e-0f1a2b3c4d5e", "7.50"));
        assert!(!paid_stands(&s), "another payee's answer");
        s.last_result = Some(success("3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b", "0.01"));
        assert!(!paid_stands(&s), "another amount");
        s.last_result = Some(PaymentResult { status: "pending".into(), ..success("3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b", "7.50") });
        assert!(!paid_stands(&s), "not a success");
    }
}
