//! What goes wrong on a shop's network and at MixPay, on demand: the rate
//! limit, errors, latency, dropped connections and garbage bodies.

use serde::Deserialize;
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;

pub const RATE_LIMIT: usize = 60;
pub const RATE_WINDOW_MS: i64 = 60_000;

/// `POST /_sim/faults`; every field optional, an empty body clears all faults.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FaultSpec {
    /// Share of requests answered with a server error: 500 with MixPay's
    /// code -1 envelope, or `errorStatus` (e.g. 502) with a proxy's HTML page.
    pub error_rate: f64,
    /// The HTTP status of those errors (500 to 599; default 500).
    pub error_status: Option<u16>,
    /// Added to every matching request before it is answered.
    pub latency_ms: u64,
    /// Share of requests whose connection is cut with no answer.
    pub drop_rate: f64,
    /// Share of requests answered 200 with a body that is not JSON.
    pub malformed_rate: f64,
    /// For this many seconds every matching request gets 429 / 1429.
    pub rate_limit_storm: f64,
    /// Path fragments the faults apply to (e.g. "payments_result"); empty = all of /v1.
    pub endpoints: Vec<String>,
    /// `latencyMs` only for requests whose query names one of these (a
    /// traceId or orderId as a parameter's value): some sales answered late,
    /// the others at once. Empty = every matching request.
    pub slow_traces: Vec<String>,
    /// How `payments_result` answers for a traceId (or orderId) nobody has
    /// opened or paid; `endpoints` does not limit it.
    pub unknown_trace_answer: UnknownTraceAnswer,
    /// Every `payments_result` answers this MixPay error code (e.g. 10008,
    /// 2000, 10007, 1017, 40022) in its envelope; `endpoints` does not limit it.
    pub result_error: Option<i64>,
    /// `orderId`: pay links are known by orderId + payeeId only, so
    /// `payments_result?traceId=` answers for one as for an unknown trace.
    pub pay_link_key: PayLinkKey,
    /// Settlement assets that cannot settle a quoted amount:
    /// `settlement_assets?quoteAssetId&quoteAmount` answers `isAvailable: false`.
    pub unavailable_settlement: Vec<String>,
}

/// What `payments_result` finds a pay link by.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum PayLinkKey {
    /// Its traceId, or its orderId with the payeeId.
    #[default]
    TraceId,
    /// Its orderId with the payeeId only.
    OrderId,
}

/// MixPay's message for an error code a test makes `payments_result` answer.
pub fn result_error_message(code: i64) -> &'static str {
    match code {
        -1 => "Server error",
        1017 | 10011 => "Invalid parameters",
        1429 => "Too many requests",
        2000 => "Insufficient permissions",
        10007 => "We can not provide service to you",
        10008 => "Payments are suspended for maintenance",
        10034 => "Price exception, please try again later",
        40022 => "TraceId does not exist",
        _ => "Request failed",
    }
}

/// The two answers MixPay may give for a payment it has never seen.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum UnknownTraceAnswer {
    /// `{"status": "unpaid"}`.
    #[default]
    Unpaid,
    /// An error envelope: code 10011, HTTP 400.
    Error,
}

#[derive(Clone, Debug, Default)]
pub struct Faults {
    pub spec: FaultSpec,
    pub storm_until_ms: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    RateLimited,
    Drop,
    /// With the HTTP status to answer.
    ServerError(u16),
    Malformed,
}

impl Faults {
    pub fn set(&mut self, spec: FaultSpec, now_ms: i64) {
        self.storm_until_ms = now_ms + (spec.rate_limit_storm * 1000.0) as i64;
        self.spec = spec;
    }

    pub fn applies_to(&self, path: &str) -> bool {
        self.spec.endpoints.is_empty()
            || self
                .spec
                .endpoints
                .iter()
                .any(|e| path.contains(e.as_str()))
    }

    /// The fault, if any, for one request to `path`; `roll` draws in [0, 1).
    pub fn pick(&self, path: &str, now_ms: i64, mut roll: impl FnMut() -> f64) -> Option<Fault> {
        if !self.applies_to(path) {
            return None;
        }
        if now_ms < self.storm_until_ms {
            return Some(Fault::RateLimited);
        }
        let hit = |rate: f64, roll: &mut dyn FnMut() -> f64| rate > 0.0 && roll() < rate;
        if hit(self.spec.drop_rate, &mut roll) {
            Some(Fault::Drop)
        } else if hit(self.spec.error_rate, &mut roll) {
            Some(Fault::ServerError(
                self.spec
                    .error_status
                    .filter(|s| (500..600).contains(s))
                    .unwrap_or(500),
            ))
        } else if hit(self.spec.malformed_rate, &mut roll) {
            Some(Fault::Malformed)
        } else {
            None
        }
    }

    /// The latency for one request to `path` with `query` (the URL's part
    /// after `?`, if any).
    pub fn latency_ms(&self, path: &str, query: Option<&str>) -> u64 {
        let names_slow = || {
            query.unwrap_or_default().split('&').any(|pair| {
                pair.split_once('=')
                    .is_some_and(|(_, value)| self.spec.slow_traces.iter().any(|t| t == value))
            })
        };
        if self.applies_to(path) && (self.spec.slow_traces.is_empty() || names_slow()) {
            self.spec.latency_ms
        } else {
            0
        }
    }
}

/// MixPay's limit: 60 requests in any 60 s per client, all endpoints together.
#[derive(Default)]
pub struct RateLimiter {
    pub enabled: bool,
    seen: HashMap<IpAddr, VecDeque<i64>>,
}

/// The outcome of counting one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateCheck {
    pub allowed: bool,
    pub remaining: usize,
}

impl RateLimiter {
    pub fn new(enabled: bool) -> Self {
        RateLimiter {
            enabled,
            seen: HashMap::new(),
        }
    }

    pub fn check(&mut self, client: IpAddr, now_ms: i64) -> RateCheck {
        if !self.enabled {
            return RateCheck {
                allowed: true,
                remaining: RATE_LIMIT,
            };
        }
        let times = self.seen.entry(client).or_default();
        while times.front().is_some_and(|t| now_ms - t >= RATE_WINDOW_MS) {
            times.pop_front();
        }
        if times.len() >= RATE_LIMIT {
            return RateCheck {
                allowed: false,
                remaining: 0,
            };
        }
        times.push_back(now_ms);
        RateCheck {
            allowed: true,
            remaining: RATE_LIMIT - times.len(),
        }
    }

    pub fn clear(&mut self) {
        self.seen.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixty_per_rolling_minute() {
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let mut rl = RateLimiter::new(true);
        for i in 0..60 {
            let c = rl.check(ip, i * 100);
            assert!(c.allowed);
            assert_eq!(c.remaining, 59 - i as usize);
        }
        assert!(!rl.check(ip, 6_000).allowed);
        // The first request leaves the window at 60 s.
        assert!(rl.check(ip, 60_000).allowed);
        assert!(!rl.check(ip, 60_050).allowed);
        assert!(RateLimiter::new(false).check(ip, 0).allowed);
    }

    #[test]
    fn latency_for_the_slow_traces_only() {
        let mut f = Faults::default();
        f.set(
            FaultSpec {
                latency_ms: 1500,
                endpoints: vec!["payments_result".into()],
                ..Default::default()
            },
            0,
        );
        assert_eq!(f.latency_ms("/v1/payments_result", Some("traceId=a")), 1500);
        assert_eq!(f.latency_ms("/v1/setting/quote_assets", None), 0);
        f.set(
            FaultSpec {
                latency_ms: 1500,
                endpoints: vec!["payments_result".into()],
                slow_traces: vec!["slow-1".into(), "T1-0002".into()],
                ..Default::default()
            },
            0,
        );
        assert_eq!(f.latency_ms("/v1/payments_result", Some("traceId=slow-1")), 1500);
        assert_eq!(f.latency_ms("/v1/payments_result", Some("orderId=T1-0002&payeeId=p")), 1500);
        assert_eq!(f.latency_ms("/v1/payments_result", Some("traceId=slow-10")), 0);
        assert_eq!(f.latency_ms("/v1/payments_result", Some("traceId=fast")), 0);
        assert_eq!(f.latency_ms("/v1/payments_result", None), 0);
    }

    #[test]
    fn faults_only_where_asked() {
        let mut f = Faults::default();
        f.set(
            FaultSpec {
                error_rate: 1.0,
                endpoints: vec!["payments_result".into()],
                ..Default::default()
            },
            0,
        );
        assert_eq!(
            f.pick("/v1/payments_result", 0, || 0.5),
            Some(Fault::ServerError(500))
        );
        assert_eq!(f.pick("/v1/setting/quote_assets", 0, || 0.5), None);
        f.set(
            FaultSpec {
                rate_limit_storm: 2.0,
                ..Default::default()
            },
            1000,
        );
        assert_eq!(
            f.pick("/v1/anything", 2999, || 0.5),
            Some(Fault::RateLimited)
        );
        assert_eq!(f.pick("/v1/anything", 3000, || 0.5), None);
    }
}
