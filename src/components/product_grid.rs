//! Big product buttons for the sale screen, grouped by category, with a
//! search box and category filters once the menu is longer than a glance.

use leptos::prelude::*;

use crate::domain::money_format::MoneyStyle;
use crate::components::erased::{keyed, memo, signal, Row};
use crate::components::text::tr;
use crate::domain::catalogue::{Badge, Product, FILTER_THRESHOLD};
use crate::i18n::Msg;
use crate::state::app_state::AppState;
use crate::state::products::Products;

/// One cell of the grid: a category heading (empty: products with no
/// category, "Other" in the language on screen) or a product.
#[derive(Clone, PartialEq)]
enum Cell {
    Heading(String),
    Item(Product),
}

impl Cell {
    /// Changes whenever what the cell shows changes, so the list redraws it.
    fn key(&self) -> String {
        match self {
            Cell::Heading(c) => format!("h\u{1}{c}"),
            Cell::Item(p) => format!("p\u{1}{}\u{1}{}\u{1}{}\u{1}{}", p.id, p.name, p.price, p.badge),
        }
    }
}

#[component]
pub fn ProductGrid(
    /// The quote currency's places, for the prices.
    #[prop(into)]
    decimals: Signal<u32>,
    /// The quote currency's symbol.
    #[prop(into)]
    symbol: Signal<String>,
    /// Called when a tap could not add (a full line, a full cart).
    on_refused: Callback<String>,
    /// While true the grid stays built but is not shown (the Keypad tab).
    #[prop(into)]
    hidden: Signal<bool>,
) -> impl IntoView {
    let products = Products::expect();
    let lang = AppState::expect().lang();
    let catalogue = products.catalogue();
    let search = signal(String::new());
    let category = signal(None::<String>);
    let many = memo(move || catalogue.with(|c| c.visible().count() > FILTER_THRESHOLD));
    let categories = memo(move || catalogue.with(|c| c.categories()));
    let cells = memo(move || {
        let (text, cat) = if many.get() {
            (search.get(), category.get())
        } else {
            (String::new(), None)
        };
        catalogue.with(|c| {
            let groups = c.grouped(&text, cat.as_deref());
            // Headings only when there is more than one group to tell apart.
            let headed = groups.len() > 1 || groups.first().is_some_and(|(c, _)| !c.is_empty());
            let mut out = vec![];
            for (name, list) in groups {
                if headed {
                    out.push(Cell::Heading(name));
                }
                out.extend(list.into_iter().map(Cell::Item));
            }
            out
        })
    });
    let nothing_found = memo(move || cells.with(Vec::is_empty));

    // `None` is "All"; `Some("")` the products with no category ("Other").
    let filter_button = move |value: Option<String>| {
        let pressed_value = value.clone();
        let label = value.clone();
        view! {
            <button type="button" class="filter"
                aria-pressed=move || category.with(|c| *c == pressed_value).to_string()
                on:click=move |_| category.set(value.clone())>
                {move || category_label(lang.get(), label.as_deref())}
            </button>
        }
    };

    view! {
        <div class="product-grid-wrap" role="tabpanel" id="panel-products" aria-labelledby="tab-products"
            hidden=move || hidden.get()>
            <div class="product-filters" hidden=move || !many.get()>
                    <input type="search" class="product-search" aria-label=tr(lang, Msg::SearchProducts)
                        placeholder=tr(lang, Msg::SearchProducts)
                        prop:value=move || search.get()
                        on:input=move |ev| search.set(event_target_value(&ev)) />
                    <div class="filters" role="group" aria-label=tr(lang, Msg::Categories)>
                        {filter_button(None)}
                        {move || categories.get().into_iter().map(|c| filter_button(Some(c))).collect_view()}
                    </div>
            </div>
            <p class="hint" hidden=move || !(nothing_found.get() && many.get())>{tr(lang, Msg::NoProductMatches)}</p>
            <div class="product-grid">
                {keyed(move || cells.get().into_iter().map(|cell| Row::new(cell.key(), move || match cell {
                    Cell::Heading(name) => view! {
                        <h3 class="product-category">{move || category_label(lang.get(), Some(&name))}</h3>
                    }.into_any(),
                    Cell::Item(p) => view! { <ProductButton product=p decimals symbol on_refused /> }.into_any(),
                })).collect())}
            </div>
        </div>
    }
}

/// A filter's or a heading's words: "All" for no filter, "Other" for the
/// products with no category, else the category as the owner typed it.
fn category_label(lang: crate::i18n::Lang, category: Option<&str>) -> String {
    match category {
        None => Msg::AllCategories.text(lang).into(),
        Some("") => Msg::OtherCategory.text(lang).into(),
        Some(c) => c.into(),
    }
}

#[component]
fn ProductButton(
    product: Product,
    decimals: Signal<u32>,
    symbol: Signal<String>,
    on_refused: Callback<String>,
) -> impl IntoView {
    let products = Products::expect();
    let (colour, emoji) = match product.badge() {
        Badge::Colour(c) => (Some(c), None),
        Badge::Emoji(e) => (None, Some(e)),
        Badge::None => (None, None),
    };
    let coloured = colour.is_some();
    let price = product.price;
    let name = product.name.clone();
    view! {
        <button type="button" class="product" class:has-colour=coloured
            // Set through the CSSOM (setProperty): the CSP refuses style attributes.
            style=("--badge", colour)
            on:click=move |_| {
                if let Err(e) = products.add_to_cart(&product) {
                    on_refused.run(e.to_string());
                }
            }>
            // The name first: the button's accessible name starts with it.
            <span class="product-name">{name}</span>
            // The badge sits beside the price, never over the name (an emoji
            // may be drawn as a box where the tablet has no emoji font).
            <span class="product-foot">
                <span class="product-price">{move || MoneyStyle::new(&symbol.get(), decimals.get()).format(&price)}</span>
                {emoji.map(|e| view! { <span class="product-emoji" aria-hidden="true">{e}</span> })}
            </span>
        </button>
    }
}
