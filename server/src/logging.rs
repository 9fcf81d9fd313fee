//! What the server logs, and what it never logs.
//!
//! A log line with a time is a record of when someone did something, and journald
//! adds the time to every line. So the reporter's routes (submissions, look-ups,
//! the page, the no-JavaScript form, config, health) get no line of their own:
//! they are counted per route class and status class, and one line per
//! [`COUNT_PERIOD`] (and one at shutdown) gives the counts. Staff requests and
//! server errors (5xx) still get a line each: method, the matched route template
//! and the status. Never a header, a body, a query string, a client address or a
//! user agent.
//!
//! Whatever `RUST_LOG` asks for, the subscriber refuses what could carry a client
//! address: events from `axum::serve` (which traces each accepted peer), events and
//! spans with a field named like an address (`remote_addr`, `peer`, `ip`, …), and
//! as a last guard every IPv4 or IPv6 address (with its port) in a written line is
//! replaced by `[address removed]`.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;

/// How often the counts of the reporter's requests are logged.
pub const COUNT_PERIOD: Duration = Duration::from_secs(60 * 60);

/// Targets whose events are never written: `axum::serve` traces each accepted
/// connection with its peer address (the server no longer uses it, but a future
/// change might).
const DENIED_TARGETS: [&str; 1] = ["axum::serve"];

/// Field names that could hold a client address; events and spans that have one
/// are never written.
const DENIED_FIELDS: [&str; 9] = [
    "addr",
    "address",
    "remote_addr",
    "peer",
    "peer_addr",
    "client",
    "client_addr",
    "ip",
    "remote",
];

/// The subscriber used by the binary (writing to stderr) and by the tests (writing
/// to a buffer), so tests check exactly what production prints.
pub fn subscriber<W>(
    writer: W,
    filter: EnvFilter,
) -> impl tracing::Subscriber + Send + Sync + 'static
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(Scrubbed(writer))
        .with_ansi(false)
        .with_target(false)
        .without_time()
        .with_filter(filter_fn(allowed));
    tracing_subscriber::registry().with(filter).with(fmt)
}

/// Whether an event or span may be written at all, whatever the filter says.
fn allowed(meta: &tracing::Metadata<'_>) -> bool {
    let target = meta.target();
    if DENIED_TARGETS
        .iter()
        .any(|t| target == *t || target.starts_with(&format!("{t}::")))
    {
        return false;
    }
    !meta.fields().iter().any(|f| {
        let name = f.name().to_ascii_lowercase();
        DENIED_FIELDS.contains(&name.as_str()) || name.ends_with("_addr")
    })
}

/// `RUST_LOG` if set, else `info`, through [`filter`].
pub fn filter_from_env() -> EnvFilter {
    filter(&std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into()))
}

/// A filter from `directives` (as in `RUST_LOG`), with axum's rejection traces
/// (which describe what was wrong with a request body) always off.
pub fn filter(directives: &str) -> EnvFilter {
    let base = EnvFilter::try_new(directives).unwrap_or_else(|_| EnvFilter::new("info"));
    base.add_directive(
        "axum::rejection=off"
            .parse()
            .expect("constant directive is valid"),
    )
}

/// A writer that removes addresses from each line before writing it.
struct Scrubbed<W>(W);

impl<'w, W: MakeWriter<'w>> MakeWriter<'w> for Scrubbed<W> {
    type Writer = ScrubbedWriter<W::Writer>;
    fn make_writer(&'w self) -> Self::Writer {
        ScrubbedWriter(self.0.make_writer())
    }
}

struct ScrubbedWriter<W>(W);

impl<W: Write> Write for ScrubbedWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // The fmt layer writes each event with one `write_all` of the whole line.
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(scrub_addresses(&text).as_bytes())?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

const REMOVED: &str = "[address removed]";

/// `text` with every IPv4 address (`a.b.c.d`, with `:port` if present) and every
/// IPv6 address (a run of hex digits and colons that holds `::` or seven colons,
/// in brackets or not, with `:port` after brackets) replaced.
pub fn scrub_addresses(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        let boundary = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.');
        if boundary && let Some(end) = ipv4_at(b, i).or_else(|| ipv6_at(b, i)) {
            out.push_str(&text[copied..i]);
            out.push_str(REMOVED);
            i = end;
            copied = end;
            continue;
        }
        i += 1;
    }
    out.push_str(&text[copied..]);
    out
}

fn digits(b: &[u8], mut i: usize, max: usize) -> usize {
    let start = i;
    while i < b.len() && i - start < max && b[i].is_ascii_digit() {
        i += 1;
    }
    i
}

/// The end of a `:port` at `i`, or `i`.
fn port_at(b: &[u8], i: usize) -> usize {
    if i < b.len() && b[i] == b':' {
        let end = digits(b, i + 1, 5);
        if end > i + 1 {
            return end;
        }
    }
    i
}

fn ipv4_at(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    for part in 0..4 {
        let end = digits(b, i, 3);
        if end == i {
            return None;
        }
        i = end;
        if part < 3 {
            if i >= b.len() || b[i] != b'.' {
                return None;
            }
            i += 1;
        }
    }
    let more_digits = b[i..].starts_with(b".") && b.get(i + 1).is_some_and(u8::is_ascii_digit);
    if b.get(i).is_some_and(u8::is_ascii_alphanumeric) || more_digits {
        return None;
    }
    Some(port_at(b, i))
}

fn ipv6_at(b: &[u8], start: usize) -> Option<usize> {
    let bracket = b[start] == b'[';
    let mut i = start + usize::from(bracket);
    let body = i;
    let mut colons = 0;
    while i < b.len() && (b[i].is_ascii_hexdigit() || b[i] == b':' || b[i] == b'.') {
        colons += usize::from(b[i] == b':');
        i += 1;
    }
    // Zone index, as in fe80::1%eth0.
    if i < b.len() && b[i] == b'%' {
        i += 1;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
    }
    let run = &b[body..i];
    let is_v6 = colons >= 2 && (run.windows(2).any(|w| w == b"::") || colons >= 7);
    if !is_v6 {
        return None;
    }
    if bracket {
        if i < b.len() && b[i] == b']' {
            return Some(port_at(b, i + 1));
        }
        return None;
    }
    Some(i)
}

/// The route classes counted instead of logged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RouteClass {
    Submissions,
    Lookups,
    Page,
    Config,
    Health,
    Other,
}

const CLASSES: [(RouteClass, &str); 6] = [
    (RouteClass::Submissions, "submissions"),
    (RouteClass::Lookups, "lookups"),
    (RouteClass::Page, "page"),
    (RouteClass::Config, "config"),
    (RouteClass::Health, "health"),
    (RouteClass::Other, "other"),
];

const STATUS_CLASSES: [&str; 5] = ["1xx", "2xx", "3xx", "4xx", "5xx"];

/// Requests of the reporter's routes since the last counts line, per route class
/// and status class. Kept in memory only.
#[derive(Debug, Default)]
pub struct RequestCounts {
    counts: [[AtomicU64; 5]; 6],
}

impl RequestCounts {
    fn add(&self, class: RouteClass, status: u16) {
        let s = usize::from((status / 100).clamp(1, 5)) - 1;
        self.counts[class as usize][s].fetch_add(1, Ordering::Relaxed);
    }

    /// Takes the counts so far (setting them to zero) as `class status=n` pairs,
    /// for instance `submissions 2xx=3 4xx=1; page 2xx=12`; `None` if there were
    /// no requests.
    pub fn take(&self) -> Option<String> {
        let mut parts = Vec::new();
        for (class, name) in CLASSES {
            let row: Vec<String> = STATUS_CLASSES
                .iter()
                .enumerate()
                .filter_map(|(s, sname)| {
                    let n = self.counts[class as usize][s].swap(0, Ordering::Relaxed);
                    (n > 0).then(|| format!("{sname}={n}"))
                })
                .collect();
            if !row.is_empty() {
                parts.push(format!("{name} {}", row.join(" ")));
            }
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    /// Logs the counts so far, if there were any, for the period named.
    pub fn log(&self, period: &str) {
        if let Some(counts) = self.take() {
            tracing::info!(period, "reporter requests: {counts}");
        }
    }
}

/// Logs the counts of the reporter's requests every [`COUNT_PERIOD`].
pub async fn log_counts_periodically(counts: std::sync::Arc<RequestCounts>) {
    let mut every = tokio::time::interval(COUNT_PERIOD);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    every.tick().await;
    loop {
        every.tick().await;
        counts.log("the past hour");
    }
}

/// Which class a request belongs to, or `None` for a staff route (logged per
/// request).
fn route_class(method: &Method, route: Option<&str>) -> Option<RouteClass> {
    let Some(route) = route else {
        return Some(RouteClass::Page);
    };
    if route.starts_with("/api/v1/staff") || route == "/staff" || route.starts_with("/staff/") {
        return None;
    }
    Some(match route {
        "/api/v1/meldingen" | "/api/v1/vervolg" | "/zonder-js/melding" => RouteClass::Submissions,
        "/api/v1/reacties" => RouteClass::Lookups,
        "/zonder-js/reactie" if method == Method::POST => RouteClass::Lookups,
        "/api/v1/config" => RouteClass::Config,
        "/healthz" => RouteClass::Health,
        r if r.starts_with("/api/") => RouteClass::Other,
        _ => RouteClass::Page,
    })
}

/// Middleware: counts a reporter's request, or logs one line for a staff request
/// or a server error, after the response is made.
pub async fn log_request(
    State(counts): State<std::sync::Arc<RequestCounts>>,
    req: Request,
    next: Next,
) -> Response {
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let resp = next.run(req).await;
    let status = resp.status().as_u16();
    let class = route_class(&method, route.as_deref());
    if let Some(class) = class {
        counts.add(class, status);
    }
    if class.is_none() || status >= 500 {
        let method = loggable_method(&method);
        let route = route.as_deref().unwrap_or("(static)");
        tracing::info!(method, route, status, "request");
    }
    resp
}

/// Standard methods by name; anything else is arbitrary client text and stays out.
fn loggable_method(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "(other)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_scrubbed_and_other_numbers_kept() {
        let cases = [
            (
                "peer 127.0.0.1:50123 accepted",
                "peer [address removed] accepted",
            ),
            ("from 10.1.2.3.", "from [address removed]."),
            (
                "connection [::1]:4431 closed",
                "connection [address removed] closed",
            ),
            ("v6 2001:db8::7 here", "v6 [address removed] here"),
            ("full fe80:0:0:0:0:0:0:1 x", "full [address removed] x"),
            ("at 12:30:45 took 1.5s", "at 12:30:45 took 1.5s"),
            ("version 1.2.3 and 1.2.3.4.5", "version 1.2.3 and 1.2.3.4.5"),
            (
                "status=201 route=/api/v1/meldingen",
                "status=201 route=/api/v1/meldingen",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(scrub_addresses(input), want, "{input}");
        }
    }

    #[derive(Clone, Default)]
    struct Buf(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Buf {
        type Writer = Buf;
        fn make_writer(&'a self) -> Buf {
            self.clone()
        }
    }

    #[test]
    fn whatever_the_filter_says_addresses_are_not_written() {
        let buf = Buf::default();
        let sub = subscriber(buf.clone(), filter("trace,axum::serve=trace"));
        tracing::subscriber::with_default(sub, || {
            tracing::trace!(target: "axum::serve", "connection 10.9.8.7:4444 accepted");
            tracing::info!(remote_addr = "peer-canary-1", "accepted");
            tracing::info!(peer = 7, "peer-canary-2");
            tracing::info!(connection = 3, "from 10.1.1.1:5555 and [2001:db8::1]:443");
            tracing::info!("kept line");
        });
        let out = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
        assert!(out.contains("kept line"), "{out}");
        for needle in [
            "10.9.8.7",
            "4444",
            "peer-canary",
            "10.1.1.1",
            "5555",
            "2001:db8",
        ] {
            assert!(!out.contains(needle), "{needle} in {out}");
        }
        assert!(
            out.contains("from [address removed] and [address removed]"),
            "{out}"
        );
    }

    #[test]
    fn counts_are_per_class_and_taken_once() {
        let c = RequestCounts::default();
        assert_eq!(c.take(), None);
        c.add(RouteClass::Submissions, 201);
        c.add(RouteClass::Submissions, 201);
        c.add(RouteClass::Submissions, 429);
        c.add(RouteClass::Page, 200);
        assert_eq!(
            c.take().as_deref(),
            Some("submissions 2xx=2 4xx=1; page 2xx=1")
        );
        assert_eq!(c.take(), None);
    }

    #[test]
    fn staff_routes_are_not_counted_but_logged() {
        let post = Method::POST;
        assert_eq!(route_class(&post, Some("/api/v1/staff/reacties")), None);
        assert_eq!(route_class(&Method::GET, Some("/staff")), None);
        assert_eq!(
            route_class(&post, Some("/zonder-js/melding")),
            Some(RouteClass::Submissions)
        );
        assert_eq!(
            route_class(&Method::GET, Some("/zonder-js/reactie")),
            Some(RouteClass::Page)
        );
        assert_eq!(route_class(&Method::GET, None), Some(RouteClass::Page));
        assert_eq!(
            route_class(&Method::GET, Some("/api/{*rest}")),
            Some(RouteClass::Other)
        );
    }
}
