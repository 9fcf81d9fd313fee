//! Errors of the envelope, named after what failed.

/// What went wrong while making or checking an envelope.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("the platform random number generator failed")]
    Random,
    #[error("the reply token is not valid: {0}")]
    Token(&'static str),
    #[error("not a valid age recipient: {0}")]
    Recipient(String),
    #[error("not a valid signing key: {0}")]
    SigningKey(&'static str),
    #[error("there is no recipient to seal to")]
    NoRecipients,
    #[error("the plaintext is too large ({0} bytes)")]
    TooLarge(usize),
    #[error("the padding is damaged")]
    Padding,
    #[error("the melding is not valid: {0}")]
    Melding(String),
    #[error("the reply is not valid: {0}")]
    Reply(String),
    #[error(
        "the signature does not match: this was not written by the meldpunt, or it was changed"
    )]
    BadSignature,
    #[error("not an age file to X25519 recipients: {0}")]
    NotAge(String),
    #[error("this item cannot be opened with these keys")]
    NoMatchingKey,
    #[error("the ciphertext is damaged: {0}")]
    Damaged(String),
    #[error("encryption failed: {0}")]
    Encrypt(String),
    #[error("{0}")]
    Signed(String),
    #[error("the proof of work is not valid")]
    ProofOfWork,
    #[error("the attachment is not valid: {0}")]
    Attachment(String),
    #[error("the bundle is not valid: {0}")]
    Bundle(String),
}
