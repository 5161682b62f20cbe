//! The words of "Set up another tablet" (issue 27, part 2), English then
//! Simplified Chinese: the link made in Settings and the screen that opens
//! one. Only the Settings part reads them.

use super::Lang;
use crate::domain::setup_link::SetupProblem;

/// The button in Settings, and its dialog's name.
pub fn set_up_another_tablet(lang: Lang) -> &'static str {
    pick!(lang, "Set up another tablet", zh!("设置另一台平板"))
}

/// What the link does, above the PIN that signs it.
pub fn setup_intro(lang: Lang) -> &'static str {
    pick!(
        lang,
        "Scan this code with the new tablet's camera, or send it the link: it sets up the shop's settings and products there. It does not carry the sales, the owner PIN or this tablet's order numbers. It never goes to a server.",
        zh!("用新平板的相机扫描此二维码，或把链接发给它：即可在新平板上设好店铺设置和商品。链接不包含销售记录、店主密码或本平板的订单号，也不会发送到任何服务器。")
    )
}

/// The owner PIN that signs the link.
pub fn pin_to_sign(lang: Lang) -> &'static str {
    pick!(lang, "Owner PIN to sign the link", zh!("用于签名链接的店主密码"))
}

pub fn make_the_link(lang: Lang) -> &'static str {
    pick!(lang, "Make the link", zh!("生成链接"))
}

/// No PIN on this tablet: nothing to sign with.
pub fn set_pin_first(lang: Lang) -> &'static str {
    pick!(
        lang,
        "Set an owner PIN first: the link is signed with it, and the new tablet asks for it.",
        zh!("请先设置店主密码：链接用它签名，新平板也会要求输入它。")
    )
}

/// The QR's name for screen readers.
pub fn setup_qr_label(lang: Lang) -> &'static str {
    pick!(lang, "Set-up QR code: scan it with the new tablet", zh!("设置二维码：请用新平板扫描"))
}

pub fn setup_link_label(lang: Lang) -> &'static str {
    pick!(lang, "Set-up link", zh!("设置链接"))
}

pub fn copy_link(lang: Lang) -> &'static str {
    pick!(lang, "Copy link", zh!("复制链接"))
}

pub fn link_copied(lang: Lang) -> &'static str {
    pick!(lang, "Link copied.", zh!("链接已复制。"))
}

pub fn copy_failed(lang: Lang) -> &'static str {
    pick!(lang, "Could not copy: select the link and copy it.", zh!("无法复制：请选中链接后手动复制。"))
}

/// What the link made carries.
pub fn link_carries(lang: Lang, products: usize) -> String {
    pick!(
        lang,
        "This link carries the shop settings and {products} products.",
        zh!("此链接包含店铺设置和 {products} 个商品。"; products)
    )
}

/// The warning under the link: it is as good as the PIN for a guesser.
pub fn link_is_secret(lang: Lang) -> &'static str {
    pick!(
        lang,
        "Share it only with the shop's own tablets: with the link, a computer can guess a short PIN.",
        zh!("只发给本店自己的平板：拿到链接的人可以用电脑猜出较短的密码。")
    )
}

/// A catalogue too large for a QR code: the code goes without it.
pub fn too_long_for_qr(lang: Lang, chars: usize, max: usize, products: usize) -> String {
    pick!(
        lang,
        "With its {products} products the link is too long for a QR code ({chars} characters; a QR code holds {max}). The code below sets up the settings only: move the products with a file, \"Export JSON\" here, then \"Import products\" on the new tablet.",
        zh!("包含 {products} 个商品的链接太长，无法放进二维码（{chars} 个字符；二维码最多 {max} 个）。下面的二维码只设置店铺设置：商品请用文件转移，在此“导出 JSON”，然后在新平板上“导入商品”。"; products, chars, max)
    )
}

/// The screen a link opens, and its heading.
pub fn set_up_this_tablet(lang: Lang) -> &'static str {
    pick!(lang, "Set up this tablet", zh!("设置这台平板"))
}

pub fn setup_will_set(lang: Lang) -> &'static str {
    pick!(lang, "This link sets:", zh!("此链接将设置："))
}

/// Above the payee's fingerprint, in large type.
pub fn payments_will_go(lang: Lang) -> &'static str {
    pick!(lang, "Payments will go to", zh!("款项将付给"))
}

pub fn products_in_link(lang: Lang, n: usize) -> String {
    pick!(lang, "Products: {n}", zh!("商品：{n} 个"; n))
}

pub fn no_products_in_link(lang: Lang) -> &'static str {
    pick!(lang, "Products: none in this link (this tablet's stay)", zh!("商品：此链接不含商品（本平板的商品保留）"))
}

/// The PIN the link was signed with.
pub fn first_tablet_pin(lang: Lang) -> &'static str {
    pick!(lang, "Owner PIN of the first tablet", zh!("第一台平板的店主密码"))
}

pub fn this_tablet_pin(lang: Lang) -> &'static str {
    pick!(lang, "Owner PIN of this tablet", zh!("本平板的店主密码"))
}

/// A tablet that already has settings.
pub fn replaces_settings(lang: Lang) -> &'static str {
    pick!(
        lang,
        "This tablet already has settings: they will be replaced. Its sales and its order numbers stay.",
        zh!("这台平板已有设置：它们将被替换。它的销售记录和订单号保留。")
    )
}

pub fn replace_them(lang: Lang) -> &'static str {
    pick!(lang, "Replace this tablet's settings", zh!("替换本平板的设置"))
}

pub fn tick_replace_first(lang: Lang) -> &'static str {
    pick!(lang, "Tick \"Replace this tablet's settings\" first.", zh!("请先勾选“替换本平板的设置”。"))
}

pub fn use_these_settings(lang: Lang) -> &'static str {
    pick!(lang, "Use these settings", zh!("使用这些设置"))
}

/// After "Use these settings": this tablet's own order numbers.
pub fn set_up_done(lang: Lang, prefix: &str) -> String {
    pick!(
        lang,
        "This tablet is set up. Its order numbers start with {prefix}.",
        zh!("这台平板已设置好。它的订单号以 {prefix} 开头。"; prefix)
    )
}

/// A wrong PIN of this tablet (replacing its settings).
pub fn wrong_this_tablet_pin(lang: Lang) -> &'static str {
    pick!(lang, "Wrong PIN of this tablet: nothing was changed.", zh!("本平板的密码错误：未做任何更改。"))
}

/// Why a link is refused; nothing was changed.
pub fn setup_problem(lang: Lang, problem: &SetupProblem) -> String {
    match problem {
        SetupProblem::Damaged => pick!(
            lang,
            "This set-up link is damaged or was edited: nothing was changed. Make a new one on the first tablet.",
            zh!("此设置链接已损坏或被修改：未做任何更改。请在第一台平板上重新生成。")
        )
        .into(),
        SetupProblem::NewerVersion(v) => pick!(
            lang,
            "This set-up link was made by a newer version of the app (format {v}): update this tablet first.",
            zh!("此设置链接由较新版本的应用生成（格式 {v}）：请先更新这台平板。"; v)
        ),
        SetupProblem::WrongPin => pick!(
            lang,
            "Wrong PIN: type the owner PIN of the tablet that made the link. Nothing was changed.",
            zh!("密码错误：请输入生成链接的那台平板的店主密码。未做任何更改。")
        )
        .into(),
        SetupProblem::Edited => pick!(
            lang,
            "This link was changed after it was made: it is refused and nothing was changed.",
            zh!("此链接在生成后被修改过：已拒绝，未做任何更改。")
        )
        .into(),
    }
}
