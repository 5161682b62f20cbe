//! Where the app may send a shop's money questions: MixPay's API and pay
//! pages only. A build for the tests or the demo adds the local simulator's
//! origin (a pattern such as `http://127.0.0.1:*`), declared by the build in
//! `index.html` beside the Content Security Policy that allows the same.

pub const MIXPAY_API_BASE: &str = "https://api.mixpay.me/v1";
pub const MIXPAY_PAY_BASE: &str = "https://mixpay.me";

/// Which base a check is about (the words differ, the rule is the same).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaseKind {
    Api,
    Pay,
}

/// Why a base is refused; `i18n::origin_problem` words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OriginProblem {
    /// Not MixPay's address (nor the build's extra origin).
    NotMixPay(BaseKind),
    /// Plain http away from this device.
    PlainHttp(BaseKind),
}

impl BaseKind {
    /// MixPay's own base of this kind, the one always allowed.
    pub fn mixpay(self) -> &'static str {
        match self {
            BaseKind::Api => MIXPAY_API_BASE,
            BaseKind::Pay => MIXPAY_PAY_BASE,
        }
    }
}

/// The pinned origins of this build: MixPay's, plus the extra origin
/// patterns a test or demo build declares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pinned {
    extra: Vec<String>,
}

/// `scheme://host[:port]` of a URL, lower-case, and whatever follows it.
fn split_origin(url: &str) -> Option<(String, String, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    if authority.is_empty() || authority.contains('@') || authority.contains(char::is_whitespace)
    {
        return None;
    }
    Some((scheme, authority.to_ascii_lowercase(), path))
}

fn host_of(authority: &str) -> &str {
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or("");
    }
    authority.split(':').next().unwrap_or("")
}

/// Loopback hosts: `http:` is only ever accepted for these.
pub fn is_loopback(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "::1")
}

impl Pinned {
    /// MixPay's origins alone: what a shop's build allows.
    pub fn mixpay_only() -> Self {
        Pinned::default()
    }

    /// MixPay's origins and the extra patterns a build declares, separated
    /// by spaces (`http://127.0.0.1:*`). Patterns that are not loopback
    /// origins are ignored: a build may add the simulator, nothing else.
    pub fn with_extra(extra: &str) -> Self {
        let extra = extra
            .split_whitespace()
            .filter(|p| {
                split_origin(p).is_some_and(|(scheme, authority, path)| {
                    (scheme == "http" || scheme == "https")
                        && path.is_empty()
                        && is_loopback(host_of(&authority))
                })
            })
            .map(|p| p.to_ascii_lowercase())
            .collect();
        Pinned { extra }
    }

    pub fn extra(&self) -> &[String] {
        &self.extra
    }

    fn extra_allows(&self, scheme: &str, authority: &str) -> bool {
        let origin = format!("{scheme}://{authority}");
        self.extra.iter().any(|p| match p.strip_suffix(":*") {
            // Any port of that host, or none.
            Some(host_part) => {
                origin == host_part
                    || origin
                        .strip_prefix(host_part)
                        .and_then(|rest| rest.strip_prefix(':'))
                        .is_some_and(|port| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
            }
            None => origin == *p,
        })
    }

    /// The base, normalised (no trailing slash), or why it is refused.
    pub fn check(&self, kind: BaseKind, base: &str) -> Result<String, OriginProblem> {
        let base = base.trim().trim_end_matches('/');
        if base == kind.mixpay() {
            return Ok(base.to_string());
        }
        let refused = || OriginProblem::NotMixPay(kind);
        let Some((scheme, authority, path)) = split_origin(base) else {
            return Err(refused());
        };
        if path.contains(['?', '#']) {
            return Err(refused());
        }
        if scheme == "http" && !is_loopback(host_of(&authority)) {
            return Err(OriginProblem::PlainHttp(kind));
        }
        if self.extra_allows(&scheme, &authority) {
            Ok(base.to_string())
        } else {
            Err(refused())
        }
    }

    pub fn allows(&self, kind: BaseKind, base: &str) -> bool {
        self.check(kind, base).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shop_build_allows_mixpay_only() {
        let p = Pinned::mixpay_only();
        assert_eq!(
            p.check(BaseKind::Api, "https://api.mixpay.me/v1/"),
            Ok(MIXPAY_API_BASE.into())
        );
        assert!(p.allows(BaseKind::Pay, "https://mixpay.me"));
        for bad in [
            "https://api.mixpay.me.evil.example/v1",
            "https://evil.example/v1",
            "https://api.mixpay.me/v2",
            "https://api.mixpay.me@evil.example/v1",
            "http://api.mixpay.me/v1",
            "http://127.0.0.1:8787/v1",
            "",
            "api.mixpay.me/v1",
        ] {
            assert!(!p.allows(BaseKind::Api, bad), "{bad} allowed");
        }
        assert_eq!(
            p.check(BaseKind::Api, "https://evil.example/v1"),
            Err(OriginProblem::NotMixPay(BaseKind::Api))
        );
        assert!(!p.allows(BaseKind::Pay, "https://mixpay.me.evil.example"));
    }

    #[test]
    fn a_test_build_adds_the_local_simulator() {
        let p = Pinned::with_extra("http://127.0.0.1:*");
        assert!(p.allows(BaseKind::Api, "http://127.0.0.1:8787/v1"));
        assert!(p.allows(BaseKind::Pay, "http://127.0.0.1:39123"));
        assert!(p.allows(BaseKind::Api, MIXPAY_API_BASE), "MixPay stays allowed");
        assert!(!p.allows(BaseKind::Api, "http://127.0.0.1.evil.example:8787/v1"));
        assert!(!p.allows(BaseKind::Api, "http://localhost:8787/v1"));
        assert!(!p.allows(BaseKind::Api, "https://evil.example/v1"));
        let fixed = Pinned::with_extra("http://127.0.0.1:8787");
        assert!(fixed.allows(BaseKind::Api, "http://127.0.0.1:8787/v1"));
        assert!(!fixed.allows(BaseKind::Api, "http://127.0.0.1:8788/v1"));
    }

    #[test]
    fn http_is_refused_outside_localhost_whatever_a_build_declares() {
        let p = Pinned::with_extra("http://shop.example:* https://evil.example http://127.0.0.1:*");
        assert_eq!(p.extra(), ["http://127.0.0.1:*"]);
        assert_eq!(
            p.check(BaseKind::Api, "http://shop.example/v1"),
            Err(OriginProblem::PlainHttp(BaseKind::Api))
        );
        assert!(!p.allows(BaseKind::Api, "https://evil.example/v1"));
    }
}
