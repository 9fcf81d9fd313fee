//! Submissions with attachments (multipart), follow-ups, the ontvangstbewijs,
//! proof of work, group commit and the import confirmation.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use futures_util::StreamExt;
use meldpunt_envelope::bundle::ItemKind;
use meldpunt_envelope::melding::{self, Kind};
use meldpunt_envelope::signed::SignedReceipt;
use meldpunt_envelope::token::{ReplyToken, TokenKeys};
use meldpunt_server::db::Counts;
use sha2::{Digest, Sha256};
use tower::ServiceExt;

use crate::common::*;

fn new_case() -> (TokenKeys, String) {
    let keys = ReplyToken::generate().unwrap().derive();
    let hash = hex::encode(keys.lookup_key.hash());
    (keys, hash)
}

fn receipt_of(t: &TestApp, v: &serde_json::Value) -> SignedReceipt {
    let r: SignedReceipt = serde_json::from_value(v["ontvangstbewijs"].clone()).unwrap();
    r.verify(Some(&t.receipt_key())).unwrap();
    r
}

#[tokio::test]
async fn a_melding_with_bijlagen_is_stored_with_a_receipt_and_exported_with_parents() {
    let t = TestApp::new();
    let (keys, hash) = new_case();
    let files: [&[u8]; 2] = [b"%PDF-1.4 eerste bewijsstuk", &[7u8; 300_000]];
    let (ct, sealed) = seal_with_attachments(&t.identity.to_public(), &keys, Kind::Melding, &files);
    let body = multipart_body(&[
        ("melding", &ct),
        ("bijlage", &sealed[0]),
        ("bijlage", &sealed[1]),
    ]);
    let (status, v) = t
        .send_json(multipart_request(
            "/api/v1/meldingen",
            &[
                ("meldpunt-organisatie", "leiden"),
                ("meldpunt-lookup-hash", &hash),
            ],
            body,
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let id = v["id"].as_str().unwrap();
    let today = meldpunt_envelope::Day::today().to_string();
    assert_eq!(v["received"], today.as_str());
    let r = receipt_of(&t, &v);
    assert_eq!(r.ontvangstbewijs.id, id);
    assert_eq!(r.ontvangstbewijs.received, today);
    assert_eq!(r.ontvangstbewijs.organisatie, "leiden");
    assert_eq!(r.ontvangstbewijs.lookup_hash, hash);
    assert_eq!(r.ontvangstbewijs.sha256, hex::encode(Sha256::digest(&ct)));
    assert_eq!(v.as_object().unwrap().len(), 3, "{v}");

    let b = export_bundle(&t).await;
    assert_eq!(b.items.len(), 3);
    let (m, m_ct) = &b.items[0];
    assert_eq!((m.id.as_str(), m.kind), (id, ItemKind::Melding));
    assert_eq!(m_ct, &ct);
    let opened = melding::open(m_ct, &[&t.identity]).unwrap();
    for (i, (line, data)) in b.items[1..].iter().enumerate() {
        assert_eq!(line.kind, ItemKind::Bijlage);
        assert_eq!(line.parent.as_deref(), Some(id));
        assert_eq!(line.organisatie.as_deref(), Some("leiden"));
        assert_eq!(line.lookup_hash, hash);
        let file = meldpunt_envelope::attachment::open(data, &[&t.identity]).unwrap();
        assert_eq!(file, files[i]);
        assert_eq!(
            opened.attachments[i].sha256,
            meldpunt_envelope::sha256_hex(&file)
        );
    }
}

#[tokio::test]
async fn bad_multipart_bodies_are_refused_and_nothing_is_written() {
    let t = TestApp::with(Options {
        max_submission_bytes: Some(64 * 1024),
        ..Options::default()
    });
    let (keys, hash) = new_case();
    let (ct, sealed) =
        seal_with_attachments(&t.identity.to_public(), &keys, Kind::Melding, &[b"bewijs"]);
    let h = [
        ("meldpunt-organisatie", "leiden"),
        ("meldpunt-lookup-hash", hash.as_str()),
    ];
    // An attachment over the stated limit (64 KiB) in its own bytes, past the size
    // class the limit falls in (the server sees classes).
    let (_, big) = seal_with_attachments(
        &t.identity.to_public(),
        &keys,
        Kind::Melding,
        &[&[b'a'; 130 * 1024]],
    );
    let mut truncated = multipart_body(&[("melding", &ct), ("bijlage", &sealed[0])]);
    truncated.truncate(truncated.len() - 40);
    let no_boundary = Request::post("/api/v1/meldingen")
        .header("content-type", "multipart/form-data")
        .header("meldpunt-organisatie", "leiden")
        .header("meldpunt-lookup-hash", &hash)
        .body(Body::from(multipart_body(&[("melding", &ct)])))
        .unwrap();
    let cases: Vec<(&str, Request<Body>, StatusCode, &str)> = vec![
        (
            "first part not the melding",
            multipart_request("/api/v1/meldingen", &h, multipart_body(&[("bijlage", &ct)])),
            StatusCode::BAD_REQUEST,
            "invalid_multipart",
        ),
        (
            "unknown part after the melding",
            multipart_request(
                "/api/v1/meldingen",
                &h,
                multipart_body(&[("melding", &ct), ("foto", &sealed[0])]),
            ),
            StatusCode::BAD_REQUEST,
            "invalid_multipart",
        ),
        (
            "no parts",
            multipart_request("/api/v1/meldingen", &h, multipart_body(&[])),
            StatusCode::BAD_REQUEST,
            "invalid_multipart",
        ),
        (
            "truncated",
            multipart_request("/api/v1/meldingen", &h, truncated),
            StatusCode::BAD_REQUEST,
            "invalid_multipart",
        ),
        (
            "no boundary",
            no_boundary,
            StatusCode::BAD_REQUEST,
            "invalid_multipart",
        ),
        (
            "bijlage not age",
            multipart_request(
                "/api/v1/meldingen",
                &h,
                multipart_body(&[("melding", &ct), ("bijlage", b"%PDF-1.4 in clear")]),
            ),
            StatusCode::BAD_REQUEST,
            "not_age_file",
        ),
        (
            "empty bijlage",
            multipart_request(
                "/api/v1/meldingen",
                &h,
                multipart_body(&[("melding", &ct), ("bijlage", b"")]),
            ),
            StatusCode::BAD_REQUEST,
            "not_age_file",
        ),
        (
            "melding not age",
            multipart_request(
                "/api/v1/meldingen",
                &h,
                multipart_body(&[("melding", b"hallo daar, dit is platte tekst")]),
            ),
            StatusCode::BAD_REQUEST,
            "not_age_file",
        ),
        (
            "empty melding",
            multipart_request("/api/v1/meldingen", &h, multipart_body(&[("melding", b"")])),
            StatusCode::BAD_REQUEST,
            "empty_body",
        ),
        (
            "too large in total",
            multipart_request(
                "/api/v1/meldingen",
                &h,
                multipart_body(&[("melding", &ct), ("bijlage", &big[0])]),
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
        ),
        (
            "wrong content type",
            Request::post("/api/v1/meldingen")
                .header("content-type", "text/plain")
                .header("meldpunt-organisatie", "leiden")
                .header("meldpunt-lookup-hash", &hash)
                .body(Body::from(ct.clone()))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
    ];
    t.refuses_all(cases).await;
    assert_eq!(
        t.counts().await,
        Counts {
            cases: 0,
            items: 0,
            replies: 0
        }
    );
    assert_eq!(
        t.state.upload_memory.used(),
        0,
        "every reservation is given back"
    );
}

fn vervolg_request(lookup_key_hex: &str, body: Vec<u8>) -> Request<Body> {
    Request::post("/api/v1/vervolg")
        .header("content-type", "application/octet-stream")
        .header("meldpunt-lookup-key", lookup_key_hex)
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn a_vervolg_by_lookup_key_joins_its_case() {
    let t = TestApp::new();
    let (keys, status, first) = t.submit("De eerste melding.").await;
    assert_eq!(status, StatusCode::CREATED);
    let key_hex = keys.lookup_key.to_hex();
    let (ct, sealed) = seal_with_attachments(
        &t.identity.to_public(),
        &keys,
        Kind::Vervolg,
        &[b"nog een foto"],
    );
    let (status, v) = t
        .send_json(multipart_request(
            "/api/v1/vervolg",
            &[("meldpunt-lookup-key", &key_hex)],
            multipart_body(&[("melding", &ct), ("bijlage", &sealed[0])]),
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let r = receipt_of(&t, &v);
    assert_eq!(r.ontvangstbewijs.organisatie, "leiden");
    assert_eq!(
        r.ontvangstbewijs.lookup_hash,
        hex::encode(keys.lookup_key.hash())
    );
    assert_ne!(v["id"], first["id"]);
    // The octet-stream form works too.
    let (ct2, _) = seal_with_attachments(&t.identity.to_public(), &keys, Kind::Vervolg, &[]);
    let (status, _) = t.send_json(vervolg_request(&key_hex, ct2)).await;
    assert_eq!(status, StatusCode::CREATED);

    let b = export_bundle(&t).await;
    let kinds: Vec<_> = b.items.iter().map(|(l, _)| l.kind).collect();
    assert_eq!(
        kinds,
        [
            ItemKind::Melding,
            ItemKind::Vervolg,
            ItemKind::Bijlage,
            ItemKind::Vervolg
        ]
    );
    assert_eq!(b.items[2].0.parent.as_ref(), Some(&b.items[1].0.id));
    assert!(
        b.items
            .iter()
            .all(|(l, _)| l.lookup_hash == b.items[0].0.lookup_hash)
    );
    assert_eq!(t.counts().await.cases, 1);

    let (unknown, _) = new_case();
    let cases: Vec<(&str, Request<Body>, StatusCode, &str)> = vec![
        (
            "unknown token",
            vervolg_request(&unknown.lookup_key.to_hex(), ct.clone()),
            StatusCode::NOT_FOUND,
            "unknown_token",
        ),
        (
            "bad key",
            vervolg_request("xyz", ct.clone()),
            StatusCode::BAD_REQUEST,
            "invalid_lookup_key",
        ),
        (
            "no key",
            Request::post("/api/v1/vervolg")
                .header("content-type", "application/octet-stream")
                .body(Body::from(ct.clone()))
                .unwrap(),
            StatusCode::BAD_REQUEST,
            "missing_header",
        ),
        (
            "not age",
            vervolg_request(&key_hex, b"platte tekst".to_vec()),
            StatusCode::BAD_REQUEST,
            "not_age_file",
        ),
        (
            "json",
            Request::post("/api/v1/vervolg")
                .header("content-type", "application/json")
                .header("meldpunt-lookup-key", &*key_hex)
                .body(Body::from("{}"))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
    ];
    t.refuses_all(cases).await;
    assert_eq!(t.counts().await.items, 4);
}

#[tokio::test]
async fn concurrent_submissions_share_commits_and_all_are_stored() {
    let t = TestApp::with(Options {
        limits: "submissions_per_minute = 100000\nmax_concurrent_uploads = 200".into(),
        ..Options::default()
    });
    let router = t.router();
    let before = t
        .state
        .db
        .stats()
        .commits
        .load(std::sync::atomic::Ordering::Relaxed);
    let mut tasks = Vec::new();
    for i in 0..100 {
        let (keys, hash) = new_case();
        let ct = seal_melding(&t.identity, &keys, &format!("Melding {i}"));
        tasks.push(tokio::spawn(
            router.clone().oneshot(melding_request("leiden", &hash, ct)),
        ));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().status(), StatusCode::CREATED);
    }
    let commits = t
        .state
        .db
        .stats()
        .commits
        .load(std::sync::atomic::Ordering::Relaxed)
        - before;
    assert!(
        (1..100).contains(&commits),
        "{commits} commits: they are shared"
    );
    assert_eq!(t.counts().await.items, 100);
}

#[tokio::test]
async fn an_import_confirmation_deletes_those_ciphertexts_once() {
    let t = TestApp::new();
    let (keys, hash) = new_case();
    let (ct, sealed) =
        seal_with_attachments(&t.identity.to_public(), &keys, Kind::Melding, &[b"foto"]);
    let (status, _) = t
        .send_json(multipart_request(
            "/api/v1/meldingen",
            &[
                ("meldpunt-organisatie", "leiden"),
                ("meldpunt-lookup-hash", &hash),
            ],
            multipart_body(&[("melding", &ct), ("bijlage", &sealed[0])]),
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, status, _) = t.submit("De tweede melding.").await;
    assert_eq!(status, StatusCode::CREATED);
    let b = export_bundle(&t).await;
    let ids: Vec<&str> = b.items.iter().map(|(l, _)| l.id.as_str()).collect();
    assert_eq!(ids.len(), 3);

    let body = confirmation(&t.signing, &ids[..2]);
    let other = meldpunt_envelope::keys::SigningSecretKey::generate().unwrap();
    let mut forged: serde_json::Value = serde_json::from_str(&body).unwrap();
    forged["importbevestiging"]["items"] = serde_json::json!([ids[2]]);
    let empty = serde_json::json!({"importbevestiging": {"v": 1, "day": "2026-11-22", "items": []}, "signature": "AAAA"});
    let cases: Vec<(&str, Request<Body>, StatusCode, &str)> = vec![
        (
            "other key",
            bevestiging_request(STAFF_TOKEN, &confirmation(&other, &ids)),
            StatusCode::BAD_REQUEST,
            "bad_signature",
        ),
        (
            "changed after signing",
            bevestiging_request(STAFF_TOKEN, &forged.to_string()),
            StatusCode::BAD_REQUEST,
            "bad_signature",
        ),
        (
            "no items",
            bevestiging_request(STAFF_TOKEN, &empty.to_string()),
            StatusCode::BAD_REQUEST,
            "invalid_confirmation",
        ),
        (
            "not json",
            bevestiging_request(STAFF_TOKEN, "{\"importbevestiging\":"),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            "no token",
            Request::post("/api/v1/staff/bevestiging")
                .header("content-type", "application/json")
                .body(Body::from(body.clone()))
                .unwrap(),
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        ),
        (
            "wrong content type",
            Request::post("/api/v1/staff/bevestiging")
                .header("authorization", format!("Bearer {STAFF_TOKEN}"))
                .header("content-type", "text/plain")
                .body(Body::from(body.clone()))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
    ];
    t.refuses_all(cases).await;
    assert_eq!(t.counts().await.items, 3, "nothing deleted by refusals");

    let (status, v) = t.send_json(bevestiging_request(STAFF_TOKEN, &body)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        v,
        serde_json::json!({"deleted": 2, "unknown": 0, "set_aside": 0})
    );
    let (status, v) = t.send_json(bevestiging_request(STAFF_TOKEN, &body)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        v,
        serde_json::json!({"deleted": 0, "unknown": 2, "set_aside": 0}),
        "idempotent"
    );
    assert_eq!(
        t.counts().await,
        Counts {
            cases: 2,
            items: 1,
            replies: 0
        },
        "case rows stay"
    );
    let b = export_bundle(&t).await;
    assert_eq!(b.items.len(), 1);
    assert_eq!(b.items[0].0.id, ids[2]);
    // The case still takes replies and follow-ups.
    let (status, _) = t
        .send_json(reacties_request(&keys.lookup_key.to_hex()))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (ct2, _) = seal_with_attachments(&t.identity.to_public(), &keys, Kind::Vervolg, &[]);
    let (status, _) = t
        .send_json(vervolg_request(&keys.lookup_key.to_hex(), ct2))
        .await;
    assert_eq!(status, StatusCode::CREATED);
}

/// Seals a melding for `keys` to `recipients` (one or more).
fn sealed_to(recipients: &[age::x25519::Recipient], keys: &TokenKeys, kind: Kind) -> Vec<u8> {
    let (mut ct, _) = seal_with_attachments(&recipients[0], keys, kind, &[]);
    if recipients.len() > 1 {
        let mut m = melding::Melding::new(
            "leiden",
            "overig",
            "Aan meer sleutels.",
            &keys.reply_recipient(),
        );
        m.kind = kind;
        if kind == Kind::Vervolg {
            m.soort = None;
        }
        ct = melding::seal(&m, recipients).unwrap();
    }
    ct
}

fn recipients(n: usize) -> Vec<age::x25519::Recipient> {
    (0..n)
        .map(|_| age::x25519::Identity::generate().to_public())
        .collect()
}

/// The code the server answers for a header vector's expected outcome.
fn code_for(expect: &str) -> &'static str {
    match expect {
        "NotAge" | "Armored" | "Passphrase" => "not_age_file",
        "NotX25519" => "recipient_type",
        _ => "invalid_age_file",
    }
}

/// The envelope's age header vectors, each posted as a melding with a payload of a
/// valid length after it: the ones with one X25519 stanza are stored, the others
/// refused with the code for their fault, and nothing refused is written.
#[tokio::test]
async fn the_age_header_vectors_are_checked_at_intake() {
    let t = TestApp::new();
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../keys/envelope/vectors/header");
    let mut stored = 0;
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths {
        let data = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let split = data.windows(2).position(|w| w == b"\n\n").unwrap();
        let fields = std::str::from_utf8(&data[..split]).unwrap();
        let field = |k: &str| {
            fields
                .lines()
                .find_map(|l| l.strip_prefix(k).and_then(|v| v.strip_prefix(": ")))
        };
        let mut body = data[split + 2..].to_vec();
        // Cut anything after the MAC line and add a nonce and one short chunk.
        if let Ok(h) = meldpunt_envelope::header::parse(&body) {
            body.truncate(h.len);
            body.extend([9u8; 16 + 16 + 40]);
        }
        let (_, hash) = new_case();
        let before = t.counts().await;
        let got = t
            .send_json(melding_request("leiden", &hash, body.clone()))
            .await;
        match (field("expect").unwrap(), field("x25519")) {
            ("ok", Some("1")) => {
                assert_eq!(got.0, StatusCode::CREATED, "{name}: {}", got.1);
                stored += 1;
            }
            ("ok", _) => assert_error(&got, StatusCode::BAD_REQUEST, "recipient_count"),
            (_, _) if body.is_empty() => assert_error(&got, StatusCode::BAD_REQUEST, "empty_body"),
            (expect, _) => {
                assert_eq!(got.1["error"], code_for(expect), "{name}: {}", got.1);
                assert_error(&got, StatusCode::BAD_REQUEST, code_for(expect));
                assert_eq!(t.counts().await, before, "{name}: something was written");
            }
        }
    }
    assert_eq!(stored, 2, "the vectors with one X25519 recipient");
}

#[tokio::test]
async fn the_recipient_count_is_the_organisations_or_its_bestuurder_count() {
    // Utrecht seals to two recipients, or to three for a melding about a bestuurder.
    let two = recipients(2);
    let three = recipients(3);
    let list = |r: &[age::x25519::Recipient]| {
        r.iter()
            .map(|r| format!("\"{r}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let t = TestApp::with(Options {
        organisations: format!(
            "\n[[organisations]]\nslug = \"utrecht\"\nname = \"Gemeente Utrecht\"\nrecipients = [{}]\nbestuurder_recipients = [{}]\n",
            list(&two),
            list(&three)
        ),
        ..Options::default()
    });
    for (n, to, status) in [
        (1, recipients(1), Some("recipient_count")),
        (2, two.clone(), None),
        (3, three.clone(), None),
        (4, recipients(4), Some("recipient_count")),
    ] {
        let (_, hash) = new_case();
        let (keys, _) = new_case();
        let before = t.counts().await;
        let got = t
            .send_json(melding_request(
                "utrecht",
                &hash,
                sealed_to(&to, &keys, Kind::Melding),
            ))
            .await;
        match status {
            None => assert_eq!(got.0, StatusCode::CREATED, "{n} recipients: {}", got.1),
            Some(code) => {
                assert_error(&got, StatusCode::BAD_REQUEST, code);
                assert_eq!(t.counts().await, before, "{n} recipients");
            }
        }
    }
    // Leiden has one recipient: a file sealed to Utrecht's two is refused for Leiden.
    let (keys, hash) = new_case();
    let got = t
        .send_json(melding_request(
            "leiden",
            &hash,
            sealed_to(&two, &keys, Kind::Melding),
        ))
        .await;
    assert_error(&got, StatusCode::BAD_REQUEST, "recipient_count");
}

#[tokio::test]
async fn follow_ups_and_bijlagen_are_checked_like_meldingen() {
    let t = TestApp::new();
    let (keys, hash) = new_case();
    let ct = seal_melding(&t.identity, &keys, "Eerste.");
    let (status, v) = t.send_json(melding_request("leiden", &hash, ct)).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let before = t.counts().await;
    // A vervolg sealed to two recipients for a one-recipient organisation.
    let two = vec![
        t.identity.to_public(),
        age::x25519::Identity::generate().to_public(),
    ];
    let got = t
        .send_json(vervolg_request(
            &keys.lookup_key.to_hex(),
            sealed_to(&two, &keys, Kind::Vervolg),
        ))
        .await;
    assert_error(&got, StatusCode::BAD_REQUEST, "recipient_count");
    // A vervolg whose only recipient is an SSH key (a header as rage writes it).
    let ssh = b"age-encryption.org/v1\n-> ssh-ed25519 4zU5Sg bIIERij/UdQFA7+NlaKJsHf/sniEzD6mcVXW+Qk8CmA\nKrryX4sOCJlwTREqQEnNZt3ShXr/RkYgZMGBeBe0qkk\n--- 42d/gfyw6FzpV7GlXmbrAt2Bj6lMTHwRvJqDyxSN/I0\n";
    let mut body = ssh.to_vec();
    body.extend([1u8; 60]);
    let got = t
        .send_json(vervolg_request(&keys.lookup_key.to_hex(), body.clone()))
        .await;
    assert_error(&got, StatusCode::BAD_REQUEST, "recipient_type");
    // A vervolg cut short inside its last chunk's tag.
    let good = sealed_to(&[t.identity.to_public()], &keys, Kind::Vervolg);
    let got = t
        .send_json(vervolg_request(&keys.lookup_key.to_hex(), {
            let h = meldpunt_envelope::header::parse(&good).unwrap();
            good[..h.len + 16 + 15].to_vec()
        }))
        .await;
    assert_error(&got, StatusCode::BAD_REQUEST, "invalid_age_file");
    // A malformed MAC line.
    let mut bad_mac = good.clone();
    let at = bad_mac.windows(4).position(|w| w == b"\n---").unwrap() + 5;
    bad_mac[at] = b'*';
    let got = t
        .send_json(vervolg_request(&keys.lookup_key.to_hex(), bad_mac))
        .await;
    assert_error(&got, StatusCode::BAD_REQUEST, "invalid_age_file");
    assert_eq!(t.counts().await, before, "nothing was written");

    // A bijlage must be sealed to as many recipients as its melding, and to X25519.
    let (keys2, hash2) = new_case();
    let files: [&[u8]; 1] = [b"%PDF-1.4 bewijs"];
    let (ct, _) = seal_with_attachments(&t.identity.to_public(), &keys2, Kind::Melding, &files);
    let other = meldpunt_envelope::attachment::seal(files[0], &two).unwrap();
    for (bijlage, code) in [(other, "recipient_count"), (body, "recipient_type")] {
        let got = t
            .send_json(multipart_request(
                "/api/v1/meldingen",
                &[
                    ("meldpunt-organisatie", "leiden"),
                    ("meldpunt-lookup-hash", &hash2),
                ],
                multipart_body(&[("melding", &ct), ("bijlage", &bijlage)]),
            ))
            .await;
        assert_error(&got, StatusCode::BAD_REQUEST, code);
    }
    assert_eq!(t.counts().await, before, "nothing was written");
}

#[tokio::test]
async fn a_confirmation_deletes_set_aside_items_too() {
    let t = TestApp::new();
    let mut ids = Vec::new();
    for text in ["Eén.", "Twee.", "Drie."] {
        let (_, status, v) = t.submit(text).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        ids.push(v["id"].as_str().unwrap().to_string());
    }
    let c = meldpunt_envelope::signed::Confirmation {
        v: 1,
        day: meldpunt_envelope::Day::today().to_string(),
        items: vec![ids[0].clone()],
        set_aside: vec![ids[1].clone()],
    };
    let body = serde_json::to_string(&c.sign(&t.signing).unwrap()).unwrap();
    let (status, v) = t.send_json(bevestiging_request(STAFF_TOKEN, &body)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        v,
        serde_json::json!({"deleted": 2, "unknown": 0, "set_aside": 1})
    );
    let b = export_bundle(&t).await;
    assert_eq!(b.items.len(), 1);
    assert_eq!(b.items[0].0.id, ids[2]);
    // Moving an id between the lists after signing breaks the signature.
    let mut tampered: meldpunt_envelope::signed::SignedConfirmation =
        serde_json::from_str(&body).unwrap();
    let moved = tampered.importbevestiging.set_aside.pop().unwrap();
    tampered.importbevestiging.items.push(moved);
    let got = t
        .send_json(bevestiging_request(
            STAFF_TOKEN,
            &serde_json::to_string(&tampered).unwrap(),
        ))
        .await;
    assert_error(&got, StatusCode::BAD_REQUEST, "bad_signature");
}

/// A wrong header is refused as soon as it is in, without waiting for the rest of
/// the body: here the body never ends, and the answer still comes.
#[tokio::test]
async fn a_wrong_header_is_refused_before_the_body_ends() {
    let t = TestApp::new();
    let (keys, hash) = new_case();
    let two = recipients(2);
    let good = sealed_to(&two, &keys, Kind::Melding);
    let h = meldpunt_envelope::header::parse(&good).unwrap();
    let first = axum::body::Bytes::copy_from_slice(&good[..h.len + 100]);
    let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(first)])
        .chain(futures_util::stream::pending());
    let req = Request::post("/api/v1/meldingen")
        .header("content-type", "application/octet-stream")
        .header("meldpunt-organisatie", "leiden")
        .header("meldpunt-lookup-hash", &hash)
        .body(Body::from_stream(stream))
        .unwrap();
    let resp = tokio::time::timeout(std::time::Duration::from_secs(30), t.send(req))
        .await
        .expect("an answer while the body is still open");
    let status = resp.status();
    let v: serde_json::Value = serde_json::from_slice(&body_bytes(resp).await).unwrap();
    assert_error(&(status, v), StatusCode::BAD_REQUEST, "recipient_count");
    assert_eq!(t.counts().await.items, 0);
}
