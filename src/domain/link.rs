//! Payment links: MixPay's pay link built with no request, the one-time
//! payment body, and the short `/code/{code}` link it returns.

use super::money::Amount;
use super::origins::{BaseKind, OriginProblem, Pinned};
use super::settings::{normalize_uuid, Settings, SettingsProblem};

/// Percent-encodes everything but RFC 3986's unreserved characters, so `&`,
/// `#`, `+`, `%`, spaces and non-Latin text all survive a query string.
pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            // Two hex digits pushed as they are: no string made per byte
            // (a QR's SVG has thousands of them).
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0x0f)]));
            }
        }
    }
    out
}

/// Everything MixPay needs to know about one sale's payment.
/// Stored inside a `Sale`, read back by `read_params`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PaymentParams {
    pub payee_id: String,
    pub trace_id: String,
    pub quote_asset_id: String,
    pub quote_amount: Amount,
    pub settlement_asset_id: String,
    pub strict: bool,
    pub remark: String,
    /// Unix seconds.
    pub expired_timestamp: i64,
    /// MixPay's `orderId`: the readable order number (empty in sales made
    /// before order numbers, which are sent without one).
    #[serde(default)]
    pub order_id: String,
}

impl PaymentParams {
    /// As the derived `Serialize` writes it (`domain::stored::Obj`).
    pub fn to_json(&self) -> String {
        super::stored::Obj::new()
            .text("payee_id", &self.payee_id)
            .text("trace_id", &self.trace_id)
            .text("quote_asset_id", &self.quote_asset_id)
            .amount("quote_amount", self.quote_amount)
            .text("settlement_asset_id", &self.settlement_asset_id)
            .flag("strict", self.strict)
            .text("remark", &self.remark)
            .num("expired_timestamp", self.expired_timestamp)
            .text("order_id", &self.order_id)
            .end()
    }
}

/// Stored `PaymentParams`, read with the derive's rules (`domain::stored`).
pub(crate) fn read_params(v: &super::json::Value) -> Result<PaymentParams, String> {
    super::stored::read(v, "params", |f| {
        Ok(PaymentParams {
            payee_id: f.text("payee_id"),
            trace_id: f.text("trace_id"),
            quote_asset_id: f.text("quote_asset_id"),
            quote_amount: f.amount("quote_amount"),
            settlement_asset_id: f.text("settlement_asset_id"),
            strict: f.flag("strict"),
            remark: f.text("remark"),
            expired_timestamp: f.int("expired_timestamp"),
            order_id: f.text_or_empty("order_id"),
        })
    })
}

/// The most characters the cashier's note field takes.
pub const REMARK_MAX_CHARS: usize = 50;
/// MixPay's limit on `remark`, "50 characters", counted the strictest way:
/// UTF-8 bytes (a Chinese character is three).
pub const REMARK_MAX_BYTES: usize = 50;

/// `text` cut to at most `max` UTF-8 bytes on a character boundary.
pub fn cut_to_bytes(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The remark sent with a payment: the shop name and the cashier's note,
/// cut to MixPay's 50 (bytes) on a character boundary, never mid-letter.
pub fn remark(shop_name: &str, note: &str) -> String {
    let (shop, note) = (shop_name.trim(), note.trim());
    let joined = match (shop.is_empty(), note.is_empty()) {
        (true, _) => note.to_string(),
        (false, true) => shop.to_string(),
        (false, false) => format!("{shop}: {note}"),
    };
    cut_to_bytes(&joined, REMARK_MAX_BYTES).to_string()
}

impl PaymentParams {
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![
            ("payeeId", self.payee_id.clone()),
            ("traceId", self.trace_id.clone()),
        ];
        if !self.order_id.is_empty() {
            pairs.push(("orderId", self.order_id.clone()));
        }
        pairs.extend([
            ("quoteAssetId", self.quote_asset_id.clone()),
            ("quoteAmount", self.quote_amount.to_string()),
            ("settlementAssetId", self.settlement_asset_id.clone()),
        ]);
        if self.strict {
            pairs.push(("strictMode", "1".into()));
        }
        if !self.remark.is_empty() {
            pairs.push(("remark", self.remark.clone()));
        }
        pairs.push(("expiredTimestamp", self.expired_timestamp.to_string()));
        pairs
    }

    /// `{pay_base}/pay?payeeId=…&traceId=…`: the seed's link, built with no request.
    pub fn pay_link(&self, pay_base: &str) -> String {
        pay_link_of(pay_base, self.pairs())
    }

    /// The pay link, to MixPay's pinned pay origin only: checked when the
    /// link is made, as the API client checks each request, so a pay-page
    /// address changed in storage never becomes the QR.
    pub fn checked_pay_link(&self, pay_base: &str, pinned: &Pinned) -> Result<String, OriginProblem> {
        Ok(self.pay_link(&pinned.check(BaseKind::Pay, pay_base)?))
    }

    /// The fields of `POST /one_time_payment` as JSON: text, but
    /// `expiredTimestamp` a number and `strictMode` a boolean. The app posts
    /// the form (`one_time_form`); the tests compare the two.
    #[cfg(test)]
    pub fn one_time_body(&self) -> serde_json::Value {
        let mut body = serde_json::Map::new();
        for (k, v) in self.pairs() {
            body.insert(k.into(), serde_json::Value::String(v));
        }
        body.insert("strictMode".into(), self.strict.into());
        body.insert("expiredTimestamp".into(), self.expired_timestamp.into());
        serde_json::Value::Object(body)
    }

    /// The same fields as a form (`application/x-www-form-urlencoded`), as
    /// the request is posted: a form needs no CORS preflight.
    pub fn one_time_form(&self) -> String {
        let mut pairs = self.pairs();
        if !self.strict {
            pairs.push(("strictMode", "0".into()));
        }
        let fields: Vec<String> = pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", url_encode(&v)))
            .collect();
        fields.join("&")
    }
}

/// `{pay_base}/pay?{k}={v}&…`, every value encoded: the one builder of the
/// sale's pay link and of the shop's open-amount link.
fn pay_link_of(pay_base: &str, pairs: Vec<(&'static str, String)>) -> String {
    let query: Vec<String> = pairs
        .into_iter()
        .map(|(k, v)| format!("{k}={}", url_encode(&v)))
        .collect();
    format!("{}/pay?{}", pay_base.trim_end_matches('/'), query.join("&"))
}

/// The shop's standing pay link, printed on the "Shop QR code" poster: the
/// seed's link with `quoteAmount` left blank, so the payer types the amount,
/// and with no traceId (nor orderId, expiry or remark), so one code serves
/// every payment. The till has nothing to look such a payment up by: it
/// never appears in History (the poster says so).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenAmountLink {
    pub payee_id: String,
    pub quote_asset_id: String,
    pub settlement_asset_id: String,
    pub strict: bool,
}

impl OpenAmountLink {
    /// From the shop's settings, or what they lack for a right code: a
    /// payee (a Mixin UUID), a quote currency and a settlement asset.
    pub fn from_settings(s: &Settings) -> Result<OpenAmountLink, Vec<SettingsProblem>> {
        let payee = normalize_uuid(&s.payee_id);
        let quote = s.quote.asset_id.trim();
        let settlement = s
            .settlement
            .as_ref()
            .map(|a| a.asset_id.trim())
            .filter(|id| !id.is_empty());
        match (payee, quote.is_empty(), settlement) {
            (Some(payee_id), false, Some(settlement)) => Ok(OpenAmountLink {
                payee_id,
                quote_asset_id: quote.to_string(),
                settlement_asset_id: settlement.to_string(),
                strict: s.strict,
            }),
            (payee, no_quote, settlement) => Err([
                payee.is_none().then_some(SettingsProblem::PayeeNotUuid),
                no_quote.then_some(SettingsProblem::NoQuote),
                settlement.is_none().then_some(SettingsProblem::NoSettlement),
            ]
            .into_iter()
            .flatten()
            .collect()),
        }
    }

    /// payeeId, quoteAssetId, settlementAssetId and strictMode (written
    /// either way, 1 or 0: a poster says plainly what it asks for).
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("payeeId", self.payee_id.clone()),
            ("quoteAssetId", self.quote_asset_id.clone()),
            ("settlementAssetId", self.settlement_asset_id.clone()),
            ("strictMode", if self.strict { "1" } else { "0" }.into()),
        ]
    }

    pub fn pay_link(&self, pay_base: &str) -> String {
        pay_link_of(pay_base, self.pairs())
    }

    /// The shop's link from its settings, to MixPay's pinned pay origin
    /// only; otherwise every reason there is no right code to print.
    pub fn for_shop(s: &Settings, pinned: &Pinned) -> Result<String, Vec<SettingsProblem>> {
        let link = OpenAmountLink::from_settings(s)?;
        pinned
            .check(BaseKind::Pay, &s.pay_base)
            .map(|base| link.pay_link(&base))
            .map_err(|e| vec![SettingsProblem::Origin(e)])
    }
}

/// `{pay_base}/code/{code}` for a one-time payment's code.
pub fn code_link(pay_base: &str, code: &str) -> String {
    format!(
        "{}/code/{}",
        pay_base.trim_end_matches('/'),
        url_encode(code)
    )
}

/// The one-time payment's link, to MixPay's pinned pay origin only.
pub fn checked_code_link(pay_base: &str, code: &str, pinned: &Pinned) -> Result<String, OriginProblem> {
    Ok(code_link(&pinned.check(BaseKind::Pay, pay_base)?, code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(remark: &str) -> PaymentParams {
        PaymentParams {
            payee_id: "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b".into(),
            trace_id: "dd9c3e04-a5d2-41ec-b909-0242ac120002".into(),
            quote_asset_id: "usd".into(),
            quote_amount: Amount::parse("12.50").unwrap(),
            settlement_asset_id: "4d8c508b-91c5-375b-92b0-ee702ed2dac5".into(),
            strict: false,
            remark: remark.into(),
            expired_timestamp: 1_800_000_000,
            order_id: String::new(),
        }
    }

    /// Decodes a query the way a server does, to check that values round-trip.
    fn decode(q: &str) -> Vec<(String, String)> {
        q.split('&')
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap();
                let mut bytes = vec![];
                let raw = v.as_bytes();
                let mut i = 0;
                while i < raw.len() {
                    if raw[i] == b'%' {
                        bytes.push(u8::from_str_radix(&v[i + 1..i + 3], 16).unwrap());
                        i += 3;
                    } else {
                        bytes.push(raw[i]);
                        i += 1;
                    }
                }
                (k.to_string(), String::from_utf8(bytes).unwrap())
            })
            .collect()
    }

    #[test]
    fn pay_link_has_every_parameter_encoded() {
        let note = "Tea & cake #4 + 10% off, 谢谢 café";
        let link = params(note).pay_link("https://mixpay.me/");
        let (base, query) = link.split_once('?').unwrap();
        assert_eq!(base, "https://mixpay.me/pay");
        assert!(!query.contains(' ') && !query.contains('#') && !query.contains('+'));
        let pairs = decode(query);
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("remark"), Some(note));
        assert_eq!(get("quoteAmount"), Some("12.5"));
        assert_eq!(get("quoteAssetId"), Some("usd"));
        assert_eq!(get("traceId"), Some("dd9c3e04-a5d2-41ec-b909-0242ac120002"));
        assert_eq!(get("expiredTimestamp"), Some("1800000000"));
        assert_eq!(get("strictMode"), None);
        assert_eq!(pairs.len(), 7);
    }

    #[test]
    fn the_order_number_goes_as_order_id_in_both_modes() {
        let mut p = params("");
        p.order_id = "T3K9QX-000127".into();
        let link = p.pay_link("https://mixpay.me");
        let pairs = decode(link.split_once('?').unwrap().1);
        assert!(pairs.contains(&("orderId".into(), "T3K9QX-000127".into())));
        assert!(pairs.contains(&("traceId".into(), p.trace_id.clone())));
        assert_eq!(p.one_time_body()["orderId"], "T3K9QX-000127");
        // A sale stored before order numbers has none and sends none.
        let old = read_params(&super::super::json::parse(
            r#"{"payee_id":"p","trace_id":"t","quote_asset_id":"usd","quote_amount":"1",
                "settlement_asset_id":"s","strict":false,"remark":"","expired_timestamp":1}"#,
        ).unwrap())
        .unwrap();
        assert_eq!(old.order_id, "");
        assert!(old.one_time_body().get("orderId").is_none());
        assert!(!old.pay_link("https://mixpay.me").contains("orderId"));
    }

    #[test]
    fn strict_mode_and_empty_remark() {
        let mut p = params("");
        p.strict = true;
        let link = p.pay_link("http://127.0.0.1:8787");
        assert!(link.starts_with("http://127.0.0.1:8787/pay?payeeId="));
        assert!(link.contains("&strictMode=1"));
        assert!(!link.contains("remark="));
        let body = p.one_time_body();
        assert_eq!(body["strictMode"], true);
        assert_eq!(body["quoteAmount"], "12.5");
        assert!(body.get("remark").is_none());
    }

    #[test]
    fn a_link_goes_only_to_the_pinned_pay_origin() {
        let mixpay = Pinned::mixpay_only();
        let p = params("");
        assert!(p.checked_pay_link("https://mixpay.me/", &mixpay).unwrap().starts_with("https://mixpay.me/pay?"));
        assert!(p.checked_pay_link("https://evil.example", &mixpay).is_err());
        assert!(p.checked_pay_link("https://mixpay.me.evil.example", &mixpay).is_err());
        assert_eq!(
            checked_code_link("https://mixpay.me", "abc", &mixpay).unwrap(),
            "https://mixpay.me/code/abc"
        );
        assert!(checked_code_link("https://evil.example", "abc", &mixpay).is_err());
        let sim = Pinned::with_extra("http://127.0.0.1:*");
        assert!(checked_code_link("http://127.0.0.1:8787", "abc", &sim).is_ok());
        assert!(checked_code_link("http://127.0.0.1:8787", "abc", &mixpay).is_err());
    }

    #[test]
    fn the_one_time_payment_is_a_form_with_the_expiry_a_number_in_json() {
        let p = params("Tea & cake 谢谢");
        assert_eq!(p.one_time_body()["expiredTimestamp"], serde_json::json!(1_800_000_000));
        assert!(p.one_time_body()["expiredTimestamp"].is_i64());
        let form = p.one_time_form();
        let pairs = decode(&form);
        let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        assert_eq!(get("remark"), Some("Tea & cake 谢谢"));
        assert_eq!(get("expiredTimestamp"), Some("1800000000"));
        assert_eq!(get("strictMode"), Some("0"));
        assert_eq!(get("quoteAmount"), Some("12.5"));
        assert_eq!(get("traceId"), Some(p.trace_id.as_str()));
        assert!(!form.contains(' ') && !form.contains('+'));
        let mut strict = p.clone();
        strict.strict = true;
        assert_eq!(decode(&strict.one_time_form()).iter().filter(|(k, _)| k == "strictMode").count(), 1);
    }

    fn shop(payee: &str, quote: &str, settlement: Option<&str>, strict: bool) -> Settings {
        use crate::domain::settings::{QuoteAsset, SettlementAsset};
        Settings {
            payee_id: payee.into(),
            quote: QuoteAsset { asset_id: quote.into(), symbol: quote.to_uppercase(), ..QuoteAsset::usd() },
            settlement: settlement.map(|id| SettlementAsset {
                asset_id: id.into(),
                symbol: "USDT".into(),
                name: String::new(),
                icon_url: String::new(),
            }),
            strict,
            shop_name: "Tea & Cake #4".into(),
            pay_base: "https://mixpay.me/".into(),
            ..Settings::default()
        }
    }

    const USDT: &str = "4d8c508b-91c5-375b-92b0-ee702ed2dac5";
    const BTC: &str = "c6d0c728-2624-429b-8e0d-d9d19b6592fa";

    #[test]
    fn the_shop_link_has_no_amount_and_no_trace_id_and_exactly_the_shops_parameters() {
        let mixpay = Pinned::mixpay_only();
        // The payee as typed (capitals, spaces) is sent in canonical form.
        let s = shop(" 3F2A9C1E-5B7D-4E8F-9A6B-1C2D3E4F5A6B ", "usd", Some(USDT), true);
        let link = OpenAmountLink::for_shop(&s, &mixpay).unwrap();
        let (base, query) = link.split_once('?').unwrap();
        assert_eq!(base, "https://mixpay.me/pay");
        assert_eq!(
            decode(query),
            [
                ("payeeId", "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b"),
                ("quoteAssetId", "usd"),
                ("settlementAssetId", USDT),
                ("strictMode", "1"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
        );
        for absent in ["quoteAmount", "amount", "traceId", "orderId", "remark", "expiredTimestamp"] {
            assert!(!query.contains(&format!("{absent}=")), "{absent} in {link}");
        }
        // Other settings, other link: strict mode off is said, not left out.
        let s = shop("b7e3a1d2-4c5f-4a6b-8d9e-0f1a2b3c4d5e", BTC, Some(USDT), false);
        assert_eq!(
            OpenAmountLink::for_shop(&s, &mixpay).unwrap(),
            format!("https://mixpay.me/pay?payeeId=b7e3a1d2-4c5f-4a6b-8d9e-0f1a2b3c4d5e&quoteAssetId={BTC}&settlementAssetId={USDT}&strictMode=0")
        );
        assert_eq!(
            OpenAmountLink::from_settings(&s).unwrap(),
            OpenAmountLink {
                payee_id: "b7e3a1d2-4c5f-4a6b-8d9e-0f1a2b3c4d5e".into(),
                quote_asset_id: BTC.into(),
                settlement_asset_id: USDT.into(),
                strict: false,
            }
        );
    }

    #[test]
    fn no_shop_link_from_settings_that_are_not_ready_or_point_away_from_mixpay() {
        let mixpay = Pinned::mixpay_only();
        assert_eq!(
            OpenAmountLink::for_shop(&Settings::default(), &mixpay),
            Err(vec![SettingsProblem::PayeeNotUuid, SettingsProblem::NoSettlement])
        );
        // A Mixin ID number not looked up yet is not a payee.
        assert_eq!(
            OpenAmountLink::for_shop(&shop("40053095", "usd", Some(USDT), false), &mixpay),
            Err(vec![SettingsProblem::PayeeNotUuid])
        );
        assert_eq!(
            OpenAmountLink::for_shop(&shop("3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b", " ", Some(" "), false), &mixpay),
            Err(vec![SettingsProblem::NoQuote, SettingsProblem::NoSettlement])
        );
        let mut away = shop("3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b", "usd", Some(USDT), false);
        away.pay_base = "https://mixpay.me.evil.example".into();
        assert!(matches!(
            OpenAmountLink::for_shop(&away, &mixpay).unwrap_err().as_slice(),
            [SettingsProblem::Origin(_)]
        ));
        away.pay_base = "http://127.0.0.1:8787".into();
        let sim = Pinned::with_extra("http://127.0.0.1:*");
        assert!(OpenAmountLink::for_shop(&away, &sim).unwrap().starts_with("http://127.0.0.1:8787/pay?payeeId="));
    }

    #[test]
    fn encoding_of_reserved_and_multibyte() {
        assert_eq!(url_encode("a b&c=d#e+f%g"), "a%20b%26c%3Dd%23e%2Bf%25g");
        assert_eq!(url_encode("é"), "%C3%A9");
        assert_eq!(url_encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(
            code_link("https://mixpay.me", "525502dd-e552"),
            "https://mixpay.me/code/525502dd-e552"
        );
    }

    #[test]
    fn remark_joins_shop_and_note_within_fifty_bytes() {
        assert_eq!(remark("Demo Coffee", ""), "Demo Coffee");
        assert_eq!(remark("", " Table 4 "), "Table 4");
        assert_eq!(remark("Demo Coffee", "Table 4"), "Demo Coffee: Table 4");
        // "咖啡店: " is 11 bytes; 13 more three-byte characters make 50.
        let long = remark("咖啡店", &"茶".repeat(60));
        assert_eq!(long, format!("咖啡店: {}", "茶".repeat(13)));
        assert_eq!(long.len(), 50);
        // Never mid-character: 51 bytes of room-filling text cut to 48.
        let odd = remark("", &format!("ab{}", "茶".repeat(20)));
        assert_eq!(odd, format!("ab{}", "茶".repeat(16)));
        assert_eq!(odd.len(), 50);
        let odd = remark("", &format!("a{}", "茶".repeat(20)));
        assert_eq!(odd.len(), 49, "the 17th character would end at byte 52");
        assert_eq!(remark("", &"x".repeat(60)).len(), 50);
        assert_eq!(cut_to_bytes("茶", 2), "");
        assert_eq!(cut_to_bytes("ab", 50), "ab");
    }
}
