//! The "Products" section of Settings: add, edit, reorder, hide and delete
//! products; import and export them; and, after a quote-currency change,
//! the question of what to do with their prices. Rules live in
//! `domain::catalogue` and `domain::product_import`.

use leptos::prelude::*;

use crate::components::erased::{keyed, Row};
use crate::components::text::tr;
use crate::domain::catalogue::{CurrencyChoice, Product, ProductDraft};
use crate::domain::product_import;
use crate::i18n::{self, Msg, ProductAction};
use crate::pages::history::download;
use crate::state::app_state::AppState;
use crate::state::products::Products;

/// What the product form is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Editing {
    Closed,
    New,
    Existing(u64),
}

/// The text of the file picked in an `<input type="file">`.
async fn picked_text(input: web_sys::HtmlInputElement) -> Result<String, Msg> {
    let file = input.files().and_then(|f| f.get(0)).ok_or(Msg::NoFileChosen)?;
    if file.size() > product_import::MAX_IMPORT_BYTES as f64 {
        return Err(Msg::FileTooBig);
    }
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|_| Msg::FileUnreadable)?;
    text.as_string().ok_or(Msg::FileUnreadable)
}

#[component]
pub fn ProductsSettings() -> impl IntoView {
    let state = AppState::expect();
    let lang = state.lang();
    let products = Products::expect();
    let catalogue = products.catalogue();
    let quote = Memo::new(move |_| state.settings().with(|s| s.quote.clone()));
    let editing = RwSignal::new(Editing::Closed);
    let draft = RwSignal::new(ProductDraft::default());
    let errors = RwSignal::new(Vec::<String>::new());
    let note = RwSignal::new(None::<String>);
    let field = move |f: fn(&mut ProductDraft, String)| {
        move |ev: leptos::ev::Event| draft.update(|d| f(d, event_target_value(&ev)))
    };
    // The prices are in another currency than the shop now quotes in.
    let old_currency = Memo::new(move |_| {
        let id = quote.with(|q| q.asset_id.clone());
        catalogue.with(|c| {
            (!c.products.is_empty() && !c.priced_in(&id)).then(|| c.currency.to_ascii_uppercase())
        })
    });
    let rows = Memo::new(move |_| catalogue.with(|c| c.products.clone()));

    let open = move |mode: Editing| {
        let d = match mode {
            Editing::Existing(id) => catalogue.with_untracked(|c| {
                c.get(id)
                    .map(|p| ProductDraft::from_product(p, quote.with_untracked(|q| q.decimal_digit)))
                    .unwrap_or_default()
            }),
            _ => ProductDraft::default(),
        };
        draft.set(d);
        errors.set(vec![]);
        editing.set(mode);
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = quote.get_untracked();
        match draft.with_untracked(|d| d.validate(&q)) {
            Err(es) => errors.set(es.iter().map(ToString::to_string).collect()),
            Ok(valid) => {
                let name = valid.name.clone();
                let outcome = match editing.get_untracked() {
                    Editing::Existing(id) => {
                        products.update(&q, id, valid);
                        Ok(())
                    }
                    _ => products.add(&q, valid).map(|_| ()),
                };
                match outcome {
                    Ok(()) => {
                        note.set(Some(i18n::saved_product(lang.get_untracked(), &name)));
                        editing.set(Editing::Closed);
                        errors.set(vec![]);
                    }
                    Err(e) => errors.set(vec![e.to_string()]),
                }
            }
        }
    };
    let import = Action::new_local(move |input: &send_wrapper::SendWrapper<web_sys::HtmlInputElement>| {
        let input = (**input).clone();
        async move {
            let text = picked_text(input.clone()).await;
            input.set_value("");
            let text = text.map_err(|m| vec![m.text(i18n::current()).to_string()])?;
            products.import(&quote.get_untracked(), &text)
        }
    });
    let import_errors = Memo::new(move |_| import.value().get().and_then(Result::err).unwrap_or_default());
    let import_done = Memo::new(move |_| {
        import
            .value()
            .get()
            .and_then(Result::ok)
            .map(|n| i18n::imported_products(lang.get(), n))
    });
    let export = move |json: bool| {
        let (text, name) = catalogue.with_untracked(|c| {
            if json {
                (product_import::to_json(c), "mixpay-products.json")
            } else {
                (
                    product_import::to_csv(c, quote.with_untracked(|q| q.decimal_digit)),
                    "mixpay-products.csv",
                )
            }
        });
        let lang = lang.get_untracked();
        note.set(Some(match download(name, &text) {
            Ok(()) => i18n::exported_to(lang, name),
            Err(_) => i18n::export_failed(lang),
        }));
    };
    let choose = move |choice: CurrencyChoice| {
        let hidden = products.change_currency(&quote.get_untracked(), choice);
        let lang = lang.get_untracked();
        note.set(Some(match (choice, hidden) {
            (CurrencyChoice::RemoveAll, _) => Msg::AllProductsRemoved.text(lang).into(),
            (_, 0) => Msg::PricesKept.text(lang).into(),
            (_, n) => i18n::prices_kept_hidden(lang, n),
        }));
    };

    view! {
        <section class="products-settings" aria-labelledby="products-title">
            <h2 id="products-title">{tr(lang, Msg::Products)}</h2>
            {move || products.unreadable().get().map(|why| view! { <p class="error" role="alert">{why}</p> })}
            {move || old_currency.get().map(|old| {
                let new = quote.with(|q| q.symbol.clone());
                let lang = lang.get();
                view! {
                    <div class="currency-question" role="alertdialog" aria-labelledby="currency-question-text">
                        <p id="currency-question-text">{i18n::priced_in_question(lang, &old, &new)}</p>
                        <button type="button" on:click=move |_| choose(CurrencyChoice::KeepNumbers)>{i18n::keep_numbers_as(lang, &new)}</button>
                        <button type="button" class="danger" on:click=move |_| choose(CurrencyChoice::RemoveAll)>{Msg::RemoveAllProducts.text(lang)}</button>
                    </div>
                }
            })}
            <p class="hint" aria-live="polite">{move || note.get()}</p>
            <div class="product-actions">
                <button type="button" on:click=move |_| open(Editing::New)>{tr(lang, Msg::AddProduct)}</button>
                <label class="file-button">
                    {tr(lang, Msg::ImportProducts)}
                    <input type="file" accept=".csv,.json,text/csv,application/json"
                        on:change=move |ev| {
                            let input: web_sys::HtmlInputElement = event_target(&ev);
                            import.dispatch_local(send_wrapper::SendWrapper::new(input));
                        } />
                </label>
                <button type="button" on:click=move |_| export(true) disabled=move || rows.with(Vec::is_empty)>{tr(lang, Msg::ExportJson)}</button>
                <button type="button" on:click=move |_| export(false) disabled=move || rows.with(Vec::is_empty)>{tr(lang, Msg::ExportCsv)}</button>
            </div>
            {move || import_done.get().map(|t| view! { <p class="hint" role="status">{t}</p> })}
            {move || (!import_errors.get().is_empty()).then(|| view! {
                <div class="errors" role="alert">
                    <p>{tr(lang, Msg::NothingImported)}</p>
                    <ul>{import_errors.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                </div>
            })}
            // Hidden rather than unmounted while closed (no <Show>: its
            // view code would be one more copy in the wasm).
            <form class="product-form" on:submit=save novalidate hidden=move || editing.get() == Editing::Closed>
                    <label>{tr(lang, Msg::ProductName)}
                        <input type="text" maxlength="40" prop:value=move || draft.with(|d| d.name.clone()) on:input=field(|d, v| d.name = v) />
                    </label>
                    <label>{tr(lang, Msg::Price)}
                        <input type="text" inputmode="decimal" prop:value=move || draft.with(|d| d.price.clone()) on:input=field(|d, v| d.price = v) />
                    </label>
                    <label>{tr(lang, Msg::Category)}
                        <input type="text" maxlength="30" prop:value=move || draft.with(|d| d.category.clone()) on:input=field(|d, v| d.category = v) />
                    </label>
                    <label>{tr(lang, Msg::BadgeLabel)}
                        <input type="text" placeholder=tr(lang, Msg::BadgePlaceholder) prop:value=move || draft.with(|d| d.badge.clone()) on:input=field(|d, v| d.badge = v) />
                    </label>
                    {move || (!errors.get().is_empty()).then(|| view! {
                        <ul class="errors" role="alert">{errors.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                    })}
                    <button type="submit" class="primary">{tr(lang, Msg::SaveProduct)}</button>
                    <button type="button" on:click=move |_| editing.set(Editing::Closed)>{tr(lang, Msg::Cancel)}</button>
            </form>
            <ul class="product-list" aria-label=tr(lang, Msg::Products)>
                {keyed(move || rows.get().into_iter().map(|p| {
                    let key = format!("{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}", p.id, p.name, p.price, p.category, p.hidden, p.badge);
                    Row::new(key, move || view! { <ProductRow product=p on_edit=Callback::new(move |id| open(Editing::Existing(id))) /> }.into_any())
                }).collect())}
            </ul>
        </section>
    }
}

/// One product in the owner's list.
#[component]
fn ProductRow(product: Product, on_edit: Callback<u64>) -> impl IntoView {
    let state = AppState::expect();
    let lang = state.lang();
    let products = Products::expect();
    let quote = move || state.settings().with_untracked(|s| s.quote.clone());
    let id = product.id;
    let hidden = product.hidden;
    let name = product.name.clone();
    let confirming = RwSignal::new(false);
    let price = move || {
        state
            .settings()
            .with(|s| s.quote.money_style().format(&product.price))
    };
    let named = move |a: ProductAction| {
        let name = name.clone();
        move || i18n::product_action(lang.get(), a, &name)
    };
    view! {
        <li class="product-row" class:hidden=hidden>
            <span class="product-row-name">{product.name.clone()}</span>
            <span class="product-row-price">{price}</span>
            <span class="product-row-category">{product.category.clone()}</span>
            {hidden.then(|| view! { <span class="tag">{tr(lang, Msg::HiddenTag)}</span> })}
            <span class="product-row-buttons">
                <button type="button" aria-label=named(ProductAction::Edit) on:click=move |_| on_edit.run(id)>{tr(lang, Msg::Edit)}</button>
                <button type="button" aria-label=named(ProductAction::MoveUp) on:click=move |_| products.shift(&quote(), id, -1)>"↑"</button>
                <button type="button" aria-label=named(ProductAction::MoveDown) on:click=move |_| products.shift(&quote(), id, 1)>"↓"</button>
                <button type="button" aria-label=named(if hidden { ProductAction::Show } else { ProductAction::Hide })
                    on:click=move |_| products.set_hidden(&quote(), id, !hidden)>{tr(lang, if hidden { Msg::Show } else { Msg::Hide })}</button>
                {move || if confirming.get() {
                    view! {
                        <button type="button" class="danger" on:click=move |_| products.delete(&quote(), id)>{named(ProductAction::ConfirmDelete)}</button>
                    }.into_any()
                } else {
                    view! { <button type="button" aria-label=named(ProductAction::Delete) on:click=move |_| confirming.set(true)>{tr(lang, Msg::Delete)}</button> }.into_any()
                }}
            </span>
        </li>
    }
}
