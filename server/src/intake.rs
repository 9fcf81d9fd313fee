//! Reading a submission's body as it streams in: either one age file
//! (`application/octet-stream`) or `multipart/form-data` with the melding first and
//! its attachments after it.
//!
//! The body is held once, in the pieces it arrived in ([`Blob`]), never copied
//! into one buffer and never held twice. Every piece is charged to a shared
//! [`MemoryBudget`], so however many uploads arrive at once, the bodies in memory
//! never exceed the configured total: past it the server answers 503 at once.
//! Checks run as early as the bytes allow: the size limit per piece, the age magic
//! after the first bytes, the whole age header (envelope's `header`: X25519
//! stanzas only, as many as the organisation has recipients, a well-formed MAC
//! line) as soon as it is in, the payload's length when the file is complete, and
//! the proof of work as soon as the melding is complete (before any attachment is
//! read).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, header};
use http_body_util::BodyExt;

use meldpunt_envelope::domain::ItemKind;
use meldpunt_envelope::header::{self as age_header, HeaderError};

use crate::config::Config;
use crate::error::AppError;
use crate::limit::{self, Allowance};

mod blob;
pub use blob::Blob;

/// What every age v1 file starts with.
const AGE_MAGIC: &[u8] = age_header::VERSION_LINE;
/// How much of a file's start is enough to hold its whole age header.
const HEADER_PREFIX: usize = age_header::MAX_HEADER;
/// Most attachments in one submission (the envelope's limit for the list).
pub const MAX_BIJLAGEN: usize = 1000;

/// A budget of bytes for request bodies in memory, shared by all uploads.
#[derive(Debug)]
pub struct MemoryBudget {
    used: AtomicUsize,
    max: usize,
}

impl MemoryBudget {
    pub fn new(max: usize) -> Arc<MemoryBudget> {
        Arc::new(MemoryBudget {
            used: AtomicUsize::new(0),
            max,
        })
    }

    /// Bytes currently held.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }

    pub fn reserve(self: &Arc<Self>) -> Reservation {
        Reservation {
            budget: Arc::clone(self),
            held: 0,
        }
    }
}

/// Bytes one request holds against the budget; given back when dropped.
#[derive(Debug)]
pub struct Reservation {
    budget: Arc<MemoryBudget>,
    held: usize,
}

impl Reservation {
    /// Charges `n` more bytes, or refuses with 503 if the budget is spent.
    pub fn take(&mut self, n: usize) -> Result<(), AppError> {
        let b = &self.budget;
        let mut cur = b.used.load(Ordering::Relaxed);
        loop {
            let next = cur
                .checked_add(n)
                .filter(|&x| x <= b.max)
                .ok_or(AppError::Busy)?;
            match b
                .used
                .compare_exchange_weak(cur, next, Ordering::AcqRel, Ordering::Relaxed)
            {
                Ok(_) => {
                    self.held += n;
                    return Ok(());
                }
                Err(actual) => cur = actual,
            }
        }
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        self.budget.used.fetch_sub(self.held, Ordering::AcqRel);
    }
}

/// A submission's files as received: the melding (or follow-up) and its
/// attachments, each a complete binary age file to X25519 recipients.
#[derive(Debug)]
pub struct Upload {
    pub melding: Blob,
    pub melding_sha256: [u8; 32],
    pub bijlagen: Vec<Blob>,
    /// Held until the upload is stored or dropped.
    pub reservation: Reservation,
}

/// How many X25519 recipient stanzas a file for one organisation may have: as many
/// as its `recipients`, or as many as its `bestuurder_recipients` (a melding about a
/// bestuurder, and its follow-ups and attachments, may be sealed to those). The
/// server cannot tell which keys a stanza was made for, only how many there are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipients {
    counts: Vec<usize>,
}

impl Recipients {
    /// The allowed counts for `organisation` (a configured slug); none if unknown.
    pub fn of(config: &Config, organisation: &str) -> Recipients {
        let counts = config
            .organisation(organisation)
            .map(|o| {
                let mut c = vec![o.recipients.len()];
                if !o.bestuurder_recipients.is_empty() {
                    c.push(o.bestuurder_recipients.len());
                }
                c
            })
            .unwrap_or_default();
        Recipients { counts }
    }

    /// Allows exactly these counts (tests, benchmarks).
    pub fn counts(counts: &[usize]) -> Recipients {
        Recipients {
            counts: counts.to_vec(),
        }
    }
}

/// Checks an age header without any key; returns its length and recipient count.
fn check_header(prefix: &[u8], expect: &Recipients) -> Result<age_header::Header, AppError> {
    let h = age_header::parse(prefix).map_err(header_error)?;
    if !expect.counts.contains(&h.x25519) {
        return Err(AppError::RecipientCount);
    }
    Ok(h)
}

fn header_error(e: HeaderError) -> AppError {
    match e {
        HeaderError::NotAge | HeaderError::Armored | HeaderError::Passphrase => {
            AppError::NotAgeFile
        }
        HeaderError::NotX25519 => AppError::RecipientType,
        e => AppError::InvalidAgeFile(e),
    }
}

/// Which body form a request uses.
enum Form {
    Single,
    Multipart(String),
}

const MEDIA_TYPES: &str = "application/octet-stream or multipart/form-data";

/// Checks the content type; the cheapest refusal, done before anything else.
pub fn check_content_type(headers: &HeaderMap) -> Result<(), AppError> {
    body_form(headers).map(|_| ())
}

fn body_form(headers: &HeaderMap) -> Result<Form, AppError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = ct.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("application/octet-stream") {
        Ok(Form::Single)
    } else if essence.eq_ignore_ascii_case("multipart/form-data") {
        multer::parse_boundary(ct)
            .map(Form::Multipart)
            .map_err(|_| AppError::InvalidMultipart("the boundary is missing or not valid"))
    } else {
        Err(AppError::UnsupportedMediaType(MEDIA_TYPES))
    }
}

/// One file being received: counts, charges the budget, checks the magic and the
/// header early.
struct Part<'a> {
    blob: Blob,
    total: &'a mut usize,
    max: usize,
    reservation: &'a mut Reservation,
    expect: &'a Recipients,
    /// The header, once it has arrived whole.
    header: Option<age_header::Header>,
    /// The length at which to try the header again: doubled after each try that
    /// found it incomplete, so a header trickled in byte by byte costs linear work.
    next_try: usize,
    /// For an attachment: the stated limit on the reporter's files (`crate::limit`).
    allowance: Option<&'a mut Allowance>,
}

impl<'a> Part<'a> {
    fn new(
        total: &'a mut usize,
        max: usize,
        reservation: &'a mut Reservation,
        expect: &'a Recipients,
    ) -> Self {
        Part {
            blob: Blob::default(),
            total,
            max,
            reservation,
            expect,
            header: None,
            next_try: 0,
            allowance: None,
        }
    }

    /// An attachment, measured against the stated limit as it streams in.
    fn attachment(mut self, allowance: &'a mut Allowance) -> Self {
        self.allowance = Some(allowance);
        self
    }

    fn push(&mut self, chunk: Bytes) -> Result<(), AppError> {
        *self.total += chunk.len();
        if *self.total > self.max {
            return Err(AppError::TooLarge);
        }
        self.reservation.take(chunk.len())?;
        let before = self.blob.len();
        self.blob.push(chunk);
        // Refuse a non-age body after its first bytes, not after all of them.
        if before < AGE_MAGIC.len()
            && self.blob.len() >= AGE_MAGIC.len()
            && *self.blob.prefix_slice(AGE_MAGIC.len()) != *AGE_MAGIC
        {
            return Err(AppError::NotAgeFile);
        }
        // Refuse a wrong header once it is in, before the rest of the file. Until the
        // MAC line has arrived the parser says the header is cut short; anything
        // else it says is final.
        if self.header.is_none() && self.blob.len() >= self.next_try {
            match check_header(&self.blob.prefix_slice(HEADER_PREFIX), self.expect) {
                Ok(h) => self.header = Some(h),
                Err(AppError::InvalidAgeFile(HeaderError::Truncated)) => {
                    self.next_try = self.blob.len().saturating_mul(2);
                }
                Err(e) => return Err(e),
            }
        }
        if let (Some(a), Some(h)) = (self.allowance.as_deref_mut(), &self.header) {
            a.check(h.len, self.blob.len(), false)?;
        }
        Ok(())
    }

    /// The finished file: a binary age file to as many X25519 recipients as the
    /// organisation has, with a payload of a length a complete file can have.
    fn finish(self, empty: AppError) -> Result<(Blob, usize), AppError> {
        if self.blob.is_empty() {
            return Err(empty);
        }
        let h = match self.header {
            Some(h) => h,
            None => check_header(&self.blob.prefix_slice(HEADER_PREFIX), self.expect)?,
        };
        age_header::check_payload_len(self.blob.len() as u64, h.len).map_err(header_error)?;
        if let Some(a) = self.allowance {
            a.check(h.len, self.blob.len(), true)?;
        }
        Ok((self.blob, h.x25519))
    }
}

/// Reads the body of a submission whose attachments may weigh `max` bytes together
/// (the stated limit; the body itself may be up to [`limit::body_cap`]). `check_melding` runs with
/// the SHA-256 of the melding's age file as soon as it is complete (the proof of
/// work), before any attachment is read.
pub async fn read_upload(
    req: Request,
    max: usize,
    budget: &Arc<MemoryBudget>,
    expect: &Recipients,
    check_melding: impl FnOnce(&[u8; 32]) -> Result<(), AppError>,
) -> Result<Upload, AppError> {
    let form = body_form(req.headers())?;
    let mut allowance = Allowance::new(max);
    let max = limit::body_cap(max);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err(AppError::TooLarge);
    }
    let mut reservation = budget.reserve();
    let mut total = 0usize;
    let body = req.into_body();
    match form {
        Form::Single => {
            let mut part = Part::new(&mut total, max, &mut reservation, expect);
            read_single(body, &mut part).await?;
            let (melding, _) = part.finish(AppError::EmptyBody)?;
            let melding_sha256 = melding.sha256();
            check_melding(&melding_sha256)?;
            Ok(Upload {
                melding,
                melding_sha256,
                bijlagen: Vec::new(),
                reservation,
            })
        }
        Form::Multipart(boundary) => {
            let constraints = multer::Constraints::new()
                .size_limit(multer::SizeLimit::new().whole_stream(max as u64));
            let mut mp =
                multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
            let mut melding: Option<(Blob, [u8; 32])> = None;
            let mut bijlagen = Vec::new();
            // The attachments are sealed to the recipients the melding is sealed to.
            let mut same_as_melding: Option<Recipients> = None;
            let mut check = Some(check_melding);
            while let Some(mut field) = mp.next_field().await.map_err(multipart_error)? {
                let expected = if melding.is_none() {
                    ItemKind::Melding.code()
                } else {
                    ItemKind::Bijlage.code()
                };
                if field.name() != Some(expected) {
                    return Err(AppError::InvalidMultipart(if melding.is_none() {
                        "the first part must be named melding"
                    } else {
                        "every part after the melding must be named bijlage"
                    }));
                }
                if melding.is_some() && bijlagen.len() >= MAX_BIJLAGEN {
                    return Err(AppError::InvalidMultipart("there are too many bijlagen"));
                }
                let rule = same_as_melding.as_ref().unwrap_or(expect);
                let mut part = Part::new(&mut total, max, &mut reservation, rule);
                if melding.is_some() {
                    part = part.attachment(&mut allowance);
                }
                while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                    part.push(chunk)?;
                }
                if melding.is_none() {
                    let (blob, n) = part.finish(AppError::EmptyBody)?;
                    let sha = blob.sha256();
                    if let Some(f) = check.take() {
                        f(&sha)?;
                    }
                    melding = Some((blob, sha));
                    same_as_melding = Some(Recipients::counts(&[n]));
                } else {
                    bijlagen.push(part.finish(AppError::NotAgeFile)?.0);
                }
            }
            let (melding, melding_sha256) = melding.ok_or(AppError::InvalidMultipart(
                "the first part must be named melding",
            ))?;
            Ok(Upload {
                melding,
                melding_sha256,
                bijlagen,
                reservation,
            })
        }
    }
}

async fn read_single(mut body: Body, part: &mut Part<'_>) -> Result<(), AppError> {
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| AppError::UnreadableBody)?;
        if let Ok(data) = frame.into_data() {
            part.push(data)?;
        }
    }
    Ok(())
}

fn multipart_error(e: multer::Error) -> AppError {
    match e {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            AppError::TooLarge
        }
        multer::Error::StreamReadFailed(_) => AppError::UnreadableBody,
        multer::Error::IncompleteStream | multer::Error::IncompleteFieldData { .. } => {
            AppError::InvalidMultipart("the body ends in the middle of a part")
        }
        _ => AppError::InvalidMultipart("the body is not valid multipart/form-data"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_refuses_past_its_size_and_frees_on_drop() {
        let b = MemoryBudget::new(100);
        let mut r1 = b.reserve();
        r1.take(60).unwrap();
        let mut r2 = b.reserve();
        assert!(matches!(r2.take(50), Err(AppError::Busy)));
        r2.take(40).unwrap();
        assert_eq!(b.used(), 100);
        drop(r1);
        assert_eq!(b.used(), 40);
        drop(r2);
        assert_eq!(b.used(), 0);
    }
}
