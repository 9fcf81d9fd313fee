//! The meldpunt staff's side: fetch the inbox as a bundle, return signed replies.
//!
//! Both need the staff token. The server cannot read either bundle; it checks what
//! it can check without a secret key (bundle structure, that each reply is signed
//! by the configured signing key for a case it knows) before writing anything.

use axum::Json;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use meldpunt_envelope::bundle::{self, BundleKind, Manifest, ManifestItem};
use meldpunt_envelope::keys::SigningPublicKey;
use meldpunt_envelope::signed::SignedConfirmation;
use serde::Serialize;

use crate::db::{self, DbError, ImportOutcome, Reply};
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

/// `GET /api/v1/staff/export`: every item the server still holds, as an inbox bundle
/// whose manifest names this meldpunt by the configured `signing_public_key`.
///
/// Streamed: the manifest is made first from the items' sizes and hashes (each
/// ciphertext read in pieces), then each ciphertext is read again in pieces into
/// the tar, through a channel of a few pieces. So an export holds about
/// `EXPORT_PIECES` pieces of memory, not the whole inbox twice. Both passes run in
/// one read transaction on a connection of their own, so they see the same items
/// and no other read waits for a slow download. An error before the manifest is
/// a 500; one after it ends the body early, which the laptop's import refuses.
async fn export(State(state): State<AppState>, _: StaffAuth) -> Result<Response, AppError> {
    let day = meldpunt_envelope::Day::today().to_string();
    let file_name = format!("attachment; filename=\"meldpunt-inbox-{day}.tar\"");
    let path = state.config.database.clone();
    let meldpunt = state.config.signing_public_key;
    let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(EXPORT_PIECES);
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel::<Result<(), AppError>>();
    tokio::task::spawn_blocking(move || {
        let mut ready = Some(ready_tx);
        if let Err(e) = write_export(&path, &meldpunt, &day, tx.clone(), &mut ready) {
            match ready.take() {
                Some(r) => drop(r.send(Err(e))),
                None => {
                    tracing::error!("the export stopped part way: {e}");
                    let _ = tx.blocking_send(Err(std::io::Error::other("export failed")));
                }
            }
        }
    });
    ready_rx
        .await
        .map_err(|_| AppError::from(DbError::TaskFailed))??;
    let body = Body::from_stream(tokio_stream_from(rx));
    Ok((
        [
            (header::CONTENT_TYPE, "application/x-tar".to_string()),
            (header::CONTENT_DISPOSITION, file_name),
        ],
        body,
    )
        .into_response())
}

/// Pieces of [`db::EXPORT_PIECE`] bytes an export may have in flight.
const EXPORT_PIECES: usize = 4;

fn tokio_stream_from(
    mut rx: tokio::sync::mpsc::Receiver<std::io::Result<Bytes>>,
) -> impl futures_util::Stream<Item = std::io::Result<Bytes>> {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

/// Writes the bundle into `tx`; signals `ready` once the manifest is made.
fn write_export(
    path: &std::path::Path,
    meldpunt: &SigningPublicKey,
    day: &str,
    tx: tokio::sync::mpsc::Sender<std::io::Result<Bytes>>,
    ready: &mut Option<tokio::sync::oneshot::Sender<Result<(), AppError>>>,
) -> Result<(), AppError> {
    let mut conn = db::connect(path)?;
    let read = conn.transaction().map_err(DbError::from)?;
    let metas = db::item_metas(&read)?;
    if metas.len() > bundle::MAX_ITEMS {
        return Err(AppError::from(DbError::CommitFailed(format!(
            "the inbox holds {} items, more than one bundle may ({})",
            metas.len(),
            bundle::MAX_ITEMS
        ))));
    }
    let manifest = Manifest {
        format: bundle::FORMAT.to_string(),
        v: bundle::VERSION,
        kind: BundleKind::Inbox,
        meldpunt: Some(meldpunt.to_string()),
        created: day.to_string(),
        items: metas
            .iter()
            .map(|m| ManifestItem {
                id: m.id.clone(),
                kind: m.kind,
                lookup_hash: hex::encode(m.lookup_hash),
                organisatie: Some(m.organisation.clone()),
                received: Some(m.received_day.clone()),
                signature: None,
                parent: m.parent.clone(),
                size: m.size,
                sha256: hex::encode(m.sha256),
            })
            .collect(),
    };
    let bundle_err =
        |e: meldpunt_envelope::Error| AppError::from(DbError::CommitFailed(e.to_string()));
    // Anything wrong with the manifest is a 500 before the download starts, not a cut-off.
    manifest.validate().map_err(bundle_err)?;
    if let Some(r) = ready.take() {
        // The client has gone if nobody listens; the writes below then stop too.
        let _ = r.send(Ok(()));
    }
    let mut tar = bundle::StreamWriter::new(
        ChannelWriter {
            tx,
            buf: Vec::with_capacity(db::EXPORT_PIECE),
        },
        &manifest,
    )
    .map_err(bundle_err)?;
    for m in &metas {
        let blob = read
            .blob_open(rusqlite::MAIN_DB, c"items", c"ciphertext", m.rowid, true)
            .map_err(DbError::from)?;
        tar.append(blob).map_err(bundle_err)?;
    }
    let mut out = tar.finish().map_err(bundle_err)?;
    out.flush_piece().map_err(DbError::from)?;
    Ok(())
}

/// Sends what is written in pieces of [`db::EXPORT_PIECE`] bytes, waiting while
/// the channel is full (so a slow download slows the reading, not the memory).
struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<std::io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn flush_piece(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let piece = std::mem::replace(&mut self.buf, Vec::with_capacity(db::EXPORT_PIECE));
        self.tx
            .blocking_send(Ok(Bytes::from(piece)))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client left"))
    }
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let n = data.len().min(db::EXPORT_PIECE - self.buf.len());
        self.buf.extend_from_slice(&data[..n]);
        if self.buf.len() == db::EXPORT_PIECE {
            self.flush_piece()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.flush_piece()
    }
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
    let day = meldpunt_envelope::Day::today().to_string();
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
    /// Items deleted, imported and set aside together.
    deleted: usize,
    /// Ids the server did not hold (any more).
    unknown: usize,
    /// Of `deleted`, the items the laptop set aside.
    set_aside: usize,
}

/// `POST /api/v1/staff/bevestiging`: the laptop's signed import confirmation. Once
/// its signature by the meldpunt's signing key checks out, the server deletes the
/// ciphertexts of the items it names, those the laptop imported and those it set
/// aside (not sealed to the meldpunt, damaged, or no valid melding), so nothing an
/// anonymous sender posts stays on the server for good. The cases stay, so replies
/// and follow-ups still find them. Ids the server does not hold (any more) are
/// counted, not an error, so sending the same confirmation twice is harmless.
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
    let c = signed.importbevestiging;
    let (items, set_aside) = (c.items, c.set_aside);
    let (deleted, unknown, set_aside) = state
        .db
        .write(move |c| {
            let (imported, unknown_imported) = db::delete_items(c, &items)?;
            let (put_aside, unknown_put_aside) = db::delete_items(c, &set_aside)?;
            Ok((
                imported + put_aside,
                unknown_imported + unknown_put_aside,
                put_aside,
            ))
        })
        .await?;
    tracing::info!(deleted, unknown, set_aside, "import confirmation applied");
    Ok(Json(Confirmed {
        deleted,
        unknown,
        set_aside,
    }))
}
