//! Words of the checker's alerts and of History's "Find sales at MixPay",
//! English then Simplified Chinese.

use super::Lang;

/// A sale the cashier cancelled was paid afterwards.
pub fn paid_after_cancel(lang: Lang, order: &str, amount: &str) -> String {
    pick!(
        lang,
        "Paid after it was cancelled: order {order} ({amount})",
        zh!("取消后已付款：订单 {order} （{amount}）"; order, amount),
    )
}

pub fn open_sale(lang: Lang) -> &'static str {
    pick!(lang, "Open sale", zh!("打开销售"))
}

/// The Cancel question: MixPay has no cancel, the QR stays payable.
pub fn still_payable_until(lang: Lang, hh_mm: &str) -> String {
    pick!(
        lang,
        "This QR code can still be paid until {hh_mm}.",
        zh!("此二维码在 {hh_mm} 前仍可付款。"; hh_mm),
    )
}

/// MixPay keeps answering an error about the sale on screen.
pub fn mixpay_answers(lang: Lang, message: &str, code: i64) -> String {
    pick!(
        lang,
        "MixPay answers: {message} ({code}) — still checking",
        zh!("MixPay 回复：{message}（{code}）— 仍在查询"; message, code),
    )
}

pub fn recovered_note(lang: Lang) -> &'static str {
    pick!(
        lang,
        "Found again at MixPay: amount and currency as MixPay reports them.",
        zh!("从 MixPay 找回：金额和币种以 MixPay 的记录为准。"),
    )
}

pub fn find_sales(lang: Lang) -> &'static str {
    pick!(lang, "Find sales at MixPay", zh!("在 MixPay 查找交易"))
}

pub fn find_sales_hint(lang: Lang) -> &'static str {
    pick!(
        lang,
        "Asks MixPay about each order number of this device and adds the sales this device lost. \
         After the storage was cleared, type the device ID of the old order numbers (on a receipt: the part before the dash).",
        zh!("按本设备的每个订单号向 MixPay 查询，并补回本设备丢失的交易。存储被清除后，请输入旧订单号的设备编号（收据上订单号横线前的部分）。"),
    )
}

pub fn device_id(lang: Lang) -> &'static str {
    pick!(lang, "Device ID", zh!("设备编号"))
}

pub fn stop(lang: Lang) -> &'static str {
    pick!(lang, "Stop", zh!("停止"))
}

pub fn find_progress(lang: Lang, asked: u64, found: usize) -> String {
    pick!(
        lang,
        "Looked at {asked} order numbers; {found} lost sales found so far.",
        zh!("已查看 {asked} 个订单号；目前找到 {found} 笔丢失的交易。"; asked, found),
    )
}

pub fn find_done(lang: Lang, asked: u64, found: usize) -> String {
    pick!(
        lang,
        "Done: looked at {asked} order numbers, added {found} sales.",
        zh!("完成：已查看 {asked} 个订单号，补回 {found} 笔交易。"; asked, found),
    )
}

pub fn find_stopped(lang: Lang, asked: u64, found: usize) -> String {
    pick!(
        lang,
        "Stopped after {asked} order numbers; {found} sales added.",
        zh!("已在查询 {asked} 个订单号后停止；补回 {found} 笔交易。"; asked, found),
    )
}

pub fn find_failed(lang: Lang, asked: u64, found: usize, why: &str) -> String {
    pick!(
        lang,
        "Stopped after {asked} order numbers ({found} sales added): {why}",
        zh!("查询 {asked} 个订单号后中止（补回 {found} 笔交易）：{why}"; asked, found, why),
    )
}

pub fn bad_device_id(lang: Lang) -> &'static str {
    pick!(
        lang,
        "A device ID is 6 letters and digits, as in an order number.",
        zh!("设备编号为 6 位字母和数字，与订单号中的一致。"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_words_in_both_languages() {
        assert_eq!(
            paid_after_cancel(Lang::En, "T3K9QX-000007", "$5.00"),
            "Paid after it was cancelled: order T3K9QX-000007 ($5.00)"
        );
        assert_eq!(
            paid_after_cancel(Lang::ZhHans, "T3K9QX-000007", "$5.00"),
            "取消后已付款：订单 T3K9QX-000007 （$5.00）"
        );
        assert_eq!(open_sale(Lang::ZhHans), "打开销售");
        assert_eq!(
            still_payable_until(Lang::En, "14:05"),
            "This QR code can still be paid until 14:05."
        );
        assert_eq!(still_payable_until(Lang::ZhHans, "14:05"), "此二维码在 14:05 前仍可付款。");
        assert_eq!(
            mixpay_answers(Lang::En, "Maintenance", 10008),
            "MixPay answers: Maintenance (10008) — still checking"
        );
        assert_eq!(find_sales(Lang::En), "Find sales at MixPay");
    }
}
