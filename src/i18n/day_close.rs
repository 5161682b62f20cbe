//! The words of History's "Close the day" (issue 27, part 1), English then
//! Simplified Chinese. Only the History part reads them, so they travel in
//! its wasm, not in the till's first load.

use super::Lang;
use crate::domain::day_close::{Change, DayReport, Money, Outcome};
use crate::domain::money_format::MoneyStyle;

/// The button in History, and the report's name.
pub fn close_the_day(lang: Lang) -> &'static str {
    pick!(lang, "Close the day", zh!("日结"))
}

/// Above the PIN asked before a close.
pub fn close_needs_pin(lang: Lang) -> &'static str {
    pick!(lang, "Type the owner PIN to close the day.", zh!("请输入店主密码以进行日结。"))
}

/// Which day is closed: "Day to close".
pub fn day_to_close(lang: Lang) -> &'static str {
    pick!(lang, "Day to close", zh!("日结日期"))
}

/// The re-check before the report, as it goes.
pub fn close_progress(lang: Lang, done: usize, total: usize) -> String {
    pick!(
        lang,
        "Re-checking with MixPay: {done} of {total} sales",
        zh!("正在向 MixPay 复查：已完成 {done} 笔，共 {total} 笔"; done, total),
    )
}

/// Some sales could not be asked about (MixPay did not answer).
pub fn close_unchecked(lang: Lang, count: usize) -> String {
    pick!(
        lang,
        "{count} sales could not be re-checked: the report shows what was last known of them.",
        zh!("{count} 笔交易无法复查：报表显示其最后已知的状态。"; count),
    )
}

/// The report's heading: "Day report 7 Dec 2026".
pub fn day_report(lang: Lang, day: &str) -> String {
    pick!(lang, "Day report {day}", zh!("日结报表 {day}"; day))
}

pub fn outcome_label(lang: Lang, outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Paid => pick!(lang, "Paid", zh!("已支付")),
        Outcome::PaidAfterCancel => pick!(lang, "Paid after cancel", zh!("取消后已付款")),
        Outcome::DoesNotMatch => pick!(lang, "Does not match", zh!("金额不符")),
        Outcome::ToSettle => pick!(lang, "To settle", zh!("待处理")),
        Outcome::NotPaid => pick!(lang, "Not paid", zh!("未付款")),
        Outcome::Cancelled => pick!(lang, "Cancelled", zh!("已取消")),
        Outcome::Open => pick!(lang, "Still open", zh!("仍在等待付款")),
    }
}

pub fn sales_label(lang: Lang) -> &'static str {
    pick!(lang, "Sales", zh!("交易笔数"))
}

pub fn overpaid_label(lang: Lang) -> &'static str {
    pick!(lang, "Overpayments", zh!("多付金额"))
}

pub fn settled_label(lang: Lang) -> &'static str {
    pick!(lang, "Settled", zh!("结算金额"))
}

pub fn first_order_label(lang: Lang) -> &'static str {
    pick!(lang, "First order number", zh!("首个订单号"))
}

pub fn last_order_label(lang: Lang) -> &'static str {
    pick!(lang, "Last order number", zh!("最后订单号"))
}

pub fn pending_heading(lang: Lang) -> &'static str {
    pick!(lang, "Still open or to settle", zh!("仍未结清或待处理"))
}

pub fn nothing_pending(lang: Lang) -> &'static str {
    pick!(lang, "Nothing left open.", zh!("没有未结清的交易。"))
}

/// The button that opens one of the sales left open.
pub fn open_sale_named(lang: Lang, order: &str) -> String {
    pick!(lang, "Open sale {order}", zh!("打开销售 {order}"; order))
}

/// The report's figures differ from the per-day store's (History's totals).
pub fn totals_disagree(lang: Lang) -> &'static str {
    pick!(
        lang,
        "These figures differ from History's totals: the totals are being counted again.",
        zh!("这些数字与历史记录的合计不一致：正在重新计算合计。")
    )
}

/// Shared where the browser cannot: copied instead.
pub fn report_copied(lang: Lang) -> &'static str {
    pick!(lang, "Report copied as text.", zh!("报表已作为文本复制。"))
}

/// History's mark on a closed day.
pub fn closed_at(lang: Lang, time: &str) -> String {
    pick!(lang, "Closed at {time}", zh!("已于 {time} 日结"; time))
}

/// History's mark on a closed day whose payments changed since.
pub fn changed_after_closing(lang: Lang, changes: &[Change]) -> String {
    let diff: Vec<String> = changes.iter().map(|c| change_text(lang, c)).collect();
    let diff = diff.join("; ");
    pick!(lang, "Changed after closing: {diff}", zh!("日结后有变动：{diff}"; diff))
}

/// "+1 paid sale, +$2.50".
fn change_text(lang: Lang, c: &Change) -> String {
    let amount = format!(
        "{}{}",
        if c.up { "+" } else { "−" },
        MoneyStyle::new(&c.currency, c.decimals).format(&c.amount)
    );
    let count = format!("{:+}", c.count);
    pick!(lang, "{count} paid sales, {amount}", zh!("已支付交易 {count} 笔，{amount}"; count, amount))
}

/// The money of a line: "$12.50 + ¥300"; none: zero in `zero`'s currency
/// (the day's), or "0" when the day has no sale.
pub fn sums_text(sums: &[Money], zero: Option<&Money>) -> String {
    if sums.is_empty() {
        return zero.map_or("0".into(), |m| {
            MoneyStyle::new(&m.code, m.decimals).format(&crate::domain::money::Amount::ZERO)
        });
    }
    let parts: Vec<String> = sums
        .iter()
        .map(|m| MoneyStyle::new(&m.code, m.decimals).format(&m.amount))
        .collect();
    parts.join(" + ")
}

/// The report's lines as (label, value), in the order printed and shared.
pub fn report_lines(lang: Lang, r: &DayReport) -> Vec<(String, String)> {
    let mut out = vec![(sales_label(lang).to_string(), r.sales.to_string())];
    // The day's currency, for the lines with no sale.
    let day_money = r.lines.iter().find_map(|l| l.sums.first());
    for line in &r.lines {
        // "Still open" only when a sale is.
        if line.outcome == Outcome::Open && line.count == 0 {
            continue;
        }
        out.push((
            format!("{} ({})", outcome_label(lang, line.outcome), line.count),
            sums_text(&line.sums, day_money),
        ));
    }
    out.push((super::Msg::Tips.text(lang).to_string(), sums_text(&r.tips, day_money)));
    out.push((overpaid_label(lang).to_string(), sums_text(&r.overpaid, None)));
    out.push((settled_label(lang).to_string(), sums_text(&r.settled, None)));
    let none = || "—".to_string();
    out.push((first_order_label(lang).into(), r.first_order.clone().unwrap_or_else(none)));
    out.push((last_order_label(lang).into(), r.last_order.clone().unwrap_or_else(none)));
    out
}

/// The report as text to share: heading, lines, the sales left open.
pub fn report_text(lang: Lang, shop: &str, day: &str, r: &DayReport) -> String {
    let mut out = String::new();
    if !shop.trim().is_empty() {
        out.push_str(shop.trim());
        out.push('\n');
    }
    out.push_str(&day_report(lang, day));
    out.push('\n');
    for (k, v) in report_lines(lang, r) {
        out.push_str(&format!("{k}: {v}\n"));
    }
    if !r.pending.is_empty() {
        out.push_str(pending_heading(lang));
        out.push('\n');
        for p in &r.pending {
            out.push_str(&format!(
                "{} {} {}\n",
                if p.order_id.is_empty() { &p.trace_id } else { &p.order_id },
                MoneyStyle::new(&p.amount.code, p.amount.decimals).format(&p.amount.amount),
                outcome_label(lang, p.outcome)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_reads_in_both_languages() {
        let r = DayReport::of("2026-12-07", []);
        let en = report_text(Lang::En, "Demo Coffee", "7 Dec 2026", &r);
        assert!(en.starts_with("Demo Coffee\nDay report 7 Dec 2026\nSales: 0\nPaid (0): 0\n"), "{en}");
        assert!(!en.contains("Still open"), "no open line when none is");
        assert!(en.contains("First order number: —"));
        let change = Change {
            currency: "USD".into(),
            decimals: 2,
            count: 1,
            up: true,
            amount: crate::domain::money::Amount::parse("2.5").unwrap(),
        };
        assert_eq!(changed_after_closing(Lang::En, &[change]), "Changed after closing: +1 paid sales, +$2.50");
    }

    #[test]
    fn no_english_words_in_chinese() {
        let zh = Lang::ZhHans;
        let r = DayReport::of("2026-12-07", []);
        let mut texts: Vec<String> = vec![
            close_the_day(zh).into(), close_needs_pin(zh).into(), day_to_close(zh).into(),
            close_progress(zh, 1, 2), close_unchecked(zh, 1), day_report(zh, "2026年12月7日"),
            sales_label(zh).into(), overpaid_label(zh).into(), settled_label(zh).into(),
            first_order_label(zh).into(), last_order_label(zh).into(), pending_heading(zh).into(),
            nothing_pending(zh).into(), open_sale_named(zh, "1"), totals_disagree(zh).into(),
            closed_at(zh, "10:00"), report_copied(zh).into(),
        ];
        texts.extend(Outcome::ALL.iter().map(|o| outcome_label(zh, *o).to_string()));
        texts.push(report_text(zh, "", "2026年12月7日", &r));
        assert_eq!(close_the_day(zh), "日结", "the Chinese file is in");
        for text in texts {
            for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
                let has_letter = word.chars().any(|c| c.is_ascii_alphabetic());
                assert!(!has_letter || word == "MixPay", "{word:?} in {text:?}");
            }
        }
    }
}
