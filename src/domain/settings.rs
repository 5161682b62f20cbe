//! The shop's settings: their stored form (versioned JSON), their defaults
//! (built in, then `config.json`), and their validation.

use super::money::Amount;
use super::origins::{BaseKind, OriginProblem, Pinned};
use super::receipt::PaperWidth;
use super::tip::{self, TipSettings};
use super::stored;
use serde::Serialize;

/// Bumped when the stored form changes; older forms are migrated or reset.
pub const SCHEMA_VERSION: u32 = 1;

pub const DEFAULT_API_BASE: &str = "https://api.mixpay.me/v1";
pub const DEFAULT_PAY_BASE: &str = "https://mixpay.me";
pub const DEFAULT_EXPIRY_MINUTES: u32 = 15;
/// MixPay accepts an expiry more than 10 s and less than 2880 min ahead
/// (2880 itself is refused); we offer whole minutes.
pub const MAX_EXPIRY_MINUTES: u32 = 2879;
pub const SHOP_NAME_MAX_CHARS: usize = 40;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMode {
    /// `POST /one_time_payment`: MixPay's production mode; the payer cannot edit it.
    #[default]
    OneTime,
    /// The pay link built on the tablet with no request.
    PayLink,
}

/// The quote currency as chosen from MixPay's list, kept whole so the keypad
/// knows its places and limits with no network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuoteAsset {
    pub asset_id: String,
    pub symbol: String,
    pub decimal_digit: u32,
    pub min: Option<Amount>,
    pub max: Option<Amount>,
    #[serde(default)]
    pub icon_url: String,
}

impl QuoteAsset {
    /// As the derived `Serialize` writes it (`domain::stored::Obj`).
    pub fn to_json(&self) -> String {
        stored::Obj::new()
            .text("asset_id", &self.asset_id)
            .text("symbol", &self.symbol)
            .num("decimal_digit", self.decimal_digit)
            .opt_amount("min", self.min)
            .opt_amount("max", self.max)
            .text("icon_url", &self.icon_url)
            .end()
    }

    /// A stored quote asset, with the derive's rules (`domain::stored`).
    pub fn read(v: &super::json::Value) -> Result<QuoteAsset, String> {
        stored::read(v, "quote", |f| {
            Ok(QuoteAsset {
                asset_id: f.text("asset_id"),
                symbol: f.text("symbol"),
                decimal_digit: f.count("decimal_digit"),
                min: f.opt_amount("min"),
                max: f.opt_amount("max"),
                icon_url: f.text_or_empty("icon_url"),
            })
        })
    }

    /// How its amounts are written (limits, prices).
    pub fn money_style(&self) -> super::money_format::MoneyStyle {
        super::money_format::MoneyStyle::new(&self.symbol, self.decimal_digit)
    }

    /// US dollars with fiat's two places: the default before lists are loaded.
    pub fn usd() -> Self {
        QuoteAsset {
            asset_id: "usd".into(),
            symbol: "USD".into(),
            decimal_digit: 2,
            min: None,
            max: None,
            icon_url: String::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SettlementAsset {
    pub asset_id: String,
    pub symbol: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub icon_url: String,
}

/// Written by the derive, read back by `read_settings` (the derived reader
/// was most of this module's wasm).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Settings {
    pub version: u32,
    /// The Mixin UUID that receives the money, lower-case.
    pub payee_id: String,
    pub quote: QuoteAsset,
    pub settlement: Option<SettlementAsset>,
    pub shop_name: String,
    pub mode: PaymentMode,
    pub expiry_minutes: u32,
    pub strict: bool,
    pub api_base: String,
    pub pay_base: String,
    /// Added after schema 1 with defaults, so older stores load unchanged.
    #[serde(default)]
    pub tips: TipSettings,
    #[serde(default)]
    pub paper: PaperWidth,
    /// Sounds and vibration on Paid and on a failed or wrong payment.
    #[serde(default = "sounds_on")]
    pub sounds: bool,
    /// Seconds the Paid screen stays before a new sale opens by itself; 0 is off.
    #[serde(default = "auto_return_default")]
    pub auto_return_seconds: u32,
    /// "Print receipts by themselves after Paid", on the printer connected
    /// under Settings → "Printer" (off by default).
    #[serde(default)]
    pub auto_print: bool,
    /// "Kitchen ticket": one printed after Paid, with the order number large
    /// and the cart's lines, without prices (off by default).
    #[serde(default)]
    pub kitchen_ticket: bool,
}

impl SettlementAsset {
    /// As the derived `Serialize` writes it (`domain::stored::Obj`).
    pub fn to_json(&self) -> String {
        stored::Obj::new()
            .text("asset_id", &self.asset_id)
            .text("symbol", &self.symbol)
            .text("name", &self.name)
            .text("icon_url", &self.icon_url)
            .end()
    }

    /// A stored settlement asset, with the derive's rules (`domain::stored`).
    pub fn read(v: &super::json::Value) -> Result<SettlementAsset, String> {
        stored::read(v, "settlement", |f| {
            Ok(SettlementAsset {
                asset_id: f.text("asset_id"),
                symbol: f.text("symbol"),
                name: f.text_or_empty("name"),
                icon_url: f.text_or_empty("icon_url"),
            })
        })
    }
}

/// Stored settings, with the derive's rules (`domain::stored`): the fields
/// added after schema 1 take their defaults when absent.
fn read_settings(v: &super::json::Value) -> Result<Settings, String> {
    stored::read(v, "settings", |f| {
        // The nested parts first: nothing to drop on their way out.
        let quote = QuoteAsset::read(f.required("quote")?)?;
        let settlement = f.present("settlement").map(SettlementAsset::read).transpose()?;
        let tips = f.get("tips").map(TipSettings::read).transpose()?.unwrap_or_default();
        Ok(Settings {
            version: f.count("version"),
            payee_id: f.text("payee_id"),
            quote,
            settlement,
            shop_name: f.text("shop_name"),
            mode: PaymentMode::read(f, "mode"),
            expiry_minutes: f.count("expiry_minutes"),
            strict: f.flag("strict"),
            api_base: f.text("api_base"),
            pay_base: f.text("pay_base"),
            tips,
            paper: match f.get("paper") {
                None => PaperWidth::default(),
                Some(_) => f.choice("paper", &[("58mm", PaperWidth::Mm58), ("80mm", PaperWidth::Mm80)]),
            },
            sounds: f.flag_or("sounds", sounds_on()),
            auto_return_seconds: f.count_or("auto_return_seconds", auto_return_default()),
            auto_print: f.flag_or("auto_print", false),
            kitchen_ticket: f.flag_or("kitchen_ticket", false),
        })
    })
}

fn sounds_on() -> bool {
    true
}

/// Long enough to read "Paid" and hand over the goods, short enough for a queue.
pub const AUTO_RETURN_DEFAULT_SECONDS: u32 = 8;
/// The delays the owner chooses from (0 is off).
pub const AUTO_RETURN_CHOICES: [u32; 5] = [0, 5, 8, 15, 30];

fn auto_return_default() -> u32 {
    AUTO_RETURN_DEFAULT_SECONDS
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            version: SCHEMA_VERSION,
            payee_id: String::new(),
            quote: QuoteAsset::usd(),
            settlement: None,
            shop_name: String::new(),
            mode: PaymentMode::OneTime,
            expiry_minutes: DEFAULT_EXPIRY_MINUTES,
            strict: false,
            api_base: DEFAULT_API_BASE.into(),
            pay_base: DEFAULT_PAY_BASE.into(),
            tips: TipSettings::default(),
            paper: PaperWidth::default(),
            sounds: true,
            auto_return_seconds: AUTO_RETURN_DEFAULT_SECONDS,
            auto_print: false,
            kitchen_ticket: false,
        }
    }
}

/// `config.json` beside `index.html`: defaults a shop's IT provisions. Every
/// field is optional; asset ids are resolved against MixPay's lists. Read
/// field by field by `domain::config_fields`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProvisionedConfig {
    pub payee_id: Option<String>,
    pub quote_asset_id: Option<String>,
    pub settlement_asset_id: Option<String>,
    pub shop_name: Option<String>,
    pub mode: Option<PaymentMode>,
    pub expiry_minutes: Option<u32>,
    pub strict: Option<bool>,
    pub api_base: Option<String>,
    pub pay_base: Option<String>,
    /// Products for a first run, checked against the provisioned quote
    /// currency row by row (a bad row is named and skipped, the others kept).
    pub products: Option<Vec<super::catalogue::ValidProduct>>,
    /// `ownerPinHash`: the owner PIN, winning over the device's on every start.
    pub owner_pin: Option<super::pin::PinRecord>,
    /// `lockedPayeeId`: the only payee, winning over the device's on every start.
    pub locked_payee_id: Option<String>,
}

impl ProvisionedConfig {
    /// Settings from the built-in defaults with this config laid over them.
    /// Invalid values are skipped: a bad config must not stop a tablet.
    pub fn apply_to(&self, mut s: Settings) -> Settings {
        if let Some(id) = self.payee_id.as_deref().and_then(normalize_uuid) {
            s.payee_id = id;
        }
        if let Some(id) = &self.locked_payee_id {
            s.payee_id = id.clone();
        }
        if let Some(id) = &self.quote_asset_id {
            if !id.eq_ignore_ascii_case(&s.quote.asset_id) {
                // Places and limits come with MixPay's list; until then the
                // id alone, with fiat's two places.
                s.quote = QuoteAsset {
                    asset_id: id.trim().to_ascii_lowercase(),
                    symbol: id.trim().to_ascii_uppercase(),
                    ..QuoteAsset::usd()
                };
            }
        }
        if let Some(id) = &self.settlement_asset_id {
            s.settlement = Some(SettlementAsset {
                asset_id: id.trim().to_ascii_lowercase(),
                symbol: String::new(),
                name: String::new(),
                icon_url: String::new(),
            });
        }
        if let Some(name) = &self.shop_name {
            s.shop_name = name.chars().take(SHOP_NAME_MAX_CHARS).collect();
        }
        if let Some(mode) = self.mode {
            s.mode = mode;
        }
        if let Some(m) = self
            .expiry_minutes
            .filter(|m| (1..=MAX_EXPIRY_MINUTES).contains(m))
        {
            s.expiry_minutes = m;
        }
        if let Some(strict) = self.strict {
            s.strict = strict;
        }
        if let Some(url) = self.api_base.as_deref().filter(|u| is_http_url(u)) {
            s.api_base = url.trim_end_matches('/').to_string();
        }
        if let Some(url) = self.pay_base.as_deref().filter(|u| is_http_url(u)) {
            s.pay_base = url.trim_end_matches('/').to_string();
        }
        s
    }
}

/// The quote currency to save, from MixPay's list (ids matched
/// case-insensitively). A currency MixPay does not list is an error, never a
/// silent fallback; with no list on the device yet, only the currency already
/// saved may stay.
pub fn choose_quote(
    id: &str,
    list: &[QuoteAsset],
    saved: &QuoteAsset,
) -> Result<QuoteAsset, SettingsProblem> {
    let id = id.trim();
    if let Some(q) = list.iter().find(|q| q.asset_id.eq_ignore_ascii_case(id)) {
        return Ok(QuoteAsset {
            asset_id: q.asset_id.to_ascii_lowercase(),
            ..q.clone()
        });
    }
    if list.is_empty() && saved.asset_id.eq_ignore_ascii_case(id) && !id.is_empty() {
        return Ok(saved.clone());
    }
    Err(if list.is_empty() {
        SettingsProblem::QuoteListMissing(id.to_ascii_uppercase())
    } else {
        SettingsProblem::QuoteNotOffered(id.to_ascii_uppercase())
    })
}

/// What the owner filled in on the settings screen, as typed. The payee is
/// already resolved (a Mixin ID number looked up to a UUID) or left as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SettingsForm {
    pub payee: String,
    pub quote_id: String,
    pub settlement_id: String,
    pub shop_name: String,
    pub mode: PaymentMode,
    pub expiry_minutes: String,
    pub strict: bool,
    pub api_base: String,
    pub pay_base: String,
    pub tips_enabled: bool,
    pub tip_percents: String,
    pub paper: PaperWidth,
    pub sounds: bool,
    pub auto_return_seconds: u32,
    pub auto_print: bool,
    pub kitchen_ticket: bool,
}

impl SettingsForm {
    /// The form as the settings show it.
    pub fn from_settings(s: &Settings) -> Self {
        SettingsForm {
            payee: s.payee_id.clone(),
            quote_id: s.quote.asset_id.clone(),
            settlement_id: s
                .settlement
                .as_ref()
                .map(|a| a.asset_id.clone())
                .unwrap_or_default(),
            shop_name: s.shop_name.clone(),
            mode: s.mode,
            expiry_minutes: s.expiry_minutes.to_string(),
            strict: s.strict,
            api_base: s.api_base.clone(),
            pay_base: s.pay_base.clone(),
            tips_enabled: s.tips.enabled,
            tip_percents: tip::percents_text(&s.tips.percents),
            paper: s.paper,
            sounds: s.sounds,
            auto_return_seconds: s.auto_return_seconds,
            auto_print: s.auto_print,
            kitchen_ticket: s.kitchen_ticket,
        }
    }

    /// The settings to save, with places, limits and names from MixPay's
    /// lists, or every problem in words for the owner.
    pub fn to_settings(
        &self,
        quotes: &[QuoteAsset],
        settlements: &[SettlementAsset],
        saved_quote: &QuoteAsset,
        pinned: &Pinned,
    ) -> Result<Settings, Vec<SettingsProblem>> {
        let mut problems = vec![];
        let payee_id = match parse_payee(&self.payee) {
            PayeeInput::Uuid(id) => id,
            PayeeInput::MixinId(number) => {
                problems.push(SettingsProblem::MixinIdNotLookedUp(number));
                String::new()
            }
            PayeeInput::Invalid => {
                problems.push(SettingsProblem::PayeeInvalid);
                String::new()
            }
        };
        let quote = choose_quote(&self.quote_id, quotes, saved_quote).unwrap_or_else(|e| {
            problems.push(e);
            QuoteAsset::usd()
        });
        let settlement_id = self.settlement_id.trim().to_ascii_lowercase();
        let settlement = settlements
            .iter()
            .find(|s| s.asset_id.eq_ignore_ascii_case(&settlement_id))
            .cloned()
            .or_else(|| {
                (!settlement_id.is_empty()).then(|| SettlementAsset {
                    asset_id: settlement_id.clone(),
                    symbol: settlement_id.clone(),
                    name: String::new(),
                    icon_url: String::new(),
                })
            });
        let expiry_minutes = self
            .expiry_minutes
            .trim()
            .parse::<u32>()
            .unwrap_or_else(|_| {
                problems.push(SettingsProblem::ExpiryNotANumber(MAX_EXPIRY_MINUTES));
                0
            });
        let percents = tip::parse_percents(&self.tip_percents).unwrap_or_else(|e| {
            problems.push(SettingsProblem::TipPercents(e));
            vec![]
        });
        let settings = Settings {
            payee_id,
            quote,
            settlement,
            shop_name: self.shop_name.trim().to_string(),
            mode: self.mode,
            expiry_minutes,
            strict: self.strict,
            api_base: self.api_base.trim().trim_end_matches('/').to_string(),
            pay_base: self.pay_base.trim().trim_end_matches('/').to_string(),
            tips: TipSettings {
                enabled: self.tips_enabled,
                percents,
            },
            paper: self.paper,
            sounds: self.sounds,
            auto_return_seconds: self.auto_return_seconds,
            auto_print: self.auto_print,
            kitchen_ticket: self.kitchen_ticket,
            ..Settings::default()
        };
        if super::text::has_hidden_formatting(&settings.shop_name) {
            problems.push(SettingsProblem::ShopNameHidden);
        }
        // The payee, currency and expiry have said what is wrong with them already.
        if !problems.is_empty() {
            return Err(problems);
        }
        settings.validate()?;
        settings.check_origins(pinned)?;
        Ok(settings)
    }
}

impl PaymentMode {
    /// A stored mode (`"one_time"` / `"pay_link"`), as the derive reads it.
    pub(crate) fn read(f: super::stored::Fields, key: &str) -> PaymentMode {
        f.choice(key, &[("one_time", PaymentMode::OneTime), ("pay_link", PaymentMode::PayLink)])
    }

    /// The form value of a `<select>` option.
    pub fn value(self) -> &'static str {
        match self {
            PaymentMode::OneTime => "one_time",
            PaymentMode::PayLink => "pay_link",
        }
    }

    pub fn from_value(value: &str) -> PaymentMode {
        if value == PaymentMode::PayLink.value() {
            PaymentMode::PayLink
        } else {
            PaymentMode::OneTime
        }
    }
}

/// What is wrong with the settings form or with settings, for the owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingsProblem {
    /// The quote currency (upper-case) cannot be checked: no list yet.
    QuoteListMissing(String),
    QuoteNotOffered(String),
    MixinIdNotLookedUp(String),
    PayeeInvalid,
    ExpiryNotANumber(u32),
    PayeeNotUuid,
    NoQuote,
    QuotePlaces,
    NoSettlement,
    ShopNameTooLong(usize),
    /// Invisible formatting characters in the shop name.
    ShopNameHidden,
    ExpiryRange(u32),
    ApiBaseNotHttp,
    PayBaseNotHttp,
    /// The tip percentages.
    TipPercents(tip::PercentsProblem),
    /// An API or pay base that is not a pinned origin of this build.
    Origin(OriginProblem),
}

/// Worded by the message catalogue, in the language on screen.
impl std::fmt::Display for SettingsProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::settings_problem(crate::i18n::current(), self))
    }
}

/// Why stored settings could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoredSettingsError {
    Unreadable(String),
    NewerVersion(u32),
}

impl std::fmt::Display for StoredSettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::stored_settings_error(crate::i18n::current(), self))
    }
}

/// Reads the stored JSON. Versions are checked before the shape, so a newer
/// app's settings are reported as such rather than as corrupt.
pub fn parse_stored(json: &str) -> Result<Settings, StoredSettingsError> {
    let value = super::json::parse(json).map_err(|e| StoredSettingsError::Unreadable(e.to_string()))?;
    let version = value
        .get("version")
        .and_then(super::json::Value::as_u64)
        .ok_or_else(|| StoredSettingsError::Unreadable("no schema version".into()))?;
    if version > u64::from(SCHEMA_VERSION) {
        return Err(StoredSettingsError::NewerVersion(version as u32));
    }
    let mut settings = read_settings(&value).map_err(StoredSettingsError::Unreadable)?;
    // Ids are compared lower-case everywhere; older stores may hold capitals.
    settings.quote.asset_id = settings.quote.asset_id.trim().to_ascii_lowercase();
    if let Some(s) = settings.settlement.as_mut() {
        s.asset_id = s.asset_id.trim().to_ascii_lowercase();
    }
    settings
        .validate()
        .map_err(|errors| {
            let words: Vec<String> = errors.iter().map(ToString::to_string).collect();
            StoredSettingsError::Unreadable(words.join(" "))
        })?;
    Ok(settings)
}

pub fn to_stored(settings: &Settings) -> String {
    let s = settings;
    stored::Obj::new()
        .num("version", s.version)
        .text("payee_id", &s.payee_id)
        .raw("quote", &s.quote.to_json())
        .raw("settlement", &s.settlement.as_ref().map_or("null".into(), SettlementAsset::to_json))
        .text("shop_name", &s.shop_name)
        .text("mode", s.mode.value())
        .num("expiry_minutes", s.expiry_minutes)
        .flag("strict", s.strict)
        .text("api_base", &s.api_base)
        .text("pay_base", &s.pay_base)
        .raw(
            "tips",
            &stored::Obj::new()
                .flag("enabled", s.tips.enabled)
                .raw("percents", &stored::list(&s.tips.percents, u32::to_string))
                .end(),
        )
        .text("paper", s.paper.value())
        .flag("sounds", s.sounds)
        .num("auto_return_seconds", s.auto_return_seconds)
        .flag("auto_print", s.auto_print)
        .flag("kitchen_ticket", s.kitchen_ticket)
        .end()
}

/// A UUID in canonical lower-case form, from input that may have spaces or capitals.
pub fn normalize_uuid(text: &str) -> Option<String> {
    let t = text.trim().to_ascii_lowercase();
    let groups: Vec<&str> = t.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    let ok = groups.len() == 5
        && groups
            .iter()
            .zip(lens)
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()));
    ok.then_some(t)
}

/// What the owner typed in the payee field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PayeeInput {
    Uuid(String),
    /// A Mixin ID number, to be looked up with `/user/mixin_uuid/{id}`.
    MixinId(String),
    Invalid,
}

pub fn parse_payee(text: &str) -> PayeeInput {
    let t = text.trim();
    if let Some(id) = normalize_uuid(t) {
        PayeeInput::Uuid(id)
    } else if !t.is_empty() && t.len() <= 12 && t.bytes().all(|b| b.is_ascii_digit()) {
        PayeeInput::MixinId(t.to_string())
    } else {
        PayeeInput::Invalid
    }
}

fn is_http_url(u: &str) -> bool {
    let u = u.trim();
    (u.starts_with("https://") || u.starts_with("http://")) && u.len() > "https://".len()
}

impl Settings {
    /// Every problem, in words for the owner; empty when the settings can take payments.
    pub fn validate(&self) -> Result<(), Vec<SettingsProblem>> {
        let mut errors = vec![];
        if normalize_uuid(&self.payee_id).is_none() {
            errors.push(SettingsProblem::PayeeNotUuid);
        }
        if self.quote.asset_id.trim().is_empty() {
            errors.push(SettingsProblem::NoQuote);
        }
        if self.quote.decimal_digit > 18 {
            errors.push(SettingsProblem::QuotePlaces);
        }
        if self
            .settlement
            .as_ref()
            .is_none_or(|s| s.asset_id.trim().is_empty())
        {
            errors.push(SettingsProblem::NoSettlement);
        }
        if self.shop_name.chars().count() > SHOP_NAME_MAX_CHARS {
            errors.push(SettingsProblem::ShopNameTooLong(SHOP_NAME_MAX_CHARS));
        }
        if !(1..=MAX_EXPIRY_MINUTES).contains(&self.expiry_minutes) {
            errors.push(SettingsProblem::ExpiryRange(MAX_EXPIRY_MINUTES));
        }
        if !is_http_url(&self.api_base) {
            errors.push(SettingsProblem::ApiBaseNotHttp);
        }
        if !is_http_url(&self.pay_base) {
            errors.push(SettingsProblem::PayBaseNotHttp);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    pub fn is_ready(&self) -> bool {
        self.validate().is_ok()
    }

    /// Whether the API and pay bases are the pinned origins of this build.
    pub fn check_origins(&self, pinned: &Pinned) -> Result<(), Vec<SettingsProblem>> {
        let errors: Vec<SettingsProblem> = [
            pinned.check(BaseKind::Api, &self.api_base).err(),
            pinned.check(BaseKind::Pay, &self.pay_base).err(),
        ]
        .into_iter()
        .flatten()
        .map(SettingsProblem::Origin)
        .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAYEE: &str = "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b";

    fn ready() -> Settings {
        Settings {
            payee_id: PAYEE.into(),
            settlement: Some(SettlementAsset {
                asset_id: "4d8c508b-91c5-375b-92b0-ee702ed2dac5".into(),
                symbol: "USDT".into(),
                name: "Tether USD".into(),
                icon_url: String::new(),
            }),
            ..Settings::default()
        }
    }

    #[test]
    fn round_trip_and_validation() {
        let s = ready();
        assert!(s.is_ready());
        assert_eq!(read_settings(&super::super::json::parse(&to_stored(&s)).unwrap()).unwrap(), s);
        let errors = Settings::default().validate().unwrap_err();
        assert!(errors.iter().any(|e| e.to_string().contains("Payee")));
        assert!(errors.iter().any(|e| e.to_string().contains("settlement")));
    }

    #[test]
    fn corrupt_or_newer_stores_are_reported_not_fatal() {
        assert!(matches!(
            parse_stored("{not json"),
            Err(StoredSettingsError::Unreadable(_))
        ));
        assert!(matches!(
            parse_stored("[]"),
            Err(StoredSettingsError::Unreadable(_))
        ));
        assert!(matches!(
            parse_stored(r#"{"payee_id":"x"}"#),
            Err(StoredSettingsError::Unreadable(_))
        ));
        assert_eq!(
            parse_stored(r#"{"version":99}"#),
            Err(StoredSettingsError::NewerVersion(99))
        );
        let mut bad = ready();
        bad.payee_id = "nope".into();
        assert!(matches!(
            parse_stored(&to_stored(&bad)),
            Err(StoredSettingsError::Unreadable(_))
        ));
        let message = parse_stored("{").unwrap_err().to_string();
        assert!(message.contains("Defaults are shown"));
    }

    #[test]
    fn a_quote_currency_must_be_one_mixpay_lists() {
        let list = vec![
            QuoteAsset::usd(),
            QuoteAsset {
                asset_id: "jpy".into(),
                symbol: "JPY".into(),
                decimal_digit: 0,
                ..QuoteAsset::usd()
            },
        ];
        let usd = QuoteAsset::usd();
        assert_eq!(choose_quote("JPY", &list, &usd).unwrap().decimal_digit, 0);
        assert_eq!(choose_quote(" usd ", &list, &usd).unwrap(), usd);
        let unknown = choose_quote("xyz", &list, &usd).unwrap_err().to_string();
        assert!(unknown.contains("does not offer XYZ"), "{unknown}");
        // No list yet: the saved currency may stay, nothing else is accepted.
        assert_eq!(choose_quote("USD", &[], &usd).unwrap(), usd);
        assert!(choose_quote("eur", &[], &usd)
            .unwrap_err()
            .to_string()
            .contains("not loaded"));
    }

    #[test]
    fn asset_ids_are_stored_lower_case() {
        let config = ProvisionedConfig {
            quote_asset_id: Some(" EUR ".into()),
            settlement_asset_id: Some("4D8C508B-91C5-375B-92B0-EE702ED2DAC5".into()),
            ..ProvisionedConfig::default()
        };
        let s = config.apply_to(Settings::default());
        assert_eq!(s.quote.asset_id, "eur");
        assert_eq!(
            s.settlement.unwrap().asset_id,
            "4d8c508b-91c5-375b-92b0-ee702ed2dac5"
        );
        let mut upper = ready();
        upper.quote.asset_id = "USD".into();
        upper.settlement.as_mut().unwrap().asset_id = "4D8C508B-91C5-375B-92B0-EE702ED2DAC5".into();
        let read = parse_stored(&to_stored(&upper)).unwrap();
        assert_eq!(read.quote.asset_id, "usd");
        assert_eq!(
            read.settlement.unwrap().asset_id,
            "4d8c508b-91c5-375b-92b0-ee702ed2dac5"
        );
    }

    #[test]
    fn the_settings_form_becomes_settings_or_says_what_is_wrong() {
        let quotes = vec![QuoteAsset::usd()];
        let usdt = SettlementAsset {
            asset_id: "4d8c508b-91c5-375b-92b0-ee702ed2dac5".into(),
            symbol: "USDT".into(),
            name: "Tether USD".into(),
            icon_url: String::new(),
        };
        let mut form = SettingsForm::from_settings(&ready());
        form.shop_name = "  Demo Coffee ".into();
        form.api_base = "https://api.mixpay.me/v1/".into();
        form.settlement_id = "4D8C508B-91C5-375B-92B0-EE702ED2DAC5".into();
        let s = form
            .to_settings(&quotes, std::slice::from_ref(&usdt), &QuoteAsset::usd(), &Pinned::mixpay_only())
            .unwrap();
        assert_eq!(s.shop_name, "Demo Coffee");
        assert_eq!(s.api_base, "https://api.mixpay.me/v1");
        assert_eq!(
            s.settlement,
            Some(usdt.clone()),
            "names come from MixPay's list"
        );
        assert_eq!(SettingsForm::from_settings(&s).settlement_id, usdt.asset_id);

        let mut bad = form.clone();
        bad.payee = "nope".into();
        bad.expiry_minutes = "soon".into();
        bad.quote_id = "xyz".into();
        let problems = bad
            .to_settings(&quotes, std::slice::from_ref(&usdt), &QuoteAsset::usd(), &Pinned::mixpay_only())
            .unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
        let mut unlooked = form.clone();
        unlooked.payee = "7000123456".into();
        assert!(unlooked
            .to_settings(&quotes, &[usdt], &QuoteAsset::usd(), &Pinned::mixpay_only())
            .unwrap_err()[0]
            .to_string()
            .contains("looked up"));
        assert_eq!(PaymentMode::from_value("pay_link"), PaymentMode::PayLink);
        assert_eq!(
            PaymentMode::from_value(PaymentMode::OneTime.value()),
            PaymentMode::OneTime
        );
    }

    #[test]
    fn tips_paper_and_sounds_are_saved_and_older_stores_get_their_defaults() {
        let quotes = vec![QuoteAsset::usd()];
        let usdt = SettlementAsset {
            asset_id: "4d8c508b-91c5-375b-92b0-ee702ed2dac5".into(),
            symbol: "USDT".into(),
            name: String::new(),
            icon_url: String::new(),
        };
        let mut form = SettingsForm::from_settings(&ready());
        assert_eq!(form.tip_percents, "10, 15, 20");
        assert!(!form.tips_enabled && form.sounds);
        form.tips_enabled = true;
        form.tip_percents = "5, 10, 12, 18".into();
        form.paper = PaperWidth::Mm80;
        form.sounds = false;
        form.auto_return_seconds = 0;
        assert!(!form.auto_print && !form.kitchen_ticket, "printing by itself is off by default");
        form.auto_print = true;
        form.kitchen_ticket = true;
        let s = form
            .to_settings(&quotes, std::slice::from_ref(&usdt), &QuoteAsset::usd(), &Pinned::mixpay_only())
            .unwrap();
        assert_eq!(
            s.tips,
            TipSettings {
                enabled: true,
                percents: vec![5, 10, 12, 18]
            }
        );
        assert_eq!((s.paper, s.sounds), (PaperWidth::Mm80, false));
        assert_eq!(s.auto_return_seconds, 0, "off is kept");
        assert!(s.auto_print && s.kitchen_ticket);
        assert_eq!(read_settings(&super::super::json::parse(&to_stored(&s)).unwrap()).unwrap(), s);
        form.tip_percents = "5, 10, 12, 18, 20".into();
        let problems = form
            .to_settings(&quotes, &[usdt], &QuoteAsset::usd(), &Pinned::mixpay_only())
            .unwrap_err();
        assert!(problems[0].to_string().starts_with("Tip percentages"), "{problems:?}");

        // Settings stored by the previous version (no tips, paper or sounds).
        let mut old: serde_json::Value = serde_json::from_str(&to_stored(&ready())).unwrap();
        for k in ["tips", "paper", "sounds", "auto_return_seconds", "auto_print", "kitchen_ticket"] {
            old.as_object_mut().unwrap().remove(k);
        }
        let read = parse_stored(&old.to_string()).unwrap();
        assert_eq!(read, ready());
        assert!(!read.tips.enabled && read.sounds);
        assert_eq!(read.auto_return_seconds, AUTO_RETURN_DEFAULT_SECONDS);
        assert_eq!(read.paper, PaperWidth::Mm58);
        assert!(!read.auto_print && !read.kitchen_ticket);
    }

    #[test]
    fn payee_input() {
        assert_eq!(
            parse_payee(&format!("  {}  ", PAYEE.to_uppercase())),
            PayeeInput::Uuid(PAYEE.into())
        );
        assert_eq!(
            parse_payee("7000123456"),
            PayeeInput::MixinId("7000123456".into())
        );
        assert_eq!(
            parse_payee("3f2a9c1e5b7d4e8f9a6b1c2d3e4f5a6b"),
            PayeeInput::Invalid
        );
        assert_eq!(
            parse_payee("3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6g"),
            PayeeInput::Invalid
        );
        assert_eq!(parse_payee(""), PayeeInput::Invalid);
        assert_eq!(parse_payee("12ab"), PayeeInput::Invalid);
    }

    #[test]
    fn provisioned_config_overrides_defaults_and_skips_bad_values() {
        let config = ProvisionedConfig {
            api_base: Some("http://127.0.0.1:8787/v1/".into()),
            pay_base: Some("http://127.0.0.1:8787".into()),
            payee_id: Some(" 3F2A9C1E-5B7D-4E8F-9A6B-1C2D3E4F5A6B ".into()),
            quote_asset_id: Some("eur".into()),
            settlement_asset_id: Some("4d8c508b-91c5-375b-92b0-ee702ed2dac5".into()),
            shop_name: Some("Demo".into()),
            mode: Some(PaymentMode::PayLink),
            expiry_minutes: Some(0),
            ..ProvisionedConfig::default()
        };
        let s = config.apply_to(Settings::default());
        assert_eq!(s.api_base, "http://127.0.0.1:8787/v1");
        assert_eq!(s.payee_id, PAYEE);
        assert_eq!(s.quote.asset_id, "eur");
        assert_eq!(s.mode, PaymentMode::PayLink);
        assert_eq!(
            s.expiry_minutes, DEFAULT_EXPIRY_MINUTES,
            "0 minutes is skipped"
        );
        assert!(s.is_ready());
        let bad = ProvisionedConfig {
            payee_id: Some("x".into()),
            api_base: Some("ftp://x".into()),
            ..ProvisionedConfig::default()
        };
        assert_eq!(bad.apply_to(Settings::default()), Settings::default());
    }

    #[test]
    fn the_form_refuses_an_api_base_that_is_not_mixpay() {
        let mut form = SettingsForm::from_settings(&ready());
        form.api_base = "https://evil.example/v1".into();
        let quotes = vec![QuoteAsset::usd()];
        let problems = form
            .to_settings(&quotes, &[], &QuoteAsset::usd(), &Pinned::mixpay_only())
            .unwrap_err();
        assert!(problems[0].to_string().contains("only MixPay's address"), "{problems:?}");
        form.api_base = "http://127.0.0.1:8787/v1".into();
        form.pay_base = "http://127.0.0.1:8787".into();
        assert!(form
            .to_settings(&quotes, &[], &QuoteAsset::usd(), &Pinned::mixpay_only())
            .is_err());
        assert!(form
            .to_settings(&quotes, &[], &QuoteAsset::usd(), &Pinned::with_extra("http://127.0.0.1:*"))
            .is_ok());
    }

    /// The hand-written writer writes what the derived `Serialize` wrote.
    #[test]
    fn settings_are_written_as_the_derive_wrote_them() {
        let mut s = ready();
        assert_eq!(to_stored(&s), serde_json::to_string(&s).unwrap());
        s.settlement = None;
        s.quote.min = Some(Amount::parse("0.01").unwrap());
        s.quote.max = Some(Amount::parse("50000").unwrap());
        s.tips.enabled = true;
        s.tips.percents = vec![];
        s.paper = crate::domain::receipt::PaperWidth::Mm80;
        s.mode = PaymentMode::PayLink;
        s.shop_name = "Café \"Ü\"\t".into();
        assert_eq!(to_stored(&s), serde_json::to_string(&s).unwrap());
        assert_eq!(read_settings(&super::super::json::parse(&to_stored(&s)).unwrap()).unwrap(), s);
        assert_eq!(to_stored(&Settings::default()), serde_json::to_string(&Settings::default()).unwrap());
    }
}
