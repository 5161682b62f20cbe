//! The owner PIN on this device: its salted PBKDF2-SHA-256 hash (Web
//! Crypto), the recovery code's hash, and the lockout after wrong tries, in
//! localStorage. The rules are `domain::pin`'s; this module only stores and
//! hashes.
//!
//! The lockout is kept as time *left* and counted down with
//! `performance.now()` while the app runs (`tick`, from the idle hook):
//! moving the device clock does not end it, and since a reload starts
//! `performance.now()` again at 0, each tab remembers where its own count
//! started (`ANCHOR`) and only ever subtracts time it saw pass itself.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::local_storage;
use crate::domain::pin::{
    normalize_recovery, recovery_code, Lockout, PinFailure, PinRecord, HASH_BITS,
    PBKDF2_ITERATIONS, RECOVERY_CHARS, SALT_BYTES,
};

const PIN_KEY: &str = "mixpay-pos/owner-pin";
const LOCKOUT_KEY: &str = "mixpay-pos/owner-pin-lockout";
const RECOVERY_KEY: &str = "mixpay-pos/owner-recovery";

thread_local! {
    /// The lockout as this tab last wrote or read it, and the monotonic time then.
    static ANCHOR: std::cell::Cell<Option<(Lockout, i64)>> = const { std::cell::Cell::new(None) };
}

/// Whether a PIN guards the settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PinState {
    None,
    Set(PinRecord),
    /// A record is stored but cannot be trusted: the settings stay locked
    /// (only the recovery code's reset opens them).
    Damaged,
    /// Settings saved with a PIN are here but the PIN is gone (its key
    /// deleted): locked, as with a PIN.
    Missing,
}

pub fn load() -> PinState {
    match local_storage::get(PIN_KEY) {
        Ok(None) if super::settings_store::pin_guarded() => PinState::Missing,
        Ok(None) => PinState::None,
        Ok(Some(json)) => {
            let state = PinRecord::parse(&json).map_or(PinState::Damaged, PinState::Set);
            if matches!(state, PinState::Set(_)) {
                // Settings from before the mark: guarded from now on.
                super::settings_store::mark_pin_guarded();
            }
            state
        }
        Err(_) => PinState::Damaged,
    }
}

pub fn is_pin_key(key: &str) -> bool {
    key == PIN_KEY || key == LOCKOUT_KEY || key == RECOVERY_KEY
}

/// Whether a PIN record (good or not) is stored.
pub fn has_record() -> bool {
    matches!(local_storage::get(PIN_KEY), Ok(Some(_)))
}

/// Whether a recovery code can reset this device.
pub fn has_recovery() -> bool {
    matches!(local_storage::get(RECOVERY_KEY), Ok(Some(json)) if PinRecord::parse(&json).is_ok())
}

/// `config.json`'s `ownerPinHash`: stored as the PIN on every start, so it
/// wins over whatever the device holds (a PIN changed, deleted or reset here).
pub fn provision(record: &PinRecord) {
    if load() != PinState::Set(record.clone()) {
        let _ = local_storage::set(PIN_KEY, &record.to_json());
    }
}

pub(crate) fn subtle() -> Result<web_sys::SubtleCrypto, PinFailure> {
    let window = web_sys::window().ok_or(PinFailure::NoWebCrypto)?;
    Ok(window.crypto().map_err(|_| PinFailure::NoWebCrypto)?.subtle())
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &key.into(), value);
}

/// PBKDF2-SHA-256 of `pin` with `salt`, by the browser's Web Crypto.
pub(crate) async fn derive(pin: &str, salt: &[u8], iterations: u32) -> Result<Vec<u8>, PinFailure> {
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

fn random<const N: usize>() -> Result<[u8; N], PinFailure> {
    let mut bytes = [0u8; N];
    web_sys::window()
        .ok_or(PinFailure::NoRandom)?
        .crypto()
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes))
        .map_err(|_| PinFailure::NoRandom)?;
    Ok(bytes)
}

/// The record of `secret` with a fresh random salt.
async fn record_of(secret: &str) -> Result<PinRecord, PinFailure> {
    let salt = random::<SALT_BYTES>()?;
    let hash = derive(secret, &salt, PBKDF2_ITERATIONS).await?;
    Ok(PinRecord::new(&salt, &hash))
}

/// Stores a new PIN (already checked by `domain::pin::check_new_pin`) as a
/// hash with a fresh random salt, clears any lockout, and makes a new
/// recovery code, returned to be shown once (only its hash is kept).
pub async fn set_pin(pin: &str) -> Result<String, PinFailure> {
    let record = record_of(pin).await?;
    let code = recovery_code(&random::<RECOVERY_CHARS>()?);
    let recovery = record_of(&normalize_recovery(&code)).await?;
    let store = |key, r: &PinRecord| {
        local_storage::set(key, &r.to_json()).map_err(|e| PinFailure::Store(e.to_string()))
    };
    store(RECOVERY_KEY, &recovery)?;
    store(PIN_KEY, &record)?;
    write_lockout(Lockout::default());
    Ok(code)
}

fn stored_lockout() -> Lockout {
    match local_storage::get(LOCKOUT_KEY) {
        Ok(None) => Lockout::default(),
        Ok(Some(json)) => Lockout::parse(&json),
        Err(_) => Lockout::parse(""),
    }
}

fn write_lockout(l: Lockout) {
    let _ = if l == Lockout::default() {
        local_storage::remove(LOCKOUT_KEY)
    } else {
        local_storage::set(LOCKOUT_KEY, &l.to_json())
    };
    ANCHOR.with(|a| a.set(Some((l, crate::clock::monotonic_ms()))));
}

/// The lockout now. The time this tab saw pass since it last wrote or read
/// the record is taken off, if the record is still the one it saw (another
/// tab counting meanwhile wrote a newer one, which is taken as it is).
pub fn lockout() -> Lockout {
    let stored = stored_lockout();
    let now = crate::clock::monotonic_ms();
    let current = match ANCHOR.with(std::cell::Cell::get) {
        Some((seen, at)) if seen == stored => stored.elapsed(now - at),
        _ => stored,
    };
    if current != stored {
        write_lockout(current);
    } else {
        ANCHOR.with(|a| a.set(Some((stored, now))));
    }
    current
}

/// Counts a running lockout down (called every few seconds while the app runs).
pub fn tick() {
    if stored_lockout().left_ms > 0 {
        lockout();
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

/// Checks `secret` against the record under `key`, counting wrong tries
/// (PIN and recovery code alike share one count).
async fn try_secret(key: &str, secret: &str) -> Unlock {
    let left = lockout().seconds_left();
    if left > 0 {
        return Unlock::LockedOut(left);
    }
    let record = match local_storage::get(key) {
        Ok(Some(json)) => match PinRecord::parse(&json) {
            Ok(r) => r,
            Err(_) => return Unlock::Failed(PinFailure::Unreadable),
        },
        _ => return Unlock::Failed(PinFailure::Unreadable),
    };
    let hash = match derive(secret, &record.salt_bytes(), record.iterations).await {
        Ok(h) => h,
        Err(e) => return Unlock::Failed(e),
    };
    let right = record.matches(&hash);
    // Counted under a Web Lock: read-modify-write of one count for every tab.
    super::web_lock::with_lock("mixpay-pos-owner-pin", move || {
        if right {
            write_lockout(Lockout::default());
        } else {
            // Read again: another tab may have counted a wrong try meanwhile.
            write_lockout(lockout().wrong());
        }
    })
    .await;
    if right {
        Unlock::Opened
    } else {
        Unlock::Wrong
    }
}

/// Checks `pin` against the stored hash, counting wrong tries.
pub async fn try_unlock(pin: &str) -> Unlock {
    try_secret(PIN_KEY, pin).await
}

/// Checks a recovery code as typed, counting wrong tries with the PIN's.
pub async fn try_recovery(typed: &str) -> Unlock {
    try_secret(RECOVERY_KEY, &normalize_recovery(typed)).await
}

/// Forgets the PIN, its recovery code and its lockout (a reset with the
/// recovery code).
pub fn forget() {
    let _ = local_storage::remove(PIN_KEY);
    let _ = local_storage::remove(RECOVERY_KEY);
    let _ = local_storage::remove(LOCKOUT_KEY);
    ANCHOR.with(|a| a.set(None));
}
