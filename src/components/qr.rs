//! A QR code drawn on the tablet, as an image from a `data:` URL: no markup
//! is parsed into the page. Two drawings of the same modules: `QrCode`, an
//! SVG, sharp at any size and on paper (receipts, the shop's poster, the
//! set-up link); `PixelQrCode`, a PNG of one pixel per module drawn scaled
//! unsmoothed, the quicker to the sale's QR. Each is its own
//! component so that a part which only prints links no PNG encoder.

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
) -> impl IntoView {
    qr_image(
        Memo::new(move |_| link.with(|l| qr_data_url(l))),
        label,
        false,
    )
}

/// The sale's QR on screen (its payment screen, the customer view).
#[component]
pub fn PixelQrCode(
    /// The link to encode.
    #[prop(into)]
    link: Signal<String>,
    /// What the code is for, read by screen readers ("QR code to pay 12.50 USD").
    #[prop(into)]
    label: Signal<String>,
) -> impl IntoView {
    qr_image(
        Memo::new(move |_| link.with(|l| qr_png_data_url(l))),
        label,
        true,
    )
}

/// `pixelated`: drawn scaled without smoothing (the `pixels` class).
fn qr_image(
    image: Memo<Result<String, String>>,
    label: Signal<String>,
    pixelated: bool,
) -> impl IntoView {
    let class = if pixelated { "qr pixels" } else { "qr" };
    move || match image.get() {
        Ok(src) => view! {
            <div class=class role="img" aria-label=move || label.get()>
                <img src=src alt="" draggable="false" />
            </div>
        }
        .into_any(),
        Err(e) => view! { <p class="qr-error" role="alert">{e}</p> }.into_any(),
    }
}
