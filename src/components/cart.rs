//! The cart beside the products: lines with − / + and line totals, the
//! total, and "Clear cart" (which asks once).

use leptos::prelude::*;

use crate::domain::money_format::MoneyStyle;
use crate::components::text::tr;
use crate::components::erased::{keyed, memo, signal, Row};
use crate::i18n::{self, Msg, ProductAction};
use crate::state::app_state::AppState;
use crate::state::products::Products;

#[component]
pub fn CartView(
    /// The quote currency's symbol.
    #[prop(into)]
    symbol: Signal<String>,
    /// Called when a "+" could not add (a full line).
    on_refused: Callback<String>,
    /// While true the cart is not shown (no products to sell, nothing in it).
    #[prop(into)]
    hidden: Signal<bool>,
) -> impl IntoView {
    let products = Products::expect();
    let lang = AppState::expect().lang();
    let cart = products.cart();
    let confirming = signal(false);
    let empty = memo(move || cart.with(|c| c.is_empty()));
    let decimals = memo(move || cart.with(|c| c.decimals));
    let style = move || MoneyStyle::new(&symbol.get(), decimals.get());
    let total = memo(move || cart.with(|c| c.total().map_or_else(|| "—".into(), |t| style().format(&t))));
    let lines = memo(move || {
        cart.with(|c| c.lines.iter().cloned().enumerate().collect::<Vec<_>>())
    });

    view! {
        <aside class="cart-panel" hidden=move || hidden.get()>
            <h2 class="cart-title">{tr(lang, Msg::Cart)}</h2>
            <ul class="cart" aria-label=tr(lang, Msg::Cart)>
                {keyed(move || lines.get().into_iter().map(|(i, l)| {
                    let key = format!("{i}\u{1}{}\u{1}{}\u{1}{}", l.name, l.unit_price, l.quantity);
                    Row::new(key, move || {
                        let line_total = l.total().map(|t| untrack(style).format(&t)).unwrap_or_default();
                        let name = l.name.clone();
                        let named = move |a| {
                            let name = name.clone();
                            move || i18n::product_action(lang.get(), a, &name)
                        };
                        let quantity = l.quantity;
                        view! {
                            <li class="cart-line">
                                <span class="cart-name">{l.name.clone()}</span>
                                <span class="cart-qty">
                                    <button type="button" class="qty" aria-label=named(ProductAction::OneFewer)
                                        on:click=move |_| products.decrement(i)>"−"</button>
                                    <span class="qty-n">{quantity}</span>
                                    <button type="button" class="qty" aria-label=named(ProductAction::OneMore)
                                        on:click=move |_| if let Err(e) = products.increment(i) { on_refused.run(e.to_string()) }>"+"</button>
                                </span>
                                <span class="cart-line-total">{line_total}</span>
                            </li>
                        }.into_any()
                    })
                }).collect())}
            </ul>
            <p class="hint" hidden=move || !empty.get()>{tr(lang, Msg::TapProductToAdd)}</p>
            <p class="cart-total">{tr(lang, Msg::Total)} " " <strong>{total}</strong></p>
            {move || (!empty.get()).then(|| if confirming.get() {
                    view! {
                        <p class="confirm" role="alert">
                            {tr(lang, Msg::EmptyTheCart)}
                            <button type="button" class="danger" on:click=move |_| { products.clear_cart(); confirming.set(false); }>{tr(lang, Msg::YesEmptyIt)}</button>
                            <button type="button" on:click=move |_| confirming.set(false)>{tr(lang, Msg::Keep)}</button>
                        </p>
                    }.into_any()
                } else {
                    view! { <button type="button" class="clear-cart" on:click=move |_| confirming.set(true)>{tr(lang, Msg::ClearCart)}</button> }.into_any()
                })}
        </aside>
    }
}
