//! A QR code drawn on the tablet as SVG.

use leptos::prelude::*;

use crate::domain::qr::qr_svg;

#[component]
pub fn QrCode(
    /// The link to encode.
    #[prop(into)]
    link: Signal<String>,
    /// What the code is for, read by screen readers ("QR code to pay 12.50 USD").
    #[prop(into)]
    label: Signal<String>,
) -> impl IntoView {
    let svg = Memo::new(move |_| link.with(|l| qr_svg(l)));
    view! {
        {move || match svg.get() {
            Ok(svg) => view! {
                <div class="qr" role="img" aria-label=move || label.get() inner_html=svg></div>
            }.into_any(),
            Err(e) => view! { <p class="qr-error" role="alert">{e}</p> }.into_any(),
        }}
    }
}
