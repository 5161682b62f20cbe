//! The customer's receipt: what is printed on thermal paper and shared as
//! text. Built from a paid sale; the view only lays these lines out.

use super::lang::{format_time, Lang, LocalTime};
use super::sale::Sale;
use super::status::SaleStatus;
use serde::Serialize;

/// The thermal paper roll the shop's printer takes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum PaperWidth {
    #[default]
    #[serde(rename = "58mm")]
    Mm58,
    #[serde(rename = "80mm")]
    Mm80,
}

impl PaperWidth {
    pub const ALL: [PaperWidth; 2] = [PaperWidth::Mm58, PaperWidth::Mm80];

    /// The form value of a `<select>` option, and the class of the printed receipt.
    pub fn value(self) -> &'static str {
        match self {
            PaperWidth::Mm58 => "58mm",
            PaperWidth::Mm80 => "80mm",
        }
    }

    pub fn from_value(value: &str) -> PaperWidth {
        PaperWidth::ALL
            .into_iter()
            .find(|p| p.value() == value)
            .unwrap_or_default()
    }

    /// Dots across the printed line of an ESC/POS printer for this roll.
    pub fn dots(self) -> u32 {
        match self {
            PaperWidth::Mm58 => super::escpos::DOTS_58MM,
            PaperWidth::Mm80 => super::escpos::DOTS_80MM,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PaperWidth::Mm58 => "58 mm",
            PaperWidth::Mm80 => "80 mm",
        }
    }
}

/// A transaction id short enough for a narrow receipt: its start and end.
pub fn short_id(id: &str) -> String {
    super::history::shorten(id, 8, 6)
}

/// A line of the receipt, by what it says; `i18n::receipt_label` words it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReceiptLine {
    Order,
    Date,
    Items,
    /// The note beside a cart's lines (a keypad sale's note is its Items).
    Note,
    Subtotal,
    Tip,
    Total,
    PaidWith,
    Transaction,
}

/// One receipt: the amounts already written, the date written per language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub shop_name: String,
    /// When the sale was made, on the tablet's clock.
    pub when: LocalTime,
    pub order_id: String,
    /// What was sold, when charged from the cart ("2× Latte, 1× Croissant");
    /// empty for a keypad sale.
    pub items: String,
    pub note: String,
    pub subtotal: String,
    /// `None` when no tip was given.
    pub tip: Option<String>,
    pub total: String,
    /// "14.2 USDT": what the customer paid, in which asset.
    pub paid: Option<String>,
    pub txid_short: Option<String>,
    pub trace_id: String,
}

impl Receipt {
    /// The receipt of a paid sale; `None` for any other (no receipt for a
    /// payment that did not happen or did not match).
    pub fn of(sale: &Sale, shop_name: &str, when: LocalTime) -> Option<Receipt> {
        if sale.status != SaleStatus::Paid {
            return None;
        }
        let r = sale.last_result.clone().unwrap_or_default();
        let paid = super::money_format::paying_money(&r.payment_amount, &r.payment_symbol);
        Some(Receipt {
            shop_name: shop_name.trim().to_string(),
            when,
            order_id: sale.order_id().to_string(),
            items: sale.lines_text(),
            note: sale.note.clone(),
            subtotal: sale.money_text(sale.subtotal()),
            tip: sale.tip.map(|t| sale.money_text(t)),
            total: sale.amount_text(),
            paid: (!paid.is_empty()).then_some(paid),
            txid_short: (!r.txid.is_empty()).then(|| short_id(&r.txid)),
            trace_id: sale.trace_id.clone(),
        })
    }

    /// Label and value of each line between the header and the QR, the
    /// date written in `lang`.
    pub fn lines(&self, lang: Lang) -> Vec<(ReceiptLine, String)> {
        let mut lines = vec![];
        if !self.order_id.is_empty() {
            lines.push((ReceiptLine::Order, self.order_id.clone()));
        }
        lines.push((ReceiptLine::Date, format_time(lang, self.when)));
        if !self.items.is_empty() {
            lines.push((ReceiptLine::Items, self.items.clone()));
        }
        if !self.note.is_empty() {
            // A keypad sale's note says what was sold; beside a cart's
            // lines it is only a note.
            let label = if self.items.is_empty() { ReceiptLine::Items } else { ReceiptLine::Note };
            lines.push((label, self.note.clone()));
        }
        lines.push((ReceiptLine::Subtotal, self.subtotal.clone()));
        if let Some(tip) = &self.tip {
            lines.push((ReceiptLine::Tip, tip.clone()));
        }
        lines.push((ReceiptLine::Total, self.total.clone()));
        if let Some(paid) = &self.paid {
            lines.push((ReceiptLine::PaidWith, paid.clone()));
        }
        if let Some(tx) = &self.txid_short {
            lines.push((ReceiptLine::Transaction, tx.clone()));
        }
        lines
    }
}

/// The kitchen's ticket of a paid sale: the order number (printed large),
/// what was ordered and the notes, no prices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KitchenTicket {
    pub order_id: String,
    pub when: LocalTime,
    /// Quantity and name of each line of the cart (none for a keypad sale).
    pub lines: Vec<(u32, String)>,
    /// The cashier's note (a keypad sale's only words).
    pub note: String,
}

impl KitchenTicket {
    /// The ticket of a paid sale; `None` for any other, or for a sale with
    /// nothing for the kitchen to read (a keypad amount without a note).
    pub fn of(sale: &Sale, when: LocalTime) -> Option<KitchenTicket> {
        if sale.status != SaleStatus::Paid || (sale.lines.is_empty() && sale.note.trim().is_empty()) {
            return None;
        }
        Some(KitchenTicket {
            order_id: sale.order_id().to_string(),
            when,
            lines: sale.lines.iter().map(|l| (l.quantity, l.name.clone())).collect(),
            note: sale.note.trim().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Amount;
    use crate::domain::settings::{Settings, SettlementAsset};
    use crate::domain::status::PaymentResult;

    fn paid_sale(tip: Option<&str>) -> Sale {
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
            Amount::parse("12.35").unwrap(),
            "2 flat whites",
            "dd9c3e04-a5d2-41ec-b909-0242ac120002".into(),
            0,
            0,
        )
        .with_order_id("T3K9QX-000127".into());
        if let Some(t) = tip {
            s = s.with_tip(Amount::parse(t).unwrap()).unwrap();
        }
        s.status = SaleStatus::Paid;
        s.last_result = Some(PaymentResult {
            payment_amount: "14.2".into(),
            payment_symbol: "USDT".into(),
            txid: "0x9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc".into(),
            ..Default::default()
        });
        s
    }

    const WHEN: LocalTime = LocalTime {
        year: 2026,
        month: 11,
        day: 27,
        hour: 10,
        minute: 0,
    };

    #[test]
    fn a_paid_sale_has_every_line_of_its_receipt() {
        let r = Receipt::of(&paid_sale(Some("1.85")), " Demo Coffee ", WHEN).unwrap();
        assert_eq!(r.shop_name, "Demo Coffee");
        assert_eq!(
            r.lines(Lang::En),
            vec![
                (ReceiptLine::Order, "T3K9QX-000127".to_string()),
                (ReceiptLine::Date, "2026-11-27 10:00".into()),
                (ReceiptLine::Items, "2 flat whites".into()),
                (ReceiptLine::Subtotal, "$12.35".into()),
                (ReceiptLine::Tip, "$1.85".into()),
                (ReceiptLine::Total, "$14.20".into()),
                (ReceiptLine::PaidWith, "14.20 USDT".into()),
                (ReceiptLine::Transaction, "0x9f8e7d…eeddcc".into()),
            ]
        );
        // The date follows the language; the amounts and codes do not change.
        let zh = r.lines(Lang::ZhHans);
        assert_eq!(zh[1], (ReceiptLine::Date, "2026年11月27日 10:00".into()));
        assert_eq!(zh[5], (ReceiptLine::Total, "$14.20".into()));
    }

    #[test]
    fn a_cart_sale_shows_its_lines_and_its_note_apart() {
        let mut s = paid_sale(None);
        let line = |name: &str, price: &str, quantity: u32| crate::domain::cart::CartLine {
            product_id: None,
            name: name.into(),
            unit_price: Amount::parse(price).unwrap(),
            quantity,
        };
        s.lines = vec![line("Latte", "3.50", 3), line("Croissant", "1.85", 1)];
        let r = Receipt::of(&s, "", WHEN).unwrap();
        let lines = r.lines(Lang::En);
        assert_eq!(lines[2], (ReceiptLine::Items, "3× Latte, 1× Croissant".to_string()));
        assert_eq!(lines[3], (ReceiptLine::Note, "2 flat whites".to_string()));
        assert!(crate::i18n::receipt_text(Lang::En, &r)
            .contains("Items: 3× Latte, 1× Croissant\nNote: 2 flat whites"));
    }

    #[test]
    fn no_tip_line_without_a_tip_and_no_receipt_unless_paid() {
        let r = Receipt::of(&paid_sale(None), "", WHEN).unwrap();
        assert!(r.lines(Lang::En).iter().all(|(k, _)| *k != ReceiptLine::Tip));
        assert_eq!(r.total, "$12.35");
        let mut unpaid = paid_sale(None);
        unpaid.status = SaleStatus::Waiting;
        assert_eq!(Receipt::of(&unpaid, "", WHEN), None);
        let mut mismatch = paid_sale(None);
        mismatch.status = SaleStatus::Mismatch { mismatches: vec![] };
        assert_eq!(Receipt::of(&mismatch, "", WHEN), None);
    }

    #[test]
    fn the_kitchen_ticket_has_the_order_lines_and_note_and_no_price() {
        let mut s = paid_sale(None);
        let line = |name: &str, quantity: u32| crate::domain::cart::CartLine {
            product_id: None,
            name: name.into(),
            unit_price: Amount::parse("3.50").unwrap(),
            quantity,
        };
        s.lines = vec![line("Latte", 3), line("拿铁", 1)];
        let t = KitchenTicket::of(&s, WHEN).unwrap();
        assert_eq!(t.order_id, "T3K9QX-000127");
        assert_eq!(t.lines, vec![(3, "Latte".to_string()), (1, "拿铁".to_string())]);
        assert_eq!(t.note, "2 flat whites");
        // A keypad sale: its note only; with no note, nothing to print.
        let mut keypad = paid_sale(None);
        assert_eq!(KitchenTicket::of(&keypad, WHEN).unwrap().lines, vec![]);
        keypad.note = " ".into();
        assert_eq!(KitchenTicket::of(&keypad, WHEN), None);
        s.status = SaleStatus::Waiting;
        assert_eq!(KitchenTicket::of(&s, WHEN), None);
    }

    #[test]
    fn short_ids_and_paper() {
        assert_eq!(short_id("abc"), "abc");
        assert_eq!(short_id("0123456789abcdefXYZ"), "01234567…defXYZ");
        assert_eq!(
            short_id("一二三四五六七八九十一二三四五六七"),
            "一二三四五六七八…二三四五六七"
        );
        assert_eq!(PaperWidth::from_value("80mm"), PaperWidth::Mm80);
        assert_eq!(PaperWidth::from_value("x"), PaperWidth::Mm58);
        assert_eq!(
            serde_json::to_string(&PaperWidth::Mm80).unwrap(),
            "\"80mm\""
        );
    }
}
