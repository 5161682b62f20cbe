//! "Paid after it was cancelled": an alert over whatever screen is up when a
//! sale the cashier cancelled turns Paid (MixPay has no cancel call, so its
//! QR stayed payable). With a sound; it stays, across reloads and in every
//! tab, until the cashier opens the sale or dismisses it. In the payment
//! part, with the checker that raises them (`state::sale_path`).

use leptos::prelude::*;

use crate::components::erased::signal;

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
    let alerts = signal(late_alerts::all());
    // The sale opened from an alert, shown over the screen until closed.
    let opened = signal(None::<Sale>);
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
        // Rarely more than one: drawn again whole when the list changes.
        {move || alerts.get().into_iter().map(|alert| {
            let (label, trace) = (alert.label().to_string(), alert.trace_id.clone());
            let opened_alert = alert.clone();
            view! {
                <p class="banner late-alert" role="alert">
                    <strong>{move || i18n::paid_after_cancel(lang.get(), &label, &alert.amount)}</strong>
                    <button type="button" class="primary" on:click=move |_| open(opened_alert.clone())>{move || i18n::open_sale(lang.get())}</button>
                    <button type="button" class="dismiss" on:click=move |_| late_alerts::acknowledge(&trace)>{move || Msg::Dismiss.text(lang.get())}</button>
                </p>
            }
        }).collect_view()}
        // The sale opened from an alert, worded once in the language of the moment.
        {move || opened.get().map(|sale| {
            let l = lang.get_untracked();
            view! {
                <div class="sale-detail" role="dialog" aria-label=i18n::open_sale(l)>
                    <h2>{format!("{} {}", Msg::Order.text(l), sale.order_id())}</h2>
                    <p class="sale-amount">{sale.amount_text()}</p>
                    <p class="status paid">{i18n::status_pill(l, &sale)}</p>
                    <p>{format_time(l, local_parts(sale.created_ms))}</p>
                    <p class="hint"><code>{sale.trace_id.clone()}</code></p>
                    <button type="button" class="primary" on:click=move |_| opened.set(None)>{Msg::Close.text(l)}</button>
                </div>
            }
        })}
    }
}
