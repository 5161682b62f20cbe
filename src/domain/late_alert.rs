//! A sale the cashier cancelled that was paid afterwards. MixPay has no
//! cancel call: a QR stays payable until its expiry, whatever the till did,
//! so a customer may pay a sale the cashier already gave up while being
//! charged again. The cashier is told at once, on whatever screen is up,
//! until they open the sale or dismiss the alert.

use super::sale::Sale;
use super::status::SaleStatus;

/// One alert, as kept on the device until acknowledged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LateAlert {
    pub trace_id: String,
    pub order_id: String,
    /// The sale's amount as the cashier reads it ("$5.00").
    pub amount: String,
}

impl LateAlert {
    pub fn of(sale: &Sale) -> LateAlert {
        LateAlert {
            trace_id: sale.trace_id.clone(),
            order_id: sale.order_id().to_string(),
            amount: sale.amount_text(),
        }
    }

    /// What the alert names the sale by: its order number, else the start
    /// of its traceId.
    pub fn label(&self) -> &str {
        if self.order_id.is_empty() {
            self.trace_id.get(..8).unwrap_or(&self.trace_id)
        } else {
            &self.order_id
        }
    }
}

/// Whether recording `after` (whose status was `before`) is a sale the
/// cashier gave up turning Paid, verified by the same rule as every Paid: a
/// cancelled sale, or a failed one no longer on screen (the cashier tapped
/// "New sale" on it; MixPay's failures are refunds, not always the end).
pub fn paid_after_cancel(before: &SaleStatus, after: &Sale, on_screen: bool) -> bool {
    let given_up = after.cancelled || (matches!(before, SaleStatus::Failed { .. }) && !on_screen);
    given_up && after.status == SaleStatus::Paid && *before != SaleStatus::Paid
}

/// Adds `alert` unless the same sale already has one; says whether it was added.
pub fn add(list: &mut Vec<LateAlert>, alert: LateAlert) -> bool {
    if list.iter().any(|a| a.trace_id == alert.trace_id) {
        return false;
    }
    list.push(alert);
    true
}

/// The stored form: one alert a line, its fields apart by tabs (none of
/// them holds a tab or a line break). Plain text keeps serde's code for one
/// more type out of the wasm.
pub fn to_stored(list: &[LateAlert]) -> String {
    list.iter()
        .map(|a| format!("{}\t{}\t{}", a.trace_id, a.order_id, a.amount))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The stored list; lines that are not three fields are skipped.
pub fn parse(stored: &str) -> Vec<LateAlert> {
    stored
        .lines()
        .filter_map(|line| {
            let mut f = line.split('\t');
            let (trace_id, order_id, amount) = (f.next()?, f.next()?, f.next()?);
            (!trace_id.is_empty() && f.next().is_none()).then(|| LateAlert {
                trace_id: trace_id.into(),
                order_id: order_id.into(),
                amount: amount.into(),
            })
        })
        .collect()
}

/// `hh:mm` of a moment given as local hours and minutes.
pub fn hh_mm(hour: u32, minute: u32) -> String {
    format!("{hour:02}:{minute:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Amount;
    use crate::domain::settings::Settings;

    fn sale() -> Sale {
        Sale::new(
            &Settings::default(),
            Amount::parse("5").unwrap(),
            "",
            "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f".into(),
            0,
            0,
        )
        .with_order_id("T3K9QX-000007".into())
    }

    #[test]
    fn only_a_cancelled_sale_turning_paid_raises_one() {
        let mut s = sale();
        s.status = SaleStatus::Paid;
        assert!(!paid_after_cancel(&SaleStatus::Waiting, &s, false), "not cancelled");
        // A failed sale the cashier left with "New sale", paid after all.
        let double = SaleStatus::failed("40021", "Double payment");
        assert!(paid_after_cancel(&double, &s, false));
        assert!(!paid_after_cancel(&double, &s, true), "on screen: the screen says Paid");
        s.cancelled = true;
        assert!(paid_after_cancel(&SaleStatus::Waiting, &s, false));
        assert!(paid_after_cancel(&SaleStatus::failed("40000", ""), &s, true));
        assert!(!paid_after_cancel(&SaleStatus::Paid, &s, false), "already told");
        s.status = SaleStatus::Mismatch { mismatches: vec![] };
        assert!(!paid_after_cancel(&SaleStatus::Waiting, &s, false));
    }

    #[test]
    fn alerts_are_kept_once_per_sale_and_read_back() {
        let mut s = sale();
        let mut list = vec![];
        assert!(add(&mut list, LateAlert::of(&s)));
        assert!(!add(&mut list, LateAlert::of(&s)));
        assert_eq!(list[0].label(), "T3K9QX-000007");
        assert_eq!(list[0].amount, "$5.00");
        s.params.order_id.clear();
        assert_eq!(LateAlert::of(&s).label(), "6f1c2d3e");
        list.push(LateAlert::of(&s));
        assert_eq!(parse(&to_stored(&list)), list);
        assert!(parse("not ours").is_empty());
        assert!(parse("").is_empty());
        assert_eq!(hh_mm(9, 5), "09:05");
    }
}
