//! The application shell.

use leptos::prelude::*;

use crate::pages::amount::AmountPage;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <header class="topbar">
            <h1>"MixPay PoS"</h1>
        </header>
        <main>
            <AmountPage />
        </main>
    }
}
