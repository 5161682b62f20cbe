//! The one rule for two copies of the same sale: the one stored and the one
//! about to be written (from another tab, a late answer, a Cancel, the
//! start-up tidy-up). Writes are read-merge-write, so a verdict never goes
//! backwards whoever writes last:
//!
//! - Paid beats everything and is never replaced;
//! - a Mismatch beats Failed and every open status;
//! - Failed beats open statuses, and yields to a later verified Paid (a
//!   late payment after the expiry); of two failures, the one that knows
//!   what the customer paid;
//! - between two open statuses the newer record wins;
//! - `cancelled` stays set once set, and a link once made is kept.

use super::sale::Sale;
use super::status::SaleStatus;

/// Where a status stands in the order of verdicts.
/// A Paid without MixPay's verified answer on it (written into storage by
/// a script, say) ranks as an open status: it never wins a merge.
fn rank(sale: &Sale) -> u8 {
    match &sale.status {
        SaleStatus::Paid if super::paid_proof::paid_stands(sale) => 3,
        SaleStatus::Paid => 0,
        SaleStatus::Mismatch { .. } => 2,
        SaleStatus::Failed { .. } => 1,
        SaleStatus::Creating
        | SaleStatus::Waiting
        | SaleStatus::Confirming { .. }
        | SaleStatus::Underpaid { .. }
        | SaleStatus::Auditing
        | SaleStatus::Verifying { .. } => 0,
    }
}

/// The copy to keep of `stored` and `incoming`, two records of one sale.
pub fn merge(stored: &Sale, incoming: &Sale) -> Sale {
    let (a, b) = (rank(stored), rank(incoming));
    let incoming_wins = match a.cmp(&b) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Greater => false,
        // Two open statuses: the newer record (a tie goes to the writer).
        std::cmp::Ordering::Equal if a == 0 => incoming.updated_ms >= stored.updated_ms,
        // Two failures: the one that knows what the customer paid (MixPay
        // reports it on a later answer).
        std::cmp::Ordering::Equal if a == 1 => {
            stored.status.paid_on_failure().is_none() && incoming.status.paid_on_failure().is_some()
        }
        // Two verdicts of the same kind: the first one recorded stays.
        std::cmp::Ordering::Equal => false,
    };
    let (winner, other) = if incoming_wins {
        (incoming, stored)
    } else {
        (stored, incoming)
    };
    let mut merged = winner.clone();
    merged.cancelled = stored.cancelled || incoming.cancelled;
    merged.to_settle = stored.to_settle || incoming.to_settle;
    merged.settled = stored.settled || incoming.settled;
    if merged.link.is_none() {
        merged.link = other.link.clone();
    }
    merged.updated_ms = stored.updated_ms.max(incoming.updated_ms);
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Amount;
    use crate::domain::settings::Settings;

    const PAYEE: &str = "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b";

    /// A sale in `status`; a Paid one carries MixPay's verified answer, as
    /// the checker stores it.
    fn sale(status: SaleStatus, updated_ms: i64) -> Sale {
        let settings = Settings {
            payee_id: PAYEE.into(),
            ..Settings::default()
        };
        let mut s = Sale::new(&settings, Amount::parse("1").unwrap(), "", "t".into(), 0, 0);
        s.link = Some("https://mixpay.me/code/x".into());
        if status == SaleStatus::Paid {
            s.last_result = Some(success(PAYEE, "1"));
        }
        s.status = status;
        s.updated_ms = updated_ms;
        s
    }

    fn success(payee: &str, amount: &str) -> crate::domain::status::PaymentResult {
        crate::domain::status::PaymentResult {
            status: "success".into(),
            payee_id: payee.into(),
            quote_asset_id: "usd".into(),
            quote_amount: amount.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_paid_without_mixpays_verified_answer_never_wins() {
        let waiting = sale(SaleStatus::Waiting, 10);
        // Written into storage by a script: no answer, or one that does not
        // pass the rule, or an answer about another sale.
        let mut forged = sale(SaleStatus::Paid, 5);
        for proof in [
            None,
            Some(success("b7e3a1d2-4c5f-4a6b-8d9e-0f1a2b3c4d5e", "1")),
            Some(success(PAYEE, "100")),
            Some(crate::domain::status::PaymentResult {
                trace_id: "dd9c3e04-a5d2-41ec-b909-0242ac120002".into(),
                ..success(PAYEE, "1")
            }),
        ] {
            forged.last_result = proof;
            assert_eq!(merge(&waiting, &forged).status, SaleStatus::Waiting);
            assert_eq!(merge(&forged, &waiting).status, SaleStatus::Waiting);
        }
        // MixPay's own answer, whatever its case: it stands.
        forged.last_result = Some(crate::domain::status::PaymentResult {
            status: " Success".into(),
            ..success(PAYEE, "1.00")
        });
        assert_eq!(merge(&waiting, &forged).status, SaleStatus::Paid);
    }

    fn statuses() -> Vec<(&'static str, SaleStatus)> {
        vec![
            ("creating", SaleStatus::Creating),
            ("waiting", SaleStatus::Waiting),
            ("confirming", SaleStatus::Confirming { confirmations: 1 }),
            (
                "underpaid",
                SaleStatus::Underpaid {
                    still_due: "1".into(),
                    paid: "1".into(),
                    asked: "2".into(),
                    symbol: "USDT".into(),
                },
            ),
            ("auditing", SaleStatus::Auditing),
            ("verifying", SaleStatus::Verifying { why: String::new() }),
            (
                "failed",
                SaleStatus::failed("40000", "Payment overtime"),
            ),
            ("mismatch", SaleStatus::Mismatch { mismatches: vec![] }),
            ("paid", SaleStatus::Paid),
        ]
    }

    fn is_open(name: &str) -> bool {
        !matches!(name, "failed" | "mismatch" | "paid")
    }

    /// Which of two copies wins, by the order of verdicts alone.
    fn expected_winner(stored: &str, incoming: &str, incoming_newer: bool) -> &'static str {
        let rank = |n: &str| match n {
            "paid" => 3,
            "mismatch" => 2,
            "failed" => 1,
            _ => 0,
        };
        match rank(stored).cmp(&rank(incoming)) {
            std::cmp::Ordering::Less => "incoming",
            std::cmp::Ordering::Greater => "stored",
            std::cmp::Ordering::Equal if is_open(stored) => {
                if incoming_newer {
                    "incoming"
                } else {
                    "stored"
                }
            }
            std::cmp::Ordering::Equal => "stored",
        }
    }

    #[test]
    fn the_whole_table() {
        let all = statuses();
        let mut rows = 0;
        for (stored_name, stored_status) in &all {
            for (incoming_name, incoming_status) in &all {
                for incoming_newer in [true, false] {
                    let (s_ms, i_ms) = if incoming_newer { (10, 20) } else { (20, 10) };
                    let stored = sale(stored_status.clone(), s_ms);
                    let incoming = sale(incoming_status.clone(), i_ms);
                    let merged = merge(&stored, &incoming);
                    let want = match expected_winner(stored_name, incoming_name, incoming_newer) {
                        "incoming" => incoming_status,
                        _ => stored_status,
                    };
                    assert_eq!(
                        &merged.status, want,
                        "stored {stored_name}, incoming {incoming_name} (newer: {incoming_newer})"
                    );
                    assert_eq!(merged.updated_ms, 20);
                    rows += 1;
                }
            }
        }
        assert_eq!(rows, 9 * 9 * 2);
    }

    #[test]
    fn paid_is_never_replaced_and_failed_yields_to_a_late_paid() {
        let paid = sale(SaleStatus::Paid, 10);
        let cancel_from_another_tab = {
            let mut s = sale(SaleStatus::Waiting, 99);
            s.cancelled = true;
            s
        };
        let merged = merge(&paid, &cancel_from_another_tab);
        assert_eq!(
            merged.status,
            SaleStatus::Paid,
            "a Cancel never undoes Paid"
        );
        assert!(merged.cancelled);

        let mut late = sale(SaleStatus::Paid, 5);
        late.paid_late = true;
        let failed = sale(
            SaleStatus::failed("40000", ""),
            10,
        );
        let merged = merge(&failed, &late);
        assert_eq!(merged.status, SaleStatus::Paid);
        assert!(merged.paid_late);
    }

    #[test]
    fn of_two_failures_the_one_knowing_what_was_paid_wins() {
        let bare = sale(SaleStatus::failed("40000", "Payment overtime"), 10);
        let known = sale(
            SaleStatus::Failed {
                code: "40000".into(),
                reason: "Payment overtime".into(),
                paid: "4.5".into(),
                symbol: "USDT".into(),
            },
            5,
        );
        assert_eq!(merge(&bare, &known).status, known.status);
        assert_eq!(merge(&known, &bare).status, known.status);
    }

    #[test]
    fn cancelled_and_the_link_stick() {
        let mut cancelled = sale(SaleStatus::Waiting, 10);
        cancelled.cancelled = true;
        let newer = sale(SaleStatus::Confirming { confirmations: 2 }, 20);
        let merged = merge(&cancelled, &newer);
        assert_eq!(merged.status, SaleStatus::Confirming { confirmations: 2 });
        assert!(merged.cancelled, "cancelled stays set");
        let mut kept = sale(SaleStatus::Waiting, 10);
        kept.to_settle = true;
        assert!(merge(&newer, &kept).to_settle, "kept open to settle stays set");
        let mut settled = kept.clone();
        settled.settled = true;
        let merged = merge(&settled, &kept);
        assert!(merged.to_settle && merged.settled, "settled stays set over an older copy");
        assert!(merge(&kept, &settled).settled);

        let mut creating = sale(SaleStatus::Creating, 30);
        creating.link = None;
        let merged = merge(&newer, &creating);
        assert_eq!(merged.status, SaleStatus::Creating, "newer open record");
        assert_eq!(merged.link, newer.link, "a link once made is kept");
    }
}
