//! The words of the products and the cart (issue 16) that carry values.

use super::Lang;
use crate::domain::cart::{CartError, MAX_LINES, MAX_QUANTITY};
use crate::domain::catalogue::{
    ProductError, StoredCatalogueError, CATEGORY_MAX_CHARS, MAX_PRODUCTS, PRODUCT_NAME_MAX_CHARS,
};
use crate::domain::product_import::RowWhy;

pub fn cart_error(lang: Lang, error: &CartError) -> String {
    match error {
        CartError::WrongCurrency => pick!(
            lang,
            "The cart is in another currency: clear it first.",
            zh!("购物车是另一种币种：请先清空。")
        )
        .into(),
        CartError::Price(e) => super::amount_error(lang, e),
        CartError::TooManyLines => pick!(
            lang,
            "The cart is full ({MAX_LINES} lines).",
            zh!("购物车已满（{MAX_LINES} 行）。"; MAX_LINES)
        ),
        CartError::QuantityFull => pick!(
            lang,
            "At most {MAX_QUANTITY} of one line.",
            zh!("每行最多 {MAX_QUANTITY} 件。"; MAX_QUANTITY)
        ),
    }
}

pub fn product_error(lang: Lang, error: &ProductError) -> String {
    match error {
        ProductError::NameEmpty => pick!(lang, "Give the product a name.", zh!("请填写商品名称。")).into(),
        ProductError::NameTooLong => pick!(
            lang,
            "The name is longer than {PRODUCT_NAME_MAX_CHARS} characters.",
            zh!("名称超过 {PRODUCT_NAME_MAX_CHARS} 个字符。"; PRODUCT_NAME_MAX_CHARS)
        ),
        ProductError::Price(e) => pick!(
            lang,
            "Price: {error}",
            zh!("价格：{error}"; error = super::amount_error(lang, e))
        ),
        ProductError::PriceLimit(e) => pick!(
            lang,
            "Price: {error}",
            zh!("价格：{error}"; error = super::limit_error(lang, e))
        ),
        ProductError::CategoryTooLong => pick!(
            lang,
            "The category is longer than {CATEGORY_MAX_CHARS} characters.",
            zh!("类别超过 {CATEGORY_MAX_CHARS} 个字符。"; CATEGORY_MAX_CHARS)
        ),
        ProductError::BadBadge => pick!(
            lang,
            "Use a colour like #ff8800 or one emoji (at most 4 characters).",
            zh!("请用 #ff8800 这样的颜色，或一个表情符号（最多 4 个字符）。")
        )
        .into(),
        ProductError::TooMany => pick!(
            lang,
            "At most {MAX_PRODUCTS} products.",
            zh!("最多 {MAX_PRODUCTS} 个商品。"; MAX_PRODUCTS)
        ),
        ProductError::HiddenCharacters => pick!(
            lang,
            "Name or category: {hidden}",
            zh!("名称或类别：{hidden}"; hidden = super::Sec::HiddenCharacters.text(lang))
        ),
    }
}

pub fn stored_catalogue_error(lang: Lang, error: &StoredCatalogueError) -> String {
    match error {
        StoredCatalogueError::Unreadable(why) => pick!(
            lang,
            "The products saved on this device cannot be read ({why}).",
            zh!("无法读取本设备上保存的商品（{why}）。"; why)
        ),
        StoredCatalogueError::NewerVersion(v) => pick!(
            lang,
            "The products were saved by a newer version of the app (format {v}); update this tablet.",
            zh!("商品由更新版本的应用保存（格式 {v}）：请更新本平板上的应用。"; v)
        ),
    }
}

/// "Row 3: Price: That is not a number." (row 0: the whole file).
pub fn row_error(lang: Lang, row: usize, why: &RowWhy) -> String {
    let why = row_why(lang, why);
    pick!(lang, "Row {row}: {why}", zh!("第 {row} 行：{why}"; row, why))
}

pub fn row_why(lang: Lang, why: &RowWhy) -> String {
    match why {
        RowWhy::TooBig => pick!(lang, "the file is larger than 1 MB.", zh!("文件超过 1MB。")).into(),
        RowWhy::NoProducts => pick!(lang, "the file holds no products.", zh!("文件中没有商品。")).into(),
        RowWhy::NotJson(e) => pick!(
            lang,
            "this is not valid JSON ({e}).",
            zh!("这不是有效的 JSON（{e}）。"; e)
        ),
        RowWhy::OtherCurrency { found, quote } => pick!(
            lang,
            "these prices are in {found}, the shop quotes in {quote}.",
            zh!("这些价格以 {found} 计，本店以 {quote} 计价。"; found, quote)
        ),
        RowWhy::NotAList => pick!(lang, "expected a list of products.", zh!("应为商品列表。")).into(),
        RowWhy::NotAnObject => pick!(lang, "expected a product object.", zh!("应为一个商品对象。")).into(),
        RowWhy::NotText(key) => pick!(
            lang,
            "\"{key}\" must be text.",
            zh!("“{key}”必须是文本。"; key)
        ),
        RowWhy::PriceNotTextOrNumber => pick!(
            lang,
            "\"price\" must be a number or text.",
            zh!("“price”必须是数字或文本。")
        )
        .into(),
        RowWhy::QuoteNeverClosed => pick!(lang, "a quote is never closed.", zh!("引号没有闭合。")).into(),
        RowWhy::FieldCount(n) => pick!(
            lang,
            "expected name,price,category (found {n} field(s)).",
            zh!("应为 name,price,category（实际 {n} 个字段）。"; n)
        ),
        RowWhy::Invalid(errors) => {
            let words: Vec<String> = errors.iter().map(|e| product_error(lang, e)).collect();
            words.join(" ")
        }
    }
}

/// The question after a quote-currency change, with products priced in `old`.
pub fn priced_in_question(lang: Lang, old: &str, new: &str) -> String {
    pick!(
        lang,
        "Your products are priced in {old}, but the shop now quotes in {new}. What should happen to their prices? Until you answer, products are not offered on the sale screen.",
        zh!("你的商品以 {old} 标价，但本店现在以 {new} 计价。这些价格应如何处理？在你回答之前，收银页面不提供商品。"; old, new)
    )
}

pub fn keep_numbers_as(lang: Lang, new: &str) -> String {
    pick!(lang, "Keep the numbers as {new}", zh!("数字不变，改作 {new}"; new))
}

pub fn prices_kept_hidden(lang: Lang, hidden: usize) -> String {
    pick!(
        lang,
        "Prices kept; {hidden} product(s) hidden: their price does not fit the new currency. Edit them to show them again.",
        zh!("价格已保留；{hidden} 个商品已隐藏：其价格不适合新币种。编辑后即可再次显示。"; hidden)
    )
}

pub fn saved_product(lang: Lang, name: &str) -> String {
    pick!(lang, "Saved {name}.", zh!("已保存 {name}。"; name))
}

pub fn imported_products(lang: Lang, n: usize) -> String {
    pick!(lang, "Imported {n} product(s).", zh!("已导入 {n} 个商品。"; n))
}

pub fn exported_to(lang: Lang, file: &str) -> String {
    pick!(lang, "Exported to {file}.", zh!("已导出到 {file}。"; file))
}

/// The names of the buttons of a product's row and of a cart line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProductAction {
    Edit,
    MoveUp,
    MoveDown,
    Show,
    Hide,
    Delete,
    ConfirmDelete,
    OneFewer,
    OneMore,
}

/// "Edit Latte", "Move Latte up", "One more Latte", …
pub fn product_action(lang: Lang, action: ProductAction, name: &str) -> String {
    use ProductAction::*;
    match (action, super::zh::effective(lang)) {
        (Edit, Lang::En) => format!("Edit {name}"),
        (Edit, Lang::ZhHans) => zh!("编辑 {name}"; name).into(),
        (MoveUp, Lang::En) => format!("Move {name} up"),
        (MoveUp, Lang::ZhHans) => zh!("上移 {name}"; name).into(),
        (MoveDown, Lang::En) => format!("Move {name} down"),
        (MoveDown, Lang::ZhHans) => zh!("下移 {name}"; name).into(),
        (Show, Lang::En) => format!("Show {name}"),
        (Show, Lang::ZhHans) => zh!("显示 {name}"; name).into(),
        (Hide, Lang::En) => format!("Hide {name}"),
        (Hide, Lang::ZhHans) => zh!("隐藏 {name}"; name).into(),
        (Delete, Lang::En) => format!("Delete {name}"),
        (Delete, Lang::ZhHans) => zh!("删除 {name}"; name).into(),
        (ConfirmDelete, Lang::En) => format!("Yes, delete {name}"),
        (ConfirmDelete, Lang::ZhHans) => zh!("确认删除 {name}"; name).into(),
        (OneFewer, Lang::En) => format!("One fewer {name}"),
        (OneFewer, Lang::ZhHans) => zh!("{name} 减一"; name).into(),
        (OneMore, Lang::En) => format!("One more {name}"),
        (OneMore, Lang::ZhHans) => zh!("{name} 加一"; name).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::AmountError;

    #[test]
    fn the_names_tests_use_stay_english() {
        assert_eq!(product_action(Lang::En, ProductAction::OneMore, "Latte"), "One more Latte");
        assert_eq!(
            row_error(Lang::En, 3, &RowWhy::Invalid(vec![ProductError::Price(AmountError::NotANumber)])),
            "Row 3: Price: That is not a number."
        );
        assert_eq!(keep_numbers_as(Lang::En, "JPY"), "Keep the numbers as JPY");
        assert!(row_error(Lang::ZhHans, 3, &RowWhy::QuoteNeverClosed).starts_with("第 3 行"));
    }

    /// The Chinese of every message here has no English word but codes,
    /// the field names of the file format and the values put in.
    #[test]
    fn no_english_words_in_chinese() {
        const ALLOWED: [&str; 6] = ["JSON", "JPY", "USD", "name", "price", "category"];
        let check = |text: &str| {
            for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
                let has_letter = word.chars().any(|c| c.is_ascii_alphabetic());
                let is_code = word.chars().any(|c| c.is_ascii_digit());
                assert!(!has_letter || is_code || ALLOWED.contains(&word), "{word:?} in {text:?}");
            }
        };
        let zh = Lang::ZhHans;
        for e in [CartError::WrongCurrency, CartError::TooManyLines, CartError::QuantityFull] {
            check(&cart_error(zh, &e));
        }
        for e in [
            ProductError::NameEmpty,
            ProductError::NameTooLong,
            ProductError::Price(AmountError::NotANumber),
            ProductError::CategoryTooLong,
            ProductError::BadBadge,
            ProductError::TooMany,
        ] {
            check(&product_error(zh, &e));
        }
        check(&stored_catalogue_error(zh, &StoredCatalogueError::NewerVersion(9)));
        for why in [
            RowWhy::TooBig,
            RowWhy::NoProducts,
            RowWhy::OtherCurrency { found: "JPY".into(), quote: "USD".into() },
            RowWhy::NotAList,
            RowWhy::NotAnObject,
            RowWhy::NotText("name".into()),
            RowWhy::PriceNotTextOrNumber,
            RowWhy::QuoteNeverClosed,
            RowWhy::FieldCount(4),
        ] {
            check(&row_error(zh, 2, &why));
        }
        check(&priced_in_question(zh, "JPY", "USD"));
        check(&keep_numbers_as(zh, "USD"));
        check(&prices_kept_hidden(zh, 2));
        check(&imported_products(zh, 3));
        for a in [
            ProductAction::Edit,
            ProductAction::MoveUp,
            ProductAction::MoveDown,
            ProductAction::Show,
            ProductAction::Hide,
            ProductAction::Delete,
            ProductAction::ConfirmDelete,
            ProductAction::OneFewer,
            ProductAction::OneMore,
        ] {
            check(&product_action(zh, a, "拿铁"));
        }
    }
}
