//! Request bodies cannot hold the server: every body must keep a minimum rate,
//! and the requests reading one share a pool of slots in which the slowest sender
//! gives way to a newcomer.
//!
//! Every route that reads a body is a `POST` under [`crate::rate_limited`], which
//! puts it in a [`Pool`]: the uploads (meldingen, follow-ups, the no-JavaScript
//! melding, the staff's bundles and confirmations) or the look-ups (API and
//! no-JavaScript form). Requests without a body use the general pool instead (see
//! [`general_pool`]), so slow bodies never keep `/healthz`, `/api/v1/config` or the
//! page from answering.
//!
//! - **Minimum rate.** A body must bring at least `min_body_bytes_per_window`
//!   bytes in every `body_rate_window_seconds` until it ends; one that falls
//!   behind is stopped with 408 and nothing is stored. So a stalled sender holds
//!   its slot for one window at most, and a small body (a look-up) must arrive
//!   whole within the first window.
//! - **Slowest gives way.** When a pool is full, a newcomer takes the slot of the
//!   member with the lowest average rate since it started, among those that have
//!   sent for at least [`grace`] ([`lookup_grace`] for look-ups) and are still
//!   sending; that member is stopped
//!   with 408. While every member is younger than the grace, newcomers wait in
//!   line, first come first served (at most one rate window); only one that gets
//!   no slot by then is refused (503, `Retry-After`). A sender who wants to keep a slot must therefore send
//!   faster than the others: bandwidth is the price, and a trickle buys nothing.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::task::AtomicWaker;
use http_body::Frame;

use crate::error::AppError;
use crate::{AppState, Class, pages, zonder_js};

/// The longest an upload's slot is safe from eviction while it shows its rate.
const MAX_GRACE: Duration = Duration::from_secs(2);
/// The same for a look-up, whose body of a hundred bytes or so comes with its head.
const MAX_LOOKUP_GRACE: Duration = Duration::from_millis(500);

/// How long an upload in a pool is safe from eviction: two seconds, or the rate
/// window if that is shorter.
pub fn grace(window: Duration) -> Duration {
    window.min(MAX_GRACE)
}

/// How long a look-up in its pool is safe from eviction: half a second, or the
/// rate window if that is shorter. A crowd of slow look-ups drains quickly.
pub fn lookup_grace(window: Duration) -> Duration {
    window.min(MAX_LOOKUP_GRACE)
}

/// What a body's reader and its pool share: bytes so far, and the flags that stop
/// or spare it.
#[derive(Debug, Default)]
pub struct Meter {
    bytes: AtomicU64,
    /// Set by the pool when a newcomer took this slot.
    evicted: AtomicBool,
    /// Set by the body when it stopped the reader: below the minimum rate, or
    /// evicted while the reader still wanted bytes.
    cut_off: AtomicBool,
    /// Set when the body has ended: it can no longer be evicted.
    done: AtomicBool,
    waker: AtomicWaker,
}

impl Meter {
    fn evict(&self) {
        self.evicted.store(true, Ordering::Release);
        self.waker.wake();
    }

    /// Whether the body was cut off for being slow (evicted or below the rate).
    /// An eviction that came after the reader had all it wanted cuts nothing
    /// off: that request's answer stands.
    pub fn stopped(&self) -> bool {
        self.cut_off.load(Ordering::Acquire)
    }
}

struct Member {
    id: u64,
    started: Instant,
    meter: Arc<Meter>,
}

/// A fixed number of slots for requests that read a body.
pub struct Pool {
    max: usize,
    grace: Duration,
    members: Mutex<(u64, Vec<Member>)>,
    /// Newcomers waiting for a slot, first come first served.
    line: Mutex<(u64, std::collections::VecDeque<u64>)>,
}

impl Pool {
    pub fn new(max: usize, grace: Duration) -> Arc<Pool> {
        Arc::new(Pool {
            max,
            grace,
            members: Mutex::new((0, Vec::with_capacity(max))),
            line: Mutex::new((0, std::collections::VecDeque::new())),
        })
    }

    /// A place at the end of the line of newcomers.
    fn queue(self: &Arc<Self>) -> InLine {
        let mut line = self
            .line
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        line.0 += 1;
        let ticket = line.0;
        line.1.push_back(ticket);
        InLine {
            pool: Arc::clone(self),
            ticket,
        }
    }

    fn line_is_empty(&self) -> bool {
        let line = self
            .line
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        line.1.is_empty()
    }

    fn first_in_line(&self, ticket: u64) -> bool {
        let line = self
            .line
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        line.1.front() == Some(&ticket)
    }

    /// Members at the moment.
    pub fn len(&self) -> usize {
        self.lock().1.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, Vec<Member>)> {
        // A panic while holding this lock leaves a consistent list; keep going.
        self.members
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A slot, if one is free or can be taken from the slowest member past its
    /// grace; `None` if the pool is full of members that may stay.
    pub fn join(self: &Arc<Self>) -> Option<Slot> {
        let now = Instant::now();
        let mut guard = self.lock();
        let (next_id, members) = &mut *guard;
        if members.len() >= self.max {
            let victim = members
                .iter()
                .enumerate()
                .filter(|(_, m)| {
                    now.duration_since(m.started) >= self.grace
                        && !m.meter.done.load(Ordering::Acquire)
                })
                .min_by(|(_, a), (_, b)| {
                    let rate = |m: &Member| {
                        m.meter.bytes.load(Ordering::Relaxed) as f64
                            / now.duration_since(m.started).as_secs_f64().max(1e-3)
                    };
                    rate(a).total_cmp(&rate(b))
                })
                .map(|(i, _)| i)?;
            members.swap_remove(victim).meter.evict();
        }
        *next_id += 1;
        let meter = Arc::new(Meter::default());
        members.push(Member {
            id: *next_id,
            started: now,
            meter: Arc::clone(&meter),
        });
        Some(Slot {
            pool: Arc::clone(self),
            id: *next_id,
            meter,
        })
    }
}

/// A newcomer's place in the line for a full pool; left when dropped.
struct InLine {
    pool: Arc<Pool>,
    ticket: u64,
}

impl Drop for InLine {
    fn drop(&mut self) {
        let mut line = self
            .pool
            .line
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(i) = line.1.iter().position(|t| *t == self.ticket) {
            line.1.remove(i);
        }
    }
}

/// A place in a [`Pool`]; given back when dropped (unless a newcomer took it).
pub struct Slot {
    pool: Arc<Pool>,
    id: u64,
    pub meter: Arc<Meter>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut guard = self.pool.lock();
        let members = &mut guard.1;
        if let Some(i) = members.iter().position(|m| m.id == self.id) {
            members.swap_remove(i);
        }
    }
}

/// Why a body stopped early.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error("the request body was sent too slowly")]
    TooSlow,
    #[error("the request body could not be read")]
    Broken(#[source] axum::Error),
}

/// A request body held to a minimum rate, which its pool can stop.
pub struct MinRate {
    inner: Body,
    meter: Arc<Meter>,
    window: Duration,
    min_bytes: u64,
    in_window: u64,
    timer: Pin<Box<tokio::time::Sleep>>,
}

impl MinRate {
    pub fn new(inner: Body, meter: Arc<Meter>, window: Duration, min_bytes: u64) -> MinRate {
        MinRate {
            inner,
            meter,
            window,
            min_bytes,
            in_window: 0,
            timer: Box::pin(tokio::time::sleep(window)),
        }
    }

    fn fail(&mut self) -> Poll<Option<Result<Frame<Bytes>, BodyError>>> {
        self.meter.cut_off.store(true, Ordering::Release);
        Poll::Ready(Some(Err(BodyError::TooSlow)))
    }
}

impl http_body::Body for MinRate {
    type Data = Bytes;
    type Error = BodyError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyError>>> {
        let this = &mut *self;
        this.meter.waker.register(cx.waker());
        if this.meter.evicted.load(Ordering::Acquire) {
            return this.fail();
        }
        loop {
            match Pin::new(&mut this.inner).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    if let Some(data) = frame.data_ref() {
                        let n = data.len() as u64;
                        this.in_window += n;
                        this.meter.bytes.fetch_add(n, Ordering::Relaxed);
                    }
                    return Poll::Ready(Some(Ok(frame)));
                }
                Poll::Ready(Some(Err(e))) => {
                    // The connection broke: not a slow sender, but unreadable.
                    this.meter.done.store(true, Ordering::Release);
                    return Poll::Ready(Some(Err(BodyError::Broken(e))));
                }
                Poll::Ready(None) => {
                    this.meter.done.store(true, Ordering::Release);
                    return Poll::Ready(None);
                }
                Poll::Pending => {}
            }
            // Nothing to read: has the window run out?
            match this.timer.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(()) => {
                    if this.in_window < this.min_bytes {
                        return this.fail();
                    }
                    this.in_window = 0;
                    // A window in which the handler did not read (the sender
                    // could not send) does not count against the sender.
                    let now = tokio::time::Instant::now();
                    let mut next = this.timer.deadline() + this.window;
                    if next <= now {
                        next = now + this.window;
                    }
                    this.timer.as_mut().reset(next);
                    // Poll the inner body and the new timer again, so both wake us.
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// The pool a body-reading route of `class` belongs to.
fn pool_of(state: &AppState, class: Class) -> &Arc<Pool> {
    match class {
        Class::Lookups => &state.lookups,
        Class::Submissions | Class::Staff => &state.uploads,
    }
}

/// Middleware on every rate-limited route: a `POST` takes a slot in its class's
/// pool (503 at once if none can be had) and its body is held to the minimum
/// rate; if it is stopped for being slow the answer is 408, whatever the handler
/// made of the broken body. Other methods (the staff export) have no body to read
/// and pass to the general pool.
pub async fn limit(
    State((state, class)): State<(AppState, Class)>,
    req: Request,
    next: Next,
) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let form = req.uri().path().starts_with("/zonder-js");
    let lang = pages::lang_of_query(req.uri().query());
    let refuse = |e: AppError| {
        let mut resp = if form {
            zonder_js::form_error(lang, e)
        } else {
            e.into_response()
        };
        // Do not wait for the rest of a body we will not read.
        resp.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        resp
    };
    let l = &state.config.limits;
    // A newcomer waits in line at most one rate window.
    let Some(slot) = wait_for_slot(pool_of(&state, class), l.body_rate_window).await else {
        let mut resp = refuse(AppError::Busy);
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        return resp;
    };
    let (window, min) = (l.body_rate_window, l.min_body_bytes_per_window);
    let meter = Arc::clone(&slot.meter);
    let req = req.map(|b| Body::new(MinRate::new(b, Arc::clone(&meter), window, min)));
    let resp = next.run(req).await;
    drop(slot);
    if meter.stopped() {
        return refuse(AppError::Timeout);
    }
    resp
}

/// How often a newcomer looks again for a slot in a full pool.
const RETRY_EVERY: Duration = Duration::from_millis(50);

/// A slot in `pool`. When it is full of members within their grace, the
/// newcomer waits in line, first come first served, until one has shown its rate
/// and the slowest can give way. The line drains at about `max / grace` a second,
/// faster than the rate limits let newcomers in with the defaults (16 uploads per
/// 2 s against 2 submissions a second; 64 look-ups per half second against 20 a
/// second),
/// so a newcomer behind a crowd of slow senders still gets its turn. `None` only
/// if no slot came within `patience`.
async fn wait_for_slot(pool: &Arc<Pool>, patience: Duration) -> Option<Slot> {
    if pool.line_is_empty()
        && let Some(slot) = pool.join()
    {
        return Some(slot);
    }
    let deadline = tokio::time::Instant::now() + patience;
    let place = pool.queue();
    loop {
        if pool.first_in_line(place.ticket)
            && let Some(slot) = pool.join()
        {
            drop(place);
            return Some(slot);
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(RETRY_EVERY).await;
    }
}

/// Middleware at the top of the app: requests without a body to read (every
/// method but `POST`) share `max_concurrent_requests` slots; beyond them the
/// answer is 503 at once. `POST` requests are limited by their route's pool (see
/// [`limit`]) or are refused by the router without reading their body.
pub async fn general_pool(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() == Method::POST {
        return next.run(req).await;
    }
    match Arc::clone(&state.requests).try_acquire_owned() {
        Ok(permit) => {
            let resp = next.run(req).await;
            drop(permit);
            resp
        }
        Err(_) => AppError::Busy.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_pool_gives_the_slowest_member_past_its_grace_to_a_newcomer() {
        let pool = Pool::new(2, Duration::ZERO);
        let slow = pool.join().unwrap();
        let fast = pool.join().unwrap();
        fast.meter.bytes.store(1_000_000, Ordering::Relaxed);
        slow.meter.bytes.store(10, Ordering::Relaxed);
        let newcomer = pool.join().unwrap();
        assert!(slow.meter.evicted.load(Ordering::Relaxed));
        assert!(!fast.meter.evicted.load(Ordering::Relaxed));
        assert_eq!(pool.len(), 2);
        // The evicted slot going away does not free the newcomer's place.
        drop(slow);
        assert_eq!(pool.len(), 2);
        drop(newcomer);
        drop(fast);
        assert!(pool.is_empty());
    }

    #[test]
    fn members_within_their_grace_or_finished_are_not_evicted() {
        let pool = Pool::new(1, Duration::from_secs(3600));
        let young = pool.join().unwrap();
        assert!(pool.join().is_none());
        assert!(!young.meter.evicted.load(Ordering::Relaxed));

        let pool = Pool::new(1, Duration::ZERO);
        let finished = pool.join().unwrap();
        finished.meter.done.store(true, Ordering::Relaxed);
        assert!(pool.join().is_none());
        drop(finished);
        assert!(pool.join().is_some());
    }
}
