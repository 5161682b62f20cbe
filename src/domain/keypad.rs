//! The amount a cashier types, key by key. Every key either changes the entry
//! or is refused with a reason, so the display can never hold a malformed amount.

use super::money::{Amount, AmountError};
use super::money_format::MoneyStyle;

/// Integer digits allowed; a till does not need more than a trillion.
const MAX_INTEGER_DIGITS: usize = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Digit(u8),
    /// Two zeros at once ("00"): both or neither, so a half-refused key never
    /// leaves one zero behind.
    DoubleZero,
    Point,
    Backspace,
    Clear,
}

impl Key {
    /// The key a physical keyboard's `KeyboardEvent.key` stands for.
    pub fn from_keyboard(key: &str) -> Option<Key> {
        match key {
            "." | "," => Some(Key::Point),
            "Backspace" => Some(Key::Backspace),
            "Escape" | "Delete" => Some(Key::Clear),
            k if k.len() == 1 && k.as_bytes()[0].is_ascii_digit() => {
                Some(Key::Digit(k.as_bytes()[0] - b'0'))
            }
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyRefused {
    NoDecimals,
    DecimalsFull { max: u32 },
    TooLong,
}

impl std::fmt::Display for KeyRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::key_refused(crate::i18n::current(), self))
    }
}

/// The typed text, always a valid prefix of an amount with at most `decimals` places.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeypadEntry {
    text: String,
    decimals: u32,
}

impl KeypadEntry {
    pub fn new(decimals: u32) -> Self {
        KeypadEntry {
            text: String::new(),
            decimals,
        }
    }

    pub fn decimals(&self) -> u32 {
        self.decimals
    }

    /// The raw typed text, e.g. `"12."` while the cashier is mid-entry.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// What the big display shows: `"0"` when empty.
    pub fn display(&self) -> String {
        if self.text.is_empty() {
            "0".to_string()
        } else if self.text.starts_with('.') {
            format!("0{}", self.text)
        } else {
            self.text.clone()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn press(&mut self, key: Key) -> Result<(), KeyRefused> {
        if key == Key::DoubleZero {
            let before = self.text.clone();
            let both = self.press(Key::Digit(0)).and_then(|_| self.press(Key::Digit(0)));
            if both.is_err() {
                self.text = before;
            }
            return both;
        }
        let point = self.text.find('.');
        match key {
            Key::DoubleZero => unreachable!("handled above"),
            Key::Clear => self.text.clear(),
            Key::Backspace => {
                self.text.pop();
            }
            Key::Point => {
                if self.decimals == 0 {
                    return Err(KeyRefused::NoDecimals);
                }
                if point.is_none() {
                    if self.text.is_empty() {
                        self.text.push('0');
                    }
                    self.text.push('.');
                }
            }
            Key::Digit(d) => {
                let d = char::from(b'0' + d.min(9));
                match point {
                    Some(p) => {
                        if (self.text.len() - p - 1) as u32 >= self.decimals {
                            return Err(KeyRefused::DecimalsFull { max: self.decimals });
                        }
                        self.text.push(d);
                    }
                    None if self.text == "0" => {
                        // No leading zeros: "0" then "5" is "5".
                        self.text.clear();
                        self.text.push(d);
                    }
                    None => {
                        if self.text.len() >= MAX_INTEGER_DIGITS {
                            return Err(KeyRefused::TooLong);
                        }
                        self.text.push(d);
                    }
                }
            }
        }
        Ok(())
    }

    /// The amount typed, or why there is none yet.
    pub fn amount(&self) -> Result<Amount, AmountError> {
        Amount::parse_with_decimals(&self.text, self.decimals)
    }
}

/// Limits of the quote currency (`minQuoteAmount` / `maxQuoteAmount`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LimitError {
    Zero,
    BelowMin { min: String },
    AboveMax { max: String },
}

impl std::fmt::Display for LimitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::limit_error(crate::i18n::current(), self))
    }
}

/// Checks an amount against the quote asset's limits; a missing limit is no
/// limit. The limits are worded in the currency's money format ("$0.50").
pub fn check_limits(
    amount: Amount,
    min: Option<Amount>,
    max: Option<Amount>,
    style: &MoneyStyle,
) -> Result<(), LimitError> {
    if amount.is_zero() {
        return Err(LimitError::Zero);
    }
    if let Some(min) = min.filter(|m| amount < *m) {
        return Err(LimitError::BelowMin {
            min: style.format(&min),
        });
    }
    if let Some(max) = max.filter(|m| amount > *m) {
        return Err(LimitError::AboveMax {
            max: style.format(&max),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(decimals: u32, keys: &str) -> (KeypadEntry, Vec<KeyRefused>) {
        let mut e = KeypadEntry::new(decimals);
        let mut refused = vec![];
        for c in keys.chars() {
            let key = match c {
                '<' => Key::Backspace,
                'C' => Key::Clear,
                c => Key::from_keyboard(&c.to_string()).unwrap(),
            };
            if let Err(r) = e.press(key) {
                refused.push(r);
            }
        }
        (e, refused)
    }

    #[test]
    fn usd_two_places() {
        let (e, refused) = typed(2, "12.345");
        assert_eq!(e.text(), "12.34");
        assert_eq!(refused, vec![KeyRefused::DecimalsFull { max: 2 }]);
        assert_eq!(e.amount().unwrap(), Amount::parse("12.34").unwrap());
    }

    #[test]
    fn jpy_has_no_point() {
        let (e, refused) = typed(0, "15.0");
        assert_eq!(e.text(), "150");
        assert_eq!(refused, vec![KeyRefused::NoDecimals]);
    }

    #[test]
    fn btc_eight_places() {
        let (e, refused) = typed(8, ".000000019");
        assert_eq!(e.text(), "0.00000001");
        assert_eq!(refused.len(), 1);
        assert_eq!(e.amount().unwrap().format_fixed(8), "0.00000001");
    }

    #[test]
    fn leading_zero_and_single_point() {
        assert_eq!(typed(2, "0005").0.text(), "5");
        assert_eq!(typed(2, "1..5").0.text(), "1.5");
        assert_eq!(typed(2, "0.5").0.text(), "0.5");
        assert_eq!(typed(2, "").0.display(), "0");
        assert_eq!(typed(2, ".").0.display(), "0.");
    }

    #[test]
    fn backspace_and_clear() {
        assert_eq!(typed(2, "12.3<<").0.text(), "12");
        assert_eq!(typed(2, "12.3C").0.text(), "");
        assert_eq!(typed(2, "<<<").0.text(), "");
    }

    #[test]
    fn double_zero_is_two_zeros_or_none() {
        let zz = |decimals, keys: &str| {
            let (mut e, _) = typed(decimals, keys);
            let r = e.press(Key::DoubleZero);
            (e.text().to_string(), r)
        };
        assert_eq!(zz(2, "12"), ("1200".into(), Ok(())));
        assert_eq!(zz(0, "12"), ("1200".into(), Ok(())), "yen: 1,200");
        assert_eq!(zz(2, "12."), ("12.00".into(), Ok(())));
        assert_eq!(zz(2, ""), ("0".into(), Ok(())), "no leading zeros");
        // One place left: refused whole, the text unchanged.
        assert_eq!(
            zz(2, "12.5"),
            ("12.5".into(), Err(KeyRefused::DecimalsFull { max: 2 }))
        );
        assert_eq!(zz(2, "12345678901"), ("12345678901".into(), Err(KeyRefused::TooLong)));
    }

    #[test]
    fn integer_digits_are_bounded() {
        let (e, refused) = typed(2, "1234567890123");
        assert_eq!(e.text().len(), 12);
        assert_eq!(refused, vec![KeyRefused::TooLong]);
    }

    #[test]
    fn empty_or_trailing_point_is_not_an_amount_yet() {
        assert!(typed(2, "").0.amount().is_err());
        assert_eq!(
            typed(2, "5.").0.amount().unwrap(),
            Amount::parse("5").unwrap()
        );
    }

    #[test]
    fn keyboard_mapping() {
        assert_eq!(Key::from_keyboard("7"), Some(Key::Digit(7)));
        assert_eq!(Key::from_keyboard("Escape"), Some(Key::Clear));
        assert_eq!(Key::from_keyboard("a"), None);
        assert_eq!(Key::from_keyboard("Enter"), None);
    }

    #[test]
    fn limits() {
        let p = |s| Amount::parse(s).unwrap();
        let (min, max) = (Some(p("0.5")), Some(p("10000")));
        let usd = MoneyStyle::new("USD", 2);
        assert_eq!(check_limits(p("0"), min, max, &usd), Err(LimitError::Zero));
        assert_eq!(
            check_limits(p("0.49"), min, max, &usd),
            Err(LimitError::BelowMin { min: "$0.50".into() })
        );
        assert_eq!(
            check_limits(p("10000.01"), min, max, &usd),
            Err(LimitError::AboveMax {
                max: "$10,000.00".into()
            })
        );
        assert_eq!(
            check_limits(p("0.0001"), Some(p("0.001")), None, &MoneyStyle::new("XIN", 8)),
            Err(LimitError::BelowMin { min: "0.00100000 XIN".into() }),
            "a currency without a sign has its code behind"
        );
        assert!(check_limits(p("10000"), min, max, &usd).is_ok());
        assert!(check_limits(p("99999"), None, None, &usd).is_ok());
    }
}
