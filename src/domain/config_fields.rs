//! `config.json` read field by field: every good field fills the first run,
//! every bad one is named and skipped. The parser works on `ConfigValue`, a
//! JSON value of our own, so the JSON reader behind it can change.

use super::catalogue::{ProductDraft, ProductError, MAX_PRODUCTS};
use super::origins::{BaseKind, Pinned};
use super::settings::{
    normalize_uuid, PaymentMode, ProvisionedConfig, Settings, MAX_EXPIRY_MINUTES,
};

/// A JSON value as `config.json` holds it. Numbers keep their text.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigValue {
    Str(String),
    Number(String),
    Bool(bool),
    Null,
    Array(Vec<ConfigValue>),
    Object(Vec<(String, ConfigValue)>),
}

/// Why a field of `config.json` was skipped; `i18n::config_message` words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldWhy {
    NotText,
    NotMixinUuid,
    NotAssetId,
    /// Neither "one_time" nor "pay_link".
    NotMode,
    /// Not a whole number of minutes from 1 to the maximum.
    Minutes(u32),
    NotNumber,
    NotTrueOrFalse,
    NotMixPay,
    UnknownField,
    /// `products` is neither a list nor the exported `{"currency","products"}`.
    NotProductList,
    /// More than `catalogue::MAX_PRODUCTS`.
    TooManyProducts,
    /// The exported list's currency (upper-case) and the provisioned quote's symbol.
    ProductsPricedIn { found: String, quote: String },
    /// A key of a product (or the list's `currency`) that is not text.
    ProductFieldNotText(String),
    /// One row of `products`, numbered from 1, and why it was skipped.
    ProductRow { row: usize, why: Box<FieldWhy> },
    NotAProduct,
    PriceNotNumberOrText,
    Product(Vec<ProductError>),
    /// `ownerPinHash` is not a PIN record the app trusts (see `domain::pin`).
    NotPinHash,
}

/// A field of `config.json` that was skipped, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: String,
    pub why: FieldWhy,
}

/// Why the file as a whole could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// Not JSON; where the JSON reader stopped.
    NotJson { line: usize, column: usize },
    NotAnObject,
    /// Larger than `MAX_CONFIG_BYTES`: not read at all.
    TooLarge,
}

/// The largest `config.json` read (a shop's has a few KB, products included).
pub const MAX_CONFIG_BYTES: usize = 1024 * 1024;

/// `ownerPinHash` as `make-pin-hash` writes it and Settings stores it:
/// `{"algorithm","iterations","salt","hash"}` (algorithm optional).
fn pin_hash(v: &ConfigValue) -> Result<super::pin::PinRecord, FieldWhy> {
    let ConfigValue::Object(fields) = v else {
        return Err(FieldWhy::NotPinHash);
    };
    let get = |key: &str| fields.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    let text = |key: &str| match get(key) {
        Some(ConfigValue::Str(t)) => Ok(t.clone()),
        _ => Err(FieldWhy::NotPinHash),
    };
    let iterations = match get("iterations") {
        Some(ConfigValue::Number(n)) => n.parse::<u32>().map_err(|_| FieldWhy::NotPinHash)?,
        _ => return Err(FieldWhy::NotPinHash),
    };
    let record = super::pin::PinRecord {
        algorithm: text("algorithm").unwrap_or_else(|_| super::pin::ALGORITHM.into()),
        iterations,
        salt: text("salt")?.to_ascii_lowercase(),
        hash: text("hash")?.to_ascii_lowercase(),
    };
    super::pin::PinRecord::parse(&record.to_json()).map_err(|_| FieldWhy::NotPinHash)
}

/// What came of reading `config.json`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigReading {
    pub config: ProvisionedConfig,
    pub skipped: Vec<FieldProblem>,
    /// The file as a whole could not be read (not JSON, not an object).
    pub unreadable: Option<Unreadable>,
}

impl ConfigReading {
    /// Whether the owner must be told something.
    pub fn has_problems(&self) -> bool {
        self.unreadable.is_some() || !self.skipped.is_empty()
    }
}

fn text(v: &ConfigValue) -> Result<&str, FieldWhy> {
    match v {
        ConfigValue::Str(s) => Ok(s),
        _ => Err(FieldWhy::NotText),
    }
}

/// `products` as a product import's JSON has them: a list, or the exported
/// `{"currency","products":[…]}`. Each row is numbered from 1 and is a
/// draft, or why it is not a product at all.
struct ProductRows {
    currency: Option<String>,
    rows: Vec<(usize, Result<ProductDraft, FieldWhy>)>,
}

fn product_rows(v: &ConfigValue) -> Result<ProductRows, FieldWhy> {
    let (currency, list) = match v {
        ConfigValue::Array(list) => (None, list),
        ConfigValue::Object(fields) => {
            let get = |key: &str| fields.iter().find(|(k, _)| k == key).map(|(_, v)| v);
            let Some(ConfigValue::Array(list)) = get("products") else {
                return Err(FieldWhy::NotProductList);
            };
            let currency = match get("currency") {
                None | Some(ConfigValue::Null) => None,
                Some(ConfigValue::Str(c)) => Some(c.trim().to_string()),
                Some(_) => return Err(FieldWhy::ProductFieldNotText("currency".into())),
            };
            (currency, list)
        }
        _ => return Err(FieldWhy::NotProductList),
    };
    if list.len() > MAX_PRODUCTS {
        return Err(FieldWhy::TooManyProducts);
    }
    let rows = list
        .iter()
        .enumerate()
        .map(|(i, item)| (i + 1, product_draft(item)))
        .collect();
    Ok(ProductRows { currency, rows })
}

fn product_draft(item: &ConfigValue) -> Result<ProductDraft, FieldWhy> {
    let ConfigValue::Object(fields) = item else {
        return Err(FieldWhy::NotAProduct);
    };
    let get = |key: &str| fields.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    let text = |key: &str| -> Result<String, FieldWhy> {
        match get(key) {
            None | Some(ConfigValue::Null) => Ok(String::new()),
            Some(ConfigValue::Str(s)) => Ok(s.clone()),
            Some(_) => Err(FieldWhy::ProductFieldNotText(key.into())),
        }
    };
    let price = match get("price") {
        Some(ConfigValue::Str(s)) => s.clone(),
        // A number's own text; `Amount` refuses what a float may have changed.
        Some(ConfigValue::Number(n)) => n.clone(),
        None | Some(ConfigValue::Null) => String::new(),
        Some(_) => return Err(FieldWhy::PriceNotNumberOrText),
    };
    Ok(ProductDraft {
        name: text("name")?,
        price,
        category: text("category")?,
        badge: text("badge")?,
    })
}

/// Checks the product rows against the quote currency the rest of the file
/// provisions: good rows are kept, each bad row is named and skipped.
fn check_products(found: ProductRows, out: &mut ConfigReading) {
    let quote = out.config.apply_to(Settings::default()).quote;
    if let Some(currency) = found.currency.filter(|c| !c.eq_ignore_ascii_case(&quote.asset_id)) {
        out.skipped.push(FieldProblem {
            field: "products".into(),
            why: FieldWhy::ProductsPricedIn {
                found: currency.to_ascii_uppercase(),
                quote: quote.symbol.clone(),
            },
        });
        return;
    }
    let mut valid = vec![];
    for (row, draft) in found.rows {
        match draft.and_then(|d| d.validate(&quote).map_err(FieldWhy::Product)) {
            Ok(p) => valid.push(p),
            Err(why) => out.skipped.push(FieldProblem {
                field: "products".into(),
                why: FieldWhy::ProductRow { row, why: Box::new(why) },
            }),
        }
    }
    if !valid.is_empty() {
        out.config.products = Some(valid);
    }
}

/// `ownerPinHash` or `lockedPayeeId` into `c`.
fn read_lock(name: &str, value: &ConfigValue, c: &mut ProvisionedConfig) -> Result<(), FieldWhy> {
    if name == "ownerPinHash" {
        return pin_hash(value).map(|r| c.owner_pin = Some(r));
    }
    text(value).and_then(|t| {
        normalize_uuid(t)
            .map(|id| c.locked_payee_id = Some(id))
            .ok_or(FieldWhy::NotMixinUuid)
    })
}

/// Only what `config.json` locks (`ownerPinHash`, `lockedPayeeId`), read as
/// `read_config` reads them: what every start with saved settings needs (the
/// other fields are defaults for a first run; that reading is the back
/// office's). Nothing is reported: a first run or Settings says what is wrong.
pub fn read_locks(root: &ConfigValue) -> ProvisionedConfig {
    let mut config = ProvisionedConfig::default();
    if let ConfigValue::Object(fields) = root {
        for (name, value) in fields {
            if matches!(name.as_str(), "ownerPinHash" | "lockedPayeeId") && *value != ConfigValue::Null {
                // A bad value is no lock, as in `read_config`.
                let _ = read_lock(name, value, &mut config);
            }
        }
    }
    config
}

/// Reads the provisioned defaults from `config.json`'s top-level value.
/// `pinned` decides which API and pay bases it may name.
pub fn read_config(root: &ConfigValue, pinned: &Pinned) -> ConfigReading {
    let ConfigValue::Object(fields) = root else {
        return ConfigReading {
            unreadable: Some(Unreadable::NotAnObject),
            ..ConfigReading::default()
        };
    };
    let mut out = ConfigReading::default();
    // Checked after the loop: their prices need the quote currency, which
    // may come later in the file.
    let mut products = None;
    for (name, value) in fields {
        // Null is "not set", as if the field were absent.
        if *value == ConfigValue::Null {
            continue;
        }
        let c = &mut out.config;
        let outcome: Result<(), FieldWhy> = match name.as_str() {
            "payeeId" => text(value).and_then(|t| {
                normalize_uuid(t)
                    .map(|id| c.payee_id = Some(id))
                    .ok_or(FieldWhy::NotMixinUuid)
            }),
            "quoteAssetId" | "settlementAssetId" => text(value).and_then(|t| {
                let t = t.trim();
                if t.is_empty() || t.len() > 64 || !t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                    return Err(FieldWhy::NotAssetId);
                }
                if name == "quoteAssetId" {
                    c.quote_asset_id = Some(t.to_string());
                } else {
                    c.settlement_asset_id = Some(t.to_string());
                }
                Ok(())
            }),
            "shopName" => text(value).map(|t| c.shop_name = Some(t.to_string())),
            "mode" => text(value).and_then(|t| {
                c.mode = Some(match t {
                    "one_time" => PaymentMode::OneTime,
                    "pay_link" => PaymentMode::PayLink,
                    _ => return Err(FieldWhy::NotMode),
                });
                Ok(())
            }),
            "expiryMinutes" => match value {
                ConfigValue::Number(n) => n
                    .parse::<u32>()
                    .ok()
                    .filter(|m| (1..=MAX_EXPIRY_MINUTES).contains(m))
                    .map(|m| c.expiry_minutes = Some(m))
                    .ok_or(FieldWhy::Minutes(MAX_EXPIRY_MINUTES)),
                _ => Err(FieldWhy::NotNumber),
            },
            "strict" => match value {
                ConfigValue::Bool(b) => {
                    c.strict = Some(*b);
                    Ok(())
                }
                _ => Err(FieldWhy::NotTrueOrFalse),
            },
            "apiBase" | "payBase" => text(value).and_then(|t| {
                let kind = if name == "apiBase" { BaseKind::Api } else { BaseKind::Pay };
                let base = pinned.check(kind, t).map_err(|_| FieldWhy::NotMixPay)?;
                if kind == BaseKind::Api {
                    c.api_base = Some(base);
                } else {
                    c.pay_base = Some(base);
                }
                Ok(())
            }),
            "products" => product_rows(value).map(|rows| products = Some(rows)),
            "ownerPinHash" | "lockedPayeeId" => read_lock(name, value, c),
            _ => Err(FieldWhy::UnknownField),
        };
        if let Err(why) = outcome {
            out.skipped.push(FieldProblem {
                field: name.clone(),
                why,
            });
        }
    }
    if let Some(found) = products {
        check_products(found, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::settings::Settings;

    const PAYEE: &str = "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b";

    fn s(t: &str) -> ConfigValue {
        ConfigValue::Str(t.into())
    }
    fn obj(fields: &[(&str, ConfigValue)]) -> ConfigValue {
        ConfigValue::Object(fields.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn a_pin_hash_and_a_locked_payee_are_read_and_a_weak_hash_refused() {
        let num = |n: &str| ConfigValue::Number(n.into());
        let good = obj(&[
            ("iterations", num("210000")),
            ("salt", s(&"ab".repeat(16))),
            ("hash", s(&"CD".repeat(32))),
        ]);
        let weak = obj(&[
            ("iterations", num("1000")),
            ("salt", s(&"ab".repeat(16))),
            ("hash", s(&"cd".repeat(32))),
        ]);
        let root = obj(&[("ownerPinHash", good), ("lockedPayeeId", s(&PAYEE.to_uppercase()))]);
        let r = read_config(&root, &Pinned::mixpay_only());
        assert!(r.skipped.is_empty(), "{:?}", r.skipped);
        let pin = r.config.owner_pin.expect("read");
        assert_eq!((pin.iterations, pin.hash), (210_000, "cd".repeat(32)));
        assert_eq!(r.config.locked_payee_id.as_deref(), Some(PAYEE));
        let r = read_config(&obj(&[("ownerPinHash", weak), ("lockedPayeeId", s("me"))]), &Pinned::mixpay_only());
        assert_eq!(r.skipped.iter().map(|p| p.why.clone()).collect::<Vec<_>>(), [FieldWhy::NotPinHash, FieldWhy::NotMixinUuid]);
        assert!(r.config.owner_pin.is_none() && r.config.locked_payee_id.is_none());
    }

    #[test]
    fn the_locks_alone_are_read_as_the_whole_reading_reads_them() {
        let num = |n: &str| ConfigValue::Number(n.into());
        let pin = |iterations: &str| {
            obj(&[("iterations", num(iterations)), ("salt", s(&"ab".repeat(16))), ("hash", s(&"CD".repeat(32)))])
        };
        let files = [
            obj(&[("ownerPinHash", pin("210000")), ("lockedPayeeId", s(&PAYEE.to_uppercase())), ("shopName", s("Tea"))]),
            obj(&[("ownerPinHash", pin("1000")), ("lockedPayeeId", s("me")), ("payeeId", s(PAYEE))]),
            obj(&[("lockedPayeeId", ConfigValue::Null), ("ownerPinHash", s("x"))]),
            obj(&[("payeeId", s(PAYEE)), ("products", s("Tea"))]),
            ConfigValue::Array(vec![]),
        ];
        for file in files {
            let whole = read_config(&file, &Pinned::mixpay_only()).config;
            let locks = read_locks(&file);
            assert_eq!((&locks.owner_pin, &locks.locked_payee_id), (&whole.owner_pin, &whole.locked_payee_id), "{file:?}");
            // Nothing else: the defaults are a first run's matter.
            assert_eq!(locks, ProvisionedConfig { owner_pin: whole.owner_pin.clone(), locked_payee_id: whole.locked_payee_id.clone(), ..ProvisionedConfig::default() });
        }
        assert_eq!(read_locks(&obj(&[("lockedPayeeId", s(PAYEE))])).locked_payee_id.as_deref(), Some(PAYEE));
    }

    #[test]
    fn one_bad_field_is_named_and_the_rest_are_used() {
        let root = obj(&[
            ("payeeId", s(&PAYEE.to_uppercase())),
            ("quoteAssetId", s("usd")),
            ("settlementAssetId", s("4d8c508b-91c5-375b-92b0-ee702ed2dac5")),
            ("shopName", s("Demo Coffee")),
            ("expiryMinutes", s("fifteen")),
            ("mode", s("pay_link")),
            ("strict", ConfigValue::Bool(true)),
        ]);
        let r = read_config(&root, &Pinned::mixpay_only());
        assert_eq!(r.skipped.len(), 1);
        assert_eq!(r.skipped[0].field, "expiryMinutes");
        assert_eq!(r.config.payee_id.as_deref(), Some(PAYEE));
        assert_eq!(r.config.shop_name.as_deref(), Some("Demo Coffee"));
        assert_eq!(r.config.mode, Some(PaymentMode::PayLink));
        assert_eq!(r.config.strict, Some(true));
        assert_eq!(r.skipped[0].why, FieldWhy::NotNumber);
        let settings = r.config.apply_to(Settings::default());
        assert_eq!(settings.payee_id, PAYEE);
        assert!(settings.is_ready());
    }

    #[test]
    fn each_kind_of_bad_value_is_skipped() {
        let root = obj(&[
            ("payeeId", s("nope")),
            ("quoteAssetId", ConfigValue::Number("1".into())),
            ("settlementAssetId", s("<script>")),
            ("shopName", ConfigValue::Array(vec![])),
            ("mode", s("cash")),
            ("expiryMinutes", ConfigValue::Number("0".into())),
            ("strict", s("yes")),
            ("apiBase", s("https://evil.example/v1")),
            ("payBase", s("http://mixpay.me")),
            ("colour", s("red")),
            ("note", ConfigValue::Null),
        ]);
        let r = read_config(&root, &Pinned::mixpay_only());
        let names: Vec<&str> = r.skipped.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            names,
            [
                "payeeId",
                "quoteAssetId",
                "settlementAssetId",
                "shopName",
                "mode",
                "expiryMinutes",
                "strict",
                "apiBase",
                "payBase",
                "colour"
            ]
        );
        assert_eq!(r.config, ProvisionedConfig::default());
        assert_eq!(r.skipped[7].why, FieldWhy::NotMixPay);
        assert_eq!(r.skipped[5].why, FieldWhy::Minutes(MAX_EXPIRY_MINUTES));
        assert_eq!(r.skipped[9].why, FieldWhy::UnknownField);
    }

    #[test]
    fn good_values_and_the_simulator_in_a_test_build() {
        let root = obj(&[
            ("apiBase", s("http://127.0.0.1:8787/v1/")),
            ("payBase", s("http://127.0.0.1:8787")),
            ("expiryMinutes", ConfigValue::Number("30".into())),
        ]);
        let shop = read_config(&root, &Pinned::mixpay_only());
        assert_eq!(shop.skipped.len(), 2, "a shop build refuses the simulator");
        let test = read_config(&root, &Pinned::with_extra("http://127.0.0.1:*"));
        assert!(test.skipped.is_empty(), "{:?}", test.skipped);
        assert_eq!(test.config.api_base.as_deref(), Some("http://127.0.0.1:8787/v1"));
        assert_eq!(test.config.expiry_minutes, Some(30));
        assert!(!test.has_problems());
    }

    #[test]
    fn a_file_that_is_not_an_object_is_said_so() {
        let r = read_config(&ConfigValue::Array(vec![]), &Pinned::mixpay_only());
        assert_eq!(r.unreadable, Some(Unreadable::NotAnObject));
        assert_eq!(r.config, ProvisionedConfig::default());
    }

    #[test]
    fn products_are_read_row_by_row_and_a_bad_row_is_named() {
        let product = |name: &str, price: ConfigValue| obj(&[("name", s(name)), ("price", price)]);
        let root = obj(&[
            (
                "products",
                ConfigValue::Array(vec![
                    obj(&[("name", s("Tea")), ("price", s("2.25")), ("category", s("Drinks"))]),
                    product("Bad row", s("abc")),
                    product("Cake", ConfigValue::Number("3.5".into())),
                    s("not a product"),
                    obj(&[("name", ConfigValue::Number("1".into())), ("price", s("1"))]),
                ]),
            ),
            ("quoteAssetId", s("usd")),
        ]);
        let r = read_config(&root, &Pinned::mixpay_only());
        let rows: Vec<usize> = r
            .skipped
            .iter()
            .map(|p| match p.why {
                FieldWhy::ProductRow { row, .. } if p.field == "products" => row,
                _ => 0,
            })
            .collect();
        assert_eq!(rows, [2, 4, 5]);
        assert!(
            matches!(&r.skipped[0].why, FieldWhy::ProductRow { why, .. } if matches!(**why, FieldWhy::Product(_))),
            "{:?}",
            r.skipped[0].why
        );
        let products = r.config.products.as_ref().unwrap();
        let kept: Vec<(&str, String)> = products
            .iter()
            .map(|p| (p.name.as_str(), p.price.format_fixed(2)))
            .collect();
        assert_eq!(kept, [("Tea", "2.25".to_string()), ("Cake", "3.50".to_string())]);
        assert_eq!(products[0].category, "Drinks");
        assert_eq!(r.config.quote_asset_id.as_deref(), Some("usd"), "the other fields were used");
    }

    #[test]
    fn a_products_field_that_is_not_a_list_or_in_another_currency_is_skipped() {
        let r = read_config(&obj(&[("products", s("Tea"))]), &Pinned::mixpay_only());
        assert_eq!(r.skipped[0].field, "products");
        assert_eq!(r.config.products, None);

        let exported = obj(&[
            ("currency", s("eur")),
            ("products", ConfigValue::Array(vec![obj(&[("name", s("Tea")), ("price", s("2"))])])),
        ]);
        let r = read_config(&obj(&[("products", exported.clone())]), &Pinned::mixpay_only());
        assert_eq!(r.skipped.len(), 1);
        assert_eq!(
            r.skipped[0].why,
            FieldWhy::ProductsPricedIn { found: "EUR".into(), quote: "USD".into() }
        );
        assert_eq!(r.config.products, None);

        let r = read_config(
            &obj(&[("quoteAssetId", s("EUR")), ("products", exported)]),
            &Pinned::mixpay_only(),
        );
        assert!(r.skipped.is_empty(), "{:?}", r.skipped);
        assert_eq!(r.config.products.unwrap().len(), 1);
    }
}
