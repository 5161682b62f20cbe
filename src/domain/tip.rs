//! Tips: the percentages a shop offers, the tip and total each gives, and a
//! custom tip typed by the customer. Exact decimals, rounded half-up to the
//! quote currency's places, so the total sent to MixPay is a valid amount.

use super::money::{Amount, AmountError};
use serde::Serialize;

/// At most this many percentage buttons fit the tip screen.
pub const MAX_TIP_CHOICES: usize = 4;
pub const DEFAULT_TIP_PERCENTS: [u32; 3] = [10, 15, 20];
pub const MAX_TIP_PERCENT: u32 = 100;

/// The shop's tip settings; off until the owner turns them on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TipSettings {
    pub enabled: bool,
    pub percents: Vec<u32>,
}

impl TipSettings {
    /// Stored tip settings: every field takes its default when absent (as
    /// the derive's `#[serde(default)]` did); a wrong type is an error.
    pub fn read(v: &super::json::Value) -> Result<TipSettings, String> {
        super::stored::read(v, "tips", |f| {
            let default = TipSettings::default();
            Ok(TipSettings {
                enabled: f.flag_or("enabled", default.enabled),
                percents: match f.get("percents") {
                    None => default.percents,
                    Some(_) => f.list_or_empty("percents", |p| super::stored::as_count(p, "percents")),
                },
            })
        })
    }
}

impl Default for TipSettings {
    fn default() -> Self {
        TipSettings {
            enabled: false,
            percents: DEFAULT_TIP_PERCENTS.to_vec(),
        }
    }
}

/// One percentage button: "Tip 10% — 1.25 USD".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TipChoice {
    pub percent: u32,
    pub tip: Amount,
    pub total: Amount,
}

/// The buttons for `subtotal`, in the order the shop set them.
pub fn choices(subtotal: Amount, percents: &[u32], decimals: u32) -> Vec<TipChoice> {
    percents
        .iter()
        .take(MAX_TIP_CHOICES)
        .filter_map(|&percent| {
            let tip = subtotal.percent_of(percent, decimals)?;
            Some(TipChoice {
                percent,
                tip,
                total: subtotal.checked_add(tip)?,
            })
        })
        .collect()
}

/// A tip the customer types: a plain amount within the currency's places.
pub fn parse_custom_tip(text: &str, decimals: u32) -> Result<Amount, AmountError> {
    Amount::parse_with_decimals(text, decimals)
}

/// "10, 15, 20" as the settings form shows it.
pub fn percents_text(percents: &[u32]) -> String {
    percents
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why the owner's tip percentages are refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PercentsProblem {
    /// A word that is not a whole number from 1 to `MAX_TIP_PERCENT`.
    NotAPercent(String),
    /// A percentage listed twice.
    Twice(u32),
    /// None given.
    None,
    /// More than `MAX_TIP_CHOICES`.
    TooMany,
}

/// Worded by the message catalogue, in the language on screen.
impl std::fmt::Display for PercentsProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::percents_problem(crate::i18n::current(), self))
    }
}

/// The owner's list of percentages: 1 to 4 whole numbers from 1 to 100,
/// separated by commas or spaces ("%" allowed), no repeats.
pub fn parse_percents(text: &str) -> Result<Vec<u32>, PercentsProblem> {
    let mut out: Vec<u32> = vec![];
    for word in text
        .split([',', ' ', ';'])
        .map(|w| w.trim().trim_end_matches('%'))
        .filter(|w| !w.is_empty())
    {
        let p = word
            .parse::<u32>()
            .ok()
            .filter(|p| (1..=MAX_TIP_PERCENT).contains(p))
            .ok_or_else(|| PercentsProblem::NotAPercent(word.to_string()))?;
        if out.contains(&p) {
            return Err(PercentsProblem::Twice(p));
        }
        out.push(p);
    }
    if out.is_empty() {
        return Err(PercentsProblem::None);
    }
    if out.len() > MAX_TIP_CHOICES {
        return Err(PercentsProblem::TooMany);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Amount {
        Amount::parse(s).unwrap()
    }

    #[test]
    fn choices_round_half_up_to_the_currencys_places() {
        let c = choices(a("12.35"), &[10, 15, 20], 2);
        // 1.235 → 1.24; 1.8525 → 1.85; 2.47 exact.
        assert_eq!(c[0].tip.format_fixed(2), "1.24");
        assert_eq!(c[0].total.format_fixed(2), "13.59");
        assert_eq!(c[1].tip.format_fixed(2), "1.85");
        assert_eq!(c[1].total.format_fixed(2), "14.20");
        assert_eq!(c[2].tip.format_fixed(2), "2.47");
        assert_eq!(c[2].total, a("14.82"));
        // A currency with no places: 15% of 333 JPY is 49.95 → 50.
        let jpy = choices(a("333"), &[15], 0);
        assert_eq!(jpy[0].tip.to_string(), "50");
        assert_eq!(jpy[0].total.to_string(), "383");
        // Eight places (a crypto quote): nothing is lost.
        let btc = choices(a("0.00012345"), &[10], 8);
        assert_eq!(btc[0].tip.to_string(), "0.00001235");
        assert_eq!(btc[0].total.to_string(), "0.0001358");
        assert_eq!(choices(a("1"), &[1, 2, 3, 4, 5], 2).len(), MAX_TIP_CHOICES);
    }

    #[test]
    fn a_tip_is_never_a_float() {
        // 0.1 + 0.2 style sums stay exact.
        let c = choices(a("0.10"), &[20], 2);
        assert_eq!(c[0].tip, a("0.02"));
        assert_eq!(c[0].total, a("0.12"));
        assert_eq!(a("0.1").checked_add(a("0.2")).unwrap(), a("0.3"));
        // Exactly half a cent rounds up; just under does not.
        assert_eq!(a("0.005").round_to(2), a("0.01"));
        assert_eq!(a("0.0049999").round_to(2), a("0"));
        assert_eq!(a("12.5").round_to(0), a("13"));
        assert_eq!(a("7.25").round_to(4), a("7.25"));
    }

    #[test]
    fn custom_tips_follow_the_currencys_places() {
        assert_eq!(parse_custom_tip("2.5", 2).unwrap(), a("2.50"));
        assert!(parse_custom_tip("2.555", 2).is_err());
        assert!(parse_custom_tip("", 2).is_err());
        assert!(parse_custom_tip("-1", 2).is_err());
        assert!(parse_custom_tip("1.5", 0).is_err());
    }

    #[test]
    fn the_owners_percentages() {
        assert_eq!(parse_percents("10, 15, 20").unwrap(), vec![10, 15, 20]);
        assert_eq!(parse_percents(" 5% 12 ;18 ").unwrap(), vec![5, 12, 18]);
        assert_eq!(parse_percents("25").unwrap(), vec![25]);
        assert!(parse_percents("").is_err());
        assert!(parse_percents("10, 10").unwrap_err().to_string().contains("twice"));
        assert!(parse_percents("5, 10, 15, 20, 25")
            .unwrap_err()
            .to_string()
            .contains("at most 4"));
        assert!(parse_percents("0").is_err());
        assert!(parse_percents("101").is_err());
        assert!(parse_percents("12.5").is_err());
        assert_eq!(percents_text(&[10, 15, 20]), "10, 15, 20");
        let d = TipSettings::default();
        assert!(!d.enabled, "tips are off until the owner turns them on");
        assert_eq!(d.percents, vec![10, 15, 20]);
    }
}
