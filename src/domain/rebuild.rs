//! Rebuilding a device's sales from MixPay after its storage was lost.
//! MixPay has no listing call, but every sale of this device carries an
//! order number (`domain::order_number`: the device id and a counter), and
//! MixPay answers `payments_result?orderId&payeeId`. So the owner walks the
//! device's numbers from 1: each one MixPay knows and the device does not
//! becomes a sale again, read by the same rule as every answer.

use super::money::Amount;
use super::sale::Sale;
use super::settings::Settings;
use super::status::{PaymentResult, SaleStatus};

/// Numbers in a row that MixPay does not know before the walk stops: a sale
/// never created (cancelled before its link, a failed create) leaves a gap.
pub const MISSES_BEFORE_STOP: u32 = 10;

/// Where the walk through one device's order numbers stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Walk {
    pub device_id: String,
    /// The next counter value to ask about.
    pub next: u64,
    /// Numbers in a row MixPay did not know.
    pub misses: u32,
    /// The device's own counter, when walking this device's current id:
    /// no number at or beyond it was ever handed out.
    pub end: Option<u64>,
}

impl Walk {
    pub fn new(device_id: &str, end: Option<u64>) -> Walk {
        Walk {
            device_id: device_id.trim().to_ascii_uppercase(),
            next: 1,
            misses: 0,
            end,
        }
    }

    /// The next order number to ask about, or `None` when the walk is over.
    pub fn next_order_id(&self) -> Option<String> {
        let over = match self.end {
            Some(end) => self.next >= end,
            None => self.misses >= MISSES_BEFORE_STOP,
        };
        (!over).then(|| format!("{}-{:06}", self.device_id, self.next))
    }

    /// MixPay knew the last number asked (`known`), or not.
    pub fn record(&mut self, known: bool) {
        self.misses = if known { 0 } else { self.misses + 1 };
        self.next += 1;
    }

    /// Numbers asked so far.
    pub fn asked(&self) -> u64 {
        self.next - 1
    }
}

/// Why an answer found by an order number is not made into a sale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotRecovered {
    /// The answer names another order number.
    OtherOrder,
    /// No usable traceId (the sale's key) in the answer.
    NoTraceId,
    /// No readable amount or currency: nothing to record.
    NoAmount,
}

/// A UUID as 32 lowercase hex digits, or `None`.
fn uuid_key(id: &str) -> Option<String> {
    let hex: String = id.trim().chars().filter(|c| *c != '-').collect();
    (hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit())).then(|| hex.to_ascii_lowercase())
}

/// The sale MixPay's answer about `order_id` stands for: its traceId, amount
/// and currency as MixPay reported them (the device lost what it asked
/// for), this shop's payee, and the status read by the same rule as always
/// (a `success` for another payee is a mismatch, never Paid). `answer_order`
/// is the answer's own orderId (empty when it has none); `date_s` its `date`.
pub fn recovered_sale(
    settings: &Settings,
    order_id: &str,
    answer_order: &str,
    date_s: Option<i64>,
    result: PaymentResult,
    now_ms: i64,
) -> Result<Sale, NotRecovered> {
    if !answer_order.trim().is_empty() && answer_order.trim() != order_id {
        return Err(NotRecovered::OtherOrder);
    }
    uuid_key(&result.trace_id).ok_or(NotRecovered::NoTraceId)?;
    let amount = Amount::parse(&result.quote_amount).map_err(|_| NotRecovered::NoAmount)?;
    if result.quote_asset_id.trim().is_empty() {
        return Err(NotRecovered::NoAmount);
    }
    let created_ms = date_s.filter(|d| *d > 0).map_or(now_ms, |d| d * 1000);
    let trace_id = result.trace_id.trim().to_string();
    let mut sale = Sale::new(settings, amount, "", trace_id, created_ms, created_ms);
    sale.params.order_id = order_id.to_string();
    sale.params.quote_asset_id = result.quote_asset_id.trim().to_string();
    if !sale
        .params
        .quote_asset_id
        .eq_ignore_ascii_case(&settings.quote.asset_id)
    {
        sale.quote_symbol = result.quote_symbol.trim().to_string();
        let places = result.quote_amount.split('.').nth(1).map_or(0, str::len);
        sale.decimals = (places as u32).clamp(2, 8);
    }
    sale.params.remark = String::new();
    // Not on any screen: checked in the background like a cancelled sale.
    sale.cancelled = true;
    sale.recovered = true;
    sale.link = Some(String::new());
    sale.status = SaleStatus::Waiting;
    sale.apply(result, now_ms);
    Ok(sale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walk_of_a_lost_device_id_stops_after_ten_unknown_numbers() {
        let mut w = Walk::new(" t3k9qx ", None);
        assert_eq!(w.next_order_id().as_deref(), Some("T3K9QX-000001"));
        w.record(true);
        // A gap of three (sales never created), then one more found.
        for _ in 0..3 {
            w.record(false);
        }
        w.record(true);
        assert_eq!(w.next_order_id().as_deref(), Some("T3K9QX-000006"));
        for _ in 0..9 {
            w.record(false);
        }
        assert!(w.next_order_id().is_some(), "nine misses: go on");
        w.record(false);
        assert_eq!(w.next_order_id(), None);
        assert_eq!(w.asked(), 15);
    }

    #[test]
    fn a_walk_of_this_devices_id_ends_at_its_counter_whatever_the_gaps() {
        let mut w = Walk::new("T3K9QX", Some(13));
        let mut asked = 0;
        while w.next_order_id().is_some() {
            w.record(false);
            asked += 1;
        }
        assert_eq!(asked, 12);
    }

    fn settings() -> Settings {
        Settings {
            payee_id: "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b".into(),
            ..Settings::default()
        }
    }

    fn paid() -> PaymentResult {
        PaymentResult {
            status: "success".into(),
            trace_id: "6F1C2D3E-4A5B-4C6D-8E7F-9A0B1C2D3E4F".into(),
            payee_id: "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b".into(),
            quote_asset_id: "usd".into(),
            quote_amount: "12.5".into(),
            quote_symbol: "USD".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_paid_answer_becomes_a_paid_sale_of_its_amount() {
        let s = recovered_sale(&settings(), "T3K9QX-000002", "T3K9QX-000002", Some(1_700_000_000), paid(), 5)
            .unwrap();
        assert_eq!(s.status, SaleStatus::Paid);
        assert_eq!(s.amount_text(), "$12.50");
        assert_eq!(s.order_id(), "T3K9QX-000002");
        assert_eq!(s.created_ms, 1_700_000_000_000);
        assert!(s.recovered && s.cancelled);
        assert!(!s.wants_check(5), "final: not checked again");
    }

    #[test]
    fn answers_that_are_not_this_sale_are_not_recorded_as_paid() {
        let other_payee = PaymentResult {
            payee_id: "b7e3a1d2-4c5f-4a6b-8d9e-0f1a2b3c4d5e".into(),
            ..paid()
        };
        let s = recovered_sale(&settings(), "T3K9QX-000002", "", None, other_payee, 5).unwrap();
        assert!(matches!(s.status, SaleStatus::Mismatch { .. }), "{:?}", s.status);
        assert_eq!(
            recovered_sale(&settings(), "T3K9QX-000002", "T3K9QX-000003", None, paid(), 5),
            Err(NotRecovered::OtherOrder)
        );
        let no_trace = PaymentResult { trace_id: "x".into(), ..paid() };
        assert_eq!(
            recovered_sale(&settings(), "T3K9QX-000002", "", None, no_trace, 5),
            Err(NotRecovered::NoTraceId)
        );
        let no_amount = PaymentResult { quote_amount: String::new(), ..paid() };
        assert_eq!(
            recovered_sale(&settings(), "T3K9QX-000002", "", None, no_amount, 5),
            Err(NotRecovered::NoAmount)
        );
        // Waiting at MixPay: recorded, and checked in the background.
        let unpaid = PaymentResult { status: "unpaid".into(), ..paid() };
        let s = recovered_sale(&settings(), "T3K9QX-000002", "", None, unpaid, 5).unwrap();
        assert_eq!(s.status, SaleStatus::Waiting);
        assert!(s.wants_check(5));
    }
}
