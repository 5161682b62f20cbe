//! The one error type of the MixPay client, with messages a cashier can act on.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// No answer: offline, DNS, CORS, or the connection was cut.
    Network,
    /// No answer in time.
    Timeout,
    /// 429 or code 1429.
    RateLimited,
    /// HTTP 5xx or code -1.
    Server { status: u16 },
    /// An answer that is not MixPay's envelope.
    Malformed(String),
    /// MixPay's envelope with `success=false` or a non-zero code.
    Refused { code: i64, message: String },
    /// The address is not one of MixPay's pinned origins: never sent.
    NotPinned(crate::domain::origins::OriginProblem),
}

impl ApiError {
    /// Trouble with the connection to MixPay itself (no answer, a timeout, a
    /// 5xx, an unreadable body, the rate limit), as opposed to an answer
    /// about one request. Only this means "reconnecting", and only this backs
    /// off the whole device; an error envelope about one traceId does not.
    pub fn is_connection_trouble(&self) -> bool {
        match self {
            ApiError::Network
            | ApiError::Timeout
            | ApiError::RateLimited
            | ApiError::Server { .. }
            | ApiError::Malformed(_) => true,
            ApiError::Refused { .. } | ApiError::NotPinned(_) => false,
        }
    }
}

impl ApiError {
    /// MixPay refusing a one-time payment because its traceId (or orderId)
    /// is already used: a create whose answer was lost did arrive, and its
    /// code cannot be had again. A refusal, worded "already used/exists" or
    /// "duplicate"; never "does not exist".
    pub fn is_already_used(&self) -> bool {
        let ApiError::Refused { message, .. } = self else {
            return false;
        };
        let m = message.to_ascii_lowercase();
        m.contains("already")
            || m.contains("duplicat")
            || (m.contains("exist") && !m.contains("not exist") && !m.contains("n't exist"))
    }
}

/// Worded by the message catalogue, in the language on screen.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::i18n::api_error(crate::i18n::current(), self))
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_for_people() {
        let refused = |code, m: &str| {
            ApiError::Refused {
                code,
                message: m.into(),
            }
            .to_string()
        };
        assert!(refused(10001, "User does not exist").contains("payee does not exist"));
        assert!(refused(1017, "quoteAmount is required").contains("quoteAmount is required"));
        assert!(refused(10004, "").contains("too low"));
        assert_eq!(refused(77, ""), "MixPay refused the request (code 77).");
        assert!(ApiError::Network.to_string().contains("internet"));
    }

    #[test]
    fn a_trace_already_used_is_told_apart() {
        let refused = |message: &str| ApiError::Refused { code: 10011, message: message.into() };
        for yes in ["traceId or orderId already used", "TraceId already exists", "Duplicate traceId", "orderId exists"] {
            assert!(refused(yes).is_already_used(), "{yes}");
        }
        for no in ["traceId does not exist", "TraceId doesn't exist", "quoteAmount is required", ""] {
            assert!(!refused(no).is_already_used(), "{no}");
        }
        assert!(!ApiError::Timeout.is_already_used());
    }

    #[test]
    fn a_price_exception_says_to_try_again() {
        let volatile = ApiError::Refused {
            code: 10034,
            message: "price exception".into(),
        };
        assert!(volatile.to_string().contains("Try again"));
    }

    #[test]
    fn an_answer_about_one_request_is_not_an_outage() {
        for e in [
            ApiError::Network,
            ApiError::Timeout,
            ApiError::RateLimited,
            ApiError::Server { status: 502 },
            ApiError::Malformed("x".into()),
        ] {
            assert!(e.is_connection_trouble(), "{e:?}");
        }
        for code in [10011, -3, 1017, 10034, 10008] {
            let e = ApiError::Refused {
                code,
                message: String::new(),
            };
            assert!(!e.is_connection_trouble(), "{code}");
        }
    }
}
