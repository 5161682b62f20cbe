//! A QR code drawn on the tablet, as an SVG image from a `data:` URL: no
//! markup is parsed into the page.

use leptos::prelude::*;

use crate::domain::qr::qr_data_url;

#[component]
pub fn QrCode(
    /// The link to encode.
    #[prop(into)]
    link: Signal<String>,
    /// What the code is for, read by screen readers ("QR code to pay 12.50 USD").
    #[prop(into)]
    label: Signal<String>,
) -> impl IntoView {
    let image = Memo::new(move |_| link.with(|l| qr_data_url(l)));
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
