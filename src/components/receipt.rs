//! The receipt of a paid sale: shown over the screen, printed on the shop's
//! thermal paper (style/ has the print rules: only the receipt is printed,
//! on a page as wide as the roll), shared as text.

use leptos::prelude::*;

use crate::components::qr::QrCode;
use crate::components::erased::shown;
use crate::components::print_sheet::AdoptedSheet;
use crate::components::text::tr;
use crate::domain::receipt::{PaperWidth, Receipt, ReceiptLine};
use crate::i18n::{self, Lang, Msg};
use crate::state::app_state::AppState;

/// Shares `text` with the Web Share API where the browser has it, else copies
/// it (then says `copied`). Returns what to tell the cashier.
pub(crate) async fn share_or_copy(lang: Lang, title: String, text: String, copied: &'static str) -> Option<String> {
    use wasm_bindgen::JsCast;
    let navigator = window().navigator();
    // `navigator.share` is called by name: it is missing in many browsers.
    let share = js_sys::Reflect::get(&navigator, &"share".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(share) = share {
        let data = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&data, &"title".into(), &title.into());
        let _ = js_sys::Reflect::set(&data, &"text".into(), &text.into());
        let promise = share
            .call1(&navigator, &data)
            .ok()
            .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
        let Some(promise) = promise else {
            return Some(Msg::ReceiptShareFailed.text(lang).into());
        };
        return match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => None,
            // The customer closed the share sheet: nothing to say.
            Err(e)
                if js_sys::Reflect::get(&e, &"name".into())
                    .ok()
                    .and_then(|n| n.as_string())
                    .as_deref()
                    == Some("AbortError") =>
            {
                None
            }
            Err(_) => Some(Msg::ReceiptShareFailed.text(lang).into()),
        };
    }
    match wasm_bindgen_futures::JsFuture::from(navigator.clipboard().write_text(&text)).await {
        Ok(_) => Some(copied.into()),
        Err(_) => Some(Msg::ReceiptCopyFailed.text(lang).into()),
    }
}

/// The printed page as wide as the roll, while the receipt is open.
fn page_size_css(paper: PaperWidth) -> String {
    // The length is the printer's business (it cuts the roll); 200 mm holds a receipt.
    format!("@page {{ size: {} 200mm; margin: 0; }}", paper.value())
}

#[component]
pub fn ReceiptView(
    receipt: Receipt,
    /// The roll the shop prints on (Settings).
    paper: PaperWidth,
    on_close: Callback<()>,
    /// Printed again from History: the local time of the reprint, said on
    /// the receipt ("Copy"), so a reprint is never taken for a new payment.
    #[prop(optional)]
    reprinted: Option<String>,
) -> impl IntoView {
    let state = AppState::expect();
    let lang = state.lang();
    // The share sheet leaves the app (a kiosk's way out): the owner's only.
    let owner = state.owner_access();
    let order_id = receipt.order_id.clone();
    let for_share = receipt.clone();
    let share = Action::new_local(move |_: &()| {
        // Worded when shared, in the language on screen then.
        let lang = lang.get_untracked();
        share_or_copy(lang, i18n::receipt_title(lang, &order_id), i18n::receipt_text(lang, &for_share), Msg::ReceiptCopied.text(lang))
    });
    let in_flight = StoredValue::new_local(None::<ActionAbortHandle>);
    let share_note = Memo::new(move |_| share.value().get().flatten());
    // Straight to the printer connected on this device (no dialog), else
    // the browser's print dialog.
    let for_printer = (receipt.clone(), reprinted.clone());
    let print = move |_| {
        if crate::pages::printer::set_up() {
            let (receipt, reprinted) = for_printer.clone();
            crate::pages::parts::print(state, crate::pages::printer::Job::Receipt { receipt, reprinted });
        } else {
            let _ = window().print();
        }
    };
    let page_size = StoredValue::new_local(AdoptedSheet::adopt(&page_size_css(paper)));
    on_cleanup(move || page_size.set_value(None));
    view! {
        <div class="receipt-overlay" role="dialog" aria-modal="true" aria-label=tr(lang, Msg::Receipt)>
            <ReceiptPaper receipt=receipt paper=paper lang=lang reprinted=reprinted />
            <div class="receipt-actions">
                <button type="button" class="primary" on:click=print>{tr(lang, Msg::Print)}</button>
                {shown(move || owner.get(), move || view! {
                    <button type="button" disabled=move || share.pending().get()
                        on:click=move |_| in_flight.set_value(Some(share.dispatch_local(())))>{tr(lang, Msg::Share)}</button>
                }.into_any())}
                <button type="button" on:click=move |_| on_close.run(())>{tr(lang, Msg::Close)}</button>
                <p class="receipt-note" aria-live="polite">{move || share_note.get()}</p>
            </div>
        </div>
    }
}

/// The receipt itself, as on screen and on paper: the dialog's, and the one
/// the printer part lays out off screen and prints (`pages::printer`), so a
/// receipt printed straight to a thermal printer is this layout.
#[component]
pub fn ReceiptPaper(
    receipt: Receipt,
    paper: PaperWidth,
    lang: ReadSignal<Lang>,
    reprinted: Option<String>,
) -> impl IntoView {
    let trace_id = receipt.trace_id.clone();
    let for_lines = receipt.clone();
    view! {
        <article class=format!("receipt printed paper-{}", paper.value())>
            {(!receipt.shop_name.is_empty()).then(|| view! { <h2 class="receipt-shop">{receipt.shop_name.clone()}</h2> })}
            <p class="receipt-title">{tr(lang, Msg::ReceiptHeading)}</p>
            {reprinted.map(|when| view! { <p class="receipt-copy"><strong>{move || i18n::reprinted(lang.get(), &when)}</strong></p> })}
            <dl class="receipt-lines">
                {move || for_lines.lines(lang.get()).into_iter().map(|(k, v)| view! {
                    <div class=if k == ReceiptLine::Total { "receipt-line total" } else { "receipt-line" }>
                        <dt>{i18n::receipt_label(lang.get_untracked(), k)}</dt><dd>{v}</dd>
                    </div>
                }).collect_view()}
            </dl>
            <div class="receipt-qr">
                <QrCode link=trace_id.clone() label=Signal::derive(move || Msg::TraceQrLabel.text(lang.get()).to_string()) />
            </div>
            <p class="receipt-trace">{tr(lang, Msg::TraceId)} {trace_id.clone()}</p>
            <p class="receipt-thanks">{tr(lang, Msg::ThankYou)}</p>
        </article>
    }
}
