//! The owner PIN's rules: what a PIN may be, how its hash is stored (salted
//! PBKDF2-SHA-256, computed by the browser's Web Crypto), and the lockout
//! after wrong tries. The PIN itself is never stored.

use serde::Serialize;

/// New PINs: at least 6 digits (a 4-digit PIN stored before still opens).
pub const PIN_MIN_DIGITS: usize = 6;
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
/// Unlocked settings lock again after this long without a touch (a
/// monotonic clock's milliseconds, never the wall clock's).
pub const IDLE_LOCK_MS: i64 = 120_000;
/// The owner's screens lock again when the app was hidden longer than this.
pub const HIDDEN_LOCK_MS: i64 = 60_000;

/// Why a new PIN is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewPinProblem {
    /// Not `PIN_MIN_DIGITS` to `PIN_MAX_DIGITS` digits.
    Digits,
    /// The PIN and its confirmation differ.
    Differ,
    /// One digit repeated, a run up or down, a short pattern repeated, or a
    /// PIN on the lists of the most used ones.
    EasyToGuess,
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
    if is_easy_to_guess(pin) {
        return Err(NewPinProblem::EasyToGuess);
    }
    if pin != confirm {
        return Err(NewPinProblem::Differ);
    }
    Ok(())
}

/// PINs tried first by anyone guessing (leaked-PIN lists, keypad shapes,
/// dates as people type them), beyond what `is_easy_to_guess` finds by rule.
const COMMON_PINS: [&str; 14] = [
    "112233", "123321", "147258", "159753", "258369", "321654", "520520", "5201314", "741852",
    "852456", "951753", "123654", "102030", "110110",
];

/// Whether `pin` (digits) is among the first a guesser tries: one digit
/// repeated, steps of +1 or -1 (wrapping 9→0), a pattern of 1 to 3 digits
/// repeated, or a common PIN.
pub fn is_easy_to_guess(pin: &str) -> bool {
    let d: Vec<i8> = pin.bytes().map(|b| b as i8 - b'0' as i8).collect();
    if d.len() < 2 {
        return true;
    }
    let steps = |k: i8| d.windows(2).all(|w| (w[1] - w[0]).rem_euclid(10) == k.rem_euclid(10));
    let repeats = (1..=3).any(|p| p < d.len() && (p..d.len()).all(|i| d[i] == d[i - p]));
    steps(1) || steps(-1) || repeats || COMMON_PINS.contains(&pin)
}

/// Characters of a recovery code: no 0/O, 1/I/L, so it reads back from paper.
const RECOVERY_ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters of a recovery code (4 groups of 4; 31 symbols each, ~79 bits).
pub const RECOVERY_CHARS: usize = 16;

/// A recovery code from random bytes, as shown: `ABCD-EFGH-JKMN-PQRS`.
pub fn recovery_code(random: &[u8; RECOVERY_CHARS]) -> String {
    let chars: Vec<char> = random
        .iter()
        // The modulo's bias (256 = 8 × 31 + 8) costs under 1 bit over the code.
        .map(|b| RECOVERY_ALPHABET[(*b as usize) % RECOVERY_ALPHABET.len()] as char)
        .collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// A recovery code as typed, in the form its hash is made of: capitals,
/// without spaces or hyphens.
pub fn normalize_recovery(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The stored form of a PIN: the hash and how to compute it again.
/// Read and written through `domain::stored`, as the derives did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
        let r = super::stored::parse(json, "PIN record", |f| {
            Ok(PinRecord {
                algorithm: f.text("algorithm"),
                iterations: f.count("iterations"),
                salt: f.text("salt"),
                hash: f.text("hash"),
            })
        })?;
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
        super::stored::Obj::new()
            .text("algorithm", &self.algorithm)
            .num("iterations", self.iterations)
            .text("salt", &self.salt)
            .text("hash", &self.hash)
            .end()
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

/// Wrong tries so far, and how much of the lockout is left. Kept on the
/// device as time *left*, counted down only while the app runs (by a
/// monotonic clock): moving the device's clock does not end it, and a reload
/// keeps what was left (the time the app was closed does not count).
/// Read and written through `domain::stored`, as the derives did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Lockout {
    pub failures: u32,
    /// Milliseconds the lock screen still refuses (`unknown_left` when
    /// the record has none).
    pub left_ms: i64,
}

/// A record without `left_ms` (written by an older version): the whole
/// lockout its count earns, worked out in `parse`.
fn unknown_left() -> i64 {
    -1
}

/// The lockout `failures` wrong tries earn: none before the 5th, then 30 s
/// doubling with each further one.
pub fn lockout_ms(failures: u32) -> i64 {
    if failures >= FREE_TRIES {
        FIRST_LOCKOUT_MS * (1i64 << (failures - FREE_TRIES).min(16))
    } else {
        0
    }
}

impl Lockout {
    /// After a wrong PIN: the 5th wrong try locks for 30 s, each further one
    /// doubles that.
    pub fn wrong(self) -> Lockout {
        let failures = self.failures.saturating_add(1);
        let left_ms = lockout_ms(failures).max(self.left_ms);
        Lockout { failures, left_ms }
    }

    /// The lockout after the app ran `ms` more (monotonic) milliseconds.
    pub fn elapsed(self, ms: i64) -> Lockout {
        Lockout {
            left_ms: (self.left_ms - ms.max(0)).max(0),
            ..self
        }
    }

    /// Whole seconds the lock screen still refuses (0: it accepts).
    pub fn seconds_left(&self) -> i64 {
        (self.left_ms.max(0) + 999) / 1000
    }

    pub fn parse(json: &str) -> Lockout {
        let read = super::stored::parse(json, "lockout", |f| {
            Ok(Lockout {
                failures: f.count("failures"),
                left_ms: f.int_or("left_ms", unknown_left()),
            })
        });
        match read {
            Ok(l) if l.left_ms < 0 => Lockout {
                left_ms: lockout_ms(l.failures),
                ..l
            },
            Ok(l) => l,
            // An unreadable record must not unlock more tries.
            Err(_) => Lockout {
                failures: FREE_TRIES,
                left_ms: FIRST_LOCKOUT_MS,
            },
        }
    }

    pub fn to_json(&self) -> String {
        super::stored::Obj::new()
            .num("failures", self.failures)
            .num("left_ms", self.left_ms)
            .end()
    }
}

/// Whether the unlocked settings should lock again: idle for 2 minutes
/// (both times from a monotonic clock).
pub fn idle_expired(last_activity_ms: i64, now_ms: i64) -> bool {
    now_ms - last_activity_ms >= IDLE_LOCK_MS
}

/// Whether the owner's screens lock again on coming back after being
/// hidden from `hidden_at` to `now` (monotonic milliseconds).
pub fn hidden_too_long(hidden_at: i64, now: i64) -> bool {
    now - hidden_at > HIDDEN_LOCK_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_is_6_to_8_digits_typed_twice() {
        assert!(check_new_pin("246813", "246813").is_ok());
        assert!(check_new_pin("24681357", "24681357").is_ok());
        assert!(check_new_pin("2468", "2468").unwrap_err().to_string().contains("6 to 8 digits"));
        assert!(check_new_pin("246813579", "246813579").is_err());
        assert!(check_new_pin("2468a3", "2468a3").is_err());
        assert!(check_new_pin("٢٤٦٨١٣", "٢٤٦٨١٣").is_err(), "ASCII digits only");
        assert!(check_new_pin("246813", "246831").unwrap_err().to_string().contains("differ"));
    }

    #[test]
    fn trivial_pins_are_refused() {
        for pin in ["000000", "111111", "123456", "654321", "234567", "890123", "121212", "123123", "112233", "159753", "1234567", "98765432", "909090"] {
            assert_eq!(check_new_pin(pin, pin), Err(NewPinProblem::EasyToGuess), "{pin}");
        }
        assert_eq!(NewPinProblem::EasyToGuess.to_string(), "Choose a PIN that is not easy to guess.");
        for pin in ["246813", "570291", "13572468", "8042137"] {
            assert!(!is_easy_to_guess(pin), "{pin}");
        }
    }

    #[test]
    fn recovery_codes_read_back_from_paper() {
        let code = recovery_code(&[0, 1, 2, 3, 30, 31, 255, 62, 7, 8, 9, 10, 11, 12, 13, 14]);
        assert_eq!(code.len(), 19);
        assert_eq!(code.matches('-').count(), 3);
        assert!(!code.contains(['0', 'O', '1', 'I', 'L', '#']), "{code}");
        let typed = code.to_ascii_lowercase().replace('-', " ");
        assert_eq!(normalize_recovery(&typed), code.replace('-', ""));
    }

    #[test]
    fn hashing_parameters_are_pbkdf2_sha256_with_a_random_salt_and_many_rounds() {
        const { assert!(PBKDF2_ITERATIONS >= 100_000) };
        const { assert!(MIN_ITERATIONS >= 100_000) };
        const { assert!(SALT_BYTES >= 16) };
        assert_eq!(HASH_BITS, 256);
        let record = PinRecord::new(&[7; SALT_BYTES], &[9; 32]);
        assert_eq!(record.algorithm, "PBKDF2-SHA-256");
        assert_eq!(record.iterations, PBKDF2_ITERATIONS);
        let json = record.to_json();
        assert_eq!(json, serde_json::to_string(&record).unwrap(), "written as the derive wrote it");
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
            l = l.wrong();
            assert_eq!(l.failures, i);
            assert_eq!(l.seconds_left(), 0, "try {i} is free");
        }
        l = l.wrong();
        assert_eq!(l.seconds_left(), 30);
        assert_eq!(l.elapsed(29_500).seconds_left(), 1);
        l = l.elapsed(30_000);
        assert_eq!(l.seconds_left(), 0);
        l = l.wrong();
        assert_eq!(l.seconds_left(), 60);
        l = l.elapsed(60_000).wrong();
        assert_eq!(l.seconds_left(), 120);
        // Kept across reloads as JSON, as time left; an unreadable copy never
        // gives free tries, and an older record (no time left) gets its whole lockout.
        assert_eq!(Lockout::parse(&l.to_json()), l);
        assert_eq!(l.to_json(), serde_json::to_string(&l).unwrap(), "written as the derive wrote it");
        assert_eq!(Lockout::parse("garbage").wrong().seconds_left(), 60);
        assert_eq!(Lockout::parse(r#"{"failures":5,"until_ms":0}"#).seconds_left(), 30);
        assert_eq!(Lockout::parse(r#"{"failures":2,"until_ms":0}"#).seconds_left(), 0);
        // A huge count does not overflow.
        let many = Lockout { failures: u32::MAX, left_ms: 0 }.wrong();
        assert!(many.seconds_left() > 0);
        // Time never runs backwards.
        assert_eq!(many.elapsed(-5_000), many);
    }

    #[test]
    fn idle_for_two_minutes_or_hidden_for_a_minute_locks() {
        assert!(!idle_expired(0, 119_999));
        assert!(idle_expired(0, 120_000));
        assert!(!hidden_too_long(1_000, 61_000));
        assert!(hidden_too_long(1_000, 61_001));
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(to_hex(&[0, 255, 16]), "00ff10");
        assert_eq!(from_hex("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(from_hex("0g"), None);
        assert_eq!(from_hex("abc"), None);
    }
}
