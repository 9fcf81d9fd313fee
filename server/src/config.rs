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

/// Default for `max_submission_bytes`: 16 MiB, the largest padded melding.
pub const DEFAULT_MAX_SUBMISSION_BYTES: usize = 16 << 20;
/// Smallest `max_submission_bytes` that still admits the smallest padded melding.
const MIN_SUBMISSION_BYTES: usize = 4 << 10;
/// Largest `max_submission_bytes`: a submission is held in memory while it is checked.
const MAX_SUBMISSION_BYTES: usize = 1 << 30;

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
}

/// One organisation (municipality) served by this meldpunt.
#[derive(Debug, Clone)]
pub struct Organisation {
    pub slug: String,
    pub name: String,
    /// `age1…` recipients, in the canonical form `age` prints.
    pub recipients: Vec<String>,
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
            let mut recipients = Vec::with_capacity(o.recipients.len());
            for (j, r) in o.recipients.iter().enumerate() {
                let parsed = parse_recipient(r).map_err(|_| {
                    invalid(
                        &format!("organisations[{i}].recipients[{j}]"),
                        format!("{r:?} is not an age X25519 recipient; paste the public key `age1…` of the meldpunt identity"),
                    )
                })?;
                let canonical = parsed.to_string();
                if recipients.contains(&canonical) {
                    return Err(invalid(
                        &format!("organisations[{i}].recipients[{j}]"),
                        "is listed twice; remove the duplicate".into(),
                    ));
                }
                recipients.push(canonical);
            }
            organisations.push(Organisation {
                slug: o.slug,
                name,
                recipients,
            });
        }

        Ok(Config {
            name,
            listen,
            database,
            web_root,
            signing_public_key,
            staff_token_sha256,
            max_submission_bytes,
            organisations,
        })
    }

    /// The organisation with this slug, if configured.
    pub fn organisation(&self, slug: &str) -> Option<&Organisation> {
        self.organisations.iter().find(|o| o.slug == slug)
    }
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
