//! The words of printing straight to a thermal printer (issue 28): Settings →
//! "Printer", the printer's notices, the test page and the kitchen ticket.
//! Only the Settings and printer parts read them (and the payment part's
//! call on Paid, which says nothing), so they are not in the till's first
//! load.

use super::Lang;

/// The Settings section, and the name of the printer's notice.
pub fn printer(lang: Lang) -> &'static str {
    pick!(lang, "Printer", zh!("打印机"))
}

pub fn connect_printer(lang: Lang) -> &'static str {
    pick!(lang, "Connect a printer", zh!("连接打印机"))
}

pub fn print_test_page(lang: Lang) -> &'static str {
    pick!(lang, "Print a test page", zh!("打印测试页"))
}

pub fn auto_print(lang: Lang) -> &'static str {
    pick!(lang, "Print receipts by themselves after Paid", zh!("收款成功后自动打印收据"))
}

pub fn kitchen_ticket(lang: Lang) -> &'static str {
    pick!(lang, "Kitchen ticket", zh!("厨房小票"))
}

/// Under the kitchen ticket's box: when it prints and what it holds.
pub fn kitchen_ticket_hint(lang: Lang) -> &'static str {
    pick!(
        lang,
        "Printed after Paid: the order number large, what was ordered and the notes, no prices.",
        zh!("收款成功后打印：大号订单号、所点商品和备注，不含价格。")
    )
}

/// A browser that has neither Web Serial nor Web Bluetooth.
pub fn no_printer_api(lang: Lang) -> &'static str {
    pick!(
        lang,
        "This browser cannot reach a printer by itself (it has neither Web Serial nor Web Bluetooth): receipts print through the print dialog. Chrome on Android or on a computer can.",
        zh!("此浏览器无法直接连接打印机：收据将通过打印对话框打印。安卓或电脑上的谷歌浏览器可以直接连接。")
    )
}

/// How a printer is reached, under "Connect a printer".
pub fn printer_hint(lang: Lang) -> &'static str {
    pick!(
        lang,
        "58 or 80 mm ESC/POS receipt printers: over USB, or Bluetooth once paired in the tablet's settings. The browser shows its own list to choose from.",
        zh!("支持 58 或 80 毫米热敏小票打印机：通过数据线连接，或先在平板的系统设置中配对蓝牙。浏览器会列出可选的打印机。")
    )
}

pub fn no_printer_connected(lang: Lang) -> &'static str {
    pick!(lang, "No printer connected.", zh!("未连接打印机。"))
}

/// A printer reached over a serial port (USB, or Bluetooth SPP on Android).
pub fn connected_serial(lang: Lang) -> &'static str {
    pick!(lang, "Printer connected (serial port).", zh!("打印机已连接（串口）。"))
}

/// A printer reached over Bluetooth Low Energy, with the name it gives.
pub fn connected_bluetooth(lang: Lang, name: &str) -> String {
    pick!(lang, "Printer connected (Bluetooth: {name}).", zh!("打印机已连接（蓝牙：{name}）。"; name))
}

/// The browser's picker closed without a printer.
pub fn no_printer_chosen(lang: Lang) -> &'static str {
    pick!(lang, "No printer was chosen.", zh!("未选择打印机。"))
}

pub fn printing(lang: Lang) -> &'static str {
    pick!(lang, "Printing…", zh!("正在打印…"))
}

pub fn printed(lang: Lang) -> &'static str {
    pick!(lang, "Printed.", zh!("已打印。"))
}

/// A job that did not reach the paper: the printer is off, out of paper or
/// the link dropped. The sale is not touched by it.
pub fn print_failed(lang: Lang) -> &'static str {
    pick!(
        lang,
        "The printer did not print: it may be off, out of paper or disconnected. The sale is recorded. Check the printer, then tap Try again.",
        zh!("打印机未能打印：可能已关机、缺纸或断开连接。这笔交易已记录。请检查打印机后点击“重试”。")
    )
}

/// The job cannot start: no printer is connected on this tablet (or its
/// permission was withdrawn). "Try again" asks the browser for one.
pub fn print_needs_printer(lang: Lang) -> &'static str {
    pick!(
        lang,
        "No printer is connected: tap Try again to choose it, or connect one under Settings → Printer.",
        zh!("未连接打印机：点击“重试”选择打印机，或在“设置 → 打印机”中连接。")
    )
}

/// The test page's heading and line.
pub fn test_page(lang: Lang) -> &'static str {
    pick!(lang, "Test page", zh!("测试页"))
}

pub fn test_page_works(lang: Lang) -> &'static str {
    pick!(lang, "This printer works.", zh!("打印机工作正常。"))
}

/// The kitchen ticket's heading.
pub fn kitchen(lang: Lang) -> &'static str {
    pick!(lang, "Kitchen", zh!("厨房"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_words_and_no_english_in_chinese() {
        let en = Lang::En;
        assert_eq!(printer(en), "Printer");
        assert_eq!(connect_printer(en), "Connect a printer");
        assert_eq!(print_test_page(en), "Print a test page");
        assert_eq!(auto_print(en), "Print receipts by themselves after Paid");
        assert_eq!(kitchen_ticket(en), "Kitchen ticket");
        assert_eq!(connected_bluetooth(en, "MPT-II"), "Printer connected (Bluetooth: MPT-II).");
        let zh = Lang::ZhHans;
        for text in [
            printer(zh),
            connect_printer(zh),
            print_test_page(zh),
            auto_print(zh),
            kitchen_ticket(zh),
            kitchen_ticket_hint(zh),
            no_printer_api(zh),
            printer_hint(zh),
            no_printer_connected(zh),
            connected_serial(zh),
            &connected_bluetooth(zh, "打印机"),
            no_printer_chosen(zh),
            printing(zh),
            printed(zh),
            print_failed(zh),
            print_needs_printer(zh),
            test_page(zh),
            test_page_works(zh),
            kitchen(zh),
        ] {
            let english: Vec<&str> = text
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| !w.is_empty() && *w != "MixPay")
                .collect();
            assert!(english.is_empty(), "{english:?} in {text:?}");
        }
    }
}
