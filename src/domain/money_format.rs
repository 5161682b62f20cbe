//! One way of writing money on every screen: the currency's places, grouping
//! separators, and the currency's sign in front where it has a well-known one
//! ("$12.50", "¥1,200") or its code behind where it does not ("0.00012000 BTC"
//! as a BTC quote with MixPay's 8 places; a paid amount, whose places are not
//! known, keeps what MixPay wrote: "0.00012 BTC", see `paying_money`).
//! Pure text from exact amounts; the views only choose the tone of each part.

use super::money::Amount;

/// The sign written in front of a fiat currency's amounts. Only signs a
/// customer reads without doubt: dollars other than the US dollar keep a
/// country mark ("CA$"), and a currency missing here is written by its code.
pub fn currency_sign(code: &str) -> Option<&'static str> {
    let sign = match code.to_ascii_uppercase().as_str() {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" | "CNY" => "¥",
        "KRW" => "₩",
        "INR" => "₹",
        "RUB" => "₽",
        "TRY" => "₺",
        "PHP" => "₱",
        "VND" => "₫",
        "NGN" => "₦",
        "UAH" => "₴",
        "ILS" => "₪",
        "THB" => "฿",
        "CAD" => "CA$",
        "AUD" => "A$",
        "HKD" => "HK$",
        "TWD" => "NT$",
        "SGD" => "S$",
        "NZD" => "NZ$",
        "MXN" => "MX$",
        "BRL" => "R$",
        _ => return None,
    };
    Some(sign)
}

/// How one currency's amounts are written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoneyStyle {
    /// The code or symbol as MixPay names the asset ("USD", "BTC").
    pub code: String,
    /// The currency's places: every amount shows exactly these (or more, when
    /// an amount really has more, which is never rounded away).
    pub decimals: u32,
}

/// An amount split in the parts a view may give different tones: the typed
/// digits, and the places still to come while the cashier types ("12.5" shows
/// `$12.5` with a lighter `0`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MoneyParts {
    /// The sign in front ("$"), or empty.
    pub prefix: String,
    /// The digits so far, grouped ("1,234.5").
    pub digits: String,
    /// The places not typed yet ("0", or ".00" after "12"); empty for a whole amount.
    pub pending: String,
    /// The code behind (" BTC"), or empty.
    pub suffix: String,
}

impl MoneyParts {
    /// The parts as one string, as a screen reader and a button name read it.
    pub fn text(&self) -> String {
        let mut s = String::with_capacity(
            self.prefix.len() + self.digits.len() + self.pending.len() + self.suffix.len(),
        );
        s.push_str(&self.prefix);
        s.push_str(&self.digits);
        s.push_str(&self.pending);
        s.push_str(&self.suffix);
        s
    }
}

impl MoneyStyle {
    pub fn new(code: &str, decimals: u32) -> Self {
        MoneyStyle {
            code: code.to_string(),
            decimals,
        }
    }

    fn wrap(&self, digits: String, pending: String) -> MoneyParts {
        match currency_sign(&self.code) {
            Some(sign) => MoneyParts {
                prefix: sign.to_string(),
                digits,
                pending,
                suffix: String::new(),
            },
            None => MoneyParts {
                prefix: String::new(),
                digits,
                pending,
                suffix: if self.code.is_empty() {
                    String::new()
                } else {
                    format!(" {}", self.code)
                },
            },
        }
    }

    /// A whole amount: "$12.50", "¥1,200", "0.00012000 BTC" (8 places).
    pub fn format(&self, amount: &Amount) -> String {
        self.parts(amount).text()
    }

    /// A whole amount's parts (nothing pending).
    pub fn parts(&self, amount: &Amount) -> MoneyParts {
        self.wrap(group(&amount.format_fixed(self.decimals)), String::new())
    }

    /// The keypad's text while it is typed: the typed digits grouped, and the
    /// places the currency still expects as `pending`. Nothing typed reads as
    /// zero, all of it pending ("$0.00").
    pub fn typed(&self, text: &str) -> MoneyParts {
        let places = self.decimals as usize;
        if text.is_empty() {
            let zero = Amount::ZERO.format_fixed(self.decimals);
            return self.wrap(String::new(), zero);
        }
        let (int, frac) = match text.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (text, None),
        };
        let int = if int.is_empty() { "0" } else { int };
        let mut digits = group(int);
        let pending = match frac {
            Some(f) => {
                digits.push('.');
                digits.push_str(f);
                "0".repeat(places.saturating_sub(f.len()))
            }
            None if places > 0 => format!(".{}", "0".repeat(places)),
            None => String::new(),
        };
        self.wrap(digits, pending)
    }
}

/// An amount of the paying asset in the money format: its places are not
/// known here, so at least two and never fewer than MixPay wrote ("4.50 USDT",
/// "0.00012 BTC"). Text that is no amount is shown as it came.
pub fn paying_money(amount: &str, symbol: &str) -> String {
    match Amount::parse(amount.trim()) {
        Ok(a) => MoneyStyle::new(symbol.trim(), 2).format(&a),
        Err(_) => format!("{} {}", amount.trim(), symbol.trim()).trim().to_string(),
    }
}

/// Groups the integer part of a plain decimal by thousands: "1234.5" → "1,234.5".
fn group(plain: &str) -> String {
    let (int, rest) = match plain.find('.') {
        Some(p) => plain.split_at(p),
        None => (plain, ""),
    };
    let mut out = String::with_capacity(plain.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Amount {
        Amount::parse(s).unwrap()
    }

    #[test]
    fn fiat_with_a_sign_is_written_in_front_with_its_places() {
        assert_eq!(MoneyStyle::new("USD", 2).format(&a("12.5")), "$12.50");
        assert_eq!(MoneyStyle::new("usd", 2).format(&a("30")), "$30.00");
        assert_eq!(MoneyStyle::new("JPY", 0).format(&a("1200")), "¥1,200");
        assert_eq!(MoneyStyle::new("EUR", 2).format(&a("0.3")), "€0.30");
        assert_eq!(MoneyStyle::new("CAD", 2).format(&a("5")), "CA$5.00");
    }

    #[test]
    fn a_currency_without_a_sign_is_written_by_its_code_behind() {
        assert_eq!(MoneyStyle::new("BTC", 8).format(&a("0.00012")), "0.00012000 BTC");
        assert_eq!(MoneyStyle::new("USDT", 2).format(&a("4.5")), "4.50 USDT");
        assert_eq!(MoneyStyle::new("XOF", 0).format(&a("2500")), "2,500 XOF");
        assert_eq!(MoneyStyle::new("", 2).format(&a("1")), "1.00");
    }

    #[test]
    fn a_paid_amount_keeps_mixpays_places_and_has_at_least_two() {
        assert_eq!(paying_money("0.00012", "BTC"), "0.00012 BTC");
        assert_eq!(paying_money("14.2", "USDT"), "14.20 USDT");
        assert_eq!(paying_money(" 1234.5 ", " USDT "), "1,234.50 USDT");
        assert_eq!(paying_money("", ""), "", "nothing known, nothing shown");
        assert_eq!(paying_money("n/a", "USDT"), "n/a USDT", "not an amount: as it came");
    }

    #[test]
    fn grouping_by_thousands_never_touches_the_places() {
        assert_eq!(MoneyStyle::new("USD", 2).format(&a("1234567.891")), "$1,234,567.891");
        assert_eq!(MoneyStyle::new("USD", 2).format(&a("999")), "$999.00");
        assert_eq!(MoneyStyle::new("USD", 2).format(&a("1000")), "$1,000.00");
        assert_eq!(MoneyStyle::new("USD", 2).format(&a("100000")), "$100,000.00");
        assert_eq!(MoneyStyle::new("BTC", 8).format(&a("0.00000001")), "0.00000001 BTC");
    }

    #[test]
    fn more_places_than_the_currency_has_are_kept_not_rounded_away() {
        // A tip rounded elsewhere never gets here with more places, but a wrong
        // amount must show as it is rather than look right.
        assert_eq!(MoneyStyle::new("USD", 2).format(&a("0.305")), "$0.305");
    }

    #[test]
    fn typed_text_shows_the_places_still_to_come_apart() {
        let usd = MoneyStyle::new("USD", 2);
        let p = usd.typed("12.5");
        assert_eq!((p.prefix.as_str(), p.digits.as_str(), p.pending.as_str()), ("$", "12.5", "0"));
        assert_eq!(p.text(), "$12.50");
        let p = usd.typed("12");
        assert_eq!((p.digits.as_str(), p.pending.as_str()), ("12", ".00"));
        let p = usd.typed("12.");
        assert_eq!((p.digits.as_str(), p.pending.as_str()), ("12.", "00"));
        let p = usd.typed("1234.56");
        assert_eq!((p.digits.as_str(), p.pending.as_str()), ("1,234.56", ""));
        let p = usd.typed(".5");
        assert_eq!(p.text(), "$0.50");
        let p = usd.typed("");
        assert_eq!((p.digits.as_str(), p.pending.as_str()), ("", "0.00"));
        assert_eq!(p.text(), "$0.00");
    }

    #[test]
    fn typed_text_in_a_currency_without_places_or_sign() {
        let jpy = MoneyStyle::new("JPY", 0);
        assert_eq!(jpy.typed("1200").text(), "¥1,200");
        assert_eq!(jpy.typed("1200").pending, "");
        assert_eq!(jpy.typed("").text(), "¥0");
        let btc = MoneyStyle::new("BTC", 8);
        let p = btc.typed("0.0001");
        assert_eq!((p.digits.as_str(), p.pending.as_str(), p.suffix.as_str()), ("0.0001", "0000", " BTC"));
    }

    #[test]
    fn typed_and_whole_agree_once_every_place_is_typed() {
        let usd = MoneyStyle::new("USD", 2);
        for text in ["0.01", "12.50", "1000.00", "999999.99"] {
            assert_eq!(usd.typed(text).text(), usd.format(&a(text)), "{text}");
        }
    }
}
