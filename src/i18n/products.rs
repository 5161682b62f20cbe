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
            "购物车是另一种币种：请先清空。"
        )
        .into(),
        CartError::Price(e) => super::amount_error(lang, e),
        CartError::TooManyLines => pick!(
            lang,
            format!("The cart is full ({MAX_LINES} lines)."),
            format!("购物车已满（{MAX_LINES} 行）。")
        ),
        CartError::QuantityFull => pick!(
            lang,
            format!("At most {MAX_QUANTITY} of one line."),
            format!("每行最多 {MAX_QUANTITY} 件。")
        ),
    }
}

pub fn product_error(lang: Lang, error: &ProductError) -> String {
    match error {
        ProductError::NameEmpty => pick!(lang, "Give the product a name.", "请填写商品名称。").into(),
        ProductError::NameTooLong => pick!(
            lang,
            format!("The name is longer than {PRODUCT_NAME_MAX_CHARS} characters."),
            format!("名称超过 {PRODUCT_NAME_MAX_CHARS} 个字符。")
        ),
        ProductError::Price(e) => pick!(
            lang,
            format!("Price: {}", super::amount_error(lang, e)),
            format!("价格：{}", super::amount_error(lang, e))
        ),
        ProductError::PriceLimit(e) => pick!(
            lang,
            format!("Price: {}", super::limit_error(lang, e)),
            format!("价格：{}", super::limit_error(lang, e))
        ),
        ProductError::CategoryTooLong => pick!(
            lang,
            format!("The category is longer than {CATEGORY_MAX_CHARS} characters."),
            format!("类别超过 {CATEGORY_MAX_CHARS} 个字符。")
        ),
        ProductError::BadBadge => pick!(
            lang,
            "Use a colour like #ff8800 or one emoji (at most 4 characters).",
            "请用 #ff8800 这样的颜色，或一个表情符号（最多 4 个字符）。"
        )
        .into(),
        ProductError::TooMany => pick!(
            lang,
            format!("At most {MAX_PRODUCTS} products."),
            format!("最多 {MAX_PRODUCTS} 个商品。")
        ),
        ProductError::HiddenCharacters => pick!(
            lang,
            format!("Name or category: {}", super::Sec::HiddenCharacters.text(lang)),
            format!("名称或类别：{}", super::Sec::HiddenCharacters.text(lang))
        ),
    }
}

pub fn stored_catalogue_error(lang: Lang, error: &StoredCatalogueError) -> String {
    match error {
        StoredCatalogueError::Unreadable(why) => pick!(
            lang,
            format!("The products saved on this device cannot be read ({why})."),
            format!("无法读取本设备上保存的商品（{why}）。")
        ),
        StoredCatalogueError::NewerVersion(v) => pick!(
            lang,
            format!(
                "The products were saved by a newer version of the app (format {v}); update this tablet."
            ),
            format!("商品由更新版本的应用保存（格式 {v}）：请更新本平板上的应用。")
        ),
    }
}

/// "Row 3: Price: That is not a number." (row 0: the whole file).
pub fn row_error(lang: Lang, row: usize, why: &RowWhy) -> String {
    let why = row_why(lang, why);
    pick!(lang, format!("Row {row}: {why}"), format!("第 {row} 行：{why}"))
}

pub fn row_why(lang: Lang, why: &RowWhy) -> String {
    match why {
        RowWhy::TooBig => pick!(lang, "the file is larger than 1 MB.", "文件超过 1MB。").into(),
        RowWhy::NoProducts => pick!(lang, "the file holds no products.", "文件中没有商品。").into(),
        RowWhy::NotJson(e) => pick!(
            lang,
            format!("this is not valid JSON ({e})."),
            format!("这不是有效的 JSON（{e}）。")
        ),
        RowWhy::OtherCurrency { found, quote } => pick!(
            lang,
            format!("these prices are in {found}, the shop quotes in {quote}."),
            format!("这些价格以 {found} 计，本店以 {quote} 计价。")
        ),
        RowWhy::NotAList => pick!(lang, "expected a list of products.", "应为商品列表。").into(),
        RowWhy::NotAnObject => pick!(lang, "expected a product object.", "应为一个商品对象。").into(),
        RowWhy::NotText(key) => pick!(
            lang,
            format!("\"{key}\" must be text."),
            format!("“{key}”必须是文本。")
        ),
        RowWhy::PriceNotTextOrNumber => pick!(
            lang,
            "\"price\" must be a number or text.",
            "“price”必须是数字或文本。"
        )
        .into(),
        RowWhy::QuoteNeverClosed => pick!(lang, "a quote is never closed.", "引号没有闭合。").into(),
        RowWhy::FieldCount(n) => pick!(
            lang,
            format!("expected name,price,category (found {n} field(s))."),
            format!("应为 name,price,category（实际 {n} 个字段）。")
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
        format!(
            "Your products are priced in {old}, but the shop now quotes in {new}. What should happen to their prices? Until you answer, products are not offered on the sale screen."
        ),
        format!(
            "你的商品以 {old} 标价，但本店现在以 {new} 计价。这些价格应如何处理？在你回答之前，收银页面不提供商品。"
        )
    )
}

pub fn keep_numbers_as(lang: Lang, new: &str) -> String {
    pick!(lang, format!("Keep the numbers as {new}"), format!("数字不变，改作 {new}"))
}

pub fn prices_kept_hidden(lang: Lang, hidden: usize) -> String {
    pick!(
        lang,
        format!(
            "Prices kept; {hidden} product(s) hidden: their price does not fit the new currency. Edit them to show them again."
        ),
        format!("价格已保留；{hidden} 个商品已隐藏：其价格不适合新币种。编辑后即可再次显示。")
    )
}

pub fn saved_product(lang: Lang, name: &str) -> String {
    pick!(lang, format!("Saved {name}."), format!("已保存 {name}。"))
}

pub fn imported_products(lang: Lang, n: usize) -> String {
    pick!(lang, format!("Imported {n} product(s)."), format!("已导入 {n} 个商品。"))
}

pub fn exported_to(lang: Lang, file: &str) -> String {
    pick!(lang, format!("Exported to {file}."), format!("已导出到 {file}。"))
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
    match (action, lang) {
        (Edit, Lang::En) => format!("Edit {name}"),
        (Edit, Lang::ZhHans) => format!("编辑 {name}"),
        (MoveUp, Lang::En) => format!("Move {name} up"),
        (MoveUp, Lang::ZhHans) => format!("上移 {name}"),
        (MoveDown, Lang::En) => format!("Move {name} down"),
        (MoveDown, Lang::ZhHans) => format!("下移 {name}"),
        (Show, Lang::En) => format!("Show {name}"),
        (Show, Lang::ZhHans) => format!("显示 {name}"),
        (Hide, Lang::En) => format!("Hide {name}"),
        (Hide, Lang::ZhHans) => format!("隐藏 {name}"),
        (Delete, Lang::En) => format!("Delete {name}"),
        (Delete, Lang::ZhHans) => format!("删除 {name}"),
        (ConfirmDelete, Lang::En) => format!("Yes, delete {name}"),
        (ConfirmDelete, Lang::ZhHans) => format!("确认删除 {name}"),
        (OneFewer, Lang::En) => format!("One fewer {name}"),
        (OneFewer, Lang::ZhHans) => format!("{name} 减一"),
        (OneMore, Lang::En) => format!("One more {name}"),
        (OneMore, Lang::ZhHans) => format!("{name} 加一"),
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
