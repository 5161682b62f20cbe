//! "Paid after it was cancelled": an alert over whatever screen is up when a
//! sale the cashier cancelled turns Paid (MixPay has no cancel call, so its
//! QR stayed payable). With a sound; it stays, across reloads and in every
//! tab, until the cashier opens the sale or dismisses it.

use leptos::prelude::*;

use crate::clock::local_parts;
use crate::domain::lang::format_time;
use crate::domain::late_alert::LateAlert;
use crate::domain::sale::Sale;
use crate::i18n::{self, Msg};
use crate::state::app_state::AppState;
use crate::state::sound::{self, Cue};
use crate::state::{late_alerts, sale_lifecycle};

#[component]
pub fn LateAlerts() -> impl IntoView {
    let state = AppState::expect();
    let lang = state.lang();
    let alerts = RwSignal::new(late_alerts::all());
    // The sale opened from an alert, shown over the screen until closed.
    let opened = RwSignal::new(None::<Sale>);
    let refresh = move || {
        let now = late_alerts::all();
        let grew = alerts.with_untracked(|a| now.iter().any(|n| !a.contains(n)));
        alerts.set(now);
        if grew && state.settings().with_untracked(|s| s.sounds) {
            sound::play(Cue::Warning);
        }
    };
    late_alerts::on_change(refresh);
    // Raised or dismissed in another tab.
    let on_storage = window_event_listener(leptos::ev::storage, move |ev| {
        if ev.key().is_some_and(|k| late_alerts::is_alerts_key(&k)) {
            refresh();
        }
    });
    on_cleanup(move || on_storage.remove());

    let open = move |alert: LateAlert| {
        late_alerts::acknowledge(&alert.trace_id);
        leptos::task::spawn_local(async move {
            opened.set(sale_lifecycle::from_history(&alert.trace_id).await);
        });
    };
    view! {
        <For
            each=move || alerts.get()
            key=|a| a.trace_id.clone()
            children=move |alert| {
                let (a, b) = (alert.clone(), alert.clone());
                view! {
                    <p class="banner late-alert" role="alert">
                        <strong>{move || i18n::paid_after_cancel(lang.get(), alert.label(), &alert.amount)}</strong>
                        <button type="button" class="primary" on:click=move |_| open(a.clone())>{move || i18n::open_sale(lang.get())}</button>
                        <button type="button" class="dismiss" on:click=move |_| late_alerts::acknowledge(&b.trace_id)>{move || Msg::Dismiss.text(lang.get())}</button>
                    </p>
                }
            }
        />
        {move || opened.get().map(|sale| {
            let paid = sale
                .last_result
                .as_ref()
                .map(|r| i18n::paying_money(&r.payment_amount, &r.payment_symbol))
                .unwrap_or_default();
            let (order, amount, trace, created) =
                (sale.order_id().to_string(), sale.amount_text(), sale.trace_id.clone(), sale.created_ms);
            view! {
                <div class="sale-detail" role="dialog" aria-label=move || i18n::open_sale(lang.get())>
                    <h2>{move || Msg::Order.text(lang.get())} " " {order}</h2>
                    <p class="sale-amount">{amount}</p>
                    <p class="status paid">{move || i18n::status_pill(lang.get(), &sale)}</p>
                    <p>{move || format_time(lang.get(), local_parts(created))}</p>
                    {(!paid.is_empty()).then(|| view! { <p>{move || Msg::CustomerPaid.text(lang.get())} <strong>{paid}</strong></p> })}
                    <p class="hint"><code>{trace}</code></p>
                    <button type="button" class="primary" on:click=move |_| opened.set(None)>{move || Msg::Close.text(lang.get())}</button>
                </div>
            }
        })}
    }
}
