//! The pinned keys: `GET /pkg/keys.json`, the public keys the page seals to and
//! checks replies with, bound to the page's code.
//!
//! The file names the SHA-256 of the page's build manifest (`pkg/manifest.json`,
//! which lists the hash of every file of the page) and every key from the config
//! the page uses: each organisation's recipients and bestuurder recipients and the
//! meldpunt's signing key. The page shows the SHA-256 of this file as its code
//! hash, so one value covers the code and the keys; it refuses to send when
//! `/api/v1/config` disagrees with it. The bytes depend only on the config and the
//! build (fixed field order, no time), so the municipality can compute the hash
//! once and publish it on its own website (docs/OPERATIONS.md); a server that
//! serves other keys shows another hash.
//!
//! The receipt key is left out on purpose: it is the server's own key, made on the
//! server, and a receipt only ever says what this server claims.

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

use crate::{AppState, Config};

pub fn routes() -> Router<AppState> {
    Router::new().route("/pkg/keys.json", get(keys_json))
}

#[derive(Serialize)]
struct PinnedKeys<'a> {
    format: &'static str,
    v: u32,
    /// SHA-256 (hex) of the page's `pkg/manifest.json`; null when the page is not built.
    page: Option<String>,
    name: &'a str,
    signing_key: String,
    organisations: Vec<PinnedOrganisation<'a>>,
}

#[derive(Serialize)]
struct PinnedOrganisation<'a> {
    slug: &'a str,
    name: &'a str,
    recipients: &'a [String],
    bestuurder_recipients: &'a [String],
}

/// The bytes of `keys.json` for this config and the manifest's bytes (if built):
/// pretty JSON with a final newline, so `sha256sum` of the served file is the
/// hash the page shows.
pub fn render(config: &Config, manifest: Option<&[u8]>) -> Vec<u8> {
    use sha2::Digest;
    let pinned = PinnedKeys {
        format: "meldpunt-keys",
        v: 1,
        page: manifest.map(|m| hex::encode(sha2::Sha256::digest(m))),
        name: &config.name,
        signing_key: config.signing_public_key.to_string(),
        organisations: config
            .organisations
            .iter()
            .map(|o| PinnedOrganisation {
                slug: &o.slug,
                name: &o.name,
                recipients: &o.recipients,
                bestuurder_recipients: &o.bestuurder_recipients,
            })
            .collect(),
    };
    let mut out = serde_json::to_vec_pretty(&pinned).unwrap_or_default();
    out.push(b'\n');
    out
}

/// `GET /pkg/keys.json`. The manifest is read on each request (a few hundred
/// bytes), so a page upgraded on disk is covered at once.
async fn keys_json(State(state): State<AppState>) -> Response {
    let path = state.config.web_root.join("pkg/manifest.json");
    let manifest = tokio::fs::read(path).await.ok();
    (
        [(header::CONTENT_TYPE, "application/json")],
        render(&state.config, manifest.as_deref()),
    )
        .into_response()
}
