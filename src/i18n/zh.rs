//! The Chinese words, as data: `public/i18n/zh-Hans.txt`, one text a line,
//! fetched when Chinese is chosen (the service worker precaches it). The
//! English words stay in the wasm.
//!
//! One source of truth: the Chinese is written in the Rust source beside the
//! English, as `zh!("取消")` or, with values, `zh!("收款 {amount}"; amount)`.
//! The committed file is what the build reads: `make zh-file` writes it from
//! those texts, in the order they come (`scripts/zh-file.rs`), and the unit
//! test `the_file_is_the_source_s_chinese` fails when the file and the source
//! disagree (a text missing, or one no `zh!` uses any more). At compile time each `zh!` finds its text's line in that file (its key,
//! a `u16`), and the text itself is not kept in the wasm; a text missing from
//! the file is a compile error. Values are named placeholders (`{amount}`),
//! filled by [`fill`]; the names listed must be exactly those of the text
//! (checked at compile time too).
//!
//! Until the file is loaded the app stays in English: [`Tr::get`] gives
//! nothing, and `pick!` falls back to the English.

use std::cell::Cell;
use std::fmt::{Display, Write};

use super::Lang;

/// The file, as committed. Only read by `const fn`s in the wasm
/// (native builds load it at first use, for the unit tests).
const FILE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/public/i18n/zh-Hans.txt"));
const BYTES: &[u8] = FILE.as_bytes();
const LINES: usize = count_lines(BYTES);
/// Where each line starts, and one past the end.
const STARTS: [usize; LINES + 1] = line_starts(BYTES);
/// What the fetched file must hash to: the file of this very build.
pub const HASH: u32 = fnv1a(BYTES);
/// The file's address, relative to the page.
pub const PATH: &str = "i18n/zh-Hans.txt";

const fn count_lines(b: &[u8]) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < b.len() {
        if b[i] == b'\n' {
            n += 1;
        }
        i += 1;
    }
    n
}

const fn line_starts(b: &[u8]) -> [usize; LINES + 1] {
    let mut starts = [0; LINES + 1];
    let (mut i, mut n) = (0, 1);
    while i < b.len() {
        if b[i] == b'\n' {
            starts[n] = i + 1;
            n += 1;
        }
        i += 1;
    }
    starts
}

/// FNV-1a, 32 bits: tells this build's file from another's.
pub const fn fnv1a(b: &[u8]) -> u32 {
    let (mut h, mut i) = (0x811c_9dc5u32, 0);
    while i < b.len() {
        h = (h ^ b[i] as u32).wrapping_mul(0x0100_0193);
        i += 1;
    }
    h
}

/// The key of `text`: its line in the file. Compile time only.
pub const fn index_of(text: &str) -> u16 {
    let t = text.as_bytes();
    let mut i = 0;
    while i < LINES {
        let (s, e) = (STARTS[i], STARTS[i + 1] - 1);
        if e - s == t.len() {
            let mut j = 0;
            while j < t.len() && BYTES[s + j] == t[j] {
                j += 1;
            }
            if j == t.len() {
                return i as u16;
            }
        }
        i += 1;
    }
    panic!("this Chinese text is not in public/i18n/zh-Hans.txt: run `make zh-file` (it writes the file from the zh!(\"…\") texts of src/), then build again and commit the file")
}

const fn same(a: &[u8], start: usize, end: usize, b: &[u8]) -> bool {
    if end - start != b.len() {
        return false;
    }
    let mut j = 0;
    while j < b.len() {
        if a[start + j] != b[j] {
            return false;
        }
        j += 1;
    }
    true
}

/// Panics (at compile time) unless every `{name}` of `text` is among
/// `names`, and, when `all`, every name is used.
pub const fn check_names(text: &str, names: &[&str], all: bool) {
    let t = text.as_bytes();
    let mut used = [false; 16];
    assert!(names.len() <= 16, "at most 16 values in one text");
    let mut i = 0;
    while i < t.len() {
        if t[i] == b'{' {
            let mut e = i + 1;
            while e < t.len() && t[e] != b'}' {
                e += 1;
            }
            assert!(e < t.len(), "an opening brace without its closing one in a Chinese text");
            let mut n = 0;
            let mut found = false;
            while n < names.len() {
                if same(t, i + 1, e, names[n].as_bytes()) {
                    used[n] = true;
                    found = true;
                }
                n += 1;
            }
            assert!(found, "a placeholder of this Chinese text is not among the values given to zh!");
            i = e;
        }
        i += 1;
    }
    let mut n = 0;
    while n < names.len() {
        assert!(used[n] || !all, "a value given to zh! is not used by its text");
        n += 1;
    }
}

/// The texts once loaded, by key.
type Table = &'static [&'static str];

thread_local! {
    static TABLE: Cell<Option<Table>> = const { Cell::new(None) };
}

/// Why a fetched file was not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WrongFile;

/// Takes the fetched file, if it is this build's (same hash): from then on
/// Chinese can be shown. Kept for the life of the page.
pub fn load(text: String) -> Result<(), WrongFile> {
    if fnv1a(text.as_bytes()) != HASH {
        return Err(WrongFile);
    }
    let text: &'static str = Box::leak(text.into_boxed_str());
    let lines: Vec<&'static str> = text.lines().collect();
    TABLE.with(|t| t.set(Some(Box::leak(lines.into_boxed_slice()))));
    Ok(())
}

/// Whether the Chinese file is loaded.
pub fn loaded() -> bool {
    table().is_some()
}

fn table() -> Option<Table> {
    let t = TABLE.with(Cell::get);
    // Native builds (the unit tests) have the file at hand.
    #[cfg(not(target_arch = "wasm32"))]
    if t.is_none() && !NATIVE_UNLOADED.with(Cell::get) {
        let _ = load(FILE.to_string());
        return TABLE.with(Cell::get);
    }
    t
}

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    static NATIVE_UNLOADED: Cell<bool> = const { Cell::new(false) };
}

/// Native tests: this thread behaves as a page whose Chinese file is not in.
#[cfg(test)]
pub(crate) fn unload_for_test() {
    NATIVE_UNLOADED.with(|u| u.set(true));
    TABLE.with(|t| t.set(None));
}

/// `lang` if its words can be shown, else English.
pub fn effective(lang: Lang) -> Lang {
    match lang {
        Lang::ZhHans if loaded() => Lang::ZhHans,
        _ => Lang::En,
    }
}

fn line(key: u16) -> Option<&'static str> {
    table().and_then(|t| t.get(key as usize).copied())
}

/// `template` with each `{name}` replaced by its value. A name without a
/// value stays as written (the compile-time check rules that out).
pub fn fill(template: &str, values: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => {
                        let _ = write!(out, "{v}");
                    }
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A fixed Chinese text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key(pub u16);

/// A Chinese text with values.
pub struct Tpl<'a>(pub u16, pub &'a [(&'static str, &'a dyn Display)]);

/// The Chinese of a message, when `lang` is Chinese and the file is in.
pub trait Tr {
    type Out;
    fn get(self, lang: Lang) -> Option<Self::Out>;
}

impl Tr for Key {
    type Out = &'static str;
    #[inline(always)]
    fn get(self, lang: Lang) -> Option<&'static str> {
        text(lang, self.0)
    }
}

impl Tr for Tpl<'_> {
    type Out = String;
    #[inline(always)]
    fn get(self, lang: Lang) -> Option<String> {
        filled(lang, self.0, self.1)
    }
}

/// The English `en`, or the Chinese of `key` when it can be shown: one call
/// at each message, not the lookup copied into hundreds of them.
#[inline(never)]
pub fn pick_text(lang: Lang, en: &'static str, key: Key) -> &'static str {
    text(lang, key.0).unwrap_or(en)
}

/// The English template `en`, or the Chinese one of `zh`, filled with the values.
#[inline(never)]
pub fn pick_fill(lang: Lang, en: &str, zh: Tpl<'_>) -> String {
    fill(text(lang, zh.0).unwrap_or(en), zh.1)
}

#[inline(never)]
fn text(lang: Lang, key: u16) -> Option<&'static str> {
    match lang {
        Lang::ZhHans => line(key),
        Lang::En => None,
    }
}

#[inline(never)]
fn filled(lang: Lang, key: u16, values: &[(&'static str, &dyn Display)]) -> Option<String> {
    text(lang, key).map(|t| fill(t, values))
}

/// For code that runs only once Chinese is on screen ([`effective`]).
impl From<Key> for &'static str {
    fn from(k: Key) -> &'static str {
        line(k.0).unwrap_or("")
    }
}

impl From<Key> for String {
    fn from(k: Key) -> String {
        <&str>::from(k).to_string()
    }
}

impl From<Tpl<'_>> for String {
    fn from(t: Tpl<'_>) -> String {
        line(t.0).map(|l| fill(l, t.1)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_puts_each_value_in_its_place() {
        let n = 3;
        assert_eq!(fill("{n} 秒后", &[("n", &n)]), "3 秒后");
        assert_eq!(
            fill("取消后已付款：订单 {order} （{amount}）", &[("amount", &"$4.00"), ("order", &"T-1")]),
            "取消后已付款：订单 T-1 （$4.00）"
        );
        assert_eq!(fill("{a}{a}", &[("a", &1)]), "11");
        assert_eq!(fill("没有值", &[]), "没有值");
        assert_eq!(fill("{missing} 和 {", &[]), "{missing} 和 {");
        assert_eq!(fill("", &[("a", &1)]), "");
    }

    #[test]
    fn the_macros_find_their_text() {
        assert_eq!(Tr::get(zh!("取消"), Lang::ZhHans), Some("取消"));
        assert_eq!(Tr::get(zh!("取消"), Lang::En), None);
        let seconds = 8;
        assert_eq!(
            Tr::get(zh!("{seconds} 秒后开始新交易"; seconds), Lang::ZhHans).as_deref(),
            Some("8 秒后开始新交易")
        );
        let s = zh!("{n} 秒后"; n = 4 + 4);
        assert_eq!(Tr::get(s, Lang::ZhHans).as_deref(), Some("8 秒后"));
    }

    #[test]
    fn names_are_checked() {
        check_names("{a} 和 {b}", &["b", "a"], true);
        check_names("没有", &[], true);
        check_names("only {a}", &["a", "b"], false);
        for (text, names) in [("{a} 和 {b}", &["a"][..]), ("{a}", &["a", "b"][..]), ("{a", &["a"][..])] {
            let text = text.to_string();
            let names: Vec<&'static str> = names.to_vec();
            assert!(std::panic::catch_unwind(move || check_names(&text, &names, true)).is_err());
        }
    }

    #[test]
    fn a_file_of_another_build_is_refused() {
        assert_eq!(load("取消\n".into()), Err(WrongFile));
        assert_eq!(load(FILE.to_string()), Ok(()));
    }

    #[test]
    fn until_the_file_is_in_the_words_are_english() {
        unload_for_test();
        assert!(!loaded());
        assert_eq!(effective(Lang::ZhHans), Lang::En);
        assert_eq!(super::super::Msg::Cancel.text(Lang::ZhHans), "Cancel");
        assert_eq!(super::super::new_sale_in(Lang::ZhHans, 8), "New sale in 8 s");
        assert_eq!(super::super::headline(Lang::ZhHans, &crate::domain::status::SaleStatus::Paid, false), "Paid");
        load(FILE.to_string()).unwrap();
        assert_eq!(effective(Lang::ZhHans), Lang::ZhHans);
        assert_eq!(super::super::Msg::Cancel.text(Lang::ZhHans), "取消");
        assert_eq!(super::super::new_sale_in(Lang::ZhHans, 8), "8 秒后开始新交易");
    }

    /// The file holds exactly the `zh!` texts of the source, in order: none
    /// missing (each `zh!` would not compile), none left over.
    #[test]
    fn the_file_is_the_source_s_chinese() {
        let root = env!("CARGO_MANIFEST_DIR");
        let written = crate::i18n::extract::catalogue(std::path::Path::new(root)).expect("source readable");
        let (source, file): (Vec<&str>, Vec<&str>) = (written.lines().collect(), FILE.lines().collect());
        let missing: Vec<&&str> = source.iter().filter(|t| !file.contains(t)).collect();
        let orphaned: Vec<&&str> = file.iter().filter(|t| !source.contains(t)).collect();
        assert!(
            written == FILE,
            "public/i18n/zh-Hans.txt differs from the zh!(…) texts of src/ (missing from the file: {missing:?}; \
             in the file but in no zh!: {orphaned:?}; else their order): run `make zh-file` and commit the file"
        );
    }
}
