//! The owner's settings: where the money goes and how prices are quoted.
//! Lists come from MixPay and are cached so the screen works offline.

use leptos::prelude::*;

use crate::api::MixPayClient;
use crate::domain::clock_offset;
use crate::domain::settings::{
    choose_quote, parse_payee, PayeeInput, PaymentMode, QuoteAsset, Settings, SettlementAsset,
    MAX_EXPIRY_MINUTES,
};
use crate::state::app_state::{AppState, Screen};
use crate::state::store::{self, AssetLists};
use crate::state::tasks::spawn_scoped;

/// Fills in places, limits and names for ids that came without them (from
/// `config.json`), once MixPay's lists are known.
fn resolve_assets(settings: &mut Settings, lists: &AssetLists) {
    if let Some(q) = lists
        .quote
        .iter()
        .find(|q| q.asset_id.eq_ignore_ascii_case(&settings.quote.asset_id))
    {
        settings.quote = q.clone();
    }
    if let Some(current) = &settings.settlement {
        if let Some(s) = lists
            .settlement
            .iter()
            .find(|s| s.asset_id.eq_ignore_ascii_case(&current.asset_id))
        {
            settings.settlement = Some(s.clone());
        }
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let state = AppState::expect();
    let start = state.settings.get_untracked();

    let payee = RwSignal::new(start.payee_id.clone());
    let quote_id = RwSignal::new(start.quote.asset_id.clone());
    let settlement_id = RwSignal::new(
        start
            .settlement
            .as_ref()
            .map(|s| s.asset_id.clone())
            .unwrap_or_default(),
    );
    let shop_name = RwSignal::new(start.shop_name.clone());
    let mode = RwSignal::new(start.mode);
    let expiry = RwSignal::new(start.expiry_minutes.to_string());
    let strict = RwSignal::new(start.strict);
    let api_base = RwSignal::new(start.api_base.clone());
    let pay_base = RwSignal::new(start.pay_base.clone());

    let lists = RwSignal::new(store::load_asset_lists());
    let lists_note = RwSignal::new(None::<String>);
    let errors = RwSignal::new(Vec::<String>::new());
    let saving = RwSignal::new(false);

    // Refresh MixPay's lists; the cached ones stay on screen if this fails.
    let load_lists = move || {
        let client = MixPayClient::new(&api_base.get_untracked());
        async move {
            lists_note.set(Some("Loading MixPay's currency lists…".into()));
            let fetched = async {
                Ok::<_, crate::api::ApiError>((
                    client.quote_assets().await?,
                    client.settlement_assets().await?,
                ))
            };
            match fetched.await {
                Ok((quote, settlement)) => {
                    let fresh = AssetLists { quote, settlement };
                    state.report(store::save_asset_lists(&fresh));
                    lists.set(fresh);
                    lists_note.set(None);
                }
                Err(e) => {
                    lists_note.set(Some(format!("{e} Showing the lists saved on this device.")))
                }
            }
        }
    };
    spawn_scoped(load_lists());
    let owner = Owner::current().expect("components have an owner");

    let quote_options = Memo::new(move |_| {
        let mut options = lists.with(|l| l.quote.clone());
        if !options
            .iter()
            .any(|q| q.asset_id.eq_ignore_ascii_case(&start.quote.asset_id))
        {
            options.insert(0, start.quote.clone());
        }
        options
    });
    let settlement_options = Memo::new(move |_| lists.with(|l| l.settlement.clone()));
    let quote_hint = Memo::new(move |_| {
        let id = quote_id.get();
        quote_options.with(|o| {
            o.iter().find(|q| q.asset_id == id).map(|q| {
                let limits = match (&q.min, &q.max) {
                    (Some(min), Some(max)) => format!(
                        ", {} to {}",
                        min.format_fixed(q.decimal_digit),
                        max.format_fixed(q.decimal_digit)
                    ),
                    _ => String::new(),
                };
                format!("{} decimal places{limits}", q.decimal_digit)
            })
        })
    });
    let settlement_icon = Memo::new(move |_| {
        let id = settlement_id.get();
        settlement_options.with(|o| {
            o.iter()
                .find(|s| s.asset_id == id)
                .map(|s| s.icon_url.clone())
        })
    });

    let save = move || {
        let client = MixPayClient::new(&api_base.get_untracked());
        async move {
            saving.set(true);
            let mut problems = vec![];
            let payee_id = match parse_payee(&payee.get_untracked()) {
                PayeeInput::Uuid(id) => Some(id),
                PayeeInput::MixinId(number) => match client.mixin_uuid(&number).await {
                    Ok(id) => {
                        payee.set(id.clone());
                        Some(id)
                    }
                    Err(e) => {
                        problems.push(format!(
                            "Payee: Mixin ID {number} could not be looked up. {e}"
                        ));
                        None
                    }
                },
                PayeeInput::Invalid => {
                    problems.push(
                        "Payee: enter a Mixin UUID (8-4-4-4-12 hex) or a Mixin ID number.".into(),
                    );
                    None
                }
            };
            let quote = match choose_quote(
                &quote_id.get_untracked(),
                &lists.with_untracked(|l| l.quote.clone()),
                &state.settings.with_untracked(|s| s.quote.clone()),
            ) {
                Ok(q) => q,
                Err(e) => {
                    problems.push(e);
                    QuoteAsset::usd()
                }
            };
            let settlement: Option<SettlementAsset> = settlement_options
                .get_untracked()
                .into_iter()
                .find(|s| {
                    s.asset_id
                        .eq_ignore_ascii_case(&settlement_id.get_untracked())
                })
                .or_else(|| {
                    let id = settlement_id.get_untracked().trim().to_ascii_lowercase();
                    (!id.is_empty()).then(|| SettlementAsset {
                        asset_id: id.clone(),
                        symbol: id,
                        name: String::new(),
                        icon_url: String::new(),
                    })
                });
            let expiry_minutes = match expiry.get_untracked().trim().parse::<u32>() {
                Ok(m) => m,
                Err(_) => {
                    problems.push(format!(
                        "Expiry: a whole number of minutes, 1 to {MAX_EXPIRY_MINUTES}."
                    ));
                    0
                }
            };
            let mut settings = Settings {
                payee_id: payee_id.unwrap_or_default(),
                quote,
                settlement,
                shop_name: shop_name.get_untracked().trim().to_string(),
                mode: mode.get_untracked(),
                expiry_minutes,
                strict: strict.get_untracked(),
                api_base: api_base
                    .get_untracked()
                    .trim()
                    .trim_end_matches('/')
                    .to_string(),
                pay_base: pay_base
                    .get_untracked()
                    .trim()
                    .trim_end_matches('/')
                    .to_string(),
                ..Settings::default()
            };
            resolve_assets(&mut settings, &lists.get_untracked());
            // The payee and expiry have said what is wrong with them already.
            if problems.is_empty() {
                if let Err(more) = settings.validate() {
                    problems = more;
                }
            }
            saving.set(false);
            if !problems.is_empty() {
                errors.set(problems);
                return;
            }
            errors.set(vec![]);
            state.report(store::save_settings(&settings));
            state.settings.set(settings);
            state.screen.set(Screen::Amount);
        }
    };
    let submit_owner = owner.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit_owner.with(|| spawn_scoped(save()));
    };

    view! {
        <form class="settings-page" on:submit=on_submit novalidate>
            <h2>"Settings"</h2>
            <p class="lists-note" aria-live="polite">{move || lists_note.get()}</p>
            {move || clock_offset::warning(state.clock_offset.get()).map(|w| view! { <p class="clock-warning" role="note">{w}</p> })}

            <label>
                "Payee (Mixin UUID or Mixin ID number)"
                <input type="text" autocomplete="off" spellcheck="false"
                    prop:value=move || payee.get() on:input=move |ev| payee.set(event_target_value(&ev))
                    placeholder="e.g. 3f2a9c1e-… or 7000123456" />
            </label>

            <label>
                "Quote currency"
                <select on:change=move |ev| quote_id.set(event_target_value(&ev))>
                    {move || quote_options.get().into_iter().map(|q| {
                        let selected = q.asset_id.eq_ignore_ascii_case(&quote_id.get_untracked());
                        view! { <option value=q.asset_id.clone() selected=selected>{q.symbol.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <p class="hint">{move || quote_hint.get()}</p>

            <label>
                "Settlement asset"
                <span class="with-icon">
                    {move || settlement_icon.get().filter(|u| !u.is_empty()).map(|src| view! { <img class="asset-icon" src=src alt="" width="28" height="28" /> })}
                    <select on:change=move |ev| settlement_id.set(event_target_value(&ev))>
                        <option value="" selected=move || settlement_id.get().is_empty()>"Choose…"</option>
                        {move || settlement_options.get().into_iter().map(|s| {
                            let selected = s.asset_id.eq_ignore_ascii_case(&settlement_id.get_untracked());
                            let text = if s.name.is_empty() { s.symbol.clone() } else { format!("{} — {}", s.symbol, s.name) };
                            view! { <option value=s.asset_id.clone() selected=selected>{text}</option> }
                        }).collect_view()}
                    </select>
                </span>
            </label>

            <label>
                "Shop name"
                <input type="text" maxlength="40" prop:value=move || shop_name.get()
                    on:input=move |ev| shop_name.set(event_target_value(&ev)) />
            </label>

            <label>
                "Payment mode"
                <select on:change=move |ev| mode.set(if event_target_value(&ev) == "pay_link" { PaymentMode::PayLink } else { PaymentMode::OneTime })>
                    <option value="one_time" selected=move || mode.get() == PaymentMode::OneTime>"One-time payment (recommended)"</option>
                    <option value="pay_link" selected=move || mode.get() == PaymentMode::PayLink>"Pay link (no request; the payer could edit it)"</option>
                </select>
            </label>

            <label>
                "Expiry (minutes)"
                <input type="number" min="1" max=MAX_EXPIRY_MINUTES inputmode="numeric"
                    prop:value=move || expiry.get() on:input=move |ev| expiry.set(event_target_value(&ev)) />
            </label>

            <label class="checkbox">
                <input type="checkbox" prop:checked=move || strict.get()
                    on:change=move |ev| strict.set(event_target_checked(&ev)) />
                "Strict mode: refuse payments MixPay cannot settle in the chosen asset"
            </label>

            <details class="advanced">
                <summary>"Advanced"</summary>
                <label>
                    "API base"
                    <input type="url" prop:value=move || api_base.get() on:input=move |ev| api_base.set(event_target_value(&ev)) />
                </label>
                <label>
                    "Pay-page base"
                    <input type="url" prop:value=move || pay_base.get() on:input=move |ev| pay_base.set(event_target_value(&ev)) />
                </label>
                <button type="button" on:click=move |_| owner.with(|| spawn_scoped(load_lists()))>"Reload currency lists"</button>
            </details>

            {move || (!errors.get().is_empty()).then(|| view! {
                <ul class="errors" role="alert">
                    {errors.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
                </ul>
            })}

            <button type="submit" class="primary save" disabled=move || saving.get()>"Save"</button>
        </form>
    }
}
