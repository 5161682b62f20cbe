//! A QR code drawn on the tablet, as an image from a `data:` URL: no markup
//! is parsed into the page. On screen a PNG of one pixel per module, drawn
//! scaled without smoothing (the quicker to the sale's QR); on paper the
//! SVG, which no printer or PDF viewer can blur.

use leptos::prelude::*;

use crate::domain::qr::{qr_data_url, qr_png_data_url};

#[component]
pub fn QrCode(
    /// The link to encode.
    #[prop(into)]
    link: Signal<String>,
    /// What the code is for, read by screen readers ("QR code to pay 12.50 USD").
    #[prop(into)]
    label: Signal<String>,
    /// For paper (a receipt, the shop's poster): the SVG.
    #[prop(optional)]
    printed: bool,
) -> impl IntoView {
    let draw = if printed {
        qr_data_url
    } else {
        qr_png_data_url
    };
    let image = Memo::new(move |_| link.with(|l| draw(l)));
    view! {
        {move || match image.get() {
            Ok(src) => view! {
                <div class="qr" role="img" aria-label=move || label.get()>
                    <img src=src alt="" draggable="false" />
                </div>
            }.into_any(),
            Err(e) => view! { <p class="qr-error" role="alert">{e}</p> }.into_any(),
        }}
    }
}
