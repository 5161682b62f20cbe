//! The owner PIN's rules: what a PIN may be, how its hash is stored (salted
//! PBKDF2-SHA-256, computed by the browser's Web Crypto), and the lockout
//! after wrong tries. The PIN itself is never stored.

use serde::{Deserialize, Serialize};

pub const PIN_MIN_DIGITS: usize = 4;
pub const PIN_MAX_DIGITS: usize = 8;
/// PBKDF2 rounds for new PINs; a short PIN needs a slow hash to make a copied
/// store expensive to guess offline.
pub const PBKDF2_ITERATIONS: u32 = 210_000;
/// A stored record with fewer rounds than this is not trusted.
pub const MIN_ITERATIONS: u32 = 100_000;
pub const SALT_BYTES: usize = 16;
pub const HASH_BITS: u32 = 256;
pub const ALGORITHM: &str = "PBKDF2-SHA-256";

/// Wrong tries allowed before the lock screen starts refusing.
pub const FREE_TRIES: u32 = 5;
pub const FIRST_LOCKOUT_MS: i64 = 30_000;
/// Unlocked settings lock again after this long without a touch.
pub const IDLE_LOCK_MS: i64 = 120_000;

/// Why a new PIN is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewPinProblem {
    /// Not `PIN_MIN_DIGITS` to `PIN_MAX_DIGITS` digits.
    Digits,
    /// The PIN and its confirmation differ.
    Differ,
}

/// Worded by the message catalogue, in the language on screen.
impl std::fmt::Display for NewPinProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::new_pin_problem(crate::i18n::current(), *self))
    }
}

/// Why the PIN could not be set or checked on this device (the browser's
/// side of it); `i18n::pin_failure` words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PinFailure {
    /// No Web Crypto (an insecure context, or a very old browser).
    NoWebCrypto,
    /// Web Crypto refused to hash the PIN.
    HashRefused,
    /// No random numbers for the salt.
    NoRandom,
    /// The stored PIN record cannot be read.
    Unreadable,
    /// The record could not be stored; the storage error, already worded.
    Store(String),
}

/// Worded by the message catalogue, in the language on screen.
impl std::fmt::Display for PinFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::pin_failure(crate::i18n::current(), self))
    }
}

/// Why a new PIN is refused, if it is.
pub fn check_new_pin(pin: &str, confirm: &str) -> Result<(), NewPinProblem> {
    let n = pin.chars().count();
    if !(PIN_MIN_DIGITS..=PIN_MAX_DIGITS).contains(&n) || !pin.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(NewPinProblem::Digits);
    }
    if pin != confirm {
        return Err(NewPinProblem::Differ);
    }
    Ok(())
}

/// The stored form of a PIN: the hash and how to compute it again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinRecord {
    pub algorithm: String,
    pub iterations: u32,
    /// Hex of the random salt.
    pub salt: String,
    /// Hex of the derived bits.
    pub hash: String,
}

pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

impl PinRecord {
    pub fn new(salt: &[u8], hash: &[u8]) -> Self {
        PinRecord {
            algorithm: ALGORITHM.into(),
            iterations: PBKDF2_ITERATIONS,
            salt: to_hex(salt),
            hash: to_hex(hash),
        }
    }

    /// The record if it can be trusted to check a PIN against; a weaker or
    /// malformed one is refused (and the settings stay locked).
    pub fn parse(json: &str) -> Result<PinRecord, String> {
        let r: PinRecord = serde_json::from_str(json).map_err(|e| e.to_string())?;
        if r.algorithm != ALGORITHM {
            return Err(format!("unknown algorithm {}", r.algorithm));
        }
        if r.iterations < MIN_ITERATIONS {
            return Err(format!("only {} iterations", r.iterations));
        }
        if from_hex(&r.salt).is_none_or(|s| s.len() < SALT_BYTES) {
            return Err("salt too short".into());
        }
        if from_hex(&r.hash).is_none_or(|h| h.len() * 8 != HASH_BITS as usize) {
            return Err("hash of the wrong size".into());
        }
        Ok(r)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("record serializes")
    }

    pub fn salt_bytes(&self) -> Vec<u8> {
        from_hex(&self.salt).unwrap_or_default()
    }

    /// Whether `hash` (of a PIN typed now) is this record's, comparing every
    /// byte whatever the first difference.
    pub fn matches(&self, hash: &[u8]) -> bool {
        let Some(mine) = from_hex(&self.hash) else {
            return false;
        };
        mine.len() == hash.len() && mine.iter().zip(hash).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

/// Wrong tries so far and until when the lock screen refuses; kept on the
/// device so a reload does not reset it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lockout {
    pub failures: u32,
    pub until_ms: i64,
}

impl Lockout {
    /// After a wrong PIN at `now_ms`: the 5th wrong try locks for 30 s, each
    /// further one doubles that.
    pub fn wrong(self, now_ms: i64) -> Lockout {
        let failures = self.failures.saturating_add(1);
        let until_ms = if failures >= FREE_TRIES {
            let doublings = (failures - FREE_TRIES).min(16);
            now_ms + FIRST_LOCKOUT_MS * (1i64 << doublings)
        } else {
            self.until_ms
        };
        Lockout { failures, until_ms }
    }

    /// Whole seconds the lock screen still refuses at `now_ms` (0: it accepts).
    pub fn seconds_left(&self, now_ms: i64) -> i64 {
        ((self.until_ms - now_ms).max(0) + 999) / 1000
    }

    pub fn parse(json: &str) -> Lockout {
        serde_json::from_str(json).unwrap_or(Lockout {
            // An unreadable record must not unlock more tries.
            failures: FREE_TRIES,
            until_ms: 0,
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("lockout serializes")
    }
}

/// Whether the unlocked settings should lock again: idle for 2 minutes.
pub fn idle_expired(last_activity_ms: i64, now_ms: i64) -> bool {
    now_ms - last_activity_ms >= IDLE_LOCK_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_is_4_to_8_digits_typed_twice() {
        assert!(check_new_pin("1234", "1234").is_ok());
        assert!(check_new_pin("12345678", "12345678").is_ok());
        assert!(check_new_pin("123", "123").unwrap_err().to_string().contains("4 to 8 digits"));
        assert!(check_new_pin("123456789", "123456789").is_err());
        assert!(check_new_pin("12a4", "12a4").is_err());
        assert!(check_new_pin("١٢٣٤", "١٢٣٤").is_err(), "ASCII digits only");
        assert!(check_new_pin("1234", "1243").unwrap_err().to_string().contains("differ"));
    }

    #[test]
    fn hashing_parameters_are_pbkdf2_sha256_with_a_random_salt_and_many_rounds() {
        assert!(PBKDF2_ITERATIONS >= 100_000);
        assert!(MIN_ITERATIONS >= 100_000);
        assert!(SALT_BYTES >= 16);
        assert_eq!(HASH_BITS, 256);
        let record = PinRecord::new(&[7; SALT_BYTES], &[9; 32]);
        assert_eq!(record.algorithm, "PBKDF2-SHA-256");
        assert_eq!(record.iterations, PBKDF2_ITERATIONS);
        let json = record.to_json();
        assert!(!json.contains("1234"));
        assert_eq!(PinRecord::parse(&json), Ok(record.clone()));
        assert_eq!(record.salt_bytes(), vec![7; SALT_BYTES]);
        assert!(record.matches(&[9; 32]));
        let mut other = [9; 32];
        other[31] = 8;
        assert!(!record.matches(&other));
        assert!(!record.matches(&[9; 31]));
    }

    #[test]
    fn a_weak_or_broken_record_is_not_trusted() {
        let good = PinRecord::new(&[1; 16], &[2; 32]);
        let weak = PinRecord { iterations: 1000, ..good.clone() };
        assert!(PinRecord::parse(&weak.to_json()).unwrap_err().contains("iterations"));
        let short_salt = PinRecord { salt: "0102".into(), ..good.clone() };
        assert!(PinRecord::parse(&short_salt.to_json()).is_err());
        let sha1 = PinRecord { algorithm: "PBKDF2-SHA-1".into(), ..good.clone() };
        assert!(PinRecord::parse(&sha1.to_json()).is_err());
        let odd = PinRecord { hash: "abc".into(), ..good };
        assert!(PinRecord::parse(&odd.to_json()).is_err());
        assert!(PinRecord::parse("not json").is_err());
    }

    #[test]
    fn five_wrong_tries_then_30_s_doubling() {
        let mut l = Lockout::default();
        for i in 1..=4 {
            l = l.wrong(1_000);
            assert_eq!(l.failures, i);
            assert_eq!(l.seconds_left(1_000), 0, "try {i} is free");
        }
        l = l.wrong(1_000);
        assert_eq!(l.seconds_left(1_000), 30);
        assert_eq!(l.seconds_left(1_000 + 29_500), 1);
        assert_eq!(l.seconds_left(1_000 + 30_000), 0);
        l = l.wrong(100_000);
        assert_eq!(l.seconds_left(100_000), 60);
        l = l.wrong(200_000);
        assert_eq!(l.seconds_left(200_000), 120);
        // Kept across reloads as JSON; an unreadable copy never gives free tries.
        assert_eq!(Lockout::parse(&l.to_json()), l);
        assert_eq!(Lockout::parse("garbage").wrong(0).seconds_left(0), 60);
        // A huge count does not overflow.
        let many = Lockout { failures: u32::MAX, until_ms: 0 }.wrong(0);
        assert!(many.seconds_left(0) > 0);
    }

    #[test]
    fn idle_for_two_minutes_locks() {
        assert!(!idle_expired(0, 119_999));
        assert!(idle_expired(0, 120_000));
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(to_hex(&[0, 255, 16]), "00ff10");
        assert_eq!(from_hex("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(from_hex("0g"), None);
        assert_eq!(from_hex("abc"), None);
    }
}
