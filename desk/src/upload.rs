//! An inbox bundle chosen in a form, read as it arrives. The form's `bundle` field is
//! passed on chunk by chunk, through a short queue, to a reader off the async threads,
//! where the library checks the tar (manifest, sizes, hashes) while the browser is still
//! sending it. The bundle is held once, as the library's items, never as the whole
//! upload and a copy of it; the import can start as soon as the last byte is in.

use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::Multipart;
use axum::extract::multipart::{Field, MultipartError};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use meldpunt_envelope::bundle::Bundle;
use meldpunt_keys::import::read_inbox_from;
use tokio::sync::mpsc;

use crate::state::Desk;

/// Chunks of the upload that may wait for the reader (a few MB at most): the
/// browser's sending is held back when the check falls behind.
const QUEUE: usize = 32;

/// A chunk of the upload, or why the upload broke off (the status the desk answers).
type Chunk = Result<Bytes, StatusCode>;

/// The upload as a [`Read`], fed by [`inbox`]'s pump.
struct Chunks {
    rx: mpsc::Receiver<Chunk>,
    current: Bytes,
    /// Set when the upload itself broke off (too large, cut short).
    broken: Option<StatusCode>,
}

impl Read for Chunks {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            match self.rx.blocking_recv() {
                Some(Ok(chunk)) => self.current = chunk,
                Some(Err(status)) => {
                    self.broken = Some(status);
                    return Err(io::Error::other("the upload broke off"));
                }
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        self.current = self.current.slice(n..);
        Ok(n)
    }
}

/// The inbox bundle of the form's `bundle` field, as [`read_inbox_from`] read and
/// checked it; `None` when no file (or an empty one) was chosen.
pub type Upload = Option<(String, meldpunt_keys::Result<Bundle>)>;

/// Reads the form's `bundle` field as it arrives and checks it as an inbox bundle,
/// then runs `then` with it on the same thread, off the async threads (it may write
/// the store). An upload that breaks off before the bundle is whole (too large, cut
/// short) gets its status, which the guard words; nothing is written then.
pub async fn inbox<F>(desk: Arc<Desk>, mut form: Multipart, then: F) -> Response
where
    F: FnOnce(&Desk, Upload) -> Response + Send + 'static,
{
    while let Ok(Some(mut field)) = form.next_field().await {
        if field.name() != Some("bundle") {
            continue;
        }
        let name = field.file_name().unwrap_or("inbox.tar").to_string();
        // The browser sends an empty field when no file was chosen.
        let first = loop {
            match field.chunk().await {
                Ok(Some(chunk)) if chunk.is_empty() => {}
                Ok(Some(chunk)) => break Some(chunk),
                Ok(None) => break None,
                Err(e) => return status_of(&e).into_response(),
            }
        };
        let Some(first) = first else {
            continue;
        };
        let (tx, rx) = mpsc::channel(QUEUE);
        let work = crate::blocking(desk, move |d| {
            let mut reader = Chunks {
                rx,
                current: Bytes::new(),
                broken: None,
            };
            let bundle = read_inbox_from(&mut reader, Path::new(&name));
            let broken = reader.broken;
            // The rest of the upload (the tar's padding, the form's end) is read and
            // dropped by the pump, so the browser gets this answer, not a reset.
            drop(reader);
            match (bundle, broken) {
                (Err(_), Some(status)) => status.into_response(),
                (bundle, _) => then(d, Some((name, bundle))),
            }
        });
        let (response, ()) = tokio::join!(work, pump(field, first, tx));
        return response;
    }
    crate::blocking(desk, move |d| then(d, None)).await
}

/// Passes the field's chunks to the reader; once the reader has stopped, reads the
/// rest and drops it.
async fn pump(mut field: Field<'_>, first: Bytes, tx: mpsc::Sender<Chunk>) {
    let mut tx = Some(tx);
    let mut next: Result<Option<Bytes>, MultipartError> = Ok(Some(first));
    loop {
        let chunk = match next {
            Ok(Some(chunk)) => Ok(chunk),
            Ok(None) => return,
            Err(e) => Err(status_of(&e)),
        };
        let end = chunk.is_err();
        if let Some(t) = &tx
            && t.send(chunk).await.is_err()
        {
            tx = None;
        }
        if end {
            return;
        }
        next = field.chunk().await;
    }
}

/// The status for an upload that broke off: too large, or else one the desk could not
/// read (a connection cut short is the sender's doing, not a fault of the desk's).
fn status_of(e: &MultipartError) -> StatusCode {
    match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::BAD_REQUEST,
    }
}
