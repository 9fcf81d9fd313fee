//! Texts the meldpunt itself keeps (copies of replies, notes, the text of a case
//! registered from another channel): JSON `{"v":1,"day":…,"text":…}`, padded like a
//! melding and sealed to the store's recipients (the identity and the recovery
//! recipient), so they are as unreadable at rest as the meldingen themselves and
//! `rage` opens them too.

use meldpunt_envelope::melding;
use meldpunt_envelope::reply::ReplyText;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Seals a text written on `day` to `recipients`.
pub fn seal(day: &str, text: &str, recipients: &[age::x25519::Recipient]) -> Result<Vec<u8>> {
    let r = ReplyText::new(day, text);
    r.validate()
        .map_err(|e| Error::TextInvalid(e.to_string()))?;
    seal_text(&r, recipients)
}

/// Seals an already validated text.
pub fn seal_text(r: &ReplyText, recipients: &[age::x25519::Recipient]) -> Result<Vec<u8>> {
    let json = Zeroizing::new(serde_json::to_vec(r).map_err(|e| Error::Internal(e.to_string()))?);
    let padded = Zeroizing::new(
        meldpunt_envelope::padding::pad(&json).map_err(|e| Error::TextInvalid(e.to_string()))?,
    );
    melding::seal_bytes(&padded, recipients).map_err(|e| Error::Internal(e.to_string()))
}

/// Opens a text made by [`seal`].
pub fn open(
    ciphertext: &[u8],
    identities: &[&dyn age::Identity],
) -> Result<ReplyText, meldpunt_envelope::Error> {
    let padded = Zeroizing::new(melding::open_bytes(ciphertext, identities)?);
    let json = meldpunt_envelope::padding::unpad(&padded)?;
    serde_json::from_slice(json).map_err(|e| meldpunt_envelope::Error::Reply(e.to_string()))
}
