//! Exact decimal amounts. MixPay sends money as decimal strings; a float would
//! turn "0.1" into 0.1000000000000000055 and could make a wrong amount look right.

use std::cmp::Ordering;
use std::fmt;

/// The most significant digits an amount may have. Keeps `units` far from
/// overflow and is more than any real price needs.
const MAX_DIGITS: usize = 30;

/// A non-negative exact decimal: `units × 10^-scale`.
///
/// Equality and ordering are by value, so `10` equals `10.00`.
#[derive(Clone, Copy, Debug)]
pub struct Amount {
    units: u128,
    scale: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AmountError {
    Empty,
    NotANumber,
    Negative,
    TooManyDecimals { max: u32 },
    TooLong,
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::i18n::amount_error(crate::i18n::current(), self))
    }
}

impl std::error::Error for AmountError {}

impl Amount {
    pub const ZERO: Amount = Amount { units: 0, scale: 0 };

    /// Parses a plain decimal string such as `"12"`, `"12.50"` or `"0.00001"`.
    /// Surrounding white space is ignored; signs, exponents, grouping
    /// separators and a lone `"."` are refused.
    pub fn parse(text: &str) -> Result<Amount, AmountError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(AmountError::Empty);
        }
        if text.starts_with('-') {
            return Err(AmountError::Negative);
        }
        let (int_part, frac_part) = match text.split_once('.') {
            Some((i, f)) => (i, f),
            None => (text, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (int_part.is_empty() && frac_part.is_empty())
            || !all_digits(int_part)
            || !all_digits(frac_part)
        {
            return Err(AmountError::NotANumber);
        }
        let int_part = int_part.trim_start_matches('0');
        if int_part.len() + frac_part.len() > MAX_DIGITS {
            return Err(AmountError::TooLong);
        }
        let mut units: u128 = 0;
        for b in int_part.bytes().chain(frac_part.bytes()) {
            units = units * 10 + u128::from(b - b'0');
        }
        Ok(Amount {
            units,
            scale: frac_part.len() as u32,
        })
    }

    /// Parses and refuses more than `max_decimals` significant decimal places.
    /// Trailing zeros beyond the limit are fine: `"5.10"` is valid with one place.
    pub fn parse_with_decimals(text: &str, max_decimals: u32) -> Result<Amount, AmountError> {
        let amount = Amount::parse(text)?;
        if amount.normalized().scale > max_decimals {
            return Err(AmountError::TooManyDecimals { max: max_decimals });
        }
        Ok(amount)
    }

    pub fn is_zero(&self) -> bool {
        self.units == 0
    }

    /// The same value with no trailing zeros in the fraction.
    fn normalized(self) -> Amount {
        let mut a = self;
        while a.scale > 0 && a.units.is_multiple_of(10) {
            a.units /= 10;
            a.scale -= 1;
        }
        a
    }

    /// Units at a larger scale, or `None` if that would overflow.
    fn units_at(self, scale: u32) -> Option<u128> {
        10u128
            .checked_pow(scale - self.scale)
            .and_then(|f| self.units.checked_mul(f))
    }

    /// Exact sum; `None` only on overflow, far beyond any real total.
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        let scale = self.scale.max(other.scale);
        let units = self.units_at(scale)?.checked_add(other.units_at(scale)?)?;
        Some(Amount { units, scale })
    }

    /// Exact difference; `None` when `other` is larger (amounts are never negative).
    pub fn checked_sub(self, other: Amount) -> Option<Amount> {
        let scale = self.scale.max(other.scale);
        let units = self.units_at(scale)?.checked_sub(other.units_at(scale)?)?;
        Some(Amount { units, scale })
    }

    /// Parts per thousand of `whole` this amount is, rounded down and capped
    /// at 1000; `None` for a zero whole. Exact: no float on the way.
    pub fn permille_of(self, whole: Amount) -> Option<u32> {
        if whole.is_zero() {
            return None;
        }
        let scale = self.scale.max(whole.scale);
        let (part, whole) = (self.units_at(scale)?, whole.units_at(scale)?);
        Some((part.checked_mul(1000)? / whole).min(1000) as u32)
    }

    /// Exact product with a whole count (a cart line's quantity); `None` only on overflow.
    pub fn checked_mul_count(self, count: u32) -> Option<Amount> {
        let units = self.units.checked_mul(u128::from(count))?;
        Some(Amount { units, scale: self.scale })
    }

    /// Rounded half-up to `decimals` places (a tip of 12.345 USD is 12.35).
    pub fn round_to(self, decimals: u32) -> Amount {
        if self.scale <= decimals {
            return self;
        }
        let factor = 10u128.pow(self.scale - decimals);
        let (whole, rest) = (self.units / factor, self.units % factor);
        let units = if rest * 2 >= factor { whole + 1 } else { whole };
        Amount {
            units,
            scale: decimals,
        }
    }

    /// `percent` % of this amount, rounded half-up to `decimals` places;
    /// `None` only on overflow.
    pub fn percent_of(self, percent: u32, decimals: u32) -> Option<Amount> {
        let units = self.units.checked_mul(u128::from(percent))?;
        Some(
            Amount {
                units,
                scale: self.scale + 2,
            }
            .round_to(decimals),
        )
    }

    /// An amount that arrived as a JSON number, from the number's text as sent.
    /// It counts only if a float could not have changed it on the way: at most
    /// 15 significant digits, and every decimal that short survives an f64
    /// round trip unchanged (IEEE 754 doubles hold 15 decimal digits), so no
    /// float is needed to prove it. Anything else (16+ digits, exponents,
    /// signs) is `None`: unreadable, ask again.
    pub fn from_json_number(text: &str) -> Option<Amount> {
        let exact = Amount::parse(text).ok()?;
        let digits = text.trim().trim_start_matches(['0', '.']).replace('.', "");
        let significant = digits.trim_end_matches('0').len();
        (significant <= 15).then_some(exact)
    }

    /// Formats with exactly `decimals` places, rounding is never needed for
    /// amounts that were entered within the currency's places; extra places
    /// beyond `decimals` are kept rather than silently dropped.
    pub fn format_fixed(&self, decimals: u32) -> String {
        let n = self.normalized();
        let scale = n.scale.max(decimals);
        let units = n.units_at(scale).unwrap_or(n.units);
        let digits = units.to_string();
        if scale == 0 {
            return digits;
        }
        let scale = scale as usize;
        let padded = if digits.len() <= scale {
            format!("{}{}", "0".repeat(scale - digits.len() + 1), digits)
        } else {
            digits
        };
        let (int, frac) = padded.split_at(padded.len() - scale);
        format!("{int}.{frac}")
    }
}

/// The shortest exact form: `"10"`, `"10.5"`, `"0.00001"`. This is the form sent to MixPay.
impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_fixed(0))
    }
}

impl Ord for Amount {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (self.normalized(), other.normalized());
        let scale = a.scale.max(b.scale);
        match (a.units_at(scale), b.units_at(scale)) {
            (Some(x), Some(y)) => x.cmp(&y),
            // Only reachable with ~38 digits; compare integer parts first then.
            _ => {
                let ai = a.units / 10u128.pow(a.scale);
                let bi = b.units / 10u128.pow(b.scale);
                ai.cmp(&bi).then_with(|| a.scale.cmp(&b.scale).reverse())
            }
        }
    }
}

impl PartialOrd for Amount {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Amount {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Amount {}

impl std::str::FromStr for Amount {
    type Err = AmountError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Amount::parse(s)
    }
}

impl serde::Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> serde::Deserialize<'de> for Amount {
    /// Accepts a decimal string (what MixPay and this app write) or a whole
    /// JSON number, both exact. A JSON fraction is refused: serde has already
    /// made a float of it, and `0.1000000000000000055511151231257827` would
    /// come back as `0.1`. MixPay's answers are read from their own text
    /// (`api::parse`), never through this.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AmountVisitor)
    }
}

struct AmountVisitor;

impl serde::de::Visitor<'_> for AmountVisitor {
    type Value = Amount;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an amount as a decimal string")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Amount, E> {
        Amount::parse(text).map_err(E::custom)
    }

    fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Amount, E> {
        Ok(Amount { units: u128::from(n), scale: 0 })
    }

    fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Amount, E> {
        u64::try_from(n)
            .map(|n| self.visit_u64::<E>(n))
            .map_err(|_| E::custom(AmountError::Negative))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Amount {
        Amount::parse(s).unwrap()
    }

    #[test]
    fn equal_by_value_whatever_the_trailing_zeros() {
        assert_eq!(a("10"), a("10.00"));
        assert_eq!(a("0.5"), a(".50"));
        assert_eq!(a("007"), a("7"));
        assert_ne!(a("10"), a("10.01"));
        assert_ne!(a("0.1"), a("0.01"));
    }

    #[test]
    fn ordering_is_numeric() {
        assert!(a("9.99") < a("10"));
        assert!(a("0.00000001") > Amount::ZERO);
        assert!(a("100") > a("99.999999"));
    }

    #[test]
    fn rejects_what_is_not_a_plain_decimal() {
        assert_eq!(Amount::parse(""), Err(AmountError::Empty));
        assert_eq!(Amount::parse("  "), Err(AmountError::Empty));
        assert_eq!(Amount::parse("-1"), Err(AmountError::Negative));
        for bad in [
            ".", "1e5", "1,5", "1.2.3", "+1", "abc", "1 000", "0x10", "NaN",
        ] {
            assert_eq!(Amount::parse(bad), Err(AmountError::NotANumber), "{bad}");
        }
        assert_eq!(Amount::parse(&"9".repeat(31)), Err(AmountError::TooLong));
    }

    #[test]
    fn decimals_limit_follows_the_currency() {
        // JPY: 0 places, USD: 2, BTC: 8.
        assert!(Amount::parse_with_decimals("500", 0).is_ok());
        assert_eq!(
            Amount::parse_with_decimals("500.5", 0),
            Err(AmountError::TooManyDecimals { max: 0 })
        );
        assert!(Amount::parse_with_decimals("500.0", 0).is_ok());
        assert!(Amount::parse_with_decimals("12.34", 2).is_ok());
        assert!(Amount::parse_with_decimals("12.345", 2).is_err());
        assert!(Amount::parse_with_decimals("0.00000001", 8).is_ok());
        assert!(Amount::parse_with_decimals("0.000000001", 8).is_err());
    }

    #[test]
    fn formats_for_each_currency() {
        assert_eq!(a("500").format_fixed(0), "500");
        assert_eq!(a("12.5").format_fixed(2), "12.50");
        assert_eq!(a("0.05").format_fixed(2), "0.05");
        assert_eq!(a("0.00001").format_fixed(8), "0.00001000");
        assert_eq!(a("1.234").format_fixed(2), "1.234", "never drops places");
        assert_eq!(a("10.00").to_string(), "10");
        assert_eq!(a("0.010013").to_string(), "0.010013");
    }

    #[test]
    fn sums_exactly() {
        let total = a("0.1").checked_add(a("0.2")).unwrap();
        assert_eq!(total, a("0.3"));
        assert_eq!(total.to_string(), "0.3");
    }

    #[test]
    fn multiplies_by_a_count_exactly() {
        assert_eq!(a("0.1").checked_mul_count(3), Some(a("0.3")));
        assert_eq!(a("2.50").checked_mul_count(0), Some(Amount::ZERO));
        assert_eq!(a("0.00000001").checked_mul_count(7).unwrap().to_string(), "0.00000007");
        assert_eq!(a(&"9".repeat(30)).checked_mul_count(u32::MAX).map(|_| ()), None);
    }

    #[test]
    fn differences_are_exact_and_never_negative() {
        assert_eq!(a("9").checked_sub(a("4.5")), Some(a("4.5")));
        assert_eq!(a("0.3").checked_sub(a("0.1")), Some(a("0.2")));
        assert_eq!(a("1").checked_sub(a("1.01")), None);
    }

    #[test]
    fn json_numbers_count_only_when_a_float_cannot_have_changed_them() {
        assert_eq!(Amount::from_json_number("10"), Some(a("10")));
        assert_eq!(Amount::from_json_number("10.5"), Some(a("10.5")));
        assert_eq!(Amount::from_json_number("0.010013"), Some(a("0.010013")));
        assert_eq!(
            Amount::from_json_number("123456789012.345"),
            Some(a("123456789012.345")),
            "15 significant digits"
        );
        // 17 significant digits: a float may already have rounded it.
        assert_eq!(Amount::from_json_number("10.000000000000001"), None);
        assert_eq!(Amount::from_json_number("9.9999999999999999"), None);
        assert_eq!(Amount::from_json_number("1234567890123456"), None);
        assert_eq!(Amount::from_json_number("1e1"), None);
        assert_eq!(Amount::from_json_number("-10"), None);
        assert_eq!(Amount::from_json_number("10.50000"), Some(a("10.5")));
    }

    /// A number with more digits than an f64 holds is read exactly or
    /// refused, never rounded to what a float made of it.
    #[test]
    fn json_numbers_beyond_a_float_are_never_rounded() {
        for text in [
            "12345678901234567.89",
            "0.1000000000000000055511151231257827",
            "10.000000000000001",
            "9.9999999999999999",
            "18446744073709551616",
        ] {
            if let Ok(read) = serde_json::from_str::<Amount>(text) {
                assert_eq!(read.to_string(), a(text).to_string(), "{text} was rounded");
            }
            let in_a_record = format!(r#"{{"price":{text}}}"#);
            #[derive(serde::Deserialize)]
            struct Record {
                price: Amount,
            }
            if let Ok(r) = serde_json::from_str::<Record>(&in_a_record) {
                assert_eq!(r.price.to_string(), a(text).to_string(), "{text} was rounded");
            }
        }
    }

    #[test]
    fn json_accepts_strings_and_numbers() {
        let from_str: Amount = serde_json::from_str("\"10.00\"").unwrap();
        let whole: Amount = serde_json::from_str("10").unwrap();
        assert_eq!(from_str, a("10"));
        assert_eq!(whole, a("10"));
        // A fraction was a float before it got here: refused, not guessed.
        assert!(serde_json::from_str::<Amount>("10.5").is_err());
        assert!(serde_json::from_str::<Amount>("-1").is_err());
        let via_value: Amount = serde_json::from_value(serde_json::json!("2.50")).unwrap();
        assert_eq!(via_value, a("2.5"));
        assert!(serde_json::from_str::<Amount>("true").is_err());
        assert_eq!(serde_json::to_string(&a("1.50")).unwrap(), "\"1.5\"");
    }
}
