//! The browser's side of the set-up link (`domain::setup_link` has the
//! format and the rules): raw deflate by the browser's own
//! `CompressionStream` (no compressor in the wasm), the signing key by Web
//! Crypto's PBKDF2 with the owner PIN, the tags by its HMAC-SHA-256.
//!
//! [`in_address`] is the only piece the till's first load reaches: whether
//! the app was opened with a `#setup=…` fragment. Everything else, reading
//! it and taking it out of the address bar, runs in the Settings part.

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::domain::pin::PinFailure;
use crate::domain::setup_link::{
    self, signed_bytes, SetupPayload, SetupProblem, SignedLink, CHECK_MESSAGE, ITERATIONS,
    MAX_PAYLOAD_BYTES, SALT_BYTES, TAG_BYTES,
};

/// The address's fragment (`location.hash`), read through `Reflect` (calls
/// the glue has already: a web-sys getter is one more import in the first
/// load's glue, +48 B gzip measured).
fn hash() -> String {
    let Some(window) = web_sys::window() else { return String::new() };
    Reflect::get(&window, &"location".into())
        .and_then(|l| Reflect::get(&l, &"hash".into()))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Whether the address has a fragment (only a set-up link gives it one):
/// the only piece the till's first load reaches, the start then opens
/// Settings, whose part reads it. Truthiness, not the text: no string is
/// copied into the wasm here (a `#setup=` prefix test weighed 330 B of code).
#[inline(never)]
pub fn in_address() -> bool {
    // `Window::location` is an import the till has already (the lock's reload).
    web_sys::window()
        .and_then(|w| Reflect::get(&w.location(), &"hash".into()).ok())
        .is_some_and(|h| h.is_truthy())
}

/// The `#setup=…` fragment of the address, if any, taken out of the address
/// bar and the page's history entry (`history.replaceState`) so it is not
/// left behind. Called by the Settings part only.
pub fn take_from_address() -> Option<String> {
    let hash = hash();
    let fragment = setup_link::fragment_of(&hash)?.to_string();
    // Through `Reflect` too: a web-sys import would be glue in the first load.
    let window = web_sys::window()?;
    let href = Reflect::get(&window, &"location".into())
        .and_then(|l| Reflect::get(&l, &"href".into()))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    let bare = href.split('#').next().unwrap_or_default();
    if let Ok(history) = Reflect::get(&window, &"history".into()) {
        let _ = apply(&history, "replaceState", &[JsValue::NULL, "".into(), bare.into()]);
    }
    Some(fragment)
}

/// `obj.method()` or `obj.method(arg)`, through `Reflect`.
fn call(obj: &JsValue, method: &str, arg: Option<&JsValue>) -> Result<JsValue, JsValue> {
    let f: Function = Reflect::get(obj, &method.into())?.dyn_into()?;
    match arg {
        Some(a) => f.call1(obj, a),
        None => f.call0(obj),
    }
}

/// `obj.method(...args)`, through `Reflect` and `Function.prototype.apply`
/// called by `call2`: the glue (first load) has those imports already; web-sys'
/// `sign`, `importKey` with an object or `call3` would each add one.
fn apply(obj: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f: Function = Reflect::get(obj, &method.into())?.dyn_into()?;
    let apply: Function = Reflect::get(&f, &"apply".into())?.dyn_into()?;
    let list = Array::new();
    for a in args {
        list.push(a);
    }
    apply.call2(&f, obj, &list)
}

/// `new Class(arg)` of the window's `Class`, through `Reflect`.
fn new1(class: &str, arg: &JsValue) -> Result<JsValue, JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let ctor: Function = Reflect::get(&window, &class.into())?.dyn_into()?;
    Reflect::construct(&ctor, &Array::of1(arg))
}

/// `bytes` through the browser's `CompressionStream` or
/// `DecompressionStream` of raw deflate: `new Response(new
/// Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer()`.
async fn through(bytes: &[u8], class: &str) -> Result<Vec<u8>, JsValue> {
    let transform = new1(class, &"deflate-raw".into())?;
    let blob = new1("Blob", &Array::of1(&Uint8Array::from(bytes)))?;
    let stream = call(&blob, "stream", None)?;
    let piped = call(&stream, "pipeThrough", Some(&transform))?;
    let response = new1("Response", &piped)?;
    let buffer = JsFuture::from(Promise::from(call(&response, "arrayBuffer", None)?)).await?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

async fn deflate(bytes: &[u8]) -> Result<Vec<u8>, JsValue> {
    through(bytes, "CompressionStream").await
}

async fn inflate(bytes: &[u8]) -> Result<Vec<u8>, JsValue> {
    through(bytes, "DecompressionStream").await
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &key.into(), value);
}

/// `check` and `mac` of a link: HMAC-SHA-256 with the key PBKDF2 derives
/// from the PIN and the link's salt.
async fn tags(pin: &str, salt: &[u8], signed: &[u8]) -> Result<([u8; TAG_BYTES], [u8; TAG_BYTES]), PinFailure> {
    let bits = super::owner_pin::derive(pin, salt, ITERATIONS).await?;
    let subtle = super::owner_pin::subtle()?;
    let fail = |_| PinFailure::HashRefused;
    let algorithm = Object::new();
    set(&algorithm, "name", &"HMAC".into());
    set(&algorithm, "hash", &"SHA-256".into());
    let subtle: JsValue = subtle.into();
    let usages = Array::of1(&"sign".into());
    let raw = Uint8Array::from(bits.as_slice());
    let args = ["raw".into(), raw.into(), algorithm.into(), JsValue::FALSE, usages.into()];
    let key = apply(&subtle, "importKey", &args).map_err(fail)?;
    let key = JsFuture::from(Promise::from(key)).await.map_err(fail)?;
    let mut out = [[0u8; TAG_BYTES]; 2];
    for (tag, data) in out.iter_mut().zip([CHECK_MESSAGE, signed]) {
        let sig = apply(&subtle, "sign", &["HMAC".into(), key.clone(), Uint8Array::from(data).into()]).map_err(fail)?;
        let sig = JsFuture::from(Promise::from(sig)).await.map_err(fail)?;
        let bytes = Uint8Array::new(&sig).to_vec();
        *tag = bytes.try_into().map_err(|_| PinFailure::HashRefused)?;
    }
    Ok((out[0], out[1]))
}

/// The address the new tablet opens: this app's, with the signed fragment.
pub async fn make(pin: &str, payload: &SetupPayload) -> Result<String, PinFailure> {
    let body = deflate(payload.to_json().as_bytes()).await.map_err(|_| PinFailure::HashRefused)?;
    let mut salt = [0u8; SALT_BYTES];
    web_sys::window()
        .ok_or(PinFailure::NoRandom)?
        .crypto()
        .and_then(|c| c.get_random_values_with_u8_array(&mut salt))
        .map_err(|_| PinFailure::NoRandom)?;
    let (check, mac) = tags(pin, &salt, &signed_bytes(&salt, &body)).await?;
    let here = web_sys::window()
        .and_then(|w| Reflect::get(&w, &"location".into()).ok())
        .and_then(|l| Reflect::get(&l, &"href".into()).ok())
        .and_then(|h| h.as_string())
        .unwrap_or_default();
    Ok(setup_link::link(&here, &SignedLink { salt, check, mac, body }))
}

/// A link opened: what it would set, not verified yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    pub signed: SignedLink,
    pub payload: SetupPayload,
}

/// Reads a fragment: decoded, inflated, its payload read. Nothing is
/// trusted until [`verify`] with the PIN.
pub async fn open(text: &str) -> Result<Opened, SetupProblem> {
    let signed = SignedLink::decode(text)?;
    let json = inflate(&signed.body).await.map_err(|_| SetupProblem::Damaged)?;
    if json.len() > MAX_PAYLOAD_BYTES {
        return Err(SetupProblem::Damaged);
    }
    let json = String::from_utf8(json).map_err(|_| SetupProblem::Damaged)?;
    let payload = SetupPayload::parse(&json)?;
    Ok(Opened { signed, payload })
}

/// Whether `pin` signed this link, and the link is as it was made.
pub async fn verify(opened: &Opened, pin: &str) -> Result<(), Result<SetupProblem, PinFailure>> {
    let signed = &opened.signed;
    let (check, mac) = tags(pin, &signed.salt, &signed.signed_bytes()).await.map_err(Err)?;
    signed.verify(&check, &mac).map_err(Ok)
}
