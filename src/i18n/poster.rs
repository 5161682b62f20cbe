//! The words of the "Shop QR code" poster (issue 27, part 3), English then
//! Simplified Chinese. Only the Settings part reads them, so they travel in
//! its wasm, not in the till's first load (the `Msg` catalogue is read by the
//! first load, and every text of it is there).

use super::Lang;

/// The button in Settings, and the poster's name on screen.
pub fn shop_qr_code(lang: Lang) -> &'static str {
    pick!(lang, "Shop QR code", zh!("店铺收款码"))
}

/// The poster's headline: the payer scans and types the amount.
pub fn scan_to_pay(lang: Lang, shop: &str) -> String {
    let shop = shop.trim();
    if shop.is_empty() {
        return pick!(lang, "Scan to pay: you type the amount", zh!("扫码付款：金额由您输入")).into();
    }
    pick!(lang, "Scan to pay {shop}: you type the amount", zh!("扫码向{shop}付款：金额由您输入"; shop))
}

/// The QR's name for screen readers.
pub fn poster_qr_label(lang: Lang, shop: &str) -> String {
    let words = scan_to_pay(lang, shop);
    pick!(lang, "QR code: {words}", zh!("二维码：{words}"; words))
}

/// In what the payer types the amount: "Amount in USD".
pub fn amount_in(lang: Lang, symbol: &str) -> String {
    pick!(lang, "Amount in {symbol}", zh!("金额单位：{symbol}"; symbol))
}

/// The till has no traceId to ask MixPay about such a payment.
pub fn not_in_history(lang: Lang) -> &'static str {
    pick!(
        lang,
        "Payments to this code do not appear in this app's History; see MixPay's dashboard.",
        zh!("通过此二维码的付款不会出现在本应用的历史记录中；请在 MixPay 的后台查看。")
    )
}

/// When the poster was made (a local day, `2026-12-07`).
pub fn made_on(lang: Lang, iso_day: &str) -> String {
    let day = crate::domain::lang::format_day(lang, iso_day);
    pick!(lang, "Made on {day}", zh!("制作于 {day}"; day))
}

/// Instead of a code, when the settings cannot make a right one.
pub fn poster_not_ready(lang: Lang) -> &'static str {
    pick!(lang, "No QR code yet: the settings are not ready.", zh!("暂时无法生成二维码：设置尚未完成。"))
}

/// The settings on screen were never saved (a first run).
pub fn save_settings_first(lang: Lang) -> &'static str {
    pick!(lang, "Save the settings first.", zh!("请先保存设置。"))
}

/// The poster's paper size.
pub fn poster_paper(lang: Lang) -> &'static str {
    pick!(lang, "Paper", zh!("纸张"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_words_and_no_english_in_chinese() {
        let en = Lang::En;
        assert_eq!(shop_qr_code(en), "Shop QR code");
        assert_eq!(scan_to_pay(en, " Demo Coffee "), "Scan to pay Demo Coffee: you type the amount");
        assert!(poster_qr_label(en, "Demo Coffee").contains("QR code"));
        assert!(not_in_history(en).contains("Payments to this code do not appear in this app's History; see MixPay's dashboard"));
        assert_eq!(made_on(en, "2026-12-07"), "Made on 2026-12-07");
        let zh = Lang::ZhHans;
        assert_eq!(made_on(zh, "2026-12-07"), "制作于 2026年12月7日");
        for text in [
            shop_qr_code(zh).to_string(),
            scan_to_pay(zh, "演示咖啡馆"),
            scan_to_pay(zh, ""),
            poster_qr_label(zh, "演示咖啡馆"),
            amount_in(zh, "¥"),
            not_in_history(zh).to_string(),
            poster_not_ready(zh).to_string(),
            save_settings_first(zh).to_string(),
            poster_paper(zh).to_string(),
        ] {
            let english: Vec<&str> = text
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| !w.is_empty() && *w != "MixPay")
                .collect();
            assert!(english.is_empty(), "{english:?} in {text:?}");
        }
    }
}
