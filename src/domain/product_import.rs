//! Products in and out as JSON or CSV (`name,price,category`). An import is
//! all or nothing: one bad row and nothing is added, with every bad row named.

use super::catalogue::{Catalogue, ProductDraft, ProductError, ValidProduct};
use super::history::csv_field;
use super::settings::QuoteAsset;
use super::json::{self, Value};
use std::fmt;

/// One refused row: its number as the owner sees it (the line in the CSV
/// file, counting the header; the position in a JSON list, from 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub why: RowWhy,
}

/// Why a row (or the whole file, row 0) was refused; worded by `i18n`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowWhy {
    TooBig,
    NoProducts,
    /// Where the JSON breaks and why (`json::Error`, worded as serde_json
    /// worded it).
    NotJson(String),
    /// The file's currency (upper-case) and the shop's symbol.
    OtherCurrency { found: String, quote: String },
    NotAList,
    NotAnObject,
    /// A field (`name`, `category`, `badge`) that is not text.
    NotText(String),
    PriceNotTextOrNumber,
    QuoteNeverClosed,
    /// A CSV record with this many fields instead of 2 or 3.
    FieldCount(usize),
    Invalid(Vec<ProductError>),
}

impl fmt::Display for RowWhy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::i18n::row_why(crate::i18n::current(), self))
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::i18n::row_error(crate::i18n::current(), self.row, &self.why))
    }
}

/// A row's number and its draft, or why the row is not a product at all.
pub type NumberedDraft = (usize, Result<ProductDraft, RowWhy>);

/// Import files bigger than this are refused before parsing.
pub const MAX_IMPORT_BYTES: usize = 1_000_000;

/// A CSV or JSON file's products, checked against the quote currency.
pub fn parse(text: &str, quote: &QuoteAsset) -> Result<Vec<ValidProduct>, Vec<RowError>> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(vec![RowError {
            row: 0,
            why: RowWhy::TooBig,
        }]);
    }
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('[') || t.starts_with('{') {
        parse_json(t, quote)
    } else {
        parse_csv(t, quote)
    }
}

fn check_all(
    drafts: Vec<NumberedDraft>,
    quote: &QuoteAsset,
) -> Result<Vec<ValidProduct>, Vec<RowError>> {
    let mut ok = vec![];
    let mut errors = vec![];
    for (row, d) in drafts {
        match d.and_then(|d| d.validate(quote).map_err(RowWhy::Invalid)) {
            Ok(p) => ok.push(p),
            Err(why) => errors.push(RowError { row, why }),
        }
    }
    if ok.is_empty() && errors.is_empty() {
        errors.push(RowError {
            row: 0,
            why: RowWhy::NoProducts,
        });
    }
    if errors.is_empty() {
        Ok(ok)
    } else {
        Err(errors)
    }
}

/// `[{"name","price","category","badge"}…]` or the exported
/// `{"version","currency","products":[…]}`. Prices as strings or numbers.
pub fn parse_json(text: &str, quote: &QuoteAsset) -> Result<Vec<ValidProduct>, Vec<RowError>> {
    let value = json::parse(text).map_err(|e| {
        vec![RowError {
            row: e.line,
            why: RowWhy::NotJson(e.to_string()),
        }]
    })?;
    if let Some(currency) = value.get("currency").and_then(Value::as_str) {
        if !currency.eq_ignore_ascii_case(&quote.asset_id) {
            return Err(vec![RowError {
                row: 0,
                why: RowWhy::OtherCurrency {
                    found: currency.to_ascii_uppercase(),
                    quote: quote.symbol.clone(),
                },
            }]);
        }
    }
    check_all(json_drafts(&value)?, quote)
}

/// The products of a JSON value (a list, or an object with `products`).
pub fn json_drafts(
    value: &Value,
) -> Result<Vec<NumberedDraft>, Vec<RowError>> {
    let list = match value {
        Value::Array(a) => a,
        Value::Object(_) => match value.get("products") {
            Some(Value::Array(a)) => a,
            _ => {
                return Err(vec![RowError {
                    row: 0,
                    why: RowWhy::NotAList,
                }])
            }
        },
        _ => {
            return Err(vec![RowError {
                row: 0,
                why: RowWhy::NotAList,
            }])
        }
    };
    Ok(list
        .iter()
        .enumerate()
        .map(|(i, item)| (i + 1, json_draft(item)))
        .collect())
}

fn json_draft(item: &Value) -> Result<ProductDraft, RowWhy> {
    let text = |key: &str| -> Result<String, RowWhy> {
        match item.get(key) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::Str(s)) => Ok(s.clone()),
            Some(_) => Err(RowWhy::NotText(key.into())),
        }
    };
    if item.as_object().is_none() {
        return Err(RowWhy::NotAnObject);
    }
    let price = match item.get("price") {
        Some(Value::Str(s)) => s.clone(),
        // A number's own text as written (`2.20`, not a float's `2.2`);
        // `Amount` refuses an exponent (`1e2`), which serde_json's float
        // used to let through as `100.0`.
        Some(Value::Number(n)) => n.clone(),
        None | Some(Value::Null) => String::new(),
        Some(_) => return Err(RowWhy::PriceNotTextOrNumber),
    };
    Ok(ProductDraft {
        name: text("name")?,
        price,
        category: text("category")?,
        badge: text("badge")?,
    })
}

/// RFC 4180 records with their first line number. Quoted fields may hold
/// commas, doubled quotes and line breaks.
fn csv_records(text: &str) -> Result<Vec<(usize, Vec<String>)>, RowError> {
    let mut records = vec![];
    let mut field = String::new();
    let mut record: Vec<String> = vec![];
    let mut line = 1;
    let mut start_line = 1;
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push((start_line, std::mem::take(&mut record)));
                line += 1;
                start_line = line;
                any = false;
                continue;
            }
            c => field.push(c),
        }
        any = true;
    }
    if quoted {
        return Err(RowError {
            row: start_line,
            why: RowWhy::QuoteNeverClosed,
        });
    }
    if any || !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push((start_line, record));
    }
    Ok(records)
}

/// Undoes the spreadsheet guard `csv_field` adds ("'=…" back to "=…").
fn unguard(s: &str) -> String {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
        _ => s.to_string(),
    }
}

pub fn parse_csv(text: &str, quote: &QuoteAsset) -> Result<Vec<ValidProduct>, Vec<RowError>> {
    let records = csv_records(text).map_err(|e| vec![e])?;
    let mut drafts = vec![];
    for (i, (row, fields)) in records.into_iter().enumerate() {
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let first = fields[0].trim().to_ascii_lowercase();
        if i == 0 && first == "name" {
            continue;
        }
        let draft = if fields.len() < 2 || fields.len() > 3 {
            Err(RowWhy::FieldCount(fields.len()))
        } else {
            Ok(ProductDraft {
                name: unguard(&fields[0]),
                price: fields[1].trim().to_string(),
                category: fields.get(2).map(|c| unguard(c)).unwrap_or_default(),
                badge: String::new(),
            })
        };
        drafts.push((row, draft));
    }
    check_all(drafts, quote)
}

/// `name,price,category` with a header, CRLF line ends, prices with the
/// currency's places; hidden products too (an export is a backup).
pub fn to_csv(c: &Catalogue, decimals: u32) -> String {
    let mut out = String::from("name,price,category\r\n");
    for p in &c.products {
        out.push_str(&format!(
            "{},{},{}\r\n",
            csv_field(&p.name),
            p.price.format_fixed(decimals),
            csv_field(&p.category)
        ));
    }
    out
}

/// The catalogue as stored, which `parse_json` reads back.
pub fn to_json(c: &Catalogue) -> String {
    json::parse(&c.to_stored()).expect("the catalogue's own JSON").to_pretty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Amount;

    fn usd() -> QuoteAsset {
        QuoteAsset::usd()
    }

    fn names(ps: &[ValidProduct]) -> Vec<&str> {
        ps.iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn csv_with_a_header_quotes_and_no_category() {
        let csv = "name,price,category\r\nLatte,3.50,Coffee\r\n\"Tea, green\",2,\"Hot \"\"drinks\"\"\"\r\nWater,1\r\n\r\n";
        let ps = parse(csv, &usd()).unwrap();
        assert_eq!(names(&ps), ["Latte", "Tea, green", "Water"]);
        assert_eq!(ps[1].category, "Hot \"drinks\"");
        assert_eq!(ps[2].category, "");
        assert_eq!(ps[0].price, Amount::parse("3.5").unwrap());
        // No header, LF only, a BOM and no final newline.
        let ps = parse("\u{feff}Bun,2.2,Food\nCake,4,Food", &usd()).unwrap();
        assert_eq!(names(&ps), ["Bun", "Cake"]);
    }

    #[test]
    fn one_bad_row_refuses_the_whole_file_and_names_every_bad_row() {
        let csv = "name,price,category\nLatte,3.50,Coffee\nMuffin,abc,Food\nWater,1\n,2,\nCake,1.234\nToo,1,2,3\n";
        let errs = parse(csv, &usd()).unwrap_err();
        let rows: Vec<usize> = errs.iter().map(|e| e.row).collect();
        assert_eq!(rows, [3, 5, 6, 7]);
        assert_eq!(errs[0].to_string(), "Row 3: Price: That is not a number.");
        assert_eq!(errs[1].to_string(), "Row 5: Give the product a name.");
        assert_eq!(
            errs[2].to_string(),
            "Row 6: Price: At most 2 decimal places for this currency."
        );
        assert!(errs[3].to_string().contains("found 4 field"));
    }

    #[test]
    fn a_quoted_line_break_keeps_row_numbers_right() {
        let csv = "\"Two\nlines\",1,\nBad,x,\n";
        let errs = parse(csv, &usd()).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].to_string(), "Row 3: Price: That is not a number.");
        let errs = parse("Ok,1\n\"Open,2\n", &usd()).unwrap_err();
        assert_eq!(errs[0].row, 2);
        assert!(errs[0].to_string().contains("never closed"));
    }

    #[test]
    fn empty_files_and_huge_files_are_refused() {
        assert_eq!(parse("name,price,category\n", &usd()).unwrap_err()[0].row, 0);
        assert!(parse("", &usd()).is_err());
        assert!(parse(&"a".repeat(MAX_IMPORT_BYTES + 1), &usd()).is_err());
        assert!(parse("[]", &usd()).is_err());
    }

    #[test]
    fn json_lists_and_exports_round_trip() {
        let ps = parse(
            r#"[{"name":"Latte","price":"3.50","category":"Coffee","badge":"☕"},{"name":"Bun","price":2.2}]"#,
            &usd(),
        )
        .unwrap();
        assert_eq!(names(&ps), ["Latte", "Bun"]);
        assert_eq!(ps[0].badge, "☕");
        assert_eq!(ps[1].price, Amount::parse("2.20").unwrap());
        let mut c = Catalogue::new("usd");
        c.add_all(ps).unwrap();
        let back = parse(&to_json(&c), &usd()).unwrap();
        assert_eq!(names(&back), ["Latte", "Bun"]);
        let csv_back = parse(&to_csv(&c, 2), &usd()).unwrap();
        assert_eq!(csv_back[1].price, Amount::parse("2.2").unwrap());
        assert_eq!(to_csv(&c, 2), "name,price,category\r\nLatte,3.50,Coffee\r\nBun,2.20,\r\n");
    }

    #[test]
    fn json_errors_are_per_item_and_other_currencies_are_refused() {
        let errs = parse(
            r#"[{"name":"Ok","price":"1"},{"name":5,"price":"1"},{"name":"No price"},"x"]"#,
            &usd(),
        )
        .unwrap_err();
        assert_eq!(errs.iter().map(|e| e.row).collect::<Vec<_>>(), [2, 3, 4]);
        assert_eq!(errs[1].to_string(), "Row 3: Price: Enter an amount.");
        let eur = r#"{"version":1,"currency":"eur","products":[{"id":1,"name":"A","price":"1"}]}"#;
        assert!(parse(eur, &usd()).unwrap_err()[0].to_string().contains("EUR"));
        assert!(parse("{oops", &usd()).unwrap_err()[0].to_string().contains("not valid JSON"));
        assert!(parse(r#"[{"name":"A","price":true}]"#, &usd()).is_err());
    }

    #[test]
    fn formulas_survive_export_and_import() {
        let mut c = Catalogue::new("usd");
        c.add_all(parse("\"=1+1\",1,-cat\n", &usd()).unwrap()).unwrap();
        let csv = to_csv(&c, 2);
        assert!(csv.contains("'=1+1"), "guarded for spreadsheets: {csv}");
        let back = parse(&csv, &usd()).unwrap();
        assert_eq!(back[0].name, "=1+1");
        assert_eq!(back[0].category, "-cat");
    }

    /// The export is what serde_json's `to_string_pretty` wrote.
    #[test]
    fn the_export_is_written_as_serde_json_wrote_it() {
        let mut c = Catalogue::new("usd");
        assert_eq!(to_json(&c), serde_json::to_string_pretty(&c).unwrap());
        let ps = parse(
            r#"[{"name":"Latte \"big\"\\ \u00e9\ud83d\ude00\n","price":"3.50","category":"Coffee","badge":"☕"},
                {"name":"=1+2","price":"0.01"},{"name":"Bun","price":2.2,"category":"","badge":""}]"#,
            &usd(),
        )
        .unwrap();
        c.add_all(ps).unwrap();
        c.products[1].hidden = true;
        assert_eq!(to_json(&c), serde_json::to_string_pretty(&c).unwrap());
    }

    /// Import files read as with serde_json, but for a price written as a
    /// JSON number: its own text (`2.20`, `10.000000000000001`), where
    /// serde_json gave a float's (`2.2`, `10.000000000000002`), and an
    /// exponent (`1e2`) refused as an amount.
    #[test]
    fn imports_read_as_with_serde_json() {
        let quote = usd();
        for text in [
            r#"[{"name":"A","price":"1.50","category":"x","badge":"b"}]"#,
            r#"{"version":1,"currency":"USD","next_id":3,"products":[{"id":1,"name":"A","price":"1","hidden":true}]}"#,
            r#"{"currency":"eur","products":[]}"#, r#"{"currency":5,"products":[{"name":"A","price":"2"}]}"#,
            r#"{"products":{}}"#, r#"{}"#, "[]", "[1,\"x\",null,[]]", r#"[{"name":null,"price":null}]"#,
            r#"[{"name":"A","price":3}]"#, r#"[{"name":"A","price":"3","name":"B"}]"#, r#"[{"name":["A"],"price":"1"}]"#,
            r#"[{"name":"A","price":{}}]"#, "[{\"name\":\"A\",\n\"price\":\"1\"},\n{oops}]", "{\"a\":1,}", "[1e400]", "{oops",
        ] {
            let ours = parse_json(text, &quote);
            let theirs = old_parse_json(text, &quote);
            match (&ours, &theirs) {
                (Err(a), Err(b)) if matches!(a[0].why, RowWhy::NotJson(_)) => {
                    assert_eq!(a.len(), 1);
                    assert!(matches!(b[0].why, RowWhy::NotJson(_)) && a[0].row == b[0].row, "{text}: {a:?} {b:?}");
                }
                _ => assert_eq!(ours, theirs, "{text}"),
            }
        }
        let price = |text: &str| parse_json(text, &quote).map(|ps| ps[0].price);
        assert_eq!(price(r#"[{"name":"A","price":2.20}]"#), Ok(Amount::parse("2.2").unwrap()));
        assert_eq!(price(r#"[{"name":"A","price":0.07}]"#), Ok(Amount::parse("0.07").unwrap()));
        assert!(price(r#"[{"name":"A","price":1e2}]"#).is_err(), "refused, not a float's 100.0");
    }

    /// `parse_json` as it was, with serde_json's `Value`.
    fn old_parse_json(text: &str, quote: &QuoteAsset) -> Result<Vec<ValidProduct>, Vec<RowError>> {
        use serde_json::Value as J;
        let value: J = serde_json::from_str(text)
            .map_err(|e| vec![RowError { row: e.line(), why: RowWhy::NotJson(e.to_string()) }])?;
        if let Some(currency) = value.get("currency").and_then(J::as_str) {
            if !currency.eq_ignore_ascii_case(&quote.asset_id) {
                return Err(vec![RowError {
                    row: 0,
                    why: RowWhy::OtherCurrency { found: currency.to_ascii_uppercase(), quote: quote.symbol.clone() },
                }]);
            }
        }
        let list = match &value {
            J::Array(a) => a,
            J::Object(o) => match o.get("products") {
                Some(J::Array(a)) => a,
                _ => return Err(vec![RowError { row: 0, why: RowWhy::NotAList }]),
            },
            _ => return Err(vec![RowError { row: 0, why: RowWhy::NotAList }]),
        };
        let draft = |item: &J| -> Result<ProductDraft, RowWhy> {
            let text = |key: &str| match item.get(key) {
                None | Some(J::Null) => Ok(String::new()),
                Some(J::String(s)) => Ok(s.clone()),
                Some(_) => Err(RowWhy::NotText(key.into())),
            };
            if !item.is_object() {
                return Err(RowWhy::NotAnObject);
            }
            let price = match item.get("price") {
                Some(J::String(s)) => s.clone(),
                Some(J::Number(n)) => n.to_string(),
                None | Some(J::Null) => String::new(),
                Some(_) => return Err(RowWhy::PriceNotTextOrNumber),
            };
            Ok(ProductDraft { name: text("name")?, price, category: text("category")?, badge: text("badge")? })
        };
        check_all(list.iter().enumerate().map(|(i, item)| (i + 1, draft(item))).collect(), quote)
    }
}
