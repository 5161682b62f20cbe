//! How far the tablet's clock is from MixPay's. A payment's expiry is an
//! absolute time (`expiredTimestamp`), so a tablet whose clock is 20 minutes
//! behind would make links that MixPay sees as already expired. Every answer
//! carries MixPay's time (`timestampMs`); the median of the recent offsets
//! ignores one slow answer.

use std::collections::VecDeque;

/// Offsets kept for the median.
const SAMPLES: usize = 9;
/// Beyond this the cashier and the owner are warned.
pub const WARN_OFFSET_MS: i64 = 60_000;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClockOffset {
    samples: VecDeque<i64>,
}

impl ClockOffset {
    /// Records one answer: MixPay's `timestampMs` and the device's wall clock
    /// when the answer arrived. Absurd values (0, negative) are ignored.
    pub fn record(&mut self, mixpay_ms: i64, device_ms: i64) {
        if mixpay_ms <= 0 {
            return;
        }
        if self.samples.len() == SAMPLES {
            self.samples.pop_front();
        }
        self.samples.push_back(mixpay_ms - device_ms);
    }

    /// MixPay's clock minus the device's, or `None` before the first answer.
    pub fn offset_ms(&self) -> Option<i64> {
        if self.samples.is_empty() {
            return None;
        }
        // Nine values at most: placed in order one by one (the slice sort
        // would be 3 KB of the till's first load).
        let mut sorted: Vec<i64> = Vec::with_capacity(self.samples.len());
        for &s in &self.samples {
            sorted.insert(sorted.partition_point(|&x| x <= s), s);
        }
        Some(sorted[sorted.len() / 2])
    }

    /// The device's time corrected to MixPay's (the device's own until known).
    pub fn mixpay_now(&self, device_ms: i64) -> i64 {
        device_ms + self.offset_ms().unwrap_or(0)
    }
}

/// A warning when the device's clock is more than a minute off, e.g.
/// "This tablet's clock is 20 min behind MixPay's. …"
pub fn warning(lang: crate::i18n::Lang, offset_ms: Option<i64>) -> Option<String> {
    let offset = offset_ms?;
    if offset.abs() <= WARN_OFFSET_MS {
        return None;
    }
    let minutes = (offset.abs() + 30_000) / 60_000;
    // MixPay ahead of the device = the device is behind.
    Some(crate::i18n::clock_warning(lang, minutes, offset > 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn the_median_ignores_one_slow_answer() {
        let mut c = ClockOffset::default();
        assert_eq!(c.offset_ms(), None);
        assert_eq!(c.mixpay_now(1_000), 1_000);
        for (mixpay, device) in [(10_000, 9_000), (20_000, 19_000), (30_000, 24_000)] {
            c.record(mixpay, device);
        }
        assert_eq!(c.offset_ms(), Some(1_000));
        assert_eq!(c.mixpay_now(5_000), 6_000);
        c.record(0, 50_000);
        assert_eq!(
            c.offset_ms(),
            Some(1_000),
            "a missing timestamp is no sample"
        );
    }

    #[test]
    fn the_median_is_the_sorted_middle_of_the_last_nine() {
        // A fixed pseudo-random walk with repeats, negatives and extremes.
        let mut x: i64 = 12_345;
        let mut c = ClockOffset::default();
        let mut all = vec![];
        for i in 0..200 {
            x = (x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407)) >> 3;
            let offset = match i % 7 { 0 => 0, 1 => i64::MAX / 4, 2 => -(x % 1000), _ => x % 100_000 };
            c.record(1_000_000_000_000, 1_000_000_000_000 - offset);
            all.push(offset);
            let mut last: Vec<i64> = all.iter().rev().take(SAMPLES).copied().collect();
            last.sort();
            assert_eq!(c.offset_ms(), Some(last[last.len() / 2]), "after {} answers", i + 1);
        }
    }

    #[test]
    fn only_recent_answers_count() {
        let mut c = ClockOffset::default();
        for i in 0..SAMPLES as i64 {
            c.record(1_000_000 + i, 1_000_000 + i);
        }
        // The clock was fixed: after a few answers the new offset wins.
        for i in 0..5 {
            c.record(2_000_000 + i, 800_000 + i);
        }
        assert_eq!(c.offset_ms(), Some(1_200_000));
    }

    #[test]
    fn a_warning_only_beyond_a_minute() {
        assert_eq!(warning(Lang::En, None), None);
        assert_eq!(warning(Lang::En, Some(59_000)), None);
        assert_eq!(warning(Lang::En, Some(-60_000)), None);
        let behind = warning(Lang::En, Some(20 * 60_000)).unwrap();
        assert!(behind.contains("20 min behind"), "{behind}");
        assert!(warning(Lang::En, Some(-3 * 60_000))
            .unwrap()
            .contains("3 min ahead of"));
    }
}
