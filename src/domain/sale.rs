//! One sale as the device records it: what was asked, the link shown, and
//! every status seen. Saved before the QR appears and after every change.

use super::cart::{self, Cart, CartLine};
use super::link::{self, PaymentParams};
use super::money::Amount;
use super::money_format::MoneyStyle;
use super::settings::{PaymentMode, Settings, MAX_EXPIRY_MINUTES};
use super::status::{Expected, PaymentResult, SaleStatus};
use super::stored;
use serde::Serialize;

/// Read back by `read_sale` (`Sale::parse`), written by the derive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sale {
    pub trace_id: String,
    pub created_ms: i64,
    /// What MixPay is asked for; `params.trace_id` is `trace_id`.
    pub params: PaymentParams,
    pub quote_symbol: String,
    pub decimals: u32,
    pub note: String,
    pub mode: PaymentMode,
    /// The link in the QR; `None` until a one-time payment is created.
    pub link: Option<String>,
    pub status: SaleStatus,
    /// The cashier left the QR screen; the sale is still checked.
    pub cancelled: bool,
    /// The last result MixPay gave, for history (paid amount, txid).
    pub last_result: Option<PaymentResult>,
    pub updated_ms: i64,
    /// Paid after it had failed by expiry (a payment on its way at the expiry,
    /// verified by a later re-check).
    #[serde(default)]
    pub paid_late: bool,
    /// What was sold when charged from the cart; empty for a keypad sale
    /// (and for every sale stored before carts existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<CartLine>,
    /// The API base the sale was made with: it is checked there and nowhere
    /// else, so a later change of settings cannot verify it elsewhere.
    /// Empty in records from before it was kept (checked at the settings' base).
    #[serde(default)]
    pub api_base: String,
    /// The tip inside `params.quote_amount` (the total); `None` when no tip
    /// was asked (and in sales stored before tips).
    #[serde(default)]
    pub tip: Option<Amount>,
    /// The cashier kept a payment that does not match open, to settle with
    /// the customer; History shows it as still to settle.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub to_settle: bool,
    /// The owner settled a sale kept open (refund or new sale done) and said
    /// so in History; it stays there as "Does not match, settled".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub settled: bool,
    /// Lost by the device and found again at MixPay by its order number
    /// (History's "Find sales at MixPay"): amount and currency are MixPay's word.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub recovered: bool,
}

impl Sale {
    /// A stored sale as read back: through one `json::Value` and
    /// `domain::stored` instead of a derived reader (the derive for `Sale`
    /// and its parts was about 16 KB of the first load's wasm). The rules
    /// are the derive's, field by field (`stored`'s module note); the native
    /// tests read every stored form of earlier versions.
    pub fn parse(json: &str) -> Result<Sale, String> {
        read_sale(&super::json::parse(json).map_err(|e| e.to_string())?)
    }

    /// The stored JSON: what the derived `Serialize` writes, byte for byte
    /// (a native test compares them), without its generic code in the wasm.
    pub fn to_json(&self) -> String {
        let mut o = stored::Obj::new();
        o.text("trace_id", &self.trace_id)
            .num("created_ms", self.created_ms)
            .raw("params", &self.params.to_json())
            .text("quote_symbol", &self.quote_symbol)
            .num("decimals", self.decimals)
            .text("note", &self.note)
            .text("mode", self.mode.value())
            .opt_text("link", self.link.as_deref())
            .raw("status", &self.status.to_json())
            .flag("cancelled", self.cancelled)
            .raw("last_result", &self.last_result.as_ref().map_or("null".into(), |r| r.to_json()))
            .num("updated_ms", self.updated_ms)
            .flag("paid_late", self.paid_late);
        if !self.lines.is_empty() {
            o.raw("lines", &stored::list(&self.lines, CartLine::to_json));
        }
        o.text("api_base", &self.api_base).opt_amount("tip", self.tip);
        for (key, set) in [("to_settle", self.to_settle), ("settled", self.settled), ("recovered", self.recovered)] {
            if set {
                o.flag(key, true);
            }
        }
        o.end()
    }
}

fn read_sale(v: &super::json::Value) -> Result<Sale, String> {
    stored::read(v, "sale", |f| {
        // The nested parts first: nothing to drop on their way out.
        let params = link::read_params(f.required("params")?)?;
        let status = super::status::read_status(f.required("status")?)?;
        let last_result = f.present("last_result").map(super::status::read_stored_result).transpose()?;
        Ok(Sale {
            trace_id: f.text("trace_id"),
            created_ms: f.int("created_ms"),
            params,
            quote_symbol: f.text("quote_symbol"),
            decimals: f.count("decimals"),
            note: f.text("note"),
            mode: PaymentMode::read(f, "mode"),
            link: f.opt_text("link"),
            status,
            cancelled: f.flag("cancelled"),
            last_result,
            updated_ms: f.int("updated_ms"),
            paid_late: f.flag_or("paid_late", false),
            lines: f.list_or_empty("lines", cart::read_line),
            api_base: f.text_or_empty("api_base"),
            tip: f.opt_amount("tip"),
            to_settle: f.flag_or("to_settle", false),
            settled: f.flag_or("settled", false),
            recovered: f.flag_or("recovered", false),
        })
    })
}

/// A failed sale is re-checked in the background until this long after its
/// expiry: a payment on its way may still complete, and MixPay may still
/// report what the customer paid (and refunds).
pub const LATE_PAYMENT_WINDOW_MS: i64 = 3600 * 1000;
/// A link not yet created whose expiry is closer than this gets a new one
/// (MixPay refuses an expiry less than 10 s ahead).
const STALE_EXPIRY_S: i64 = 60;

impl Sale {
    /// A new sale for `amount` with the shop's settings. `trace_id` is a fresh
    /// UUID v4 made by the caller; `now_ms` is the device's wall clock and
    /// `mixpay_now_ms` MixPay's (the device's corrected by the offset seen in
    /// MixPay's answers): the expiry is absolute, so it is set on MixPay's clock.
    pub fn new(
        settings: &Settings,
        amount: Amount,
        note: &str,
        trace_id: String,
        now_ms: i64,
        mixpay_now_ms: i64,
    ) -> Sale {
        // Within MixPay's bound whatever an older record of the settings says.
        let minutes = settings.expiry_minutes.clamp(1, MAX_EXPIRY_MINUTES);
        let expired_timestamp = mixpay_now_ms / 1000 + i64::from(minutes) * 60;
        Sale {
            trace_id: trace_id.clone(),
            created_ms: now_ms,
            params: PaymentParams {
                payee_id: settings.payee_id.clone(),
                trace_id,
                quote_asset_id: settings.quote.asset_id.clone(),
                quote_amount: amount,
                settlement_asset_id: settings
                    .settlement
                    .as_ref()
                    .map(|s| s.asset_id.clone())
                    .unwrap_or_default(),
                strict: settings.strict,
                remark: link::remark(&settings.shop_name, note),
                expired_timestamp,
                order_id: String::new(),
            },
            quote_symbol: settings.quote.symbol.clone(),
            decimals: settings.quote.decimal_digit,
            note: note.trim().to_string(),
            mode: settings.mode,
            link: None,
            status: match settings.mode {
                PaymentMode::OneTime => SaleStatus::Creating,
                PaymentMode::PayLink => SaleStatus::Waiting,
            },
            cancelled: false,
            last_result: None,
            updated_ms: now_ms,
            paid_late: false,
            to_settle: false,
            settled: false,
            recovered: false,
            lines: vec![],
            api_base: settings.api_base.clone(),
            tip: None,
        }
    }

    /// Where this sale is checked: its own API base, or `current` for a
    /// record from before sales kept theirs.
    pub fn check_base<'a>(&'a self, current: &'a str) -> &'a str {
        if self.api_base.is_empty() {
            current
        } else {
            &self.api_base
        }
    }

    /// Adds the customer's tip: the amount asked becomes subtotal + tip.
    /// `None` on an overflow far beyond any price.
    pub fn with_tip(mut self, tip: Amount) -> Option<Sale> {
        self.params.quote_amount = self.params.quote_amount.checked_add(tip)?;
        self.tip = Some(tip);
        Some(self)
    }

    /// Gives the sale its order number, sent to MixPay as `orderId`.
    pub fn with_order_id(mut self, order_id: String) -> Sale {
        self.params.order_id = order_id;
        self
    }

    pub fn order_id(&self) -> &str {
        &self.params.order_id
    }

    /// What the goods cost, before the tip.
    pub fn subtotal(&self) -> Amount {
        let tip = self.tip.unwrap_or(Amount::ZERO);
        self.params
            .quote_amount
            .checked_sub(tip)
            .unwrap_or(self.params.quote_amount)
    }

    /// The tip, zero when none was given.
    pub fn tip_amount(&self) -> Amount {
        self.tip.unwrap_or(Amount::ZERO)
    }

    /// How this sale's currency is written ("$12.50", "0.00012000 BTC").
    pub fn money_style(&self) -> MoneyStyle {
        MoneyStyle::new(&self.quote_symbol, self.decimals)
    }

    /// "$1.50" for any amount of this sale's currency.
    pub fn money_text(&self, amount: Amount) -> String {
        self.money_style().format(&amount)
    }

    /// A sale for a cart: its total, its lines, and their summary as the
    /// remark (the cashier's note stays on the device). `None` when the cart
    /// is empty or its total overflows.
    pub fn from_cart(
        settings: &Settings,
        cart: &Cart,
        note: &str,
        trace_id: String,
        now_ms: i64,
        mixpay_now_ms: i64,
    ) -> Option<Sale> {
        let total = cart.total().filter(|t| !t.is_zero())?;
        let mut sale = Sale::new(settings, total, note, trace_id, now_ms, mixpay_now_ms);
        sale.params.remark = cart::remark_summary(&cart.lines);
        sale.lines = cart.lines.clone();
        Some(sale)
    }

    /// "2× Latte, 1× Croissant", or "" for a keypad sale.
    pub fn lines_text(&self) -> String {
        cart::lines_text(&self.lines)
    }

    pub fn expected(&self) -> Expected {
        Expected {
            trace_id: self.trace_id.clone(),
            payee_id: self.params.payee_id.clone(),
            quote_asset_id: self.params.quote_asset_id.clone(),
            quote_amount: self.params.quote_amount,
        }
    }

    /// "$12.50"
    pub fn amount_text(&self) -> String {
        self.money_text(self.params.quote_amount)
    }

    /// Seconds to the expiry, on MixPay's clock.
    pub fn seconds_left(&self, mixpay_now_ms: i64) -> i64 {
        (self.params.expired_timestamp - mixpay_now_ms / 1000).max(0)
    }

    /// Applies a result; returns whether anything worth saving changed.
    pub fn apply(&mut self, result: PaymentResult, now_ms: i64) -> bool {
        let status = self.status.next(&self.expected(), &result);
        if self.status.is_expired_failure() && status == SaleStatus::Paid {
            self.paid_late = true;
        }
        let changed = status != self.status || self.last_result.as_ref() != Some(&result);
        if changed {
            self.status = status;
            self.last_result = Some(result);
            self.updated_ms = now_ms;
        }
        changed
    }

    /// Still worth asking MixPay about.
    pub fn is_open(&self) -> bool {
        !self.status.is_final() && self.link.is_some()
    }

    /// Worth asking MixPay about at `now_ms` (wall clock): an open sale, or
    /// a failed one (any failure) until an hour after its expiry.
    pub fn wants_check(&self, now_ms: i64) -> bool {
        self.is_open()
            || (matches!(self.status, SaleStatus::Failed { .. })
                && self.link.is_some()
                && now_ms < self.late_window_end_ms())
    }

    /// When the background re-checks of a failed sale stop: an hour after
    /// its expiry (wall clock ms, as `wants_check` is asked).
    pub fn late_window_end_ms(&self) -> i64 {
        self.params.expired_timestamp * 1000 + LATE_PAYMENT_WINDOW_MS
    }

    /// A one-time payment that was never created and whose expiry has
    /// (nearly) passed gets a fresh one before it is tried again, instead of
    /// being refused by MixPay for ever. Returns whether it changed.
    pub fn refresh_stale_expiry(&mut self, mixpay_now_ms: i64, expiry_minutes: u32) -> bool {
        let now_s = mixpay_now_ms / 1000;
        if self.link.is_some() || self.params.expired_timestamp - now_s >= STALE_EXPIRY_S {
            return false;
        }
        self.params.expired_timestamp =
            now_s + i64::from(expiry_minutes.clamp(1, MAX_EXPIRY_MINUTES)) * 60;
        true
    }
}

/// `mm:ss` for the countdown.
pub fn countdown_text(seconds: i64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::settings::SettlementAsset;

    fn settings() -> Settings {
        Settings {
            payee_id: "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b".into(),
            settlement: Some(SettlementAsset {
                asset_id: "4d8c508b-91c5-375b-92b0-ee702ed2dac5".into(),
                symbol: "USDT".into(),
                name: String::new(),
                icon_url: String::new(),
            }),
            shop_name: "Demo Coffee".into(),
            ..Settings::default()
        }
    }

    #[test]
    fn a_new_sale_carries_everything_to_verify_later() {
        let s = Sale::new(
            &settings(),
            Amount::parse("12.5").unwrap(),
            " Table 4 ",
            "t-1".into(),
            1_000_000,
            1_000_000,
        );
        assert_eq!(s.params.expired_timestamp, 1_000 + 15 * 60);
        assert_eq!(s.params.remark, "Demo Coffee: Table 4");
        // Checked where it was made, whatever the settings say later.
        assert_eq!(s.api_base, "https://api.mixpay.me/v1");
        assert_eq!(s.check_base("https://elsewhere.example/v1"), "https://api.mixpay.me/v1");
        let old = Sale { api_base: String::new(), ..s.clone() };
        assert_eq!(old.check_base("https://api.mixpay.me/v1"), "https://api.mixpay.me/v1");
        assert_eq!(s.amount_text(), "$12.50");
        assert_eq!(s.status, SaleStatus::Creating);
        assert!(!s.is_open(), "no link yet");
        assert_eq!(s.expected().quote_amount, Amount::parse("12.50").unwrap());
        assert_eq!(s.seconds_left(1_000_000 + 60_000), 14 * 60);
        assert_eq!(countdown_text(14 * 60 + 5), "14:05");
    }

    #[test]
    fn applying_results_and_stored_form() {
        let mut s = Sale::new(
            &settings(),
            Amount::parse("3").unwrap(),
            "",
            "t-2".into(),
            0,
            0,
        );
        s.link = Some("https://mixpay.me/code/x".into());
        s.status = SaleStatus::Waiting;
        let unpaid = PaymentResult {
            status: "unpaid".into(),
            ..Default::default()
        };
        assert!(s.apply(unpaid.clone(), 1));
        assert!(!s.apply(unpaid, 2), "the same answer is no change");
        let paid = PaymentResult {
            status: "success".into(),
            trace_id: "t-2".into(),
            payee_id: s.params.payee_id.clone(),
            quote_asset_id: "usd".into(),
            quote_amount: "3.00".into(),
            ..Default::default()
        };
        assert!(s.apply(paid, 3));
        assert_eq!(s.status, SaleStatus::Paid);
        assert!(!s.is_open());
        assert!(!s.paid_late);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(Sale::parse(&json).unwrap(), s);
    }

    #[test]
    fn a_cart_sale_keeps_its_lines_and_old_sales_still_load() {
        let mut c = Cart::new("usd", 2);
        let latte = crate::domain::catalogue::Product {
            id: 1,
            name: "Latte".into(),
            price: Amount::parse("3.50").unwrap(),
            category: String::new(),
            badge: String::new(),
            hidden: false,
        };
        c.add_product(&latte).unwrap();
        c.add_product(&latte).unwrap();
        c.add_custom(Amount::parse("2").unwrap(), "Custom amount").unwrap();
        let s = Sale::from_cart(&settings(), &c, "table 2", "t-c".into(), 0, 0).unwrap();
        assert_eq!(s.amount_text(), "$9.00");
        assert_eq!(s.expected().quote_amount, Amount::parse("9").unwrap());
        assert_eq!(s.params.remark, "2× Latte, 1× Custom amount");
        assert_eq!(s.note, "table 2");
        assert_eq!(s.lines_text(), "2× Latte, 1× Custom amount");
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(Sale::parse(&json).unwrap(), s);
        assert!(Sale::from_cart(&settings(), &Cart::new("usd", 2), "", "t".into(), 0, 0).is_none());

        // A sale stored before carts existed has no `lines` key.
        let mut old: serde_json::Value =
            serde_json::to_value(Sale::new(&settings(), Amount::parse("1").unwrap(), "", "t-o".into(), 0, 0)).unwrap();
        assert!(old.get("lines").is_none(), "a keypad sale stores as before");
        old.as_object_mut().unwrap().remove("paid_late");
        let read: Sale = Sale::parse(&old.to_string()).unwrap();
        assert!(read.lines.is_empty());
        assert_eq!(read.lines_text(), "");
    }

    #[test]
    fn a_tip_and_an_order_number_are_kept_apart_from_the_subtotal() {
        let s = Sale::new(
            &settings(),
            Amount::parse("12.35").unwrap(),
            "",
            "t-5".into(),
            0,
            0,
        )
        .with_tip(Amount::parse("1.85").unwrap())
        .unwrap()
        .with_order_id("T3K9QX-000127".into());
        assert_eq!(s.params.quote_amount, Amount::parse("14.20").unwrap());
        assert_eq!(s.expected().quote_amount, Amount::parse("14.2").unwrap());
        assert_eq!(s.subtotal(), Amount::parse("12.35").unwrap());
        assert_eq!(s.tip_amount(), Amount::parse("1.85").unwrap());
        assert_eq!(s.order_id(), "T3K9QX-000127");
        assert_eq!(s.params.one_time_body()["quoteAmount"], "14.2");
        assert_eq!(s.money_text(s.tip_amount()), "$1.85");
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(Sale::parse(&json).unwrap(), s);
    }

    #[test]
    fn a_sale_stored_before_tips_and_order_numbers_still_loads() {
        // The stored form of a sale from the previous version, as in the e2e seed.
        let old = r#"{"trace_id":"t","created_ms":1,"params":{"payee_id":"p","trace_id":"t",
            "quote_asset_id":"usd","quote_amount":"10.5","settlement_asset_id":"s","strict":false,
            "remark":"","expired_timestamp":900},"quote_symbol":"USD","decimals":2,"note":"n",
            "mode":"one_time","link":"l","status":{"kind":"paid"},"cancelled":false,
            "last_result":null,"updated_ms":1}"#;
        let s: Sale = Sale::parse(old).unwrap();
        assert_eq!(s.tip, None);
        assert_eq!(s.order_id(), "");
        assert_eq!(s.subtotal(), Amount::parse("10.5").unwrap());
        assert!(s.tip_amount().is_zero());
    }

    #[test]
    fn the_expiry_is_on_mixpays_clock() {
        // The device is 20 minutes behind MixPay.
        let device = 1_000_000_000;
        let mixpay = device + 20 * 60 * 1000;
        let s = Sale::new(
            &settings(),
            Amount::parse("1").unwrap(),
            "",
            "t".into(),
            device,
            mixpay,
        );
        assert_eq!(s.params.expired_timestamp, mixpay / 1000 + 15 * 60);
        assert_eq!(s.created_ms, device);
        assert_eq!(s.seconds_left(mixpay), 15 * 60);
    }

    #[test]
    fn a_failed_by_expiry_sale_is_checked_for_an_hour_and_may_turn_paid_late() {
        let mut s = Sale::new(
            &settings(),
            Amount::parse("3").unwrap(),
            "",
            "t-3".into(),
            0,
            0,
        );
        s.link = Some("https://mixpay.me/code/x".into());
        let expiry_ms = s.params.expired_timestamp * 1000;
        s.apply(
            PaymentResult {
                status: "failed".into(),
                failure_code: "40000".into(),
                failure_reason: "Payment overtime".into(),
                ..Default::default()
            },
            expiry_ms,
        );
        assert!(!s.is_open());
        assert!(s.wants_check(expiry_ms + LATE_PAYMENT_WINDOW_MS - 1));
        assert!(!s.wants_check(expiry_ms + LATE_PAYMENT_WINDOW_MS));
        let paid = PaymentResult {
            status: "success".into(),
            payee_id: s.params.payee_id.clone(),
            quote_asset_id: "usd".into(),
            quote_amount: "3".into(),
            ..Default::default()
        };
        assert!(s.apply(paid, expiry_ms + 60_000));
        assert_eq!(s.status, SaleStatus::Paid);
        assert!(s.paid_late);
        assert!(!s.wants_check(expiry_ms + 60_000));
    }

    #[test]
    fn any_failed_sale_is_rechecked_until_an_hour_after_its_expiry() {
        for (code, reason) in [("40021", "Double payment"), ("40020", "Wrong asset"), ("0", "Payment overtime")] {
            let mut s = Sale::new(&settings(), Amount::parse("3").unwrap(), "", "t-6".into(), 0, 0);
            s.link = Some("https://mixpay.me/code/x".into());
            s.status = SaleStatus::failed(code, reason);
            let expiry_ms = s.params.expired_timestamp * 1000;
            assert!(s.wants_check(0), "{code}");
            assert!(s.wants_check(expiry_ms + LATE_PAYMENT_WINDOW_MS - 1), "{code}");
            assert!(!s.wants_check(expiry_ms + LATE_PAYMENT_WINDOW_MS), "{code}");
        }
    }

    #[test]
    fn the_longest_expiry_is_below_mixpays_2880_minutes_and_rechecked_after_it() {
        let long = Settings { expiry_minutes: 2880, ..settings() };
        let s = Sale::new(&long, Amount::parse("3").unwrap(), "", "t-7".into(), 0, 0);
        assert_eq!(s.params.expired_timestamp, 2879 * 60, "clamped below 2880 minutes");
        // The re-checks of sales left behind last past the expiry plus the window.
        let end = s.late_window_end_ms();
        assert!(end > s.params.expired_timestamp * 1000);
        assert!(crate::domain::history::RECHECK_MAX_AGE_MS >= end - s.created_ms);
    }

    #[test]
    fn a_link_never_created_gets_a_fresh_expiry_when_its_own_is_stale() {
        let mut s = Sale::new(
            &settings(),
            Amount::parse("3").unwrap(),
            "",
            "t-4".into(),
            0,
            0,
        );
        let first = s.params.expired_timestamp;
        assert!(!s.refresh_stale_expiry(60_000, 15), "still far ahead");
        assert!(s.refresh_stale_expiry(first * 1000 - 30_000, 15));
        assert_eq!(s.params.expired_timestamp, first - 30 + 15 * 60);
        s.link = Some("https://mixpay.me/code/x".into());
        assert!(
            !s.refresh_stale_expiry(first * 1000 + 3_600_000, 15),
            "a created link keeps the expiry MixPay knows"
        );
    }

    /// The hand-written writer writes what the derived `Serialize` wrote,
    /// byte for byte, so records stay the same from one build to the next.
    #[test]
    fn a_sale_is_written_as_the_derive_wrote_it() {
        use crate::domain::status::{Mismatch, PaymentProgress};
        let base = Sale::new(&settings(), Amount::parse("12.50").unwrap(), "a \"note\"\n", "t-w".into(), 5, 6);
        let mut full = base.clone().with_tip(Amount::parse("1.5").unwrap()).unwrap().with_order_id("T3-1".into());
        full.link = Some("https://mixpay.me/x?y=1&z=é".into());
        full.cancelled = true;
        full.paid_late = true;
        full.to_settle = true;
        full.settled = true;
        full.recovered = true;
        full.lines = vec![
            CartLine { product_id: Some(7), name: "Latte".into(), unit_price: Amount::parse("3.50").unwrap(), quantity: 2 },
            CartLine { product_id: None, name: "Custom".into(), unit_price: Amount::parse("2").unwrap(), quantity: 1 },
        ];
        full.last_result = Some(PaymentResult {
            status: "success".into(),
            confirmations: -1,
            payment: Some(PaymentProgress { is_multi_pay: true, is_fully_paid: Some(false), total_transactions_amount: "1".into() }),
            ..PaymentResult::default()
        });
        let statuses = [
            SaleStatus::Creating,
            SaleStatus::Waiting,
            SaleStatus::Confirming { confirmations: 3 },
            SaleStatus::Underpaid { still_due: "1".into(), paid: "2".into(), asked: "3".into(), symbol: "USDT".into() },
            SaleStatus::Auditing,
            SaleStatus::Verifying { why: "w".into() },
            SaleStatus::Paid,
            SaleStatus::Mismatch {
                mismatches: vec![Mismatch { field: "payee".into(), expected: "a".into(), received: "b".into() }],
            },
            SaleStatus::Mismatch { mismatches: vec![] },
            SaleStatus::failed("40000", "Payment overtime"),
            SaleStatus::Failed { code: "1".into(), reason: "r".into(), paid: "4.5".into(), symbol: "USDT".into() },
        ];
        for status in statuses {
            for sale in [&base, &full] {
                let mut s = sale.clone();
                s.status = status.clone();
                let derived = serde_json::to_string(&s).unwrap();
                assert_eq!(s.to_json(), derived);
                assert_eq!(Sale::parse(&s.to_json()).unwrap(), s);
            }
        }
        let mut no_payment = full.clone();
        no_payment.last_result.as_mut().unwrap().payment = Some(PaymentProgress::default());
        assert_eq!(no_payment.to_json(), serde_json::to_string(&no_payment).unwrap());
    }
}
