//! The meldpunt staff's side: fetch the inbox as a bundle, return signed replies.
//!
//! Both need the staff token. The server cannot read either bundle; it checks what
//! it can check without a secret key (bundle structure, that each reply is signed
//! by the configured signing key for a case it knows) before writing anything.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use meldpunt_envelope::bundle::{self, BundleKind, NewItem};
use meldpunt_envelope::keys::SigningPublicKey;
use serde::Serialize;
use tokio::sync::Semaphore;

use crate::AppState;
use crate::db::{self, ImportOutcome, ItemKind, Reply};
use crate::error::AppError;
use crate::extract::{StaffAuth, read_body, require_content_type};

/// Largest replies bundle accepted. A padded reply is a few KiB, so this is
/// thousands of replies; a bundle is held in memory while it is checked.
pub const MAX_REPLIES_BUNDLE_BYTES: usize = 64 << 20;

pub fn routes(uploads: &Arc<Semaphore>) -> Router<AppState> {
    let import = post(import_replies).layer(DefaultBodyLimit::max(MAX_REPLIES_BUNDLE_BYTES));
    Router::new()
        .route("/api/v1/staff/export", get(export))
        .route(
            "/api/v1/staff/reacties",
            crate::upload_limited(import, uploads),
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
                },
                lookup_hash: i.lookup_hash,
                organisatie: Some(i.organisation),
                received: Some(i.received_day),
                signature: None,
                parent: None,
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
        .call(move |c| db::import_replies(c, &replies))
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
                id: line.id.clone(),
            },
        )?;
        let signature: [u8; 64] = signature.try_into().map_err(|_| AppError::BadSignature {
            id: line.id.clone(),
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
