//! The cart: lines of products (or keypad amounts) with quantities, and its
//! total, all in exact decimals. The sale keeps the lines it was charged for.

use super::catalogue::Product;
use super::link::{cut_to_bytes, REMARK_MAX_BYTES};
use super::money::{Amount, AmountError};
use serde::Serialize;

/// Enough for any real order; keeps a stuck "+" from making an absurd total.
pub const MAX_QUANTITY: u32 = 999;
pub const MAX_LINES: usize = 100;
pub const CART_VERSION: u32 = 1;

/// Read back by `read_line`, inside a `Cart` or a `Sale`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CartLine {
    /// The product it came from; `None` for a keypad amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<u64>,
    pub name: String,
    pub unit_price: Amount,
    pub quantity: u32,
}

/// A stored `CartLine`, read with the derive's rules (`domain::stored`).
pub(crate) fn read_line(v: &super::json::Value) -> Result<CartLine, String> {
    super::stored::read(v, "line", |f| {
        Ok(CartLine {
            product_id: f.opt_id("product_id"),
            name: f.text("name"),
            unit_price: f.amount("unit_price"),
            quantity: f.count("quantity"),
        })
    })
}

impl CartLine {
    /// As the derived `Serialize` writes it (`domain::stored::Obj`).
    pub fn to_json(&self) -> String {
        let mut o = super::stored::Obj::new();
        if let Some(id) = self.product_id {
            o.num("product_id", id);
        }
        o.text("name", &self.name)
            .amount("unit_price", self.unit_price)
            .num("quantity", self.quantity)
            .end()
    }

    /// Unit price × quantity, exact.
    pub fn total(&self) -> Option<Amount> {
        self.unit_price.checked_mul_count(self.quantity)
    }

    /// "2× Latte"
    pub fn label(&self) -> String {
        format!("{}× {}", self.quantity, self.name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CartError {
    WrongCurrency,
    Price(AmountError),
    TooManyLines,
    QuantityFull,
}

impl std::fmt::Display for CartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::cart_error(crate::i18n::current(), self))
    }
}

/// A cart in one quote currency, kept on the device until charged or cleared.
/// Read back through `domain::stored` (`Cart::parse`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cart {
    pub version: u32,
    /// The quote asset id of every price in it (lower-case).
    pub currency: String,
    pub decimals: u32,
    #[serde(default)]
    pub lines: Vec<CartLine>,
}

impl Cart {
    /// The stored cart, read with the derive's rules (`domain::stored`).
    pub fn parse(json: &str) -> Result<Cart, String> {
        super::stored::parse(json, "cart", |f| {
            Ok(Cart {
                version: f.count("version"),
                currency: f.text("currency"),
                decimals: f.count("decimals"),
                lines: f.list_or_empty("lines", read_line),
            })
        })
    }

    /// As the derived `Serialize` writes it (`domain::stored::Obj`).
    pub fn to_json(&self) -> String {
        super::stored::Obj::new()
            .num("version", self.version)
            .text("currency", &self.currency)
            .num("decimals", self.decimals)
            .raw("lines", &super::stored::list(&self.lines, CartLine::to_json))
            .end()
    }

    pub fn new(currency: &str, decimals: u32) -> Self {
        Cart {
            version: CART_VERSION,
            currency: currency.trim().to_ascii_lowercase(),
            decimals,
            lines: vec![],
        }
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Whether it is for this currency (a cart from before a currency change is not).
    pub fn is_for(&self, asset_id: &str, decimals: u32) -> bool {
        self.currency.eq_ignore_ascii_case(asset_id.trim()) && self.decimals == decimals
    }

    fn check_price(&self, price: Amount) -> Result<(), CartError> {
        // A price with more places than the currency would make a total
        // MixPay cannot be asked for; refuse rather than round.
        Amount::parse_with_decimals(&price.to_string(), self.decimals)
            .map(|_| ())
            .map_err(CartError::Price)
    }

    fn bump(&mut self, i: usize) -> Result<(), CartError> {
        let line = &mut self.lines[i];
        if line.quantity >= MAX_QUANTITY {
            return Err(CartError::QuantityFull);
        }
        line.quantity += 1;
        Ok(())
    }

    /// One more of a product: its line if there is one (at the product's
    /// current price and name), else a new line.
    pub fn add_product(&mut self, p: &Product) -> Result<(), CartError> {
        self.check_price(p.price)?;
        let same = self.lines.iter().position(|l| {
            l.product_id == Some(p.id) && l.unit_price == p.price && l.name == p.name
        });
        match same {
            Some(i) => self.bump(i),
            None => self.push(CartLine {
                product_id: Some(p.id),
                name: p.name.clone(),
                unit_price: p.price,
                quantity: 1,
            }),
        }
    }

    /// A keypad amount as its own line, named in the language on screen
    /// ("Custom amount"): the name is kept with the sale as it was shown.
    pub fn add_custom(&mut self, amount: Amount, name: &str) -> Result<(), CartError> {
        self.check_price(amount)?;
        if amount.is_zero() {
            return Err(CartError::Price(AmountError::Empty));
        }
        self.push(CartLine {
            product_id: None,
            name: name.into(),
            unit_price: amount,
            quantity: 1,
        })
    }

    fn push(&mut self, line: CartLine) -> Result<(), CartError> {
        if self.lines.len() >= MAX_LINES {
            return Err(CartError::TooManyLines);
        }
        self.lines.push(line);
        Ok(())
    }

    pub fn increment(&mut self, index: usize) -> Result<(), CartError> {
        if index < self.lines.len() {
            self.bump(index)?;
        }
        Ok(())
    }

    /// One fewer; the line goes at zero.
    pub fn decrement(&mut self, index: usize) {
        if let Some(line) = self.lines.get_mut(index) {
            line.quantity -= 1;
            if line.quantity == 0 {
                self.lines.remove(index);
            }
        }
    }

    pub fn clear(&mut self) {
        self.lines.clear();
    }

    /// The exact total; `None` only on overflow (refused at charge).
    pub fn total(&self) -> Option<Amount> {
        self.lines
            .iter()
            .try_fold(Amount::ZERO, |sum, l| sum.checked_add(l.total()?))
    }

    /// "9.00" with the currency's places.
    pub fn total_text(&self) -> String {
        self.total()
            .map(|t| t.format_fixed(self.decimals))
            .unwrap_or_else(|| "—".into())
    }
}

/// "2× Latte, 1× Croissant": every line, for History and the CSV.
pub fn lines_text(lines: &[CartLine]) -> String {
    lines.iter().map(CartLine::label).collect::<Vec<_>>().join(", ")
}

/// The remark MixPay gets: the lines as fit in `REMARK_MAX_BYTES`, whole
/// lines only and "…" when some are left out ("2× Latte, 1× Croissant…").
pub fn remark_summary(lines: &[CartLine]) -> String {
    let full = lines_text(lines);
    if full.len() <= REMARK_MAX_BYTES {
        return full;
    }
    let room = REMARK_MAX_BYTES - '…'.len_utf8();
    let mut out = String::new();
    for l in lines {
        let next = if out.is_empty() {
            l.label()
        } else {
            format!("{out}, {}", l.label())
        };
        if next.len() > room {
            break;
        }
        out = next;
    }
    if out.is_empty() {
        // Even the first line is too long: cut it.
        out = cut_to_bytes(&full, room).to_string();
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Amount {
        Amount::parse(s).unwrap()
    }

    fn product(id: u64, name: &str, price: &str) -> Product {
        Product {
            id,
            name: name.into(),
            price: a(price),
            category: String::new(),
            badge: String::new(),
            hidden: false,
        }
    }

    #[test]
    fn quantities_and_exact_totals() {
        let latte = product(1, "Latte", "3.50");
        let croissant = product(2, "Croissant", "2");
        let mut c = Cart::new("USD", 2);
        c.add_product(&latte).unwrap();
        c.add_product(&croissant).unwrap();
        c.add_product(&latte).unwrap();
        assert_eq!(c.lines.len(), 2);
        assert_eq!(c.lines[0].quantity, 2);
        assert_eq!(c.lines[0].total(), Some(a("7")));
        assert_eq!(c.total(), Some(a("9")));
        assert_eq!(c.total_text(), "9.00");
        c.decrement(1);
        assert_eq!(c.lines.len(), 1, "a line goes at zero");
        c.increment(0).unwrap();
        assert_eq!(c.total_text(), "10.50");
        c.clear();
        assert!(c.is_empty());
        assert_eq!(c.total_text(), "0.00");
    }

    #[test]
    fn no_float_drift_and_places_of_the_currency() {
        let mut c = Cart::new("usd", 2);
        let dime = product(1, "Sweet", "0.10");
        for _ in 0..3 {
            c.add_product(&dime).unwrap();
        }
        assert_eq!(c.total(), Some(a("0.3")), "0.1 × 3 is exactly 0.3");
        c.add_custom(a("0.2"), "Custom amount").unwrap();
        assert_eq!(c.total_text(), "0.50");
        // A price finer than the currency is refused, never rounded.
        assert_eq!(
            c.add_product(&product(2, "Odd", "0.005")),
            Err(CartError::Price(AmountError::TooManyDecimals { max: 2 }))
        );
        assert!(c.add_custom(Amount::ZERO, "Custom amount").is_err());
        let mut btc = Cart::new("btc", 8);
        btc.add_custom(a("0.00000001"), "Custom amount").unwrap();
        btc.add_product(&product(3, "Sat", "0.00000002")).unwrap();
        assert_eq!(btc.total_text(), "0.00000003");
        let mut jpy = Cart::new("jpy", 0);
        jpy.add_product(&product(4, "Onigiri", "150")).unwrap();
        jpy.increment(0).unwrap();
        assert_eq!(jpy.total_text(), "300");
        assert!(jpy.is_for("JPY", 0));
        assert!(!jpy.is_for("usd", 2));
    }

    #[test]
    fn a_changed_price_is_a_new_line_and_limits_hold() {
        let mut c = Cart::new("usd", 2);
        let mut p = product(1, "Latte", "3.50");
        c.add_product(&p).unwrap();
        p.price = a("4");
        c.add_product(&p).unwrap();
        assert_eq!(c.lines.len(), 2, "the price charged is the one tapped");
        c.lines[0].quantity = MAX_QUANTITY;
        assert_eq!(c.increment(0), Err(CartError::QuantityFull));
        for i in 0..(MAX_LINES - 2) {
            c.add_custom(a(&format!("{}", i + 1)), "Custom amount").unwrap();
        }
        assert_eq!(c.add_custom(a("1"), "Custom amount"), Err(CartError::TooManyLines));
    }

    #[test]
    fn the_remark_fits_fifty_characters() {
        let line = |n: &str, q| CartLine {
            product_id: None,
            name: n.into(),
            unit_price: a("1"),
            quantity: q,
        };
        let short = vec![line("Latte", 2), line("Croissant", 1)];
        assert_eq!(remark_summary(&short), "2× Latte, 1× Croissant");
        let long = vec![
            line("Latte", 2),
            line("Croissant", 1),
            line("Blueberry muffin", 3),
            line("Water", 1),
        ];
        let r = remark_summary(&long);
        assert_eq!(r, "2× Latte, 1× Croissant, 3× Blueberry muffin…");
        assert!(r.len() <= REMARK_MAX_BYTES);
        let huge = vec![line(&"抹".repeat(45), 12), line("x", 1)];
        let r = remark_summary(&huge);
        // "12× " is 5 bytes, then 14 characters of 3 bytes and the "…".
        assert_eq!(r, format!("12× {}…", "抹".repeat(14)));
        assert!(r.len() <= REMARK_MAX_BYTES);
        assert!(r.ends_with('…'));
        assert_eq!(lines_text(&long), "2× Latte, 1× Croissant, 3× Blueberry muffin, 1× Water");
    }

    #[test]
    fn stored_form_round_trips() {
        let mut c = Cart::new("usd", 2);
        c.add_product(&product(5, "Tea", "2.25")).unwrap();
        c.add_custom(a("1.5"), "Custom amount").unwrap();
        let json = serde_json::to_string(&c).unwrap();
        assert!(!json.contains("product_id\":null"));
        assert_eq!(Cart::parse(&json).unwrap(), c);
    }

    /// The hand-written writer writes what the derived `Serialize` wrote.
    #[test]
    fn a_cart_is_written_as_the_derive_wrote_it() {
        let mut c = Cart::new("usd", 2);
        assert_eq!(c.to_json(), serde_json::to_string(&c).unwrap());
        c.add_custom(Amount::parse("2.5").unwrap(), "Custom").unwrap();
        c.lines.push(CartLine { product_id: Some(9), name: "A".into(), unit_price: Amount::parse("1").unwrap(), quantity: 3 });
        assert_eq!(c.to_json(), serde_json::to_string(&c).unwrap());
        assert_eq!(Cart::parse(&c.to_json()).unwrap(), c);
    }
}
