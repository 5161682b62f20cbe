//! Order numbers: a short id the device makes at its first start and a
//! counter it keeps, e.g. `T3K9QX-000127`. Sent as MixPay's `orderId`, which
//! must be unique for the payee across every tablet of the shop: two tablets
//! share a number only if they drew the same device id (31^6 ≈ 887 million
//! ids), and a device that loses its storage draws a new id, so its counter
//! starting again at 1 cannot repeat an old number.

use serde::Serialize;

/// Characters of a device id: no 0/O, 1/I/L, so it reads aloud and off paper.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const DEVICE_ID_LEN: usize = 6;

/// A device id from random bytes (at least `DEVICE_ID_LEN` of them; more
/// lets rejection sampling keep the characters evenly likely).
pub fn device_id_from(random: &[u8]) -> String {
    let n = ALPHABET.len();
    // The largest multiple of 31 below 256: bytes above it would favour the first letters.
    let limit = 256 - 256 % n;
    let mut out: String = random
        .iter()
        .filter(|b| usize::from(**b) < limit)
        .take(DEVICE_ID_LEN)
        .map(|b| char::from(ALPHABET[usize::from(*b) % n]))
        .collect();
    // Too few unbiased bytes (never in practice): fill from the rest.
    for b in random.iter().rev() {
        if out.len() >= DEVICE_ID_LEN {
            break;
        }
        out.push(char::from(ALPHABET[usize::from(*b) % n]));
    }
    out
}

pub fn is_device_id(id: &str) -> bool {
    id.len() == DEVICE_ID_LEN && id.bytes().all(|b| ALPHABET.contains(&b))
}

/// MixPay's rule for `orderId`: 6 to 36 of `A-Z a-z 0-9 _ -`.
pub fn is_valid_order_id(id: &str) -> bool {
    (6..=36).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The device's id and the number its next sale gets, as stored.
/// Read and written through `domain::stored`, as the derives did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeviceCounter {
    pub device_id: String,
    pub next: u64,
}

impl DeviceCounter {
    pub fn new(device_id: String) -> Self {
        DeviceCounter { device_id, next: 1 }
    }

    /// The next order number; the counter moves on.
    pub fn take(&mut self) -> String {
        let n = self.next;
        self.next += 1;
        format!("{}-{n:06}", self.device_id)
    }

    /// The stored form, or `None` when it is unreadable or not ours.
    pub fn parse(json: &str) -> Option<DeviceCounter> {
        super::stored::parse(json, "device counter", |f| {
            Ok(DeviceCounter {
                device_id: f.text("device_id"),
                next: f.whole("next"),
            })
        })
        .ok()
            .filter(|c| is_device_id(&c.device_id) && c.next >= 1)
    }

    pub fn to_stored(&self) -> String {
        super::stored::Obj::new()
            .text("device_id", &self.device_id)
            .num("next", self.next)
            .end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_readable_valid_order_ids_that_count_up() {
        let id = device_id_from(&[0, 255, 1, 30, 31, 200, 247, 5]);
        assert_eq!(id, "23Z2GZ", "255 is skipped as biased");
        assert!(is_device_id(&id));
        let mut c = DeviceCounter::new(id);
        assert_eq!(c.take(), "23Z2GZ-000001");
        assert_eq!(c.take(), "23Z2GZ-000002");
        c.next = 1_234_567;
        let big = c.take();
        assert_eq!(big, "23Z2GZ-1234567");
        assert!(is_valid_order_id(&big));
        assert!(is_valid_order_id("T3K9QX-000127"));
        assert!(!is_valid_order_id("T3K9"));
        assert!(!is_valid_order_id("T3K9 000127"));
        assert!(!is_valid_order_id(&"A".repeat(37)));
    }

    #[test]
    fn short_random_input_still_makes_a_whole_id() {
        let id = device_id_from(&[255, 255, 255, 255, 255, 255]);
        assert_eq!(id.len(), DEVICE_ID_LEN);
        assert!(is_device_id(&id));
    }

    #[test]
    fn the_stored_counter_round_trips_and_junk_is_refused() {
        let mut c = DeviceCounter::new("ABCDEF".into());
        c.take();
        assert_eq!(c.to_stored(), serde_json::to_string(&c).unwrap(), "written as the derive wrote it");
        assert_eq!(DeviceCounter::parse(&c.to_stored()), Some(c));
        assert_eq!(DeviceCounter::parse("{"), None);
        assert_eq!(
            DeviceCounter::parse(r#"{"device_id":"abc","next":3}"#),
            None
        );
        assert_eq!(
            DeviceCounter::parse(r#"{"device_id":"ABCDEF","next":0}"#),
            None
        );
    }
}
