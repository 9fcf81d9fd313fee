//! The server's configuration: one TOML file, read and checked once at start.
//!
//! Every check names the field and says what to put there instead, because the
//! person reading the error is an operator at a terminal, not a Rust programmer.
//! Relative paths are taken relative to the config file's directory, so a config
//! means the same thing whatever directory the server is started from.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use meldpunt_envelope::domain::is_valid_slug;
use meldpunt_envelope::keys::{SigningPublicKey, parse_recipient};
use serde::Deserialize;

/// Default for `max_submission_bytes`: 100 MB (decimal, as the page shows sizes),
/// what the reporter's attachments may weigh together; the meldpunt's padding and
/// framing come on top (`crate::limit`).
pub const DEFAULT_MAX_SUBMISSION_BYTES: usize = 100_000_000;
/// Smallest `max_submission_bytes` that still admits the smallest padded melding.
const MIN_SUBMISSION_BYTES: usize = 4 << 10;
/// Largest `max_submission_bytes`: a submission is held in memory (once) until it is
/// committed.
const MAX_SUBMISSION_BYTES: usize = 1 << 30;
/// Default for `reply_retention_days`: replies stay a year, long after the legal
/// three months of feedback, so a reporter who looks late still finds them.
pub const DEFAULT_REPLY_RETENTION_DAYS: u32 = 365;

/// The checked configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Name of the meldpunt, shown on the page.
    pub name: String,
    pub listen: SocketAddr,
    /// SQLite database file (absolute, or relative to the working directory when the
    /// config was built from a string without a base directory).
    pub database: PathBuf,
    /// Directory of the static page.
    pub web_root: PathBuf,
    /// Key that every reply must be signed with.
    pub signing_public_key: SigningPublicKey,
    /// SHA-256 of each accepted staff token.
    pub staff_token_sha256: Vec<[u8; 32]>,
    pub max_submission_bytes: usize,
    pub organisations: Vec<Organisation>,
    /// The server's own Ed25519 key file that signs each ontvangstbewijs; made on
    /// first start.
    pub receipt_key: PathBuf,
    /// The adaptive proof of work on submissions and look-ups (`[pow]`).
    pub pow: PowSettings,
    /// Replies older than this many days are purged.
    pub reply_retention_days: u32,
    pub limits: Limits,
    /// The onion service's origin (`http://….onion`), sent as `Onion-Location` on pages.
    pub onion_location: Option<String>,
}

/// Abuse limits: rates per route class (held in memory only), concurrency, memory
/// for bodies in flight, timeouts, the minimum rate of bodies, and connections.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Meldingen and follow-ups (API and no-JavaScript form) per minute, all callers together.
    pub submissions_per_minute: u32,
    /// Reply look-ups (API and no-JavaScript form) per minute.
    pub lookups_per_minute: u32,
    /// Staff requests with a valid token per minute.
    pub staff_per_minute: u32,
    /// Staff requests with a missing or wrong token per minute (slows down guessing
    /// the token; a budget apart, so guessing never locks out staff).
    pub staff_failed_per_minute: u32,
    /// Meldingen through the no-JavaScript form per minute: a budget of its own,
    /// because that form cannot do proof of work.
    pub zonder_js_submissions_per_minute: u32,
    /// Reply look-ups through the no-JavaScript form per minute.
    pub zonder_js_lookups_per_minute: u32,
    /// Requests without a body handled at once; beyond it the server answers 503 at once.
    pub max_concurrent_requests: usize,
    /// Uploads (submissions, reply bundles, import confirmations) in flight at once.
    pub max_concurrent_uploads: usize,
    /// Look-ups (API and no-JavaScript form) in flight at once.
    pub max_concurrent_lookups: usize,
    /// Bytes of request bodies held in memory at once, all uploads together.
    pub upload_memory_bytes: usize,
    /// Time a request (other than an upload) may take.
    pub request_timeout: std::time::Duration,
    /// A request body must bring `min_body_bytes_per_window` bytes in every window
    /// of this length until it ends.
    pub body_rate_window: std::time::Duration,
    pub min_body_bytes_per_window: u64,
    /// Open connections at most (lowered at start to stay below the open-file limit).
    pub max_connections: usize,
    /// Time a connection has, from its start or its previous response, to send a
    /// complete request head.
    pub header_read_timeout: std::time::Duration,
    /// Time a connection may stay silent, from its start or its previous response.
    pub keep_alive_timeout: std::time::Duration,
    /// Time an answer may wait for the client to take any of its bytes.
    pub send_timeout: std::time::Duration,
}

impl Limits {
    /// The defaults for a given `max_submission_bytes`.
    pub fn defaults(max_submission_bytes: usize) -> Limits {
        Limits {
            submissions_per_minute: 120,
            lookups_per_minute: 1200,
            staff_per_minute: 120,
            staff_failed_per_minute: 30,
            zonder_js_submissions_per_minute: 10,
            zonder_js_lookups_per_minute: 60,
            max_concurrent_requests: 512,
            max_concurrent_uploads: 16,
            max_concurrent_lookups: 64,
            upload_memory_bytes: (2 * max_submission_bytes).max(64 << 20),
            request_timeout: std::time::Duration::from_secs(30),
            body_rate_window: std::time::Duration::from_secs(10),
            min_body_bytes_per_window: 8 << 10,
            max_connections: 1024,
            header_read_timeout: std::time::Duration::from_secs(10),
            keep_alive_timeout: std::time::Duration::from_secs(5),
            send_timeout: std::time::Duration::from_secs(30),
        }
    }
}

/// The adaptive proof of work (see `server/src/pow.rs` and docs/OPERATIONS.md).
#[derive(Debug, Clone)]
pub struct PowSettings {
    /// Off only for tests and trusted networks: then the plain rates apply.
    pub enabled: bool,
    /// The least effort any proof must have (the quiet-time level).
    pub min_effort: u32,
    /// The most the suggested effort rises to.
    pub max_effort: u32,
    /// How often the suggested effort may rise, and falls when nobody waits.
    pub update_period: std::time::Duration,
    /// How long a seed is current (the one before stays valid as long again).
    pub seed_rotation: std::time::Duration,
    /// Requests per class that may wait for their turn.
    pub queue_len: usize,
    /// The longest a request waits in the queue before it is refused.
    pub max_wait: std::time::Duration,
}

/// Default `[pow] min_effort`: about a second of Argon2id in a browser (measured in
/// docs/PERFORMANCE.md).
pub const DEFAULT_MIN_EFFORT: u32 = 1000;

impl Default for PowSettings {
    fn default() -> Self {
        PowSettings {
            enabled: true,
            min_effort: DEFAULT_MIN_EFFORT,
            max_effort: DEFAULT_MIN_EFFORT * 64,
            update_period: std::time::Duration::from_secs(10),
            seed_rotation: std::time::Duration::from_secs(600),
            queue_len: 64,
            max_wait: std::time::Duration::from_secs(20),
        }
    }
}

/// One organisation (municipality) served by this meldpunt.
#[derive(Debug, Clone)]
pub struct Organisation {
    pub slug: String,
    pub name: String,
    /// `age1…` recipients, in the canonical form `age` prints.
    pub recipients: Vec<String>,
    /// Recipients for meldingen about a bestuurder (political office holder), who
    /// follow a separate protocol; empty = the same as `recipients`.
    pub bestuurder_recipients: Vec<String>,
}

impl Organisation {
    /// The recipients a melding about `over_wie` is sealed to.
    pub fn recipients_for(&self, over_wie: Option<&str>) -> &[String] {
        if over_wie == Some("bestuurder") && !self.bestuurder_recipients.is_empty() {
            &self.bestuurder_recipients
        } else {
            &self.recipients
        }
    }
}

/// Why a config file was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("cannot read the config file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the config file {} is not valid: {message}", path.display())]
    Syntax { path: PathBuf, message: String },
    #[error("the config file {} is not valid: `{field}` {problem}", path.display())]
    Invalid {
        path: PathBuf,
        field: String,
        problem: String,
    },
}

impl ConfigError {
    /// The field that is wrong, if the error is about one field.
    pub fn field(&self) -> Option<&str> {
        match self {
            ConfigError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    name: String,
    listen: String,
    database: PathBuf,
    web_root: PathBuf,
    signing_public_key: String,
    staff_token_sha256: Vec<String>,
    max_submission_bytes: Option<u64>,
    receipt_key: Option<PathBuf>,
    /// Replaced by `[pow]`; still read so the error can say so.
    pow_difficulty: Option<toml::Value>,
    reply_retention_days: Option<u64>,
    onion_location: Option<String>,
    #[serde(default)]
    limits: RawLimits,
    #[serde(default)]
    pow: RawPow,
    // Missing and empty get the same message, which says what to add.
    #[serde(default)]
    organisations: Vec<RawOrganisation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrganisation {
    slug: String,
    name: String,
    recipients: Vec<String>,
    #[serde(default)]
    bestuurder_recipients: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    submissions_per_minute: Option<u64>,
    lookups_per_minute: Option<u64>,
    staff_per_minute: Option<u64>,
    staff_failed_per_minute: Option<u64>,
    zonder_js_submissions_per_minute: Option<u64>,
    zonder_js_lookups_per_minute: Option<u64>,
    max_concurrent_requests: Option<u64>,
    max_concurrent_uploads: Option<u64>,
    max_concurrent_lookups: Option<u64>,
    upload_memory_bytes: Option<u64>,
    request_timeout_seconds: Option<u64>,
    /// Replaced by the minimum body rate; named only to say so.
    upload_timeout_seconds: Option<u64>,
    body_rate_window_seconds: Option<u64>,
    min_body_bytes_per_window: Option<u64>,
    max_connections: Option<u64>,
    header_read_timeout_seconds: Option<u64>,
    keep_alive_timeout_seconds: Option<u64>,
    send_timeout_seconds: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPow {
    enabled: Option<bool>,
    min_effort: Option<u64>,
    max_effort: Option<u64>,
    update_seconds: Option<u64>,
    seed_rotation_seconds: Option<u64>,
    queue_len: Option<u64>,
    max_wait_seconds: Option<u64>,
}

impl Config {
    /// Reads and checks the config file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        // Absolute, so messages and the summary show where files really are.
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        let base = abs.parent().map(Path::to_path_buf).unwrap_or_default();
        Config::parse(&text, path, &base)
    }

    /// Checks config text. `path` is only used in messages; relative paths in the
    /// config are resolved against `base`.
    pub fn parse(text: &str, path: &Path, base: &Path) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError::Syntax {
            path: path.to_owned(),
            message: e.to_string().trim_end().to_string(),
        })?;
        let invalid = |field: &str, problem: String| ConfigError::Invalid {
            path: path.to_owned(),
            field: field.to_string(),
            problem,
        };

        let name = raw.name.trim().to_string();
        if name.is_empty() {
            return Err(invalid(
                "name",
                "is empty; write the meldpunt's name as reporters should see it".into(),
            ));
        }

        let listen: SocketAddr = raw.listen.trim().parse().map_err(|_| {
            invalid(
                "listen",
                format!("{:?} is not an address and port; write an IP address and port such as \"127.0.0.1:8080\"", raw.listen),
            )
        })?;

        let database = resolve(base, &raw.database);
        if raw.database.as_os_str().is_empty() {
            return Err(invalid(
                "database",
                "is empty; name the SQLite file, such as \"meldpunt.db\"".into(),
            ));
        }
        match database.parent() {
            Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => {
                return Err(invalid(
                    "database",
                    format!(
                        "is in the directory {}, which does not exist; create it or choose another path",
                        dir.display()
                    ),
                ));
            }
            _ => {}
        }
        if database.is_dir() {
            return Err(invalid(
                "database",
                format!(
                    "{} is a directory; name a file inside it, such as \"meldpunt.db\"",
                    database.display()
                ),
            ));
        }

        let web_root = resolve(base, &raw.web_root);
        if !web_root.is_dir() {
            return Err(invalid(
                "web_root",
                format!(
                    "{} is not a directory; point it at the built page (the directory holding index.html)",
                    web_root.display()
                ),
            ));
        }

        let signing_public_key: SigningPublicKey = raw.signing_public_key.parse().map_err(|e| {
            invalid("signing_public_key", format!("is not valid ({e}); paste the public signing key `meldpunt-ed25519:…` that meldpunt-keys printed"))
        })?;

        if raw.staff_token_sha256.is_empty() {
            return Err(invalid(
                "staff_token_sha256",
                "is empty; list the SHA-256 (64 hex digits) of at least one staff token".into(),
            ));
        }
        let mut staff_token_sha256 = Vec::with_capacity(raw.staff_token_sha256.len());
        for (i, h) in raw.staff_token_sha256.iter().enumerate() {
            let mut b = [0u8; 32];
            hex::decode_to_slice(h.trim(), &mut b).map_err(|_| {
                invalid(
                    &format!("staff_token_sha256[{i}]"),
                    "is not 64 hex digits; write the SHA-256 of the staff token in hex (not the token itself)".into(),
                )
            })?;
            staff_token_sha256.push(b);
        }

        let max_submission_bytes = match raw.max_submission_bytes {
            None => DEFAULT_MAX_SUBMISSION_BYTES,
            Some(n) if (MIN_SUBMISSION_BYTES as u64..=MAX_SUBMISSION_BYTES as u64).contains(&n) => {
                n as usize
            }
            Some(n) => {
                return Err(invalid(
                    "max_submission_bytes",
                    format!(
                        "is {n}; choose a number of bytes from {MIN_SUBMISSION_BYTES} to {MAX_SUBMISSION_BYTES}, or leave it out for {DEFAULT_MAX_SUBMISSION_BYTES}"
                    ),
                ));
            }
        };

        if raw.organisations.is_empty() {
            return Err(invalid(
                "organisations",
                "is empty; add at least one [[organisations]] table with slug, name and recipients"
                    .into(),
            ));
        }
        let mut slugs = HashSet::new();
        let mut organisations = Vec::with_capacity(raw.organisations.len());
        for (i, o) in raw.organisations.into_iter().enumerate() {
            let field = |f: &str| format!("organisations[{i}].{f}");
            if !is_valid_slug(&o.slug) {
                return Err(invalid(
                    &field("slug"),
                    format!(
                        "{:?} is not a valid slug; use 1 to 40 lowercase letters, digits and hyphens, not starting with a hyphen",
                        o.slug
                    ),
                ));
            }
            if !slugs.insert(o.slug.clone()) {
                return Err(invalid(
                    &field("slug"),
                    format!(
                        "{:?} is used by another organisation too; every slug must be unique",
                        o.slug
                    ),
                ));
            }
            let name = o.name.trim().to_string();
            if name.is_empty() {
                return Err(invalid(
                    &field("name"),
                    "is empty; write the organisation's name, such as \"Gemeente Leiden\"".into(),
                ));
            }
            if o.recipients.is_empty() {
                return Err(invalid(
                    &field("recipients"),
                    "is empty; list at least one age recipient (age1…) who can open this organisation's meldingen".into(),
                ));
            }
            let recipients = parse_recipients(&o.recipients, i, "recipients", &invalid)?;
            let bestuurder_recipients = parse_recipients(
                &o.bestuurder_recipients,
                i,
                "bestuurder_recipients",
                &invalid,
            )?;
            organisations.push(Organisation {
                slug: o.slug,
                name,
                recipients,
                bestuurder_recipients,
            });
        }

        let receipt_key = match &raw.receipt_key {
            Some(p) if p.as_os_str().is_empty() => {
                return Err(invalid(
                    "receipt_key",
                    "is empty; name a file such as \"receipt.key\", or leave it out".into(),
                ));
            }
            Some(p) => resolve(base, p),
            None => {
                let mut name = database.file_name().unwrap_or_default().to_os_string();
                name.push(".receipt-key");
                database.with_file_name(name)
            }
        };
        if let Some(dir) = receipt_key.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            return Err(invalid(
                "receipt_key",
                format!(
                    "is in the directory {}, which does not exist; create it or choose another path",
                    dir.display()
                ),
            ));
        }

        if raw.pow_difficulty.is_some() {
            return Err(invalid(
                "pow_difficulty",
                "is no longer used: the proof of work is adaptive and on by default; remove the line, and set its limits in a [pow] table if you need to (docs/OPERATIONS.md)".into(),
            ));
        }
        let pow = parse_pow(&raw.pow, &invalid)?;

        let reply_retention_days = match raw.reply_retention_days {
            None => DEFAULT_REPLY_RETENTION_DAYS,
            Some(n @ 1..=3650) => n as u32,
            Some(n) => {
                return Err(invalid(
                    "reply_retention_days",
                    format!(
                        "is {n}; choose 1 to 3650 days, or leave it out for {DEFAULT_REPLY_RETENTION_DAYS}"
                    ),
                ));
            }
        };

        let limits = parse_limits(&raw.limits, max_submission_bytes, &invalid)?;

        let onion_location = match &raw.onion_location {
            None => None,
            Some(o) => Some(
                crate::onion::parse_location(o)
                    .map_err(|problem| invalid("onion_location", format!("{o:?} {problem}")))?,
            ),
        };

        Ok(Config {
            name,
            listen,
            database,
            web_root,
            signing_public_key,
            staff_token_sha256,
            max_submission_bytes,
            organisations,
            receipt_key,
            pow,
            reply_retention_days,
            limits,
            onion_location,
        })
    }

    /// The organisation with this slug, if configured.
    pub fn organisation(&self, slug: &str) -> Option<&Organisation> {
        self.organisations.iter().find(|o| o.slug == slug)
    }
}

type Invalid<'a> = dyn Fn(&str, String) -> ConfigError + 'a;

fn parse_recipients(
    list: &[String],
    i: usize,
    what: &str,
    invalid: &Invalid<'_>,
) -> Result<Vec<String>, ConfigError> {
    let mut recipients = Vec::with_capacity(list.len());
    for (j, r) in list.iter().enumerate() {
        let field = format!("organisations[{i}].{what}[{j}]");
        let parsed = parse_recipient(r).map_err(|_| {
            invalid(
                &field,
                format!("{r:?} is not an age X25519 recipient; paste the public key `age1…` of the meldpunt identity"),
            )
        })?;
        let canonical = parsed.to_string();
        if recipients.contains(&canonical) {
            return Err(invalid(
                &field,
                "is listed twice; remove the duplicate".into(),
            ));
        }
        recipients.push(canonical);
    }
    Ok(recipients)
}

fn parse_limits(
    raw: &RawLimits,
    max_submission_bytes: usize,
    invalid: &Invalid<'_>,
) -> Result<Limits, ConfigError> {
    let d = Limits::defaults(max_submission_bytes);
    let range = |field: &str, v: Option<u64>, lo: u64, hi: u64, default: u64| match v {
        None => Ok(default),
        Some(n) if (lo..=hi).contains(&n) => Ok(n),
        Some(n) => Err(invalid(
            &format!("limits.{field}"),
            format!("is {n}; choose {lo} to {hi}, or leave it out for {default}"),
        )),
    };
    let per_minute = |field: &str, v: Option<u64>, default: u32| {
        range(field, v, 1, 10_000_000, u64::from(default)).map(|n| n as u32)
    };
    if raw.upload_timeout_seconds.is_some() {
        return Err(invalid(
            "limits.upload_timeout_seconds",
            "is no longer used: uploads are held to a minimum rate instead; remove it (see min_body_bytes_per_window and body_rate_window_seconds)".into(),
        ));
    }
    let secs = |field: &str, v: Option<u64>, hi: u64, default: std::time::Duration| {
        range(field, v, 1, hi, default.as_secs()).map(std::time::Duration::from_secs)
    };
    let header_read_timeout = secs(
        "header_read_timeout_seconds",
        raw.header_read_timeout_seconds,
        300,
        d.header_read_timeout,
    )?;
    let keep_alive_timeout = secs(
        "keep_alive_timeout_seconds",
        raw.keep_alive_timeout_seconds,
        300,
        d.keep_alive_timeout.min(header_read_timeout),
    )?;
    if keep_alive_timeout > header_read_timeout {
        return Err(invalid(
            "limits.keep_alive_timeout_seconds",
            format!(
                "is {}; choose at most header_read_timeout_seconds ({}): a connection that sends nothing cannot be given longer than one that sends a request head slowly",
                keep_alive_timeout.as_secs(),
                header_read_timeout.as_secs()
            ),
        ));
    }
    let upload_memory_bytes = range(
        "upload_memory_bytes",
        raw.upload_memory_bytes,
        max_submission_bytes as u64,
        1 << 40,
        d.upload_memory_bytes as u64,
    )? as usize;
    Ok(Limits {
        submissions_per_minute: per_minute(
            "submissions_per_minute",
            raw.submissions_per_minute,
            d.submissions_per_minute,
        )?,
        lookups_per_minute: per_minute(
            "lookups_per_minute",
            raw.lookups_per_minute,
            d.lookups_per_minute,
        )?,
        staff_per_minute: per_minute("staff_per_minute", raw.staff_per_minute, d.staff_per_minute)?,
        staff_failed_per_minute: per_minute(
            "staff_failed_per_minute",
            raw.staff_failed_per_minute,
            d.staff_failed_per_minute,
        )?,
        zonder_js_submissions_per_minute: per_minute(
            "zonder_js_submissions_per_minute",
            raw.zonder_js_submissions_per_minute,
            d.zonder_js_submissions_per_minute,
        )?,
        zonder_js_lookups_per_minute: per_minute(
            "zonder_js_lookups_per_minute",
            raw.zonder_js_lookups_per_minute,
            d.zonder_js_lookups_per_minute,
        )?,
        max_concurrent_requests: range(
            "max_concurrent_requests",
            raw.max_concurrent_requests,
            1,
            1_000_000,
            d.max_concurrent_requests as u64,
        )? as usize,
        max_concurrent_uploads: range(
            "max_concurrent_uploads",
            raw.max_concurrent_uploads,
            1,
            100_000,
            d.max_concurrent_uploads as u64,
        )? as usize,
        max_concurrent_lookups: range(
            "max_concurrent_lookups",
            raw.max_concurrent_lookups,
            1,
            100_000,
            d.max_concurrent_lookups as u64,
        )? as usize,
        upload_memory_bytes,
        request_timeout: secs(
            "request_timeout_seconds",
            raw.request_timeout_seconds,
            3600,
            d.request_timeout,
        )?,
        body_rate_window: secs(
            "body_rate_window_seconds",
            raw.body_rate_window_seconds,
            600,
            d.body_rate_window,
        )?,
        min_body_bytes_per_window: range(
            "min_body_bytes_per_window",
            raw.min_body_bytes_per_window,
            1,
            64 << 20,
            d.min_body_bytes_per_window,
        )?,
        max_connections: range(
            "max_connections",
            raw.max_connections,
            16,
            1_000_000,
            d.max_connections as u64,
        )? as usize,
        header_read_timeout,
        keep_alive_timeout,
        send_timeout: secs(
            "send_timeout_seconds",
            raw.send_timeout_seconds,
            3600,
            d.send_timeout,
        )?,
    })
}

fn parse_pow(raw: &RawPow, invalid: &Invalid<'_>) -> Result<PowSettings, ConfigError> {
    let d = PowSettings::default();
    let range = |field: &str, v: Option<u64>, lo: u64, hi: u64, default: u64| match v {
        None => Ok(default),
        Some(n) if (lo..=hi).contains(&n) => Ok(n),
        Some(n) => Err(invalid(
            &format!("pow.{field}"),
            format!("is {n}; choose {lo} to {hi}, or leave it out for {default}"),
        )),
    };
    let max = u64::from(meldpunt_envelope::pow::MAX_EFFORT);
    let min_effort = range(
        "min_effort",
        raw.min_effort,
        1,
        max,
        u64::from(d.min_effort),
    )? as u32;
    let default_max = u64::from(d.max_effort).max(u64::from(min_effort));
    let max_effort = range("max_effort", raw.max_effort, 1, max, default_max)? as u32;
    if max_effort < min_effort {
        return Err(invalid(
            "pow.max_effort",
            format!("is {max_effort}, below min_effort ({min_effort}); make it at least as large"),
        ));
    }
    let secs = std::time::Duration::from_secs;
    Ok(PowSettings {
        enabled: raw.enabled.unwrap_or(d.enabled),
        min_effort,
        max_effort,
        update_period: secs(range(
            "update_seconds",
            raw.update_seconds,
            1,
            3600,
            d.update_period.as_secs(),
        )?),
        seed_rotation: secs(range(
            "seed_rotation_seconds",
            raw.seed_rotation_seconds,
            10,
            86_400,
            d.seed_rotation.as_secs(),
        )?),
        queue_len: range("queue_len", raw.queue_len, 1, 100_000, d.queue_len as u64)? as usize,
        max_wait: secs(range(
            "max_wait_seconds",
            raw.max_wait_seconds,
            1,
            600,
            d.max_wait.as_secs(),
        )?),
    })
}

fn resolve(base: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_paths_against_the_config_directory() {
        assert_eq!(
            resolve(Path::new("/etc/meldpunt"), Path::new("m.db")),
            PathBuf::from("/etc/meldpunt/m.db")
        );
        assert_eq!(
            resolve(Path::new("/etc/meldpunt"), Path::new("/var/m.db")),
            PathBuf::from("/var/m.db")
        );
        assert_eq!(
            resolve(Path::new(""), Path::new("m.db")),
            PathBuf::from("m.db")
        );
    }
}
