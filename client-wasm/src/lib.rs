//! The reporter's side of Meldpunt, compiled to WebAssembly for the page in `www/`.
//!
//! Everything here is a thin wrapper over `meldpunt-envelope`, the one definition of
//! every format: the page never builds, seals, verifies or opens anything in
//! JavaScript. The functions below are plain Rust (tested natively) that take and
//! return strings and bytes; the `wasm` module at the bottom exports them to
//! JavaScript with wasm-bindgen and turns a [`ClientError`] into a thrown `Error`
//! whose `code` property (and the start of its message) names what failed.

use meldpunt_envelope::domain::{self, Term};
use meldpunt_envelope::keys::{SigningPublicKey, parse_recipient};
use meldpunt_envelope::melding::{self, Melding};
use meldpunt_envelope::reply;
use meldpunt_envelope::token::{ReplyToken, TokenKeys};
use meldpunt_envelope::{Error, vectors};
use serde::{Deserialize, Serialize};
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
            Error::BadSignature => "bad_signature",
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
    organisatie: String,
    soort: String,
    text: String,
    #[serde(default)]
    over_wie: Option<String>,
    #[serde(default)]
    melder: Option<String>,
    #[serde(default)]
    wanneer_waar: Option<String>,
    #[serde(default)]
    contact: Option<String>,
}

/// An optional field as the protocol wants it: left out when blank.
fn optional(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

/// A code the page offers must be one this build knows (older meldingen with
/// unknown codes stay readable by the offline tool; this client does not make them).
fn known_code(list: &[Term], code: &Option<String>, what: &str) -> Result<()> {
    match code {
        Some(c) if domain::find(list, c).is_none() => Err(ClientError::new(
            "invalid_melding",
            format!("unknown {what} code {c:?}"),
        )),
        _ => Ok(()),
    }
}

/// Builds the melding from `fields_json` and the token, checks it, and seals it to
/// every recipient in `recipients_json` (a JSON list of `age1…` strings: the
/// recipients of the chosen organisation from `/api/v1/config`). Returns the binary
/// age file to POST.
pub fn seal_melding(fields_json: &str, recipients_json: &str, token: &str) -> Result<Vec<u8>> {
    let f: Fields = serde_json::from_str(fields_json).map_err(|e| {
        ClientError::new(
            "invalid_input",
            format!("the melding fields do not parse: {e}"),
        )
    })?;
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
    let keys = parse_token(token)?;
    let mut m = Melding::new(&f.organisatie, &f.soort, &f.text, &keys.reply_recipient());
    m.over_wie = optional(f.over_wie);
    m.melder = optional(f.melder);
    m.wanneer_waar = optional(f.wanneer_waar);
    m.contact = optional(f.contact);
    known_code(domain::SOORTEN, &m.soort, "soort")?;
    known_code(domain::OVER_WIE, &m.over_wie, "over_wie")?;
    known_code(domain::MELDERS, &m.melder, "melder")?;
    m.validate()?;
    Ok(melding::seal(&m, &recipients)?)
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

#[derive(Serialize)]
struct Choice {
    code: &'static str,
    label: &'static str,
}

#[derive(Serialize)]
struct Vocabulary {
    soorten: Vec<Choice>,
    over_wie: Vec<Choice>,
    melders: Vec<Choice>,
}

/// The fixed choices with their Dutch labels, as JSON
/// `{"soorten":[{"code","label"}],"over_wie":[…],"melders":[…]}`, so the page
/// offers exactly the envelope's codes.
pub fn vocabulary() -> String {
    let nl = |list: &[Term]| {
        list.iter()
            .map(|t| Choice {
                code: t.code,
                label: t.nl,
            })
            .collect()
    };
    let v = Vocabulary {
        soorten: nl(domain::SOORTEN),
        over_wie: nl(domain::OVER_WIE),
        melders: nl(domain::MELDERS),
    };
    serde_json::to_string(&v).expect("static strings serialise")
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
    pub fn vocabulary() -> String {
        super::vocabulary()
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
    fn vocabulary_mirrors_the_envelope() {
        let v: serde_json::Value = serde_json::from_str(&vocabulary()).unwrap();
        let codes: Vec<&str> = v["soorten"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap())
            .collect();
        let want: Vec<&str> = domain::SOORTEN.iter().map(|t| t.code).collect();
        assert_eq!(codes, want);
        assert_eq!(v["soorten"][0]["label"], domain::SOORTEN[0].nl);
        assert_eq!(
            v["melders"].as_array().unwrap().len(),
            domain::MELDERS.len()
        );
    }
}
