//! Reading what this app stored as JSON, field by field, from one
//! `json::Value` (the app's own small reader: no serde_json in the till's
//! first load) instead of a derived `Deserialize` per struct: each derive
//! costs kilobytes of wasm.
//!
//! The rules are the derive's, so every stored record reads as before: a
//! missing required field, or a field of the wrong type, is an error; a
//! missing field with a default takes it; an `Option` is `None` when absent
//! or `null`; unknown fields are ignored.

use std::cell::Cell;

use super::json::{self, Value};
use super::money::Amount;

/// The fields of one stored object. A field that cannot be read gives a
/// stand-in value (empty, zero) and records the first error, which
/// `read` then returns: no early return per field, so a reader stays
/// linear code instead of one exit (and its clean-up) per field.
#[derive(Clone, Copy)]
pub struct Fields<'a> {
    o: &'a [(String, Value)],
    err: &'a Cell<Option<String>>,
}

/// Reads the JSON text of one stored object with `body`: a text that is
/// not JSON, or not an object, is an error, and then the first field error.
pub fn parse<T>(text: &str, what: &str, body: impl FnOnce(Fields) -> Result<T, String>) -> Result<T, String> {
    read(&json::parse(text).map_err(|e| e.to_string())?, what, body)
}

/// Reads one stored object with `body`; the first field error wins.
pub fn read<T>(
    v: &Value,
    what: &str,
    body: impl FnOnce(Fields) -> Result<T, String>,
) -> Result<T, String> {
    let o = v.as_object().ok_or_else(|| wrong(what, "an object"))?;
    let err = Cell::new(None);
    let read = body(Fields { o, err: &err })?;
    match err.take() {
        Some(e) => Err(e),
        None => Ok(read),
    }
}

fn missing(key: &str) -> String {
    format!("missing field `{key}`")
}

fn wrong(key: &str, what: &str) -> String {
    format!("{key}: expected {what}")
}

impl<'a> Fields<'a> {
    /// The field's value, `None` when absent.
    pub fn get(self, key: &str) -> Option<&'a Value> {
        // The last of a repeated key, as `serde_json::Value` kept it.
        self.o.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// A required field (for a nested object).
    pub fn required(self, key: &str) -> Result<&'a Value, String> {
        self.get(key).ok_or_else(|| missing(key))
    }

    /// A field that may be absent or `null` (for a nested `Option`).
    pub fn present(self, key: &str) -> Option<&'a Value> {
        self.get(key).filter(|v| !v.is_null())
    }

    /// Keeps the value, or records the error and gives `stand_in`.
    fn ok<T>(self, read: Result<T, String>, stand_in: T) -> T {
        read.unwrap_or_else(|e| {
            let first = self.err.take().unwrap_or(e);
            self.err.set(Some(first));
            stand_in
        })
    }

    /// A required field read with `as_x`, or an absent one's `default`.
    fn field<T>(self, key: &str, default: Option<T>, stand_in: T, as_x: fn(&Value, &str) -> Result<T, String>) -> T {
        let read = match (self.get(key), default) {
            (Some(v), _) => as_x(v, key),
            (None, Some(d)) => Ok(d),
            (None, None) => Err(missing(key)),
        };
        self.ok(read, stand_in)
    }

    /// An `Option` field: absent or `null` is `None`.
    fn optional<T>(self, key: &str, as_x: fn(&Value, &str) -> Result<T, String>) -> Option<T> {
        let read = self.present(key).map(|v| as_x(v, key)).transpose();
        self.ok(read, None)
    }

    pub fn text(self, key: &str) -> String {
        self.field(key, None, String::new(), as_text)
    }

    /// A text field that defaults to empty when absent.
    pub fn text_or_empty(self, key: &str) -> String {
        self.field(key, Some(String::new()), String::new(), as_text)
    }

    /// `Option<String>`: absent or `null` is `None`.
    pub fn opt_text(self, key: &str) -> Option<String> {
        self.optional(key, as_text)
    }

    pub fn flag(self, key: &str) -> bool {
        self.field(key, None, false, as_flag)
    }

    /// A yes/no that takes `default` when absent.
    pub fn flag_or(self, key: &str, default: bool) -> bool {
        self.field(key, Some(default), default, as_flag)
    }

    /// `Option<bool>`: absent or `null` is `None`.
    pub fn opt_flag(self, key: &str) -> Option<bool> {
        self.optional(key, as_flag)
    }

    pub fn int(self, key: &str) -> i64 {
        self.field(key, None, 0, as_int)
    }

    /// An `i64` that takes `default` when absent.
    pub fn int_or(self, key: &str, default: i64) -> i64 {
        self.field(key, Some(default), default, as_int)
    }

    pub fn count(self, key: &str) -> u32 {
        self.field(key, None, 0, as_count)
    }

    /// A `u32` that takes `default` when absent.
    pub fn count_or(self, key: &str, default: u32) -> u32 {
        self.field(key, Some(default), default, as_count)
    }

    pub fn whole(self, key: &str) -> u64 {
        self.field(key, None, 0, as_whole)
    }

    /// A `u64` that takes `default` when absent.
    pub fn whole_or(self, key: &str, default: u64) -> u64 {
        self.field(key, Some(default), default, as_whole)
    }

    /// `Option<u64>`: absent or `null` is `None`.
    pub fn opt_id(self, key: &str) -> Option<u64> {
        self.optional(key, as_whole)
    }

    pub fn amount(self, key: &str) -> Amount {
        self.field(key, None, Amount::ZERO, as_amount)
    }

    /// `Option<Amount>`: absent or `null` is `None`.
    pub fn opt_amount(self, key: &str) -> Option<Amount> {
        self.optional(key, as_amount)
    }

    /// A list whose items `read` reads; absent is empty.
    pub fn list_or_empty<T>(self, key: &str, read: impl Fn(&'a Value) -> Result<T, String>) -> Vec<T> {
        let list = match self.get(key) {
            None => Ok(vec![]),
            Some(v) => match v.as_array() {
                None => Err(wrong(key, "a list")),
                Some(items) => items.iter().map(read).collect(),
            },
        };
        self.ok(list, vec![])
    }

    /// One of a few names (`"one_time"`), as an enum's derive reads it; the
    /// first name's value stands in for an unreadable one.
    pub fn choice<T: Copy>(self, key: &str, names: &[(&str, T)]) -> T {
        let name = self.text(key);
        let found = names.iter().find(|(n, _)| *n == name).map(|(_, t)| *t);
        let read = found.ok_or_else(|| format!("{key}: unknown variant `{name}`"));
        self.ok(read, names[0].1)
    }
}

fn as_int(v: &Value, key: &str) -> Result<i64, String> {
    v.as_i64().ok_or_else(|| wrong(key, "an integer"))
}

fn as_text(v: &Value, key: &str) -> Result<String, String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| wrong(key, "a string"))
}

fn as_flag(v: &Value, key: &str) -> Result<bool, String> {
    v.as_bool().ok_or_else(|| wrong(key, "a boolean"))
}

fn as_whole(v: &Value, key: &str) -> Result<u64, String> {
    v.as_u64().ok_or_else(|| wrong(key, "a whole number"))
}

pub fn as_count(v: &Value, key: &str) -> Result<u32, String> {
    v.as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| wrong(key, "a whole number"))
}

/// An amount as `Amount`'s `Deserialize` takes it: a decimal string or a
/// whole number, never a JSON fraction (a float has already rounded it).
pub fn as_amount(v: &Value, key: &str) -> Result<Amount, String> {
    match v {
        Value::Str(s) => Amount::parse(s).map_err(|e| format!("{key}: {e:?}")),
        Value::Number(_) => v
            .as_u64()
            .map(|n| Amount::parse(&n.to_string()).expect("digits"))
            .ok_or_else(|| wrong(key, "an amount as a decimal string")),
        _ => Err(wrong(key, "an amount")),
    }
}

/// Writes one JSON object exactly as serde_json's derived `Serialize`
/// writes it (compact, fields in the order given, strings escaped alike),
/// with no generic serializer per struct.
pub struct Obj(String);

impl Default for Obj {
    fn default() -> Self {
        Obj::new()
    }
}

impl Obj {
    pub fn new() -> Obj {
        Obj(String::from("{"))
    }

    fn key(&mut self, key: &str) -> &mut String {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        push_text(&mut self.0, key);
        self.0.push(':');
        &mut self.0
    }

    /// A value already written as JSON (a nested object, a list, `null`).
    pub fn raw(&mut self, key: &str, json: &str) -> &mut Obj {
        self.key(key).push_str(json);
        self
    }

    pub fn text(&mut self, key: &str, value: &str) -> &mut Obj {
        push_text(self.key(key), value);
        self
    }

    /// An `Option<String>`: `null` when `None`.
    pub fn opt_text(&mut self, key: &str, value: Option<&str>) -> &mut Obj {
        match value {
            Some(v) => self.text(key, v),
            None => self.raw(key, "null"),
        }
    }

    /// A number (any integer's `Display` is its JSON).
    pub fn num(&mut self, key: &str, value: impl std::fmt::Display) -> &mut Obj {
        use std::fmt::Write;
        let _ = write!(self.key(key), "{value}");
        self
    }

    pub fn flag(&mut self, key: &str, value: bool) -> &mut Obj {
        self.raw(key, if value { "true" } else { "false" })
    }

    pub fn amount(&mut self, key: &str, value: Amount) -> &mut Obj {
        self.text(key, &value.to_string())
    }

    /// An `Option<Amount>`: `null` when `None`.
    pub fn opt_amount(&mut self, key: &str, value: Option<Amount>) -> &mut Obj {
        self.opt_text(key, value.map(|a| a.to_string()).as_deref())
    }

    pub fn end(&mut self) -> String {
        let mut out = std::mem::take(&mut self.0);
        out.push('}');
        out
    }
}

/// `[a,b,…]` from items already written as JSON.
pub fn list<T>(items: &[T], write: impl Fn(&T) -> String) -> String {
    let mut out = String::from("[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&write(item));
    }
    out.push(']');
    out
}

/// A JSON string as serde_json writes it: `"` and `\` escaped, control
/// characters as `\n`-style or `\u00xx`, everything else as is.
pub fn push_text(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xf] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `f` reads from `json`, or the first error.
    fn one<T>(json: &str, f: impl FnOnce(Fields) -> T) -> Result<T, String> {
        parse(json, "t", |x| Ok(f(x)))
    }

    const J: &str = r#"{"s":"x","n":null,"b":true,"i":-3,"c":7,"big":4294967296,"f":1.5,"a":"2.50","w":3,"l":[1,2]}"#;

    #[test]
    fn rules_of_the_derive() {
        assert_eq!(one(J, |f| f.text("s")).unwrap(), "x");
        assert!(one(J, |f| f.text("n")).is_err(), "null is not a string");
        assert!(one(J, |f| f.text("absent")).unwrap_err().contains("missing field"));
        assert_eq!(one(J, |f| f.text_or_empty("absent")).unwrap(), "");
        assert!(one(J, |f| f.text_or_empty("b")).is_err());
        assert_eq!(one(J, |f| f.opt_text("n")).unwrap(), None);
        assert_eq!(one(J, |f| f.opt_text("absent")).unwrap(), None);
        assert!(one(J, |f| f.opt_text("b")).is_err());
        assert!(one(J, |f| f.flag("b")).unwrap());
        assert!(one(J, |f| f.flag_or("absent", true)).unwrap());
        assert!(one(J, |f| f.flag_or("n", true)).is_err(), "null is not a default");
        assert_eq!(one(J, |f| f.opt_flag("n")).unwrap(), None);
        assert_eq!(one(J, |f| f.int("i")).unwrap(), -3);
        assert!(one(J, |f| f.int("f")).is_err());
        assert_eq!(one(J, |f| f.int_or("absent", 5)).unwrap(), 5);
        assert_eq!(one(J, |f| f.count("c")).unwrap(), 7);
        for k in ["i", "big", "f"] {
            assert!(one(J, |f| f.count(k)).is_err(), "{k}");
        }
        assert_eq!(one(J, |f| f.count_or("absent", 8)).unwrap(), 8);
        assert_eq!(one(J, |f| f.opt_id("c")).unwrap(), Some(7));
        assert_eq!(one(J, |f| f.opt_id("n")).unwrap(), None);
        assert_eq!(one(J, |f| f.whole("big")).unwrap(), 4_294_967_296);
        assert!(one(J, |f| f.whole("i")).is_err() && one(J, |f| f.whole_or("n", 1)).is_err());
        assert_eq!(one(J, |f| f.whole_or("absent", 1)).unwrap(), 1);
        assert_eq!(one(J, |f| f.amount("a")).unwrap(), Amount::parse("2.5").unwrap());
        assert_eq!(one(J, |f| f.amount("w")).unwrap(), Amount::parse("3").unwrap());
        assert!(one(J, |f| f.amount("f")).is_err(), "a fraction was a float: refused");
        assert_eq!(one(J, |f| f.opt_amount("n")).unwrap(), None);
        assert_eq!(one(J, |f| f.list_or_empty("l", |v| as_count(v, "l"))).unwrap(), vec![1, 2]);
        assert!(one(J, |f| f.list_or_empty("s", |v| as_count(v, "l"))).is_err());
        assert_eq!(one(J, |f| f.choice("s", &[("y", 1), ("x", 2)])).unwrap(), 2);
        assert!(one(J, |f| f.choice("s", &[("y", 1)])).unwrap_err().contains("unknown variant"));
        assert!(parse("[]", "t", |_| Ok(())).is_err());
        assert!(parse("{", "t", |_| Ok(())).is_err());
        assert_eq!(one(r#"{"s":"a","s":"b"}"#, |f| f.text("s")).unwrap(), "b", "the last of a repeated key");
    }

    #[test]
    fn text_is_written_as_serde_json_writes_it() {
        let mut all: String = (0u32..0x80).filter_map(char::from_u32).collect();
        all.push_str("é中€😀\u{7f}\u{2028}/");
        let mut out = String::new();
        push_text(&mut out, &all);
        assert_eq!(out, serde_json::to_string(&all).unwrap());
        let json = Obj::new()
            .text("a", "x")
            .num("n", -3i64)
            .flag("b", true)
            .opt_text("o", None)
            .raw("l", &list(&[1, 2], |n| n.to_string()))
            .opt_amount("m", Amount::parse("1.50").ok())
            .end();
        assert_eq!(json, r#"{"a":"x","n":-3,"b":true,"o":null,"l":[1,2],"m":"1.5"}"#);
        assert_eq!(Obj::new().end(), "{}");
    }

    #[test]
    fn the_first_error_is_the_one_told() {
        let e = one(J, |f| (f.text("b"), f.count("i"), f.text("s"))).unwrap_err();
        assert_eq!(e, "b: expected a string");
    }
}
