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
//! - [`pow`]: the adaptive proof of work and priority queue in front of
//!   submissions and look-ups.
//! - [`error`]: the one error type and its JSON shape; [`extract`]: extractors.
//! - [`logging`]: counts per period for the reporter's routes, a line per staff
//!   request, and nothing identifying.
//! - [`conn`]: the connections (timeouts, the cap); [`bodies`]: the minimum rate
//!   of request bodies and their pools of slots.
//!
//! Formats come from `meldpunt-envelope`; the HTTP API is the last section of
//! `docs/PROTOCOL.md`.

pub mod api;
pub mod bodies;
pub mod catalogue;
pub mod config;
pub mod conn;
pub mod db;
pub mod error;
pub mod extract;
pub mod intake;
pub mod limit;
pub mod logging;
pub mod onion;
pub mod pages;
pub mod pinned;
pub mod pow;
pub mod receipt;
pub mod receipt_file;
pub mod staff;
pub mod static_files;
pub mod zonder_js;
pub mod zonder_js_vervolg;

use std::num::NonZeroU32;
use std::sync::Arc;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, any, get};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use meldpunt_envelope::keys::SigningSecretKey;
use tokio::sync::Semaphore;
use tower::ServiceBuilder;
use tower_http::services::ServeDir;

pub use config::Config;
pub use db::Db;
pub use error::AppError;

use intake::MemoryBudget;

/// What every handler gets: the checked config, the database, the receipt key and
/// the abuse limits. No globals, so tests build differently configured apps side
/// by side, and rate-limit state lives in memory only, in here.
///
/// One `Arc`: axum and the middleware clone the state several times per request,
/// and one reference count is cheaper to touch than one per field.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// The parts of [`AppState`]; reached through it by `Deref`.
pub struct Shared {
    pub config: Arc<Config>,
    pub db: Db,
    /// The server's own key for signing each ontvangstbewijs. It opens nothing.
    pub receipt_key: Arc<SigningSecretKey>,
    pub limiters: Arc<Limiters>,
    /// The proof of work: seeds, effort levels and the queues of waiting requests.
    pub pow: Arc<pow::Pow>,
    /// Bytes of request bodies in memory, all uploads together.
    pub upload_memory: Arc<MemoryBudget>,
    /// Uploads in flight (every body-reading route but the look-ups).
    pub uploads: Arc<bodies::Pool>,
    /// Look-ups in flight (API and no-JavaScript form).
    pub lookups: Arc<bodies::Pool>,
    /// Requests without a body in flight.
    pub requests: Arc<Semaphore>,
    /// Requests per route class and status class since the last log line.
    pub request_counts: Arc<logging::RequestCounts>,
    /// No-JavaScript follow-up forms already sent, so a double submit is one follow-up.
    pub sent_forms: Arc<zonder_js_vervolg::SentForms>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// One rate limiter per route class, all callers together: the server keeps no
/// address or other key per caller, so it cannot tell callers apart, by design.
/// With the proof of work on, submissions and look-ups through the API go through
/// [`pow::Pow`] instead of these two.
pub struct Limiters {
    pub submissions: DefaultDirectRateLimiter,
    pub lookups: DefaultDirectRateLimiter,
    /// Staff requests with a valid token.
    pub staff: DefaultDirectRateLimiter,
    /// Staff requests with a missing or wrong token: a budget apart.
    pub staff_failed: DefaultDirectRateLimiter,
    /// The no-JavaScript form, which cannot do proof of work.
    pub zonder_js_submissions: DefaultDirectRateLimiter,
    pub zonder_js_lookups: DefaultDirectRateLimiter,
}

fn per_minute(n: u32) -> DefaultDirectRateLimiter {
    RateLimiter::direct(Quota::per_minute(
        NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN),
    ))
}

impl AppState {
    pub fn new(config: Config, db: Db, receipt_key: SigningSecretKey) -> Self {
        let l = &config.limits;
        let limiters = Limiters {
            submissions: per_minute(l.submissions_per_minute),
            lookups: per_minute(l.lookups_per_minute),
            staff: per_minute(l.staff_per_minute),
            staff_failed: per_minute(l.staff_failed_per_minute),
            zonder_js_submissions: per_minute(l.zonder_js_submissions_per_minute),
            zonder_js_lookups: per_minute(l.zonder_js_lookups_per_minute),
        };
        let pow = pow::Pow::new(&config.pow, l.submissions_per_minute, l.lookups_per_minute);
        AppState(Arc::new(Shared {
            upload_memory: MemoryBudget::new(l.upload_memory_bytes),
            uploads: bodies::Pool::new(l.max_concurrent_uploads, bodies::grace(l.body_rate_window)),
            lookups: bodies::Pool::new(
                l.max_concurrent_lookups,
                bodies::lookup_grace(l.body_rate_window),
            ),
            request_counts: Arc::default(),
            sent_forms: Arc::default(),
            requests: Arc::new(Semaphore::new(l.max_concurrent_requests)),
            limiters: Arc::new(limiters),
            pow: Arc::new(pow),
            receipt_key: Arc::new(receipt_key),
            config: Arc::new(config),
            db,
        }))
    }

    /// Opens the database the config names and loads (or on first start makes)
    /// the receipt key.
    pub fn open(config: Config) -> Result<Self, OpenError> {
        let key = receipt::load_or_create(&config.receipt_key)?;
        let db = Db::open(&config.database)?;
        Ok(AppState::new(config, db, key))
    }
}

/// Why the server could not start on its files.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error(transparent)]
    ReceiptKey(#[from] receipt::ReceiptKeyError),
}

/// A route class, for its rate limit.
#[derive(Clone, Copy)]
pub enum Class {
    Submissions,
    Lookups,
    Staff,
}

/// The whole HTTP application: API routes, the no-JavaScript and staff pages,
/// health check, the static page, and the headers, limits and log line every
/// response gets.
pub fn app(state: AppState) -> Router {
    // The page's build writes `.br` and `.gz` siblings; a client that accepts them
    // gets those bytes with the original file's Content-Type (application/wasm for
    // the WASM module) and the matching Content-Encoding. Without them, or for a
    // client that accepts neither, the plain file is served.
    let page = ServeDir::new(&state.config.web_root)
        .append_index_html_on_directories(true)
        .precompressed_br()
        .precompressed_gzip();
    let limits = &state.config.limits;
    let short = Router::new()
        .merge(api::routes(&state))
        .merge(staff::routes(&state))
        .merge(zonder_js::routes(&state))
        .merge(pages::routes())
        .merge(pinned::routes())
        .route("/healthz", get(healthz))
        .route("/api/{*rest}", any(not_found))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(layer_error))
                .timeout(limits.request_timeout),
        );
    Router::new()
        .merge(api::upload_routes(&state))
        .merge(staff::upload_routes(&state))
        .merge(short)
        .method_not_allowed_fallback(method_not_allowed)
        .fallback_service(
            ServiceBuilder::new()
                .layer(from_fn(static_files::guard))
                .service(page),
        )
        .layer(from_fn_with_state(state.clone(), bodies::general_pool))
        .layer(from_fn_with_state(
            Arc::clone(&state.request_counts),
            logging::log_request,
        ))
        .layer(from_fn(security_headers))
        .layer(from_fn_with_state(state.clone(), onion::onion_location))
        .with_state(state)
}

/// Puts an uploading route under [`rate_limited`]; its `POST` bodies share the
/// upload pool (see [`bodies`]).
fn upload_limited(
    route: MethodRouter<AppState>,
    state: &AppState,
    class: Class,
) -> MethodRouter<AppState> {
    rate_limited(route, state, class)
}

/// Puts a route under its class's rate limit: checked before anything else, so a
/// flood is refused without reading a body or touching the database. Its `POST`
/// requests then take a slot in their class's body pool, and their bodies are
/// held to the minimum rate ([`bodies::limit`]).
fn rate_limited(
    route: MethodRouter<AppState>,
    state: &AppState,
    class: Class,
) -> MethodRouter<AppState> {
    route
        .layer(from_fn_with_state((state.clone(), class), bodies::limit))
        .layer(from_fn_with_state((state.clone(), class), rate_limit))
}

async fn rate_limit(
    State((state, class)): State<(AppState, Class)>,
    req: Request,
    next: Next,
) -> Response {
    let l = &state.limiters;
    if req.uri().path().starts_with("/zonder-js") {
        // The no-JavaScript form cannot do work: a small budget of its own, so
        // neither a flood of it nor a flood of the API locks out the other.
        let limiter = match class {
            Class::Submissions => &l.zonder_js_submissions,
            Class::Lookups | Class::Staff => &l.zonder_js_lookups,
        };
        if limiter.check().is_err() {
            let lang = pages::lang_of_query(req.uri().query());
            let mut resp = zonder_js::form_error(lang, AppError::RateLimited);
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            return resp;
        }
        return next.run(req).await;
    }
    let limiter = match class {
        Class::Staff => {
            // Failed attempts spend their own budget, never the valid token's.
            if extract::staff_token_valid(req.headers(), &state.config.staff_token_sha256) {
                &l.staff
            } else {
                &l.staff_failed
            }
        }
        Class::Submissions | Class::Lookups if state.pow.enabled() => {
            let class = match class {
                Class::Submissions => pow::PowClass::Submissions,
                _ => pow::PowClass::Lookups,
            };
            return match pow::admit_request(&state, class, req).await {
                Ok(req) => next.run(req).await,
                Err(e) => e.into_response(),
            };
        }
        Class::Submissions => &l.submissions,
        Class::Lookups => &l.lookups,
    };
    if limiter.check().is_err() {
        return AppError::RateLimited.into_response();
    }
    next.run(req).await
}

async fn layer_error(e: tower::BoxError) -> AppError {
    if e.is::<tower::timeout::error::Elapsed>() {
        AppError::Timeout
    } else {
        AppError::Busy
    }
}

async fn healthz(State(state): State<AppState>) -> Result<&'static str, AppError> {
    state
        .db
        .call(|c| {
            c.query_row("SELECT 1", [], |_| Ok(()))
                .map_err(db::DbError::from)
        })
        .await?;
    Ok("ok")
}

async fn not_found() -> AppError {
    AppError::NotFound
}

async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

/// The Content-Security-Policy of the page: our own script and WebAssembly (also in
/// the proof-of-work worker), no inline script, nothing from a third party, no
/// framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

pub(crate) const SECURITY_HEADERS: [(HeaderName, &str); 6] = [
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
    // Pages that may show a token or a reply are never stored by any cache.
    let api = path.starts_with("/api/")
        || path == "/healthz"
        || path.starts_with("/zonder-js")
        || path.starts_with("/staff");
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
