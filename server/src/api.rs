//! The reporter's side of the API: the page's config, taking a sealed melding,
//! handing out sealed replies to whoever proves they hold the token.

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use meldpunt_envelope::domain::is_valid_slug;
use meldpunt_envelope::token::LookupKey;
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use zeroize::Zeroizing;

use crate::AppState;
use crate::db::{self, Item, ItemKind, NewMelding};
use crate::error::AppError;
use crate::extract::{self, read_body, require_content_type, required_header};

pub const HEADER_ORGANISATIE: &str = "Meldpunt-Organisatie";
pub const HEADER_LOOKUP_HASH: &str = "Meldpunt-Lookup-Hash";

/// Largest body of `POST /api/v1/reacties`: a lookup key in JSON is under 100 bytes.
const MAX_LOOKUP_BODY: usize = 4 << 10;

pub fn routes(state: &AppState, uploads: &Arc<Semaphore>) -> Router<AppState> {
    let submit =
        post(submit_melding).layer(DefaultBodyLimit::max(state.config.max_submission_bytes));
    Router::new()
        .route("/api/v1/config", get(config))
        .route("/api/v1/meldingen", crate::upload_limited(submit, uploads))
        .route(
            "/api/v1/reacties",
            post(reacties).layer(DefaultBodyLimit::max(MAX_LOOKUP_BODY)),
        )
}

/// `GET /api/v1/config`: what the page needs to seal a melding and check replies.
async fn config(State(state): State<AppState>) -> Json<serde_json::Value> {
    let c = &state.config;
    let organisations: Vec<_> = c
        .organisations
        .iter()
        .map(|o| serde_json::json!({"slug": o.slug, "name": o.name, "recipients": o.recipients}))
        .collect();
    Json(serde_json::json!({
        "v": 1,
        "name": c.name,
        "organisations": organisations,
        "signing_key": c.signing_public_key.to_string(),
    }))
}

#[derive(Serialize)]
struct Created {
    id: String,
    received: String,
}

/// `POST /api/v1/meldingen`: stores a first melding and opens its case.
///
/// Checks run cheapest first, and the body is read only once the headers are
/// right. The 201 goes out only after the transaction committed (synchronous=FULL).
async fn submit_melding(
    State(state): State<AppState>,
    req: Request,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let headers = req.headers();
    require_content_type(headers, "application/octet-stream")?;
    let organisation = required_header(headers, HEADER_ORGANISATIE)?;
    if !is_valid_slug(organisation) {
        return Err(AppError::InvalidHeader(HEADER_ORGANISATIE));
    }
    let organisation = state
        .config
        .organisation(organisation)
        .ok_or(AppError::UnknownOrganisation)?
        .slug
        .clone();
    let mut lookup_hash = [0u8; 32];
    hex::decode_to_slice(
        required_header(headers, HEADER_LOOKUP_HASH)?,
        &mut lookup_hash,
    )
    .map_err(|_| AppError::InvalidHeader(HEADER_LOOKUP_HASH))?;

    let body = read_body(req).await?;
    if body.is_empty() {
        return Err(AppError::EmptyBody);
    }
    meldpunt_envelope::melding::check_age_header(&body).map_err(|_| AppError::NotAgeFile)?;

    let item = Item {
        id: meldpunt_envelope::random_id()?,
        kind: ItemKind::Melding,
        organisation,
        lookup_hash,
        received_day: meldpunt_envelope::domain::today(),
        ciphertext: body.into(),
    };
    let (id, received) = (item.id.clone(), item.received_day.clone());
    match state.db.call(move |c| db::insert_melding(c, &item)).await? {
        NewMelding::Stored => Ok((StatusCode::CREATED, Json(Created { id, received }))),
        NewMelding::CaseExists => Err(AppError::CaseExists),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RepliesRequest {
    lookup_key: String,
}

#[derive(Serialize)]
struct RepliesResponse {
    reacties: Vec<ReplyOut>,
}

#[derive(Serialize)]
struct ReplyOut {
    id: String,
    day: String,
    ciphertext: String,
    signature: String,
}

/// `POST /api/v1/reacties`: the replies of the case whose lookup key is presented.
/// The key is hashed at once and forgotten; only the hash reaches the database.
async fn reacties(
    State(state): State<AppState>,
    extract::Json(req): extract::Json<RepliesRequest>,
) -> Result<Json<RepliesResponse>, AppError> {
    let key_hex = Zeroizing::new(req.lookup_key);
    let lookup_hash = LookupKey::from_hex(&key_hex)
        .map_err(|_| AppError::InvalidLookupKey)?
        .hash();
    drop(key_hex);
    let replies = state
        .db
        .call(move |c| db::replies_for(c, &lookup_hash))
        .await?
        .ok_or(AppError::UnknownToken)?;
    let reacties = replies
        .into_iter()
        .map(|r| ReplyOut {
            id: r.id,
            day: r.day,
            ciphertext: STANDARD.encode(&r.ciphertext),
            signature: STANDARD.encode(r.signature),
        })
        .collect();
    Ok(Json(RepliesResponse { reacties }))
}
