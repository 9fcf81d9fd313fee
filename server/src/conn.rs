//! The connections: accepting them, timing them out, capping them, and the
//! answers hyper gives on its own.
//!
//! The server speaks HTTP/1.1 through hyper directly, not `axum::serve`, because
//! it needs hooks that does not offer:
//!
//! - **Header-read timeout.** A connection must send a complete request head
//!   within `header_read_timeout` of its start or of its previous response (hyper
//!   closes it otherwise, without an answer).
//! - **Idle timeout.** A connection that sends nothing at all for
//!   `keep_alive_timeout` after its start or its previous response is closed.
//! - **Send timeout.** An answer the client takes none of for `send_timeout`
//!   (it does not read) ends its connection, so a connection cannot be held busy by
//!   not reading a large response.
//! - **A cap on open connections**, `max_connections`, lowered at start to stay
//!   well below the process's open-file limit ([`effective_max_connections`]).
//!   At the cap a new connection takes the place of the connection that has been
//!   idle longest (waiting for, or reading, a request head), which is closed; only
//!   when every open connection has a request in progress is the new one closed at
//!   once. Accepting never stops on "too many open files": the loop waits a moment
//!   and goes on.
//! - **Security headers on hyper's own refusals.** Hyper answers a request head it
//!   cannot parse itself (400, 414, 431), without calling the app; the socket
//!   wrapper adds the app's security headers to that answer. Not possible: a
//!   connection hyper closes for a header-read timeout gets no answer at all, and
//!   an error answer that hyper queues behind the tail of an earlier response in
//!   one write is passed on unchanged.
//!
//! The peer address from `accept` is dropped at once: nothing here logs it or
//! hands it to the app.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{Request, Response};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tower::ServiceExt;

use crate::config::Limits;

/// Largest request head (request line and header fields) in bytes; hyper answers
/// 431 to a longer one. Small, because every open connection may hold one.
pub const MAX_HEAD_BYTES: usize = 32 << 10;
/// Largest read buffer of a connection.
const MAX_BUF_BYTES: usize = 64 << 10;
/// Most header fields in one request.
const MAX_HEADERS: usize = 64;

/// What the connections are held to; from the `[limits]` of the config.
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    pub max_connections: usize,
    pub header_read_timeout: Duration,
    pub keep_alive_timeout: Duration,
    pub send_timeout: Duration,
}

impl ConnLimits {
    pub fn from_limits(l: &Limits) -> ConnLimits {
        ConnLimits {
            max_connections: l.max_connections,
            header_read_timeout: l.header_read_timeout,
            keep_alive_timeout: l.keep_alive_timeout,
            send_timeout: l.send_timeout,
        }
    }
}

/// The process's open-file limit (the soft one), if it has one.
pub fn open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        rustix::process::getrlimit(rustix::process::Resource::Nofile).current
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// `configured`, lowered if need be so that open connections stay at most three
/// quarters of the open-file limit `nofile`: the rest is for the database, its
/// WAL, exports and the runtime. Never below 16.
pub fn effective_max_connections(configured: usize, nofile: Option<u64>) -> usize {
    match nofile {
        Some(n) => {
            let allowed = usize::try_from(n / 4 * 3).unwrap_or(usize::MAX);
            configured.min(allowed).max(16)
        }
        None => configured,
    }
}

/// Milliseconds since the registry started; cheap to store in an atomic.
#[derive(Clone, Copy)]
struct Clock(Instant);

impl Clock {
    fn now(self) -> u64 {
        self.0.elapsed().as_millis() as u64
    }
    fn at(self, ms: u64) -> tokio::time::Instant {
        tokio::time::Instant::from_std(self.0 + Duration::from_millis(ms))
    }
}

/// One open connection, as the registry and its task see it.
struct ConnState {
    id: u64,
    /// Requests in progress (from the call of the app to the end of the response body).
    busy: AtomicUsize,
    /// Requests this connection has started.
    started: AtomicU64,
    /// When the connection last became idle (its start or the end of its latest response).
    idle_since: AtomicU64,
    /// When a byte was last read from it.
    last_read: AtomicU64,
    close: Notify,
    /// Notified when a request ends.
    became_idle: Notify,
    /// Closed to make room for a newer connection.
    evicted: std::sync::atomic::AtomicBool,
}

/// The open connections, for the cap.
struct Registry {
    max: usize,
    clock: Clock,
    inner: Mutex<(u64, HashMap<u64, Arc<ConnState>>)>,
    refused: AtomicU64,
    evictions: AtomicU64,
    /// Connections chosen to make room whose sockets are not closed yet.
    closing: AtomicUsize,
    /// Notified when one of those is closed.
    closed: Notify,
}

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, HashMap<u64, Arc<ConnState>>)> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers a new connection, closing the longest-idle one if the cap is
    /// reached; `None` if every open connection is busy.
    fn admit(&self) -> Option<Arc<ConnState>> {
        let now = self.clock.now();
        let mut guard = self.lock();
        let (next, open) = &mut *guard;
        if open.len() >= self.max {
            let victim = open
                .values()
                .filter(|c| c.busy.load(Ordering::Acquire) == 0)
                // Ties (the same millisecond) go to the older connection.
                .min_by_key(|c| (c.idle_since.load(Ordering::Relaxed), c.id))
                .map(|c| c.id);
            let Some(victim) = victim else {
                self.refused.fetch_add(1, Ordering::Relaxed);
                return None;
            };
            if let Some(c) = open.remove(&victim) {
                tracing::trace!(
                    connection = c.id,
                    "closing the longest idle connection to make room"
                );
                c.evicted.store(true, Ordering::Release);
                self.closing.fetch_add(1, Ordering::AcqRel);
                c.close.notify_one();
                self.evictions.fetch_add(1, Ordering::Relaxed);
            }
        }
        *next += 1;
        let c = Arc::new(ConnState {
            id: *next,
            busy: AtomicUsize::new(0),
            started: AtomicU64::new(0),
            idle_since: AtomicU64::new(now),
            last_read: AtomicU64::new(0),
            close: Notify::new(),
            became_idle: Notify::new(),
            evicted: std::sync::atomic::AtomicBool::new(false),
        });
        open.insert(c.id, Arc::clone(&c));
        Some(c)
    }

    fn remove(&self, state: &ConnState) {
        self.lock().1.remove(&state.id);
        if state.evicted.load(Ordering::Acquire) {
            self.closing.fetch_sub(1, Ordering::AcqRel);
            self.closed.notify_one();
        }
    }
}

/// Counters of the connection handling, for tests and the benchmark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConnStats {
    /// Connections open now (not counting those being closed to make room).
    pub open: usize,
    /// Idle connections closed to make room for a new one.
    pub evicted: u64,
    /// New connections closed at once because every open one was busy.
    pub refused: u64,
}

/// A handle on a running server's connections.
#[derive(Clone)]
pub struct ConnHandle(Arc<Registry>);

impl ConnHandle {
    pub fn stats(&self) -> ConnStats {
        ConnStats {
            open: self.0.lock().1.len(),
            evicted: self.0.evictions.load(Ordering::Relaxed),
            refused: self.0.refused.load(Ordering::Relaxed),
        }
    }
}

/// A server for `app` on `listener` under `limits`, not yet running.
pub struct Server {
    listener: TcpListener,
    app: Router,
    limits: ConnLimits,
    registry: Arc<Registry>,
}

impl Server {
    pub fn new(listener: TcpListener, app: Router, limits: ConnLimits) -> Server {
        let registry = Arc::new(Registry {
            max: limits.max_connections,
            clock: Clock(Instant::now()),
            inner: Mutex::new((0, HashMap::new())),
            refused: AtomicU64::new(0),
            evictions: AtomicU64::new(0),
            closing: AtomicUsize::new(0),
            closed: Notify::new(),
        });
        Server {
            listener,
            app,
            limits,
            registry,
        }
    }

    pub fn handle(&self) -> ConnHandle {
        ConnHandle(Arc::clone(&self.registry))
    }

    /// Accepts and serves connections until `shutdown` completes; then stops
    /// accepting, lets requests in progress finish, closes idle connections, and
    /// returns once every connection is closed.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let Server {
            listener,
            app,
            limits,
            registry,
        } = self;
        let (stop_tx, stop_rx) = watch::channel(false);
        let mut tasks = tokio::task::JoinSet::new();
        let mut accept_errors = RateLimitedWarning::new("accepting a connection failed");
        let mut refusals = RateLimitedWarning::new(
            "every open connection is busy; new connections are closed at once",
        );
        // Sockets of evicted connections are closed by their own tasks; while
        // many are still open, accept no more, so that the descriptors in use stay
        // within the cap and this bound (and a flood of reconnects slows down).
        let max_closing = (limits.max_connections / 16).max(16);
        tokio::pin!(shutdown);
        'accept: loop {
            while registry.closing.load(Ordering::Acquire) >= max_closing {
                tokio::select! {
                    () = &mut shutdown => break 'accept,
                    () = registry.closed.notified() => {}
                }
            }
            let accepted = tokio::select! {
                () = &mut shutdown => break 'accept,
                r = listener.accept() => r,
            };
            while tasks.try_join_next().is_some() {}
            let stream = match accepted {
                // The peer address goes no further than this line.
                Ok((stream, _peer)) => stream,
                Err(e) => {
                    if !is_per_connection_error(&e) {
                        // Out of file descriptors or memory: wait a moment rather
                        // than spin; connections will close and free some.
                        accept_errors.warn(&e.to_string());
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                    continue;
                }
            };
            let Some(state) = registry.admit() else {
                refusals.warn("");
                drop(stream);
                continue;
            };
            tracing::trace!(connection = state.id, "connection accepted");
            tasks.spawn(serve_connection(
                stream,
                app.clone(),
                limits,
                Arc::clone(&registry),
                state,
                stop_rx.clone(),
            ));
        }
        drop(listener);
        stop_tx.send(true).ok();
        while tasks.join_next().await.is_some() {}
    }
}

/// Listens on `addr` with a backlog of 4,096, so that a burst of connections
/// waits in the kernel's queue rather than having its SYNs dropped.
pub fn bind(addr: std::net::SocketAddr) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(4096)
}

/// Errors of `accept` that concern one connection only (it was reset before we
/// took it): nothing to wait for.
fn is_per_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// A warning logged at most once a minute, with how often it happened.
struct RateLimitedWarning {
    what: &'static str,
    last: Option<Instant>,
    since: u64,
}

impl RateLimitedWarning {
    fn new(what: &'static str) -> Self {
        RateLimitedWarning {
            what,
            last: None,
            since: 0,
        }
    }

    fn warn(&mut self, detail: &str) {
        self.since += 1;
        if self
            .last
            .is_some_and(|t| t.elapsed() < Duration::from_secs(60))
        {
            return;
        }
        let times = std::mem::take(&mut self.since);
        if detail.is_empty() {
            tracing::warn!(times, "{}", self.what);
        } else {
            tracing::warn!(times, "{}: {detail}", self.what);
        }
        self.last = Some(Instant::now());
    }
}

async fn serve_connection(
    stream: TcpStream,
    app: Router,
    limits: ConnLimits,
    registry: Arc<Registry>,
    state: Arc<ConnState>,
    mut stop: watch::Receiver<bool>,
) {
    let clock = registry.clock;
    let io = TokioIo::new(Watched {
        inner: stream,
        state: Arc::clone(&state),
        clock,
        pending: Vec::new(),
        patched: false,
        send_timeout: limits.send_timeout,
        stalled: None,
    });
    let service = ConnService {
        app,
        state: Arc::clone(&state),
        clock,
    };
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true)
        .max_buf_size(MAX_BUF_BYTES)
        .max_header_size(MAX_HEAD_BYTES)
        .max_headers(MAX_HEADERS);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    let mut closing = false;
    loop {
        if *stop.borrow() {
            closing = true;
        }
        if closing {
            if state.started.load(Ordering::Acquire) == 0 {
                // It never sent a request: nothing to finish or flush, and hyper
                // would wait for its first request before closing.
                break;
            }
            conn.as_mut().graceful_shutdown();
            // Hyper closes an idle connection at once, a busy one after its
            // response.
            let _ = conn.as_mut().await;
            break;
        }
        let idle_since = state.idle_since.load(Ordering::Relaxed);
        // The idle timer runs only while the connection is idle and silent; once
        // it sends a byte of a head, hyper's header-read timeout takes over.
        let silent = state.busy.load(Ordering::Acquire) == 0
            && state.last_read.load(Ordering::Relaxed) <= idle_since;
        let idle_check = clock.at(idle_since) + limits.keep_alive_timeout;
        tokio::select! {
            // The connection's own errors (a client that went away, a head that
            // timed out) are its client's business, not the log's.
            _ = conn.as_mut() => break,
            () = state.close.notified() => closing = true,
            r = stop.changed() => closing = r.is_err() || *stop.borrow(),
            () = tokio::time::sleep_until(idle_check), if silent => {
                closing = silent_since_idle(&state, clock, limits.keep_alive_timeout);
                if closing {
                    tracing::trace!(connection = state.id, "closing a silent connection");
                }
            }
            // A request ended: look again.
            () = state.became_idle.notified() => {}
        }
    }
    tracing::trace!(
        connection = state.id,
        requests = state.started.load(Ordering::Relaxed),
        "connection closed"
    );
    registry.remove(&state);
}

/// Whether the connection is idle and has sent nothing for `timeout` since it
/// became idle.
fn silent_since_idle(state: &ConnState, clock: Clock, timeout: Duration) -> bool {
    let now = clock.now();
    let idle_since = state.idle_since.load(Ordering::Relaxed);
    state.busy.load(Ordering::Acquire) == 0
        && state.last_read.load(Ordering::Relaxed) <= idle_since
        && now.saturating_sub(idle_since) >= timeout.as_millis() as u64
}

/// The app as hyper's service on one connection, keeping the connection's
/// busy count.
#[derive(Clone)]
struct ConnService {
    app: Router,
    state: Arc<ConnState>,
    clock: Clock,
}

impl hyper::service::Service<Request<Incoming>> for ConnService {
    type Response = Response<Tracked>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response<Tracked>, Infallible>> + Send>>;

    fn call(&self, req: Request<Incoming>) -> Self::Future {
        self.state.busy.fetch_add(1, Ordering::AcqRel);
        self.state.started.fetch_add(1, Ordering::AcqRel);
        let guard = BusyGuard {
            state: Arc::clone(&self.state),
            clock: self.clock,
        };
        let app = self.app.clone();
        Box::pin(async move {
            let resp = match app.oneshot(req.map(Body::new)).await {
                Ok(resp) => resp,
                Err(never) => match never {},
            };
            Ok(resp.map(|body| Tracked {
                inner: body,
                _guard: guard,
            }))
        })
    }
}

/// Marks a request finished when the response body is dropped (sent or abandoned).
struct BusyGuard {
    state: Arc<ConnState>,
    clock: Clock,
}

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.state
            .idle_since
            .store(self.clock.now(), Ordering::Relaxed);
        self.state.busy.fetch_sub(1, Ordering::AcqRel);
        self.state.became_idle.notify_one();
    }
}

/// A response body that holds its request's [`BusyGuard`].
struct Tracked {
    inner: Body,
    _guard: BusyGuard,
}

impl http_body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// The socket of a connection: notes when bytes arrive, and adds the security
/// headers to an answer hyper makes on its own.
struct Watched {
    inner: TcpStream,
    state: Arc<ConnState>,
    clock: Clock,
    /// Bytes of a rewritten answer not yet written.
    pending: Vec<u8>,
    patched: bool,
    send_timeout: Duration,
    /// Running while a write waits for the client to take bytes.
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Watched {
    /// Passes a write's outcome on; while it waits, fails it once the client has
    /// taken nothing for the send timeout.
    fn watch_write<T>(
        &mut self,
        cx: &mut Context<'_>,
        r: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if r.is_ready() {
            self.stalled = None;
            return r;
        }
        let timeout = self.send_timeout;
        let timer = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::ErrorKind::TimedOut.into())),
            Poll::Pending => Poll::Pending,
        }
    }

    /// Writes out a rewritten answer; `Ready(Ok)` once it is all written.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.pending.is_empty() {
            let r = Pin::new(&mut self.inner).poll_write(cx, &self.pending);
            let n = std::task::ready!(self.watch_write(cx, r))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.pending.drain(..n);
        }
        Poll::Ready(Ok(()))
    }

    /// If `buf` is an answer hyper made on its own, the same answer with the
    /// security headers.
    fn rewrite(&mut self, buf: &[u8]) -> Option<Vec<u8>> {
        if self.patched || self.state.busy.load(Ordering::Acquire) != 0 {
            return None;
        }
        let head = hyper_own_answer(buf)?;
        self.patched = true;
        Some(head)
    }
}

/// `buf` with the security headers, if it is exactly one complete response head
/// with a 4xx status and no body, and not one of the app's (which always carry
/// a Content-Security-Policy).
fn hyper_own_answer(buf: &[u8]) -> Option<Vec<u8>> {
    if !buf.starts_with(b"HTTP/1.1 4") || !buf.ends_with(b"\r\n\r\n") {
        return None;
    }
    let text = std::str::from_utf8(buf).ok()?;
    let lower = text.to_ascii_lowercase();
    if lower.find("\r\n\r\n")? != text.len() - 4 || lower.contains("content-security-policy:") {
        return None;
    }
    let mut out = text[..text.len() - 2].to_string();
    for (name, value) in crate::SECURITY_HEADERS {
        out.push_str(name.as_str());
        out.push_str(": ");
        out.push_str(value);
        out.push_str("\r\n");
    }
    out.push_str("cache-control: no-store\r\n\r\n");
    Some(out.into_bytes())
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            let now = self.clock.now();
            self.state.last_read.store(now, Ordering::Relaxed);
        }
        r
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        std::task::ready!(self.poll_pending(cx))?;
        if let Some(head) = self.rewrite(buf) {
            self.pending = head;
            // Hyper's bytes are taken; ours go out now or on the next call.
            let _ = self.poll_pending(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.watch_write(cx, r)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        std::task::ready!(self.poll_pending(cx))?;
        let mut non_empty = bufs.iter().filter(|b| !b.is_empty());
        if let (Some(only), None) = (non_empty.next(), non_empty.next())
            && let Some(head) = self.rewrite(only)
        {
            self.pending = head;
            let _ = self.poll_pending(cx)?;
            return Poll::Ready(Ok(only.len()));
        }
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.watch_write(cx, r)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.poll_pending(cx))?;
        let r = Pin::new(&mut self.inner).poll_flush(cx);
        self.watch_write(cx, r)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_stays_well_below_the_file_limit() {
        assert_eq!(effective_max_connections(1024, Some(4096)), 1024);
        assert_eq!(effective_max_connections(1024, Some(1024)), 768);
        assert_eq!(effective_max_connections(1024, None), 1024);
        assert_eq!(effective_max_connections(1024, Some(8)), 16);
    }

    #[test]
    fn only_hyper_own_answers_are_rewritten() {
        let hyper =
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        let out = String::from_utf8(hyper_own_answer(hyper).unwrap()).unwrap();
        assert!(out.starts_with(
            "HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: x\r\n"
        ));
        assert!(out.contains("\r\ncontent-security-policy: default-src 'none'"));
        assert!(out.ends_with("cache-control: no-store\r\n\r\n"));
        assert_eq!(out.matches("\r\n\r\n").count(), 1);
        let app = b"HTTP/1.1 404 Not Found\r\ncontent-security-policy: x\r\n\r\n";
        assert!(hyper_own_answer(app).is_none());
        assert!(hyper_own_answer(b"HTTP/1.1 200 OK\r\n\r\n").is_none());
        assert!(hyper_own_answer(b"HTTP/1.1 400 Bad\r\n\r\nbody").is_none());
    }
}
