//! Payment links: MixPay's pay link built with no request, the one-time
//! payment body, and the short `/code/{code}` link it returns.

use super::money::Amount;
use super::origins::{BaseKind, OriginProblem, Pinned};

/// Percent-encodes everything but RFC 3986's unreserved characters, so `&`,
/// `#`, `+`, `%`, spaces and non-Latin text all survive a query string.
pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Everything MixPay needs to know about one sale's payment.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// MixPay's limit on `remark`.
pub const REMARK_MAX_CHARS: usize = 50;

/// The remark sent with a payment: the shop name and the cashier's note,
/// cut to MixPay's 50 characters on a character boundary, never mid-letter.
pub fn remark(shop_name: &str, note: &str) -> String {
    let (shop, note) = (shop_name.trim(), note.trim());
    let joined = match (shop.is_empty(), note.is_empty()) {
        (true, _) => note.to_string(),
        (false, true) => shop.to_string(),
        (false, false) => format!("{shop}: {note}"),
    };
    joined.chars().take(REMARK_MAX_CHARS).collect()
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
        let query: Vec<String> = self
            .pairs()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", url_encode(&v)))
            .collect();
        format!("{}/pay?{}", pay_base.trim_end_matches('/'), query.join("&"))
    }

    /// The pay link, to MixPay's pinned pay origin only: checked when the
    /// link is made, as the API client checks each request, so a pay-page
    /// address changed in storage never becomes the QR.
    pub fn checked_pay_link(&self, pay_base: &str, pinned: &Pinned) -> Result<String, OriginProblem> {
        Ok(self.pay_link(&pinned.check(BaseKind::Pay, pay_base)?))
    }

    /// The JSON body of `POST /one_time_payment`.
    pub fn one_time_body(&self) -> serde_json::Value {
        let mut body = serde_json::Map::new();
        for (k, v) in self.pairs() {
            body.insert(k.into(), serde_json::Value::String(v));
        }
        body.insert("strictMode".into(), serde_json::Value::Bool(self.strict));
        serde_json::Value::Object(body)
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
        let old: PaymentParams = serde_json::from_str(
            r#"{"payee_id":"p","trace_id":"t","quote_asset_id":"usd","quote_amount":"1",
                "settlement_asset_id":"s","strict":false,"remark":"","expired_timestamp":1}"#,
        )
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
    fn remark_joins_shop_and_note_within_fifty_chars() {
        assert_eq!(remark("Demo Coffee", ""), "Demo Coffee");
        assert_eq!(remark("", " Table 4 "), "Table 4");
        assert_eq!(remark("Demo Coffee", "Table 4"), "Demo Coffee: Table 4");
        let long = remark("咖啡店", &"茶".repeat(60));
        assert_eq!(long.chars().count(), 50);
        assert!(long.starts_with("咖啡店: "));
    }
}
