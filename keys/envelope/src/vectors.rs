//! Test vectors: one checker, run natively (`tests/vectors.rs`) and inside the WASM
//! client under node, so both builds are shown to make and accept the same bytes.
//! The vectors live in `vectors/v1.json`; `examples/make-vectors.rs` wrote them once.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use crate::keys::{SigningPublicKey, SigningSecretKey};
use crate::melding::Melding;
use crate::reply::ReplyText;
use crate::token::ReplyToken;

#[derive(Debug, Serialize, Deserialize)]
pub struct Vectors {
    pub tokens: Vec<TokenVector>,
    pub token_parse: Vec<TokenParseVector>,
    pub padding: Vec<PaddingVector>,
    pub meldingen: Vec<MeldingVector>,
    pub replies: Vec<ReplyVector>,
    /// Proofs of work (`pow.rs`): optional in the file so older sets still read.
    #[serde(default)]
    pub pow: Vec<PowVector>,
}

/// One proof of work: what it is bound to, its Argon2id output, and whether it
/// meets its claimed effort.
#[derive(Debug, Serialize, Deserialize)]
pub struct PowVector {
    pub comment: String,
    /// For a submission: the lookup hash and the melding's SHA-256 (hex).
    pub lookup_hash: Option<String>,
    pub melding_sha256: Option<String>,
    /// For a look-up: the request body (hex).
    pub body: Option<String>,
    pub binding: String,
    /// The `Meldpunt-Pow` header value: seed, effort, nonce.
    pub proof: String,
    pub hash: String,
    pub valid: bool,
}

/// Token bytes and everything derived from them.
#[derive(Debug, Serialize, Deserialize)]
pub struct TokenVector {
    pub bytes: String,
    pub display: String,
    pub lookup_key: String,
    pub lookup_hash: String,
    pub reply_recipient: String,
}

/// A typed token and whether (and to what) it parses.
#[derive(Debug, Serialize, Deserialize)]
pub struct TokenParseVector {
    pub input: String,
    /// Hex bytes, or `null` when the input must be refused.
    pub bytes: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PaddingVector {
    pub payload: String,
    pub padded_len: usize,
    pub padded_sha256: String,
}

/// A melding's padded plaintext, and a sealed copy that must open to it.
#[derive(Debug, Serialize, Deserialize)]
pub struct MeldingVector {
    pub melding: Melding,
    pub padded_sha256: String,
    pub identity: String,
    pub ciphertext: String,
}

/// A signed reply, and whether it must be accepted.
#[derive(Debug, Serialize, Deserialize)]
pub struct ReplyVector {
    pub comment: String,
    pub signing_public: String,
    pub token: String,
    pub ciphertext: String,
    pub signature: String,
    /// The text it opens to, or `null` when it must be refused.
    pub text: Option<String>,
}

fn unb64(s: &str) -> Result<Vec<u8>, String> {
    STANDARD.decode(s).map_err(|e| e.to_string())
}

/// Checks every vector; returns how many were checked, or the first failure.
pub fn check_all(json: &str) -> Result<usize, String> {
    let v: Vectors =
        serde_json::from_str(json).map_err(|e| format!("vectors do not parse: {e}"))?;
    let mut n = 0;
    for t in &v.tokens {
        let bytes: [u8; 20] = hex::decode(&t.bytes)
            .map_err(|e| e.to_string())?
            .try_into()
            .map_err(|_| "token length")?;
        let token = ReplyToken::from_bytes(bytes);
        let keys = token.derive();
        let got = (
            token.display().to_string(),
            hex::encode(keys.lookup_key.0),
            hex::encode(keys.lookup_key.hash()),
            keys.reply_recipient(),
        );
        let want = (
            t.display.clone(),
            t.lookup_key.clone(),
            t.lookup_hash.clone(),
            t.reply_recipient.clone(),
        );
        if got != want {
            return Err(format!("token {}: got {got:?}, want {want:?}", t.bytes));
        }
        n += 1;
    }
    for t in &v.token_parse {
        let got = ReplyToken::parse(&t.input)
            .ok()
            .map(|t| hex::encode(t.as_bytes()));
        if got != t.bytes {
            return Err(format!(
                "token parse {:?}: got {got:?}, want {:?}",
                t.input, t.bytes
            ));
        }
        n += 1;
    }
    for p in &v.padding {
        let payload = hex::decode(&p.payload).map_err(|e| e.to_string())?;
        let padded = crate::padding::pad(&payload).map_err(|e| e.to_string())?;
        if padded.len() != p.padded_len || crate::sha256_hex(&padded) != p.padded_sha256 {
            return Err(format!("padding of {} bytes differs", payload.len()));
        }
        if crate::padding::unpad(&padded).map_err(|e| e.to_string())? != payload.as_slice() {
            return Err("unpad does not return the payload".into());
        }
        n += 1;
    }
    for m in &v.meldingen {
        let padded = m.melding.to_padded().map_err(|e| e.to_string())?;
        if crate::sha256_hex(&padded) != m.padded_sha256 {
            return Err(format!(
                "melding {:?}: padded plaintext differs",
                m.melding.text
            ));
        }
        let id: age::x25519::Identity = m.identity.parse().map_err(|e: &str| e.to_string())?;
        let opened =
            crate::melding::open(&unb64(&m.ciphertext)?, &[&id]).map_err(|e| e.to_string())?;
        if opened != m.melding {
            return Err(format!(
                "melding {:?}: opened to something else",
                m.melding.text
            ));
        }
        n += 1;
    }
    for r in &v.replies {
        let key: SigningPublicKey = r
            .signing_public
            .parse()
            .map_err(|e: crate::Error| e.to_string())?;
        let token = ReplyToken::parse(&r.token)
            .map_err(|e| e.to_string())?
            .derive();
        let got = crate::reply::verify_and_open(
            &key,
            &token,
            &unb64(&r.ciphertext)?,
            &unb64(&r.signature)?,
        )
        .ok()
        .map(|t| t.text);
        if got != r.text {
            return Err(format!(
                "reply {:?}: got {got:?}, want {:?}",
                r.comment, r.text
            ));
        }
        n += 1;
    }
    for p in &v.pow {
        check_pow(p).map_err(|e| format!("pow {:?}: {e}", p.comment))?;
        n += 1;
    }
    Ok(n)
}

fn check_pow(p: &PowVector) -> Result<(), String> {
    let h32 = |s: &Option<String>, what: &str| -> Result<[u8; 32], String> {
        let mut b = [0u8; 32];
        hex::decode_to_slice(s.as_deref().ok_or(format!("no {what}"))?, &mut b)
            .map_err(|e| e.to_string())?;
        Ok(b)
    };
    let binding = match &p.body {
        Some(body) => crate::pow::lookup_binding(&hex::decode(body).map_err(|e| e.to_string())?),
        None => crate::pow::submission_binding(
            &h32(&p.lookup_hash, "lookup_hash")?,
            &h32(&p.melding_sha256, "melding_sha256")?,
        ),
    };
    if hex::encode(binding) != p.binding {
        return Err("binding differs".into());
    }
    let proof: crate::pow::Proof = p.proof.parse().map_err(|e| format!("{e}"))?;
    let hash = crate::pow::Hasher::new().hash(&proof.challenge(&binding), &proof.nonce);
    if hex::encode(hash) != p.hash {
        return Err("Argon2id output differs".into());
    }
    if crate::pow::meets(&hash, proof.effort) != p.valid {
        return Err("validity differs".into());
    }
    Ok(())
}

/// Makes the proof-of-work vectors: fixed inputs, so the same every time.
pub fn make_pow() -> Vec<PowVector> {
    use crate::pow::{self, Proof};
    let mut out = Vec::new();
    let lookup_hash = [0x11u8; 32];
    let melding_sha256 = [0x22u8; 32];
    let body =
        br#"{"lookup_key":"a5dfa7fb698ea6497ca7c81feb6e43d1043c6fb55e385c4acfb05f0632733105"}"#;
    for (comment, lookup, effort) in [
        ("submission, effort 1", false, 1u32),
        ("submission, effort 20", false, 20),
        ("look-up, effort 30", true, 30),
    ] {
        let binding = if lookup {
            pow::lookup_binding(body)
        } else {
            pow::submission_binding(&lookup_hash, &melding_sha256)
        };
        let seed = [0x5au8; 32];
        let c = pow::challenge(&seed, &binding, effort);
        let nonce = pow::solve(&c, effort, &[0; 16]);
        let mut h = pow::Hasher::new();
        let good = Proof {
            seed,
            effort,
            nonce,
        };
        let mut tries = vec![(comment.to_string(), good, true)];
        // The nonce before a solution at a high effort is most likely no solution:
        // keep the first one that is not.
        if effort > 1 {
            let mut bad = nonce;
            loop {
                pow::increment(&mut bad);
                if !h.check(&c, &bad, effort) {
                    break;
                }
            }
            tries.push((
                format!("{comment}, not a solution"),
                Proof { nonce: bad, ..good },
                false,
            ));
        }
        for (comment, proof, valid) in tries {
            let hash = h.hash(&proof.challenge(&binding), &proof.nonce);
            out.push(PowVector {
                comment,
                lookup_hash: (!lookup).then(|| hex::encode(lookup_hash)),
                melding_sha256: (!lookup).then(|| hex::encode(melding_sha256)),
                body: lookup.then(|| hex::encode(body)),
                binding: hex::encode(binding),
                proof: proof.to_string(),
                hash: hex::encode(hash),
                valid,
            });
        }
    }
    out
}

/// Makes a fresh set of vectors (used once by `examples/make-vectors.rs`; the
/// committed file is the reference, this is not run by the tests).
pub fn make() -> Result<Vectors, crate::Error> {
    let mut tokens = Vec::new();
    for seed in [
        [0u8; 20],
        [0xff; 20],
        core::array::from_fn(|i| i as u8 * 13),
    ] {
        let t = ReplyToken::from_bytes(seed);
        let k = t.derive();
        tokens.push(TokenVector {
            bytes: hex::encode(seed),
            display: t.display().to_string(),
            lookup_key: hex::encode(k.lookup_key.0),
            lookup_hash: hex::encode(k.lookup_key.hash()),
            reply_recipient: k.reply_recipient(),
        });
    }
    let sample = ReplyToken::from_bytes(core::array::from_fn(|i| i as u8 * 13));
    let shown = sample.display().to_string();
    let token_parse = vec![
        TokenParseVector {
            input: shown.clone(),
            bytes: Some(hex::encode(sample.as_bytes())),
        },
        TokenParseVector {
            input: shown.to_lowercase().replace('-', " "),
            bytes: Some(hex::encode(sample.as_bytes())),
        },
        TokenParseVector {
            input: "oooo-iiii-llll-0000-1111-0000-0000-0000".into(),
            bytes: Some(hex::encode(
                ReplyToken::parse("0000-1111-1111-0000-1111-0000-0000-0000")?.as_bytes(),
            )),
        },
        TokenParseVector {
            input: shown[..20].to_string(),
            bytes: None,
        },
        TokenParseVector {
            input: format!("{shown}0"),
            bytes: None,
        },
        TokenParseVector {
            input: shown.replace('-', "U").chars().take(39).collect(),
            bytes: None,
        },
        TokenParseVector {
            input: "".into(),
            bytes: None,
        },
    ];
    let padding = [0usize, 1, 1020, 1021, 5000]
        .iter()
        .map(|&n| {
            let payload: Vec<u8> = (0..n).map(|i| (i * 7) as u8).collect();
            let padded = crate::padding::pad(&payload).expect("small payloads pad");
            PaddingVector {
                payload: hex::encode(&payload),
                padded_len: padded.len(),
                padded_sha256: crate::sha256_hex(&padded),
            }
        })
        .collect();
    let identity = age::x25519::Identity::generate();
    let reply_to = tokens[2].reply_recipient.clone();
    let mut full = Melding::new(
        "leiden",
        "fraude-corruptie",
        "De aanbesteding van het zwembad ging naar de zwager van de wethouder. Ünïcödé: €, ë, 日本.",
        &reply_to,
    );
    full.over_wie = Some("bestuurder".into());
    full.melder = Some("medewerker".into());
    full.wanneer_waar = Some("Voorjaar 2026, stadhuis".into());
    let mut vervolg = Melding::new("zoeterwoude", "overig", "Nog een aanvulling.", &reply_to);
    vervolg.kind = crate::melding::Kind::Vervolg;
    vervolg.soort = None;
    let mut meldingen = Vec::new();
    for m in [
        Melding::new("leiden", "pesten", "Kort.", &reply_to),
        full,
        vervolg,
    ] {
        let padded = m.to_padded()?;
        let ct = crate::melding::seal(&m, &[identity.to_public()])?;
        meldingen.push(MeldingVector {
            padded_sha256: crate::sha256_hex(&padded),
            identity: crate::keys::identity_to_string(&identity).to_string(),
            ciphertext: STANDARD.encode(ct),
            melding: m,
        });
    }
    let signing = SigningSecretKey::from_seed(&[42; 32]);
    let other = SigningSecretKey::from_seed(&[43; 32]);
    let tk = sample.derive();
    let hash = tk.lookup_key.hash();
    let text = "Wij hebben uw melding ontvangen en nemen haar in behandeling.";
    let good = crate::reply::seal_and_sign(
        &ReplyText::new("2026-11-22", text),
        &tk.reply_recipient(),
        &hash,
        &signing,
    )?;
    let mut tampered = good.ciphertext.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    let other_case = [0u8; 32];
    let rv =
        |comment: &str, key: &SigningSecretKey, ct: &[u8], sig: [u8; 64], text: Option<&str>| {
            ReplyVector {
                comment: comment.into(),
                signing_public: key.public().to_string(),
                token: shown.clone(),
                ciphertext: STANDARD.encode(ct),
                signature: STANDARD.encode(sig),
                text: text.map(str::to_string),
            }
        };
    let replies = vec![
        rv(
            "genuine",
            &signing,
            &good.ciphertext,
            good.signature,
            Some(text),
        ),
        rv(
            "ciphertext changed after signing",
            &signing,
            &tampered,
            good.signature,
            None,
        ),
        rv(
            "signed by another key",
            &signing,
            &good.ciphertext,
            crate::reply::sign(&other, &hash, &good.ciphertext),
            None,
        ),
        rv(
            "signed for another case",
            &signing,
            &good.ciphertext,
            crate::reply::sign(&signing, &other_case, &good.ciphertext),
            None,
        ),
    ];
    Ok(Vectors {
        tokens,
        token_parse,
        padding,
        meldingen,
        replies,
        pow: make_pow(),
    })
}
