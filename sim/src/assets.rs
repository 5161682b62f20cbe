//! The simulator's asset table, payees and prices: realistic values with the
//! real asset ids of the contract page, so the app meets what MixPay serves.

use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;

#[derive(Debug)]
pub struct Asset {
    pub id: &'static str,
    pub symbol: &'static str,
    pub name: &'static str,
    /// 1 crypto, 0 fiat.
    pub is_asset: bool,
    pub decimal_digit: u32,
    pub min_quote: &'static str,
    pub max_quote: &'static str,
    /// Price in USD, for estimates and payment amounts.
    pub usd_price: &'static str,
    pub network: &'static str,
    /// Whether MixPay settles in this asset (fiat never).
    pub settles: bool,
    pub payable: bool,
}

pub const BTC: &str = "c6d0c728-2624-429b-8e0d-d9d19b6592fa";
pub const USDT: &str = "4d8c508b-91c5-375b-92b0-ee702ed2dac5";
pub const USDC: &str = "9b180ab6-6abe-3dc0-a13f-04169eb34bfa";
pub const ETH: &str = "43d61dcd-e413-450d-80b8-101d5e903357";
pub const XIN: &str = "c94ac88f-4671-3976-b60a-09064f1811e8";

pub const ASSETS: &[Asset] = &[
    fiat("usd", "USD", "US Dollar", 2, "0.01", "50000", "1"),
    fiat("eur", "EUR", "Euro", 2, "0.01", "45000", "1.08"),
    fiat("cny", "CNY", "Chinese Yuan", 2, "0.1", "350000", "0.14"),
    fiat("jpy", "JPY", "Japanese Yen", 0, "1", "7000000", "0.0067"),
    crypto(
        BTC,
        "BTC",
        "Bitcoin",
        8,
        "0.00000100",
        "1",
        "90000",
        "Bitcoin",
    ),
    crypto(ETH, "ETH", "Ether", 8, "0.000010", "20", "3000", "Ethereum"),
    crypto(
        USDT,
        "USDT",
        "Tether USD",
        2,
        "0.01",
        "50000",
        "1",
        "Ethereum",
    ),
    crypto(
        USDC, "USDC", "USD Coin", 2, "0.01", "50000", "1", "Ethereum",
    ),
    crypto(XIN, "XIN", "Mixin", 8, "0.0001", "500", "100", "Mixin"),
];

const fn fiat(
    id: &'static str,
    symbol: &'static str,
    name: &'static str,
    decimal_digit: u32,
    min_quote: &'static str,
    max_quote: &'static str,
    usd_price: &'static str,
) -> Asset {
    Asset {
        id,
        symbol,
        name,
        is_asset: false,
        decimal_digit,
        min_quote,
        max_quote,
        usd_price,
        network: "",
        settles: false,
        payable: false,
    }
}

#[allow(clippy::too_many_arguments)]
const fn crypto(
    id: &'static str,
    symbol: &'static str,
    name: &'static str,
    decimal_digit: u32,
    min_quote: &'static str,
    max_quote: &'static str,
    usd_price: &'static str,
    network: &'static str,
) -> Asset {
    Asset {
        id,
        symbol,
        name,
        is_asset: true,
        decimal_digit,
        min_quote,
        max_quote,
        usd_price,
        network,
        settles: true,
        payable: true,
    }
}

/// Looks an asset up by id; fiat codes are matched case-insensitively like MixPay's.
pub fn find(id: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.id.eq_ignore_ascii_case(id.trim()))
}

pub fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("asset table holds valid decimals")
}

impl Asset {
    /// Icons are served by the simulator itself (`/icons/{symbol}.svg`), so
    /// nothing on a page reaches outside the machine.
    pub fn icon_url(&self, base: &str) -> String {
        format!("{base}/icons/{}.svg", self.symbol.to_lowercase())
    }

    pub fn min(&self) -> Decimal {
        dec(self.min_quote)
    }

    pub fn max(&self) -> Decimal {
        dec(self.max_quote)
    }

    pub fn price(&self) -> Decimal {
        dec(self.usd_price)
    }

    /// `amount` of this asset expressed in `other`, rounded to `other`'s places.
    pub fn convert(&self, amount: Decimal, other: &Asset) -> Decimal {
        (amount * self.price() / other.price())
            .round_dp(other.decimal_digit.max(2))
            .normalize()
    }

    pub fn quote_json(&self, base: &str) -> Value {
        json!({
            "assetId": self.id,
            "symbol": self.symbol,
            "iconUrl": self.icon_url(base),
            "decimalDigit": self.decimal_digit,
            "minQuoteAmount": self.min_quote,
            "maxQuoteAmount": self.max_quote,
            "isAsset": u8::from(self.is_asset),
            "chainAsset": if self.is_asset {
                json!({"id": self.id, "symbol": self.symbol, "name": self.name, "iconUrl": self.icon_url(base)})
            } else {
                json!({})
            },
        })
    }

    pub fn settlement_json(&self, base: &str) -> Value {
        json!({
            "assetId": self.id,
            "name": self.name,
            "symbol": self.symbol,
            "iconUrl": self.icon_url(base),
            "network": self.network,
            "isAsset": u8::from(self.is_asset),
        })
    }
}

pub struct Payee {
    pub id: &'static str,
    pub name: &'static str,
    pub mixin_number: &'static str,
}

/// Known MixPay users. The first is the demo shop that `make demo` configures.
pub const PAYEES: &[Payee] = &[
    Payee {
        id: "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b",
        name: "Demo Coffee",
        mixin_number: "7000123456",
    },
    Payee {
        id: "b7e3a1d2-4c5f-4a6b-8d9e-0f1a2b3c4d5e",
        name: "Other Shop",
        mixin_number: "40053095",
    },
];

pub fn find_payee(id: &str) -> Option<&'static Payee> {
    PAYEES.iter().find(|p| p.id.eq_ignore_ascii_case(id.trim()))
}

/// A round badge with the symbol: the simulator's stand-in for MixPay's icons.
pub fn icon_svg(symbol: &str) -> Option<String> {
    let asset = ASSETS
        .iter()
        .find(|a| a.symbol.eq_ignore_ascii_case(symbol))?;
    let hue = asset
        .symbol
        .bytes()
        .fold(0u32, |h, b| h * 31 + u32::from(b))
        % 360;
    Some(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><circle cx="32" cy="32" r="32" fill="hsl({hue} 60% 45%)"/><text x="32" y="38" font-family="sans-serif" font-size="16" font-weight="700" text-anchor="middle" fill="#fff">{}</text></svg>"##,
        asset.symbol
    ))
}
