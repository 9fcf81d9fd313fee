//! The reporter's side of Meldpunt, compiled to WebAssembly for the page in `www/`.
//!
//! Everything here is a thin wrapper over `meldpunt-envelope`, the one definition of
//! every format: the page never builds, seals, verifies or opens anything in
//! JavaScript. The functions below are plain Rust (tested natively) that take and
//! return strings and bytes; the `wasm` module at the bottom exports them to
//! JavaScript with wasm-bindgen and turns a [`ClientError`] into a thrown `Error`
//! whose `code` property (and the start of its message) names what failed.

use meldpunt_envelope::attachment::AttachmentSealer;
use meldpunt_envelope::domain::{self, Melder, OverWie, Soort, Vocabulary};
use meldpunt_envelope::keys::{SigningPublicKey, parse_recipient};
use meldpunt_envelope::melding::{self, AttachmentRef, Kind, Melding};
use meldpunt_envelope::signed::SignedReceipt;
use meldpunt_envelope::token::{ReplyToken, TokenKeys};
use meldpunt_envelope::{Error, vectors};
use meldpunt_envelope::{pow, reply};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// A failure the page can act on: a stable `code` to branch on and an English
/// `message` for the console. The page shows its own Dutch text per code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientError {
    pub code: &'static str,
    pub message: String,
}

impl ClientError {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        ClientError {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ClientError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl From<Error> for ClientError {
    fn from(e: Error) -> Self {
        let code = match &e {
            Error::Random => "random_failed",
            Error::Token(_) => "invalid_token",
            Error::Recipient(_) => "invalid_recipient",
            Error::SigningKey(_) => "invalid_signing_key",
            Error::NoRecipients => "no_recipients",
            Error::TooLarge(_) => "too_large",
            Error::Melding(_) => "invalid_melding",
            Error::BadSignature | Error::Signed(_) => "bad_signature",
            Error::Attachment(_) => "invalid_input",
            // A genuinely signed reply that still does not open: not for this token,
            // or damaged in a way the signature could not catch.
            Error::NoMatchingKey => "not_for_this_token",
            Error::Padding | Error::Reply(_) | Error::NotAge(_) | Error::Damaged(_) => "damaged",
            _ => "internal",
        };
        ClientError::new(code, e.to_string())
    }
}

type Result<T> = std::result::Result<T, ClientError>;

fn parse_token(token: &str) -> Result<TokenKeys> {
    Ok(ReplyToken::parse(token)?.derive())
}

/// A fresh reply token from the platform CSPRNG, as shown to the reporter
/// (`XXXX-XXXX-…`, eight groups of four).
pub fn new_token() -> Result<Zeroizing<String>> {
    Ok(ReplyToken::generate()?.display())
}

/// The canonical display form of a token as typed (any case, spaces, O for 0, …).
pub fn token_display(token: &str) -> Result<Zeroizing<String>> {
    Ok(ReplyToken::parse(token)?.display())
}

/// Hex of the lookup hash: sent with a new melding, stored by the server.
pub fn token_lookup_hash(token: &str) -> Result<String> {
    Ok(hex::encode(parse_token(token)?.lookup_key.hash()))
}

/// Hex of the lookup key: sent (instead of the token) to fetch replies.
pub fn token_lookup_key(token: &str) -> Result<Zeroizing<String>> {
    Ok(parse_token(token)?.lookup_key.to_hex())
}

/// The `age1…` recipient that replies are sealed to.
pub fn token_reply_recipient(token: &str) -> Result<String> {
    Ok(parse_token(token)?.reply_recipient())
}

/// What the page's form hands over. Unknown fields are refused so that a typo in
/// the page cannot silently drop what the reporter wrote.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fields {
    /// `"melding"` (the default) or `"vervolg"`, a later message on the same case.
    #[serde(default)]
    kind: Option<Kind>,
    organisatie: String,
    #[serde(default)]
    soort: Option<String>,
    text: String,
    #[serde(default)]
    attachments: Vec<AttachmentField>,
    #[serde(default)]
    over_wie: Option<String>,
    #[serde(default)]
    melder: Option<String>,
    #[serde(default)]
    wanneer_waar: Option<String>,
    #[serde(default)]
    contact: Option<String>,
}

/// One attachment as the page describes it, after sealing it with
/// [`AttachmentSealing`]: the file's name, media type, size and SHA-256 (hex).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AttachmentField {
    name: String,
    #[serde(rename = "type")]
    media_type: String,
    size: u64,
    sha256: String,
}

/// An optional field as the protocol wants it: left out when blank.
fn optional(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

/// A code the page offers must be one this build knows (older meldingen with
/// unknown codes stay readable by the offline tool; this client does not make them).
fn known_code<T: Vocabulary>(code: &Option<String>) -> Result<()> {
    match code {
        Some(c) if T::from_code(c).is_none() => Err(ClientError::new(
            "invalid_melding",
            format!("unknown {} code {c:?}", T::WHAT),
        )),
        _ => Ok(()),
    }
}

fn parse_recipients(recipients_json: &str) -> Result<Vec<age::x25519::Recipient>> {
    let recipients: Vec<String> = serde_json::from_str(recipients_json).map_err(|e| {
        ClientError::new(
            "invalid_input",
            format!("the recipients are not a JSON list of strings: {e}"),
        )
    })?;
    let recipients = recipients
        .iter()
        .map(|r| parse_recipient(r))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    if recipients.is_empty() {
        return Err(Error::NoRecipients.into());
    }
    Ok(recipients)
}

fn is_hex32(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Builds the melding (or, with `"kind":"vervolg"`, a follow-up on the same case)
/// from `fields_json` and the token, checks it, and seals it to every recipient in
/// `recipients_json` (a JSON list of `age1…` strings: the recipients of the chosen
/// organisation from `/api/v1/config`). Returns the binary age file to POST.
pub fn seal_melding(fields_json: &str, recipients_json: &str, token: &str) -> Result<Vec<u8>> {
    let f: Fields = serde_json::from_str(fields_json).map_err(|e| {
        ClientError::new(
            "invalid_input",
            format!("the melding fields do not parse: {e}"),
        )
    })?;
    let recipients = parse_recipients(recipients_json)?;
    let keys = parse_token(token)?;
    let kind = f.kind.unwrap_or(Kind::Melding);
    let soort = optional(f.soort);
    let mut m = Melding::new(&f.organisatie, "", &f.text, &keys.reply_recipient());
    m.kind = kind;
    m.soort = soort;
    if kind == Kind::Vervolg && m.soort.is_some() {
        return Err(ClientError::new(
            "invalid_melding",
            "a follow-up has no soort: it belongs to the case",
        ));
    }
    m.over_wie = optional(f.over_wie);
    m.melder = optional(f.melder);
    m.wanneer_waar = optional(f.wanneer_waar);
    m.contact = optional(f.contact);
    known_code::<Soort>(&m.soort)?;
    known_code::<OverWie>(&m.over_wie)?;
    known_code::<Melder>(&m.melder)?;
    for a in f.attachments {
        if a.name.trim().is_empty() || a.name.len() > 255 || a.media_type.len() > 255 {
            return Err(ClientError::new(
                "invalid_melding",
                "an attachment's name or type is empty or too long",
            ));
        }
        if !is_hex32(&a.sha256) || a.size > meldpunt_envelope::attachment::MAX_ATTACHMENT as u64 {
            return Err(ClientError::new(
                "invalid_melding",
                "an attachment's size or sha256 is not valid",
            ));
        }
        m.attachments.push(AttachmentRef {
            name: a.name,
            media_type: a.media_type,
            size: a.size,
            sha256: a.sha256,
        });
    }
    m.validate()?;
    Ok(melding::seal(&m, &recipients)?)
}

/// Seals one attachment piece by piece (the envelope's [`AttachmentSealer`]), so the
/// page never holds the whole file in WASM memory: it hands over `File.slice()`
/// pieces and collects the ciphertext. The file's SHA-256 for the melding's list is
/// a separate [`FileHash`], so sealing can be measured against other age libraries
/// doing the same work.
pub struct AttachmentSealing {
    sealer: Option<AttachmentSealer>,
}

impl AttachmentSealing {
    /// Starts sealing a file of exactly `len` bytes to the recipients in
    /// `recipients_json`. The age header is part of the first piece returned.
    pub fn new(recipients_json: &str, len: u64) -> Result<Self> {
        let recipients = parse_recipients(recipients_json)?;
        Ok(AttachmentSealing {
            sealer: Some(AttachmentSealer::new(&recipients, len)?),
        })
    }

    fn sealer(&mut self) -> Result<&mut AttachmentSealer> {
        self.sealer
            .as_mut()
            .ok_or_else(|| ClientError::new("invalid_input", "this attachment is already finished"))
    }

    /// Seals the next piece of the file; returns the ciphertext made so far.
    pub fn push(&mut self, piece: &[u8]) -> Result<Vec<u8>> {
        Ok(self.sealer()?.push(piece)?)
    }

    /// Pads and closes the age file; returns the last of the ciphertext.
    pub fn finish(&mut self) -> Result<Vec<u8>> {
        self.sealer()?;
        let sealer = self.sealer.take().expect("checked above");
        Ok(sealer.finish()?)
    }
}

/// SHA-256 of a file fed in pieces (for the melding's `attachments` list).
#[derive(Default)]
pub struct FileHash(Sha256);

impl FileHash {
    pub fn new() -> Self {
        FileHash::default()
    }

    /// Adds the next piece of the file.
    pub fn update(&mut self, piece: &[u8]) {
        self.0.update(piece);
    }

    /// Hex SHA-256 of everything added so far.
    pub fn hex(&self) -> String {
        hex::encode(self.0.clone().finalize())
    }
}

/// Hex SHA-256 of `bytes` (the melding's age file, for the ontvangstbewijs and the
/// proof of work).
pub fn sha256_hex(bytes: &[u8]) -> String {
    meldpunt_envelope::sha256_hex(bytes)
}

fn hex32(s: &str, what: &str) -> Result<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(s, &mut out)
        .map_err(|_| ClientError::new("invalid_input", format!("{what} is not 64 hex digits")))?;
    Ok(out)
}

/// What a melding's or follow-up's proof of work is bound to (hex): the case's
/// lookup hash and the SHA-256 of the sealed age file, both hex.
pub fn pow_binding_submission(lookup_hash: &str, melding_sha256: &str) -> Result<String> {
    Ok(hex::encode(pow::submission_binding(
        &hex32(lookup_hash, "the lookup hash")?,
        &hex32(melding_sha256, "the melding's sha256")?,
    )))
}

/// What a reply look-up's proof of work is bound to (hex): its exact body.
pub fn pow_binding_lookup(body: &[u8]) -> String {
    hex::encode(pow::lookup_binding(body))
}

thread_local! {
    /// The puzzle's 1 MiB, kept between steps so a search does not allocate.
    static HASHER: std::cell::RefCell<pow::Hasher> = std::cell::RefCell::new(pow::Hasher::new());
}

/// One step of solving the proof of work for `seed` and `binding` (hex, from
/// `/api/v1/pow` and [`pow_binding_submission`] / [`pow_binding_lookup`]) at
/// `effort`: tries `count` nonces from `start` (32 hex digits) on. Returns the
/// `Meldpunt-Pow` header value when one is a solution, or an empty string (the
/// caller goes on from `start + count`). The page runs this in a Web Worker, in
/// steps, so it can show progress and never blocks the page.
pub fn pow_search(
    seed: &str,
    binding: &str,
    effort: u32,
    start: &str,
    count: u32,
) -> Result<String> {
    if !(1..=pow::MAX_EFFORT).contains(&effort) {
        return Err(ClientError::new(
            "invalid_input",
            format!("effort {effort} is not 1 to {}", pow::MAX_EFFORT),
        ));
    }
    let seed = hex32(seed, "the seed")?;
    let binding = hex32(binding, "the binding")?;
    let mut nonce = [0u8; pow::NONCE_LEN];
    hex::decode_to_slice(start, &mut nonce)
        .map_err(|_| ClientError::new("invalid_input", "the start nonce is not 32 hex digits"))?;
    let challenge = pow::challenge(&seed, &binding, effort);
    let found = HASHER.with(|h| h.borrow_mut().search(&challenge, effort, &nonce, count));
    Ok(found
        .map(|nonce| {
            pow::Proof {
                seed,
                effort,
                nonce,
            }
            .to_string()
        })
        .unwrap_or_default())
}

/// Checks the ontvangstbewijs the server returned: signed by `receipt_key` (from
/// `/api/v1/config`), for this case (`lookup_hash`, hex) and for exactly the age
/// file the page sent (`melding_sha256`, hex). Returns it as the indented JSON file
/// the reporter can download; code `bad_signature` if any of it does not hold.
pub fn verify_receipt(
    receipt_json: &str,
    receipt_key: &str,
    lookup_hash: &str,
    melding_sha256: &str,
) -> Result<String> {
    let key: SigningPublicKey = receipt_key.parse()?;
    let receipt: SignedReceipt = serde_json::from_str(receipt_json).map_err(|e| {
        ClientError::new(
            "bad_signature",
            format!("the ontvangstbewijs does not parse: {e}"),
        )
    })?;
    receipt.verify(Some(&key))?;
    let r = &receipt.ontvangstbewijs;
    if r.lookup_hash != lookup_hash || r.sha256 != melding_sha256 {
        return Err(ClientError::new(
            "bad_signature",
            "the ontvangstbewijs is for another melding",
        ));
    }
    serde_json::to_string_pretty(&receipt).map_err(|e| ClientError::new("internal", e.to_string()))
}

/// A reply as the page shows it.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct OpenedReply {
    pub day: String,
    pub text: String,
}

/// Verifies a reply's signature against the meldpunt's `signing_key`
/// (`meldpunt-ed25519:…` from `/api/v1/config`) and the token's case, then opens it.
/// Nothing is opened unless the signature holds (code `bad_signature` otherwise).
/// Returns JSON `{"day":"YYYY-MM-DD","text":"…"}`.
pub fn open_reply(
    signing_key: &str,
    token: &str,
    ciphertext: &[u8],
    signature: &[u8],
) -> Result<String> {
    let key: SigningPublicKey = signing_key.parse()?;
    let keys = parse_token(token)?;
    let r = reply::verify_and_open(&key, &keys, ciphertext, signature)?;
    let shown = OpenedReply {
        day: r.day.clone(),
        text: r.text.clone(),
    };
    serde_json::to_string(&shown).map_err(|e| ClientError::new("internal", e.to_string()))
}

/// The fixed choices with their Dutch and English labels, as JSON
/// `{"soorten":[{"code","label","label_en"}],"over_wie":[…],"melders":[…]}`, so
/// the page offers exactly the envelope's codes (the same data as the page's
/// generated `vocabulary.js`).
pub fn vocabulary() -> String {
    domain::form_vocabulary_json()
}

/// Runs the envelope's test vectors; returns how many were checked.
pub fn check_vectors(json: &str) -> Result<usize> {
    vectors::check_all(json).map_err(|e| ClientError::new("vectors_failed", e))
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    //! The JavaScript face of the functions above.

    use wasm_bindgen::prelude::*;

    use super::ClientError;

    fn throw(e: ClientError) -> JsValue {
        let err = js_sys::Error::new(&e.to_string());
        // Setting a property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(e.code));
        err.into()
    }

    #[wasm_bindgen]
    pub fn new_token() -> Result<String, JsValue> {
        super::new_token().map(|t| t.to_string()).map_err(throw)
    }

    #[wasm_bindgen]
    pub fn token_display(token: &str) -> Result<String, JsValue> {
        super::token_display(token)
            .map(|t| t.to_string())
            .map_err(throw)
    }

    #[wasm_bindgen]
    pub fn token_lookup_hash(token: &str) -> Result<String, JsValue> {
        super::token_lookup_hash(token).map_err(throw)
    }

    #[wasm_bindgen]
    pub fn token_lookup_key(token: &str) -> Result<String, JsValue> {
        super::token_lookup_key(token)
            .map(|k| k.to_string())
            .map_err(throw)
    }

    #[wasm_bindgen]
    pub fn token_reply_recipient(token: &str) -> Result<String, JsValue> {
        super::token_reply_recipient(token).map_err(throw)
    }

    #[wasm_bindgen]
    pub fn seal_melding(
        fields_json: &str,
        recipients_json: &str,
        token: &str,
    ) -> Result<Vec<u8>, JsValue> {
        super::seal_melding(fields_json, recipients_json, token).map_err(throw)
    }

    #[wasm_bindgen]
    pub fn open_reply(
        signing_key: &str,
        token: &str,
        ciphertext: &[u8],
        signature: &[u8],
    ) -> Result<String, JsValue> {
        super::open_reply(signing_key, token, ciphertext, signature).map_err(throw)
    }

    #[wasm_bindgen]
    pub fn sha256_hex(bytes: &[u8]) -> String {
        super::sha256_hex(bytes)
    }

    #[wasm_bindgen]
    pub fn pow_binding_submission(
        lookup_hash: &str,
        melding_sha256: &str,
    ) -> Result<String, JsValue> {
        super::pow_binding_submission(lookup_hash, melding_sha256).map_err(throw)
    }

    #[wasm_bindgen]
    pub fn pow_binding_lookup(body: &[u8]) -> String {
        super::pow_binding_lookup(body)
    }

    #[wasm_bindgen]
    pub fn pow_search(
        seed: &str,
        binding: &str,
        effort: u32,
        start: &str,
        count: u32,
    ) -> Result<String, JsValue> {
        super::pow_search(seed, binding, effort, start, count).map_err(throw)
    }

    #[wasm_bindgen]
    pub fn verify_receipt(
        receipt_json: &str,
        receipt_key: &str,
        lookup_hash: &str,
        melding_sha256: &str,
    ) -> Result<String, JsValue> {
        super::verify_receipt(receipt_json, receipt_key, lookup_hash, melding_sha256).map_err(throw)
    }

    /// Seals one attachment in pieces: `new AttachmentSealer(recipients_json, size)`,
    /// then `push(piece)` per `File.slice()` piece and `finish()`, each returning
    /// ciphertext to append. `free()` it when done or cancelled.
    #[wasm_bindgen]
    pub struct AttachmentSealer(super::AttachmentSealing);

    #[wasm_bindgen]
    impl AttachmentSealer {
        #[wasm_bindgen(constructor)]
        pub fn new(recipients_json: &str, size: f64) -> Result<AttachmentSealer, JsValue> {
            if !(size >= 0.0 && size.fract() == 0.0 && size <= 9.0e15) {
                return Err(throw(ClientError {
                    code: "invalid_input",
                    message: "the size is not a whole number of bytes".into(),
                }));
            }
            super::AttachmentSealing::new(recipients_json, size as u64)
                .map(AttachmentSealer)
                .map_err(throw)
        }

        pub fn push(&mut self, piece: &[u8]) -> Result<Vec<u8>, JsValue> {
            self.0.push(piece).map_err(throw)
        }

        pub fn finish(&mut self) -> Result<Vec<u8>, JsValue> {
            self.0.finish().map_err(throw)
        }
    }

    /// SHA-256 of a file in pieces: `new FileHash()`, `update(piece)` per piece,
    /// `hex()` at the end; `free()` it afterwards.
    #[wasm_bindgen]
    pub struct FileHash(super::FileHash);

    #[wasm_bindgen]
    impl FileHash {
        #[wasm_bindgen(constructor)]
        #[allow(clippy::new_without_default)]
        pub fn new() -> FileHash {
            FileHash(super::FileHash::new())
        }

        pub fn update(&mut self, piece: &[u8]) {
            self.0.update(piece);
        }

        pub fn hex(&self) -> String {
            self.0.hex()
        }
    }

    #[wasm_bindgen]
    pub fn vocabulary() -> String {
        super::vocabulary()
    }

    /// Removes the metadata from a file the melder chose, before it is sealed
    /// (`meldpunt-clean`). Returns `{bytes, removed, couldNotCheck}`: the cleaned
    /// bytes to seal, or `null` when nothing was removed (seal the file as it is; no
    /// copy of a large video comes back), the codes of what was removed (`location`,
    /// `camera`, …) and `null` or the code of why it could not be checked (`heic`,
    /// `unknown_format`, …). Never throws on the file's contents.
    #[wasm_bindgen]
    pub fn clean_file(name: &str, mime: &str, bytes: &[u8]) -> JsValue {
        let c = meldpunt_clean::clean(name, mime, bytes);
        let out = js_sys::Object::new();
        let removed: js_sys::Array = c
            .removed
            .iter()
            .map(|m| JsValue::from_str(m.code()))
            .collect();
        let reason = c
            .could_not_check
            .map_or(JsValue::NULL, |r| JsValue::from_str(r.code()));
        // Setting properties on a fresh plain object cannot fail.
        let bytes = match &c.bytes {
            std::borrow::Cow::Owned(cleaned) => js_sys::Uint8Array::from(&cleaned[..]).into(),
            std::borrow::Cow::Borrowed(_) => JsValue::NULL,
        };
        let _ = js_sys::Reflect::set(&out, &"bytes".into(), &bytes);
        let _ = js_sys::Reflect::set(&out, &"removed".into(), &removed);
        let _ = js_sys::Reflect::set(&out, &"couldNotCheck".into(), &reason);
        out.into()
    }

    #[wasm_bindgen]
    pub fn check_vectors(json: &str) -> Result<u32, JsValue> {
        super::check_vectors(json).map(|n| n as u32).map_err(throw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTORS: &str = include_str!("../../keys/envelope/vectors/v1.json");
    const SAMPLE: &str = "006H-M9SM-8575-PT3N-GA7S-SADP-RF8D-VTQQ";

    fn fields(text: &str) -> String {
        serde_json::json!({"organisatie": "leiden", "soort": "fraude-corruptie", "text": text, "contact": "  "}).to_string()
    }

    #[test]
    fn vectors_pass_and_detect_changes() {
        assert!(check_vectors(VECTORS).unwrap() > 10);
        let altered = VECTORS.replacen("5db07edf", "5db07ede", 1);
        assert_eq!(check_vectors(&altered).unwrap_err().code, "vectors_failed");
    }

    #[test]
    fn token_functions_match_vectors() {
        let v: serde_json::Value = serde_json::from_str(VECTORS).unwrap();
        let t = &v["tokens"][2];
        let typed = SAMPLE.to_lowercase().replace('-', " ");
        assert_eq!(*token_display(&typed).unwrap(), SAMPLE);
        assert_eq!(token_lookup_hash(&typed).unwrap(), t["lookup_hash"]);
        assert_eq!(*token_lookup_key(SAMPLE).unwrap(), t["lookup_key"]);
        assert_eq!(token_reply_recipient(SAMPLE).unwrap(), t["reply_recipient"]);
        assert_eq!(token_lookup_hash("ABCD").unwrap_err().code, "invalid_token");
        let fresh = new_token().unwrap();
        assert_eq!(fresh.len(), 39);
        assert_eq!(*token_display(&fresh).unwrap(), *fresh);
    }

    #[test]
    fn sealed_melding_opens_with_the_recipient() {
        let staff = age::x25519::Identity::generate();
        let recipients = serde_json::json!([staff.to_public().to_string()]).to_string();
        let ct =
            seal_melding(&fields("De wethouder kreeg een auto."), &recipients, SAMPLE).unwrap();
        assert!(ct.starts_with(b"age-encryption.org/v1\n"));
        let m = melding::open(&ct, &[&staff]).unwrap();
        assert_eq!(m.text, "De wethouder kreeg een auto.");
        assert_eq!(m.soort.as_deref(), Some("fraude-corruptie"));
        assert_eq!(m.contact, None, "blank optional fields are left out");
        assert_eq!(m.reply_recipient, token_reply_recipient(SAMPLE).unwrap());
    }

    #[test]
    fn seal_melding_refuses_bad_input() {
        let staff = age::x25519::Identity::generate().to_public().to_string();
        let recipients = serde_json::json!([staff]).to_string();
        let code = |f: &str, r: &str, t: &str| seal_melding(f, r, t).unwrap_err().code;
        assert_eq!(code("{", &recipients, SAMPLE), "invalid_input");
        assert_eq!(
            code(
                r#"{"organisatie":"leiden","soort":"overig","text":"x","tekst":"y"}"#,
                &recipients,
                SAMPLE
            ),
            "invalid_input"
        );
        assert_eq!(code(&fields("x"), "{}", SAMPLE), "invalid_input");
        assert_eq!(code(&fields("x"), "[]", SAMPLE), "no_recipients");
        assert_eq!(
            code(&fields("x"), r#"["age1nope"]"#, SAMPLE),
            "invalid_recipient"
        );
        assert_eq!(code(&fields("x"), &recipients, "nope"), "invalid_token");
        assert_eq!(code(&fields("   "), &recipients, SAMPLE), "invalid_melding");
        let unknown = r#"{"organisatie":"leiden","soort":"iets-nieuws","text":"x"}"#;
        assert_eq!(code(unknown, &recipients, SAMPLE), "invalid_melding");
        let bad_org = r#"{"organisatie":"Leiden!","soort":"overig","text":"x"}"#;
        assert_eq!(code(bad_org, &recipients, SAMPLE), "invalid_melding");
    }

    #[test]
    fn replies_from_vectors() {
        use base64::Engine;
        let b64 = |s: &serde_json::Value| {
            base64::engine::general_purpose::STANDARD
                .decode(s.as_str().unwrap())
                .unwrap()
        };
        let v: serde_json::Value = serde_json::from_str(VECTORS).unwrap();
        for r in v["replies"].as_array().unwrap() {
            let key = r["signing_public"].as_str().unwrap();
            let token = r["token"].as_str().unwrap();
            let got = open_reply(key, token, &b64(&r["ciphertext"]), &b64(&r["signature"]));
            match r["text"].as_str() {
                Some(text) => {
                    let opened: serde_json::Value = serde_json::from_str(&got.unwrap()).unwrap();
                    assert_eq!(opened["text"], text);
                    assert_eq!(opened["day"], "2026-11-22");
                }
                None => assert_eq!(got.unwrap_err().code, "bad_signature", "{}", r["comment"]),
            }
        }
        let r = &v["replies"][0];
        let (ct, sig) = (b64(&r["ciphertext"]), b64(&r["signature"]));
        let key = r["signing_public"].as_str().unwrap();
        assert_eq!(
            open_reply("meldpunt-ed25519:AAAA", SAMPLE, &ct, &sig)
                .unwrap_err()
                .code,
            "invalid_signing_key"
        );
        assert_eq!(
            open_reply(key, "kort", &ct, &sig).unwrap_err().code,
            "invalid_token"
        );
        assert_eq!(
            open_reply(key, SAMPLE, &ct, &sig[..10]).unwrap_err().code,
            "bad_signature"
        );
    }

    #[test]
    fn attachments_seal_in_pieces_and_are_listed() {
        let staff = age::x25519::Identity::generate();
        let recipients = serde_json::json!([staff.to_public().to_string()]).to_string();
        let file: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
        let mut s = AttachmentSealing::new(&recipients, file.len() as u64).unwrap();
        let mut h = FileHash::new();
        let mut ct = Vec::new();
        for piece in file.chunks(65_536) {
            ct.extend(s.push(piece).unwrap());
            h.update(piece);
        }
        ct.extend(s.finish().unwrap());
        assert_eq!(s.finish().unwrap_err().code, "invalid_input");
        assert_eq!(s.push(b"x").unwrap_err().code, "invalid_input");
        assert_eq!(h.hex(), meldpunt_envelope::sha256_hex(&file));
        assert_eq!(
            meldpunt_envelope::attachment::open(&ct, &[&staff]).unwrap(),
            file
        );

        let mut short = AttachmentSealing::new(&recipients, 10).unwrap();
        short.push(b"abc").unwrap();
        assert_eq!(short.finish().unwrap_err().code, "invalid_input");
        assert_eq!(
            AttachmentSealing::new("[]", 1).err().unwrap().code,
            "no_recipients"
        );

        let f = serde_json::json!({
            "organisatie": "leiden", "soort": "fraude-corruptie", "text": "Zie bijlage.",
            "attachments": [{"name": "offerte.pdf", "type": "application/pdf",
                             "size": file.len(), "sha256": h.hex()}]
        });
        let m = melding::open(
            &seal_melding(&f.to_string(), &recipients, SAMPLE).unwrap(),
            &[&staff],
        )
        .unwrap();
        assert_eq!(m.attachments.len(), 1);
        assert_eq!(m.attachments[0].name, "offerte.pdf");
        assert_eq!(m.attachments[0].size, file.len() as u64);
        let mut bad = f.clone();
        bad["attachments"][0]["sha256"] = "xyz".into();
        assert_eq!(
            seal_melding(&bad.to_string(), &recipients, SAMPLE)
                .unwrap_err()
                .code,
            "invalid_melding"
        );
    }

    #[test]
    fn follow_ups_have_no_soort() {
        let staff = age::x25519::Identity::generate();
        let recipients = serde_json::json!([staff.to_public().to_string()]).to_string();
        let f =
            serde_json::json!({"kind": "vervolg", "organisatie": "leiden", "text": "Nog iets."});
        let m = melding::open(
            &seal_melding(&f.to_string(), &recipients, SAMPLE).unwrap(),
            &[&staff],
        )
        .unwrap();
        assert_eq!(m.kind, Kind::Vervolg);
        assert_eq!(m.soort, None);
        let with_soort = serde_json::json!({"kind": "vervolg", "organisatie": "leiden", "soort": "overig", "text": "x"});
        assert_eq!(
            seal_melding(&with_soort.to_string(), &recipients, SAMPLE)
                .unwrap_err()
                .code,
            "invalid_melding"
        );
        let no_soort = serde_json::json!({"organisatie": "leiden", "text": "x"});
        assert_eq!(
            seal_melding(&no_soort.to_string(), &recipients, SAMPLE)
                .unwrap_err()
                .code,
            "invalid_melding"
        );
        let odd = serde_json::json!({"kind": "reactie", "organisatie": "leiden", "text": "x"});
        assert_eq!(
            seal_melding(&odd.to_string(), &recipients, SAMPLE)
                .unwrap_err()
                .code,
            "invalid_input"
        );
    }

    #[test]
    fn proof_of_work_steps_find_a_solution_the_envelope_accepts() {
        let lh = token_lookup_hash(SAMPLE).unwrap();
        let sha = sha256_hex(b"age file");
        let binding = pow_binding_submission(&lh, &sha).unwrap();
        let seed = "5a".repeat(32);
        let mut start = [0u8; 16];
        let header = loop {
            let found = pow_search(&seed, &binding, 8, &hex::encode(start), 4).unwrap();
            if !found.is_empty() {
                break found;
            }
            for _ in 0..4 {
                pow::increment(&mut start);
            }
        };
        let proof: pow::Proof = header.parse().unwrap();
        assert_eq!(proof.effort, 8);
        let b = hex32(&binding, "x").unwrap();
        assert!(pow::Hasher::new().check(&proof.challenge(&b), &proof.nonce, 8));
        assert_eq!(
            pow_binding_lookup(b"{}"),
            hex::encode(pow::lookup_binding(b"{}"))
        );
        for (seed, binding, effort, start) in [
            ("zz", binding.as_str(), 8, "00".repeat(16)),
            (seed.as_str(), "00", 8, "00".repeat(16)),
            (seed.as_str(), binding.as_str(), 0, "00".repeat(16)),
            (seed.as_str(), binding.as_str(), 8, "00".repeat(15)),
        ] {
            assert_eq!(
                pow_search(seed, binding, effort, &start, 1)
                    .unwrap_err()
                    .code,
                "invalid_input"
            );
        }
        assert_eq!(
            pow_binding_submission("zz", &sha).unwrap_err().code,
            "invalid_input"
        );
    }

    #[test]
    fn receipts_are_verified_against_key_case_and_file() {
        use meldpunt_envelope::keys::SigningSecretKey;
        use meldpunt_envelope::signed::Receipt;
        let key = SigningSecretKey::generate().unwrap();
        let lh = token_lookup_hash(SAMPLE).unwrap();
        let sha = sha256_hex(b"the melding's age file");
        let receipt = Receipt {
            v: 1,
            id: "0123456789abcdef0123456789abcdef".into(),
            received: "2026-11-22".into(),
            organisatie: "leiden".into(),
            lookup_hash: lh.clone(),
            sha256: sha.clone(),
        }
        .sign(&key)
        .unwrap();
        let json = serde_json::to_string(&receipt).unwrap();
        let pk = key.public().to_string();
        let shown = verify_receipt(&json, &pk, &lh, &sha).unwrap();
        let back: SignedReceipt = serde_json::from_str(&shown).unwrap();
        assert_eq!(back, receipt);

        let other = SigningSecretKey::generate().unwrap().public().to_string();
        let code =
            |j: &str, k: &str, l: &str, s: &str| verify_receipt(j, k, l, s).unwrap_err().code;
        assert_eq!(code(&json, &other, &lh, &sha), "bad_signature");
        assert_eq!(code(&json, &pk, &sha, &sha), "bad_signature");
        assert_eq!(code(&json, &pk, &lh, &lh), "bad_signature");
        assert_eq!(code("{}", &pk, &lh, &sha), "bad_signature");
        let tampered = json.replace("2026-11-22", "2026-11-21");
        assert_eq!(code(&tampered, &pk, &lh, &sha), "bad_signature");
        assert_eq!(code(&json, "nope", &lh, &sha), "invalid_signing_key");
    }

    #[test]
    fn vocabulary_mirrors_the_envelope() {
        let v: serde_json::Value = serde_json::from_str(&vocabulary()).unwrap();
        let codes: Vec<&str> = v["soorten"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap())
            .collect();
        let want: Vec<&str> = Soort::ALL.iter().map(|t| t.code()).collect();
        assert_eq!(codes, want);
        assert_eq!(
            v["soorten"][0]["label"],
            Soort::ALL[0].label(domain::Lang::Nl)
        );
        assert_eq!(
            v["soorten"][0]["label_en"],
            Soort::ALL[0].label(domain::Lang::En)
        );
        assert_eq!(v["melders"].as_array().unwrap().len(), Melder::ALL.len());
    }
}
