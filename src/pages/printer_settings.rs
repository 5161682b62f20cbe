//! Settings → "Printer": "Connect a printer" (the browser's own picker: Web
//! Serial first, Web Bluetooth where it is missing), the paper, "Print a test
//! page", "Print receipts by themselves after Paid" and "Kitchen ticket"
//! (both off by default, saved with the other settings). The printing itself
//! is the printer part's (`pages::printer`), fetched as this section opens.

use leptos::prelude::*;

use crate::components::text::tr;
use crate::domain::receipt::PaperWidth;
use crate::domain::settings::SettingsForm;
use crate::i18n::{self, Msg};
use crate::pages::parts;
use crate::pages::printer::{self, ConnectProblem, Connected, Job};
use crate::state::app_state::AppState;

fn connected_words(lang: crate::i18n::Lang, connected: &Option<Connected>) -> String {
    match connected {
        None => i18n::no_printer_connected(lang).into(),
        Some(Connected::Serial) => i18n::connected_serial(lang).into(),
        Some(Connected::Bluetooth(name)) => i18n::connected_bluetooth(lang, name),
    }
}

/// The section, over the settings form's paper and printing choices.
#[component]
pub fn PrinterSettings(form: RwSignal<SettingsForm>) -> impl IntoView {
    let state = AppState::expect();
    let lang = state.lang();
    let available = printer::available();
    // What the status line says: the printer found, or what went wrong.
    let status = RwSignal::new(None::<String>);
    if available {
        // The part comes now, so that a tap on "Connect a printer" opens the
        // picker at once (the browser allows it only right after the tap).
        leptos::task::spawn_local(async move {
            if let Ok(p) = parts::printer().await {
                let found = (p.find)().await;
                status.try_set(Some(connected_words(lang.get_untracked(), &found)));
            }
        });
    }
    let connect = move |_| {
        leptos::task::spawn_local(async move {
            let Ok(p) = parts::printer().await else { return };
            let lang = lang.get_untracked();
            status.try_set(Some(match (p.connect)().await {
                Ok(found) => connected_words(lang, &Some(found)),
                Err(ConnectProblem::NoApi) => i18n::no_printer_api(lang).into(),
                Err(ConnectProblem::NotChosen) => i18n::no_printer_chosen(lang).into(),
            }));
        });
    };
    view! {
        <fieldset class="group printer-settings">
            <legend>{move || i18n::printer(lang.get())}</legend>
            {if available {
                view! {
                    <p class="hint">{move || i18n::printer_hint(lang.get())}</p>
                    <p class="printer-status" aria-live="polite">{move || status.get()}</p>
                    <div class="printer-actions">
                        <button type="button" on:click=connect>{move || i18n::connect_printer(lang.get())}</button>
                        <button type="button" on:click=move |_| parts::print(state, Job::Test)>{move || i18n::print_test_page(lang.get())}</button>
                    </div>
                }.into_any()
            } else {
                view! { <p class="hint" role="note">{move || i18n::no_printer_api(lang.get())}</p> }.into_any()
            }}
            <label>
                {tr(lang, Msg::ReceiptPaper)}
                <select on:change=move |ev| form.update(|f| f.paper = PaperWidth::from_value(&event_target_value(&ev)))>
                    {PaperWidth::ALL.into_iter().map(|p| view! {
                        <option value=p.value() selected=move || form.with(|f| f.paper == p)>{move || i18n::paper_label(lang.get(), p)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="checkbox">
                <input type="checkbox" disabled=!available prop:checked=move || form.with(|f| f.auto_print)
                    on:change=move |ev| form.update(|f| f.auto_print = event_target_checked(&ev)) />
                {move || i18n::auto_print(lang.get())}
            </label>
            <label class="checkbox">
                <input type="checkbox" disabled=!available aria-describedby="kitchen-ticket-hint" prop:checked=move || form.with(|f| f.kitchen_ticket)
                    on:change=move |ev| form.update(|f| f.kitchen_ticket = event_target_checked(&ev)) />
                {move || i18n::kitchen_ticket(lang.get())}
            </label>
            <p class="hint" id="kitchen-ticket-hint">{move || i18n::kitchen_ticket_hint(lang.get())}</p>
        </fieldset>
    }
}
