//! Requests to MixPay from the browser. Every request takes a slot of the
//! device-wide budget first (so all polls of all tabs stay under the rate limit),
//! has a timeout, and is aborted if its future is dropped (unmount, cancel).

use std::cell::RefCell;

use futures::future::{select, Either};
use gloo_net::http::{Request, RequestBuilder};
use gloo_timers::future::TimeoutFuture;
use crate::domain::json::Value;
use web_sys::AbortController;

use super::error::ApiError;
use super::parse;
use crate::domain::clock_offset::ClockOffset;
use crate::domain::origins::{BaseKind, Pinned};
use crate::domain::settings::{QuoteAsset, SettlementAsset};
use crate::domain::status::PaymentResult;

/// How long one request may take before it counts as failed.
const TIMEOUT_MS: u32 = 10_000;

/// Told the new offset when an answer changes it.
type ClockListener = Box<dyn Fn(Option<i64>)>;

/// The `<meta>` in which a test or demo build names the simulator's origin
/// (written by `scripts/csp.mjs`, with the same origin in its policy).
const EXTRA_ORIGINS_META: &str = "mixpay-extra-origins";

thread_local! {
    static PINNED: Pinned = Pinned::with_extra(
        &web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&format!("meta[name={EXTRA_ORIGINS_META}]")).ok().flatten())
            .and_then(|m| m.get_attribute("content"))
            .unwrap_or_default(),
    );
    static CLOCK: RefCell<ClockOffset> = RefCell::new(ClockOffset::default());
    static CLOCK_LISTENER: RefCell<Option<ClockListener>> = const { RefCell::new(None) };
}

/// The origins this build may talk to: MixPay's, and the simulator's in a
/// test or demo build.
pub fn pinned() -> Pinned {
    PINNED.with(Clone::clone)
}

/// MixPay's clock minus the device's, from the answers seen so far.
pub fn clock_offset_ms() -> Option<i64> {
    CLOCK.with(|c| c.borrow().offset_ms())
}

/// The time on MixPay's clock now (the device's until MixPay has answered).
pub fn mixpay_now_ms() -> i64 {
    CLOCK.with(|c| c.borrow().mixpay_now(crate::clock::now_ms()))
}

/// Calls `listener` with the new offset whenever an answer changes it.
pub fn on_clock_offset(listener: impl Fn(Option<i64>) + 'static) {
    CLOCK_LISTENER.with(|l| *l.borrow_mut() = Some(Box::new(listener)));
}

fn record_server_time(server_ms: i64) {
    let (before, after) = CLOCK.with(|c| {
        let mut c = c.borrow_mut();
        let before = c.offset_ms();
        c.record(server_ms, crate::clock::now_ms());
        (before, c.offset_ms())
    });
    if before != after {
        CLOCK_LISTENER.with(|l| {
            if let Some(listener) = l.borrow().as_ref() {
                listener(after);
            }
        });
    }
}

/// Aborts the fetch when dropped, whether it finished or not.
struct AbortOnDrop(AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MixPayClient {
    /// e.g. `https://api.mixpay.me/v1`, no trailing slash.
    pub api_base: String,
}

impl MixPayClient {
    pub fn new(api_base: &str) -> Self {
        MixPayClient {
            api_base: api_base.trim().trim_end_matches('/').to_string(),
        }
    }

    fn url(&self, path_and_query: &str) -> String {
        format!("{}{}", self.api_base, path_and_query)
    }

    /// Sends a request; the answer's `data` and its whole body.
    async fn send(
        &self,
        build: impl FnOnce(&web_sys::AbortSignal) -> Result<Request, ApiError>,
    ) -> Result<(Value, String), ApiError> {
        // Checked here, at the one place requests leave, whatever the caller.
        pinned()
            .check(BaseKind::Api, &self.api_base)
            .map_err(ApiError::NotPinned)?;
        super::budget::take().await;
        let controller = AbortController::new().map_err(|_| ApiError::Network)?;
        let guard = AbortOnDrop(controller);
        let request = build(&guard.0.signal())?;
        let exchange = async {
            let response = request.send().await.map_err(|_| ApiError::Network)?;
            let status = response.status();
            if let Some(left) = response
                .headers()
                .get("x-ratelimit-remaining")
                .and_then(|v| v.trim().parse::<i64>().ok())
            {
                super::budget::remaining(left);
            }
            // A cut connection fails while reading the body: that is a network error.
            let body = response.text().await.map_err(|_| ApiError::Network)?;
            let (data, server_ms) = parse::read_envelope(status, &body);
            if let Some(ms) = server_ms {
                record_server_time(ms);
            }
            if matches!(data, Err(ApiError::RateLimited)) {
                super::budget::rate_limited();
            } else {
                super::budget::answered();
            }
            data.map(|d| (d, body))
        };
        let outcome = select(Box::pin(exchange), TimeoutFuture::new(TIMEOUT_MS)).await;
        match outcome {
            Either::Left((result, _)) => result,
            Either::Right(_) => Err(ApiError::Timeout),
        }
        // `guard` drops here and aborts a request that timed out.
    }

    async fn get(&self, path_and_query: &str) -> Result<Value, ApiError> {
        let url = self.url(path_and_query);
        self.send(|signal| {
            with_signal(Request::get(&url), signal)
                .build()
                .map_err(|_| ApiError::Network)
        })
        .await
        .map(|(data, _)| data)
    }

    /// The payment's result. Always with `with=payment`: the only documented
    /// way to tell an underpayment from a payment that is confirming. Never
    /// from a cache: every poll must reach MixPay.
    pub async fn payments_result(&self, trace_id: &str) -> Result<PaymentResult, ApiError> {
        let query = format!("traceId={}", crate::domain::link::url_encode(trace_id));
        Ok(self.result_body(&query).await?.0)
    }

    /// The payment MixPay knows by `order_id` for `payee_id` (a pay link the
    /// payer opened by orderId, a sale this device lost): its result and the
    /// answer's own `orderId` and `date` (empty / `None` when absent).
    pub async fn payments_result_by_order(
        &self,
        order_id: &str,
        payee_id: &str,
    ) -> Result<(PaymentResult, String, Option<i64>), ApiError> {
        use crate::domain::link::url_encode;
        let query = format!("orderId={}&payeeId={}", url_encode(order_id), url_encode(payee_id));
        let (result, body) = self.result_body(&query).await?;
        let (order, date) = parse::order_and_date(&body);
        Ok((result, order, date))
    }

    async fn result_body(&self, query: &str) -> Result<(PaymentResult, String), ApiError> {
        let url = self.url(&format!("/payments_result?{query}&with=payment"));
        let (_, body) = self
            .send(|signal| {
                with_signal(Request::get(&url), signal)
                    .cache(web_sys::RequestCache::NoStore)
                    .build()
                    .map_err(|_| ApiError::Network)
            })
            .await?;
        Ok((parse::payment_result(&body)?, body))
    }

    /// Creates a one-time payment from its form fields
    /// (`PaymentParams::one_time_form`). Posted as a form, which is a
    /// "simple" cross-origin request: no CORS preflight, one round trip.
    pub async fn one_time_payment(&self, form: &str) -> Result<String, ApiError> {
        let url = self.url("/one_time_payment");
        let data = self
            .send(|signal| {
                with_signal(Request::post(&url), signal)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(form)
                    .map_err(|e| ApiError::Malformed(e.to_string()))
            })
            .await?
            .0;
        parse::one_time_code(&data)
    }

    /// MixPay's lists are asked with the payee: a payee may have its own
    /// assets and limits (an empty payee asks for the general list).
    pub async fn quote_assets(&self, payee_id: &str) -> Result<Vec<QuoteAsset>, ApiError> {
        parse::quote_assets(&self.get(&with_payee("/setting/quote_assets", payee_id)).await?)
    }

    pub async fn settlement_assets(&self, payee_id: &str) -> Result<Vec<SettlementAsset>, ApiError> {
        parse::settlement_assets(&self.get(&with_payee("/setting/settlement_assets", payee_id)).await?)
    }

    /// Whether `asset_id` can settle `quote_amount` of `quote_asset_id` for
    /// this payee (`isAvailable` of `settlement_assets` asked with the quote);
    /// `None` when MixPay's answer does not say.
    pub async fn can_settle(
        &self,
        payee_id: &str,
        quote_asset_id: &str,
        quote_amount: &str,
        asset_id: &str,
    ) -> Result<Option<bool>, ApiError> {
        use crate::domain::link::url_encode;
        let path = format!(
            "{}&quoteAssetId={}&quoteAmount={}",
            with_payee("/setting/settlement_assets", payee_id),
            url_encode(quote_asset_id),
            url_encode(quote_amount)
        );
        Ok(parse::settlement_available(&self.get(&path).await?, asset_id))
    }

    /// A Mixin ID number to the payee's UUID.
    pub async fn mixin_uuid(&self, mixin_id: &str) -> Result<String, ApiError> {
        let data = self
            .get(&format!(
                "/user/mixin_uuid/{}",
                crate::domain::link::url_encode(mixin_id)
            ))
            .await?;
        parse::payee_id(&data)
    }
}

/// `path?payeeId=…` (`path?` alone for no payee, so a query can follow).
fn with_payee(path: &str, payee_id: &str) -> String {
    format!("{path}?payeeId={}", crate::domain::link::url_encode(payee_id.trim()))
}

fn with_signal(builder: RequestBuilder, signal: &web_sys::AbortSignal) -> RequestBuilder {
    builder.abort_signal(Some(signal))
}
