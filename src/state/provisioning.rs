//! `config.json` beside `index.html`: fetched, turned from JSON into the
//! domain's `ConfigValue`, and read field by field by `domain::config_fields`.

use crate::domain::json::{self, Value};

use crate::domain::config_fields::{
    read_config, ConfigReading, ConfigValue, Unreadable, MAX_CONFIG_BYTES,
};

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

fn too_large() -> ConfigReading {
    ConfigReading {
        unreadable: Some(Unreadable::TooLarge),
        ..ConfigReading::default()
    }
}

/// Reads `config.json` text (one larger than 1 MB is refused unread).
pub fn read_text(text: &str) -> ConfigReading {
    if text.len() > MAX_CONFIG_BYTES {
        return too_large();
    }
    match json::parse(text) {
        Ok(v) => read_config(&to_config_value(&v), &crate::api::client::pinned()),
        Err(e) => ConfigReading {
            unreadable: Some(Unreadable::NotJson {
                line: e.line,
                column: e.column,
            }),
            ..ConfigReading::default()
        },
    }
}

/// `config.json` as the host serves it; none is no defaults, not an error.
pub async fn fetch() -> ConfigReading {
    let response = gloo_net::http::Request::get("config.json")
        .cache(web_sys::RequestCache::NoStore)
        .send()
        .await;
    match response {
        // A size the host declares too large is not even downloaded.
        Ok(r) if r
            .headers()
            .get("content-length")
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| n > MAX_CONFIG_BYTES) =>
        {
            too_large()
        }
        Ok(r) if r.ok() => match r.text().await {
            Ok(text) => read_text(&text),
            Err(_) => ConfigReading::default(),
        },
        _ => ConfigReading::default(),
    }
}

/// How long a start waits for `config.json` when settings are saved: its
/// locks (`ownerPinHash`, `lockedPayeeId`) were stored at the last start
/// that read them, so a slow shop network never holds the keypad up.
const START_WAIT_MS: u32 = 3_000;

/// `config.json` if it comes within `START_WAIT_MS`, else nothing.
pub async fn fetch_at_start() -> ConfigReading {
    use futures::future::{select, Either};
    match select(Box::pin(fetch()), gloo_timers::future::TimeoutFuture::new(START_WAIT_MS)).await {
        Either::Left((reading, _)) => reading,
        Either::Right(_) => ConfigReading::default(),
    }
}
