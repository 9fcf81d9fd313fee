//! The staff routes: authentication, export, and the all-or-nothing reply import.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use meldpunt_envelope::bundle::{self, BundleKind, ItemKind, NewItem};
use meldpunt_envelope::keys::SigningSecretKey;
use meldpunt_envelope::token::ReplyToken;
use meldpunt_server::db::Counts;

use crate::common::*;

#[tokio::test]
async fn staff_routes_need_the_staff_token() {
    let t = TestApp::new();
    let bad: Vec<(&str, Request<Body>)> = vec![
        ("no header", export_request(None)),
        ("wrong token", export_request(Some("not-the-token"))),
        (
            "token hash instead of token",
            export_request(Some(&sha256_hex(STAFF_TOKEN))),
        ),
        (
            "empty token",
            Request::get("/api/v1/staff/export")
                .header("authorization", "Bearer ")
                .body(Body::empty())
                .unwrap(),
        ),
        (
            "basic scheme",
            Request::get("/api/v1/staff/export")
                .header("authorization", format!("Basic {STAFF_TOKEN}"))
                .body(Body::empty())
                .unwrap(),
        ),
        (
            "no scheme",
            Request::get("/api/v1/staff/export")
                .header("authorization", STAFF_TOKEN)
                .body(Body::empty())
                .unwrap(),
        ),
        (
            "import without token",
            Request::post("/api/v1/staff/reacties")
                .header("content-type", "application/x-tar")
                .body(Body::from("x"))
                .unwrap(),
        ),
        (
            "import with wrong token",
            import_request("nope", b"x".to_vec()),
        ),
    ];
    for (name, req) in bad {
        let resp = t.send(req).await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{name}");
        assert_eq!(resp.headers()["www-authenticate"], "Bearer", "{name}");
        let v: serde_json::Value = serde_json::from_slice(&body_bytes(resp).await).unwrap();
        assert_error(
            &(StatusCode::UNAUTHORIZED, v),
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        );
    }
    // Either configured token works; the scheme is case-insensitive.
    assert_eq!(
        t.send(export_request(Some(SECOND_STAFF_TOKEN)))
            .await
            .status(),
        StatusCode::OK
    );
    let req = Request::get("/api/v1/staff/export")
        .header("authorization", format!("bearer {STAFF_TOKEN}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(t.send(req).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_empty_export_is_a_valid_bundle_that_names_its_meldpunt() {
    let t = TestApp::new();
    let tar = body_bytes(t.send(export_request(Some(STAFF_TOKEN))).await).await;
    let b = bundle::read(&tar[..], u64::MAX).unwrap();
    assert!(b.items.is_empty());
    // The configured signing key, so the laptop can tell its own meldpunt's bundle.
    assert_eq!(b.manifest.meldpunt, Some(t.signing.public().to_string()));
    assert!(b.manifest.is_from(&t.signing.public()));
}

#[tokio::test]
async fn replies_are_imported_once_and_handed_to_the_token_holder() {
    let t = TestApp::new();
    let (a, s1, _) = t.submit("Eerste melding.").await;
    let (b, s2, _) = t.submit("Tweede melding.").await;
    assert_eq!((s1, s2), (StatusCode::CREATED, StatusCode::CREATED));

    let tar = t.replies_bundle(
        &[&a, &b],
        "Dank voor uw melding; wij nemen deze in behandeling.",
    );
    let got = t.send_json(import_request(STAFF_TOKEN, tar.clone())).await;
    assert_eq!(
        got,
        (
            StatusCode::OK,
            serde_json::json!({"imported": 2, "skipped": 0})
        )
    );
    assert_eq!(
        t.counts().await,
        Counts {
            cases: 2,
            items: 2,
            replies: 2
        }
    );

    // Re-importing the same bundle changes nothing.
    let got = t.send_json(import_request(STAFF_TOKEN, tar)).await;
    assert_eq!(
        got,
        (
            StatusCode::OK,
            serde_json::json!({"imported": 0, "skipped": 2})
        )
    );
    assert_eq!(
        t.counts().await,
        Counts {
            cases: 2,
            items: 2,
            replies: 2
        }
    );

    // A second reply for case a arrives later.
    let tar = t.replies_bundle(&[&a], "Wij hebben de melding onderzocht.");
    let got = t.send_json(import_request(STAFF_TOKEN, tar)).await;
    assert_eq!(
        got,
        (
            StatusCode::OK,
            serde_json::json!({"imported": 1, "skipped": 0})
        )
    );

    // The token holder of a sees their two replies, in order, and can open them.
    let (status, v) = t.send_json(reacties_request(&a.lookup_key.to_hex())).await;
    assert_eq!(status, StatusCode::OK);
    let list = v["reacties"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    let mut texts = Vec::new();
    for r in list {
        assert!(meldpunt_envelope::is_valid_id(r["id"].as_str().unwrap()));
        assert_eq!(r["day"], meldpunt_envelope::Day::today().to_string());
        let ct = STANDARD.decode(r["ciphertext"].as_str().unwrap()).unwrap();
        let sig = STANDARD.decode(r["signature"].as_str().unwrap()).unwrap();
        let reply =
            meldpunt_envelope::reply::verify_and_open(&t.signing.public(), &a, &ct, &sig).unwrap();
        texts.push(reply.text);
        // And not by the holder of another token.
        assert!(
            meldpunt_envelope::reply::verify_and_open(&t.signing.public(), &b, &ct, &sig).is_err()
        );
    }
    assert_eq!(
        texts,
        [
            "Dank voor uw melding; wij nemen deze in behandeling.",
            "Wij hebben de melding onderzocht."
        ]
    );

    let (_, v) = t.send_json(reacties_request(&b.lookup_key.to_hex())).await;
    assert_eq!(v["reacties"].as_array().unwrap().len(), 1);
}

/// Rewrites a bundle's items through `f` and writes it again with a matching
/// manifest, so only the server's own checks can catch the change.
fn rewrite(items: Vec<NewItem>, f: impl Fn(&mut NewItem)) -> Vec<u8> {
    let mut items = items;
    items.iter_mut().for_each(f);
    bundle::write(Vec::new(), BundleKind::Replies, None, "2026-11-22", &items).unwrap()
}

#[tokio::test]
async fn bad_reply_bundles_are_refused_whole() {
    let t = TestApp::new();
    let (a, _, _) = t.submit("Melding a.").await;
    let (b, _, _) = t.submit("Melding b.").await;
    let before = Counts {
        cases: 2,
        items: 2,
        replies: 0,
    };
    assert_eq!(t.counts().await, before);
    let good = || signed_reply_item(&t.signing, &a, "Goed.");
    let other_key = SigningSecretKey::generate().unwrap();
    let stranger = ReplyToken::generate().unwrap().derive();

    let good_tar = t.replies_bundle(&[&a], "Goed.");
    let mut tampered_in_transit = good_tar.clone();
    let pos = tampered_in_transit
        .windows(21)
        .position(|w| w == b"age-encryption.org/v1")
        .unwrap();
    tampered_in_transit[pos + 150] ^= 1;

    let inbox = body_bytes(t.send(export_request(Some(STAFF_TOKEN))).await).await;

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "not a tar",
            b"this is not a tar archive at all".to_vec(),
            "invalid_bundle",
        ),
        (
            "truncated",
            good_tar[..good_tar.len() / 2].to_vec(),
            "invalid_bundle",
        ),
        ("tampered in transit", tampered_in_transit, "invalid_bundle"),
        ("an inbox bundle", inbox, "wrong_bundle_kind"),
        (
            "signed by another key",
            bundle::write(
                Vec::new(),
                BundleKind::Replies,
                None,
                "2026-11-22",
                &[signed_reply_item(&other_key, &a, "Nep.")],
            )
            .unwrap(),
            "bad_signature",
        ),
        (
            "ciphertext changed and manifest fixed",
            rewrite(vec![good()], |i| {
                let n = i.ciphertext.len();
                i.ciphertext[n - 1] ^= 1;
            }),
            "bad_signature",
        ),
        (
            "moved to another case",
            rewrite(vec![good()], |i| i.lookup_hash = b.lookup_key.hash()),
            "bad_signature",
        ),
        (
            "unknown case",
            t.replies_bundle(&[&stranger], "Voor niemand."),
            "unknown_case",
        ),
        (
            "one good, one unknown case",
            t.replies_bundle(&[&a, &stranger], "Half."),
            "unknown_case",
        ),
        (
            "one good, one badly signed",
            bundle::write(
                Vec::new(),
                BundleKind::Replies,
                None,
                "2026-11-22",
                &[good(), signed_reply_item(&other_key, &b, "Nep.")],
            )
            .unwrap(),
            "bad_signature",
        ),
    ];
    for (name, body, code) in cases {
        let got = t.send_json(import_request(STAFF_TOKEN, body)).await;
        assert_eq!(got.0, StatusCode::BAD_REQUEST, "{name}: {}", got.1);
        assert_error(&got, StatusCode::BAD_REQUEST, code);
        assert_eq!(t.counts().await, before, "{name}");
    }

    let got = t.send_json(import_request(STAFF_TOKEN, Vec::new())).await;
    assert_error(&got, StatusCode::BAD_REQUEST, "empty_body");
    let req = Request::post("/api/v1/staff/reacties")
        .header("authorization", format!("Bearer {STAFF_TOKEN}"))
        .header("content-type", "application/octet-stream")
        .body(Body::from(t.replies_bundle(&[&a], "Goed.")))
        .unwrap();
    let got = t.send_json(req).await;
    assert_error(
        &got,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );
    assert_eq!(t.counts().await, before);

    // An item of the wrong kind cannot even be written into a replies bundle.
    let mut wrong = good();
    wrong.kind = ItemKind::Melding;
    assert!(
        bundle::write(
            Vec::new(),
            BundleKind::Replies,
            None,
            "2026-11-22",
            &[wrong]
        )
        .is_err()
    );
}

/// The export streams: a large inbox arrives in pieces of at most
/// `db::EXPORT_PIECE` bytes (the server never holds it whole), and the pieces
/// still make a bundle whose bytes and hashes are right.
#[tokio::test]
async fn the_export_streams_in_bounded_pieces() {
    use http_body_util::BodyExt;
    use meldpunt_server::db::{Blob, EXPORT_PIECE, ItemKind as DbKind, Submission};

    let t = TestApp::new();
    let mut expected = Vec::new();
    for n in 0..3u8 {
        let payload: Vec<u8> = (0..(700 << 10) + n as usize)
            .map(|i| (i % 251) as u8 ^ n)
            .collect();
        let bytes =
            meldpunt_envelope::melding::seal_bytes(&payload, &[t.identity.to_public()]).unwrap();
        let submission = Submission {
            kind: DbKind::Melding,
            id: format!("{n:032x}"),
            organisation: "leiden".into(),
            lookup_hash: [n + 1; 32],
            received_day: "2026-11-22".into(),
            ciphertext: Blob::from(bytes.clone()),
            bijlagen: Vec::new(),
        };
        t.state
            .db
            .write(move |c| meldpunt_server::db::insert_submission(c, &submission))
            .await
            .unwrap();
        expected.push(bytes);
    }
    let resp = t.send(export_request(Some(STAFF_TOKEN))).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/x-tar");
    let mut body = resp.into_body();
    let (mut all, mut pieces) = (Vec::new(), 0);
    while let Some(frame) = body.frame().await {
        let data = frame.unwrap().into_data().unwrap();
        assert!(
            data.len() <= EXPORT_PIECE,
            "a piece of {} bytes",
            data.len()
        );
        all.extend_from_slice(&data);
        pieces += 1;
    }
    assert!(pieces > 30, "{pieces} pieces");
    let b = bundle::read(&all[..], u64::MAX).unwrap();
    assert_eq!(b.items.len(), 3);
    for ((line, bytes), want) in b.items.iter().zip(&expected) {
        assert_eq!(bytes, want, "{}", line.id);
        assert_eq!(line.size, want.len() as u64);
    }
}
