//! The sales history: which sales to keep, which to keep checking, totals
//! per day and currency, filters, and the CSV export.

use super::money::Amount;
use super::sale::Sale;
use super::status::SaleStatus;

/// Sales kept on the device; beyond it the oldest final sales are dropped.
pub const HISTORY_CAP: usize = 10_000;
/// Unfinished sales are re-checked in the background until this old.
pub const RECHECK_MAX_AGE_MS: i64 = 48 * 3600 * 1000;

/// Trace ids of the final sales to drop so that at most `cap` remain,
/// oldest first. Unfinished sales are never dropped.
pub fn to_drop(sales: &[(String, i64, bool)], cap: usize) -> Vec<String> {
    let excess = sales.len().saturating_sub(cap);
    let mut finals: Vec<&(String, i64, bool)> = sales.iter().filter(|(_, _, f)| *f).collect();
    finals.sort_by_key(|(_, created, _)| *created);
    finals
        .into_iter()
        .take(excess)
        .map(|(id, _, _)| id.clone())
        .collect()
}

/// The kinds of status a history can be filtered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    All,
    Paid,
    Unfinished,
    Failed,
    Mismatch,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 5] = [
        StatusFilter::All,
        StatusFilter::Paid,
        StatusFilter::Unfinished,
        StatusFilter::Failed,
        StatusFilter::Mismatch,
    ];

    /// The form value of a `<select>` option.
    pub fn value(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Paid => "paid",
            StatusFilter::Unfinished => "unfinished",
            StatusFilter::Failed => "failed",
            StatusFilter::Mismatch => "mismatch",
        }
    }

    /// The filter a form value names; anything else shows everything.
    pub fn from_value(value: &str) -> StatusFilter {
        StatusFilter::ALL
            .into_iter()
            .find(|f| f.value() == value)
            .unwrap_or(StatusFilter::All)
    }

    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::All => "All",
            StatusFilter::Paid => "Paid",
            StatusFilter::Unfinished => "Unfinished",
            StatusFilter::Failed => "Failed",
            StatusFilter::Mismatch => "Does not match",
        }
    }

    pub fn matches(self, status: &SaleStatus) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Paid => *status == SaleStatus::Paid,
            StatusFilter::Unfinished => !status.is_final(),
            StatusFilter::Failed => matches!(status, SaleStatus::Failed { .. }),
            StatusFilter::Mismatch => matches!(status, SaleStatus::Mismatch { .. }),
        }
    }
}

/// A short status word for lists and CSV.
pub fn status_word(sale: &Sale) -> &'static str {
    match &sale.status {
        SaleStatus::Paid if sale.paid_late => "Paid late",
        SaleStatus::Paid => "Paid",
        SaleStatus::Mismatch { .. } => "Does not match",
        SaleStatus::Failed { .. } => "Failed",
        SaleStatus::Creating => "Not created",
        SaleStatus::Underpaid { .. } => "Underpaid",
        SaleStatus::Auditing => "Auditing",
        SaleStatus::Confirming { .. } => "Confirming",
        SaleStatus::Verifying { .. } => "Verifying",
        SaleStatus::Waiting if sale.cancelled => "Cancelled, still checking",
        SaleStatus::Waiting => "Waiting",
    }
}

/// Count and sum of verified paid sales for one day and quote currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayTotal {
    pub day: String,
    pub currency: String,
    pub decimals: u32,
    pub count: usize,
    /// Before tips; `sum` is what was paid, tips included.
    pub subtotal: Amount,
    pub tips: Amount,
    pub sum: Amount,
}

/// Totals of verified paid sales only, newest day first, currencies by name.
/// `day_of` turns a sale's time into its local day ("2026-11-26").
pub fn totals<'a>(
    sales: impl IntoIterator<Item = &'a Sale>,
    day_of: impl Fn(i64) -> String,
) -> Vec<DayTotal> {
    let mut out: Vec<DayTotal> = vec![];
    for sale in sales.into_iter().filter(|s| s.status == SaleStatus::Paid) {
        let day = day_of(sale.created_ms);
        let amount = sale.params.quote_amount;
        let (subtotal, tip) = (sale.subtotal(), sale.tip_amount());
        match out
            .iter_mut()
            .find(|t| t.day == day && t.currency == sale.quote_symbol)
        {
            Some(t) => {
                t.count += 1;
                t.sum = t.sum.checked_add(amount).unwrap_or(t.sum);
                t.subtotal = t.subtotal.checked_add(subtotal).unwrap_or(t.subtotal);
                t.tips = t.tips.checked_add(tip).unwrap_or(t.tips);
                t.decimals = t.decimals.max(sale.decimals);
            }
            None => out.push(DayTotal {
                day,
                currency: sale.quote_symbol.clone(),
                decimals: sale.decimals,
                count: 1,
                subtotal,
                tips: tip,
                sum: amount,
            }),
        }
    }
    out.sort_by(|a, b| b.day.cmp(&a.day).then_with(|| a.currency.cmp(&b.currency)));
    out
}

/// One CSV field per RFC 4180, made safe for spreadsheets: a text that
/// starts like a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading `'`.
pub fn csv_field(text: &str) -> String {
    let guarded = match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// Whether a sale matches what the cashier typed in History's search: its
/// order number, note or traceId, ignoring case.
pub fn matches_search(sale: &Sale, query: &str) -> bool {
    let q = query.trim().to_lowercase();
    q.is_empty()
        || [sale.order_id(), sale.note.as_str(), sale.trace_id.as_str()]
            .iter()
            .any(|field| field.to_lowercase().contains(&q))
}

pub const CSV_HEADER: [&str; 17] = [
    "Date",
    "Status",
    "Amount",
    "Currency",
    "Paid amount",
    "Paid asset",
    "Note",
    "Trace ID",
    "Transaction",
    "Payee",
    "Mode",
    "Failure reason",
    "Order number",
    // Before the tips columns, which stay last (main's CSV ends with them).
    "Lines",
    "subtotal",
    "tip",
    "total",
];

/// The sales as CSV (CRLF line ends, as RFC 4180 has them). `time_of` gives
/// each sale's local date and time.
pub fn to_csv<'a>(
    sales: impl IntoIterator<Item = &'a Sale>,
    time_of: impl Fn(i64) -> String,
) -> String {
    let mut out = CSV_HEADER.join(",");
    out.push_str("\r\n");
    for s in sales {
        let r = s.last_result.clone().unwrap_or_default();
        let failure = match &s.status {
            SaleStatus::Failed { reason, .. } => reason.clone(),
            _ => String::new(),
        };
        let paid = |v: &str| {
            if s.status == SaleStatus::Paid {
                v.to_string()
            } else {
                String::new()
            }
        };
        let row = [
            time_of(s.created_ms),
            status_word(s).to_string(),
            s.params.quote_amount.format_fixed(s.decimals),
            s.quote_symbol.clone(),
            paid(&r.payment_amount),
            paid(&r.payment_symbol),
            s.note.clone(),
            s.trace_id.clone(),
            r.txid.clone(),
            s.params.payee_id.clone(),
            match s.mode {
                super::settings::PaymentMode::OneTime => "one-time".into(),
                super::settings::PaymentMode::PayLink => "pay link".into(),
            },
            failure,
            s.order_id().to_string(),
            s.lines_text(),
            s.subtotal().format_fixed(s.decimals),
            s.tip_amount().format_fixed(s.decimals),
            s.params.quote_amount.format_fixed(s.decimals),
        ];
        let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::settings::{Settings, SettlementAsset};
    use crate::domain::status::PaymentResult;

    fn sale(id: &str, amount: &str, created_ms: i64, status: SaleStatus) -> Sale {
        let settings = Settings {
            payee_id: "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b".into(),
            settlement: Some(SettlementAsset {
                asset_id: "x".into(),
                symbol: "USDT".into(),
                name: String::new(),
                icon_url: String::new(),
            }),
            ..Settings::default()
        };
        let mut s = Sale::new(
            &settings,
            Amount::parse(amount).unwrap(),
            "",
            id.into(),
            created_ms,
            created_ms,
        );
        s.link = Some("l".into());
        s.status = status;
        s
    }

    #[test]
    fn cap_drops_oldest_final_sales_only() {
        let sales = vec![
            ("open-old".to_string(), 1, false),
            ("final-2".to_string(), 2, true),
            ("final-1".to_string(), 1, true),
            ("final-3".to_string(), 3, true),
            ("open-new".to_string(), 4, false),
        ];
        assert_eq!(to_drop(&sales, 3), vec!["final-1", "final-2"]);
        assert!(to_drop(&sales, 5).is_empty());
        // Even a cap of zero keeps every unfinished sale.
        assert_eq!(to_drop(&sales, 0).len(), 3);
    }

    #[test]
    fn totals_count_verified_paid_only() {
        let day = |ms: i64| {
            if ms < 100 {
                "2026-11-25".to_string()
            } else {
                "2026-11-26".to_string()
            }
        };
        let mut jpy = sale("j", "500", 150, SaleStatus::Paid);
        jpy.quote_symbol = "JPY".into();
        jpy.decimals = 0;
        let sales = vec![
            sale("a", "10.10", 10, SaleStatus::Paid),
            sale("b", "0.20", 20, SaleStatus::Paid),
            sale("c", "99", 30, SaleStatus::Mismatch { mismatches: vec![] }),
            sale("d", "5", 40, SaleStatus::Waiting),
            sale("e", "1", 150, SaleStatus::Paid),
            jpy,
        ];
        let t = totals(&sales, day);
        assert_eq!(t.len(), 3);
        assert_eq!(
            (t[0].day.as_str(), t[0].currency.as_str(), t[0].count),
            ("2026-11-26", "JPY", 1)
        );
        assert_eq!((t[1].currency.as_str(), t[1].count), ("USD", 1));
        assert_eq!((t[2].day.as_str(), t[2].count), ("2026-11-25", 2));
        assert_eq!(t[2].sum.format_fixed(2), "10.30");
        assert_eq!(t[2].subtotal, t[2].sum, "no tips");
        assert!(t[2].tips.is_zero());
    }

    #[test]
    fn totals_and_csv_keep_subtotal_and_tip_apart() {
        let tipped = |id: &str, amount: &str, tip: &str, status| {
            let mut s = sale(id, amount, 10, status)
                .with_tip(Amount::parse(tip).unwrap())
                .unwrap()
                .with_order_id(format!("ABCDEF-00000{id}"));
            s.note = "x".into();
            s
        };
        let sales = vec![
            tipped("1", "10", "1.50", SaleStatus::Paid),
            tipped("2", "4.25", "0.64", SaleStatus::Paid),
            sale("3", "3", 10, SaleStatus::Paid),
            tipped(
                "4",
                "50",
                "5",
                SaleStatus::Failed {
                    code: "40000".into(),
                    reason: "Payment overtime".into(),
                },
            ),
        ];
        let t = totals(&sales, |_| "2026-11-27".into());
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].count, 3);
        assert_eq!(t[0].subtotal.format_fixed(2), "17.25");
        assert_eq!(t[0].tips.format_fixed(2), "2.14");
        assert_eq!(t[0].sum.format_fixed(2), "19.39");
        let csv = to_csv(&sales, |_| "2026-11-27 10:00".into());
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert!(
            lines[0].ends_with(",Order number,Lines,subtotal,tip,total"),
            "{}",
            lines[0]
        );
        assert!(
            lines[1].ends_with(",ABCDEF-000001,,10.00,1.50,11.50"),
            "{}",
            lines[1]
        );
        assert!(lines[1].starts_with("2026-11-27 10:00,Paid,11.50,USD,"));
        assert!(lines[3].ends_with(",,,3.00,0.00,3.00"), "{}", lines[3]);
        assert!(matches_search(&sales[1], "abcdef-000002"));
        assert!(matches_search(&sales[1], " 000002"));
        assert!(!matches_search(&sales[0], "000002"));
        assert!(matches_search(&sales[2], ""));
    }

    #[test]
    fn csv_quotes_and_guards_formulas() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        for danger in ["+1", "-1", "@SUM(A1)", "\tx"] {
            assert!(
                csv_field(danger).trim_start_matches('"').starts_with('\''),
                "{danger}"
            );
        }
        assert_eq!(csv_field("谢谢"), "谢谢");
    }

    #[test]
    fn csv_rows() {
        let mut s = sale("t-1", "12.5", 0, SaleStatus::Paid);
        s.note = "=cmd|' /C calc'!A0, \"x\"".into();
        s.last_result = Some(PaymentResult {
            payment_amount: "12.5".into(),
            payment_symbol: "USDT".into(),
            txid: "abc".into(),
            ..Default::default()
        });
        let csv = to_csv([&s], |_| "2026-11-26 10:00".into());
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], CSV_HEADER.join(","));
        assert!(lines[1].starts_with(
            "2026-11-26 10:00,Paid,12.50,USD,12.5,USDT,\"'=cmd|' /C calc'!A0, \"\"x\"\"\",t-1,abc,"
        ));
        assert_eq!(lines.len(), 3);
        // No order number, and a keypad sale has no lines: both columns empty.
        assert!(lines[1].ends_with(",,,12.50,0.00,12.50"), "a keypad sale has no lines: {}", lines[1]);
        s.lines = vec![
            crate::domain::cart::CartLine {
                product_id: Some(1),
                name: "Latte".into(),
                unit_price: crate::domain::money::Amount::parse("3.5").unwrap(),
                quantity: 2,
            },
            crate::domain::cart::CartLine {
                product_id: None,
                name: "Croissant".into(),
                unit_price: crate::domain::money::Amount::parse("2").unwrap(),
                quantity: 1,
            },
        ];
        let csv = to_csv([&s], |_| "2026-11-26 10:00".into());
        assert!(csv.contains(",\"2× Latte, 1× Croissant\",12.50,0.00,12.50\r\n"), "{csv}");
    }

    #[test]
    fn filters_and_rechecks() {
        let open = sale("o", "1", 0, SaleStatus::Waiting);
        assert!(StatusFilter::Unfinished.matches(&open.status));
        assert!(!StatusFilter::Paid.matches(&open.status));
        let paid = sale("p", "1", 0, SaleStatus::Paid);
        for f in StatusFilter::ALL {
            assert_eq!(StatusFilter::from_value(f.value()), f);
        }
        assert_eq!(StatusFilter::from_value("nonsense"), StatusFilter::All);
        assert!(
            StatusFilter::ALL
                .iter()
                .filter(|f| f.matches(&paid.status))
                .count()
                == 2
        );
    }
}
