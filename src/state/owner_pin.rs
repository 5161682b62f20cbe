//! The owner PIN on this device: its salted PBKDF2-SHA-256 hash (Web
//! Crypto) and the lockout after wrong tries, in localStorage. The rules
//! are `domain::pin`'s; this module only stores and hashes.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::local_storage;
use crate::domain::pin::{Lockout, PinFailure, PinRecord, HASH_BITS, PBKDF2_ITERATIONS, SALT_BYTES};

const PIN_KEY: &str = "mixpay-pos/owner-pin";
const LOCKOUT_KEY: &str = "mixpay-pos/owner-pin-lockout";

/// Whether a PIN guards the settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PinState {
    None,
    Set(PinRecord),
    /// A record is stored but cannot be trusted: the settings stay locked
    /// (only "Reset this device" opens them).
    Damaged,
}

pub fn load() -> PinState {
    match local_storage::get(PIN_KEY) {
        Ok(None) => PinState::None,
        Ok(Some(json)) => PinRecord::parse(&json).map_or(PinState::Damaged, PinState::Set),
        Err(_) => PinState::Damaged,
    }
}

pub fn is_pin_key(key: &str) -> bool {
    key == PIN_KEY || key == LOCKOUT_KEY
}

fn subtle() -> Result<web_sys::SubtleCrypto, PinFailure> {
    let window = web_sys::window().ok_or(PinFailure::NoWebCrypto)?;
    Ok(window.crypto().map_err(|_| PinFailure::NoWebCrypto)?.subtle())
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &key.into(), value);
}

/// PBKDF2-SHA-256 of `pin` with `salt`, by the browser's Web Crypto.
async fn derive(pin: &str, salt: &[u8], iterations: u32) -> Result<Vec<u8>, PinFailure> {
    let subtle = subtle()?;
    let fail = |_| PinFailure::HashRefused;
    let raw = Uint8Array::from(pin.as_bytes());
    let usages = Array::of1(&"deriveBits".into());
    let key = JsFuture::from(
        subtle
            .import_key_with_str("raw", &raw, "PBKDF2", false, &usages)
            .map_err(fail)?,
    )
    .await
    .map_err(fail)?;
    let params = Object::new();
    set(&params, "name", &"PBKDF2".into());
    set(&params, "hash", &"SHA-256".into());
    set(&params, "salt", &Uint8Array::from(salt));
    set(&params, "iterations", &iterations.into());
    let bits = JsFuture::from(
        subtle
            .derive_bits_with_object(&params, key.unchecked_ref(), HASH_BITS)
            .map_err(fail)?,
    )
    .await
    .map_err(fail)?;
    Ok(Uint8Array::new(&bits).to_vec())
}

/// Stores a new PIN (already checked by `domain::pin::check_new_pin`) as a
/// hash with a fresh random salt, and clears any lockout.
pub async fn set_pin(pin: &str) -> Result<(), PinFailure> {
    let mut salt = [0u8; SALT_BYTES];
    web_sys::window()
        .ok_or(PinFailure::NoRandom)?
        .crypto()
        .and_then(|c| c.get_random_values_with_u8_array(&mut salt))
        .map_err(|_| PinFailure::NoRandom)?;
    let hash = derive(pin, &salt, PBKDF2_ITERATIONS).await?;
    let record = PinRecord::new(&salt, &hash);
    local_storage::set(PIN_KEY, &record.to_json()).map_err(|e| PinFailure::Store(e.to_string()))?;
    let _ = local_storage::remove(LOCKOUT_KEY);
    Ok(())
}

pub fn lockout() -> Lockout {
    match local_storage::get(LOCKOUT_KEY) {
        Ok(None) => Lockout::default(),
        Ok(Some(json)) => Lockout::parse(&json),
        Err(_) => Lockout::parse(""),
    }
}

/// What came of typing a PIN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unlock {
    Opened,
    Wrong,
    /// Refused without trying: locked out for this many more seconds.
    LockedOut(i64),
    Failed(PinFailure),
}

/// Checks `pin` against the stored hash, counting wrong tries.
pub async fn try_unlock(pin: &str, now_ms: i64) -> Unlock {
    let left = lockout().seconds_left(now_ms);
    if left > 0 {
        return Unlock::LockedOut(left);
    }
    let PinState::Set(record) = load() else {
        return Unlock::Failed(PinFailure::Unreadable);
    };
    let hash = match derive(pin, &record.salt_bytes(), record.iterations).await {
        Ok(h) => h,
        Err(e) => return Unlock::Failed(e),
    };
    if record.matches(&hash) {
        let _ = local_storage::remove(LOCKOUT_KEY);
        Unlock::Opened
    } else {
        // Read again: another tab may have counted a wrong try meanwhile.
        let next = lockout().wrong(crate::clock::now_ms());
        let _ = local_storage::set(LOCKOUT_KEY, &next.to_json());
        Unlock::Wrong
    }
}

/// Forgets the PIN and its lockout ("Reset this device").
pub fn forget() {
    let _ = local_storage::remove(PIN_KEY);
    let _ = local_storage::remove(LOCKOUT_KEY);
}
