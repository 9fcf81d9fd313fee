//! The one error type of the HTTP API and its one rendering.
//!
//! Every failure becomes `{"error": code, "message": sentence}`. A 4xx carries a
//! fixed English sentence per code that tells the client what to change; a 5xx says
//! only that something went wrong, and its cause goes to the log, never to the
//! client. Codes are part of the API (the page and `meldpunt-keys` match on them).

use axum::Json;
use axum::extract::rejection::{BytesRejection, JsonRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::db::DbError;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    #[error("missing header {0}")]
    MissingHeader(&'static str),
    #[error("invalid header {0}")]
    InvalidHeader(&'static str),
    #[error("unsupported media type, expected {0}")]
    UnsupportedMediaType(&'static str),
    #[error("unknown organisation")]
    UnknownOrganisation,
    #[error("empty body")]
    EmptyBody,
    #[error("body too large")]
    TooLarge,
    #[error("body could not be read")]
    UnreadableBody,
    #[error("not a binary age file")]
    NotAgeFile,
    /// The age file's header or length is not well-formed; the reason is a fixed text.
    #[error("invalid age file: {0}")]
    InvalidAgeFile(meldpunt_envelope::header::HeaderError),
    /// A recipient stanza is of a type Meldpunt does not seal to (not X25519).
    #[error("recipient type")]
    RecipientType,
    /// The number of X25519 recipients is not that of the organisation.
    #[error("recipient count")]
    RecipientCount,
    #[error("case exists")]
    CaseExists,
    /// A follow-up (or a resend) names another organisation or route than its case.
    #[error("organisation mismatch")]
    OrganisationMismatch,
    /// `Meldpunt-Route: bestuurder` for an organisation without bestuurder recipients.
    #[error("no bestuurder recipients")]
    NoBestuurderRoute,
    #[error("invalid JSON")]
    InvalidJson,
    #[error("invalid lookup key")]
    InvalidLookupKey,
    #[error("unknown token")]
    UnknownToken,
    #[error("unauthorized")]
    Unauthorized,
    /// The replies bundle did not pass the envelope's checks; the text says why.
    #[error("invalid bundle")]
    InvalidBundle(String),
    #[error("wrong bundle kind")]
    WrongBundleKind,
    /// A reply (with its id) or an import confirmation (no id) is not signed by the
    /// meldpunt's signing key.
    #[error("bad signature")]
    BadSignature { id: Option<String> },
    #[error("invalid multipart body: {0}")]
    InvalidMultipart(&'static str),
    #[error("bad proof of work")]
    BadProofOfWork,
    /// The proof of work is missing its turn: too little effort, an old seed, used
    /// before, or outbid while waiting. Carries the effort to solve at.
    #[error("more work needed")]
    MoreWork { effort: u32 },
    #[error("invalid import confirmation")]
    InvalidConfirmation(String),
    #[error("rate limited")]
    RateLimited,
    #[error("timeout")]
    Timeout,
    #[error("unknown case for {id}")]
    UnknownCase { id: String },
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    /// Too many uploads at once.
    #[error("busy")]
    Busy,
    /// Something failed on our side; the text is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    message: String,
    /// For `more_work_needed`: the effort to solve at.
    #[serde(skip_serializing_if = "Option::is_none")]
    effort: Option<u32>,
}

impl AppError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        self.parts().0
    }

    /// The sentence the client sees.
    pub fn message(&self) -> String {
        self.parts().2
    }

    /// Status, code and the sentence the client sees.
    fn parts(&self) -> (StatusCode, &'static str, String) {
        use AppError::*;
        let (status, code, message) = match self {
            MissingHeader(h) => (StatusCode::BAD_REQUEST, "missing_header", format!("The request needs the header {h}.")),
            InvalidHeader(h) => (
                StatusCode::BAD_REQUEST,
                "invalid_header",
                format!("The header {h} is not valid; see docs/PROTOCOL.md for its form."),
            ),
            UnsupportedMediaType(t) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                format!("Send this request with Content-Type: {t}."),
            ),
            UnknownOrganisation => (
                StatusCode::BAD_REQUEST,
                "unknown_organisation",
                "This meldpunt does not serve that organisation; choose one listed in /api/v1/config.".into(),
            ),
            EmptyBody => (StatusCode::BAD_REQUEST, "empty_body", "The request body is empty.".into()),
            TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "The request body is larger than this meldpunt accepts.".into(),
            ),
            UnreadableBody => (StatusCode::BAD_REQUEST, "unreadable_body", "The request body could not be read completely.".into()),
            NotAgeFile => (
                StatusCode::BAD_REQUEST,
                "not_age_file",
                "The body must be a binary age file sealed to X25519 recipients (not armored, not sealed with a passphrase)."
                    .into(),
            ),
            InvalidAgeFile(why) => (
                StatusCode::BAD_REQUEST,
                "invalid_age_file",
                format!("The age file is not well-formed: {why}."),
            ),
            RecipientType => (
                StatusCode::BAD_REQUEST,
                "recipient_type",
                "Every recipient of the age file must be an X25519 recipient (age1...); this meldpunt accepts no other type."
                    .into(),
            ),
            RecipientCount => (
                StatusCode::BAD_REQUEST,
                "recipient_count",
                "The age file is not sealed to this organisation's recipients: the number of X25519 recipients differs. Load the page again to get the current keys."
                    .into(),
            ),
            CaseExists => (
                StatusCode::CONFLICT,
                "case_exists",
                "A melding with this reply token exists already; make a new token for a new melding.".into(),
            ),
            OrganisationMismatch => (
                StatusCode::CONFLICT,
                "organisation_mismatch",
                "This names another organisation or route than its case; nothing was stored. Look the case up again and seal it to the recipients of the organisation the look-up names."
                    .into(),
            ),
            NoBestuurderRoute => (
                StatusCode::BAD_REQUEST,
                "no_bestuurder_recipients",
                "This organisation has no separate recipients for meldingen about a bestuurder; seal the melding to its recipients and send it without Meldpunt-Route."
                    .into(),
            ),
            InvalidJson => (
                StatusCode::BAD_REQUEST,
                "invalid_json",
                "The request body is not the JSON this endpoint expects; see docs/PROTOCOL.md.".into(),
            ),
            InvalidLookupKey => (
                StatusCode::BAD_REQUEST,
                "invalid_lookup_key",
                "The lookup key must be 64 hexadecimal digits.".into(),
            ),
            UnknownToken => (
                StatusCode::NOT_FOUND,
                "unknown_token",
                "No melding belongs to this token; check that it was typed correctly.".into(),
            ),
            Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "This needs a valid staff token in the header Authorization: Bearer <token>.".into(),
            ),
            InvalidBundle(why) => (
                StatusCode::BAD_REQUEST,
                "invalid_bundle",
                format!("The bundle was refused and nothing was imported: {why}."),
            ),
            WrongBundleKind => (
                StatusCode::BAD_REQUEST,
                "wrong_bundle_kind",
                "This is not a replies bundle; nothing was imported. Upload the bundle meldpunt-keys made for the server."
                    .into(),
            ),
            BadSignature { id: Some(id) } => (
                StatusCode::BAD_REQUEST,
                "bad_signature",
                format!(
                    "Reply {id} is not signed with this meldpunt's signing key; nothing was imported. Check signing_public_key in the server config."
                ),
            ),
            BadSignature { id: None } => (
                StatusCode::BAD_REQUEST,
                "bad_signature",
                "The import confirmation is not signed with this meldpunt's signing key; nothing was deleted. Check signing_public_key in the server config.".into(),
            ),
            InvalidMultipart(why) => (
                StatusCode::BAD_REQUEST,
                "invalid_multipart",
                format!("The multipart body was refused and nothing was stored: {why}. Send a part named melding, then parts named bijlage."),
            ),
            BadProofOfWork => (
                StatusCode::BAD_REQUEST,
                "bad_proof_of_work",
                "The proof of work in Meldpunt-Pow is not a solution for this request; nothing was stored. See docs/PROTOCOL.md.".into(),
            ),
            MoreWork { effort } => (
                StatusCode::TOO_MANY_REQUESTS,
                "more_work_needed",
                format!(
                    "A new proof of work is needed: the meldpunt is busy and serves more work first, or this proof was below the effort asked, used a seed that is unknown or expired, or was used before; nothing was stored. Fetch a seed from /api/v1/pow and send the request again with a new proof of effort {effort} or more."
                ),
            ),
            InvalidConfirmation(why) => (
                StatusCode::BAD_REQUEST,
                "invalid_confirmation",
                format!("The import confirmation was refused and nothing was deleted: {why}."),
            ),
            RateLimited => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "The meldpunt receives too many requests of this kind right now; nothing was stored. Please try again in a minute.".into(),
            ),
            Timeout => (
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                "The request took too long and was stopped; nothing was stored. Please try again.".into(),
            ),
            UnknownCase { id } => (
                StatusCode::BAD_REQUEST,
                "unknown_case",
                format!("Reply {id} is for a case this server does not know; nothing was imported."),
            ),
            NotFound => (StatusCode::NOT_FOUND, "not_found", "There is nothing at this address.".into()),
            MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "This address does not accept that method.".into(),
            ),
            Busy => (
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "The meldpunt is busy right now; nothing was stored. Please try again in a minute.".into(),
            ),
            Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Something went wrong on the server. Please try again later.".into(),
            ),
        };
        (status, code, message)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(cause) = &self {
            tracing::error!("{cause}");
        }
        let (status, code, message) = self.parts();
        let effort = match self {
            AppError::MoreWork { effort } => Some(effort),
            _ => None,
        };
        let mut resp = (
            status,
            Json(ErrorBody {
                error: code,
                message,
                effort,
            }),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(effort) = effort {
            // More work is the wait: the client may send again once it has solved.
            let h = resp.headers_mut();
            h.insert(header::RETRY_AFTER, HeaderValue::from_static("0"));
            h.insert("meldpunt-pow-effort", HeaderValue::from(effort));
        } else if status == StatusCode::SERVICE_UNAVAILABLE
            || status == StatusCode::TOO_MANY_REQUESTS
        {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        }
        resp
    }
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(_: tokio::task::JoinError) -> Self {
        AppError::Internal("a blocking task failed to complete".into())
    }
}

impl From<meldpunt_envelope::Error> for AppError {
    /// Envelope errors that reach here without a more specific mapping are ours
    /// (the random number generator, writing a bundle): a 500.
    fn from(e: meldpunt_envelope::Error) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl From<JsonRejection> for AppError {
    fn from(r: JsonRejection) -> Self {
        match r.status() {
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                AppError::UnsupportedMediaType("application/json")
            }
            StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
            _ => AppError::InvalidJson,
        }
    }
}

impl From<BytesRejection> for AppError {
    fn from(r: BytesRejection) -> Self {
        match r.status() {
            StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
            _ => AppError::UnreadableBody,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_say_nothing_about_the_cause() {
        let (status, code, message) =
            AppError::Internal("UNIQUE constraint failed: items.id".into()).parts();
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(code, "internal");
        assert!(!message.contains("UNIQUE") && !message.contains("items"));
    }

    #[test]
    fn every_client_error_is_a_4xx_with_a_sentence() {
        let all = [
            AppError::MissingHeader("X"),
            AppError::InvalidHeader("X"),
            AppError::UnsupportedMediaType("a/b"),
            AppError::UnknownOrganisation,
            AppError::EmptyBody,
            AppError::TooLarge,
            AppError::UnreadableBody,
            AppError::NotAgeFile,
            AppError::InvalidAgeFile(meldpunt_envelope::header::HeaderError::MalformedMac),
            AppError::RecipientType,
            AppError::RecipientCount,
            AppError::CaseExists,
            AppError::OrganisationMismatch,
            AppError::NoBestuurderRoute,
            AppError::InvalidJson,
            AppError::InvalidLookupKey,
            AppError::UnknownToken,
            AppError::Unauthorized,
            AppError::InvalidBundle("the bundle is not valid: x".into()),
            AppError::WrongBundleKind,
            AppError::BadSignature {
                id: Some("a".into()),
            },
            AppError::InvalidMultipart("x"),
            AppError::BadProofOfWork,
            AppError::MoreWork { effort: 2000 },
            AppError::InvalidConfirmation("x".into()),
            AppError::RateLimited,
            AppError::Timeout,
            AppError::UnknownCase { id: "a".into() },
            AppError::NotFound,
            AppError::MethodNotAllowed,
        ];
        let mut codes = std::collections::HashSet::new();
        for e in all {
            let (status, code, message) = e.parts();
            assert!(status.is_client_error(), "{code}");
            assert!(
                message.ends_with('.') && message.starts_with(char::is_uppercase),
                "{message}"
            );
            assert!(codes.insert(code), "{code} used twice");
        }
    }
}
