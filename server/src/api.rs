//! The reporter's side of the API: the page's config, taking a sealed melding or
//! follow-up with its attachments, handing out sealed replies to whoever proves
//! they hold the token.

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use meldpunt_envelope::domain::is_valid_slug;
use meldpunt_envelope::signed::{Receipt, SignedReceipt};
use meldpunt_envelope::token::LookupKey;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::db::{self, Blob, Intake, ItemKind, Stored, Submission};
use crate::error::AppError;
use crate::extract::{self, required_header};
use crate::intake::{self, Upload};
use crate::{AppState, Class};

pub const HEADER_ORGANISATIE: &str = "Meldpunt-Organisatie";
pub const HEADER_LOOKUP_HASH: &str = "Meldpunt-Lookup-Hash";
pub const HEADER_LOOKUP_KEY: &str = "Meldpunt-Lookup-Key";
/// A request's proof of work: `<seed hex>:<effort>:<nonce hex>` (see `crate::pow`).
pub const HEADER_POW: &str = "Meldpunt-Pow";
/// `bestuurder` when a melding is sealed to its organisation's bestuurder
/// recipients (or a follow-up to its case's); absent or `standaard` otherwise.
pub const HEADER_ROUTE: &str = "Meldpunt-Route";

/// Largest body of `POST /api/v1/reacties`: a lookup key in JSON is under 100 bytes.
pub const MAX_LOOKUP_BODY: usize = 4 << 10;

/// The reporter's routes without a large body.
pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/api/v1/config", get(config))
        .route("/api/v1/pow", get(pow_level))
        .route(
            "/api/v1/reacties",
            crate::rate_limited(
                post(reacties).layer(DefaultBodyLimit::max(MAX_LOOKUP_BODY)),
                state,
                Class::Lookups,
            ),
        )
}

/// The reporter's routes with a body, each under its class's rate limit.
pub fn upload_routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/meldingen",
            crate::upload_limited(post(submit_melding), state, Class::Submissions),
        )
        .route(
            "/api/v1/vervolg",
            crate::upload_limited(post(submit_vervolg), state, Class::Submissions),
        )
}

/// `GET /api/v1/config`: what the page needs to seal a melding, prove its work and
/// check replies and receipts.
async fn config(State(state): State<AppState>) -> Json<serde_json::Value> {
    let c = &state.config;
    let organisations: Vec<_> = c
        .organisations
        .iter()
        .map(|o| {
            let mut v =
                serde_json::json!({"slug": o.slug, "name": o.name, "recipients": o.recipients});
            if !o.bestuurder_recipients.is_empty() {
                v["bestuurder_recipients"] = serde_json::json!(o.bestuurder_recipients);
            }
            v
        })
        .collect();
    Json(serde_json::json!({
        "v": 1,
        "name": c.name,
        "organisations": organisations,
        "signing_key": c.signing_public_key.to_string(),
        "receipt_key": state.receipt_key.public().to_string(),
        "pow": pow_json(&state),
        "max_submission_bytes": c.max_submission_bytes,
    }))
}

/// The answer to a stored submission.
#[derive(Serialize)]
pub struct Created {
    pub id: String,
    pub received: String,
    pub ontvangstbewijs: SignedReceipt,
}

/// The proof-of-work parameters, seed and levels, or `null` when it is off.
fn pow_json(state: &AppState) -> serde_json::Value {
    if state.pow.enabled() {
        serde_json::to_value(state.pow.published()).unwrap_or_default()
    } else {
        serde_json::Value::Null
    }
}

/// `GET /api/v1/pow`: the current seed and the effort each class asks for now.
async fn pow_level(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(pow_json(&state))
}

/// The melding SHA-256 the request's proof of work was bound to (the rate-limit
/// middleware checked the proof), when the proof of work is on.
fn pow_declared(state: &AppState, req: &Request) -> Result<Option<[u8; 32]>, AppError> {
    if !state.pow.enabled() {
        return Ok(None);
    }
    let d = req
        .extensions()
        .get::<crate::pow::Declared>()
        .ok_or(AppError::BadProofOfWork)?;
    Ok(Some(d.melding_sha256))
}

/// Once the melding's hash is known: is it the one the proof was bound to?
fn pow_check(declared: Option<[u8; 32]>) -> impl FnOnce(&[u8; 32]) -> Result<(), AppError> {
    move |sha| match declared {
        Some(d) if d != *sha => Err(AppError::BadProofOfWork),
        _ => Ok(()),
    }
}

/// `POST /api/v1/meldingen`: stores a first melding (and its attachments) and
/// opens its case.
///
/// Checks run cheapest first, and the body is read only once the headers are
/// right. The 201 goes out only after the group commit that holds it.
async fn submit_melding(
    State(state): State<AppState>,
    req: Request,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let headers = req.headers();
    intake::check_content_type(headers)?;
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
    let bestuurder = route(headers)?;
    if bestuurder
        && state
            .config
            .organisation(&organisation)
            .is_none_or(|o| o.bestuurder_recipients.is_empty())
    {
        return Err(AppError::NoBestuurderRoute);
    }
    let pow_sha = pow_declared(&state, &req)?;

    store(
        &state,
        req,
        ItemKind::Melding,
        organisation,
        lookup_hash,
        pow_sha,
        bestuurder,
    )
    .await
}

/// Whether `Meldpunt-Route` names the bestuurder recipients.
fn route(headers: &HeaderMap) -> Result<bool, AppError> {
    match headers.get(HEADER_ROUTE).map(|v| v.to_str()) {
        None => Ok(false),
        Some(Ok("standaard")) => Ok(false),
        Some(Ok("bestuurder")) => Ok(true),
        Some(_) => Err(AppError::InvalidHeader(HEADER_ROUTE)),
    }
}

/// `POST /api/v1/vervolg`: a follow-up from the reporter on their case, proven by
/// the lookup key (hashed at once and forgotten).
async fn submit_vervolg(
    State(state): State<AppState>,
    req: Request,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let headers = req.headers();
    intake::check_content_type(headers)?;
    let lookup_hash = {
        let key = Zeroizing::new(required_header(headers, HEADER_LOOKUP_KEY)?.to_string());
        LookupKey::from_hex(&key)
            .map_err(|_| AppError::InvalidLookupKey)?
            .hash()
    };
    let pow_sha = pow_declared(&state, &req)?;
    // The page names the organisation and route the look-up gave it; a follow-up
    // is filed under its case's, and one that names others is refused, so a page
    // that sealed it to the wrong recipients hears so at once.
    let named_org = match headers.get(HEADER_ORGANISATIE) {
        None => None,
        Some(v) => Some(
            v.to_str()
                .ok()
                .filter(|o| is_valid_slug(o))
                .ok_or(AppError::InvalidHeader(HEADER_ORGANISATIE))?
                .to_string(),
        ),
    };
    let named_route = headers
        .get(HEADER_ROUTE)
        .is_some()
        .then(|| route(headers))
        .transpose()?;
    let case = state
        .db
        .call(move |c| db::case_info(c, &lookup_hash))
        .await?
        .ok_or(AppError::UnknownToken)?;
    if named_org.is_some_and(|o| o != case.organisation)
        || named_route.is_some_and(|b| b != case.bestuurder)
    {
        return Err(AppError::OrganisationMismatch);
    }
    store(
        &state,
        req,
        ItemKind::Vervolg,
        case.organisation,
        lookup_hash,
        pow_sha,
        case.bestuurder,
    )
    .await
}

/// Reads the body (checking the proof of work before any attachment) and stores it
/// as a melding or follow-up; the body's memory stays charged until the commit.
async fn store(
    state: &AppState,
    req: Request,
    kind: ItemKind,
    organisation: String,
    lookup_hash: [u8; 32],
    pow_sha: Option<[u8; 32]>,
    bestuurder: bool,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let upload = intake::read_upload(
        req,
        state.config.max_submission_bytes,
        &state.upload_memory,
        &intake::Recipients::of(&state.config, &organisation),
        pow_check(pow_sha),
    )
    .await?;
    let Upload {
        melding,
        melding_sha256,
        bijlagen,
        reservation,
    } = upload;
    let created = store_submission(
        state,
        kind,
        organisation,
        lookup_hash,
        melding,
        melding_sha256,
        bijlagen,
        bestuurder,
    )
    .await;
    drop(reservation);
    Ok((StatusCode::CREATED, Json(created?)))
}

/// Stores a melding or follow-up with its attachments and, after the commit,
/// signs the ontvangstbewijs. Shared by the API and the no-JavaScript form.
///
/// The same bytes sent again for the same case (a resend after a lost answer) are
/// not stored twice: the answer names the item stored the first time, with the
/// same ontvangstbewijs (Ed25519 signatures are deterministic).
#[allow(clippy::too_many_arguments)]
pub async fn store_submission(
    state: &AppState,
    kind: ItemKind,
    organisation: String,
    lookup_hash: [u8; 32],
    melding: Blob,
    melding_sha256: [u8; 32],
    bijlagen: Vec<Blob>,
    bestuurder: bool,
) -> Result<Created, AppError> {
    let bijlagen = bijlagen
        .into_iter()
        .map(|b| Ok((meldpunt_envelope::random_id()?, b)))
        .collect::<Result<Vec<_>, AppError>>()?;
    let submission = Submission {
        kind,
        id: meldpunt_envelope::random_id()?,
        organisation,
        lookup_hash,
        received_day: meldpunt_envelope::Day::today().to_string(),
        ciphertext: melding,
        bijlagen,
    };
    let intake = Intake {
        sha256: Some(melding_sha256),
        bestuurder,
    };
    let (id, received) = (submission.id.clone(), submission.received_day.clone());
    let outcome = state
        .db
        .write(move |c| db::insert_submission_once(c, &submission, &intake))
        .await?;
    let (id, received, organisation) = match outcome {
        Stored::Stored { organisation } => (id, received, organisation),
        Stored::Resent {
            id,
            received_day,
            organisation,
        } => (id, received_day, organisation),
        Stored::CaseExists => return Err(AppError::CaseExists),
        Stored::NoCase => return Err(AppError::UnknownToken),
        Stored::Mismatch => return Err(AppError::OrganisationMismatch),
    };
    created(
        state,
        id,
        received,
        organisation,
        lookup_hash,
        melding_sha256,
    )
}

/// The answer to a stored item, with its signed ontvangstbewijs.
pub fn created(
    state: &AppState,
    id: String,
    received: String,
    organisation: String,
    lookup_hash: [u8; 32],
    sha256: [u8; 32],
) -> Result<Created, AppError> {
    let ontvangstbewijs = Receipt {
        v: 1,
        id: id.clone(),
        received: received.clone(),
        organisatie: organisation,
        lookup_hash: hex::encode(lookup_hash),
        sha256: hex::encode(sha256),
    }
    .sign(&state.receipt_key)?;
    Ok(Created {
        id,
        received,
        ontvangstbewijs,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RepliesRequest {
    lookup_key: String,
}

#[derive(Serialize)]
struct RepliesResponse {
    reacties: Vec<ReplyOut>,
    /// The case's organisation and whether its melding went to the bestuurder
    /// recipients: the page seals follow-ups to the same recipients.
    organisatie: String,
    bestuurder: bool,
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
    let (case, replies) = state
        .db
        .call(move |c| {
            let Some(case) = db::case_info(c, &lookup_hash)? else {
                return Ok::<_, AppError>(None);
            };
            Ok(db::replies_for(c, &lookup_hash)?.map(|r| (case, r)))
        })
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
    Ok(Json(RepliesResponse {
        reacties,
        organisatie: case.organisation,
        bestuurder: case.bestuurder,
    }))
}
