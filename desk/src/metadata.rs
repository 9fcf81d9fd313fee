//! The hook for the warning about identifying data still in an attachment (GPS
//! position, author, device serial number). h15-clean adds the crate `meldpunt-clean`
//! with `inspect(name, bytes)`; it was not on a branch this one could merge when the
//! desk was written. Until it is wired in here, every attachment is reported as not
//! checked, and the Zaak page says so plainly rather than implying it is clean.

/// What an inspection found in an attachment.
pub enum Metadata {
    /// Not inspected (no inspector in this build).
    NotChecked,
    /// Inspected; these kinds of identifying data are in the file (empty: none).
    #[allow(dead_code)]
    Found(Vec<String>),
}

/// HOOK(meldpunt-clean): replace the body with `meldpunt_clean::inspect(name, bytes)`
/// mapped to [`Metadata::Found`].
pub fn inspect(_name: &str, _bytes: &[u8]) -> Metadata {
    Metadata::NotChecked
}
