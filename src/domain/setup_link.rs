//! "Set up another tablet": one tablet's shop settings and product
//! catalogue in a link's fragment (`#setup=…`), so a second tablet is set up
//! by one scan. The fragment never reaches a server (browsers do not send
//! it). What it carries, how it is framed and the rules that refuse a link
//! are here; the browser's side (deflate, PBKDF2 and HMAC by Web Crypto)
//! is `state::setup_link`.
//!
//! The fragment is base64url (no padding) of:
//! `version (1 byte) · salt (16) · check (32) · mac (32) · body`
//! where `body` is the payload's JSON compressed with raw deflate, and,
//! with `key = PBKDF2-SHA-256(owner PIN, salt, ITERATIONS, 256 bits)`:
//! - `check = HMAC-SHA-256(key, CHECK_MESSAGE)`: tells a wrong PIN;
//! - `mac = HMAC-SHA-256(key, signed_bytes(salt, body))`: a link edited
//!   after it was made (any byte of salt or body) is refused.
//!
//! The payload is `{"setup":1,"settings":…,"catalogue":…}`: the settings
//! and the catalogue as they are stored on the device (`Settings` and
//! `Catalogue` hold no sales, no PIN and no device id; the field that says a
//! PIN guards the settings is added by the store, not by `to_stored`).
//!
//! Anyone holding a link can guess the PIN offline against `check`, at the
//! cost of PBKDF2's rounds per guess (as against a copied PIN store): the
//! README's Security section gives the figures.

use super::catalogue::Catalogue;
use super::json::{self, Value};
use super::settings::{self, Settings};

/// The link's format; a newer one is refused by name ("made by a newer version").
pub const VERSION: u8 = 1;
/// The fragment's start, with its `#`.
pub const FRAGMENT: &str = "#setup=";
pub const SALT_BYTES: usize = 16;
pub const TAG_BYTES: usize = 32;
const HEADER_BYTES: usize = 1 + SALT_BYTES + 2 * TAG_BYTES;
/// PBKDF2 rounds of the signing key: the PIN store's (`domain::pin`).
pub const ITERATIONS: u32 = super::pin::PBKDF2_ITERATIONS;
/// What `check` is the HMAC of.
pub const CHECK_MESSAGE: &[u8] = b"mixpay-pos setup link: owner PIN check";
/// Domain separation of what `mac` covers.
const MAC_CONTEXT: &[u8] = b"mixpay-pos setup link\0";
/// The most a QR code holds in byte mode with error correction M (version
/// 40, 177×177 modules), the level `domain::qr` gives a long link.
pub const MAX_QR_LINK_CHARS: usize = 2331;
/// The longest fragment read at all: every link made fits a QR code, and
/// a longer one could inflate to a lot of memory before any PIN is asked.
pub const MAX_FRAGMENT_CHARS: usize = MAX_QR_LINK_CHARS;
/// The longest payload accepted once inflated.
pub const MAX_PAYLOAD_BYTES: usize = 2_000_000;

/// Why a link cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetupProblem {
    /// Not base64url, too short, or its body does not inflate or read:
    /// edited or cut short.
    Damaged,
    /// Made by a newer version of the app.
    NewerVersion(u8),
    /// The owner PIN typed is not the one the link was signed with.
    WrongPin,
    /// The PIN is right but the link was changed after it was made.
    Edited,
}

/// The settings and catalogue a link carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupPayload {
    pub settings: Settings,
    /// `None`: a link made without the products (a catalogue too large for a
    /// QR code travels by file).
    pub catalogue: Option<Catalogue>,
}

impl SetupPayload {
    pub fn to_json(&self) -> String {
        let catalogue = self.catalogue.as_ref().map_or_else(|| "null".into(), Catalogue::to_stored);
        format!(
            r#"{{"setup":{VERSION},"settings":{},"catalogue":{catalogue}}}"#,
            settings::to_stored(&self.settings)
        )
    }

    /// The payload's JSON with the stored forms' own rules (versions,
    /// validation); anything else is `Damaged`.
    pub fn parse(text: &str) -> Result<SetupPayload, SetupProblem> {
        let value = json::parse(text).map_err(|_| SetupProblem::Damaged)?;
        if value.get("setup").and_then(Value::as_u64) != Some(u64::from(VERSION)) {
            return Err(SetupProblem::Damaged);
        }
        let part = |key| value.get(key).map(Value::to_json);
        let settings = part("settings")
            .and_then(|s| settings::parse_stored(&s).ok())
            .ok_or(SetupProblem::Damaged)?;
        let catalogue = match value.get("catalogue") {
            None | Some(Value::Null) => None,
            Some(c) => Some(Catalogue::parse_stored(&c.to_json()).map_err(|_| SetupProblem::Damaged)?),
        };
        Ok(SetupPayload { settings, catalogue })
    }
}

/// A link's fragment, decoded, not yet verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedLink {
    pub salt: [u8; SALT_BYTES],
    pub check: [u8; TAG_BYTES],
    pub mac: [u8; TAG_BYTES],
    /// The payload's JSON, deflated.
    pub body: Vec<u8>,
}

/// What `mac` is the HMAC of: the format, the salt and the body.
pub fn signed_bytes(salt: &[u8], body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(MAC_CONTEXT.len() + 1 + salt.len() + body.len());
    out.extend_from_slice(MAC_CONTEXT);
    out.push(VERSION);
    out.extend_from_slice(salt);
    out.extend_from_slice(body);
    out
}

impl SignedLink {
    /// The text after `#setup=`.
    pub fn encode(&self) -> String {
        let mut bytes = Vec::with_capacity(HEADER_BYTES + self.body.len());
        bytes.push(VERSION);
        bytes.extend_from_slice(&self.salt);
        bytes.extend_from_slice(&self.check);
        bytes.extend_from_slice(&self.mac);
        bytes.extend_from_slice(&self.body);
        base64url(&bytes)
    }

    /// The text after `#setup=`, as found in the address.
    pub fn decode(text: &str) -> Result<SignedLink, SetupProblem> {
        if text.len() > MAX_FRAGMENT_CHARS {
            return Err(SetupProblem::Damaged);
        }
        let bytes = from_base64url(text).ok_or(SetupProblem::Damaged)?;
        if bytes.len() <= HEADER_BYTES {
            return Err(SetupProblem::Damaged);
        }
        if bytes[0] != VERSION {
            return Err(if bytes[0] > VERSION { SetupProblem::NewerVersion(bytes[0]) } else { SetupProblem::Damaged });
        }
        let take = |from: usize, n: usize| bytes[from..from + n].to_vec();
        Ok(SignedLink {
            salt: take(1, SALT_BYTES).try_into().expect("length checked"),
            check: take(1 + SALT_BYTES, TAG_BYTES).try_into().expect("length checked"),
            mac: take(1 + SALT_BYTES + TAG_BYTES, TAG_BYTES).try_into().expect("length checked"),
            body: bytes[HEADER_BYTES..].to_vec(),
        })
    }

    pub fn signed_bytes(&self) -> Vec<u8> {
        signed_bytes(&self.salt, &self.body)
    }

    /// Refuses the link unless both tags, recomputed with the PIN typed,
    /// are the link's: the check first (a wrong PIN), then the MAC (an edit).
    pub fn verify(&self, check: &[u8], mac: &[u8]) -> Result<(), SetupProblem> {
        if !same(&self.check, check) {
            return Err(SetupProblem::WrongPin);
        }
        if !same(&self.mac, mac) {
            return Err(SetupProblem::Edited);
        }
        Ok(())
    }
}

/// Equal bytes, in time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// The link: the app's address (without any fragment) and the fragment.
pub fn link(app_url: &str, signed: &SignedLink) -> String {
    let base = app_url.split('#').next().unwrap_or_default();
    format!("{base}{FRAGMENT}{}", signed.encode())
}

/// The text after `#setup=` in an address's fragment (`location.hash`).
pub fn fragment_of(hash: &str) -> Option<&str> {
    hash.strip_prefix(FRAGMENT)
}

/// Whether a QR code holds this link.
pub fn fits_qr(link: &str) -> bool {
    link.len() <= MAX_QR_LINK_CHARS
}

const B64: &[u8; 64] = super::base64::URL_SAFE;

/// base64url without padding (RFC 4648 §5).
pub fn base64url(bytes: &[u8]) -> String {
    super::base64::encode(bytes, B64, false)
}

/// The bytes of base64url without padding; `None` for anything else
/// (another alphabet, padding, a length no encoding has, stray bits).
pub fn from_base64url(text: &str) -> Option<Vec<u8>> {
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.as_bytes().chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            let v = B64.iter().position(|b| b == c)? as u32;
            n |= v << (18 - 6 * i);
        }
        let bytes = chunk.len() - 1;
        // The bits past the last whole byte must be zero (one text per bytes).
        if n & ((1 << (24 - 8 * bytes)) - 1) != 0 {
            return None;
        }
        out.extend((0..bytes).map(|i| (n >> (16 - 8 * i)) as u8));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::ProductDraft;
    use crate::domain::settings::{QuoteAsset, SettlementAsset};
    use hmac::{Hmac, Mac};
    use sha2::Sha256;

    fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
        let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
        m.update(data);
        m.finalize().into_bytes().into()
    }

    fn shop() -> Settings {
        Settings {
            payee_id: "3f2a9c1e-0000-4000-8000-5a6b7c8d9e0f".into(),
            shop_name: "Demo Coffee".into(),
            settlement: Some(SettlementAsset {
                asset_id: "4d8c508b-91c5-375b-92b0-ee702ed2dac5".into(),
                symbol: "USDT".into(),
                name: "Tether USD".into(),
                icon_url: String::new(),
            }),
            quote: QuoteAsset::usd(),
            ..Settings::default()
        }
    }

    fn catalogue(n: usize) -> Catalogue {
        let quote = QuoteAsset::usd();
        let mut c = Catalogue::new(&quote.asset_id);
        for i in 0..n {
            let draft = ProductDraft {
                name: format!("Product {i}"),
                price: format!("{}.50", i % 20 + 1),
                category: "Drinks".into(),
                badge: String::new(),
            };
            c.add(draft.validate(&quote).unwrap()).unwrap();
        }
        c
    }

    /// A link signed as the browser signs it, with `key` for PBKDF2's output.
    fn signed(key: &[u8], body: Vec<u8>) -> SignedLink {
        let salt = [7u8; SALT_BYTES];
        SignedLink { salt, check: hmac(key, CHECK_MESSAGE), mac: hmac(key, &signed_bytes(&salt, &body)), body }
    }

    fn verify_with(key: &[u8], text: &str) -> Result<(), SetupProblem> {
        let link = SignedLink::decode(text)?;
        link.verify(&hmac(key, CHECK_MESSAGE), &hmac(key, &link.signed_bytes()))
    }

    #[test]
    fn base64url_round_trips_every_length_and_refuses_other_texts() {
        for n in 0..70 {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            let text = base64url(&bytes);
            assert!(!text.contains(['+', '/', '=']));
            assert_eq!(from_base64url(&text), Some(bytes), "{n} bytes");
        }
        assert_eq!(base64url(b"\xfb\xff"), "-_8");
        assert_eq!(from_base64url("-_8"), Some(vec![0xfb, 0xff]));
        for bad in ["A", "AB==", "a+b/", "-_9", "ab c"] {
            assert_eq!(from_base64url(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_payload_round_trips_with_and_without_products() {
        for catalogue in [Some(catalogue(3)), None] {
            let p = SetupPayload { settings: shop(), catalogue };
            assert_eq!(SetupPayload::parse(&p.to_json()), Ok(p));
        }
    }

    #[test]
    fn the_payload_holds_no_pin_device_id_or_sales() {
        let json = SetupPayload { settings: shop(), catalogue: Some(catalogue(2)) }.to_json();
        let value = json::parse(&json).unwrap();
        let mut keys = vec![];
        fn walk(v: &Value, keys: &mut Vec<String>) {
            if let Some(obj) = v.as_object() {
                for (k, v) in obj {
                    keys.push(k.clone());
                    walk(v, keys);
                }
            } else if let Some(list) = v.as_array() {
                list.iter().for_each(|v| walk(v, keys));
            }
        }
        walk(&value, &mut keys);
        for k in &keys {
            let k = k.to_ascii_lowercase();
            for word in ["pin", "device", "sale", "recovery", "hash", "trace", "order"] {
                assert!(!k.contains(word), "key {k} in {json}");
            }
        }
        assert!(keys.contains(&"payee_id".to_string()) && keys.contains(&"products".to_string()));
    }

    #[test]
    fn a_payload_that_is_not_ours_is_damaged() {
        let good = SetupPayload { settings: shop(), catalogue: None }.to_json();
        for bad in [
            "",
            "[]",
            &good.replace(r#""setup":1"#, r#""setup":2"#),
            &good.replace("3f2a9c1e-0000-4000-8000-5a6b7c8d9e0f", "not a uuid"),
            r#"{"setup":1,"catalogue":null}"#,
        ] {
            assert_eq!(SetupPayload::parse(bad), Err(SetupProblem::Damaged), "{bad}");
        }
    }

    #[test]
    fn a_signed_link_round_trips_and_verifies() {
        let key = b"the key PBKDF2 gave";
        let s = signed(key, b"deflated payload".to_vec());
        let l = link("https://shop.example/pos/?a=1#old", &s);
        assert!(l.starts_with("https://shop.example/pos/?a=1#setup="));
        let text = fragment_of(&l[l.find('#').unwrap()..]).unwrap();
        assert_eq!(SignedLink::decode(text), Ok(s));
        assert_eq!(verify_with(key, text), Ok(()));
        assert_eq!(fragment_of("#other"), None);
    }

    #[test]
    fn a_wrong_pin_is_told_apart_from_an_edit() {
        let key = b"right";
        let text = signed(key, b"body".to_vec()).encode();
        assert_eq!(verify_with(b"wrong", &text), Err(SetupProblem::WrongPin));
        let mut bytes = from_base64url(&text).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        assert_eq!(verify_with(key, &base64url(&bytes)), Err(SetupProblem::Edited));
    }

    /// Every byte of the link, and every character of its text, changed in
    /// turn: never accepted with the right PIN.
    #[test]
    fn a_change_anywhere_is_refused() {
        let key = b"right";
        let text = signed(key, (0..40).collect()).encode();
        let bytes = from_base64url(&text).unwrap();
        for i in 0..bytes.len() {
            for flip in [1u8, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[i] ^= flip;
                assert!(verify_with(key, &base64url(&b)).is_err(), "byte {i} ^ {flip}");
            }
        }
        for (i, c) in text.char_indices() {
            for other in ['A', 'z', '0', '-', '_'] {
                if other != c {
                    let mut t = text.clone();
                    t.replace_range(i..i + 1, &other.to_string());
                    assert!(verify_with(key, &t).is_err(), "char {i} {c}->{other}");
                }
            }
        }
        // Cut short, or grown.
        assert!(verify_with(key, &text[..text.len() - 4]).is_err());
        assert!(verify_with(key, &format!("{text}AAAA")).is_err());
    }

    #[test]
    fn short_damaged_or_newer_links_are_refused_before_any_pin() {
        assert_eq!(SignedLink::decode(""), Err(SetupProblem::Damaged));
        assert_eq!(SignedLink::decode("not base64!"), Err(SetupProblem::Damaged));
        assert_eq!(SignedLink::decode(&base64url(&[VERSION; HEADER_BYTES])), Err(SetupProblem::Damaged));
        let mut newer = vec![VERSION + 1];
        newer.extend([0u8; HEADER_BYTES + 4]);
        assert_eq!(SignedLink::decode(&base64url(&newer)), Err(SetupProblem::NewerVersion(VERSION + 1)));
        assert_eq!(SignedLink::decode(&"A".repeat(MAX_FRAGMENT_CHARS + 4)), Err(SetupProblem::Damaged));
    }

    /// The QR limit is what `domain::qr` can draw: a link of that length
    /// draws, one character more does not.
    #[test]
    fn the_qr_limit_is_what_a_qr_code_holds() {
        // Lower-case: byte mode throughout, as a link's mixed case mostly is.
        let base = "https://shop.example/";
        let at = |n: usize| format!("{base}{FRAGMENT}{}", "a".repeat(n - base.len() - FRAGMENT.len()));
        let longest = at(MAX_QR_LINK_CHARS);
        assert!(fits_qr(&longest) && super::super::qr::qr_svg(&longest).is_ok());
        let over = at(MAX_QR_LINK_CHARS + 1);
        assert!(!fits_qr(&over) && super::super::qr::qr_svg(&over).is_err());
    }

    /// A shop's settings with a few dozen products fit; hundreds do not
    /// (measured on the JSON alone: deflate shrinks it about 4 to 6 times).
    #[test]
    fn the_payload_is_small_enough_for_a_qr_with_a_small_catalogue() {
        let settings_only = SetupPayload { settings: shop(), catalogue: None }.to_json();
        assert!(settings_only.len() < 800, "{}", settings_only.len());
        let header = base64url(&[0u8; HEADER_BYTES]).len();
        assert!(header + 60 < MAX_QR_LINK_CHARS);
    }
}
