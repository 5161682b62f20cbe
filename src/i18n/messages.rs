//! The messages, English first, then Simplified Chinese.

use super::Lang;
use crate::api::ApiError;
use crate::domain::history::StatusFilter;
use crate::domain::keypad::{KeyRefused, LimitError};
use crate::domain::config_fields::{ConfigReading, FieldWhy, Unreadable};
use crate::domain::money::AmountError;
use crate::domain::receipt::{Receipt, ReceiptLine};
use crate::domain::origins::{BaseKind, OriginProblem};
use crate::domain::sale::Sale;
use crate::domain::settings::{SettingsProblem, StoredSettingsError};
use crate::domain::status::{SaleStatus, FAILURE_OVERTIME};

/// Fixed words of the screens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    AppName,
    NavSale,
    NavHistory,
    NavSettings,
    Offline,
    UpdateAvailable,
    AfterThisSale,
    ReloadToUpdate,
    Dismiss,
    Starting,
    // The keypad screen.
    Amount,
    AmountKeypad,
    Backspace,
    Clear,
    NoteOptional,
    NotePlaceholder,
    NotSetUp,
    SetUpFirst,
    // The payment screen.
    CouldNotCreate,
    TryAgain,
    TimeLeft,
    NoWakeLock,
    LinkCopied,
    CopyLink,
    ShowToCustomer,
    NewSale,
    Cancel,
    CustomerView,
    Close,
    PaidLate,
    CustomerPaid,
    Transaction,
    DoNotHandOver,
    MismatchNext,
    KeepSaleOpen,
    KeptToSettle,
    MarkSettled,
    CancelSaleQuestion,
    YesCancelSale,
    KeepWaiting,
    ScanToPay,
    Turn180,
    SaleInProgress,
    AutoReturn,
    Details,
    ExpiredTitle,
    Expected,
    Received,
    NotPaid,
    NotPaidTitle,
    QrExpired,
    QrExpiredCustomer,
    LatePaymentRefunded,
    // What a failed sale the customer paid, and a create that cannot be retried (issue 24).
    RefundFromWallet,
    AlreadyAtMixPay,
    // Settings.
    Settings,
    Language,
    LoadingLists,
    Payee,
    PayeePlaceholder,
    QuoteCurrency,
    SettlementAsset,
    Choose,
    ShopName,
    PaymentMode,
    OneTimeMode,
    PayLinkMode,
    ExpiryMinutes,
    Strict,
    Advanced,
    GroupShop,
    GroupGettingPaid,
    GroupSafety,
    AccountHint,
    Dates,
    Today,
    Yesterday,
    Last7Days,
    PastWeek,
    AllDates,
    Export,
    AccountLabel,
    ApiBase,
    PayPageBase,
    ReloadLists,
    Save,
    // History.
    History,
    Day,
    Status,
    From,
    To,
    ExportCsv,
    LoadingHistory,
    NoSales,
    TotalsLabel,
    Currency,
    PaidSales,
    Total,
    NoVerified,
    Recheck,
    // Words of the status and mismatch tables.
    Paid,
    // Tips, receipts, sounds, order numbers (issue 13, parts 1–4).
    AddATip,
    Subtotal,
    CustomTip,
    NoTip,
    AddTip,
    Back,
    ReceiptShareFailed,
    ReceiptCopied,
    ReceiptCopyFailed,
    Receipt,
    ReceiptHeading,
    TraceQrLabel,
    TraceId,
    ThankYou,
    Print,
    Share,
    AskForTip,
    TipPercentages,
    ReceiptPaper,
    Sounds,
    Tips,
    Order,
    OrderNumber,
    SearchPlaceholder,
    Search,
    AtTheCounter,
    PaidWithLabel,
    // The owner's PIN and the payee change (issue 11).
    SettingsLocked,
    PinHintTail,
    MixinId,
    SavedSettingsGone,
    OwnerPin,
    Unlock,
    WrongPin,
    ForgotPin,
    ResetDevice,
    ResetWarning,
    ShopNameToConfirm,
    TypeShopName,
    NotThisShop,
    SetOwnerPin,
    PinRule,
    PinGuards,
    NewOwnerPin,
    ConfirmOwnerPin,
    ExportNeedsPin,
    ConfirmNewPayee,
    ConfirmTheNewPayee,
    KeepOldPayee,
    // Switching to pay-link mode asks for the current PIN (issue 24 point 4).
    PayLinkNeedsPin,
    PinWhyPayLink,
    NewPayee,
    OldPayee,
    PayeeChanges,
    OpenSettingsCheck,
    // Products and the cart (issue 16).
    Products,
    Keypad,
    SellFrom,
    AddToCart,
    Cart,
    TapProductToAdd,
    EmptyTheCart,
    YesEmptyIt,
    Keep,
    ClearCart,
    CartEmpty,
    CartChanged,
    CustomAmount,
    OtherCategory,
    SearchProducts,
    Categories,
    AllCategories,
    NoProductMatches,
    AddProduct,
    ImportProducts,
    ExportJson,
    ProductName,
    Price,
    Category,
    BadgeLabel,
    BadgePlaceholder,
    SaveProduct,
    NothingImported,
    HiddenTag,
    Edit,
    Show,
    Hide,
    Delete,
    RemoveAllProducts,
    PricesKept,
    AllProductsRemoved,
    NoFileChosen,
    FileTooBig,
    FileUnreadable,
    AnswerPricesFirst,
}

impl Msg {
    pub fn text(self, lang: Lang) -> &'static str {
        use Msg::*;
        let (en, zh) = match self {
            AppName => ("MixPay PoS", zh!("MixPay 收银台")),
            NavSale => ("Sale", zh!("收银")),
            NavHistory | History => ("History", zh!("历史记录")),
            NavSettings | Settings => ("Settings", zh!("设置")),
            Offline => (
                "Offline — reconnecting when the network returns.",
                zh!("离线 — 网络恢复后自动重新连接。"),
            ),
            UpdateAvailable => ("Update available", zh!("有可用更新")),
            AfterThisSale => ("— after this sale", zh!("— 本笔交易结束后")),
            ReloadToUpdate => ("Reload to update", zh!("重新载入以更新")),
            Dismiss => ("Dismiss", zh!("关闭提示")),
            Starting => ("Starting…", zh!("正在启动…")),
            Amount => ("Amount", zh!("金额")),
            AmountKeypad => ("Amount keypad", zh!("金额键盘")),
            Backspace => ("Backspace", zh!("退格")),
            Clear => ("Clear", zh!("清除")),
            NoteOptional => ("Note (optional)", zh!("备注（可选）")),
            NotePlaceholder => ("e.g. table 4", zh!("例如：4 号桌")),
            NotSetUp => (
                "Payments are not set up yet: open Settings.",
                zh!("尚未设置收款：请打开设置。"),
            ),
            SetUpFirst => ("Set up payments in Settings first.", zh!("请先在设置中设置收款。")),
            CouldNotCreate => ("The payment could not be created: ", zh!("无法创建付款：")),
            TryAgain => ("Try again", zh!("重试")),
            TimeLeft => ("Time left", zh!("剩余时间")),
            NoWakeLock => (
                "This browser cannot keep the screen on: turn off auto-lock while the customer pays.",
                zh!("此浏览器无法保持屏幕常亮：顾客付款期间请关闭自动锁屏。"),
            ),
            LinkCopied => ("Link copied", zh!("链接已复制")),
            CopyLink => ("Copy payment link", zh!("复制付款链接")),
            ShowToCustomer => ("Show to customer", zh!("给顾客看")),
            NewSale => ("New sale", zh!("新交易")),
            Cancel => ("Cancel", zh!("取消")),
            CustomerView => ("Customer view", zh!("顾客视图")),
            Close => ("Close", zh!("关闭")),
            PaidLate => (
                "Paid late, after the payment had expired.",
                zh!("付款已过期后才支付（迟到的付款）。"),
            ),
            CustomerPaid => ("Customer paid ", zh!("顾客已付 ")),
            Transaction => ("Transaction ", zh!("交易 ")),
            DoNotHandOver => ("Do not hand over goods", zh!("请勿交付商品")),
            MismatchNext => (
                "The payment is not what this sale asked for. Keep this sale open and \
                 settle it with the customer (a refund through MixPay support, or a new sale \
                 for the right amount).",
                zh!("这笔付款与本次交易不符。请保持此交易开启，并与顾客协商处理（通过 MixPay 客服退款，或按正确金额重新收款）。"),
            ),
            KeepSaleOpen => ("Keep this sale open", zh!("保持此交易开启")),
            MarkSettled => ("Mark settled", zh!("标记为已处理")),
            KeptToSettle => (
                "Kept open: History shows this sale as to settle.",
                zh!("已保持开启：历史记录中此交易显示为待处理。"),
            ),
            CancelSaleQuestion => (
                "Cancel this sale? The till keeps checking it and tells you if it is still paid.",
                zh!("取消这笔交易？收银台会继续查询，如果仍被支付会提醒你。"),
            ),
            YesCancelSale => ("Yes, cancel the sale", zh!("是的，取消交易")),
            KeepWaiting => ("Keep waiting", zh!("继续等待")),
            ScanToPay => (
                "Scan to pay with Mixin or any wallet MixPay supports",
                zh!("请用 Mixin 或 MixPay 支持的任一钱包扫码付款"),
            ),
            Turn180 => ("Turn 180°", zh!("旋转 180°")),
            SaleInProgress => ("Sale in progress", zh!("交易进行中")),
            AutoReturn => ("New sale by itself after Paid", zh!("支付成功后自动开始新交易")),
            Details => ("Details", zh!("详情")),
            ExpiredTitle => ("This payment expired", zh!("付款已过期")),
            Expected => ("Expected", zh!("应收")),
            Received => ("Received", zh!("实收")),
            NotPaid => (
                "Do not hand over goods. Ask for another way to pay, or start a new sale.",
                zh!("请勿交付商品。请换一种付款方式，或开始新的交易。"),
            ),
            NotPaidTitle => ("Not paid", zh!("未付款")),
            QrExpired => (
                "This QR code has expired. If the customer still wants to pay, cancel and start a new sale.",
                zh!("此二维码已过期。如果顾客仍要付款，请取消并开始新的交易。"),
            ),
            QrExpiredCustomer => (
                "This QR code has expired. Please ask at the counter.",
                zh!("此二维码已过期。请向收银台询问。"),
            ),
            LatePaymentRefunded => (
                "A payment made after the expiry is refunded by MixPay, and this sale stays failed.",
                zh!("过期后才付的款会由 MixPay 退还，此交易仍为失败。"),
            ),
            RefundFromWallet => (
                "Paid from a Mixin wallet: MixPay refunds it by itself.",
                zh!("如果是用 Mixin 钱包支付的：MixPay 会自动退款。"),
            ),
            AlreadyAtMixPay => (
                "This sale already exists at MixPay: start a new sale",
                zh!("此订单在 MixPay 已存在：请开始新的销售"),
            ),
            Language => ("Language", zh!("语言")),
            LoadingLists => ("Loading MixPay's currency lists…", zh!("正在载入 MixPay 的币种列表…")),
            Payee => ("Payee: the account that receives the money", zh!("收款方：收钱的账户")),
            AccountHint => (
                "Your Mixin ID number, or the account's UUID. A Mixin ID number is looked up at MixPay when you save.",
                zh!("您的 Mixin ID 号码，或账户的 UUID。保存时会向 MixPay 查询 Mixin ID 号码。"),
            ),
            PayeePlaceholder => (
                "e.g. 3f2a9c1e-… or 7000123456",
                zh!("例如 3f2a9c1e-… 或 7000123456"),
            ),
            QuoteCurrency => ("Quote currency: the currency of your prices", zh!("计价币种：商品价格的币种")),
            SettlementAsset => ("Settlement asset: what you receive", zh!("结算资产：你收到的资产")),
            Choose => ("Choose…", zh!("请选择…")),
            ShopName => ("Shop name", zh!("店铺名称")),
            PaymentMode => ("Payment mode", zh!("收款方式")),
            OneTimeMode => ("One-time payment (recommended)", zh!("一次性付款（推荐）")),
            PayLinkMode => (
                "Pay link (testing only: the payer can edit it)",
                zh!("付款链接（仅供测试：付款人可以修改它）"),
            ),
            ExpiryMinutes => ("Expiry (minutes)", zh!("有效期（分钟）")),
            Strict => (
                "Only accept payments that arrive as the asset above",
                zh!("只接受以上面所选资产到账的付款"),
            ),
            Advanced => ("Advanced", zh!("高级")),
            GroupShop => ("Shop", zh!("店铺")),
            GroupGettingPaid => ("Getting paid", zh!("收款")),
            GroupSafety => ("Safety", zh!("安全")),
            Dates => ("Dates", zh!("日期")),
            Today => ("Today", zh!("今天")),
            Yesterday => ("Yesterday", zh!("昨天")),
            Last7Days => ("7 days", zh!("近 7 天")),
            PastWeek => ("Last 7 days", zh!("最近 7 天")),
            AllDates => ("All", zh!("全部")),
            Export => ("Export", zh!("导出")),
            AccountLabel => ("Account ", zh!("收款账户 ")),
            ApiBase => ("API base", zh!("API 地址")),
            PayPageBase => ("Pay-page base", zh!("付款页地址")),
            ReloadLists => ("Reload currency lists", zh!("重新载入币种列表")),
            Save => ("Save", zh!("保存")),
            Day => ("Day", zh!("日期")),
            Status => ("Status", zh!("状态")),
            From => ("From", zh!("从")),
            To => ("To", zh!("到")),
            ExportCsv => ("Export CSV", zh!("导出 CSV")),
            LoadingHistory => ("Loading the history…", zh!("正在载入历史记录…")),
            NoSales => ("No sales here yet.", zh!("这里还没有交易。")),
            TotalsLabel => ("Totals of verified payments", zh!("已核实付款的合计")),
            Currency => ("Currency", zh!("币种")),
            PaidSales => ("Paid sales", zh!("已付交易")),
            Total => ("Total", zh!("合计")),
            NoVerified => ("No verified payments yet.", zh!("还没有已核实的付款。")),
            Recheck => ("Re-check", zh!("重新查询")),
            Paid => ("Paid", zh!("已支付")),
            AddATip => ("Add a tip?", zh!("要加小费吗？")),
            Subtotal => ("Subtotal ", zh!("小计 ")),
            CustomTip => ("Custom tip", zh!("自定义小费")),
            NoTip => ("No tip", zh!("不加小费")),
            AddTip => ("Add tip", zh!("添加小费")),
            Back => ("Back", zh!("返回")),
            ReceiptShareFailed => ("The receipt could not be shared.", zh!("无法分享收据。")),
            ReceiptCopied => ("Receipt copied as text.", zh!("收据已作为文本复制。")),
            ReceiptCopyFailed => ("The receipt could not be copied.", zh!("无法复制收据。")),
            Receipt => ("Receipt", zh!("收据")),
            ReceiptHeading => ("Receipt — paid with MixPay", zh!("收据 — 通过 MixPay 支付")),
            TraceQrLabel => (
                "Trace ID as a code, to look this payment up",
                zh!("追踪号二维码，用于查询此笔付款"),
            ),
            TraceId => ("Trace ID ", zh!("追踪号 ")),
            ThankYou => ("Thank you!", zh!("谢谢惠顾！")),
            Print => ("Print", zh!("打印")),
            Share => ("Share", zh!("分享")),
            AskForTip => ("Ask for a tip", zh!("询问小费")),
            TipPercentages => ("Tip percentages (up to 4)", zh!("小费百分比（最多 4 个）")),
            ReceiptPaper => ("Receipt paper", zh!("收据纸宽")),
            Sounds => ("Sounds", zh!("声音")),
            Tips => ("Tips", zh!("小费")),
            Order => ("Order ", zh!("订单 ")),
            OrderNumber => ("Order number", zh!("订单号")),
            SearchPlaceholder => ("Order number, note or trace ID", zh!("订单号、备注或追踪号")),
            Search => ("Search", zh!("搜索")),
            AtTheCounter => ("At the counter", zh!("柜台")),
            PaidWithLabel => ("Paid with", zh!("支付方式")),
            SettingsLocked => ("Settings are locked", zh!("设置已锁定")),
            PinHintTail => (
                " in Settings, so nobody at the counter can change where the money goes.",
                zh!("（在设置中），这样柜台的任何人都无法更改款项的去向。"),
            ),
            MixinId => ("Mixin ID ", zh!("Mixin ID ")),
            SavedSettingsGone => (
                "The saved settings are gone from this device (the browser cleared its storage). \
                 The app fell back to config.json: check every field, then save.",
                zh!("本设备上保存的设置已不见了（浏览器清除了其存储）。应用改用了 config.json：请逐项检查后保存。"),
            ),
            OwnerPin => ("Owner PIN", zh!("店主密码")),
            Unlock => ("Unlock", zh!("解锁")),
            WrongPin => ("Wrong PIN", zh!("密码错误")),
            ForgotPin => ("Forgot the PIN?", zh!("忘记密码？")),
            ResetDevice => ("Reset this device", zh!("重置此设备")),
            ResetWarning => (
                "Resetting erases the settings and the PIN on this tablet (the sales history stays). ",
                zh!("重置会清除本平板上的设置和密码（交易历史会保留）。"),
            ),
            ShopNameToConfirm => ("Shop name to confirm", zh!("输入店铺名称以确认")),
            TypeShopName => ("Type the shop name to confirm.", zh!("请输入店铺名称以确认。")),
            NotThisShop => ("That is not this shop's name.", zh!("这不是本店的名称。")),
            SetOwnerPin => ("Set an owner PIN", zh!("设置店主密码")),
            PinRule => (
                "6 to 8 digits. Once set, these settings, other days' sales and the CSV export need it.",
                zh!("6 到 8 位数字。设置后，修改这些设置、查看其他日期的交易和导出 CSV 都需要它。"),
            ),
            PinGuards => (
                "A PIN guards these settings and the CSV export. Type a new one to change it, or leave both empty.",
                zh!("密码保护这些设置和 CSV 导出。输入新密码即可更改，或两项都留空。"),
            ),
            NewOwnerPin => ("New owner PIN", zh!("新的店主密码")),
            ConfirmOwnerPin => ("Confirm owner PIN", zh!("确认店主密码")),
            ExportNeedsPin => ("Export CSV needs the owner PIN", zh!("导出 CSV 需要店主密码")),
            ConfirmNewPayee => ("Confirm new payee", zh!("确认新的收款方")),
            ConfirmTheNewPayee => ("Confirm the new payee", zh!("确认新的收款方")),
            KeepOldPayee => ("Keep the old payee", zh!("保留原收款方")),
            PayLinkNeedsPin => (
                "Switching to the pay link needs the current owner PIN.",
                zh!("切换到付款链接需要输入当前店主密码。"),
            ),
            PinWhyPayLink => (
                "Pay link mode is MixPay's \"only for testing\": whoever holds the link can edit it before paying, the amount included.",
                zh!("付款链接模式在 MixPay 文档中标为“仅供测试”：拿到链接的人可以在付款前修改它，包括金额。"),
            ),
            NewPayee => ("New payee", zh!("新的收款方")),
            OldPayee => ("Old payee", zh!("原收款方")),
            PayeeChanges => (
                "The payee changes: money from the next sale goes to the new one",
                zh!("收款方将变更：下一笔交易的款项将付给新的收款方"),
            ),
            OpenSettingsCheck => (
                "Open Settings, check them and save before the first sale.",
                zh!("请在第一笔交易前打开设置，检查并保存。"),
            ),
            Products => ("Products", zh!("商品")),
            Keypad => ("Keypad", zh!("键盘")),
            SellFrom => ("Sell from", zh!("销售方式")),
            AddToCart => ("Add to cart", zh!("加入购物车")),
            Cart => ("Cart", zh!("购物车")),
            TapProductToAdd => ("Tap a product to add it.", zh!("点按商品即可加入。")),
            EmptyTheCart => ("Empty the cart?", zh!("要清空购物车吗？")),
            YesEmptyIt => ("Yes, empty it", zh!("是的，清空")),
            Keep => ("Keep", zh!("保留")),
            ClearCart => ("Clear cart", zh!("清空购物车")),
            CartEmpty => ("The cart is empty.", zh!("购物车是空的。")),
            CartChanged => ("The cart changed: charge again.", zh!("购物车已变动：请重新收款。")),
            CustomAmount => ("Custom amount", zh!("自定义金额")),
            OtherCategory => ("Other", zh!("其他")),
            SearchProducts => ("Search products", zh!("搜索商品")),
            Categories => ("Categories", zh!("分类")),
            AllCategories => ("All", zh!("全部")),
            NoProductMatches => ("No product matches.", zh!("没有匹配的商品。")),
            AddProduct => ("Add product", zh!("添加商品")),
            ImportProducts => ("Import products (JSON or CSV)", zh!("导入商品（JSON 或 CSV 文件）")),
            ExportJson => ("Export JSON", zh!("导出 JSON")),
            ProductName => ("Product name", zh!("商品名称")),
            Price => ("Price", zh!("价格")),
            Category => ("Category", zh!("类别")),
            BadgeLabel => ("Colour or emoji (optional)", zh!("颜色或表情符号（可选）")),
            BadgePlaceholder => ("#ff8800 or ☕", zh!("#ff8800 或 ☕")),
            SaveProduct => ("Save product", zh!("保存商品")),
            NothingImported => ("Nothing was imported:", zh!("未导入任何商品：")),
            HiddenTag => ("Hidden", zh!("已隐藏")),
            Edit => ("Edit", zh!("编辑")),
            Show => ("Show", zh!("显示")),
            Hide => ("Hide", zh!("隐藏")),
            Delete => ("Delete", zh!("删除")),
            RemoveAllProducts => ("Remove all products", zh!("删除全部商品")),
            PricesKept => ("Prices kept.", zh!("价格已保留。")),
            AllProductsRemoved => ("All products removed.", zh!("已删除全部商品。")),
            NoFileChosen => ("No file was chosen.", zh!("未选择文件。")),
            FileTooBig => ("The file is larger than 1 MB.", zh!("文件超过 1MB。")),
            FileUnreadable => ("The file could not be read.", zh!("无法读取该文件。")),
            AnswerPricesFirst => (
                "Answer the question about the prices first.",
                zh!("请先回答关于价格的问题。"),
            ),
        };
        pick!(lang, en, zh)
    }
}

/// The Charge button with the amount as the display writes it: "Charge $12.50".
pub fn charge(lang: Lang, amount: &str) -> String {
    pick!(lang, "Charge {amount}", zh!("收款 {amount}"; amount))
}

/// One difference of a mismatch, with units: "Received $0.30, expected $30.00".
pub fn mismatch_line(lang: Lang, line: &crate::domain::outcome::MismatchLine) -> String {
    use crate::domain::outcome::MismatchKind::*;
    let (got, want) = (&line.received, &line.expected);
    match line.kind {
        Amount => pick!(lang, "Received {got}, expected {want}", zh!("实收 {got}，应收 {want}"; got, want)),
        Currency => pick!(lang, "Paid in {got}, expected {want}", zh!("实付币种 {got}，应为 {want}"; got, want)),
        Payee => pick!(lang, "Paid to {got}, expected {want}", zh!("实际收款方 {got}，应为 {want}"; got, want)),
    }
}

/// A choice of the Paid screen's delay: "After 8 s", or "Off".
pub fn auto_return_label(lang: Lang, seconds: u32) -> String {
    match seconds {
        0 => pick!(lang, "Off", zh!("关闭")).into(),
        n => pick!(lang, "After {n} s", zh!("{n} 秒后"; n)),
    }
}

/// The QR screen's countdown: "Expires in 14:32".
pub fn expires_in(lang: Lang, countdown: &str) -> String {
    pick!(lang, "Expires in {countdown}", zh!("{countdown} 后过期"; countdown))
}

/// The Paid screen's countdown: "New sale in 8 s".
pub fn new_sale_in(lang: Lang, seconds: u32) -> String {
    pick!(lang, "New sale in {seconds} s", zh!("{seconds} 秒后开始新交易"; seconds))
}

/// A failed sale the customer paid: "The customer paid 4.50 USDT."
pub fn customer_paid_failed(lang: Lang, amount: &str) -> String {
    pick!(lang, "The customer paid {amount}.", zh!("顾客已支付 {amount}。"; amount))
}

/// How an on-chain payment of a failed sale comes back: MixPay's support,
/// with the order number (when the sale has one) and the trace ID.
pub fn refund_on_chain(lang: Lang, order_id: &str, trace_id: &str) -> String {
    match order_id.is_empty() {
        false => pick!(
            lang,
            "Paid on-chain: the customer contacts MixPay support with the order number {order_id} and the trace ID {trace_id}.",
            zh!("如果是链上转账支付的：请顾客联系 MixPay 客服，并提供订单号 {order_id} 和追踪号 {trace_id}。"; order_id, trace_id)
        ),
        true => pick!(
            lang,
            "Paid on-chain: the customer contacts MixPay support with the trace ID {trace_id}.",
            zh!("如果是链上转账支付的：请顾客联系 MixPay 客服，并提供追踪号 {trace_id}。"; trace_id)
        ),
    }
}

/// Paid with a surplus: "The customer overpaid 0.50 USDT; MixPay refunds it".
pub fn overpaid(lang: Lang, surplus: &str) -> String {
    pick!(
        lang,
        "The customer overpaid {surplus}; MixPay refunds it",
        zh!("顾客多付了 {surplus}；MixPay 会退还"; surplus)
    )
}

/// Paid, settled in another asset than the shop's: "Settled as BTC".
pub fn settled_as(lang: Lang, symbol: &str) -> String {
    pick!(lang, "Settled as {symbol}", zh!("结算为 {symbol}"; symbol))
}

/// An underpayment's headline: "Still due 4.50 USDT".
pub fn still_due(lang: Lang, amount: &str) -> String {
    pick!(lang, "Still due {amount}", zh!("尚欠 {amount}"; amount))
}

/// "paid 4.50 of 9.00" under an underpayment's headline.
pub fn paid_of(lang: Lang, paid: &str, asked: &str) -> String {
    pick!(lang, "paid {paid} of {asked}", zh!("已付 {paid} / {asked}"; paid, asked))
}

/// The customer view while an underpayment waits: "Please pay the remaining 4.50 USDT".
pub fn pay_remaining(lang: Lang, amount: &str) -> String {
    pick!(lang, "Please pay the remaining {amount}", zh!("请支付剩余的 {amount}"; amount))
}

/// Whom the customer pays: "to 3f2a…5a6b · Demo Coffee" (the domain's words).
/// Where the money of the next sale goes, on the settings screen.
pub fn payments_go(lang: Lang, payee_id: &str, name: &str) -> String {
    let to = payee_fingerprint(lang, payee_id, name);
    pick!(lang, "Payments go {to}", zh!("款项{to}"; to))
}

pub fn payee_fingerprint(lang: Lang, payee_id: &str, name: &str) -> String {
    let en = crate::domain::payee::fingerprint(payee_id, name);
    match en.strip_prefix("to ") {
        Some(rest) => pick!(lang, en.clone(), zh!("付给 {rest}"; rest)),
        None => en,
    }
}

/// Why the owner's tip percentages are refused.
pub fn percents_problem(lang: Lang, problem: &crate::domain::tip::PercentsProblem) -> String {
    use crate::domain::tip::{PercentsProblem::*, MAX_TIP_CHOICES, MAX_TIP_PERCENT};
    match problem {
        NotAPercent(word) => pick!(
            lang,
            "Tip percentages: \"{word}\" is not a whole number from 1 to {MAX_TIP_PERCENT}.",
            zh!("小费百分比：“{word}”不是 1 到 {MAX_TIP_PERCENT} 之间的整数。"; word, MAX_TIP_PERCENT)
        ),
        Twice(p) => pick!(
            lang,
            "Tip percentages: {p}% is listed twice.",
            zh!("小费百分比：{p}% 重复了。"; p)
        ),
        None => pick!(
            lang,
            "Tip percentages: give at least one, e.g. 10, 15, 20.",
            zh!("小费百分比：请至少填写一个，例如 10, 15, 20。")
        )
        .to_string(),
        TooMany => pick!(
            lang,
            "Tip percentages: at most {MAX_TIP_CHOICES} of them.",
            zh!("小费百分比：最多 {MAX_TIP_CHOICES} 个。"; MAX_TIP_CHOICES)
        ),
    }
}

/// Why a new owner PIN is refused.
pub fn new_pin_problem(lang: Lang, problem: crate::domain::pin::NewPinProblem) -> String {
    use crate::domain::pin::{NewPinProblem, PIN_MAX_DIGITS, PIN_MIN_DIGITS};
    match problem {
        NewPinProblem::Digits => pick!(
            lang,
            "Owner PIN: {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits.",
            zh!("店主密码：{PIN_MIN_DIGITS} 到 {PIN_MAX_DIGITS} 位数字。"; PIN_MIN_DIGITS, PIN_MAX_DIGITS)
        ),
        NewPinProblem::Differ => pick!(
            lang,
            "Owner PIN: the two PINs differ.",
            zh!("店主密码：两次输入的密码不一致。")
        )
        .to_string(),
        NewPinProblem::EasyToGuess => pick!(
            lang,
            "Choose a PIN that is not easy to guess.",
            zh!("请选择一个不容易被猜到的密码。")
        )
        .to_string(),
    }
}

/// A receipt roll's width: "58 mm".
pub fn paper_label(lang: Lang, paper: crate::domain::receipt::PaperWidth) -> String {
    let en = paper.label();
    match super::zh::Tr::get(zh!("毫米"), lang) {
        Some(mm) => en.replace("mm", mm),
        None => en.to_string(),
    }
}

/// A tip button: "Tip 10%".
pub fn tip_choice(lang: Lang, percent: u32) -> String {
    pick!(lang, "Tip {percent}%", zh!("小费 {percent}%"; percent))
}

/// "Total 11.00 USD" on the tip screen.
pub fn total_of(lang: Lang, total: &str) -> String {
    pick!(lang, "Total {total}", zh!("合计 {total}"; total))
}

pub fn tip_amount_label(lang: Lang, symbol: &str) -> String {
    pick!(lang, "Tip amount ({symbol})", zh!("小费金额（{symbol}）"; symbol))
}

pub fn receipt_title(lang: Lang, order_id: &str) -> String {
    pick!(lang, "Receipt {order_id}", zh!("收据 {order_id}"; order_id))
        .trim()
        .to_string()
}

pub fn with_tip_error(lang: Lang, error: &str) -> String {
    pick!(lang, "With the tip: {error}", zh!("加上小费后：{error}"; error))
}

pub fn too_many_pins(lang: Lang, seconds: i64) -> String {
    pick!(
        lang,
        "Too many wrong PINs: try again in {seconds} s.",
        zh!("密码错误次数过多：请 {seconds} 秒后重试。"; seconds)
    )
}

pub fn settings_point_away(lang: Lang, why: &str) -> String {
    pick!(
        lang,
        "The saved settings point away from MixPay: {why} Open Settings to fix them.",
        zh!("已保存的设置指向了 MixPay 以外的地址：{why} 请打开设置修正。"; why)
    )
}

/// The QR's name for screen readers.
pub fn qr_label(lang: Lang, amount: &str) -> String {
    pick!(lang, "QR code to pay {amount}", zh!("付款二维码：{amount}"; amount))
}

/// The customer view's QR name.
pub fn customer_qr_label(lang: Lang, amount: &str) -> String {
    pick!(
        lang,
        "QR code for the customer to pay {amount}",
        zh!("供顾客付款的二维码：{amount}"; amount)
    )
}

/// A field of the mismatch table (the domain names them in English).
pub fn mismatch_field(lang: Lang, field: &str) -> String {
    let zh = match field {
        "Payee" => zh!("收款方"),
        "Currency" => zh!("币种"),
        "Amount" => zh!("金额"),
        other => return other.to_string(),
    };
    pick!(lang, field, zh).to_string()
}

/// A line's label on the receipt.
pub fn receipt_label(lang: Lang, line: ReceiptLine) -> &'static str {
    match line {
        ReceiptLine::Order => pick!(lang, "Order", zh!("订单")),
        ReceiptLine::Date => pick!(lang, "Date", zh!("日期")),
        ReceiptLine::Items => pick!(lang, "Items", zh!("商品")),
        ReceiptLine::Note => pick!(lang, "Note", zh!("备注")),
        ReceiptLine::Subtotal => pick!(lang, "Subtotal", zh!("小计")),
        ReceiptLine::Tip => pick!(lang, "Tip", zh!("小费")),
        ReceiptLine::Total => pick!(lang, "Total", zh!("合计")),
        ReceiptLine::PaidWith => pick!(lang, "Paid with", zh!("支付")),
        ReceiptLine::Transaction => pick!(lang, "Transaction", zh!("交易")),
    }
}

/// The receipt as plain text, for Share or the clipboard, in `lang`.
pub fn receipt_text(lang: Lang, receipt: &Receipt) -> String {
    let mut out = vec![];
    if !receipt.shop_name.is_empty() {
        out.push(receipt.shop_name.clone());
    }
    out.push(Msg::ReceiptHeading.text(lang).to_string());
    let colon = pick!(lang, ": ", zh!("："));
    out.extend(
        receipt
            .lines(lang)
            .into_iter()
            .map(|(k, v)| format!("{}{colon}{v}", receipt_label(lang, k))),
    );
    out.push(format!("{}{colon}{}", Msg::TraceId.text(lang).trim_end(), receipt.trace_id));
    out.join("\n")
}

/// "2 decimal places, 0.50 to 10000.00" under the quote currency.
pub fn quote_hint(lang: Lang, places: u32, limits: Option<(String, String)>) -> String {
    match limits {
        Some((min, max)) => pick!(
            lang,
            "{places} decimal places, {min} to {max}",
            zh!("{places} 位小数，{min} 至 {max}"; places, min, max)
        ),
        None => pick!(lang, "{places} decimal places", zh!("{places} 位小数"; places)),
    }
}

pub fn lists_failed(lang: Lang, error: &str) -> String {
    pick!(
        lang,
        "{error} Showing the lists saved on this device.",
        zh!("{error} 正在显示本设备上保存的列表。"; error)
    )
}

pub fn mixin_lookup_failed(lang: Lang, number: &str, error: &str) -> String {
    pick!(
        lang,
        "Payee: Mixin ID {number} could not be looked up. {error}",
        zh!("收款方：无法查询 Mixin ID {number}。{error}"; number, error)
    )
}

pub fn exported(lang: Lang, count: usize, file: &str) -> String {
    pick!(
        lang,
        format!("Exported {} to {file}.", sales_en(count)),
        zh!("已将 {count} 笔交易导出到 {file}。"; count, file)
    )
}

pub fn export_failed(lang: Lang) -> String {
    pick!(lang, "Export failed: the file could not be made.", zh!("导出失败：无法生成文件。")).into()
}

pub fn recheck_failed(lang: Lang, trace_id: &str, why: &str) -> String {
    pick!(
        lang,
        "Re-check failed: {trace_id}: {why}",
        zh!("重新查询失败：{trace_id}：{why}"; trace_id, why)
    )
}

pub fn history_unreadable(lang: Lang, why: &str) -> String {
    pick!(
        lang,
        "The history could not be read: {why}. Sales in progress are still kept and checked.",
        zh!("无法读取历史记录：{why}。进行中的交易仍会保存并继续查询。"; why)
    )
}

/// "1 sale", "3 sales".
fn sales_en(n: usize) -> String {
    format!("{n} {}", if n == 1 { "sale" } else { "sales" })
}

pub fn sale_count(lang: Lang, n: usize) -> String {
    pick!(lang, sales_en(n), zh!("{n} 笔交易"; n))
}

pub fn show_more(lang: Lang, left: usize) -> String {
    pick!(lang, "Show more ({left} left)", zh!("显示更多（还有 {left} 笔）"; left))
}

/// A search's count while it has not read to the end (counting all its
/// matches would read every sale).
pub fn sale_count_so_far(lang: Lang, n: usize) -> String {
    pick!(lang, "{n}+ sales", zh!("{n}+ 笔交易"; n))
}

/// "Show more" of a search, whose matches left are not counted.
pub fn show_more_matches(lang: Lang) -> &'static str {
    pick!(lang, "Show more", zh!("显示更多"))
}

pub fn exporting(lang: Lang) -> &'static str {
    pick!(lang, "Exporting…", zh!("正在导出…"))
}

/// The history could not be read for the export.
pub fn export_unreadable(lang: Lang, why: &str) -> String {
    pick!(lang, "Export failed: {why}.", zh!("导出失败：{why}。"; why))
}

pub fn paid_with(lang: Lang, paid: &str) -> String {
    pick!(lang, "Paid {paid}", zh!("已付 {paid}"; paid))
}

pub fn filter_label(lang: Lang, filter: StatusFilter) -> &'static str {
    match filter {
        StatusFilter::All => pick!(lang, "All", zh!("全部")),
        StatusFilter::Paid => pick!(lang, "Paid", zh!("已支付")),
        StatusFilter::Unfinished => pick!(lang, "Unfinished", zh!("未完成")),
        StatusFilter::Failed => pick!(lang, "Failed", zh!("失败")),
        StatusFilter::Mismatch => pick!(lang, "Does not match", zh!("金额不符")),
    }
}

/// Strict mode in the owner's words, with the asset received named.
/// Strict mode, and MixPay says the settlement asset cannot settle this total.
pub fn cannot_settle(lang: Lang, symbol: &str, amount: &str) -> String {
    pick!(
        lang,
        "{symbol} cannot settle {amount}: change the amount or turn strict mode off",
        zh!("{symbol} 无法结算 {amount}：请修改金额或关闭严格模式"; symbol, amount)
    )
}

pub fn strict_words(lang: Lang, symbol: &str) -> String {
    if symbol.is_empty() {
        return Msg::Strict.text(lang).to_string();
    }
    pick!(
        lang,
        "Only accept payments that arrive as {symbol}",
        zh!("只接受以 {symbol} 到账的付款"; symbol)
    )
}

/// The summary card of History's dates: "Today: 14 paid · $182.40", every
/// currency's sum after the count when there are several.
pub fn range_summary(
    lang: Lang,
    label: &str,
    sums: &[crate::domain::history::CurrencySum],
) -> String {
    if sums.is_empty() {
        return pick!(lang, "{label}: no paid sales", zh!("{label}：没有已支付的交易"; label));
    }
    let count: usize = sums.iter().map(|c| c.count).sum();
    let mut out = pick!(lang, "{label}: {count} paid", zh!("{label}：已支付 {count} 笔"; label, count));
    for c in sums {
        out.push_str(" · ");
        out.push_str(&crate::domain::money_format::MoneyStyle::new(&c.currency, c.decimals).format(&c.sum));
    }
    out
}

/// The tips inside a summary's sums, when there are any ("incl. $2.00 tips").
pub fn summary_tips(lang: Lang, sums: &[crate::domain::history::CurrencySum]) -> Option<String> {
    let tips: Vec<String> = sums
        .iter()
        .filter(|c| !c.tips.is_zero())
        .map(|c| crate::domain::money_format::MoneyStyle::new(&c.currency, c.decimals).format(&c.tips))
        .collect();
    (!tips.is_empty()).then(|| {
        let tips = tips.join(" · ");
        pick!(lang, "including {tips} in tips", zh!("其中小费 {tips}"; tips))
    })
}

/// What a custom range of History is called on its card.
pub fn range_label(lang: Lang, from: &str, to: &str) -> String {
    let day = |d: &str| crate::domain::lang::format_day(lang, d);
    match (from.is_empty(), to.is_empty()) {
        (true, true) => Msg::AllDates.text(lang).to_string(),
        _ if from == to => day(from),
        (true, false) => pick!(lang, "Until {date}", zh!("{date} 及以前"; date = day(to))),
        (false, true) => pick!(lang, "Since {date}", zh!("{date} 起"; date = day(from))),
        (false, false) => format!("{} – {}", day(from), day(to)),
    }
}

/// A sale's state on its History pill, in plain words.
pub fn status_pill(lang: Lang, sale: &Sale) -> &'static str {
    match &sale.status {
        SaleStatus::Paid if sale.paid_late => pick!(lang, "Paid late", zh!("迟到的付款，已支付")),
        SaleStatus::Paid => pick!(lang, "Paid", zh!("已支付")),
        SaleStatus::Mismatch { .. } if sale.settled => pick!(lang, "Does not match, settled", zh!("金额不符，已处理")),
        SaleStatus::Mismatch { .. } if sale.to_settle => pick!(lang, "Does not match, to settle", zh!("金额不符，待处理")),
        SaleStatus::Mismatch { .. } => pick!(lang, "Does not match", zh!("金额不符")),
        s if s.paid_on_failure().is_some() => pick!(lang, "Failed, the customer paid", zh!("失败，顾客已付款")),
        s if s.is_expired_failure() => pick!(lang, "Expired, checking for a late payment", zh!("已过期，仍在查询迟到的付款")),
        SaleStatus::Failed { .. } => pick!(lang, "Failed", zh!("失败")),
        SaleStatus::Creating => pick!(lang, "Not sent to MixPay", zh!("未发送到 MixPay")),
        SaleStatus::Underpaid { .. } => pick!(lang, "Paid in part", zh!("只付了一部分")),
        SaleStatus::Auditing => pick!(lang, "MixPay is reviewing it", zh!("MixPay 审核中")),
        SaleStatus::Confirming { .. } => pick!(lang, "Confirming on the network", zh!("网络确认中")),
        SaleStatus::Verifying { .. } => pick!(lang, "Checking the payment", zh!("正在核实付款")),
        SaleStatus::Waiting if sale.cancelled => pick!(lang, "Cancelled, checking for a late payment", zh!("已取消，仍在查询迟到的付款")),
        SaleStatus::Waiting => pick!(lang, "Waiting for payment", zh!("等待付款")),
    }
}

fn still_due_en(amount: &str, symbol: &str) -> String {
    still_due(Lang::En, &paying_money(amount, symbol))
}

pub use crate::domain::money_format::paying_money;

/// What one of MixPay's failure codes means for the cashier, in plain words
/// (MixPay's own reason stays in the status line). `None` for a code its docs
/// do not list. `paid`: the customer did pay something (never "no payment").
pub fn failure_explained(lang: Lang, code: &str, paid: bool) -> Option<&'static str> {
    Some(match code.trim() {
        FAILURE_OVERTIME if paid => pick!(lang, "The time to pay ran out before the payment was complete.", zh!("付款时限已过，付款未完成。")),
        FAILURE_OVERTIME => pick!(lang, "The time to pay ran out before a payment arrived.", zh!("付款时限已过，未收到付款。")),
        "40020" => pick!(lang, "The customer paid with an asset this sale does not accept.", zh!("顾客支付的资产不是本次交易接受的资产。")),
        "40021" => pick!(lang, "MixPay refused it as a second payment of the same sale.", zh!("MixPay 判定为同一笔交易的重复付款，已拒绝。")),
        "40024" => pick!(lang, "The customer paid a different amount than this sale asks for.", zh!("顾客支付的金额与本次交易不符。")),
        "40025" => pick!(lang, "Prices moved too much while the customer paid. Try again.", zh!("付款时市场波动过大。请重试。")),
        _ => return None,
    })
}

/// MixPay's failure codes (its docs list these), in Chinese.
fn failure_reason_zh(code: &str) -> Option<&'static str> {
    Some(match code.trim() {
        FAILURE_OVERTIME => zh!("付款超时").into(),
        "40020" => zh!("支付了错误的资产").into(),
        "40021" => zh!("重复付款").into(),
        "40024" => zh!("支付金额错误").into(),
        "40025" => zh!("市场波动过大").into(),
        _ => return None,
    })
}

/// Why a `success` could not be verified yet, as `SaleStatus::Verifying`
/// stores it (written by the domain in English).
fn verifying_why_zh(why: &str) -> String {
    if why == crate::domain::status::WHY_OTHER_PAYMENT {
        return zh!("MixPay 的答复是关于另一笔付款的").into();
    }
    match why.strip_prefix(crate::domain::status::WHY_LACKS) {
        Some(fields) => {
            let fields: Vec<String> = fields
                .split(", ")
                .map(|f| {
                    let mut capital = f.to_string();
                    if let Some(c) = capital.get_mut(0..1) {
                        c.make_ascii_uppercase();
                    }
                    mismatch_field(Lang::ZhHans, &capital)
                })
                .collect();
            zh!("MixPay 的答复缺少{fields}"; fields = fields.join("、")).into()
        }
        None => why.to_string(),
    }
}

/// The one line the payment screen shows. `expired`: the countdown ran out.
pub fn headline(lang: Lang, status: &SaleStatus, expired: bool) -> String {
    match super::zh::effective(lang) {
        Lang::En => headline_en(status, expired),
        Lang::ZhHans => headline_zh(status, expired),
    }
}

fn headline_en(status: &SaleStatus, expired: bool) -> String {
    match status {
        SaleStatus::Creating => "Creating the payment…".into(),
        SaleStatus::Waiting if expired => "Expired — still checking for a late payment".into(),
        SaleStatus::Waiting => "Waiting for payment".into(),
        SaleStatus::Confirming { confirmations: 0 } => "Payment seen — confirming".into(),
        SaleStatus::Confirming { confirmations } => {
            format!("Payment seen — confirming ({confirmations} confirmations)")
        }
        SaleStatus::Underpaid {
            still_due, symbol, ..
        } if !still_due.is_empty() => still_due_en(still_due, symbol),
        SaleStatus::Underpaid { .. } => "Underpaid — the customer must pay the rest".into(),
        SaleStatus::Auditing => "Payment under review by MixPay — wait".into(),
        SaleStatus::Verifying { why } if why.is_empty() => {
            "Payment seen — verifying it with MixPay".into()
        }
        SaleStatus::Verifying { why } => {
            format!("Payment seen — verifying it with MixPay ({why}; asking again)")
        }
        SaleStatus::Paid => "Paid".into(),
        // The screen's one heading says what to do; this says what happened.
        SaleStatus::Mismatch { .. } => "Payment does not match".into(),
        SaleStatus::Failed { reason, code, .. } if reason.is_empty() => {
            format!("Payment failed (code {code})")
        }
        SaleStatus::Failed { reason, .. } => format!("Payment failed: {reason}"),
    }
}

fn headline_zh(status: &SaleStatus, expired: bool) -> String {
    match status {
        SaleStatus::Creating => zh!("正在创建付款…").into(),
        SaleStatus::Waiting if expired => zh!("已过期 — 仍在查询是否有迟到的付款").into(),
        SaleStatus::Waiting => zh!("等待付款").into(),
        SaleStatus::Confirming { confirmations: 0 } => zh!("已收到付款 — 确认中").into(),
        SaleStatus::Confirming { confirmations } => {
            zh!("已收到付款 — 确认中（{confirmations} 个确认）"; confirmations).into()
        }
        SaleStatus::Underpaid {
            still_due, symbol, ..
        } if !still_due.is_empty() => {
            crate::i18n::still_due(Lang::ZhHans, &paying_money(still_due, symbol))
        }
        SaleStatus::Underpaid { .. } => zh!("少付 — 顾客需支付余额").into(),
        SaleStatus::Auditing => zh!("付款正在由 MixPay 审核 — 请稍候").into(),
        SaleStatus::Verifying { why } if why.is_empty() => zh!("已收到付款 — 正在向 MixPay 核实").into(),
        SaleStatus::Verifying { why } => zh!("已收到付款 — 正在向 MixPay 核实（{why}；再次查询）"; why = verifying_why_zh(why)).into(),
        SaleStatus::Paid => zh!("已支付").into(),
        SaleStatus::Mismatch { .. } => zh!("付款金额不符").into(),
        SaleStatus::Failed { code, .. } => match failure_reason_zh(code) {
            Some(reason) => zh!("付款失败：{reason}"; reason).into(),
            None => zh!("付款失败（代码 {code}）"; code = code.trim()).into(),
        },
    }
}

pub fn key_refused(lang: Lang, refused: &KeyRefused) -> String {
    match refused {
        KeyRefused::NoDecimals => {
            pick!(lang, "This currency has no decimal places.", zh!("此币种没有小数位。")).into()
        }
        KeyRefused::DecimalsFull { max } => pick!(
            lang,
            "At most {max} decimal places.",
            zh!("最多 {max} 位小数。"; max)
        ),
        KeyRefused::TooLong => pick!(lang, "That amount is too long.", zh!("金额太长。")).into(),
    }
}

pub fn limit_error(lang: Lang, error: &LimitError) -> String {
    match error {
        LimitError::Zero => pick!(lang, "Enter an amount above zero.", zh!("请输入大于零的金额。")).into(),
        LimitError::BelowMin { min } => pick!(
            lang,
            "The smallest amount is {min}.",
            zh!("最小金额为 {min}。"; min)
        ),
        LimitError::AboveMax { max } => pick!(
            lang,
            "The largest amount is {max}.",
            zh!("最大金额为 {max}。"; max)
        ),
    }
}

pub fn amount_error(lang: Lang, error: &AmountError) -> String {
    match error {
        AmountError::Empty => pick!(lang, "Enter an amount.", zh!("请输入金额。")).into(),
        AmountError::NotANumber => pick!(lang, "That is not a number.", zh!("这不是数字。")).into(),
        AmountError::Negative => pick!(lang, "An amount cannot be negative.", zh!("金额不能为负数。")).into(),
        AmountError::TooManyDecimals { max: 0 } => {
            pick!(lang, "This currency has no decimal places.", zh!("此币种没有小数位。")).into()
        }
        AmountError::TooManyDecimals { max } => pick!(
            lang,
            "At most {max} decimal places for this currency.",
            zh!("此币种最多 {max} 位小数。"; max)
        ),
        AmountError::TooLong => pick!(lang, "That amount is too long.", zh!("金额太长。")).into(),
    }
}

pub fn api_error(lang: Lang, error: &ApiError) -> String {
    match error {
        ApiError::Network => pick!(
            lang,
            "Cannot reach MixPay. Check the shop's internet connection.",
            zh!("无法连接 MixPay。请检查店铺的网络连接。")
        )
        .into(),
        ApiError::Timeout => pick!(lang, "MixPay did not answer in time.", zh!("MixPay 未及时应答。")).into(),
        ApiError::RateLimited => pick!(
            lang,
            "Too many requests to MixPay; slowing down.",
            zh!("对 MixPay 的请求过多；正在放慢。")
        )
        .into(),
        ApiError::Server { status } => pick!(
            lang,
            "MixPay had a server error (HTTP {status}).",
            zh!("MixPay 服务器出错（状态码 {status}）。"; status)
        ),
        ApiError::Malformed(_) => pick!(
            lang,
            "MixPay sent an answer that could not be read.",
            zh!("MixPay 的应答无法读取。")
        )
        .into(),
        ApiError::Refused { code, message } => refused(lang, *code, message),
        ApiError::NotPinned(why) => origin_problem(lang, why),
    }
}

/// Why the owner PIN could not be set or checked on this device.
pub fn pin_failure(lang: Lang, failure: &crate::domain::pin::PinFailure) -> String {
    use crate::domain::pin::PinFailure::*;
    match failure {
        NoWebCrypto => pick!(
            lang,
            "This browser has no Web Crypto, so the owner PIN cannot be used (open the app over https).",
            zh!("此浏览器没有网页加密功能，无法使用店主密码（请通过 https:// 打开应用）。")
        )
        .into(),
        HashRefused => pick!(
            lang,
            "The PIN could not be hashed (Web Crypto refused).",
            zh!("无法对密码进行哈希运算（浏览器的加密功能拒绝了）。")
        )
        .into(),
        NoRandom => pick!(
            lang,
            "No random numbers for the PIN's salt.",
            zh!("无法为密码生成随机盐值。")
        )
        .into(),
        Unreadable => pick!(
            lang,
            "The stored PIN cannot be read: reset this device.",
            zh!("无法读取已保存的密码：请重置本设备。")
        )
        .into(),
        // The storage error is worded already, in this language.
        Store(why) => why.clone(),
    }
}

/// What the owner is told about `config.json`, when anything of it was not
/// used. Field names stay as the file spells them: the owner looks them up.
pub fn config_message(lang: Lang, reading: &ConfigReading) -> Option<String> {
    if let Some(unreadable) = &reading.unreadable {
        let why = match unreadable {
            Unreadable::NotJson { line, column } => pick!(
                lang,
                "not JSON: line {line}, column {column}",
                zh!("不是 JSON：第 {line} 行第 {column} 列"; line, column)
            ),
            Unreadable::NotAnObject => pick!(lang, "not a JSON object", zh!("不是 JSON 对象")).into(),
            Unreadable::TooLarge => pick!(lang, "larger than 1 MB, not read", zh!("大于 1 MB，未读取")).into(),
        };
        return Some(pick!(
            lang,
            "config.json could not be read ({why}): nothing was taken from it.",
            zh!("无法读取 config.json（{why}）：其中的内容均未采用。"; why)
        ));
    }
    if reading.skipped.is_empty() {
        return None;
    }
    let list: Vec<String> = reading
        .skipped
        .iter()
        .map(|p| pick!(lang, "{field} ({why})", zh!("{field}（{why}）"; field = p.field, why = field_why(lang, &p.why))))
        .collect();
    Some(pick!(
        lang,
        "config.json: skipped {list} — the other fields were used.",
        zh!("config.json：已跳过 {list}，其余字段已采用。"; list = list.join(pick!(lang, "; ", zh!("；"))))
    ))
}

fn field_why(lang: Lang, why: &FieldWhy) -> String {
    match why {
        FieldWhy::NotText => pick!(lang, "not text", zh!("不是文本")).into(),
        FieldWhy::NotMixinUuid => pick!(lang, "not a Mixin UUID", zh!("不是 Mixin UUID")).into(),
        FieldWhy::NotAssetId => pick!(lang, "not an asset id", zh!("不是资产 ID")).into(),
        // The two values are what the file must hold, spelt as it must.
        FieldWhy::NotMode => pick!(
            lang,
            "\"one_time\" or \"pay_link\"",
            zh!("应为 \"one_time\" 或 \"pay_link\"")
        )
        .into(),
        FieldWhy::Minutes(max) => pick!(
            lang,
            "a whole number of minutes, 1 to {max}",
            zh!("应为 1 到 {max} 的整数分钟"; max)
        ),
        FieldWhy::NotNumber => pick!(lang, "not a number", zh!("不是数字")).into(),
        FieldWhy::NotTrueOrFalse => pick!(lang, "not true or false", zh!("应为 true 或 false")).into(),
        FieldWhy::NotMixPay => pick!(lang, "not MixPay's address", zh!("不是 MixPay 的地址")).into(),
        FieldWhy::UnknownField => pick!(lang, "unknown field", zh!("未知字段")).into(),
        FieldWhy::NotPinHash => pick!(
            lang,
            "not a PIN hash made by scripts/make-pin-hash.mjs",
            zh!("不是由 scripts/make-pin-hash.mjs 生成的密码哈希")
        )
        .into(),
        FieldWhy::NotProductList => pick!(lang, "not a list of products", zh!("不是商品列表")).into(),
        FieldWhy::TooManyProducts => {
            let max = crate::domain::catalogue::MAX_PRODUCTS;
            pick!(lang, "at most {max} products", zh!("最多 {max} 个商品"; max))
        }
        FieldWhy::ProductsPricedIn { found, quote } => pick!(
            lang,
            "priced in {found}, the shop quotes in {quote}",
            zh!("以 {found} 标价，本店以 {quote} 计价"; found, quote)
        ),
        // The key is the file's own, spelt as it must be.
        FieldWhy::ProductFieldNotText(key) => {
            pick!(lang, "\"{key}\" is not text", zh!("\"{key}\" 不是文本"; key))
        }
        FieldWhy::ProductRow { row, why } => {
            let why = field_why(lang, why);
            pick!(lang, "row {row}: {why}", zh!("第 {row} 行：{why}"; row, why))
        }
        FieldWhy::NotAProduct => pick!(lang, "not a product object", zh!("不是商品对象")).into(),
        FieldWhy::PriceNotNumberOrText => pick!(
            lang,
            "\"price\" is not a number or text",
            zh!("\"price\" 不是数字或文本")
        )
        .into(),
        FieldWhy::Product(errors) => {
            let words: Vec<String> = errors.iter().map(|e| super::product_error(lang, e)).collect();
            words.join(" ")
        }
    }
}

/// Why the origin checker refused an API or pay-page base (MixPay's own
/// address is named as it is: people compare it with what they typed).
pub fn origin_problem(lang: Lang, problem: &OriginProblem) -> String {
    let kind = |k: BaseKind| match k {
        BaseKind::Api => pick!(lang, "API base", zh!("API 地址")),
        BaseKind::Pay => pick!(lang, "Pay-page base", zh!("付款页地址")),
    };
    match problem {
        OriginProblem::NotMixPay(k) => pick!(
            lang,
            "{kind}: only MixPay's address ({mixpay}) is allowed, so a changed setting cannot send payments elsewhere.",
            zh!(
                "{kind}：只允许 MixPay 的地址（{mixpay}），这样改动设置也无法把付款引向别处。";
                kind = kind(*k),
                mixpay = k.mixpay()
            )
        ),
        OriginProblem::PlainHttp(k) => pick!(
            lang,
            "{kind}: an http: address is refused (only https, and http on this device for tests).",
            zh!("{kind}：只接受以https://开头的地址（测试时也可用本设备上的http://地址）。"; kind = kind(*k))
        ),
    }
}

fn refused(lang: Lang, code: i64, message: &str) -> String {
    let known: Option<(&str, super::zh::Key)> = match code {
        -1 => Some(("MixPay had a server error.", zh!("MixPay 服务器出错。"))),
        1017 | 10011 => Some(("MixPay refused a parameter", zh!("MixPay 拒绝了一个参数"))),
        1429 => Some((
            "Too many requests to MixPay; slowing down.",
            zh!("对 MixPay 的请求过多；正在放慢。"),
        )),
        10001 => Some((
            "This payee does not exist at MixPay. Check the payee in Settings.",
            zh!("MixPay 上不存在此收款方。请在设置中检查收款方。"),
        )),
        10002 => Some((
            "MixPay does not support this settlement currency.",
            zh!("MixPay 不支持此结算币种。"),
        )),
        10003 => Some(("MixPay does not support this quote currency.", zh!("MixPay 不支持此计价币种。"))),
        10004 => Some(("The amount is too low for MixPay.", zh!("金额低于 MixPay 的下限。"))),
        10005 => Some(("The amount is too high for MixPay.", zh!("金额高于 MixPay 的上限。"))),
        10008 => Some((
            "MixPay payments are paused for maintenance. Try again shortly.",
            zh!("MixPay 付款因维护暂停。请稍后重试。"),
        )),
        10034 => Some((
            "The price moved too much at MixPay just now. Try again in a moment.",
            zh!("MixPay 上的价格刚刚波动过大。请稍后重试。"),
        )),
        10074 => Some((
            "This payee cannot receive payments. Check the payee in Settings.",
            zh!("此收款方无法收款。请在设置中检查收款方。"),
        )),
        _ => None,
    };
    let known = known.map(|(en, zh)| pick!(lang, en, zh));
    let m = message.trim();
    match super::zh::effective(lang) {
        Lang::En => match (known, m) {
            (Some(text), "") => format!("{text} (code {code})"),
            (Some(text), m) if code == 1017 || code == 10011 => format!("{text}: {m} (code {code})"),
            (Some(text), _) => format!("{text} (code {code})"),
            (None, "") => format!("MixPay refused the request (code {code})."),
            (None, m) => format!("MixPay: {m} (code {code})"),
        },
        // MixPay's own words are English: in Chinese the code stands for them.
        Lang::ZhHans => match known {
            Some(text) => zh!("{text}（代码 {code}）"; text, code).into(),
            None => zh!("MixPay 拒绝了请求（代码 {code}）。"; code).into(),
        },
    }
}

pub fn settings_problem(lang: Lang, problem: &SettingsProblem) -> String {
    use SettingsProblem::*;
    match problem {
        QuoteListMissing(id) => pick!(
            lang,
            "Quote currency: MixPay's list of currencies is not loaded yet, so {id} cannot be checked. \
                 Reload the currency lists when the network is back.",
            zh!("计价币种：MixPay 的币种列表尚未载入，无法核对 {id}。网络恢复后请重新载入币种列表。"; id)
        ),
        QuoteNotOffered(id) => pick!(
            lang,
            "Quote currency: MixPay does not offer {id} as a quote currency. Choose one from the list.",
            zh!("计价币种：MixPay 不提供 {id} 作为计价币种。请从列表中选择。"; id)
        ),
        MixinIdNotLookedUp(number) => pick!(
            lang,
            "Payee: Mixin ID {number} has not been looked up.",
            zh!("收款方：尚未查询 Mixin ID {number}。"; number)
        ),
        PayeeInvalid => pick!(
            lang,
            "Payee: enter a Mixin UUID (8-4-4-4-12 hex) or a Mixin ID number.",
            zh!("收款方：请输入 Mixin UUID（8-4-4-4-12 位十六进制）或 Mixin ID 号码。")
        )
        .into(),
        ExpiryNotANumber(max) => pick!(
            lang,
            "Expiry: a whole number of minutes, 1 to {max}.",
            zh!("有效期：1 到 {max} 之间的整数分钟。"; max)
        ),
        PayeeNotUuid => pick!(
            lang,
            "Payee must be a Mixin UUID (or look one up from a Mixin ID).",
            zh!("收款方必须是 Mixin UUID（或由 Mixin ID 查询得到）。")
        )
        .into(),
        NoQuote => pick!(lang, "Choose a quote currency.", zh!("请选择计价币种。")).into(),
        QuotePlaces => pick!(
            lang,
            "The quote currency's decimal places are out of range.",
            zh!("计价币种的小数位数超出范围。")
        )
        .into(),
        NoSettlement => pick!(lang, "Choose a settlement asset.", zh!("请选择结算资产。")).into(),
        ShopNameTooLong(max) => pick!(
            lang,
            "Shop name: at most {max} characters.",
            zh!("店铺名称：最多 {max} 个字符。"; max)
        ),
        ShopNameHidden => pick!(
            lang,
            "Shop name: {hidden}",
            zh!("店铺名称：{hidden}"; hidden = super::Sec::HiddenCharacters.text(lang))
        ),
        ExpiryRange(max) => pick!(
            lang,
            "Expiry: 1 to {max} minutes.",
            zh!("有效期：1 到 {max} 分钟。"; max)
        ),
        ApiBaseNotHttp => pick!(
            lang,
            "API base must be an http(s) address.",
            zh!("API 地址必须以 https:// 或 http:// 开头。")
        )
        .into(),
        PayBaseNotHttp => pick!(
            lang,
            "Pay-page base must be an http(s) address.",
            zh!("付款页地址必须以 https:// 或 http:// 开头。")
        )
        .into(),
        TipPercents(why) => percents_problem(lang, why),
        Origin(why) => origin_problem(lang, why),
    }
}

pub fn stored_settings_error(lang: Lang, error: &StoredSettingsError) -> String {
    match error {
        StoredSettingsError::Unreadable(why) => pick!(
            lang,
            "The saved settings could not be read ({why}). Defaults are shown: check them and save.",
            zh!("无法读取已保存的设置（{why}）。现显示默认值：请检查后保存。"; why)
        ),
        StoredSettingsError::NewerVersion(v) => pick!(
            lang,
            "The saved settings come from a newer version of the app (schema {v}). \
                 Defaults are shown: check them and save.",
            zh!("已保存的设置来自较新版本的应用（第 {v} 版格式）。现显示默认值：请检查后保存。"; v)
        ),
    }
}

pub fn storage_unavailable(lang: Lang) -> String {
    pick!(
        lang,
        "This browser does not let the app store data: settings and sales will not survive a reload.",
        zh!("此浏览器不允许应用保存数据：重新载入后设置和交易将会丢失。")
    )
    .into()
}

pub fn storage_write_failed(lang: Lang, why: &str) -> String {
    pick!(
        lang,
        "Could not save on this device ({why}). Free some space or export the history.",
        zh!("无法在本设备上保存（{why}）。请释放空间或导出历史记录。"; why)
    )
}

pub fn history_db_failed(lang: Lang, why: &str) -> String {
    pick!(
        lang,
        "The sales history on this device could not be used ({why}).",
        zh!("无法使用本设备上的交易历史（{why}）。"; why)
    )
}

pub fn older_history_elsewhere(lang: Lang) -> String {
    pick!(
        lang,
        "another tab of the app is still using an older history: close it",
        zh!("应用的另一个标签页仍在使用旧版历史记录：请关闭它")
    )
    .into()
}

pub fn newer_version_elsewhere(lang: Lang) -> String {
    pick!(
        lang,
        "A newer version of the app was opened in another tab. Reload this tab to keep recording sales.",
        zh!("另一个标签页打开了较新版本的应用。请重新载入此标签页以继续记录交易。")
    )
    .into()
}

pub fn unreadable_sales(lang: Lang, n: usize) -> String {
    pick!(
        lang,
        if n == 1 {
            "1 stored sale could not be read and was skipped.".to_string()
        } else {
            format!("{n} stored sales could not be read and were skipped.")
        },
        zh!("有 {n} 笔已保存的交易无法读取，已跳过。"; n)
    )
}

pub fn clock_warning(lang: Lang, minutes: i64, behind: bool) -> String {
    match super::zh::effective(lang) {
        Lang::En => {
            let side = if behind { "behind" } else { "ahead of" };
            format!(
                "This tablet's clock is {minutes} min {side} MixPay's time. Payments still work \
                 (expiry and countdown follow MixPay's clock), but set the tablet's date and time \
                 to automatic."
            )
        }
        Lang::ZhHans => {
            let side: &str = if behind { zh!("慢") } else { zh!("快") }.into();
            zh!("这台平板的时钟比 MixPay 的时间{side} {minutes} 分钟。付款仍可进行（有效期和倒计时以 \
                 MixPay 的时钟为准），但请将平板的日期和时间设为自动。"; side, minutes).into()
        }
    }
}

pub fn no_network(lang: Lang) -> String {
    pick!(
        lang,
        "No network: a new sale cannot start until the connection is back.",
        zh!("没有网络：连接恢复前无法开始新交易。")
    )
    .into()
}

pub fn mixpay_unreachable(lang: Lang) -> String {
    pick!(
        lang,
        "MixPay cannot be reached right now: a new sale can start once it answers again.",
        zh!("目前无法连接 MixPay：它恢复应答后即可开始新交易。")
    )
    .into()
}

pub fn reconnecting(lang: Lang, error: &str, seconds: u32) -> String {
    pick!(
        lang,
        "Reconnecting — {error} Next check in {seconds} s.",
        zh!("正在重新连接 — {error} {seconds} 秒后再次查询。"; error, seconds)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_names_tests_and_people_use() {
        assert_eq!(charge(Lang::En, "$12.50"), "Charge $12.50");
        assert_eq!(charge(Lang::ZhHans, "$12.50"), "收款 $12.50");
        assert_eq!(headline(Lang::ZhHans, &SaleStatus::Paid, false), "已支付");
        assert_eq!(headline(Lang::En, &SaleStatus::Paid, false), "Paid");
        let mismatch = SaleStatus::Mismatch { mismatches: vec![] };
        assert!(headline(Lang::ZhHans, &mismatch, false).contains("金额不符"));
        assert!(headline(Lang::En, &mismatch, false).contains("does not match"));
        assert_eq!(Msg::Language.text(Lang::ZhHans), "语言");
        assert_eq!(Msg::Backspace.text(Lang::En), "Backspace");
        assert_eq!(filter_label(Lang::En, StatusFilter::Mismatch), "Does not match");
    }

    #[test]
    fn the_history_card_and_the_owners_words() {
        use crate::domain::history::CurrencySum;
        use crate::domain::money::Amount;
        let sum = |currency: &str, decimals, count, sum: &str, tips: &str| CurrencySum {
            currency: currency.into(),
            decimals,
            count,
            sum: Amount::parse(sum).unwrap(),
            tips: Amount::parse(tips).unwrap(),
        };
        let usd = [sum("USD", 2, 14, "182.4", "0")];
        assert_eq!(range_summary(Lang::En, "Today", &usd), "Today: 14 paid · $182.40");
        assert_eq!(range_summary(Lang::ZhHans, "今天", &usd), "今天：已支付 14 笔 · $182.40");
        assert_eq!(summary_tips(Lang::En, &usd), None);
        let two = [sum("USD", 2, 3, "20", "1.5"), sum("JPY", 0, 2, "1200", "0")];
        assert_eq!(range_summary(Lang::En, "Yesterday", &two), "Yesterday: 5 paid · $20.00 · ¥1,200");
        assert_eq!(summary_tips(Lang::En, &two).as_deref(), Some("including $1.50 in tips"));
        assert_eq!(range_summary(Lang::En, "Today", &[]), "Today: no paid sales");
        assert_eq!(range_label(Lang::En, "2026-11-20", "2026-11-27"), "2026-11-20 – 2026-11-27");
        assert_eq!(range_label(Lang::En, "2026-11-20", "2026-11-20"), "2026-11-20");
        assert_eq!(range_label(Lang::ZhHans, "", ""), "全部");
        assert_eq!(strict_words(Lang::En, "USDT"), "Only accept payments that arrive as USDT");
        assert_eq!(strict_words(Lang::ZhHans, "USDT"), "只接受以 USDT 到账的付款");
        assert_eq!(strict_words(Lang::En, ""), Msg::Strict.text(Lang::En));
        let zh = [
            range_summary(Lang::ZhHans, "近 7 天", &two),
            summary_tips(Lang::ZhHans, &two).unwrap_or_default(),
            range_label(Lang::ZhHans, "2026-11-20", ""),
            range_label(Lang::ZhHans, "", "2026-11-20"),
        ];
        for text in zh {
            assert!(!text.chars().any(|c| c.is_ascii_lowercase()), "{text}");
        }
    }

    /// Every Chinese message is Chinese: no word of English letters in it
    /// except the names of MixPay and Mixin and the codes people type.
    #[test]
    fn no_english_words_in_chinese() {
        // Currency codes in messages are values, as JPY here.
        const ALLOWED: [&str; 12] = [
            "MixPay", "Mixin", "UUID", "ID", "API", "CSV", "JSON", "JPY", "USDT", "BTC", "config", "json",
        ];
        let check = |text: &str| {
            for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
                let has_letter = word.chars().any(|c| c.is_ascii_alphabetic());
                let is_code = word.chars().any(|c| c.is_ascii_digit());
                assert!(
                    !has_letter || is_code || ALLOWED.contains(&word) || text.contains("://"),
                    "{word:?} in {text:?}"
                );
            }
        };
        use Msg::*;
        for m in [
            AppName, NavSale, NavHistory, NavSettings, Offline, UpdateAvailable, AfterThisSale,
            ReloadToUpdate, Dismiss, Starting, Amount, AmountKeypad, Backspace, Clear, NoteOptional,
            NotePlaceholder, NotSetUp, SetUpFirst, CouldNotCreate, TryAgain, TimeLeft, NoWakeLock,
            LinkCopied, CopyLink, ShowToCustomer, NewSale, Cancel, CustomerView, Close, PaidLate,
            CustomerPaid, Transaction, DoNotHandOver, MismatchNext, KeepSaleOpen, KeptToSettle, MarkSettled, AutoReturn, Details, CancelSaleQuestion, YesCancelSale,
            KeepWaiting, ScanToPay, Turn180, SaleInProgress,
            ExpiredTitle, Expected, Received, NotPaid, NotPaidTitle, QrExpired, QrExpiredCustomer,
            LatePaymentRefunded, RefundFromWallet, AlreadyAtMixPay, Settings, Language, LoadingLists, Payee, QuoteCurrency,
            SettlementAsset, Choose, ShopName, PaymentMode, OneTimeMode, PayLinkMode,
            ExpiryMinutes, Strict, Advanced, GroupShop, GroupGettingPaid, GroupSafety, AccountHint, Dates, Today, Yesterday, Last7Days, PastWeek, AllDates, Export, AccountLabel, ApiBase, PayPageBase, ReloadLists, Save, History, Day,
            Status, From, To, ExportCsv, LoadingHistory, NoSales, TotalsLabel, Currency, PaidSales,
            Total, NoVerified, Recheck, Paid, AddATip, Subtotal, CustomTip, NoTip,
            AddTip, Back, ReceiptShareFailed, ReceiptCopied, ReceiptCopyFailed, Receipt,
            ReceiptHeading, TraceQrLabel, TraceId, ThankYou, Print, Share, AskForTip,
            TipPercentages, ReceiptPaper, Sounds, Tips, Order, OrderNumber, SearchPlaceholder,
            Search, AtTheCounter, PaidWithLabel, SettingsLocked, PinHintTail, SavedSettingsGone, OwnerPin, Unlock, WrongPin,
            ForgotPin, ResetDevice, ResetWarning, ShopNameToConfirm, TypeShopName, NotThisShop,
            SetOwnerPin, PinRule, PinGuards, NewOwnerPin, ConfirmOwnerPin, ExportNeedsPin,
            ConfirmNewPayee, ConfirmTheNewPayee, KeepOldPayee, NewPayee, OldPayee, PayeeChanges,
            PayLinkNeedsPin, PinWhyPayLink,
            OpenSettingsCheck, MixinId, Products, Keypad, SellFrom, AddToCart, Cart,
            TapProductToAdd, EmptyTheCart, YesEmptyIt, Keep, ClearCart, CartEmpty, CartChanged,
            CustomAmount, OtherCategory, SearchProducts, Categories, AllCategories,
            NoProductMatches, AddProduct, ImportProducts, ExportJson, ProductName, Price, Category,
            BadgeLabel, BadgePlaceholder, SaveProduct, NothingImported, HiddenTag, Edit, Show, Hide,
            Delete, RemoveAllProducts, PricesKept, AllProductsRemoved, NoFileChosen, FileTooBig,
            FileUnreadable, AnswerPricesFirst,
        ] {
            check(m.text(Lang::ZhHans));
        }
        let zh = Lang::ZhHans;
        for status in [
            SaleStatus::Creating,
            SaleStatus::Waiting,
            SaleStatus::Confirming { confirmations: 2 },
            SaleStatus::Auditing,
            SaleStatus::Verifying { why: crate::domain::status::WHY_OTHER_PAYMENT.into() },
            SaleStatus::Verifying { why: format!("{}payee, amount", crate::domain::status::WHY_LACKS) },
            SaleStatus::failed("40025", "Too much market volatility"),
            SaleStatus::failed("49999", "Something new"),
        ] {
            check(&headline(zh, &status, false));
            check(&headline(zh, &status, true));
        }
        for code in [crate::domain::status::FAILURE_OVERTIME, "40020", "40021", "40024", "40025"] {
            for paid in [false, true] {
                let (en, zh_words) = (failure_explained(Lang::En, code, paid), failure_explained(zh, code, paid));
                assert!(en.is_some() && zh_words.is_some(), "code {code} is explained in both");
                check(zh_words.unwrap_or_default());
                if paid {
                    assert!(!en.unwrap_or_default().contains("before a payment arrived"), "{code}");
                }
            }
        }
        check(&customer_paid_failed(zh, "4.50 USDT"));
        check(&refund_on_chain(zh, "T3K9QX-000127", "dd9c3e04-a5d2-41ec-b909-0242ac120002"));
        check(&refund_on_chain(zh, "", "dd9c3e04-a5d2-41ec-b909-0242ac120002"));
        check(&overpaid(zh, "0.50 USDT"));
        check(&settled_as(zh, "BTC"));
        for e in [
            ApiError::Network,
            ApiError::Timeout,
            ApiError::RateLimited,
            ApiError::Server { status: 502 },
            ApiError::Malformed("x".into()),
            ApiError::Refused { code: 10011, message: "quoteAmount is required".into() },
            ApiError::Refused { code: 77, message: "Something".into() },
        ] {
            check(&api_error(zh, &e));
        }
        check(&clock_warning(zh, 20, true));
        check(&settings_problem(zh, &SettingsProblem::ApiBaseNotHttp));
        check(&settings_problem(zh, &SettingsProblem::QuoteNotOffered("JPY".into())));
        check(&reconnecting(zh, &api_error(zh, &ApiError::Timeout), 4));
        check(&tip_choice(zh, 10));
        for p in [
            crate::domain::tip::PercentsProblem::NotAPercent("12.5".into()),
            crate::domain::tip::PercentsProblem::Twice(10),
            crate::domain::tip::PercentsProblem::None,
            crate::domain::tip::PercentsProblem::TooMany,
        ] {
            check(&percents_problem(zh, &p));
        }
        check(&new_pin_problem(zh, crate::domain::pin::NewPinProblem::Digits));
        check(&new_pin_problem(zh, crate::domain::pin::NewPinProblem::Differ));
        check(&paper_label(zh, crate::domain::receipt::PaperWidth::Mm58));
        check(&payee_fingerprint(zh, "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b", ""));
        check(&too_many_pins(zh, 30));
        check(&settings_point_away(zh, ""));
        check(&quote_hint(zh, 2, Some(("0.50".into(), "10000.00".into()))));
        for k in [BaseKind::Api, BaseKind::Pay] {
            check(&origin_problem(zh, &OriginProblem::NotMixPay(k)));
            check(&origin_problem(zh, &OriginProblem::PlainHttp(k)));
            check(&settings_problem(zh, &SettingsProblem::Origin(OriginProblem::PlainHttp(k))));
            check(&api_error(zh, &ApiError::NotPinned(OriginProblem::NotMixPay(k))));
        }
        {
            use crate::domain::pin::PinFailure::*;
            for f in [NoWebCrypto, HashRefused, NoRandom, Unreadable] {
                check(&pin_failure(zh, &f));
            }
        }
        for why in [
            FieldWhy::NotText,
            FieldWhy::NotMixinUuid,
            FieldWhy::NotAssetId,
            FieldWhy::Minutes(120),
            FieldWhy::NotNumber,
            FieldWhy::NotMixPay,
            FieldWhy::UnknownField,
            FieldWhy::NotProductList,
            FieldWhy::TooManyProducts,
            FieldWhy::ProductsPricedIn { found: "JPY".into(), quote: "JPY".into() },
            FieldWhy::ProductRow { row: 2, why: Box::new(FieldWhy::NotAProduct) },
            FieldWhy::Product(vec![crate::domain::catalogue::ProductError::NameEmpty]),
        ] {
            check(&field_why(zh, &why));
        }
        // The values the file must hold are named as it must spell them.
        assert!(field_why(zh, &FieldWhy::NotMode).contains("\"one_time\" 或 \"pay_link\""));
        assert!(field_why(zh, &FieldWhy::NotTrueOrFalse).contains("true 或 false"));
        for unreadable in [Unreadable::NotAnObject, Unreadable::NotJson { line: 1, column: 2 }] {
            let reading = ConfigReading {
                unreadable: Some(unreadable),
                ..ConfigReading::default()
            };
            check(&config_message(zh, &reading).unwrap());
        }
        for line in [
            ReceiptLine::Order,
            ReceiptLine::Date,
            ReceiptLine::Items,
            ReceiptLine::Subtotal,
            ReceiptLine::Tip,
            ReceiptLine::Total,
            ReceiptLine::PaidWith,
            ReceiptLine::Transaction,
        ] {
            check(receipt_label(zh, line));
        }
    }

    fn receipt() -> Receipt {
        Receipt {
            shop_name: "演示咖啡馆".into(),
            when: crate::domain::lang::LocalTime {
                year: 2026,
                month: 11,
                day: 27,
                hour: 9,
                minute: 5,
            },
            order_id: "T3K9QX-000127".into(),
            items: String::new(),
            note: String::new(),
            subtotal: "12.35 USD".into(),
            tip: Some("1.85 USD".into()),
            total: "14.20 USD".into(),
            paid: Some("14.2 USDT".into()),
            txid_short: None,
            trace_id: "dd9c3e04-a5d2-41ec-b909-0242ac120002".into(),
        }
    }

    #[test]
    fn the_shared_receipt_is_in_the_language_on_screen() {
        let en = receipt_text(Lang::En, &receipt());
        assert_eq!(
            en,
            "演示咖啡馆\nReceipt — paid with MixPay\nOrder: T3K9QX-000127\nDate: 2026-11-27 09:05\n\
             Subtotal: 12.35 USD\nTip: 1.85 USD\nTotal: 14.20 USD\nPaid with: 14.2 USDT\n\
             Trace ID: dd9c3e04-a5d2-41ec-b909-0242ac120002"
        );
        let zh = receipt_text(Lang::ZhHans, &receipt());
        assert_eq!(
            zh,
            "演示咖啡馆\n收据 — 通过 MixPay 支付\n订单：T3K9QX-000127\n日期：2026年11月27日 09:05\n\
             小计：12.35 USD\n小费：1.85 USD\n合计：14.20 USD\n支付：14.2 USDT\n\
             追踪号：dd9c3e04-a5d2-41ec-b909-0242ac120002"
        );
    }

    #[test]
    fn config_json_problems_name_the_fields_in_either_language() {
        let reading = ConfigReading {
            skipped: vec![
                crate::domain::config_fields::FieldProblem {
                    field: "expiryMinutes".into(),
                    why: FieldWhy::Minutes(120),
                },
                crate::domain::config_fields::FieldProblem {
                    field: "colour".into(),
                    why: FieldWhy::UnknownField,
                },
            ],
            ..ConfigReading::default()
        };
        assert_eq!(
            config_message(Lang::En, &reading).unwrap(),
            "config.json: skipped expiryMinutes (a whole number of minutes, 1 to 120); \
             colour (unknown field) — the other fields were used."
        );
        assert_eq!(
            config_message(Lang::ZhHans, &reading).unwrap(),
            "config.json：已跳过 expiryMinutes（应为 1 到 120 的整数分钟）；colour（未知字段），其余字段已采用。"
        );
        assert_eq!(config_message(Lang::ZhHans, &ConfigReading::default()), None);
        let not_json = ConfigReading {
            unreadable: Some(Unreadable::NotJson { line: 3, column: 7 }),
            ..ConfigReading::default()
        };
        assert_eq!(
            config_message(Lang::En, &not_json).unwrap(),
            "config.json could not be read (not JSON: line 3, column 7): nothing was taken from it."
        );
    }

    #[test]
    fn the_issue_24_words() {
        assert_eq!(customer_paid_failed(Lang::En, "4.50 USDT"), "The customer paid 4.50 USDT.");
        assert_eq!(customer_paid_failed(Lang::ZhHans, "4.50 USDT"), "顾客已支付 4.50 USDT。");
        assert_eq!(overpaid(Lang::En, "0.50 USDT"), "The customer overpaid 0.50 USDT; MixPay refunds it");
        assert_eq!(overpaid(Lang::ZhHans, "0.50 USDT"), "顾客多付了 0.50 USDT；MixPay 会退还");
        assert_eq!(settled_as(Lang::En, "BTC"), "Settled as BTC");
        assert_eq!(settled_as(Lang::ZhHans, "BTC"), "结算为 BTC");
        assert_eq!(Msg::AlreadyAtMixPay.text(Lang::En), "This sale already exists at MixPay: start a new sale");
        assert_eq!(Msg::AlreadyAtMixPay.text(Lang::ZhHans), "此订单在 MixPay 已存在：请开始新的销售");
        assert!(refund_on_chain(Lang::En, "T3K9QX-000127", "dd9c").contains("order number T3K9QX-000127 and the trace ID dd9c"));
        // Nothing says a late payment "is caught": MixPay refunds it.
        for m in [Msg::CancelSaleQuestion, Msg::LatePaymentRefunded] {
            assert!(!m.text(Lang::En).contains("caught"), "{m:?}");
        }
    }

    #[test]
    fn why_a_payment_is_being_verified_reads_in_chinese() {
        let why = format!("{}payee, currency, amount", crate::domain::status::WHY_LACKS);
        assert_eq!(verifying_why_zh(&why), "MixPay 的答复缺少收款方、币种、金额");
    }
}
