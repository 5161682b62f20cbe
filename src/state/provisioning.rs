//! `config.json` beside `index.html`: fetched, turned from JSON into the
//! domain's `ConfigValue`, and read field by field by `domain::config_fields`.

use crate::domain::json::{self, Value};

use crate::domain::config_fields::{
    read_config, read_locks, ConfigReading, ConfigValue, Unreadable, MAX_CONFIG_BYTES,
};
use crate::domain::settings::ProvisionedConfig;

/// The JSON reader's value as the parser's own: numbers keep their text as
/// written; an object's fields in byte order of their keys, the last of a
/// repeated key only (as `serde_json::Value`, read here before, held them).
pub fn to_config_value(v: &Value) -> ConfigValue {
    match v {
        Value::Null => ConfigValue::Null,
        Value::Bool(b) => ConfigValue::Bool(*b),
        Value::Number(n) => ConfigValue::Number(n.clone()),
        Value::Str(s) => ConfigValue::Str(s.clone()),
        Value::Array(a) => ConfigValue::Array(a.iter().map(to_config_value).collect()),
        Value::Object(o) => ConfigValue::Object(
            Value::sorted_fields(o)
                .into_iter()
                .map(|(k, v)| (k.clone(), to_config_value(v)))
                .collect(),
        ),
    }
}

fn unreadable(why: Unreadable) -> ConfigReading {
    ConfigReading {
        unreadable: Some(why),
        ..ConfigReading::default()
    }
}

/// `config.json`'s text as the domain's value, or why it is unreadable (one
/// larger than 1 MB is refused unread).
fn parse(text: &str) -> Result<ConfigValue, Unreadable> {
    if text.len() > MAX_CONFIG_BYTES {
        return Err(Unreadable::TooLarge);
    }
    json::parse(text)
        .map(|v| to_config_value(&v))
        .map_err(|e| Unreadable::NotJson {
            line: e.line,
            column: e.column,
        })
}

/// Reads `config.json` text whole.
pub fn read_text(text: &str) -> ConfigReading {
    match parse(text) {
        Ok(v) => read_config(&v, &crate::api::client::pinned()),
        Err(why) => unreadable(why),
    }
}

/// `config.json`'s text as the host serves it: `None` when there is none
/// (no defaults, not an error), `Err` when it is too large to read.
async fn fetch_text() -> Option<Result<String, Unreadable>> {
    let response: gloo_net::http::Response = match asked_early() {
        Some(answer) => {
            use wasm_bindgen::JsCast;
            let answer = wasm_bindgen_futures::JsFuture::from(answer).await.ok()?;
            answer.dyn_into::<web_sys::Response>().ok()?.into()
        }
        None => gloo_net::http::Request::get(CONFIG_FILE)
            .cache(web_sys::RequestCache::NoStore)
            .send()
            .await
            .ok()?,
    };
    // A size the host declares too large is not even downloaded.
    let declared = response.headers().get("content-length").and_then(|n| n.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_CONFIG_BYTES) {
        return Some(Err(Unreadable::TooLarge));
    }
    if !response.ok() {
        return None;
    }
    response.text().await.ok().map(Ok)
}

const CONFIG_FILE: &str = "config.json";

/// The page's own request for `config.json`, which `sw-register.js` makes
/// (`cache: 'no-store'`, as here) as soon as the page is parsed: on a slow
/// network its round trip then overlaps the wasm's download instead of
/// following the wasm's start (on a first visit at Slow 4G it was the last
/// 570 ms before the keypad). Taken once: a later reading asks anew.
fn asked_early() -> Option<js_sys::Promise> {
    use wasm_bindgen::{JsCast, JsValue};
    let window = JsValue::from(web_sys::window()?);
    let key = JsValue::from_str("mixpayConfigEarly");
    let answer = js_sys::Reflect::get(&window, &key).ok()?.dyn_into::<js_sys::Promise>().ok()?;
    let _ = js_sys::Reflect::set(&window, &key, &JsValue::UNDEFINED);
    Some(answer)
}

/// `config.json` read whole (a first run's defaults, in the back office's part).
pub async fn fetch() -> ConfigReading {
    match fetch_text().await {
        Some(Ok(text)) => read_text(&text),
        Some(Err(why)) => unreadable(why),
        None => ConfigReading::default(),
    }
}

/// How long a start waits for `config.json` when settings are saved: its
/// locks (`ownerPinHash`, `lockedPayeeId`) were stored at the last start
/// that read them, so a slow shop network never holds the keypad up.
const START_WAIT_MS: u32 = 3_000;

/// What `config.json` locks, if it comes within `START_WAIT_MS`, else
/// nothing: a start with saved settings needs only that.
pub async fn locks_at_start() -> ProvisionedConfig {
    use futures::future::{select, Either};
    let locks = async {
        match fetch_text().await {
            Some(Ok(text)) => parse(&text).map(|v| read_locks(&v)).unwrap_or_default(),
            _ => ProvisionedConfig::default(),
        }
    };
    match select(Box::pin(locks), gloo_timers::future::TimeoutFuture::new(START_WAIT_MS)).await {
        Either::Left((locks, _)) => locks,
        Either::Right(_) => ProvisionedConfig::default(),
    }
}
