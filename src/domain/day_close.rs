//! "Close the day" (issue 27, part 1): the report of one local day's sales
//! as plain values, the record of a day closed, and what changed since.
//!
//! The per-outcome figures are counted from the day's sales (the per-day
//! store keeps verified payments only: count, sum and tips per currency);
//! the paid figures are then checked against that store (`agrees_with`), so
//! the report and History's totals cannot silently disagree. The record of
//! a closed day keeps the paid figures of the store, which History reads on
//! every load without reading a sale (`changes_since`).

use super::history::{self, CurrencySum, DayTotal};
use super::money::Amount;
use super::sale::Sale;
use super::status::SaleStatus;

/// What became of a sale, as the report counts it. Every sale is in one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    Paid,
    /// Paid after the cashier cancelled it or after it expired (a late payment).
    PaidAfterCancel,
    /// A payment that does not match, not kept open (or already settled).
    DoesNotMatch,
    /// A payment that does not match, kept open to settle with the customer.
    ToSettle,
    /// Failed or expired with nothing verified.
    NotPaid,
    /// Cancelled by the cashier, nothing paid.
    Cancelled,
    /// Still waiting for an answer (not cancelled).
    Open,
}

impl Outcome {
    /// In the report's order.
    pub const ALL: [Outcome; 7] = [
        Outcome::Paid,
        Outcome::PaidAfterCancel,
        Outcome::DoesNotMatch,
        Outcome::ToSettle,
        Outcome::NotPaid,
        Outcome::Cancelled,
        Outcome::Open,
    ];

    pub fn of(sale: &Sale) -> Outcome {
        match &sale.status {
            SaleStatus::Paid if sale.cancelled || sale.paid_late => Outcome::PaidAfterCancel,
            SaleStatus::Paid => Outcome::Paid,
            SaleStatus::Mismatch { .. } if sale.to_settle && !sale.settled => Outcome::ToSettle,
            SaleStatus::Mismatch { .. } => Outcome::DoesNotMatch,
            _ if sale.cancelled => Outcome::Cancelled,
            SaleStatus::Failed { .. } => Outcome::NotPaid,
            _ => Outcome::Open,
        }
    }

    /// Counted in History's totals (a verified payment).
    pub fn is_paid(self) -> bool {
        matches!(self, Outcome::Paid | Outcome::PaidAfterCancel)
    }

    /// Listed under "still open or to settle", each with a button to open it.
    pub fn is_pending(self) -> bool {
        matches!(self, Outcome::Open | Outcome::ToSettle | Outcome::Cancelled)
    }
}

/// Whether the close asks MixPay about a sale again first: not final, or
/// cancelled (a cancelled sale may have been paid since), and with a link
/// MixPay knows.
pub fn wants_recheck(sale: &Sale) -> bool {
    sale.link.is_some()
        && (!sale.status.is_final()
            || (sale.cancelled && sale.status != SaleStatus::Paid)
            || sale.status.is_expired_failure())
}

/// An amount in one currency or asset, with the places it is written with,
/// and how many sales make it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Money {
    pub code: String,
    pub decimals: u32,
    pub count: usize,
    pub amount: Amount,
}

/// Adds `amount` of `code` into `list` (one entry per code, in first-seen order).
fn add_money(list: &mut Vec<Money>, code: &str, decimals: u32, amount: Amount) {
    match list.iter_mut().find(|m| m.code == code) {
        Some(m) => {
            m.amount = m.amount.checked_add(amount).unwrap_or(m.amount);
            m.decimals = m.decimals.max(decimals);
            m.count += 1;
        }
        None => list.push(Money {
            code: code.to_string(),
            decimals,
            count: 1,
            amount,
        }),
    }
}

/// One outcome's line: how many sales, and their amounts per currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutcomeLine {
    pub outcome: Outcome,
    pub count: usize,
    pub sums: Vec<Money>,
}

/// A sale still open or to settle, listed with a button to open it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub trace_id: String,
    pub order_id: String,
    pub outcome: Outcome,
    pub amount: Money,
    pub created_ms: i64,
}

/// The day's report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayReport {
    /// The local day, "2026-12-07".
    pub day: String,
    pub sales: usize,
    /// Every outcome, in `Outcome::ALL`'s order (a count of 0 included).
    pub lines: Vec<OutcomeLine>,
    /// Tips of the verified payments, per currency.
    pub tips: Vec<Money>,
    /// Overpayments MixPay refunds, per paying asset.
    pub overpaid: Vec<Money>,
    /// What the shop was settled for the verified payments, per asset.
    pub settled: Vec<Money>,
    /// The first and last order number of the day (by time of sale).
    pub first_order: Option<String>,
    pub last_order: Option<String>,
    pub pending: Vec<Pending>,
}

/// Places of an asset amount as MixPay wrote it (at least two).
fn places(text: &str) -> u32 {
    text.trim()
        .split_once('.')
        .map_or(0, |(_, f)| f.len() as u32)
        .max(2)
}

impl DayReport {
    /// The report of `day` from its sales (any order).
    pub fn of<'a>(day: &str, sales: impl IntoIterator<Item = &'a Sale>) -> DayReport {
        let mut sales: Vec<&Sale> = sales.into_iter().collect();
        // By time of sale: an insertion sort, a few KB less wasm than
        // `sort_by` for a day's few hundred sales (a few ms at worst).
        let key = |s: &'a Sale| (s.created_ms, s.trace_id.as_str());
        for i in 1..sales.len() {
            let mut j = i;
            while j > 0 && key(sales[j - 1]) > key(sales[j]) {
                sales.swap(j - 1, j);
                j -= 1;
            }
        }
        let mut lines: Vec<OutcomeLine> = Outcome::ALL
            .into_iter()
            .map(|outcome| OutcomeLine {
                outcome,
                count: 0,
                sums: vec![],
            })
            .collect();
        let (mut tips, mut overpaid, mut settled) = (vec![], vec![], vec![]);
        let mut pending = vec![];
        for s in &sales {
            let outcome = Outcome::of(s);
            let line = &mut lines[index(outcome)];
            line.count += 1;
            add_money(&mut line.sums, &s.quote_symbol, s.decimals, s.params.quote_amount);
            if outcome.is_paid() {
                if let Some(tip) = s.tip.filter(|t| !t.is_zero()) {
                    add_money(&mut tips, &s.quote_symbol, s.decimals, tip);
                }
                let r = s.last_result.clone().unwrap_or_default();
                if let Some(x) = r.surplus() {
                    add_money(&mut overpaid, r.payment_symbol.trim(), places(&r.surplus_amount), x);
                }
                let asset = if r.settle_symbol.trim().is_empty() {
                    r.settle_asset.trim()
                } else {
                    r.settle_symbol.trim()
                };
                if let (false, Ok(a)) = (asset.is_empty(), Amount::parse(r.settle_amount.trim())) {
                    add_money(&mut settled, asset, places(&r.settle_amount), a);
                }
            }
            if outcome.is_pending() {
                pending.push(Pending {
                    trace_id: s.trace_id.clone(),
                    order_id: s.order_id().to_string(),
                    outcome,
                    amount: Money {
                        code: s.quote_symbol.clone(),
                        decimals: s.decimals,
                        count: 1,
                        amount: s.params.quote_amount,
                    },
                    created_ms: s.created_ms,
                });
            }
        }
        let orders: Vec<&str> = sales
            .iter()
            .map(|s| s.order_id())
            .filter(|o| !o.is_empty())
            .collect();
        DayReport {
            day: day.to_string(),
            sales: sales.len(),
            lines,
            tips,
            overpaid,
            settled,
            first_order: orders.first().map(|o| o.to_string()),
            last_order: orders.last().map(|o| o.to_string()),
            pending,
        }
    }

    pub fn line(&self, outcome: Outcome) -> &OutcomeLine {
        &self.lines[index(outcome)]
    }

    /// The verified payments per currency (count, sum, tips), as the
    /// per-day store keeps them (added up by History's own summary).
    pub fn paid(&self) -> Vec<CurrencySum> {
        let mut days: Vec<DayTotal> = vec![];
        for outcome in [Outcome::Paid, Outcome::PaidAfterCancel] {
            for m in &self.line(outcome).sums {
                let tips = self.tips.iter().find(|t| t.code == m.code);
                // The tips once per currency.
                let first = !days.iter().any(|d| d.currency == m.code);
                days.push(DayTotal {
                    day: self.day.clone(),
                    currency: m.code.clone(),
                    decimals: m.decimals,
                    count: m.count,
                    subtotal: Amount::ZERO,
                    tips: tips.filter(|_| first).map_or(Amount::ZERO, |t| t.amount),
                    sum: m.amount,
                });
            }
        }
        history::summary(&days)
    }

    /// Whether the report's verified payments are the per-day store's for
    /// this day: the same count, sum and tips in every currency.
    pub fn agrees_with(&self, store: &[DayTotal]) -> bool {
        same_paid(&day_summary(store, &self.day), &self.paid())
    }
}

fn index(outcome: Outcome) -> usize {
    Outcome::ALL.iter().position(|o| *o == outcome).unwrap_or(0)
}

/// The per-day store's figures of `day`, added up per currency.
pub fn day_summary(store: &[DayTotal], day: &str) -> Vec<CurrencySum> {
    let mine: Vec<DayTotal> = store.iter().filter(|t| t.day == day).cloned().collect();
    history::summary(&mine)
}

/// Two lists of per-currency figures equal whatever their order.
fn same_paid(a: &[CurrencySum], b: &[CurrencySum]) -> bool {
    a.len() == b.len()
        && a.iter().all(|x| {
            b.iter().any(|y| {
                y.currency == x.currency && y.count == x.count && y.sum == x.sum && y.tips == x.tips
            })
        })
}

/// A day closed on this device: who (the device), when, and the totals as
/// closed (every sale's outcome count, and the verified payments per
/// currency, from the per-day store).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosedDay {
    pub day: String,
    pub device_id: String,
    pub closed_ms: i64,
    pub sales: usize,
    /// Per outcome, in `Outcome::ALL`'s order.
    pub counts: Vec<usize>,
    pub paid: Vec<CurrencySum>,
}

impl ClosedDay {
    pub fn new(report: &DayReport, device_id: &str, closed_ms: i64, paid: Vec<CurrencySum>) -> ClosedDay {
        ClosedDay {
            day: report.day.clone(),
            device_id: device_id.to_string(),
            closed_ms,
            sales: report.sales,
            counts: report.lines.iter().map(|l| l.count).collect(),
            paid,
        }
    }

    /// One record as text lines (tab-separated; kept in device storage).
    fn write(&self, out: &mut String) {
        let counts: Vec<String> = self.counts.iter().map(|c| c.to_string()).collect();
        out.push_str(&format!(
            "day\t{}\t{}\t{}\t{}\t{}\n",
            self.day,
            self.device_id,
            self.closed_ms,
            self.sales,
            counts.join(",")
        ));
        for c in &self.paid {
            out.push_str(&format!(
                "paid\t{}\t{}\t{}\t{}\t{}\n",
                c.currency,
                c.decimals,
                c.count,
                c.sum.format_fixed(c.decimals),
                c.tips.format_fixed(c.decimals)
            ));
        }
    }
}

/// The closed days kept on the device, the newest day last; at most this many.
pub const CLOSED_DAYS_KEPT: usize = 400;

/// The stored form of closed days.
pub fn write_closed(days: &[ClosedDay]) -> String {
    let mut out = String::from("closed-days 1\n");
    for d in days {
        d.write(&mut out);
    }
    out
}

/// Reads what `write_closed` wrote; a line it cannot read is left out (and
/// a `paid` line with no day before it).
pub fn read_closed(text: &str) -> Vec<ClosedDay> {
    let mut out: Vec<ClosedDay> = vec![];
    let mut lines = text.lines();
    if lines.next() != Some("closed-days 1") {
        return out;
    }
    for line in lines {
        let f: Vec<&str> = line.split('\t').collect();
        match f.as_slice() {
            ["day", day, device, closed, sales, counts] => {
                let counts: Option<Vec<usize>> = counts.split(',').map(|c| c.parse().ok()).collect();
                if let (Ok(closed_ms), Ok(sales), Some(counts)) = (closed.parse(), sales.parse(), counts) {
                    out.push(ClosedDay {
                        day: day.to_string(),
                        device_id: device.to_string(),
                        closed_ms,
                        sales,
                        counts,
                        paid: vec![],
                    });
                }
            }
            ["paid", currency, decimals, count, sum, tips] => {
                let (Some(last), Ok(decimals), Ok(count), Ok(sum), Ok(tips)) = (
                    out.last_mut(),
                    decimals.parse(),
                    count.parse(),
                    Amount::parse(sum),
                    Amount::parse(tips),
                ) else {
                    continue;
                };
                last.paid.push(CurrencySum {
                    currency: currency.to_string(),
                    decimals,
                    count,
                    sum,
                    tips,
                });
            }
            _ => {}
        }
    }
    out
}

/// `days` with `closed` recorded: a day closed again replaces its record;
/// days in order, the oldest dropped past `CLOSED_DAYS_KEPT`.
pub fn with_closed(mut days: Vec<ClosedDay>, closed: ClosedDay) -> Vec<ClosedDay> {
    days.retain(|d| d.day != closed.day);
    // Kept in order of day: the new one goes in its place.
    let at = days.partition_point(|d| d.day < closed.day);
    days.insert(at, closed);
    let excess = days.len().saturating_sub(CLOSED_DAYS_KEPT);
    days.drain(..excess);
    days
}

/// How one currency's verified payments moved since the close.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub currency: String,
    pub decimals: u32,
    /// Sales more (or fewer, negative) than at the close.
    pub count: i64,
    /// Whether the sum went up (or stayed) rather than down.
    pub up: bool,
    /// By how much the sum moved.
    pub amount: Amount,
}

/// What changed in a closed day's verified payments: `now` are the per-day
/// store's figures of that day. Empty: the day is as closed.
pub fn changes_since(closed: &ClosedDay, now: &[CurrencySum]) -> Vec<Change> {
    // Each currency once, in the order met (no sort: it would weigh more
    // in the wasm than the few currencies of a day need).
    let mut codes: Vec<&str> = vec![];
    for c in closed.paid.iter().chain(now.iter()) {
        if !codes.contains(&c.currency.as_str()) {
            codes.push(c.currency.as_str());
        }
    }
    let zero = |code: &str| CurrencySum {
        currency: code.to_string(),
        decimals: 0,
        count: 0,
        sum: Amount::ZERO,
        tips: Amount::ZERO,
    };
    codes
        .into_iter()
        .filter_map(|code| {
            let before = closed.paid.iter().find(|c| c.currency == code).cloned().unwrap_or_else(|| zero(code));
            let after = now.iter().find(|c| c.currency == code).cloned().unwrap_or_else(|| zero(code));
            if before.count == after.count && before.sum == after.sum {
                return None;
            }
            let up = after.sum >= before.sum;
            let amount = if up {
                after.sum.checked_sub(before.sum)
            } else {
                before.sum.checked_sub(after.sum)
            }
            .unwrap_or(Amount::ZERO);
            Some(Change {
                currency: code.to_string(),
                decimals: before.decimals.max(after.decimals),
                count: after.count as i64 - before.count as i64,
                up,
                amount,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::history::{counts_in_totals, with_sale};
    use crate::domain::status::PaymentResult;

    fn sale(i: usize, amount: &str, created_ms: i64, status: SaleStatus) -> Sale {
        crate::domain::history::tests::sale(&format!("t-{i:05}"), amount, created_ms, status)
            .with_order_id(format!("ABCDEF-{i:06}"))
    }

    fn paid_result(amount: &str) -> PaymentResult {
        PaymentResult {
            status: "success".into(),
            payment_amount: amount.into(),
            payment_symbol: "USDT".into(),
            settle_amount: amount.into(),
            settle_symbol: "USDT".into(),
            ..Default::default()
        }
    }

    #[test]
    fn each_sale_has_one_outcome() {
        let mut s = sale(1, "5", 0, SaleStatus::Paid);
        assert_eq!(Outcome::of(&s), Outcome::Paid);
        s.cancelled = true;
        assert_eq!(Outcome::of(&s), Outcome::PaidAfterCancel);
        s.cancelled = false;
        s.paid_late = true;
        assert_eq!(Outcome::of(&s), Outcome::PaidAfterCancel);
        let mut m = sale(2, "5", 0, SaleStatus::Mismatch { mismatches: vec![] });
        assert_eq!(Outcome::of(&m), Outcome::DoesNotMatch);
        m.to_settle = true;
        assert_eq!(Outcome::of(&m), Outcome::ToSettle);
        m.settled = true;
        assert_eq!(Outcome::of(&m), Outcome::DoesNotMatch);
        let mut w = sale(3, "5", 0, SaleStatus::Waiting);
        assert_eq!(Outcome::of(&w), Outcome::Open);
        assert!(wants_recheck(&w));
        w.cancelled = true;
        assert_eq!(Outcome::of(&w), Outcome::Cancelled);
        let f = sale(4, "5", 0, SaleStatus::failed("40020", "x"));
        assert_eq!(Outcome::of(&f), Outcome::NotPaid);
        assert!(!wants_recheck(&f), "a refused sale is final");
        assert!(wants_recheck(&sale(5, "5", 0, SaleStatus::failed("40000", "Payment overtime"))));
        assert!(!wants_recheck(&s), "paid is final");
        for o in Outcome::ALL {
            assert_eq!(o.is_paid(), matches!(o, Outcome::Paid | Outcome::PaidAfterCancel));
        }
    }

    #[test]
    fn the_report_counts_tips_overpayments_settlements_and_orders() {
        let mut a = sale(1, "10", 10, SaleStatus::Paid).with_tip(Amount::parse("1.50").unwrap()).unwrap();
        let mut r = paid_result("11.5");
        r.surplus_amount = "0.25".into();
        r.surplus_status = "pending".into();
        a.last_result = Some(r);
        let mut b = sale(2, "4", 20, SaleStatus::Paid);
        b.last_result = Some(PaymentResult {
            settle_amount: "0.0001".into(),
            settle_symbol: "BTC".into(),
            ..paid_result("4")
        });
        let mut c = sale(3, "7", 30, SaleStatus::Mismatch { mismatches: vec![] });
        c.to_settle = true;
        let d = sale(4, "9", 5, SaleStatus::Waiting);
        let report = DayReport::of("2026-12-07", [&a, &b, &c, &d]);
        assert_eq!(report.sales, 4);
        assert_eq!(report.line(Outcome::Paid).count, 2);
        assert_eq!(report.line(Outcome::Paid).sums[0].amount.format_fixed(2), "15.50");
        assert_eq!(report.tips[0].amount.format_fixed(2), "1.50");
        assert_eq!(report.overpaid, vec![Money { code: "USDT".into(), decimals: 2, count: 1, amount: Amount::parse("0.25").unwrap() }]);
        assert_eq!(report.settled.len(), 2);
        assert_eq!((report.settled[1].code.as_str(), report.settled[1].decimals), ("BTC", 4));
        assert_eq!(report.first_order.as_deref(), Some("ABCDEF-000004"), "the earliest sale");
        assert_eq!(report.last_order.as_deref(), Some("ABCDEF-000003"));
        let pending: Vec<(&str, Outcome)> = report.pending.iter().map(|p| (p.order_id.as_str(), p.outcome)).collect();
        assert_eq!(pending, vec![("ABCDEF-000004", Outcome::Open), ("ABCDEF-000003", Outcome::ToSettle)]);
        let empty = DayReport::of("2026-12-08", []);
        assert_eq!((empty.sales, empty.first_order, empty.lines.len()), (0, None, 7));
    }

    /// 1,000 sales over 3 days, some paid late (after a cancel or an
    /// expiry), some that do not match: the per-day store kept as the sales
    /// change (the history's rule, `with_sale`) agrees with the reports, and
    /// every report's outcome counts agree with a count over the sales.
    #[test]
    fn a_thousand_sales_over_three_days_agree_with_the_store() {
        const DAY_MS: i64 = 86_400_000;
        let day_of = |ms: i64| format!("2026-12-{:02}", 5 + ms / DAY_MS);
        let mut store: Vec<DayTotal> = vec![];
        let mut apply = |s: &Sale, add: bool| {
            if !counts_in_totals(s) {
                return;
            }
            let d = day_of(s.created_ms);
            let i = store.iter().position(|t| t.day == d && t.currency == s.quote_symbol);
            match (i, with_sale(i.map(|i| store[i].clone()), &d, s, add)) {
                (Some(i), Some(t)) => store[i] = t,
                (Some(i), None) => {
                    store.remove(i);
                }
                (None, Some(t)) => store.push(t),
                (None, None) => {}
            }
        };
        let mut sales: Vec<Sale> = (0..1000)
            .map(|i| {
                let created = (i as i64 % 3) * DAY_MS + i as i64 * 60_000;
                let mut s = sale(i, &format!("{}.{:02}", 1 + i % 40, i % 100), created, SaleStatus::Waiting);
                if i % 7 == 0 {
                    s.quote_symbol = "JPY".into();
                    s.decimals = 0;
                    s.params.quote_amount = Amount::parse(&format!("{}", 100 + i)).unwrap();
                }
                if i % 5 == 0 {
                    s = s.with_tip(Amount::parse("0.50").unwrap()).unwrap();
                }
                s
            })
            .collect();
        // First answers: most paid, some not matching, some expired, some cancelled.
        for (i, s) in sales.iter_mut().enumerate() {
            apply(s, false);
            match i % 10 {
                0..=4 => {
                    s.status = SaleStatus::Paid;
                    let mut r = paid_result(&s.params.quote_amount.to_string());
                    if i % 20 == 1 {
                        r.surplus_amount = "0.1".into();
                        r.surplus_status = "pending".into();
                    }
                    s.last_result = Some(r);
                }
                5 => s.status = SaleStatus::Mismatch { mismatches: vec![] },
                6 => {
                    s.status = SaleStatus::Mismatch { mismatches: vec![] };
                    s.to_settle = true;
                }
                7 => s.status = SaleStatus::failed("40000", "Payment overtime"),
                8 => s.cancelled = true,
                _ => {}
            }
            apply(s, true);
        }
        // Late payments found by a re-check: expired ones and cancelled ones.
        for (i, s) in sales.iter_mut().enumerate() {
            if (i % 10 == 7 || i % 10 == 8) && (i / 10) % 2 == 0 {
                apply(s, false);
                s.paid_late = s.status.is_expired_failure();
                s.last_result = Some(paid_result(&s.params.quote_amount.to_string()));
                s.status = SaleStatus::Paid;
                apply(s, true);
            }
        }
        let mut seen = 0;
        for day in ["2026-12-05", "2026-12-06", "2026-12-07"] {
            let of_day: Vec<&Sale> = sales.iter().filter(|s| day_of(s.created_ms) == day).collect();
            let report = DayReport::of(day, of_day.iter().copied());
            assert!(report.agrees_with(&store), "{day}: {:?} vs {:?}", report.paid(), day_summary(&store, day));
            assert_eq!(report.paid(), day_summary(&store, day), "{day}");
            assert_eq!(report.sales, of_day.len());
            // A plain count over the sales, by currency, without the report's
            // or the store's code: verified payments, their sum and tips.
            for code in ["USD", "JPY"] {
                let paid: Vec<&&Sale> = of_day
                    .iter()
                    .filter(|s| s.status == SaleStatus::Paid && s.quote_symbol == code)
                    .collect();
                let sum = paid.iter().fold(Amount::ZERO, |a, s| a.checked_add(s.params.quote_amount).unwrap());
                let tips = paid.iter().fold(Amount::ZERO, |a, s| a.checked_add(s.tip.unwrap_or(Amount::ZERO)).unwrap());
                let from_store = day_summary(&store, day).into_iter().find(|c| c.currency == code).unwrap();
                assert_eq!((from_store.count, from_store.sum, from_store.tips), (paid.len(), sum, tips), "{day} {code}: store");
                let in_report: usize = [Outcome::Paid, Outcome::PaidAfterCancel]
                    .into_iter()
                    .flat_map(|o| report.line(o).sums.iter().filter(|m| m.code == code).map(|m| m.count))
                    .sum();
                assert_eq!(in_report, paid.len(), "{day} {code}: report");
                let late = paid.iter().filter(|s| s.cancelled || s.paid_late).count();
                let late_in_report = report.line(Outcome::PaidAfterCancel).sums.iter().find(|m| m.code == code).map_or(0, |m| m.count);
                assert_eq!(late_in_report, late, "{day} {code}: paid late");
                let mismatched = of_day
                    .iter()
                    .filter(|s| matches!(s.status, SaleStatus::Mismatch { .. }) && s.quote_symbol == code)
                    .count();
                let in_report: usize = [Outcome::DoesNotMatch, Outcome::ToSettle]
                    .into_iter()
                    .flat_map(|o| report.line(o).sums.iter().filter(|m| m.code == code).map(|m| m.count))
                    .sum();
                assert_eq!(in_report, mismatched, "{day} {code}: not matching");
            }
            seen += report.sales;
            for o in Outcome::ALL {
                let counted = of_day.iter().filter(|s| Outcome::of(s) == o).count();
                assert_eq!(report.line(o).count, counted, "{day} {o:?}");
                let line_total: usize = report.line(o).sums.iter().map(|m| m.count).sum();
                assert_eq!(line_total, counted);
            }
            assert!(report.line(Outcome::PaidAfterCancel).count > 0, "late payments in {day}");
            assert!(report.line(Outcome::DoesNotMatch).count > 0 && report.line(Outcome::ToSettle).count > 0);
            assert!(!report.overpaid.is_empty() && !report.tips.is_empty());
            let pending = of_day.iter().filter(|s| Outcome::of(s).is_pending()).count();
            assert_eq!(report.pending.len(), pending);
            // One sale more paid after the close: the store disagrees with the old report.
            let mut store2 = store.clone();
            let extra = sale(5000, "3", 0, SaleStatus::Paid);
            store2.push(with_sale(None, day, &extra, true).unwrap());
            assert!(!report.agrees_with(&store2));
        }
        assert_eq!(seen, 1000);
    }

    #[test]
    fn a_closed_day_is_kept_and_says_what_changed_since() {
        let a = sale(1, "10", 10, SaleStatus::Paid);
        let report = DayReport::of("2026-12-07", [&a]);
        let closed = ClosedDay::new(&report, "ABCDEF", 1_796_000_000_000, report.paid());
        let text = write_closed(std::slice::from_ref(&closed));
        assert_eq!(read_closed(&text), vec![closed.clone()]);
        assert!(read_closed("nonsense").is_empty());
        assert_eq!(read_closed(&format!("{text}paid\tUSD\tx\n")), vec![closed.clone()], "a bad line is left out");
        assert!(changes_since(&closed, &report.paid()).is_empty());
        // A late payment found after the close.
        let b = sale(2, "2.50", 20, SaleStatus::Paid);
        let now = DayReport::of("2026-12-07", [&a, &b]).paid();
        let change = changes_since(&closed, &now);
        assert_eq!(change.len(), 1);
        assert_eq!((change[0].count, change[0].up, change[0].amount.format_fixed(2)), (1, true, "2.50".into()));
        // The other way: a sale dropped.
        let down = changes_since(&ClosedDay::new(&DayReport::of("2026-12-07", [&a, &b]), "ABCDEF", 1, now), &report.paid());
        assert_eq!((down[0].count, down[0].up), (-1, false));
        // Closing again replaces the day; old days fall off past the cap.
        let again = ClosedDay { closed_ms: 2, ..closed.clone() };
        let days = with_closed(vec![closed.clone()], again.clone());
        assert_eq!(days, vec![again]);
        let mut many = vec![];
        for i in 0..(CLOSED_DAYS_KEPT + 3) {
            many = with_closed(many, ClosedDay { day: format!("d{i:05}"), ..closed.clone() });
        }
        assert_eq!(many.len(), CLOSED_DAYS_KEPT);
        let earlier = with_closed(many.clone(), ClosedDay { day: "d00002x".into(), ..closed.clone() });
        assert!(earlier.windows(2).all(|w| w[0].day < w[1].day), "kept in order of day");
        assert_eq!(many[0].day, "d00003");
    }
}
