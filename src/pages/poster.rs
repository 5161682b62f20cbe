//! Settings → "Shop QR code": a poster to print on A6 or A5 with the shop's
//! standing pay link, without amount and without traceId
//! (`domain::link::OpenAmountLink`): the payer scans it and types the
//! amount. The till has nothing to look such a payment up by, and the poster
//! says so. Opened from Settings (behind the owner's lock), in the Settings
//! part only: its words (`i18n::poster`) and its styles (a sheet adopted
//! while it is open) are not in the till's first load. Printing keeps only
//! the poster, as it does the receipt (style/: `.printed`).

use leptos::prelude::*;

use crate::components::erased::shown;
use crate::components::print_sheet::AdoptedSheet;
use crate::components::qr::QrCode;
use crate::domain::link::OpenAmountLink;
use crate::i18n::{self, Msg};
use crate::state::app_state::AppState;

/// The page the poster is printed on ("A6" or "A5"), and the poster as big
/// as the page: its sizes are in em of its font, so A5 is A6 scaled by √2.
fn page_css(paper: &str) -> String {
    let (w, h, font) = if paper == "A5" { ("148mm", "210mm", "4.95mm") } else { ("105mm", "148mm", "3.5mm") };
    format!("@page {{ size: {w} {h}; margin: 0; }} .poster {{ width: {w}; height: {h}; font-size: {font}; }} {POSTER_CSS}")
}

/// The poster: black on white paper in either theme, like the receipt.
const POSTER_CSS: &str = "\
.poster { flex: none; background: #fff; color: #000; padding: 2.4em 2em 1.6em; display: flex; flex-direction: column; align-items: center; justify-content: space-between; gap: 0.5em; text-align: center; line-height: 1.3; border-radius: 4px; overflow: hidden; }
.poster p, .poster h2 { margin: 0; }
.poster-shop { font-size: 2.1em; line-height: 1.15; overflow-wrap: anywhere; }
.poster-scan { font-size: 1.45em; font-weight: 700; }
.poster-qr { width: 21em; max-width: 100%; }
.poster-amount { font-size: 1.15em; }
.poster-payee, .poster-note, .poster-made { font-size: 0.8em; }
.poster-note { border-top: 1px solid #000; padding-top: 0.6em; }
.poster-missing { background: var(--card); color: var(--fg); padding: 1rem 1.5rem; border-radius: 12px; max-width: 34rem; }
.poster-missing ul { margin: 0.5rem 0 0; padding-left: 1.2em; }
.poster-paper { display: flex; align-items: center; gap: 0.5rem; font-weight: 600; }
@media print { .poster { border-radius: 0; } }";

/// The poster of the saved settings (what the till charges with, not the
/// form's unsaved edits), or what they lack, with Paper, Print and Close.
/// Drawn once as it opens: neither the language nor the settings can change
/// under this dialog, so its words are plain text, not a closure each.
#[component]
pub fn ShopPoster(on_close: Callback<()>) -> impl IntoView {
    let state = AppState::expect();
    let lang = state.lang();
    let saved = state.settings_saved();
    let paper = StoredValue::new("A6");
    let sheet = StoredValue::new_local(AdoptedSheet::adopt(&page_css("A6")));
    on_cleanup(move || sheet.set_value(None));
    let made = crate::clock::local_day(crate::clock::now_ms());
    let content = move || {
        let lang = lang.get();
        let saved = saved.get();
        let pinned = crate::api::client::pinned();
        let (body, ready) = state.settings().with(|s| match OpenAmountLink::for_shop(s, &pinned) {
            Ok(link) if saved => {
                let shop = s.shop_name.trim();
                let view = view! {
                    <article class="poster printed">
                        {(!shop.is_empty()).then(|| view! { <h2 class="poster-shop">{shop.to_string()}</h2> })}
                        <p class="poster-scan">{i18n::scan_to_pay(lang, shop)}</p>
                        <div class="poster-qr">
                            <QrCode link=link label=i18n::poster_qr_label(lang, shop) />
                        </div>
                        <p class="poster-amount">{i18n::amount_in(lang, &s.quote.symbol)}</p>
                        <p class="poster-payee">{i18n::payments_go(lang, &s.payee_id, "")}</p>
                        <p class="poster-note">{i18n::not_in_history(lang)}</p>
                        <p class="poster-made">{i18n::made_on(lang, &made)}</p>
                    </article>
                };
                (view.into_any(), true)
            }
            link => {
                let missing = (!saved).then(|| i18n::save_settings_first(lang).to_string());
                let problems = link.err().unwrap_or_default().into_iter().map(|p| i18n::settings_problem(lang, &p));
                let view = view! {
                    <div class="poster-missing" role="alert">
                        <p><strong>{i18n::poster_not_ready(lang)}</strong></p>
                        <ul>{missing.into_iter().chain(problems).map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                    </div>
                };
                (view.into_any(), false)
            }
        });
        view! {
            {body}
            <div class="receipt-actions">
                {ready.then(|| view! {
                    <label class="poster-paper">
                        {i18n::poster_paper(lang)}
                        <select on:change=move |ev| {
                            let chosen = if event_target_value(&ev) == "A5" { "A5" } else { "A6" };
                            paper.set_value(chosen);
                            sheet.with_value(|s| s.as_ref().map(|s| s.replace(&page_css(chosen))));
                        }>
                            <option value="A6" selected=paper.get_value() == "A6">"A6"</option>
                            <option value="A5" selected=paper.get_value() == "A5">"A5"</option>
                        </select>
                    </label>
                    <button type="button" class="primary" on:click=|_| { let _ = window().print(); }>{Msg::Print.text(lang)}</button>
                })}
                <button type="button" on:click=move |_| on_close.run(())>{Msg::Close.text(lang)}</button>
            </div>
        }
    };
    view! {
        <div class="receipt-overlay" role="dialog" aria-modal="true" aria-label=move || i18n::shop_qr_code(lang.get())>
            {content}
        </div>
    }
}

/// Settings' "Shop QR code" button and the poster it opens, as one erased
/// view: the settings form's own view code hardly grows.
#[inline(never)]
pub fn shop_qr_button() -> AnyView {
    let lang = AppState::expect().lang();
    let open = RwSignal::new(false);
    view! {
        <button type="button" class="shop-qr" aria-haspopup="dialog" on:click=move |_| open.set(true)>
            {move || i18n::shop_qr_code(lang.get())}
        </button>
        {shown(move || open.get(), move || view! { <ShopPoster on_close=Callback::new(move |_| open.set(false)) /> }.into_any())}
    }
    .into_any()
}
