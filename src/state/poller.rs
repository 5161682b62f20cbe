//! Polls `payments_result` for one sale: one request at a time, the next
//! scheduled only after the previous answered, backing off on errors, woken
//! early when the tab becomes visible or the network returns. It runs inside
//! a scoped task (`tasks::spawn_scoped`), so unmounting stops it and aborts
//! the request in flight.

use futures::channel::mpsc;
use futures::future::{select, Either};
use futures::StreamExt;
use gloo_timers::future::TimeoutFuture;

use crate::api::{ApiError, MixPayClient};
use crate::domain::schedule::PollSchedule;
use crate::domain::status::PaymentResult;

pub enum PollEvent {
    Answer(PaymentResult),
    /// A failed check; `retry_in_ms` is the backoff before the next.
    Failed { error: ApiError, retry_in_ms: u32 },
}

/// Whether to keep polling after an event.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    Going,
    Stop,
}

/// Sends to this to check at once instead of at the next tick.
pub type Wake = mpsc::UnboundedSender<()>;

pub fn wake_channel() -> (Wake, mpsc::UnboundedReceiver<()>) {
    mpsc::unbounded()
}

/// Checks until `on_event` says stop or every `Wake` is dropped.
pub async fn poll_payment(
    client: MixPayClient,
    trace_id: String,
    mut woken: mpsc::UnboundedReceiver<()>,
    mut on_event: impl FnMut(PollEvent) -> Keep,
) {
    let mut schedule = PollSchedule::default();
    loop {
        let (keep, delay) = match client.payments_result(&trace_id).await {
            Ok(result) => (on_event(PollEvent::Answer(result)), schedule.succeeded()),
            Err(error) => {
                let retry_in_ms = schedule.failed(js_sys::Math::random());
                (on_event(PollEvent::Failed { error, retry_in_ms }), retry_in_ms)
            }
        };
        if keep == Keep::Stop {
            return;
        }
        // A wake-up that came during the request is answered by it.
        while woken.try_recv().is_ok() {}
        match select(TimeoutFuture::new(delay), woken.next()).await {
            Either::Left(_) | Either::Right((Some(()), _)) => {}
            Either::Right((None, _)) => return,
        }
    }
}
