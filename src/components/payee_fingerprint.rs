//! Whom the customer pays, short: "to 3f2a…5a6b · Demo Coffee", so a
//! swapped payee is visible at the counter.

use leptos::prelude::*;

use crate::i18n;
use crate::state::app_state::AppState;

#[component]
pub fn PayeeFingerprint(
    /// The payee's Mixin UUID as the sale records it.
    #[prop(into)]
    payee_id: Signal<String>,
    /// The name shown beside it (the shop's).
    #[prop(into)]
    name: Signal<String>,
) -> impl IntoView {
    let lang = AppState::expect().lang();
    view! {
        <p class="payee-fingerprint" title=move || payee_id.get()>
            {move || i18n::payee_fingerprint(lang.get(), &payee_id.get(), &name.get())}
        </p>
    }
}
