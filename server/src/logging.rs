//! What the server logs, and what it never logs.
//!
//! One line per request: method, the matched route template and the status.
//! Never a header, a body, a query string, a client address or a user agent, so a
//! seized log says only that some melding arrived on some day. Lines carry no
//! timestamp of our own (journald adds one where the operator wants it).

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// The subscriber used by the binary (writing to stderr) and by the tests (writing
/// to a buffer), so tests check exactly what production prints.
pub fn subscriber<W>(
    writer: W,
    filter: EnvFilter,
) -> impl tracing::Subscriber + Send + Sync + 'static
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_env_filter(filter)
        .with_ansi(false)
        .with_target(false)
        .without_time()
        .finish()
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

/// Middleware: logs one line per request after the response is made.
pub async fn log_request(req: Request, next: Next) -> Response {
    let method = loggable_method(req.method());
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let resp = next.run(req).await;
    let route = route.as_deref().unwrap_or("(static)");
    tracing::info!(method, route, status = resp.status().as_u16(), "request");
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
