//! The meldpunt staff's side: fetch the inbox as a bundle, return signed replies.
//!
//! Both need the staff token. The server cannot read either bundle; it checks what
//! it can check without a secret key (bundle structure, that each reply is signed
//! by the configured signing key for a case it knows) before writing anything.

use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use meldpunt_envelope::bundle::{self, BundleKind, NewItem};
use meldpunt_envelope::keys::SigningPublicKey;
use meldpunt_envelope::signed::SignedConfirmation;
use serde::Serialize;

use crate::db::{self, ImportOutcome, ItemKind, Reply};
use crate::error::AppError;
use crate::extract::{StaffAuth, read_body, require_content_type};
use crate::{AppState, Class};

/// Largest replies bundle accepted. A padded reply is a few KiB, so this is
/// thousands of replies; a bundle is held in memory while it is checked.
pub const MAX_REPLIES_BUNDLE_BYTES: usize = 64 << 20;

/// Largest import confirmation: every one of `MAX_ITEMS` ids with its quotes and comma.
pub const MAX_CONFIRMATION_BYTES: usize = meldpunt_envelope::MAX_ITEMS * 40 + (64 << 10);

/// The staff routes without a large body, under the staff rate limit.
pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/staff/export",
            crate::rate_limited(get(export), state, Class::Staff),
        )
        .route(
            "/api/v1/staff/bevestiging",
            crate::rate_limited(
                post(confirm).layer(DefaultBodyLimit::max(MAX_CONFIRMATION_BYTES)),
                state,
                Class::Staff,
            ),
        )
}

/// The staff upload of a replies bundle.
pub fn upload_routes(state: &AppState) -> Router<AppState> {
    let import = post(import_replies).layer(DefaultBodyLimit::max(MAX_REPLIES_BUNDLE_BYTES));
    Router::new().route(
        "/api/v1/staff/reacties",
        crate::upload_limited(import, state, Class::Staff),
    )
}

/// `GET /api/v1/staff/export`: every item the server still holds, as an inbox bundle.
async fn export(State(state): State<AppState>, _: StaffAuth) -> Result<Response, AppError> {
    let items = state.db.call(db::all_items).await?;
    let day = meldpunt_envelope::domain::today();
    let file_name = format!("attachment; filename=\"meldpunt-inbox-{day}.tar\"");
    let tar = tokio::task::spawn_blocking(move || {
        let items: Vec<NewItem> = items
            .into_iter()
            .map(|i| NewItem {
                id: i.id,
                kind: match i.kind {
                    ItemKind::Melding => bundle::ItemKind::Melding,
                    ItemKind::Vervolg => bundle::ItemKind::Vervolg,
                    ItemKind::Bijlage => bundle::ItemKind::Bijlage,
                },
                lookup_hash: i.lookup_hash,
                organisatie: Some(i.organisation),
                received: Some(i.received_day),
                signature: None,
                parent: i.parent,
                ciphertext: i.ciphertext,
            })
            .collect();
        bundle::write(Vec::new(), BundleKind::Inbox, &day, &items)
    })
    .await??;
    Ok((
        [
            (header::CONTENT_TYPE, "application/x-tar".to_string()),
            (header::CONTENT_DISPOSITION, file_name),
        ],
        tar,
    )
        .into_response())
}

#[derive(Serialize)]
struct Imported {
    imported: usize,
    skipped: usize,
}

/// `POST /api/v1/staff/reacties`: stores the signed replies of a replies bundle.
///
/// All or nothing: the bundle's structure, every item's kind and signature, and
/// every item's case are checked before the one transaction that inserts them.
async fn import_replies(
    State(state): State<AppState>,
    _: StaffAuth,
    req: Request,
) -> Result<Json<Imported>, AppError> {
    require_content_type(req.headers(), "application/x-tar")?;
    let body = read_body(req).await?;
    if body.is_empty() {
        return Err(AppError::EmptyBody);
    }
    let key = state.config.signing_public_key;
    let day = meldpunt_envelope::domain::today();
    let replies = tokio::task::spawn_blocking(move || check_replies(&body, &key, &day)).await??;
    match state
        .db
        .write(move |c| db::import_replies(c, &replies))
        .await?
    {
        ImportOutcome::Imported { imported, skipped } => Ok(Json(Imported { imported, skipped })),
        ImportOutcome::UnknownCase { id } => Err(AppError::UnknownCase { id }),
    }
}

/// Reads a replies bundle and verifies every signature; the replies get `day`,
/// the day the server received them (it cannot read the day written inside).
fn check_replies(body: &[u8], key: &SigningPublicKey, day: &str) -> Result<Vec<Reply>, AppError> {
    let b = bundle::read(body, MAX_REPLIES_BUNDLE_BYTES as u64)
        .map_err(|e| AppError::InvalidBundle(e.to_string()))?;
    if b.manifest.kind != BundleKind::Replies {
        return Err(AppError::WrongBundleKind);
    }
    let mut replies = Vec::with_capacity(b.items.len());
    for (line, ciphertext) in b.items {
        if line.kind != bundle::ItemKind::Reactie {
            return Err(AppError::WrongBundleKind);
        }
        let lookup_hash = line
            .lookup_hash_bytes()
            .map_err(|e| AppError::InvalidBundle(e.to_string()))?;
        let signature = line
            .signature_bytes()
            .map_err(|e| AppError::InvalidBundle(e.to_string()))?;
        meldpunt_envelope::reply::verify(key, &lookup_hash, &ciphertext, &signature).map_err(
            |_| AppError::BadSignature {
                id: Some(line.id.clone()),
            },
        )?;
        let signature: [u8; 64] = signature.try_into().map_err(|_| AppError::BadSignature {
            id: Some(line.id.clone()),
        })?;
        replies.push(Reply {
            id: line.id,
            lookup_hash,
            day: day.to_string(),
            ciphertext,
            signature,
        });
    }
    Ok(replies)
}

#[derive(Serialize)]
struct Confirmed {
    deleted: usize,
    unknown: usize,
}

/// `POST /api/v1/staff/bevestiging`: the laptop's signed import confirmation. Once
/// its signature by the meldpunt's signing key checks out, the server deletes the
/// ciphertexts of the items it names (their cases stay, so replies and follow-ups
/// still find them). Ids the server does not hold (any more) are counted, not an
/// error, so sending the same confirmation twice is harmless.
async fn confirm(
    State(state): State<AppState>,
    _: StaffAuth,
    req: Request,
) -> Result<Json<Confirmed>, AppError> {
    require_content_type(req.headers(), "application/json")?;
    let body = read_body(req).await?;
    if body.is_empty() {
        return Err(AppError::EmptyBody);
    }
    let signed: SignedConfirmation =
        serde_json::from_slice(&body).map_err(|_| AppError::InvalidJson)?;
    signed
        .importbevestiging
        .validate()
        .map_err(|e| AppError::InvalidConfirmation(e.to_string()))?;
    signed
        .verify(&state.config.signing_public_key)
        .map_err(|_| AppError::BadSignature { id: None })?;
    let ids = signed.importbevestiging.items;
    let (deleted, unknown) = state.db.write(move |c| db::delete_items(c, &ids)).await?;
    tracing::info!(deleted, unknown, "import confirmation applied");
    Ok(Json(Confirmed { deleted, unknown }))
}
