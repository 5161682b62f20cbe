//! Whom the customer pays, short: "to 3f2a…5a6b · Demo Coffee", so a
//! swapped payee is visible at the counter.

use leptos::prelude::*;

use crate::domain::payee::fingerprint;

#[component]
pub fn PayeeFingerprint(
    /// The payee's Mixin UUID as the sale records it.
    #[prop(into)]
    payee_id: Signal<String>,
    /// The name shown beside it (the shop's).
    #[prop(into)]
    name: Signal<String>,
) -> impl IntoView {
    view! {
        <p class="payee-fingerprint" title=move || payee_id.get()>
            {move || fingerprint(&payee_id.get(), &name.get())}
        </p>
    }
}
