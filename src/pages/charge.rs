//! Charge's work once the sale path is in memory (the payment part, see
//! `state::sale_path`): the sale made from the keypad or the cart (and the
//! tip), MixPay asked first in strict mode, the sale recorded and its screen
//! opened. The amount page reaches it through `SalePath::charge`.

use leptos::prelude::*;

use crate::api::client::mixpay_now_ms;
use crate::clock::now_ms;
use crate::domain::keypad::{check_limits, Key};
use crate::domain::money::{Amount, AmountError};
use crate::domain::sale::Sale;
use crate::domain::settings::{PaymentMode, Settings};
use crate::domain::status::SaleStatus;
use crate::i18n::{self, Msg};
use crate::pages::amount::ChargeInputs;
use crate::state::{order_numbers, sale_lifecycle};

/// Charges `subtotal` (+ `tip`). With strict mode on, MixPay is asked first
/// whether the settlement asset can settle this total (`isAvailable`): when it
/// says no, nobody could pay the sale, so Charge is refused before the QR. No
/// answer (offline, slow, unreadable) charges as before: MixPay still refuses
/// a payment it cannot settle, so nothing is paid wrongly.
pub(crate) fn charge(inputs: ChargeInputs, subtotal: Amount, tip: Option<Amount>) -> Result<(), String> {
    let ChargeInputs { state, notice, checking, .. } = inputs;
    if checking.get_untracked() {
        return Ok(());
    }
    let (sale, from_cart) = prepare_sale(inputs, subtotal, tip)?;
    let settings = state.settings().get_untracked();
    let strict_asset = settings
        .settlement
        .as_ref()
        .filter(|_| settings.strict)
        .map(|a| (a.asset_id.clone(), a.symbol.clone()));
    // The usual case: nothing to ask first; the QR is drawn in this very frame.
    let Some((asset_id, symbol)) = strict_asset else {
        return commit_sale(inputs, sale, from_cart);
    };
    checking.set(true);
    leptos::task::spawn_local(async move {
        let amount = sale.params.quote_amount;
        let refused = refuses_settlement(settings.clone(), amount.to_string(), asset_id)
            .await
            .then(|| {
                let shown = settings.quote.money_style().format(&amount);
                i18n::cannot_settle(i18n::current(), &symbol, &shown)
            });
        // The page was left meanwhile: the cashier moved on, no sale.
        if checking.try_set(false).is_some() {
            return;
        }
        notice.set(match refused {
            Some(why) => Some(why),
            None => commit_sale(inputs, sale, from_cart).err(),
        });
    });
    Ok(())
}

/// The sale for `subtotal` (+ `tip`) as it would be charged, and whether it
/// comes from the cart; nothing recorded yet.
fn prepare_sale(inputs: ChargeInputs, subtotal: Amount, tip: Option<Amount>) -> Result<(Sale, bool), String> {
    let ChargeInputs { state, products, note, .. } = inputs;
    if let Some(why) = state.offline_reason() {
        return Err(why);
    }
    let settings = state.settings().get_untracked();
    let trace_id = uuid::Uuid::new_v4().to_string();
    let (now, mixpay_now, note_text) = (now_ms(), mixpay_now_ms(), note.get_untracked());
    if crate::domain::text::has_hidden_formatting(&note_text) {
        return Err(i18n::note_hidden(i18n::current()));
    }
    let cart = products.cart().get_untracked();
    let from_cart = !cart.is_empty();
    let mut sale = if from_cart {
        let sale = Sale::from_cart(&settings, &cart, &note_text, trace_id, now, mixpay_now)
            .ok_or_else(|| Msg::CartEmpty.text(i18n::current()).to_string())?;
        // The tip screen was shown for this total; a cart changed since is charged anew.
        if sale.params.quote_amount != subtotal {
            return Err(Msg::CartChanged.text(i18n::current()).into());
        }
        sale
    } else {
        Sale::new(&settings, subtotal, &note_text, trace_id, now, mixpay_now)
    };
    if let Some(tip) = tip {
        sale = sale
            .with_tip(tip)
            .ok_or_else(|| i18n::amount_error(i18n::current(), &AmountError::TooLong))?;
        // The total is what MixPay is asked for: it must be within the limits too.
        let q = &settings.quote;
        check_limits(sale.params.quote_amount, q.min, q.max, &q.money_style())
            .map_err(|e| {
                let lang = i18n::current();
                i18n::with_tip_error(lang, &i18n::limit_error(lang, &e))
            })?;
    }
    Ok((sale, from_cart))
}

/// Records the sale and opens the payment screen. In pay-link mode the link
/// is built here, so the QR is drawn in the same frame. A sale charged from
/// the cart keeps its lines, and the cart is emptied.
fn commit_sale(inputs: ChargeInputs, sale: Sale, from_cart: bool) -> Result<(), String> {
    let ChargeInputs { state, products, entry, note, .. } = inputs;
    let settings = state.settings().get_untracked();
    let mut sale = sale.with_order_id(order_numbers::next());
    if settings.mode == PaymentMode::PayLink {
        let link = sale
            .params
            .checked_pay_link(&settings.pay_base, &crate::api::client::pinned())
            .map_err(|e| i18n::origin_problem(i18n::current(), &e))?;
        sale.link = Some(link);
        sale.status = SaleStatus::Waiting;
    }
    // Before anything on the keypad changes (see `let_go_of_focus_in_main`).
    let_go_of_focus_in_main();
    // Recorded before the QR is shown: a reload from here on brings it back.
    let sale = sale_lifecycle::create(state, sale);
    if from_cart {
        // Charged: the sale holds the lines from here on.
        products.clear_cart();
    }
    entry.update(|e| e.press(Key::Clear).unwrap_or(()));
    note.set(String::new());
    state.show_sale(sale);
    Ok(())
}

/// Lets go of the focus when it is on a control in `<main>` (the keypad's,
/// the tip screen's), which the sale's screen is about to replace. Chromium
/// lays the whole page out again to move the focus off an element being
/// removed: a full style and layout forced in the middle of Charge → QR
/// (about 22 ms at 4× CPU, in a trace). `blur` brings the layout up to date
/// too, so this runs before anything on screen changes: then it costs a
/// style pass (about 4 ms) and no layout. The focus ends on the body either
/// way, as it did when the focused key was removed.
fn let_go_of_focus_in_main() {
    let focused = document().active_element();
    if let Some(el) = focused.filter(|el| el.closest("main").ok().flatten().is_some()) {
        // Not web-sys' `blur`: its glue was 65 B gzip on the first load.
        crate::pages::payment::call_method(&el, "blur");
    }
}

/// How long Charge waits for MixPay's "can this be settled" before it goes
/// on (strict mode): the verdict still refuses a payment in another asset.
const SETTLE_CHECK_MS: u32 = 3_000;

/// Whether MixPay says it cannot settle `amount` of the quote currency into
/// the asset (strict mode): `true` only on MixPay's own "no"; an error or no
/// answer leaves the decision to the sale's verdict.
async fn refuses_settlement(settings: Settings, amount: String, asset_id: String) -> bool {
    use futures::future::{select, Either};
    let client = crate::api::MixPayClient::new(&settings.api_base);
    let asked = client.can_settle(&settings.payee_id, &settings.quote.asset_id, &amount, &asset_id);
    let answer = select(Box::pin(asked), gloo_timers::future::TimeoutFuture::new(SETTLE_CHECK_MS)).await;
    matches!(answer, Either::Left((Ok(Some(false)), _)))
}
