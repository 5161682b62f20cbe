//! The product catalogue and the cart of the running app, each kept in
//! localStorage under its own key (versioned JSON), so the menu and an
//! unfinished cart survive a reload. Pages read the signals and write only
//! through these methods, which save as they change.

use leptos::prelude::*;

use super::app_state::{AppState, Held};
use super::local_storage;
use super::problems::Problem;
use crate::domain::cart::{Cart, CartError};
use crate::domain::catalogue::{
    Catalogue, CurrencyChoice, Product, ProductError, ValidProduct,
};
use crate::domain::money::Amount;
use crate::domain::product_import;
use crate::domain::settings::QuoteAsset;
use crate::i18n::{self, Msg};

const CATALOGUE_KEY: &str = "mixpay-pos/products";
const CART_KEY: &str = "mixpay-pos/cart";

fn load_catalogue() -> Result<Option<Catalogue>, String> {
    match local_storage::get(CATALOGUE_KEY) {
        Err(e) => Err(e.to_string()),
        Ok(None) => Ok(None),
        Ok(Some(json)) => Catalogue::parse_stored(&json)
            .map(Some)
            .map_err(|e| e.to_string()),
    }
}

fn load_cart() -> Option<Cart> {
    local_storage::get(CART_KEY)
        .ok()
        .flatten()
        .and_then(|j| Cart::parse(&j).ok())
}

#[derive(Clone, Copy)]
pub struct Products {
    catalogue: Held<Catalogue>,
    cart: Held<Cart>,
    /// A stored catalogue that could not be read is never overwritten.
    unreadable: Held<Option<String>>,
    state: AppState,
}

impl Products {
    /// Reads both from the device and provides them to the app.
    pub fn provide(state: AppState) -> Products {
        let (catalogue, unreadable) = match load_catalogue() {
            Ok(c) => (c.unwrap_or_else(|| Catalogue::new("")), None),
            Err(why) => (Catalogue::new(""), Some(why)),
        };
        let products = Products {
            catalogue: Held::new(catalogue),
            cart: Held::new(load_cart().unwrap_or_else(|| Cart::new("", 0))),
            unreadable: Held::new(unreadable),
            state,
        };
        // Read by the keypad's page, which each sale opens anew: see
        // `AppState::release_readers`.
        let Products { catalogue, cart, unreadable, .. } = products;
        state.also_release(move || {
            super::app_state::release(&catalogue);
            super::app_state::release(&cart);
            super::app_state::release(&unreadable);
        });
        provide_context(products);
        products
    }

    pub fn expect() -> Products {
        expect_context::<Products>()
    }

    pub fn catalogue(&self) -> ReadSignal<Catalogue> {
        self.catalogue.read()
    }

    pub fn cart(&self) -> ReadSignal<Cart> {
        self.cart.read()
    }

    /// Why the stored catalogue could not be read, if it could not.
    pub fn unreadable(&self) -> ReadSignal<Option<String>> {
        self.unreadable.read()
    }

    fn save_catalogue(&self) {
        if self.unreadable.get_untracked().is_some() {
            return;
        }
        let json = self.catalogue.with_untracked(Catalogue::to_stored);
        if let Err(e) = local_storage::set(CATALOGUE_KEY, &json) {
            self.state.report(Problem::Storage(e));
        }
    }

    fn save_cart(&self) {
        let result = if self.cart.with_untracked(Cart::is_empty) {
            local_storage::remove(CART_KEY)
        } else {
            let json = self.cart.with_untracked(|c| c.to_json());
            local_storage::set(CART_KEY, &json)
        };
        if let Err(e) = result {
            self.state.report(Problem::Storage(e));
        }
    }

    /// Changes the catalogue and saves it. An empty catalogue takes the
    /// current quote currency first, so a first product is priced in it.
    fn edit<T>(&self, quote: &QuoteAsset, f: impl FnOnce(&mut Catalogue) -> T) -> T {
        let out = self.catalogue.try_update(|c| {
            if c.products.is_empty() {
                c.currency = quote.asset_id.trim().to_ascii_lowercase();
            }
            f(c)
        });
        self.save_catalogue();
        out.expect("the catalogue signal lives as long as the app")
    }

    pub fn add(&self, quote: &QuoteAsset, p: ValidProduct) -> Result<u64, ProductError> {
        self.edit(quote, |c| c.add(p))
    }

    pub fn update(&self, quote: &QuoteAsset, id: u64, p: ValidProduct) {
        self.edit(quote, |c| c.update(id, p));
    }

    pub fn delete(&self, quote: &QuoteAsset, id: u64) {
        self.edit(quote, |c| c.delete(id));
    }

    pub fn set_hidden(&self, quote: &QuoteAsset, id: u64, hidden: bool) {
        self.edit(quote, |c| c.set_hidden(id, hidden));
    }

    pub fn shift(&self, quote: &QuoteAsset, id: u64, by: isize) {
        self.edit(quote, |c| c.shift(id, by));
    }

    /// An import file: all its products, or the rows that stop it.
    pub fn import(&self, quote: &QuoteAsset, text: &str) -> Result<usize, Vec<String>> {
        if let Some(why) = self.unreadable.get_untracked() {
            return Err(vec![why]);
        }
        if !self.catalogue.with_untracked(|c| c.products.is_empty() || c.priced_in(&quote.asset_id)) {
            return Err(vec![Msg::AnswerPricesFirst.text(i18n::current()).into()]);
        }
        let products = product_import::parse(text, quote)
            .map_err(|errs| errs.iter().map(ToString::to_string).collect::<Vec<_>>())?;
        self.edit(quote, |c| c.add_all(products))
            .map_err(|e| vec![e.to_string()])
    }

    /// The owner's answer to a quote-currency change; how many were hidden.
    pub fn change_currency(&self, quote: &QuoteAsset, choice: CurrencyChoice) -> usize {
        let hidden = self
            .catalogue
            .try_update(|c| c.change_currency(quote, choice))
            .unwrap_or(0);
        self.save_catalogue();
        hidden
    }

    /// Products from `config.json` on a first run, when the device has none.
    /// Its bad rows were already named and skipped by `domain::config_fields`.
    pub fn provision(&self, quote: &QuoteAsset, list: &[ValidProduct]) {
        let stored = matches!(local_storage::get(CATALOGUE_KEY), Ok(Some(_)));
        if stored || self.unreadable.get_untracked().is_some() || list.is_empty() {
            return;
        }
        self.edit(quote, |c| {
            c.add_all(list.to_vec()).ok();
        });
    }

    /// The catalogue of a set-up link, in place of this device's (a stored
    /// catalogue that could not be read is replaced too: the owner chose to).
    pub fn replace(&self, catalogue: Catalogue) {
        self.unreadable.set(None);
        // `update`, not `set`: `set`'s code is the till's, and a second
        // caller here would take it out of line in the first load.
        self.catalogue.update(|c| *c = catalogue);
        self.save_catalogue();
    }

    /// The cart for this quote currency: one left from another currency is
    /// dropped (its prices mean nothing in this one).
    pub fn cart_for(&self, quote: &QuoteAsset) {
        if !self.cart.with_untracked(|c| c.is_for(&quote.asset_id, quote.decimal_digit)) {
            self.cart.set(Cart::new(&quote.asset_id, quote.decimal_digit));
            self.save_cart();
        }
    }

    fn edit_cart<T>(&self, f: impl FnOnce(&mut Cart) -> T) -> T {
        let out = self.cart.try_update(f).expect("the cart signal lives as long as the app");
        self.save_cart();
        out
    }

    pub fn add_to_cart(&self, p: &Product) -> Result<(), CartError> {
        self.edit_cart(|c| c.add_product(p))
    }

    pub fn add_custom(&self, amount: Amount, name: &str) -> Result<(), CartError> {
        self.edit_cart(|c| c.add_custom(amount, name))
    }

    pub fn increment(&self, index: usize) -> Result<(), CartError> {
        self.edit_cart(|c| c.increment(index))
    }

    pub fn decrement(&self, index: usize) {
        self.edit_cart(|c| c.decrement(index))
    }

    /// Cleared by the cashier, or once its sale is recorded.
    pub fn clear_cart(&self) {
        self.edit_cart(Cart::clear)
    }

    /// Whether a localStorage key is one of these (another tab changed it).
    pub fn reload_if_ours(&self, key: &str) {
        if key == CATALOGUE_KEY {
            match load_catalogue() {
                Ok(c) => {
                    self.unreadable.set(None);
                    self.catalogue.set(c.unwrap_or_else(|| Catalogue::new("")));
                }
                Err(why) => self.unreadable.set(Some(why)),
            }
        } else if key == CART_KEY {
            let decimals_id = self.cart.with_untracked(|c| (c.currency.clone(), c.decimals));
            self.cart.set(load_cart().unwrap_or_else(|| Cart::new(&decimals_id.0, decimals_id.1)));
        }
    }
}
