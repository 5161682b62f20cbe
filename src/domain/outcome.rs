//! The facts an outcome screen shows from a metre away, as plain values: how
//! much of an underpayment is paid (for the bar), and what a mismatch
//! received against what the sale expected, each in its unit. Wording is the
//! catalogue's; this module only decides the numbers.

use super::money::Amount;
use super::money_format::MoneyStyle;
use super::status::Mismatch;

/// Parts per thousand of `part` in `whole`, clamped to 0..=1000; `None` when
/// either is unreadable or the whole is zero (no bar rather than a wrong one).
pub fn permille(part: &str, whole: &str) -> Option<u32> {
    Amount::parse(part)
        .ok()?
        .permille_of(Amount::parse(whole).ok()?)
}

/// What a mismatch concerns, in the order a cashier should read them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MismatchKind {
    Amount,
    Currency,
    Payee,
}

/// One contradiction, ready to word: "Received 0.30 USD, expected 30.00 USD".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MismatchLine {
    pub kind: MismatchKind,
    pub received: String,
    pub expected: String,
}

/// The mismatches of a sale as lines with units: amounts in the sale's money
/// format (the received amount keeps every place it came with), the currency
/// by the sale's symbol where it is the expected one, payees shortened.
pub fn mismatch_lines(found: &[Mismatch], style: &MoneyStyle) -> Vec<MismatchLine> {
    let mut lines: Vec<MismatchLine> = found
        .iter()
        .map(|m| {
            let kind = match m.field.as_str() {
                "Amount" => MismatchKind::Amount,
                "Currency" => MismatchKind::Currency,
                _ => MismatchKind::Payee,
            };
            let (received, expected) = match kind {
                MismatchKind::Amount => (
                    money_or_raw(&m.received, style),
                    money_or_raw(&m.expected, style),
                ),
                MismatchKind::Currency => (m.received.clone(), style.code.clone()),
                MismatchKind::Payee => (short_id(&m.received), short_id(&m.expected)),
            };
            MismatchLine {
                kind,
                received,
                expected,
            }
        })
        .collect();
    lines.sort_by_key(|l| l.kind as u8);
    lines
}

fn money_or_raw(text: &str, style: &MoneyStyle) -> String {
    match Amount::parse(text) {
        Ok(a) => style.format(&a),
        Err(_) => text.to_string(),
    }
}

/// "3f2a…5a6b": enough to tell two payees apart at a glance.
fn short_id(id: &str) -> String {
    super::history::short_id(id.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(field: &str, expected: &str, received: &str) -> Mismatch {
        Mismatch {
            field: field.into(),
            expected: expected.into(),
            received: received.into(),
        }
    }

    #[test]
    fn permille_is_exact_and_clamped() {
        assert_eq!(permille("4.5", "9"), Some(500));
        assert_eq!(permille("4.50", "9.00"), Some(500));
        assert_eq!(permille("0", "9"), Some(0));
        assert_eq!(permille("1", "3"), Some(333));
        assert_eq!(permille("0.00000001", "1"), Some(0));
        assert_eq!(permille("12", "9"), Some(1000));
        assert_eq!(permille("1", "0"), None);
        assert_eq!(permille("", "9"), None);
        assert_eq!(permille("abc", "9"), None);
    }

    #[test]
    fn an_amount_mismatch_reads_with_units_on_both_sides() {
        let usd = MoneyStyle::new("USD", 2);
        let lines = mismatch_lines(&[m("Amount", "30", "0.3")], &usd);
        assert_eq!(
            lines,
            vec![MismatchLine {
                kind: MismatchKind::Amount,
                received: "$0.30".into(),
                expected: "$30.00".into(),
            }]
        );
    }

    #[test]
    fn amount_first_then_currency_then_payee_shortened() {
        let usd = MoneyStyle::new("USD", 2);
        let lines = mismatch_lines(
            &[
                m(
                    "Payee",
                    "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b",
                    "aaaa0000-0000-0000-0000-00000000bbbb",
                ),
                m("Currency", "usd", "eur"),
                m("Amount", "30", "not a number"),
            ],
            &usd,
        );
        let kinds: Vec<_> = lines.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                MismatchKind::Amount,
                MismatchKind::Currency,
                MismatchKind::Payee
            ]
        );
        assert_eq!(lines[0].received, "not a number");
        assert_eq!(lines[1].received, "eur");
        assert_eq!(lines[1].expected, "USD");
        assert_eq!(lines[2].received, "aaaa…bbbb");
        assert_eq!(lines[2].expected, "3f2a…5a6b");
    }
}
