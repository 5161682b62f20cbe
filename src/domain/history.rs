//! The sales history: which sales to keep, which to keep checking, totals
//! per day and currency, filters, and the CSV export.

use super::money::Amount;
use super::sale::Sale;
use super::status::SaleStatus;

/// Sales kept on the device; beyond it the oldest final sales are dropped.
pub const HISTORY_CAP: usize = 10_000;
/// Unfinished sales are re-checked in the background until this old: past
/// the longest expiry MixPay takes and the late window after it.
pub const RECHECK_MAX_AGE_MS: i64 = super::settings::MAX_EXPIRY_MINUTES as i64 * 60_000
    + super::sale::LATE_PAYMENT_WINDOW_MS;

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

/// The kind of a status as the history's status index stores it: one of the
/// filters' values, so a filter reads exactly its kind's part of the index.
pub fn status_kind(status: &SaleStatus) -> &'static str {
    match status {
        SaleStatus::Paid => StatusFilter::Paid.value(),
        SaleStatus::Failed { .. } => StatusFilter::Failed.value(),
        SaleStatus::Mismatch { .. } => StatusFilter::Mismatch.value(),
        _ => StatusFilter::Unfinished.value(),
    }
}

impl StatusFilter {
    /// The kind of the status index this filter reads; `None`: every sale.
    pub fn kind(self) -> Option<&'static str> {
        (self != StatusFilter::All).then(|| self.value())
    }
}

/// A short status word for the CSV (its vocabulary stays English, whatever
/// the screen's language; the screen words it through `i18n::status_pill`).
pub fn status_word(sale: &Sale) -> &'static str {
    match &sale.status {
        SaleStatus::Paid if sale.paid_late => "Paid late",
        SaleStatus::Paid => "Paid",
        SaleStatus::Mismatch { .. } if sale.settled => "Does not match, settled",
        SaleStatus::Mismatch { .. } if sale.to_settle => "Does not match, to settle",
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

/// Whether a sale counts in the totals: verified payments only.
pub fn counts_in_totals(sale: &Sale) -> bool {
    sale.status == SaleStatus::Paid
}

/// A day's total with one sale added (`add`) or taken away; `None` once no
/// sale is left in it. The one rule for totals kept as they change (the
/// history's per-day store) and totals counted from the sales.
pub fn with_sale(total: Option<DayTotal>, day: &str, sale: &Sale, add: bool) -> Option<DayTotal> {
    let amount = sale.params.quote_amount;
    let (subtotal, tip) = (sale.subtotal(), sale.tip_amount());
    match (total, add) {
        (Some(mut t), true) => {
            t.count += 1;
            t.sum = t.sum.checked_add(amount).unwrap_or(t.sum);
            t.subtotal = t.subtotal.checked_add(subtotal).unwrap_or(t.subtotal);
            t.tips = t.tips.checked_add(tip).unwrap_or(t.tips);
            t.decimals = t.decimals.max(sale.decimals);
            Some(t)
        }
        (None, true) => Some(DayTotal {
            day: day.to_string(),
            currency: sale.quote_symbol.clone(),
            decimals: sale.decimals,
            count: 1,
            subtotal,
            tips: tip,
            sum: amount,
        }),
        (Some(mut t), false) if t.count > 1 => {
            t.count -= 1;
            t.sum = t.sum.checked_sub(amount).unwrap_or(t.sum);
            t.subtotal = t.subtotal.checked_sub(subtotal).unwrap_or(t.subtotal);
            t.tips = t.tips.checked_sub(tip).unwrap_or(t.tips);
            Some(t)
        }
        (_, false) => None,
    }
}

/// Newest day first, currencies by name.
pub fn sort_totals(totals: &mut [DayTotal]) {
    totals.sort_by(|a, b| b.day.cmp(&a.day).then_with(|| a.currency.cmp(&b.currency)));
}

/// Totals of verified paid sales only, newest day first, currencies by name.
/// `day_of` turns a sale's time into its local day ("2026-11-26").
pub fn totals<'a>(
    sales: impl IntoIterator<Item = &'a Sale>,
    day_of: impl Fn(i64) -> String,
) -> Vec<DayTotal> {
    let mut out: Vec<DayTotal> = vec![];
    for sale in sales.into_iter().filter(|s| counts_in_totals(s)) {
        let day = day_of(sale.created_ms);
        match out
            .iter()
            .position(|t| t.day == day && t.currency == sale.quote_symbol)
        {
            Some(i) => {
                if let Some(t) = with_sale(Some(out[i].clone()), &day, sale, true) {
                    out[i] = t;
                }
            }
            None => out.extend(with_sale(None, &day, sale, true)),
        }
    }
    sort_totals(&mut out);
    out
}

/// The dates History shows, picked in one control: a preset, or two dates
/// typed (`Custom`). Every preset is a span of whole local days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangePreset {
    Today,
    Yesterday,
    /// Today and the six days before it.
    Week,
    /// Every sale on the device.
    All,
    Custom,
}

impl RangePreset {
    /// The presets offered as buttons, in order (`Custom` is the two dates).
    pub const BUTTONS: [RangePreset; 4] = [
        RangePreset::Today,
        RangePreset::Yesterday,
        RangePreset::Week,
        RangePreset::All,
    ];

    /// The first and last local day (`2026-11-27`) of a preset, at `now_ms`
    /// on a clock `offset_minutes` east of UTC; empty texts: no bound
    /// (`All`, and `Custom`, which has no days of its own).
    pub fn days(self, now_ms: i64, offset_minutes: i32) -> (String, String) {
        let today = epoch_day(now_ms, offset_minutes);
        let (from, to) = match self {
            RangePreset::Today => (today, today),
            RangePreset::Yesterday => (today - 1, today - 1),
            RangePreset::Week => (today - 6, today),
            RangePreset::All | RangePreset::Custom => return (String::new(), String::new()),
        };
        (iso_day(from), iso_day(to))
    }

    /// The preset two dates stand for: a button's days, or `Custom`.
    pub fn of(from: &str, to: &str, now_ms: i64, offset_minutes: i32) -> RangePreset {
        RangePreset::BUTTONS
            .into_iter()
            .find(|p| {
                let (f, t) = p.days(now_ms, offset_minutes);
                f == from && t == to
            })
            .unwrap_or(RangePreset::Custom)
    }
}

/// Two dates in order, earliest first (a range typed backwards still reads
/// its days); an empty one stays an open end.
pub fn ordered_days(from: &str, to: &str) -> (String, String) {
    if !from.is_empty() && !to.is_empty() && from > to {
        (to.to_string(), from.to_string())
    } else {
        (from.to_string(), to.to_string())
    }
}

/// Days since 1970-01-01 of the local day at `ms` (`offset_minutes` east of UTC).
fn epoch_day(ms: i64, offset_minutes: i32) -> i64 {
    (ms + i64::from(offset_minutes) * 60_000).div_euclid(86_400_000)
}

/// A day counted from 1970-01-01 as `YYYY-MM-DD` (the proleptic Gregorian
/// calendar, by 400-year eras of 146,097 days).
fn iso_day(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// What a range's summary card says for one currency: how many verified
/// payments, and their sum (tips included) and tips.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrencySum {
    pub currency: String,
    pub decimals: u32,
    pub count: usize,
    pub sum: Amount,
    pub tips: Amount,
}

/// The per-day totals of a range added up per currency, the currency with
/// the most payments first (then by name): the card's figures come from the
/// days store, never from reading the sales.
pub fn summary(totals: &[DayTotal]) -> Vec<CurrencySum> {
    let mut out: Vec<CurrencySum> = vec![];
    for t in totals {
        match out.iter_mut().find(|c| c.currency == t.currency) {
            Some(c) => {
                c.count += t.count;
                c.sum = c.sum.checked_add(t.sum).unwrap_or(c.sum);
                c.tips = c.tips.checked_add(t.tips).unwrap_or(c.tips);
                c.decimals = c.decimals.max(t.decimals);
            }
            None => out.push(CurrencySum {
                currency: t.currency.clone(),
                decimals: t.decimals,
                count: t.count,
                sum: t.sum,
                tips: t.tips,
            }),
        }
    }
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.currency.cmp(&b.currency)));
    out
}

/// How a sale's status pill looks: its tone and icon, never its colour alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Verified payment: a check.
    Paid,
    /// Wrong payment or failed: a cross.
    Bad,
    /// Still being checked: a clock.
    Open,
}

impl Tone {
    pub fn of(sale: &Sale) -> Tone {
        match &sale.status {
            SaleStatus::Paid => Tone::Paid,
            // Expired with nothing paid: a payment on its way is still looked for.
            s if s.is_expired_failure() && s.paid_on_failure().is_none() => Tone::Open,
            SaleStatus::Mismatch { .. } | SaleStatus::Failed { .. } => Tone::Bad,
            _ => Tone::Open,
        }
    }

    /// The pill's class.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Paid => "pill paid",
            Tone::Bad => "pill bad",
            Tone::Open => "pill open",
        }
    }
}

/// A long id shortened for a row (`3f2a…5a6b`); the details show it whole.
pub fn short_id(id: &str) -> String {
    shorten(id, 4, 4)
}

/// `id`'s first `head` and last `tail` characters around "…", or `id` whole
/// when that would hide fewer than three characters.
pub fn shorten(id: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= head + tail + 2 {
        return id.to_string();
    }
    let start: String = chars[..head].iter().collect();
    let end: String = chars[chars.len() - tail..].iter().collect();
    format!("{start}…{end}")
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
    let key = search_key(query);
    key.is_empty() || texts_match(&search_texts(sale), &key)
}

/// What a search looks for: the typed text trimmed and lowercased; empty
/// means no search.
pub fn search_key(query: &str) -> String {
    super::text::fold_case(query.trim())
}

/// The texts a search looks in (order number, note, traceId), lowercased.
/// The history stores them beside each sale, so a search over every sale
/// reads these short texts instead of parsing each sale.
pub fn search_texts(sale: &Sale) -> [String; 3] {
    [sale.order_id(), sale.note.as_str(), sale.trace_id.as_str()].map(super::text::fold_case)
}

/// Whether one of the texts (from `search_texts`) holds a non-empty `key`
/// (from `search_key`). Each text on its own: a key never matches across two.
pub fn texts_match<S: AsRef<str>>(texts: &[S], key: &str) -> bool {
    texts.iter().any(|t| t.as_ref().contains(key))
}

/// The CSV's columns. A data format, not words on a screen: English and
/// stable in every language, so spreadsheets and scripts that read the
/// export keep working (the dates and status words in it are fixed too).
pub const CSV_HEADER: [&str; 23] = [
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
    // Issue 24: what a failed sale's customer paid (MixPay refunds it), the
    // surplus of an overpaid sale, and what the shop was settled in.
    "Paid on failed sale",
    "Paid on failed sale asset",
    "Surplus",
    "Surplus asset",
    "Settled amount",
    "Settled asset",
    "Order number",
    // Before the tips columns, which stay last (main's CSV ends with them).
    "Lines",
    "subtotal",
    "tip",
    "total",
];

/// The CSV's first line, with its CRLF.
pub fn csv_header() -> String {
    let mut out = CSV_HEADER.join(",");
    out.push_str("\r\n");
    out
}

/// The sales as CSV (CRLF line ends, as RFC 4180 has them). `time_of` gives
/// each sale's local date and time.
pub fn to_csv<'a>(
    sales: impl IntoIterator<Item = &'a Sale>,
    time_of: impl Fn(i64) -> String,
) -> String {
    let mut out = csv_header();
    for s in sales {
        out.push_str(&csv_row(s, &time_of));
    }
    out
}

/// One sale as a CSV line, with its CRLF (the export streams these).
pub fn csv_row(s: &Sale, time_of: impl Fn(i64) -> String) -> String {
    let r = s.last_result.clone().unwrap_or_default();
    let failure = match &s.status {
        SaleStatus::Failed { reason, .. } => reason.clone(),
        _ => String::new(),
    };
    let failed_paid = s.status.paid_on_failure().unwrap_or(("", ""));
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
        failed_paid.0.to_string(),
        failed_paid.1.to_string(),
        paid(&r.surplus().map(|a| a.to_string()).unwrap_or_default()),
        paid(if r.surplus().is_some() { &r.payment_symbol } else { "" }),
        paid(&r.settle_amount),
        paid(if r.settle_symbol.is_empty() { &r.settle_asset } else { &r.settle_symbol }),
        s.order_id().to_string(),
        s.lines_text(),
        s.subtotal().format_fixed(s.decimals),
        s.tip_amount().format_fixed(s.decimals),
        s.params.quote_amount.format_fixed(s.decimals),
    ];
    let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
    let mut out = fields.join(",");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::settings::{Settings, SettlementAsset};
    use crate::domain::status::PaymentResult;

    /// A pay-link sale of `amount` USDT made at `created_ms`, in `status`
    /// (the day's close tests build on it too).
    pub(crate) fn sale(id: &str, amount: &str, created_ms: i64, status: SaleStatus) -> Sale {
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
    fn a_mismatch_kept_open_then_settled_is_worded_so() {
        let mut s = sale("m", "30", 1, SaleStatus::Mismatch { mismatches: vec![] });
        assert_eq!(status_word(&s), "Does not match");
        s.to_settle = true;
        assert_eq!(status_word(&s), "Does not match, to settle");
        s.settled = true;
        assert_eq!(status_word(&s), "Does not match, settled");
        assert_eq!(Tone::of(&s), Tone::Bad, "it still did not match");
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
                SaleStatus::failed("40000", "Payment overtime"),
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
        // The stored texts match as the sale does, one text at a time.
        let texts = search_texts(&sales[1]);
        assert!(texts_match(&texts, &search_key(" ABCDEF-000002 ")));
        assert!(texts_match(&texts, "x"));
        assert!(!texts_match(&texts, "000002x"), "never across two texts");
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
    fn csv_keeps_what_a_failed_sale_was_paid_the_surplus_and_the_settlement() {
        let failed = sale(
            "f",
            "9",
            0,
            SaleStatus::Failed {
                code: "40000".into(),
                reason: "Payment overtime".into(),
                paid: "4.5".into(),
                symbol: "USDT".into(),
            },
        );
        let row = csv_row(&failed, |_| "d".into());
        assert!(row.contains(",Failed,9.00,USD,,,"), "not paid: {row}");
        assert!(row.contains(",Payment overtime,4.5,USDT,,,,,,"), "{row}");
        let mut paid = sale("p", "10", 0, SaleStatus::Paid);
        paid.last_result = Some(PaymentResult {
            payment_amount: "10.5".into(),
            payment_symbol: "USDT".into(),
            surplus_amount: "0.5".into(),
            surplus_status: "pending".into(),
            settle_amount: "0.0001".into(),
            settle_symbol: "BTC".into(),
            ..Default::default()
        });
        let row = csv_row(&paid, |_| "d".into());
        assert!(row.contains(",one-time,,,,0.5,USDT,0.0001,BTC,,"), "{row}");
        // No refund under way: no surplus column.
        paid.last_result.as_mut().unwrap().surplus_status = "no".into();
        assert!(csv_row(&paid, |_| "d".into()).contains(",one-time,,,,,,0.0001,BTC,,"));
    }

    #[test]
    fn each_status_has_the_kind_its_filter_reads() {
        let statuses = [
            SaleStatus::Paid,
            SaleStatus::Waiting,
            SaleStatus::Creating,
            SaleStatus::Auditing,
            SaleStatus::Mismatch { mismatches: vec![] },
            SaleStatus::failed("40000", "x"),
        ];
        for status in &statuses {
            for f in StatusFilter::ALL {
                assert_eq!(
                    f.kind().is_none_or(|k| k == status_kind(status)),
                    f.matches(status),
                    "{f:?} {status:?}"
                );
            }
        }
    }

    #[test]
    fn totals_kept_as_sales_come_and_go_equal_totals_counted() {
        let day = |ms: i64| format!("2026-11-{:02}", 20 + ms / 100);
        let sales: Vec<Sale> = (0..12)
            .map(|i| {
                let status = if i % 3 == 0 {
                    SaleStatus::Waiting
                } else {
                    SaleStatus::Paid
                };
                let s = sale(&format!("s{i}"), &format!("{i}.25"), i * 30, status);
                // Some with a tip, so subtotal and tips are kept too.
                if i % 2 == 0 {
                    s.with_tip(Amount::parse("0.75").unwrap()).unwrap()
                } else {
                    s
                }
            })
            .collect();
        let mut kept: Vec<DayTotal> = vec![];
        let mut apply = |s: &Sale, add: bool| {
            let d = day(s.created_ms);
            let i = kept
                .iter()
                .position(|t| t.day == d && t.currency == s.quote_symbol);
            let next = with_sale(i.map(|i| kept[i].clone()), &d, s, add);
            match (i, next) {
                (Some(i), Some(t)) => kept[i] = t,
                (Some(i), None) => {
                    kept.remove(i);
                }
                (None, Some(t)) => kept.push(t),
                (None, None) => {}
            }
        };
        for s in sales.iter().filter(|s| counts_in_totals(s)) {
            apply(s, true);
        }
        // Two paid sales dropped (the cap), as the history would.
        for s in sales.iter().filter(|s| counts_in_totals(s)).take(2) {
            apply(s, false);
        }
        sort_totals(&mut kept);
        let left: Vec<Sale> = sales
            .iter()
            .filter(|s| counts_in_totals(s))
            .skip(2)
            .cloned()
            .collect();
        assert_eq!(kept, totals(&left, day));
        assert!(kept.iter().any(|t| !t.tips.is_zero()));
        for t in &kept {
            assert_eq!(t.subtotal.checked_add(t.tips), Some(t.sum), "{t:?}");
        }
        assert!(with_sale(None, "d", &sales[1], false).is_none());
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

    #[test]
    fn presets_are_whole_local_days_from_the_clock_and_offset() {
        // 2026-11-27 23:30 UTC.
        let now = 1_795_822_200_000;
        assert_eq!(iso_day(epoch_day(now, 0)), "2026-11-27");
        let days = |p: RangePreset, off| p.days(now, off);
        assert_eq!(days(RangePreset::Today, 0), ("2026-11-27".into(), "2026-11-27".into()));
        // Already the 28th in Shanghai (UTC+8), still the 27th in New York (UTC-5).
        assert_eq!(days(RangePreset::Today, 480).0, "2026-11-28");
        assert_eq!(days(RangePreset::Yesterday, 480), ("2026-11-27".into(), "2026-11-27".into()));
        assert_eq!(days(RangePreset::Today, -300).0, "2026-11-27");
        assert_eq!(days(RangePreset::Week, 0), ("2026-11-21".into(), "2026-11-27".into()));
        assert_eq!(days(RangePreset::All, 0), (String::new(), String::new()));
        // Across a month, a year and a leap day.
        let day = |y: i64, m: i64, d: i64| {
            (0..200_000)
                .map(|n| n - 100_000)
                .find(|n| iso_day(*n) == format!("{y:04}-{m:02}-{d:02}"))
        };
        assert_eq!(day(1970, 1, 1), Some(0));
        assert_eq!(day(2000, 3, 1).map(|n| iso_day(n - 1)).as_deref(), Some("2000-02-29"));
        assert_eq!(day(2100, 3, 1).map(|n| iso_day(n - 1)).as_deref(), Some("2100-02-28"));
        assert_eq!(day(2027, 1, 1).map(|n| iso_day(n - 1)).as_deref(), Some("2026-12-31"));
        assert_eq!(iso_day(-1), "1969-12-31");
        // Two dates name the preset they match, or a custom range.
        for p in RangePreset::BUTTONS {
            let (f, t) = p.days(now, 60);
            assert_eq!(RangePreset::of(&f, &t, now, 60), p);
        }
        assert_eq!(RangePreset::of("2026-11-20", "2026-11-27", now, 0), RangePreset::Custom);
        assert_eq!(RangePreset::of("", "2026-11-27", now, 0), RangePreset::Custom);
        assert_eq!(ordered_days("2026-11-27", "2026-11-20"), ("2026-11-20".into(), "2026-11-27".into()));
        assert_eq!(ordered_days("", "2026-11-20"), ("".into(), "2026-11-20".into()));
    }

    #[test]
    fn the_summary_adds_each_currency_up_over_the_days() {
        let day = |day: &str, currency: &str, count, sum: &str, tips: &str| DayTotal {
            day: day.into(),
            currency: currency.into(),
            decimals: if currency == "JPY" { 0 } else { 2 },
            count,
            subtotal: Amount::ZERO,
            tips: Amount::parse(tips).unwrap(),
            sum: Amount::parse(sum).unwrap(),
        };
        let s = summary(&[
            day("2026-11-27", "JPY", 2, "1200", "0"),
            day("2026-11-27", "USD", 9, "100.40", "1.50"),
            day("2026-11-26", "USD", 5, "82", "0.50"),
        ]);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].currency.as_str(), s[0].count), ("USD", 14));
        assert_eq!(s[0].sum.format_fixed(2), "182.40");
        assert_eq!(s[0].tips.format_fixed(2), "2.00");
        assert_eq!((s[1].currency.as_str(), s[1].count, s[1].decimals), ("JPY", 2, 0));
        assert!(summary(&[]).is_empty());
    }

    #[test]
    fn pills_say_more_than_a_colour_and_rows_shorten_ids() {
        let paid = sale("p", "1", 0, SaleStatus::Paid);
        assert_eq!(Tone::of(&paid), Tone::Paid);
        let expired = sale("e", "1", 0, SaleStatus::failed("40000", "x"));
        assert_eq!(Tone::of(&expired), Tone::Open, "a late payment is still looked for");
        let failed = sale("f", "1", 0, SaleStatus::failed("40020", "x"));
        assert_eq!(Tone::of(&failed), Tone::Bad);
        assert_eq!(Tone::of(&sale("m", "1", 0, SaleStatus::Mismatch { mismatches: vec![] })), Tone::Bad);
        assert_eq!(Tone::of(&sale("w", "1", 0, SaleStatus::Waiting)).class(), "pill open");
        assert_eq!(short_id("3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b"), "3f2a…5a6b");
        assert_eq!(short_id("abc"), "abc");
    }
}
