//! A guard in front of the static page's file service (`ServeDir`).
//!
//! `ServeDir` answers 500 for any file-system error other than "not found" and
//! "permission denied". A path segment longer than a file name may be (255 bytes
//! on Linux, and `.br`/`.gz` is appended when it looks for a precompressed
//! sibling) makes `open` fail with "file name too long", so a long segment from
//! anyone gave a 500. Such a segment cannot name one of the page's files, so it is
//! refused as not found before the file system is asked; and any other error the
//! file service meets is logged and answered as not found, never as a 5xx.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// Longest path segment looked up on disk: a file name (255 bytes) less room
/// for a precompressed sibling's suffix, with a margin. No file of the page
/// comes near it.
pub const MAX_SEGMENT: usize = 200;

/// Middleware for the file service: long segments are not found, and the file
/// service's own 5xx become a logged 404.
pub async fn guard(req: Request, next: Next) -> Response {
    if req
        .uri()
        .path()
        .split('/')
        .any(|segment| segment.len() > MAX_SEGMENT)
    {
        return AppError::NotFound.into_response();
    }
    let resp = next.run(req).await;
    if resp.status().is_server_error() {
        tracing::error!(status = %resp.status(), "the page's file service failed");
        return AppError::NotFound.into_response();
    }
    resp
}
