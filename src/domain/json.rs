//! A small strict JSON reader for what this app stored (settings, cart,
//! catalogue, PIN record, sales…) and for `config.json`, so that the till's
//! first load carries no serde_json. It accepts and refuses what serde_json's
//! `from_str::<serde_json::Value>` does (a native test compares them), with
//! one difference on purpose: a number keeps its source text, so an amount
//! is never rounded through a float.

/// A JSON value. An object keeps its fields in the order written, repeats
/// included; `get` finds the last, as `serde_json::Value` keeps the last.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number's text as written (valid JSON, finite as a float).
    Number(String),
    Str(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

/// Where the text stops being JSON, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// 1-based.
    pub line: usize,
    /// Bytes into the line up to the offending byte, that byte included
    /// (as serde_json counts).
    pub column: usize,
    what: &'static str,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at line {} column {}", self.what, self.line, self.column)
    }
}

/// As serde_json: a 128th nested array or object is refused.
const MAX_DEPTH: u32 = 127;

/// 2^1024 - 2^970, half-way between the largest finite f64 and 2^1024: a
/// number of 309 digits before the point at or above it is infinite as a
/// float, and serde_json refuses it ("number out of range").
const TOO_LARGE: &[u8] = b"179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";

/// Reads one JSON value; whitespace around it is allowed, nothing else.
pub fn parse(text: &str) -> Result<Value, Error> {
    let mut p = Parser { text, s: text.as_bytes(), i: 0 };
    let read = p.value(0).and_then(|v| {
        p.ws();
        if p.i < p.s.len() {
            p.i += 1;
            Err("trailing characters")
        } else {
            Ok(v)
        }
    });
    read.map_err(|what| {
        let at = p.i.min(p.s.len());
        let line_start = p.s[..at].iter().rposition(|&b| b == b'\n').map_or(0, |n| n + 1);
        Error {
            line: 1 + p.s[..line_start].iter().filter(|&&b| b == b'\n').count(),
            column: at - line_start,
            what,
        }
    })
}

struct Parser<'a> {
    text: &'a str,
    s: &'a [u8],
    i: usize,
}

type Read<T> = Result<T, &'static str>;

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.i += 1;
        }
    }

    /// The next byte, or `eof` as the error.
    fn next(&mut self, eof: &'static str) -> Read<u8> {
        let c = self.peek().ok_or(eof)?;
        self.i += 1;
        Ok(c)
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        self.i - start
    }

    fn value(&mut self, depth: u32) -> Read<Value> {
        self.ws();
        let c = self.peek().ok_or("EOF while parsing a value")?;
        let word = |p: &mut Self, w: &str, v: Value| {
            if p.s[p.i..].starts_with(w.as_bytes()) {
                p.i += w.len();
                Ok(v)
            } else {
                Err("expected value")
            }
        };
        match c {
            b'n' => word(self, "null", Value::Null),
            b't' => word(self, "true", Value::Bool(true)),
            b'f' => word(self, "false", Value::Bool(false)),
            b'"' => {
                self.i += 1;
                self.string().map(Value::Str)
            }
            b'-' | b'0'..=b'9' => self.number().map(Value::Number),
            b'[' | b'{' => {
                if depth >= MAX_DEPTH {
                    return Err("recursion limit exceeded");
                }
                self.i += 1;
                let object = c == b'{';
                // `]` and `}` are two after `[` and `{`.
                let close = c + 2;
                let (mut items, mut fields) = (vec![], vec![]);
                self.ws();
                if self.peek() == Some(close) {
                    self.i += 1;
                } else {
                    loop {
                        if object {
                            self.ws();
                            if self.next("EOF while parsing an object")? != b'"' {
                                return Err("key must be a string");
                            }
                            let key = self.string()?;
                            self.ws();
                            if self.next("EOF while parsing an object")? != b':' {
                                return Err("expected `:`");
                            }
                            fields.push((key, self.value(depth + 1)?));
                        } else {
                            items.push(self.value(depth + 1)?);
                        }
                        self.ws();
                        match self.next("EOF while parsing a list or object")? {
                            b',' => {}
                            x if x == close => break,
                            _ => return Err("expected `,` or the end of a list or object"),
                        }
                    }
                }
                Ok(if object { Value::Object(fields) } else { Value::Array(items) })
            }
            _ => {
                self.i += 1;
                Err("expected value")
            }
        }
    }

    /// A string's text after its opening quote, escapes decoded.
    fn string(&mut self) -> Read<String> {
        let mut out = String::new();
        let mut start = self.i;
        loop {
            match self.next("EOF while parsing a string")? {
                b'"' => {
                    out.push_str(&self.text[start..self.i - 1]);
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(&self.text[start..self.i - 1]);
                    out.push(self.escape()?);
                    start = self.i;
                }
                0..=0x1f => return Err("control character in a string"),
                _ => {}
            }
        }
    }

    /// The character an escape (after its `\`) stands for; a `\u` pair of
    /// surrogates is one character, a lone surrogate is refused.
    fn escape(&mut self) -> Read<char> {
        Ok(match self.next("EOF while parsing a string")? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let mut n = self.hex4()?;
                if (0xDC00..0xE000).contains(&n) {
                    return Err("lone surrogate in hex escape");
                }
                if (0xD800..0xDC00).contains(&n) {
                    if !self.s[self.i..].starts_with(b"\\u") {
                        return Err("lone surrogate in hex escape");
                    }
                    self.i += 2;
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err("lone surrogate in hex escape");
                    }
                    n = 0x10000 + ((n - 0xD800) << 10) + (low - 0xDC00);
                }
                char::from_u32(n).ok_or("invalid escape")?
            }
            _ => return Err("invalid escape"),
        })
    }

    fn hex4(&mut self) -> Read<u32> {
        let mut n = 0;
        for _ in 0..4 {
            let d = (self.next("EOF while parsing a string")? as char).to_digit(16);
            n = n * 16 + d.ok_or("invalid escape")?;
        }
        Ok(n)
    }

    /// A number's text: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`,
    /// refused when a float of it would be infinite (as serde_json does).
    fn number(&mut self) -> Read<String> {
        const BAD: &str = "invalid number";
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let int_start = self.i;
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(BAD),
        }
        let int = int_start..self.i;
        let mut frac = self.i..self.i;
        if self.peek() == Some(b'.') {
            self.i += 1;
            let from = self.i;
            if self.digits() == 0 {
                return Err(BAD);
            }
            frac = from..self.i;
        }
        let mut exp: i64 = 0;
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            let negative = match self.peek() {
                Some(b'-') => {
                    self.i += 1;
                    true
                }
                Some(b'+') => {
                    self.i += 1;
                    false
                }
                _ => false,
            };
            let from = self.i;
            if self.digits() == 0 {
                return Err(BAD);
            }
            for &d in &self.s[from..self.i] {
                exp = (exp * 10 + i64::from(d - b'0')).min(1 << 40);
            }
            if negative {
                exp = -exp;
            }
        }
        // The significant digits, and how many places the first of them
        // stands before the point (`places`): 309 or more is 1e308 or more.
        let digits = self.s[int].iter().chain(&self.s[frac.clone()]).skip_while(|&&d| d == b'0');
        let count = digits.clone().count() as i64;
        let places = count + exp - frac.len() as i64;
        if count > 0 && places >= 309 {
            let too_large = places > 309 || {
                // Compared digit by digit with the half-way point, zeros after
                // the shorter one.
                let mut own = digits.copied().chain(std::iter::repeat(b'0'));
                TOO_LARGE.iter().map(|&t| (own.next(), t)).find(|&(d, t)| d != Some(t)).is_none_or(|(d, t)| d > Some(t))
            };
            if too_large {
                return Err("number out of range");
            }
        }
        Ok(self.text[start..self.i].to_string())
    }
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// An object's field (the last of a repeated key); `None` for any
    /// other value.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Sets an object's field (the last of a repeated key, or a new one at
    /// the end); nothing for any other value.
    pub fn set(&mut self, key: &str, value: Value) {
        if let Value::Object(o) = self {
            match o.iter_mut().rev().find(|(k, _)| k == key) {
                Some((_, v)) => *v = value,
                None => o.push((key.to_string(), value)),
            }
        }
    }

    /// A whole number written without fraction or exponent, as its sign
    /// and size, if the size fits in a `u64`.
    fn whole(&self) -> Option<(bool, u64)> {
        let Value::Number(text) = self else {
            return None;
        };
        let (negative, digits) = match text.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, text.as_str()),
        };
        let mut n: u64 = 0;
        for d in digits.bytes() {
            if !d.is_ascii_digit() {
                return None;
            }
            n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
        }
        Some((negative, n))
    }

    /// As `serde_json::Value::as_u64`: a whole number from 0 to `u64::MAX`.
    pub fn as_u64(&self) -> Option<u64> {
        match self.whole()? {
            (false, n) => Some(n),
            _ => None,
        }
    }

    /// As `serde_json::Value::as_i64`: a whole number that fits an `i64`
    /// (`-0` is a float to serde_json, so not one).
    pub fn as_i64(&self) -> Option<i64> {
        match self.whole()? {
            (false, n) => i64::try_from(n).ok(),
            (true, n) => (1..=1 << 63).contains(&n).then(|| (n as i64).wrapping_neg()),
        }
    }

    /// An object's fields as `serde_json::Value` holds them: in byte order
    /// of the keys, the last of a repeated key only.
    pub fn sorted_fields(fields: &[(String, Value)]) -> Vec<&(String, Value)> {
        let mut sorted: Vec<&(String, Value)> = vec![];
        for field in fields {
            match sorted.binary_search_by(|(k, _)| k.as_str().cmp(&field.0)) {
                Ok(at) => sorted[at] = field,
                Err(at) => sorted.insert(at, field),
            }
        }
        sorted
    }

    /// Compact JSON as `serde_json::Value` writes it: object keys in byte
    /// order (the last of a repeated key), strings escaped as serde_json
    /// does; numbers as their own text.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// Indented JSON as serde_json's `to_string_pretty` writes a derived
    /// `Serialize`: fields in the order written (not sorted), two spaces a
    /// level, `": "` after a key, `[]` and `{}` when empty.
    pub fn to_pretty(&self) -> String {
        let mut out = String::new();
        self.write_pretty(&mut out, 0);
        out
    }

    fn write_pretty(&self, out: &mut String, depth: usize) {
        let indent = |out: &mut String, i: usize, depth: usize| {
            out.push_str(if i > 0 { ",\n" } else { "\n" });
            out.push_str(&"  ".repeat(depth));
        };
        match self {
            Value::Array(items) if !items.is_empty() => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    indent(out, i, depth + 1);
                    item.write_pretty(out, depth + 1);
                }
                out.push('\n');
                out.push_str(&"  ".repeat(depth));
                out.push(']');
            }
            Value::Object(fields) if !fields.is_empty() => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    indent(out, i, depth + 1);
                    super::stored::push_text(out, k);
                    out.push_str(": ");
                    v.write_pretty(out, depth + 1);
                }
                out.push('\n');
                out.push_str(&"  ".repeat(depth));
                out.push('}');
            }
            Value::Array(_) => out.push_str("[]"),
            Value::Object(_) => out.push_str("{}"),
            _ => self.write(out),
        }
    }

    fn write(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => out.push_str(n),
            Value::Str(s) => super::stored::push_text(out, s),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Value::Object(fields) => {
                out.push('{');
                for (i, (k, v)) in Value::sorted_fields(fields).into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    super::stored::push_text(out, k);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `ours` is the value serde_json read (numbers compared as
    /// serde_json sees them: the same integer, or the same float).
    fn same(ours: &Value, theirs: &serde_json::Value) -> bool {
        use serde_json::Value as J;
        match (ours, theirs) {
            (Value::Null, J::Null) => true,
            (Value::Bool(a), J::Bool(b)) => a == b,
            (Value::Str(a), J::String(b)) => a == b,
            (Value::Number(text), J::Number(n)) => {
                ours.as_u64() == n.as_u64()
                    && ours.as_i64() == n.as_i64()
                    && (n.is_f64() || ours.as_u64().is_some() || ours.as_i64().is_some())
                    && (!n.is_f64() || close(text.parse::<f64>().unwrap(), n.as_f64().unwrap()))
            }
            (Value::Array(a), J::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b)),
            (Value::Object(a), J::Object(b)) => {
                let a = Value::sorted_fields(a);
                a.len() == b.len() && a.iter().zip(b).all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
            }
            _ => false,
        }
    }

    /// serde_json's float reader may be an ulp off the correctly rounded
    /// one (it does not do `float_roundtrip`).
    fn close(a: f64, b: f64) -> bool {
        a == b || (a - b).abs() <= a.abs().max(b.abs()) * 4.0 * f64::EPSILON
    }

    fn integers_only(v: &Value) -> bool {
        match v {
            Value::Number(_) => v.as_u64().is_some() || v.as_i64().is_some(),
            Value::Array(a) => a.iter().all(integers_only),
            Value::Object(o) => o.iter().all(|(_, v)| integers_only(v)),
            _ => true,
        }
    }

    /// Both readers accept `text` or both refuse it; what both accept reads
    /// alike and, with whole numbers only, is written back alike.
    fn agree(text: &str) {
        let ours = parse(text);
        let theirs = serde_json::from_str::<serde_json::Value>(text);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => {
                assert!(same(a, b), "{text:?}: {a:?} vs {b:?}");
                if integers_only(a) {
                    assert_eq!(a.to_json(), b.to_string(), "{text:?}");
                }
            }
            (Err(_), Err(_)) => {}
            _ => panic!("{text:?}: ours {ours:?}, serde_json {theirs:?}"),
        }
    }

    const CORPUS: &[&str] = &[
        // Values of every kind, whitespace around them.
        "null", "true", "false", "0", "-0", "1", "-1", "\"\"", "[]", "{}", " \n\t\r[ ] ", " {\"a\" : 1 } \n",
        r#"{"version":3,"payee_id":"x","quote":{"asset_id":"usd","symbol":"USD","decimal_digit":2,"min":null,"max":"10000"},"lines":[{"name":"Latte","unit_price":"4.5","quantity":2}],"b":[true,false,null]}"#,
        // Escapes and unicode.
        r#""\"\\\/\b\f\n\r\t""#, r#""\u0041\u00e9\u4e2d\u20ac""#, r#""\uD83D\uDE00""#, r#""\ud83d\ude00x""#, "\"é中€😀\u{7f}\u{2028}\"",
        r#""\u0000\u001f""#, r#""\uDE00""#, r#""\uD83D""#, r#""\uD83Dx""#, r#""\uD83D\n""#, r#""\uD83D\u0041""#, r#""\uD83D\uD83D""#,
        r#""\u12""#, r#""\u12G4""#, r#""\x""#, r#""\'""#, "\"a\u{1}b\"", "\"tab\there\"", "\"new\nline\"", "\"\u{1f}\"", "\"\u{7f}\"",
        // Numbers.
        "1e400", "-1e400", "1e308", "1.7976931348623157e308", "1.7976931348623159e308", "-1.7976931348623159e308", "1.8e308",
        "0.1000000000000000055511151231257827", "18446744073709551615", "18446744073709551616", "-9223372036854775808",
        "-9223372036854775809", "9223372036854775807", "9223372036854775808", "123456789012345678901234567890",
        "1e-400", "0e99999999999999999999", "1e99999999999999999999", "1e-99999999999999999999", "0.0000001e315", "10e307",
        "1.5", "-1.5", "1E2", "1e+2", "1e-2", "2.50", "1.0", "-0.0", "0.1", "01", "-01", "00", "1.", ".5", "-", "+1", "1e", "1e+", "1.e5",
        "-a", "1x", "0x10", "NaN", "Infinity", "-Infinity", "1_000", "１",
        // Structure.
        "[1,]", "[,1]", "[1,,2]", "{\"a\":1,}", "{,}", "{\"a\"}", "{\"a\":}", "{\"a\" 1}", "{1:1}", "{a:1}", "{'a':1}", "['a']",
        "[1 2]", "[1}", "{\"a\":1]", "[", "]", "{", "}", "[[]", "[]]", "{\"a\":{}", r#"{"a":1,"a":2}"#, r#"{"b":1,"a":{"d":1,"c":2},"a":[3]}"#,
        r#"{"":0,"é":1,"e":2,"E":3,"ee":4}"#,
        // Words, and what is not JSON at all.
        "nul", "nulll", "tru", "True", "NULL", "fals", "falsey", "", " ", "\u{feff}{}", "{}\u{feff}", "\u{a0}1", "{} {}", "1 2", "//c\n1", "/*c*/1",
        "{}x", "[]\n\n x", "\n\n  {\"a\":tru}", "\"unterminated", "\"a\\", "[\"a\"\n,\n1,\n", "\u{2028}1",
    ];

    #[test]
    fn reads_and_refuses_what_serde_json_does() {
        for text in CORPUS {
            agree(text);
        }
        // Nesting: serde_json takes 127 levels, refuses 128.
        for depth in [1, 126, 127, 128, 129, 1000] {
            agree(&format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
            agree(&format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)));
            agree(&format!("{}{{}}{}", "[{\"a\":".repeat(depth / 2), "}]".repeat(depth / 2)));
        }
        // Every character as itself in a string, and escaped.
        for c in (0u32..0x800).chain([0xFFFF, 0x10000, 0x10FFFF]).filter_map(char::from_u32) {
            agree(&format!("\"{c}\""));
            agree(&format!("\"\\u{:04x}\"", c as u32));
        }
        for n in [0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000] {
            agree(&format!("\"\\u{n:04X}\""));
            agree(&format!("\"\\uD800\\u{n:04X}\""));
        }
    }

    #[test]
    fn every_cut_and_every_slip_is_judged_alike() {
        let docs = [
            r#"{"version":1,"currency":"usd","next_id":3,"products":[{"id":1,"name":"Caf\u00e9 \"au lait\"","price":"4.50","hidden":false,"x":[1e5,-0.5,null]}]}"#,
            "[\"\\uD83D\\uDE00\", {\"a\" : [ -12.5e-3 , true ] } ,\n 0 ]",
        ];
        const SLIPS: [&str; 16] = [",", "]", "}", "[", "{", "\"", "\\", "0", "-", "e", ".", " ", "x", "\u{1}", ":", "é"];
        for doc in docs {
            agree(doc);
            let chars: Vec<char> = doc.chars().collect();
            for cut in 0..chars.len() {
                let head: String = chars[..cut].iter().collect();
                agree(&head);
                let tail: String = chars[cut + 1..].iter().collect();
                agree(&format!("{head}{tail}"));
                for slip in SLIPS {
                    agree(&format!("{head}{slip}{tail}"));
                    agree(&format!("{head}{slip}{}", chars[cut..].iter().collect::<String>()));
                }
            }
        }
    }

    /// The one difference found: serde_json's float reader (without
    /// `float_roundtrip`) is a little imprecise next to the largest float,
    /// so it refuses some numbers a hair below the half-way point to
    /// infinity (about 1.79769313486231580e308, 17 digits in) that round to
    /// a finite float, and this reader takes them. No stored record holds
    /// such a number; both refuse from the half-way point on.
    #[test]
    fn next_to_the_largest_float_this_reader_is_the_exact_one() {
        for t in ["1.797693134862315799e308", "1.7976931348623158e308", &format!("{}1", &TOO_LARGE_TEXT[..308])] {
            assert!(parse(t).is_ok() && serde_json::from_str::<serde_json::Value>(t).is_err(), "{t}");
        }
        for t in ["1.7976931348623157e308", "1.79769313486231578e308"] {
            agree(t);
            assert!(parse(t).is_ok(), "{t}");
        }
        for t in [TOO_LARGE_TEXT, &format!("{TOO_LARGE_TEXT}.0000001"), &format!("-{TOO_LARGE_TEXT}"), "1.7976931348623159e308", "0.1797693134862315808e309"] {
            agree(t);
            assert!(parse(t).is_err(), "{t}");
        }
    }

    const TOO_LARGE_TEXT: &str = match std::str::from_utf8(TOO_LARGE) {
        Ok(t) => t,
        Err(_) => panic!(),
    };

    #[test]
    fn numbers_keep_their_text_and_read_as_serde_json_reads_them() {
        let n = |t: &str| parse(t).unwrap();
        assert_eq!(n("0.1000000000000000055511151231257827"), Value::Number("0.1000000000000000055511151231257827".into()));
        assert_eq!(n(" 2.50 "), Value::Number("2.50".into()));
        assert_eq!((n("-0").as_i64(), n("-0").as_u64()), (None, None), "-0 is a float to serde_json");
        assert_eq!(n("-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!(n("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(n("18446744073709551616").as_u64(), None);
        assert_eq!((n("1e2").as_u64(), n("1.0").as_i64()), (None, None));
        assert!(parse("1e400").unwrap_err().to_string().contains("out of range"));
    }

    #[test]
    fn repeated_keys_read_the_last_and_write_once() {
        let mut v = parse(r#"{"b":1,"a":2,"b":3}"#).unwrap();
        assert_eq!(v.get("b"), Some(&Value::Number("3".into())));
        assert_eq!(v.to_json(), r#"{"a":2,"b":3}"#);
        v.set("b", Value::Bool(true));
        v.set("c", Value::Null);
        assert_eq!(v.to_json(), r#"{"a":2,"b":true,"c":null}"#);
        assert_eq!(Value::Null.get("a"), None);
    }

    #[test]
    fn a_refusal_says_where() {
        let e = parse("{\"a\":\n  tru}").unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(e, parse("{\"a\":\n  tru}").unwrap_err());
        let theirs = serde_json::from_str::<serde_json::Value>("{\"a\":1,\n\n x").unwrap_err();
        let ours = parse("{\"a\":1,\n\n x").unwrap_err();
        assert_eq!((ours.line, ours.column), (theirs.line(), theirs.column()));
    }
}
