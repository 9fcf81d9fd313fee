//! Round trips with the real intake server (the `meldpunt-server` built beside the
//! `meldpunt-keys` under test, as `cargo test --workspace` and `cargo xtask test` do):
//! meldingen and a follow-up submitted
//! over HTTP, the staff export imported, replies exported and uploaded and fetched by
//! the reporter, and the import confirmation accepted by the server, which then no
//! longer exports those items. The HTTP client here is the test's own; the tool under
//! test never touches the network.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use meldpunt_envelope::keys::SigningPublicKey;

use crate::util::*;

fn server_binary() -> PathBuf {
    let keys = PathBuf::from(env!("CARGO_BIN_EXE_meldpunt-keys"));
    let server = keys.with_file_name("meldpunt-server");
    assert!(
        server.is_file(),
        "{} is missing: build it with the same profile first (`cargo test --workspace` does)",
        server.display()
    );
    server
}

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(m: &Meldpunt, init: &InitOut) -> Server {
    let base = m.path("server");
    std::fs::create_dir_all(base.join("www/pkg")).unwrap();
    std::fs::write(
        base.join("www/index.html"),
        "<!doctype html><title>Meldpunt</title>",
    )
    .unwrap();
    std::fs::write(base.join("www/app.js"), "export {};").unwrap();
    std::fs::write(base.join("www/style.css"), "body{}").unwrap();
    std::fs::write(
        base.join("www/pkg/meldpunt_client_bg.wasm"),
        b"\0asm\x01\0\0\0",
    )
    .unwrap();
    let config = format!(
        "name = \"Meldpunt test\"\nlisten = \"127.0.0.1:0\"\ndatabase = \"meldpunt.db\"\nweb_root = \"www\"\n\
         signing_public_key = \"{}\"\nstaff_token_sha256 = [\"{}\"]\n\n\
         [[organisations]]\nslug = \"leiden\"\nname = \"Gemeente Leiden\"\nrecipients = [\"{}\"]\n\n\
         # This test posts like a client without solving; the server's tests cover the work.\n\
         [pow]\nenabled = false\n",
        init.signing_public, init.staff_hash, init.recipient
    );
    let path = base.join("meldpunt-server.toml");
    std::fs::write(&path, config).unwrap();
    let mut child = Command::new(server_binary())
        .arg("serve")
        .arg("--config")
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server printed its address")
            .unwrap();
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.trim().to_string();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, addr }
}

/// One HTTP/1.1 request on its own connection; returns status and body.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req += &format!("{k}: {v}\r\n");
    }
    req += "\r\n";
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).unwrap();
    let split = resp.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&resp[..split]).to_string();
    let status: u16 = head[9..12].parse().unwrap();
    let mut body = resp[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let nl = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let n = usize::from_str_radix(std::str::from_utf8(&rest[..nl]).unwrap().trim(), 16)
                .unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&rest[nl + 2..nl + 2 + n]);
            rest = &rest[nl + 4 + n..];
        }
        body = out;
    }
    (status, body)
}

fn submit(addr: &str, r: &Reporter, ct: &[u8]) {
    let hash = hex::encode(r.lookup_hash());
    let (status, body) = http(
        addr,
        "POST",
        "/api/v1/meldingen",
        &[
            ("Content-Type", "application/octet-stream"),
            ("Meldpunt-Organisatie", "leiden"),
            ("Meldpunt-Lookup-Hash", &hash),
        ],
        ct,
    );
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
}

/// Submits, as `r`, a valid melding sealed to a stranger's key; returns its bytes.
fn submit_foreign(server: &Server, r: &Reporter) -> Vec<u8> {
    let stranger = age::x25519::Identity::generate().to_public();
    let ct = meldpunt_envelope::melding::seal(
        &r.melding("overig", "Niet voor jullie."),
        std::slice::from_ref(&stranger),
    )
    .unwrap();
    submit(&server.addr, r, &ct);
    ct
}

/// A melding with its attachments as one multipart submission, as the page sends it.
fn submit_multipart(addr: &str, r: &Reporter, melding: &[u8], bijlagen: &[Vec<u8>]) {
    let hash = hex::encode(r.lookup_hash());
    let boundary = "meldpunt-test-boundary-7f3a";
    let mut body = Vec::new();
    let mut part = |name: &str, data: &[u8]| {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}.age\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    };
    part("melding", melding);
    for b in bijlagen {
        part("bijlage", b);
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let ct = format!("multipart/form-data; boundary={boundary}");
    let (status, resp) = http(
        addr,
        "POST",
        "/api/v1/meldingen",
        &[
            ("Content-Type", &ct),
            ("Meldpunt-Organisatie", "leiden"),
            ("Meldpunt-Lookup-Hash", &hash),
        ],
        &body,
    );
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&resp));
}

/// Uploads an import confirmation; returns status and body.
fn post_confirmation(addr: &str, token: &str, confirmation: &[u8]) -> (u16, Vec<u8>) {
    let auth = format!("Bearer {token}");
    http(
        addr,
        "POST",
        "/api/v1/staff/bevestiging",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        confirmation,
    )
}

/// Uploads the confirmation in `file`, checks the server's answer, and returns the
/// next export, which must hold no item.
fn confirm_and_export(
    server: &Server,
    init: &InitOut,
    file: &std::path::Path,
    expected: serde_json::Value,
) -> Vec<u8> {
    let confirmation = std::fs::read(file).unwrap();
    let (status, body) = post_confirmation(&server.addr, &init.staff_token, &confirmation);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v, expected);
    let after = export(&server.addr, &init.staff_token);
    assert!(
        meldpunt_envelope::bundle::read(&after[..], u64::MAX)
            .unwrap()
            .items
            .is_empty(),
        "the server still holds items"
    );
    after
}

fn export(addr: &str, token: &str) -> Vec<u8> {
    let auth = format!("Bearer {token}");
    let (status, body) = http(
        addr,
        "GET",
        "/api/v1/staff/export",
        &[("Authorization", &auth)],
        b"",
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    body
}

#[test]
fn round_trip_with_the_real_server() {
    let m = Meldpunt::new();
    let init = m.init();
    let server = start(&m, &init);
    let to = m.recipient();
    let anna = Reporter::new();
    let bob = Reporter::new();
    let sealed = |r: &Reporter, text: &str| {
        meldpunt_envelope::melding::seal(
            &r.melding("fraude-corruptie", text),
            std::slice::from_ref(&to),
        )
        .unwrap()
    };
    submit(&server.addr, &anna, &sealed(&anna, "Anna meldt fraude."));
    // Bob sends two attachments along, as the page does.
    let files = [b"%PDF-1.4 offerte".to_vec(), vec![42u8; 70_000]];
    let mut bm = bob.melding("fraude-corruptie", "Bob meldt fraude.");
    for (name, f) in ["offerte.pdf", "foto.jpg"].iter().zip(&files) {
        bm.attachments
            .push(meldpunt_envelope::melding::AttachmentRef {
                name: name.to_string(),
                media_type: "application/octet-stream".into(),
                size: f.len() as u64,
                sha256: meldpunt_envelope::sha256_hex(f),
            });
    }
    let bct = meldpunt_envelope::melding::seal(&bm, std::slice::from_ref(&to)).unwrap();
    let sealed_files: Vec<Vec<u8>> = files
        .iter()
        .map(|f| meldpunt_envelope::attachment::seal(f, std::slice::from_ref(&to)).unwrap())
        .collect();
    submit_multipart(&server.addr, &bob, &bct, &sealed_files);

    write_file(
        &m.path("inbox1.tar"),
        &export(&server.addr, &init.staff_token),
    );
    let out = m
        .run(&["import", "inbox1.tar", "--confirm", "bevestiging1.json"])
        .ok();
    assert!(
        out.stdout.starts_with(
            "2 nieuwe meldingen geïmporteerd, 0 al aanwezig overgeslagen.\nNieuwe zaken: "
        ),
        "{}",
        out.stdout
    );
    let list = m.run(&["list"]).ok().stdout;
    let anna_case = list.lines().find(|l| l.starts_with("20")).unwrap()[..9].to_string();
    let shown = m.run(&["show", &anna_case]).ok().stdout;
    let (anna, bob) = if shown.contains("Anna meldt") {
        (anna, bob)
    } else {
        (bob, anna)
    };

    // The confirmation lets the server delete what the laptop holds.
    let auth = format!("Bearer {}", init.staff_token);
    let confirmation = std::fs::read(m.path("bevestiging1.json")).unwrap();
    let (status, body) = post_confirmation(&server.addr, &init.staff_token, &confirmation);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let after =
        meldpunt_envelope::bundle::read(&export(&server.addr, &init.staff_token)[..], u64::MAX)
            .unwrap();
    assert!(
        after.items.is_empty(),
        "the server still exports confirmed items"
    );

    // A follow-up, in a later bundle, joins the case.
    let mut v = anna.vervolg("Anna vult aan.");
    v.organisatie = "leiden".into();
    let vct = meldpunt_envelope::melding::seal(&v, std::slice::from_ref(&to)).unwrap();
    let key = anna.keys.lookup_key.to_hex();
    let (status, body) = http(
        &server.addr,
        "POST",
        "/api/v1/vervolg",
        &[
            ("Content-Type", "application/octet-stream"),
            ("Meldpunt-Lookup-Key", key.as_str()),
        ],
        &vct,
    );
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    write_file(
        &m.path("inbox2.tar"),
        &export(&server.addr, &init.staff_token),
    );
    let out = m.run(&["import", "inbox2.tar"]).ok();
    assert_text(
        &out.stdout,
        "1 nieuwe melding geïmporteerd, 0 al aanwezig overgeslagen.\n",
    );
    assert!(
        m.run(&["show", &anna_case])
            .ok()
            .stdout
            .contains("Anna vult aan.")
    );

    // Replies out, through the server, to the reporter's browser.
    write_file(
        &m.path("antwoord.txt"),
        "Dank, wij gaan aan de slag.\n".as_bytes(),
    );
    m.run(&["reply", &anna_case, "--file", "antwoord.txt"]).ok();
    m.run(&["export-replies", "reacties.tar"]).ok();
    let bundle = std::fs::read(m.path("reacties.tar")).unwrap();
    let (status, body) = http(
        &server.addr,
        "POST",
        "/api/v1/staff/reacties",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/x-tar"),
        ],
        &bundle,
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let req = format!("{{\"lookup_key\":\"{}\"}}", key.as_str());
    let (status, body) = http(
        &server.addr,
        "POST",
        "/api/v1/reacties",
        &[("Content-Type", "application/json")],
        req.as_bytes(),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let r = &json["reacties"][0];
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let ct = b64.decode(r["ciphertext"].as_str().unwrap()).unwrap();
    let sig = b64.decode(r["signature"].as_str().unwrap()).unwrap();
    let signing: SigningPublicKey = init.signing_public.parse().unwrap();
    let reply = meldpunt_envelope::reply::verify_and_open(&signing, &anna.keys, &ct, &sig).unwrap();
    assert_eq!(reply.text, "Dank, wij gaan aan de slag.");
    // Bob's token finds nothing.
    let req = format!(
        "{{\"lookup_key\":\"{}\"}}",
        bob.keys.lookup_key.to_hex().as_str()
    );
    let (status, body) = http(
        &server.addr,
        "POST",
        "/api/v1/reacties",
        &[("Content-Type", "application/json")],
        req.as_bytes(),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(String::from_utf8_lossy(&body).contains("\"reacties\":[]"));
}

/// What an anonymous sender can post that the server cannot judge without keys (an
/// age file sealed to another key, one with a damaged payload, one that opens but
/// holds no melding) is accepted by the server, set aside by the real import beside
/// the good meldingen, named in the confirmation, and then deleted by the server:
/// nothing stays to block a later import. What the server can judge (an SSH
/// recipient, a malformed MAC line) is refused at intake.
#[test]
fn poisoned_items_are_set_aside_and_deleted_with_the_real_server() {
    let m = Meldpunt::new();
    let init = m.init();
    let server = start(&m, &init);
    let to = m.recipient();
    let (anna, bob, mallory) = (Reporter::new(), Reporter::new(), Reporter::new());
    let sealed = |r: &Reporter, text: &str| {
        meldpunt_envelope::melding::seal(&r.melding("pesten", text), std::slice::from_ref(&to))
            .unwrap()
    };
    let good_a = sealed(&anna, "Anna meldt iets.");
    submit(&server.addr, &anna, &good_a);
    let foreign = submit_foreign(&server, &mallory);
    // Sealed to the meldpunt, one payload byte changed.
    let mut damaged = sealed(&Reporter::new(), "Stuk.");
    let n = damaged.len();
    damaged[n - 20] ^= 1;
    let damaged_r = Reporter::new();
    submit(&server.addr, &damaged_r, &damaged);
    // Opens, but is no melding.
    let junk =
        meldpunt_envelope::melding::seal_bytes(&[b'x'; 700], std::slice::from_ref(&to)).unwrap();
    submit(&server.addr, &Reporter::new(), &junk);
    let good_b = sealed(&bob, "Bob meldt iets.");
    submit(&server.addr, &bob, &good_b);

    // Refused at intake, nothing stored: an SSH recipient, a malformed MAC line.
    let post = |body: &[u8]| {
        let hash = hex::encode(Reporter::new().lookup_hash());
        http(
            &server.addr,
            "POST",
            "/api/v1/meldingen",
            &[
                ("Content-Type", "application/octet-stream"),
                ("Meldpunt-Organisatie", "leiden"),
                ("Meldpunt-Lookup-Hash", &hash),
            ],
            body,
        )
    };
    let mut ssh = b"age-encryption.org/v1\n-> ssh-ed25519 4zU5Sg bIIERij/UdQFA7+NlaKJsHf/sniEzD6mcVXW+Qk8CmA\nKrryX4sOCJlwTREqQEnNZt3ShXr/RkYgZMGBeBe0qkk\n--- 42d/gfyw6FzpV7GlXmbrAt2Bj6lMTHwRvJqDyxSN/I0\n".to_vec();
    ssh.extend([3u8; 64]);
    let (status, body) = post(&ssh);
    assert_eq!(status, 400, "{}", String::from_utf8_lossy(&body));
    assert!(String::from_utf8_lossy(&body).contains("\"recipient_type\""));
    let mut bad_mac = good_a.clone();
    let at = bad_mac.windows(4).position(|w| w == b"\n---").unwrap() + 5;
    bad_mac[at] = b'!';
    let (status, body) = post(&bad_mac);
    assert_eq!(status, 400, "{}", String::from_utf8_lossy(&body));
    assert!(String::from_utf8_lossy(&body).contains("\"invalid_age_file\""));

    // The real import takes the good two and sets the other three aside.
    let bundle_bytes = export(&server.addr, &init.staff_token);
    write_file(&m.path("inbox.tar"), &bundle_bytes);
    let b = meldpunt_envelope::bundle::read(&bundle_bytes[..], u64::MAX).unwrap();
    assert_eq!(b.items.len(), 5, "the server took the five it cannot judge");
    let id_of = |ct: &[u8]| {
        b.items
            .iter()
            .find(|(_, data)| data == ct)
            .map(|(line, _)| line.id.clone())
            .unwrap()
    };
    let out = m
        .run(&["import", "inbox.tar", "--confirm", "bevestiging.json"])
        .ok();
    assert!(
        out.stdout
            .starts_with("2 nieuwe meldingen geïmporteerd, 0 al aanwezig overgeslagen.\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("\n3 apart gezet ("), "{}", out.stdout);
    let mut aside = m.set_aside();
    aside.sort();
    let mut expected = vec![
        (id_of(&foreign), "not-ours".to_string()),
        (id_of(&damaged), "damaged".to_string()),
        (id_of(&junk), "not-a-melding".to_string()),
    ];
    expected.sort();
    assert_eq!(aside, expected);
    for (id, _) in &expected {
        assert!(
            out.stderr.contains(&format!("let op: bericht {id} ")),
            "{}",
            out.stderr
        );
    }

    // The good ones open with rage, as the age files they arrived as.
    let identity = m.path("identity.txt");
    write_file(&identity, m.identity_text().as_bytes());
    for (ct, text) in [(&good_a, "Anna meldt iets."), (&good_b, "Bob meldt iets.")] {
        let file = m.path(&format!("{}.age", id_of(ct)));
        write_file(&file, ct);
        let plain = rage_decrypt(&identity, &file);
        let json = meldpunt_envelope::padding::unpad(&plain).unwrap();
        assert!(String::from_utf8_lossy(json).contains(text));
    }

    // The confirmation lets the server delete all five; the next export is empty
    // and imports cleanly.
    let after = confirm_and_export(
        &server,
        &init,
        &m.path("bevestiging.json"),
        serde_json::json!({"deleted": 5, "unknown": 0, "set_aside": 3}),
    );
    write_file(&m.path("inbox2.tar"), &after);
    let out = m.run(&["import", "inbox2.tar"]).ok();
    assert_text(
        &out.stdout,
        "0 nieuwe meldingen geïmporteerd, 0 al aanwezig overgeslagen.\n",
    );
}

/// Two real meldpunten, each with its own keys and server: the export of the one is
/// refused whole by the other, by the identity in its manifest, before anything is
/// written; and a fresh store given only poisoned items from its own server sets them
/// all aside, and the confirmation has that server delete them.
#[test]
fn another_meldpunts_export_is_refused_and_poison_alone_is_set_aside() {
    let m = Meldpunt::new();
    let init = m.init();
    let server = start(&m, &init);
    let other = Meldpunt::new();
    let other_init = other.init();
    let other_server = start(&other, &other_init);
    assert_ne!(init.signing_public, other_init.signing_public);

    // A real melding at the other meldpunt.
    let r = Reporter::new();
    let ct = meldpunt_envelope::melding::seal(
        &r.melding("pesten", "Voor het andere meldpunt."),
        std::slice::from_ref(&other.recipient()),
    )
    .unwrap();
    submit(&other_server.addr, &r, &ct);
    let theirs = export(&other_server.addr, &other_init.staff_token);
    let manifest = meldpunt_envelope::bundle::read(&theirs[..], u64::MAX)
        .unwrap()
        .manifest;
    assert_eq!(
        manifest.meldpunt.as_deref(),
        Some(other_init.signing_public.as_str())
    );
    write_file(&m.path("theirs.tar"), &theirs);
    let before = m.store_dump();
    let out = m
        .run(&["import", "theirs.tar", "--confirm", "c.json"])
        .fails();
    assert!(
        out.stderr.starts_with(&format!(
            "fout: deze bundel komt van een ander meldpunt: hij noemt de ondertekensleutel {}, dit meldpunt heeft {}; er is niets geïmporteerd\nwat nu: ",
            other_init.signing_public, init.signing_public
        )),
        "{}",
        out.stderr
    );
    assert_eq!(m.store_dump(), before);
    assert!(!m.path("c.json").exists());

    // Only poison at our own server, before any real melding: a fresh store sets
    // it all aside.
    submit_foreign(&server, &Reporter::new());
    let junk =
        meldpunt_envelope::melding::seal_bytes(&[b'x'; 700], std::slice::from_ref(&m.recipient()))
            .unwrap();
    submit(&server.addr, &Reporter::new(), &junk);
    let ours = export(&server.addr, &init.staff_token);
    write_file(&m.path("ours.tar"), &ours);
    let out = m.run(&["import", "ours.tar", "--confirm", "c.json"]).ok();
    assert!(
        out.stdout.starts_with(
            "0 nieuwe meldingen geïmporteerd, 0 al aanwezig overgeslagen.\n2 apart gezet ("
        ),
        "{}",
        out.stdout
    );
    let reasons: Vec<String> = m.set_aside().into_iter().map(|(_, r)| r).collect();
    let mut reasons = reasons;
    reasons.sort();
    assert_eq!(reasons, ["not-a-melding", "not-ours"]);
    confirm_and_export(
        &server,
        &init,
        &m.path("c.json"),
        serde_json::json!({"deleted": 2, "unknown": 0, "set_aside": 2}),
    );
    // The other meldpunt's item is still there, for the other meldpunt.
    let theirs_again = export(&other_server.addr, &other_init.staff_token);
    assert_eq!(
        meldpunt_envelope::bundle::read(&theirs_again[..], u64::MAX)
            .unwrap()
            .items
            .len(),
        1
    );
}
