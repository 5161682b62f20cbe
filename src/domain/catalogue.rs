//! The shop's products: what a cashier can tap instead of typing a price.
//! Kept on the device as versioned JSON; prices are in the quote currency the
//! catalogue records, so a currency change can never reprice a product silently.

use super::keypad::{check_limits, LimitError};
use super::money::{Amount, AmountError};
use super::settings::QuoteAsset;
use serde::Serialize;
use std::fmt;

/// Bumped when the stored form changes.
pub const CATALOGUE_VERSION: u32 = 1;
pub const PRODUCT_NAME_MAX_CHARS: usize = 40;
pub const CATEGORY_MAX_CHARS: usize = 30;
/// More than a café's menu; keeps localStorage and the grid bounded.
pub const MAX_PRODUCTS: usize = 2000;
/// Above this many products the sale screen offers search and category filters.
pub const FILTER_THRESHOLD: usize = 12;

/// Read back by `read_product` inside a `Catalogue`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Product {
    pub id: u64,
    pub name: String,
    pub price: Amount,
    #[serde(default)]
    pub category: String,
    /// A colour (`#rrggbb`) or a short emoji shown on the button instead of a picture.
    #[serde(default)]
    pub badge: String,
    #[serde(default)]
    pub hidden: bool,
}

/// What a badge is, so the view never guesses from text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Badge {
    None,
    Colour(String),
    Emoji(String),
}

impl Product {
    pub fn badge(&self) -> Badge {
        let b = self.badge.trim();
        if b.is_empty() {
            Badge::None
        } else if is_colour(b) {
            Badge::Colour(b.to_ascii_lowercase())
        } else {
            Badge::Emoji(b.to_string())
        }
    }
}

fn is_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Why a product cannot be saved; worded for the owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProductError {
    NameEmpty,
    NameTooLong,
    Price(AmountError),
    PriceLimit(LimitError),
    CategoryTooLong,
    BadBadge,
    TooMany,
    /// Invisible formatting characters in the name or the category
    /// (`text::has_hidden_formatting`).
    HiddenCharacters,
}

impl fmt::Display for ProductError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::i18n::product_error(crate::i18n::current(), self))
    }
}

/// A product as typed or imported, before it is checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProductDraft {
    pub name: String,
    pub price: String,
    pub category: String,
    pub badge: String,
}

/// A checked draft: every field ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidProduct {
    pub name: String,
    pub price: Amount,
    pub category: String,
    pub badge: String,
}

impl ProductDraft {
    pub fn from_product(p: &Product, decimals: u32) -> Self {
        ProductDraft {
            name: p.name.clone(),
            price: p.price.format_fixed(decimals),
            category: p.category.clone(),
            badge: p.badge.clone(),
        }
    }

    /// The same rules as the keypad: the quote currency's places and limits.
    /// Returns every problem at once, so a form shows them together.
    pub fn validate(&self, quote: &QuoteAsset) -> Result<ValidProduct, Vec<ProductError>> {
        let mut errors = vec![];
        let name = collapse_spaces(&self.name);
        if name.is_empty() {
            errors.push(ProductError::NameEmpty);
        } else if name.chars().count() > PRODUCT_NAME_MAX_CHARS {
            errors.push(ProductError::NameTooLong);
        }
        let price = match Amount::parse_with_decimals(&self.price, quote.decimal_digit) {
            Ok(p) => match check_limits(p, quote.min, quote.max, &quote.money_style()) {
                Ok(()) => Some(p),
                Err(e) => {
                    errors.push(ProductError::PriceLimit(e));
                    None
                }
            },
            Err(e) => {
                errors.push(ProductError::Price(e));
                None
            }
        };
        let category = collapse_spaces(&self.category);
        if category.chars().count() > CATEGORY_MAX_CHARS {
            errors.push(ProductError::CategoryTooLong);
        }
        if super::text::has_hidden_formatting(&name) || super::text::has_hidden_formatting(&category) {
            errors.push(ProductError::HiddenCharacters);
        }
        let badge = self.badge.trim().to_string();
        if !badge.is_empty()
            && !is_colour(&badge)
            && (badge.chars().count() > 4 || badge.chars().any(|c| c.is_ascii()))
        {
            errors.push(ProductError::BadBadge);
        }
        match (errors.is_empty(), price) {
            (true, Some(price)) => Ok(ValidProduct {
                name,
                price,
                category,
                badge,
            }),
            _ => Err(errors),
        }
    }
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The stored catalogue. `products` is in the owner's order. Read back
/// through `domain::stored` (`read_catalogue`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Catalogue {
    pub version: u32,
    /// The quote asset id the prices are in (lower-case).
    pub currency: String,
    #[serde(default)]
    pub next_id: u64,
    #[serde(default)]
    pub products: Vec<Product>,
}

/// The stored catalogue, read with the derive's rules (`domain::stored`).
fn read_catalogue(json: &str) -> Result<Catalogue, String> {
    super::stored::parse(json, "catalogue", |f| {
        Ok(Catalogue {
            version: f.count("version"),
            currency: f.text("currency"),
            next_id: f.whole_or("next_id", 0),
            products: f.list_or_empty("products", read_product),
        })
    })
}

fn read_product(v: &super::json::Value) -> Result<Product, String> {
    super::stored::read(v, "product", |f| {
        Ok(Product {
            id: f.whole("id"),
            name: f.text("name"),
            price: f.amount("price"),
            category: f.text_or_empty("category"),
            badge: f.text_or_empty("badge"),
            hidden: f.flag_or("hidden", false),
        })
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoredCatalogueError {
    Unreadable(String),
    NewerVersion(u32),
}

impl fmt::Display for StoredCatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::i18n::stored_catalogue_error(crate::i18n::current(), self))
    }
}

/// What to do with the prices when the quote currency changed under them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CurrencyChoice {
    /// Keep the numbers as prices in the new currency; a price the new
    /// currency cannot hold (too many places, outside its limits) is hidden.
    KeepNumbers,
    /// Remove every product.
    RemoveAll,
}

impl Catalogue {
    pub fn new(currency: &str) -> Self {
        Catalogue {
            version: CATALOGUE_VERSION,
            currency: currency.trim().to_ascii_lowercase(),
            next_id: 1,
            products: vec![],
        }
    }

    pub fn parse_stored(json: &str) -> Result<Catalogue, StoredCatalogueError> {
        let c = read_catalogue(json).map_err(StoredCatalogueError::Unreadable)?;
        if c.version > CATALOGUE_VERSION {
            return Err(StoredCatalogueError::NewerVersion(c.version));
        }
        let mut c = c;
        c.version = CATALOGUE_VERSION;
        // Ids must stay unique even if `next_id` was lost.
        let max = c.products.iter().map(|p| p.id).max().unwrap_or(0);
        c.next_id = c.next_id.max(max + 1);
        Ok(c)
    }

    pub fn to_stored(&self) -> String {
        super::stored::Obj::new()
            .num("version", self.version)
            .text("currency", &self.currency)
            .num("next_id", self.next_id)
            .raw(
                "products",
                &super::stored::list(&self.products, |p| {
                    super::stored::Obj::new()
                        .num("id", p.id)
                        .text("name", &p.name)
                        .amount("price", p.price)
                        .text("category", &p.category)
                        .text("badge", &p.badge)
                        .flag("hidden", p.hidden)
                        .end()
                }),
            )
            .end()
    }

    /// Whether its prices are in this quote currency.
    pub fn priced_in(&self, asset_id: &str) -> bool {
        self.currency.eq_ignore_ascii_case(asset_id.trim())
    }

    pub fn get(&self, id: u64) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }

    pub fn add(&mut self, p: ValidProduct) -> Result<u64, ProductError> {
        if self.products.len() >= MAX_PRODUCTS {
            return Err(ProductError::TooMany);
        }
        let id = self.next_id.max(1);
        self.next_id = id + 1;
        self.products.push(Product {
            id,
            name: p.name,
            price: p.price,
            category: p.category,
            badge: p.badge,
            hidden: false,
        });
        Ok(id)
    }

    /// Adds all or none.
    pub fn add_all(&mut self, ps: Vec<ValidProduct>) -> Result<usize, ProductError> {
        if self.products.len() + ps.len() > MAX_PRODUCTS {
            return Err(ProductError::TooMany);
        }
        let n = ps.len();
        for p in ps {
            self.add(p)?;
        }
        Ok(n)
    }

    /// Replaces a product's fields, keeping its id, place and visibility.
    pub fn update(&mut self, id: u64, p: ValidProduct) -> bool {
        match self.products.iter_mut().find(|x| x.id == id) {
            Some(x) => {
                x.name = p.name;
                x.price = p.price;
                x.category = p.category;
                x.badge = p.badge;
                true
            }
            None => false,
        }
    }

    pub fn delete(&mut self, id: u64) -> bool {
        let before = self.products.len();
        self.products.retain(|p| p.id != id);
        before != self.products.len()
    }

    pub fn set_hidden(&mut self, id: u64, hidden: bool) -> bool {
        match self.products.iter_mut().find(|x| x.id == id) {
            Some(x) => {
                x.hidden = hidden;
                true
            }
            None => false,
        }
    }

    /// Moves a product one place up (`-1`) or down (`1`); false at an end.
    pub fn shift(&mut self, id: u64, by: isize) -> bool {
        let Some(i) = self.products.iter().position(|p| p.id == id) else {
            return false;
        };
        let j = i as isize + by;
        if j < 0 || j as usize >= self.products.len() {
            return false;
        }
        self.products.swap(i, j as usize);
        true
    }

    /// The products the sale screen offers, in order.
    pub fn visible(&self) -> impl Iterator<Item = &Product> {
        self.products.iter().filter(|p| !p.hidden)
    }

    /// Categories of the visible products, in first-seen order ("" for none).
    pub fn categories(&self) -> Vec<String> {
        let mut out: Vec<String> = vec![];
        for p in self.visible() {
            if !out.contains(&p.category) {
                out.push(p.category.clone());
            }
        }
        out
    }

    /// Visible products matching a search text (any word, in the name or the
    /// category, case-insensitive) and a category (`None` = all), grouped by
    /// category in first-seen order.
    pub fn grouped(&self, search: &str, category: Option<&str>) -> Vec<(String, Vec<Product>)> {
        let words: Vec<String> = search
            .split_whitespace()
            .map(super::text::fold_case)
            .collect();
        let mut groups: Vec<(String, Vec<Product>)> = vec![];
        for p in self.visible() {
            if category.is_some_and(|c| c != p.category) {
                continue;
            }
            if !words.is_empty() {
                let hay = super::text::fold_case(&format!("{} {}", p.name, p.category));
                if !words.iter().all(|w| hay.contains(w.as_str())) {
                    continue;
                }
            }
            match groups.iter_mut().find(|(c, _)| *c == p.category) {
                Some((_, list)) => list.push(p.clone()),
                None => groups.push((p.category.clone(), vec![p.clone()])),
            }
        }
        groups
    }

    /// Applies the owner's answer to a quote-currency change; returns how many
    /// products were hidden because their price does not fit the new currency.
    pub fn change_currency(&mut self, quote: &QuoteAsset, choice: CurrencyChoice) -> usize {
        self.currency = quote.asset_id.trim().to_ascii_lowercase();
        match choice {
            CurrencyChoice::RemoveAll => {
                self.products.clear();
                0
            }
            CurrencyChoice::KeepNumbers => {
                let mut hidden = 0;
                for p in self.products.iter_mut().filter(|p| !p.hidden) {
                    let fits = ProductDraft::from_product(p, quote.decimal_digit)
                        .validate(quote)
                        .is_ok();
                    if !fits {
                        p.hidden = true;
                        hidden += 1;
                    }
                }
                hidden
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> QuoteAsset {
        QuoteAsset {
            min: Some(Amount::parse("0.5").unwrap()),
            max: Some(Amount::parse("1000").unwrap()),
            ..QuoteAsset::usd()
        }
    }

    fn draft(name: &str, price: &str, category: &str) -> ProductDraft {
        ProductDraft {
            name: name.into(),
            price: price.into(),
            category: category.into(),
            badge: String::new(),
        }
    }

    fn cat(items: &[(&str, &str, &str)]) -> Catalogue {
        let mut c = Catalogue::new("usd");
        for (n, p, k) in items {
            c.add(draft(n, p, k).validate(&usd()).unwrap()).unwrap();
        }
        c
    }

    #[test]
    fn a_product_follows_the_keypads_rules() {
        let ok = draft("  Flat   white ", "3.5", " Coffee ").validate(&usd()).unwrap();
        assert_eq!(ok.name, "Flat white");
        assert_eq!(ok.category, "Coffee");
        assert_eq!(ok.price, Amount::parse("3.50").unwrap());
        assert_eq!(
            draft("", "3.555", "").validate(&usd()),
            Err(vec![
                ProductError::NameEmpty,
                ProductError::Price(AmountError::TooManyDecimals { max: 2 })
            ])
        );
        assert_eq!(
            draft(&"x".repeat(41), "0.10", &"c".repeat(31)).validate(&usd()),
            Err(vec![
                ProductError::NameTooLong,
                ProductError::PriceLimit(LimitError::BelowMin { min: "$0.50".into() }),
                ProductError::CategoryTooLong
            ])
        );
        assert!(draft(&"é".repeat(40), "1000", "").validate(&usd()).is_ok(), "40 characters, not bytes");
        assert!(matches!(
            draft("Big", "1000.01", "").validate(&usd()),
            Err(e) if e == vec![ProductError::PriceLimit(LimitError::AboveMax { max: "$1,000.00".into() })]
        ));
        assert!(matches!(draft("Zero", "0", "").validate(&QuoteAsset::usd()), Err(e) if e == vec![ProductError::PriceLimit(LimitError::Zero)]));
        let jpy = QuoteAsset { decimal_digit: 0, ..QuoteAsset::usd() };
        assert!(draft("Onigiri", "150.5", "").validate(&jpy).is_err());
        assert!(draft("Onigiri", "150", "").validate(&jpy).is_ok());
    }

    #[test]
    fn badges_are_a_colour_or_an_emoji() {
        let mut d = draft("Tea", "2", "");
        for good in ["#FF8800", "🍵", "☕️", ""] {
            d.badge = good.into();
            assert!(d.validate(&usd()).is_ok(), "{good}");
        }
        for bad in ["red", "#ff88", "<img>", "🍵🍵🍵🍵🍵"] {
            d.badge = bad.into();
            assert_eq!(d.validate(&usd()), Err(vec![ProductError::BadBadge]), "{bad}");
        }
        let mut c = Catalogue::new("usd");
        d.badge = "#FF8800".into();
        let id = c.add(d.validate(&usd()).unwrap()).unwrap();
        assert_eq!(c.get(id).unwrap().badge(), Badge::Colour("#ff8800".into()));
    }

    #[test]
    fn reorder_hide_edit_delete() {
        let mut c = cat(&[("A", "1", ""), ("B", "2", ""), ("C", "3", "")]);
        let ids: Vec<u64> = c.products.iter().map(|p| p.id).collect();
        assert!(c.shift(ids[2], -1));
        assert!(!c.shift(ids[0], -1), "already first");
        assert!(!c.shift(ids[1], 1), "B is last now");
        let names = |c: &Catalogue| c.visible().map(|p| p.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&c), ["A", "C", "B"]);
        assert!(c.set_hidden(ids[0], true));
        assert_eq!(names(&c), ["C", "B"]);
        assert!(c.update(ids[1], draft("Bun", "2.2", "Food").validate(&usd()).unwrap()));
        assert_eq!(c.get(ids[1]).unwrap().name, "Bun");
        assert!(c.delete(ids[2]));
        assert!(!c.delete(ids[2]));
        assert_eq!(names(&c), ["C"].map(|_| "Bun".to_string()));
        let new_id = c.add(draft("D", "1", "").validate(&usd()).unwrap()).unwrap();
        assert!(!ids.contains(&new_id), "an id is never reused");
    }

    #[test]
    fn stored_form_round_trips_and_is_versioned() {
        let c = cat(&[("Latte", "3.50", "Coffee")]);
        let back = Catalogue::parse_stored(&c.to_stored()).unwrap();
        assert_eq!(back, c);
        let old = r#"{"version":1,"currency":"usd","products":[{"id":7,"name":"X","price":"1.5"}]}"#;
        let read = Catalogue::parse_stored(old).unwrap();
        assert_eq!(read.next_id, 8, "ids stay unique without next_id");
        assert_eq!(read.products[0].category, "");
        assert_eq!(
            Catalogue::parse_stored(r#"{"version":9,"currency":"usd"}"#),
            Err(StoredCatalogueError::NewerVersion(9))
        );
        assert!(matches!(Catalogue::parse_stored("{"), Err(StoredCatalogueError::Unreadable(_))));
    }

    #[test]
    fn search_and_categories() {
        let mut c = cat(&[
            ("Latte", "3.5", "Coffee"),
            ("Croissant", "2", "Food"),
            ("Iced latte", "4", "Coffee"),
            ("Water", "1", ""),
        ]);
        assert_eq!(c.categories(), ["Coffee", "Food", ""]);
        let g = c.grouped("LAT", None);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].1.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["Latte", "Iced latte"]);
        assert_eq!(c.grouped("iced coffee", None)[0].1.len(), 1, "every word must match");
        assert_eq!(c.grouped("", Some("Food"))[0].1[0].name, "Croissant");
        assert!(c.grouped("tea", None).is_empty());
        let id = c.products[1].id;
        c.set_hidden(id, true);
        assert_eq!(c.categories(), ["Coffee", ""]);
    }

    #[test]
    fn a_currency_change_asks_and_never_keeps_an_impossible_price() {
        let mut c = cat(&[("Latte", "3.50", ""), ("Tea", "3", "")]);
        assert!(c.priced_in("USD"));
        let jpy = QuoteAsset {
            asset_id: "JPY".into(),
            symbol: "JPY".into(),
            decimal_digit: 0,
            ..QuoteAsset::usd()
        };
        assert_eq!(c.clone().change_currency(&jpy, CurrencyChoice::KeepNumbers), 1);
        let mut kept = c.clone();
        kept.change_currency(&jpy, CurrencyChoice::KeepNumbers);
        assert!(kept.priced_in("jpy"));
        assert_eq!(kept.visible().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["Tea"]);
        assert_eq!(c.change_currency(&jpy, CurrencyChoice::RemoveAll), 0);
        assert!(c.products.is_empty());
    }

    /// The hand-written writer writes what the derived `Serialize` wrote.
    #[test]
    fn a_catalogue_is_written_as_the_derive_wrote_it() {
        let mut c = Catalogue::new("usd");
        assert_eq!(c.to_stored(), serde_json::to_string(&c).unwrap());
        for (id, hidden) in [(1, false), (2, true)] {
            c.products.push(Product {
                id,
                name: format!("P{id} \"x\""),
                price: Amount::parse("3.50").unwrap(),
                category: "Hot".into(),
                badge: "☕".into(),
                hidden,
            });
        }
        c.next_id = 3;
        assert_eq!(c.to_stored(), serde_json::to_string(&c).unwrap());
        assert_eq!(Catalogue::parse_stored(&c.to_stored()).unwrap(), c);
    }
}
