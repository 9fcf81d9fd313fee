//! Round trips with the real intake server (`target/release/meldpunt-server`, built by
//! `cargo build --release -p meldpunt-server`): meldingen and a follow-up submitted
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
        "{} is missing: build it first with `cargo build --release -p meldpunt-server`",
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
    let (status, body) = http(
        &server.addr,
        "POST",
        "/api/v1/staff/bevestiging",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        &confirmation,
    );
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
