//! `meldpunt-server`: the online intake of a meldpunt integriteit.
//!
//! It serves the reporter's page, stores sealed meldingen, hands sealed and signed
//! replies to whoever presents a case's lookup key, and gives staff their bundles.
//! It holds no key that opens anything: what it stores is ciphertext, a hash of
//! each case's lookup key, organisation slugs and days.
//!
//! - [`config`]: the TOML config and its checks.
//! - [`db`]: SQLite, always used through [`db::Db::call`] on the blocking pool.
//! - [`api`]: the reporter's routes; [`staff`]: the staff routes.
//! - [`error`]: the one error type and its JSON shape; [`extract`]: extractors.
//! - [`logging`]: the one log line per request, and nothing identifying.
//!
//! Formats come from `meldpunt-envelope`; the HTTP API is the last section of
//! `docs/PROTOCOL.md`.

pub mod api;
pub mod config;
pub mod db;
pub mod error;
pub mod extract;
pub mod logging;
pub mod staff;

use std::sync::Arc;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{Next, from_fn};
use axum::response::Response;
use axum::routing::{MethodRouter, any, get};
use tokio::sync::Semaphore;
use tower::ServiceBuilder;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::services::ServeDir;

pub use config::Config;
pub use db::Db;
pub use error::AppError;

/// What every handler gets: the checked config and the database. No globals, so
/// tests build differently configured apps side by side.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
}

impl AppState {
    pub fn new(config: Config, db: Db) -> Self {
        AppState {
            config: Arc::new(config),
            db,
        }
    }

    /// Opens the database the config names.
    pub fn open(config: Config) -> Result<Self, db::DbError> {
        let db = Db::open(&config.database)?;
        Ok(AppState::new(config, db))
    }
}

/// The whole HTTP application: API routes, health check, the static page, and the
/// headers and log line every response gets.
pub fn app(state: AppState) -> Router {
    let page = ServeDir::new(&state.config.web_root).append_index_html_on_directories(true);
    let uploads = Arc::new(Semaphore::new(MAX_CONCURRENT_UPLOADS));
    Router::new()
        .merge(api::routes(&state, &uploads))
        .merge(staff::routes(&uploads))
        .route("/healthz", get(healthz))
        .route("/api/{*rest}", any(not_found))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback_service(page)
        .layer(from_fn(logging::log_request))
        .layer(from_fn(security_headers))
        .with_state(state)
}

/// How many bodies of uploading routes (meldingen, reply bundles) may be in
/// flight at once. Each is buffered up to its route's limit, so this bounds the
/// memory an upload flood can take; beyond it the server answers 503 at once.
pub const MAX_CONCURRENT_UPLOADS: usize = 16;

/// Puts an uploading route under the shared upload limit.
fn upload_limited(
    route: MethodRouter<AppState>,
    uploads: &Arc<Semaphore>,
) -> MethodRouter<AppState> {
    route.layer(
        ServiceBuilder::new()
            .layer(HandleErrorLayer::new(overloaded))
            .load_shed()
            .layer(GlobalConcurrencyLimitLayer::with_semaphore(Arc::clone(
                uploads,
            ))),
    )
}

async fn overloaded(_: tower::BoxError) -> AppError {
    AppError::Busy
}

async fn healthz() -> &'static str {
    "ok"
}

async fn not_found() -> AppError {
    AppError::NotFound
}

async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

/// The Content-Security-Policy of the page: our own script and WebAssembly, no
/// inline script, nothing from a third party, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS: [(HeaderName, &str); 6] = [
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    (header::REFERRER_POLICY, "no-referrer"),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    ),
    (
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    ),
    (header::X_FRAME_OPTIONS, "DENY"),
];

/// Middleware: the security headers on every response, `no-store` on the API,
/// `no-cache` on the page (so a fixed page reaches reporters at once), and never
/// a `Server` header or a cookie.
async fn security_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let api = path.starts_with("/api/") || path == "/healthz";
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        h.insert(name, HeaderValue::from_static(value));
    }
    let cache = if api { "no-store" } else { "no-cache" };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.remove(header::SERVER);
    h.remove(header::SET_COOKIE);
    resp
}
