//! Submissions with attachments (multipart), follow-ups, the ontvangstbewijs,
//! proof of work, group commit and the import confirmation.

use axum::body::Body;
use axum::http::{Request, StatusCode};
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
    let today = meldpunt_envelope::domain::today();
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
                multipart_body(&[("melding", &ct), ("bijlage", &[b'a'; 70 * 1024])]),
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
    assert_eq!(v, serde_json::json!({"deleted": 2, "unknown": 0}));
    let (status, v) = t.send_json(bevestiging_request(STAFF_TOKEN, &body)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        v,
        serde_json::json!({"deleted": 0, "unknown": 2}),
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
