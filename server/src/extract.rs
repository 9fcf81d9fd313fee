//! Request extractors and header checks that answer in the app's error shape.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use sha2::{Digest, Sha256};
use subtle::{Choice, ConstantTimeEq};

use crate::AppState;
use crate::error::AppError;

/// `axum::Json`, but malformed input is refused with an [`AppError`].
pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    axum::Json<T>: FromRequest<S, Rejection = axum::extract::rejection::JsonRejection>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let axum::Json(value) = axum::Json::<T>::from_request(req, state).await?;
        Ok(Json(value))
    }
}

/// Refuses a request whose `Content-Type` is not `expected` (parameters ignored).
pub fn require_content_type(headers: &HeaderMap, expected: &'static str) -> Result<(), AppError> {
    let ok = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim())
        .is_some_and(|v| v.eq_ignore_ascii_case(expected));
    if ok {
        Ok(())
    } else {
        Err(AppError::UnsupportedMediaType(expected))
    }
}

/// The value of a required header as text.
pub fn required_header<'a>(
    headers: &'a HeaderMap,
    name: &'static str,
) -> Result<&'a str, AppError> {
    let v = headers.get(name).ok_or(AppError::MissingHeader(name))?;
    let s = v
        .to_str()
        .map_err(|_| AppError::InvalidHeader(name))?
        .trim();
    if s.is_empty() {
        Err(AppError::MissingHeader(name))
    } else {
        Ok(s)
    }
}

/// Buffers the body within the route's `DefaultBodyLimit`.
pub async fn read_body(req: Request) -> Result<Bytes, AppError> {
    Ok(Bytes::from_request(req, &()).await?)
}

/// Proof that the request carried a valid staff token.
///
/// The token is hashed and compared with every configured hash in constant time,
/// so neither timing nor the order of the list tells anything about a near miss.
pub struct StaffAuth;

impl FromRequestParts<AppState> for StaffAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if staff_token_valid(&parts.headers, &state.config.staff_token_sha256) {
            Ok(StaffAuth)
        } else {
            Err(AppError::Unauthorized)
        }
    }
}

/// True when the request carries `Authorization: Bearer <token>` with a token whose
/// hash is one of `hashes` (compared in constant time). The staff rate limit uses
/// it too, to keep failed attempts on a budget of their own.
pub fn staff_token_valid(headers: &HeaderMap, hashes: &[[u8; 32]]) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        })
        .filter(|t| !t.is_empty())
        .is_some_and(|token| token_matches(token, hashes))
}

fn token_matches(token: &str, hashes: &[[u8; 32]]) -> bool {
    let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
    hashes
        .iter()
        .fold(Choice::from(0), |found, h| found | h.ct_eq(&digest))
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_hash_comparison() {
        let h: [u8; 32] = Sha256::digest(b"geheim").into();
        assert!(token_matches("geheim", &[[0; 32], h]));
        assert!(!token_matches("Geheim", &[h]));
        assert!(!token_matches("geheim", &[]));
    }

    #[test]
    fn content_type_ignores_parameters_and_case() {
        let mut h = HeaderMap::new();
        assert!(require_content_type(&h, "application/json").is_err());
        h.insert(
            header::CONTENT_TYPE,
            "Application/JSON; charset=utf-8".parse().unwrap(),
        );
        assert!(require_content_type(&h, "application/json").is_ok());
        assert!(require_content_type(&h, "application/x-tar").is_err());
    }
}
