//! The desk's guard, against the real binary: it answers only its own page on its own
//! loopback address, refuses what a web page elsewhere could send it, listens on
//! loopback only, never connects out, and stops when told or left alone.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Desk {
    child: Child,
    port: u16,
    url: String,
    _dir: tempfile::TempDir,
}

impl Drop for Desk {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_with(wrap: Option<(&str, Vec<String>)>, extra: &[&str]) -> Desk {
    let dir = tempfile::tempdir().expect("temp dir");
    let bin = env!("CARGO_BIN_EXE_meldpunt-desk");
    let mut cmd = match &wrap {
        Some((prog, args)) => {
            let mut c = Command::new(prog);
            c.args(args).arg(bin);
            c
        }
        None => Command::new(bin),
    };
    cmd.arg("--dir")
        .arg(dir.path().join("m"))
        .arg("--no-browser")
        .args(["--lang", "en"])
        .args(extra)
        .env("MELDPUNT_SCRYPT_LOG_N", "10")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().expect("the desk starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the desk prints its address");
    let url = line.trim().to_string();
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("not a loopback URL: {url:?}"));
    Desk {
        child,
        port,
        url,
        _dir: dir,
    }
}

fn start() -> Desk {
    start_with(None, &[])
}

struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// One raw HTTP/1.1 request; `headers` are sent as given (Host included).
fn send(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        req.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    answer(s)
}

/// Reads the answer on `s` to its end.
fn answer(mut s: TcpStream) -> Answer {
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Answer {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

fn own_host(d: &Desk) -> String {
    format!("127.0.0.1:{}", d.port)
}

fn path_of(url: &str) -> String {
    url.splitn(4, '/').nth(3).map(|p| format!("/{p}")).unwrap()
}

/// Exchanges the secret for the cookie; returns `name=value`.
fn sign_in(d: &Desk) -> String {
    let a = send(
        d.port,
        "GET",
        &path_of(&d.url),
        &[("Host", &own_host(d))],
        "",
    );
    assert_eq!(a.status, 303, "{}", a.head);
    let c = a.header("set-cookie").expect("a cookie");
    assert!(
        c.contains("HttpOnly") && c.contains("SameSite=Strict"),
        "{c}"
    );
    c.split(';').next().unwrap().to_string()
}

fn wait_exit(d: &mut Desk, within: Duration) -> bool {
    let end = Instant::now() + within;
    while Instant::now() < end {
        if let Ok(Some(_)) = d.child.try_wait() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn a_foreign_host_is_refused_even_with_the_secret() {
    let d = start();
    for host in [
        format!("localhost:{}", d.port),
        format!("evil.example:{}", d.port),
        "127.0.0.1".to_string(),
    ] {
        let a = send(d.port, "GET", &path_of(&d.url), &[("Host", &host)], "");
        assert_eq!(a.status, 421, "Host {host}: {}", a.head);
        assert!(a.header("set-cookie").is_none());
    }
    // The secret was not used up by the refused requests.
    sign_in(&d);
}

#[test]
fn a_missing_or_wrong_secret_is_refused_and_the_secret_works_once() {
    let d = start();
    let host = own_host(&d);
    let a = send(d.port, "GET", "/postvak", &[("Host", &host)], "");
    assert_eq!(a.status, 403);
    assert!(a.body.contains("not signed in"), "{}", a.body);
    let a = send(d.port, "GET", "/?s=00", &[("Host", &host)], "");
    assert_eq!(a.status, 403);
    let wrong_cookie = send(
        d.port,
        "GET",
        "/postvak",
        &[("Host", &host), ("Cookie", "meldpunt-desk=0000")],
        "",
    );
    assert_eq!(wrong_cookie.status, 403);
    let cookie = sign_in(&d);
    let again = send(d.port, "GET", &path_of(&d.url), &[("Host", &host)], "");
    assert_eq!(again.status, 403, "the secret works once");
    // The browser that holds the cookie may open the address again.
    let again = send(
        d.port,
        "GET",
        &path_of(&d.url),
        &[("Host", &host), ("Cookie", &cookie)],
        "",
    );
    assert_eq!(again.status, 303);
    let a = send(
        d.port,
        "GET",
        "/",
        &[("Host", &host), ("Cookie", &cookie)],
        "",
    );
    assert_eq!(a.status, 303);
    assert_eq!(a.header("location").as_deref(), Some("/eerste-keer"));
}

#[test]
fn a_cross_origin_post_is_refused_and_changes_nothing() {
    let d = start();
    let host = own_host(&d);
    let cookie = sign_in(&d);
    let body = "pass1=correct+horse+battery+staple&pass2=correct+horse+battery+staple";
    for headers in [
        vec![("Origin", "http://evil.example")],
        vec![("Origin", "null")],
        vec![("Sec-Fetch-Site", "cross-site")],
        vec![],
    ] {
        let mut h = vec![("Host", host.as_str()), ("Cookie", cookie.as_str())];
        h.extend(headers.iter().copied());
        let a = send(d.port, "POST", "/eerste-keer", &h, body);
        assert_eq!(a.status, 403, "{headers:?}: {}", a.head);
        assert!(a.body.contains("did not come from the desk"), "{}", a.body);
    }
    // Nothing was made.
    assert!(!d._dir.path().join("m").join("identity.age").exists());
    // The same form from the desk's own page is taken.
    let origin = format!("http://{host}");
    let a = send(
        d.port,
        "POST",
        "/eerste-keer",
        &[("Host", &host), ("Cookie", &cookie), ("Origin", &origin)],
        body,
    );
    assert_eq!(a.status, 303, "{}", a.head);
    assert!(d._dir.path().join("m").join("identity.age").exists());
}

#[test]
fn every_answer_carries_a_strict_policy() {
    let d = start();
    let host = own_host(&d);
    let cookie = sign_in(&d);
    for path in ["/eerste-keer", "/desk.css", "/nope"] {
        let a = send(
            d.port,
            "GET",
            path,
            &[("Host", &host), ("Cookie", &cookie)],
            "",
        );
        let csp = a.header("content-security-policy").expect("a CSP");
        assert!(csp.starts_with("default-src 'none'"), "{csp}");
        assert!(!csp.contains("unsafe") && !csp.contains("http"), "{csp}");
        assert_eq!(a.header("cache-control").as_deref(), Some("no-store"));
        assert_eq!(a.header("x-frame-options").as_deref(), Some("DENY"));
    }
    let refused = send(d.port, "GET", "/postvak", &[("Host", &host)], "");
    assert!(refused.header("content-security-policy").is_some());
}

/// The desk's listening sockets, from /proc: local address and port, hex as the
/// kernel writes them.
fn listening(port: u16) -> Vec<String> {
    let mut out = Vec::new();
    for f in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            if cols.len() > 3 && cols[3] == "0A" && cols[1].ends_with(&format!(":{port:04X}")) {
                out.push(cols[1].to_string());
            }
        }
    }
    out
}

#[test]
fn it_listens_on_loopback_only() {
    let d = start();
    let found = listening(d.port);
    assert_eq!(found, vec![format!("0100007F:{:04X}", d.port)], "{found:?}");
}

#[test]
fn it_stops_on_afsluiten_and_when_left_alone() {
    let mut d = start();
    let host = own_host(&d);
    let cookie = sign_in(&d);
    let origin = format!("http://{host}");
    let a = send(
        d.port,
        "POST",
        "/afsluiten",
        &[("Host", &host), ("Cookie", &cookie), ("Origin", &origin)],
        "",
    );
    assert_eq!(a.status, 200);
    assert!(wait_exit(&mut d, Duration::from_secs(20)), "still running");

    let mut idle = start_with(None, &["--stop-after", "1"]);
    assert!(
        wait_exit(&mut idle, Duration::from_secs(20)),
        "idle desk still running"
    );
}

/// The whole first run and the pages, traced with `strace -f -e trace=%network`: the
/// desk binds and accepts on 127.0.0.1 and never calls connect (no DNS, no outgoing
/// socket). The trace is checked to see a network call at all (the bind).
#[test]
fn it_never_connects_out() {
    let strace = ["/usr/bin/strace", "/bin/strace"]
        .into_iter()
        .find(|p| std::path::Path::new(p).is_file())
        .expect("strace is not installed: apt-get install strace");
    let log = tempfile::NamedTempFile::new().unwrap();
    let log_path = log.path().to_str().unwrap().to_string();
    let mut d = start_with(
        Some((
            strace,
            vec![
                "-f".into(),
                "-qq".into(),
                "-e".into(),
                "trace=%network".into(),
                "-o".into(),
                log_path.clone(),
            ],
        )),
        &[],
    );
    let host = own_host(&d);
    let cookie = sign_in(&d);
    let origin = format!("http://{host}");
    let h = [
        ("Host", host.as_str()),
        ("Cookie", cookie.as_str()),
        ("Origin", origin.as_str()),
    ];
    let a = send(
        d.port,
        "POST",
        "/eerste-keer",
        &h,
        "pass1=correct+horse+battery+staple&pass2=correct+horse+battery+staple&recovery=1",
    );
    assert_eq!(a.status, 303);
    for p in [
        "/eerste-keer",
        "/postvak",
        "/registreren",
        "/weekronde",
        "/jaarverslag",
        "/antwoorden",
    ] {
        let a = send(d.port, "GET", p, &h, "");
        assert_eq!(a.status, 200, "{p}: {}", a.head);
    }
    send(d.port, "POST", "/afsluiten", &h, "");
    assert!(wait_exit(&mut d, Duration::from_secs(30)), "still running");
    let trace = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        trace.contains("bind("),
        "the trace saw no network call:\n{trace}"
    );
    let bad: Vec<&str> = trace
        .lines()
        .filter(|l| l.contains("connect(") || l.contains("sendto(") && !l.contains("AF_NETLINK"))
        .collect();
    assert!(
        bad.is_empty(),
        "outgoing network calls:\n{}",
        bad.join("\n")
    );
    for l in trace.lines().filter(|l| l.contains("bind(")) {
        assert!(l.contains("127.0.0.1"), "bound elsewhere: {l}");
    }
}

#[test]
fn the_keys_lock_after_inactivity() {
    let d = start_with(None, &["--lock-after", "1"]);
    let host = own_host(&d);
    let cookie = sign_in(&d);
    let origin = format!("http://{host}");
    let h = [
        ("Host", host.as_str()),
        ("Cookie", cookie.as_str()),
        ("Origin", origin.as_str()),
    ];
    let a = send(
        d.port,
        "POST",
        "/eerste-keer",
        &h,
        "pass1=correct+horse+battery+staple&pass2=correct+horse+battery+staple",
    );
    assert_eq!(a.status, 303);
    // Unlocked right after the first run; locked once left alone for a second.
    let end = Instant::now() + Duration::from_secs(20);
    loop {
        std::thread::sleep(Duration::from_millis(1500));
        let a = send(d.port, "GET", "/postvak", &h, "");
        if a.status == 303 && a.header("location").as_deref() == Some("/ontgrendel") {
            break;
        }
        assert!(Instant::now() < end, "never locked: {}", a.head);
    }
}

#[test]
fn a_request_the_desk_cannot_read_is_answered_in_words() {
    let d = start();
    let host = own_host(&d);
    let cookie = sign_in(&d);
    let origin = format!("http://{host}");
    // A form post with another content type, and a path that takes a number.
    let mut s = TcpStream::connect(("127.0.0.1", d.port)).unwrap();
    let req = format!(
        "POST /ontgrendel HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\nOrigin: {origin}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nabc"
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    assert!(raw.starts_with("HTTP/1.1 415"), "{raw}");
    assert!(raw.contains("could not read this request"), "{raw}");
    let a = send(
        d.port,
        "GET",
        "/zaak/2026-0001/bijlage/x",
        &[("Host", &host), ("Cookie", &cookie)],
        "",
    );
    assert_eq!(a.status, 400);
    assert!(a.body.contains("Go back"), "{}", a.body);
}

/// Not the guard but the same real binary: a bundle with one item sealed to another
/// key is imported through the Postvak's form; the good item goes in, the other is set
/// aside and listed with its reason, in words.
#[test]
fn an_item_for_another_key_is_set_aside_and_listed() {
    use meldpunt_envelope::bundle::NewItem;
    use meldpunt_envelope::melding::Melding;

    let (d, own) = made();
    let h = own.each_ref().map(|(k, v)| (*k, v.as_str()));
    let ours = meldpunt_envelope::keys::parse_recipient(&public_value(&d, "recipient = ")).unwrap();
    let other = age::x25519::Identity::generate().to_public();
    let items: Vec<NewItem> = [ours, other]
        .iter()
        .map(|to| {
            melding_item(|reply| {
                let m = Melding::new("leiden", "pesten", "Een melding.", reply);
                meldpunt_envelope::melding::seal(&m, std::slice::from_ref(to)).unwrap()
            })
        })
        .collect();
    let tar = inbox_for(&d, &items);

    let a = post_bundle(&d, &h, &tar, None);
    assert_eq!(a.status, 303, "{}", a.head);
    assert_eq!(a.header("location").as_deref(), Some("/postvak/resultaat"));
    let result = send(d.port, "GET", "/postvak/resultaat", &h, "");
    assert!(
        result.body.contains("New meldingen and follow-ups: 1"),
        "{}",
        result.body
    );
    assert!(result.body.contains("Set aside: 1"), "{}", result.body);
    assert!(
        result
            .body
            .contains("not encrypted for this meldpunt&#39;s keys"),
        "{}",
        result.body
    );
    let list = send(d.port, "GET", "/postvak", &h, "");
    assert!(list.body.contains("Set aside (1)"), "{}", list.body);
    assert!(list.body.contains(&items[1].id), "{}", list.body);
    assert!(list.body.contains("1 of 1 cases"), "{}", list.body);
}

/// A value of the meldpunt's `public.txt`, such as `"recipient = "`.
fn public_value(d: &Desk, key: &str) -> String {
    std::fs::read_to_string(d._dir.path().join("m/public.txt"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .unwrap()
        .trim_matches('"')
        .to_string()
}

/// A desk whose first run made the keys (so it is unlocked), and the Host, Cookie and
/// Origin its own page sends.
fn made() -> (Desk, [(&'static str, String); 3]) {
    let d = start();
    let host = own_host(&d);
    let cookie = sign_in(&d);
    let origin = format!("http://{host}");
    let own = [("Host", host), ("Cookie", cookie), ("Origin", origin)];
    let a = send(
        d.port,
        "POST",
        "/eerste-keer",
        &own.each_ref().map(|(k, v)| (*k, v.as_str())),
        "pass1=correct+horse+battery+staple&pass2=correct+horse+battery+staple",
    );
    assert_eq!(a.status, 303);
    (d, own)
}

/// A melding of a new reporter received 2026-11-20 for leiden, whose ciphertext
/// `seal` makes from the reply recipient.
fn melding_item(seal: impl FnOnce(&str) -> Vec<u8>) -> meldpunt_envelope::bundle::NewItem {
    let token = meldpunt_envelope::token::ReplyToken::generate()
        .unwrap()
        .derive();
    meldpunt_envelope::bundle::NewItem {
        id: meldpunt_envelope::random_id().unwrap(),
        kind: meldpunt_envelope::bundle::ItemKind::Melding,
        lookup_hash: token.lookup_key.hash(),
        organisatie: Some("leiden".into()),
        received: Some("2026-11-20".into()),
        signature: None,
        parent: None,
        ciphertext: seal(&token.reply_recipient()),
    }
}

/// An inbox bundle of `items` from the desk's own meldpunt's server.
fn inbox_for(d: &Desk, items: &[meldpunt_envelope::bundle::NewItem]) -> Vec<u8> {
    let signing: meldpunt_envelope::keys::SigningPublicKey =
        public_value(d, "signing_public_key = ").parse().unwrap();
    meldpunt_envelope::bundle::write(
        Vec::new(),
        meldpunt_envelope::bundle::BundleKind::Inbox,
        Some(&signing),
        "2026-11-22",
        items,
    )
    .unwrap()
}

/// Sends `file` as the Postvak's import form does (multipart, field `bundle`), with
/// `headers` (Host, Cookie, Origin). With `cut`, only that many bytes of the body are
/// sent before the connection's sending side is shut, as when a browser is stopped
/// halfway.
fn post_bundle(d: &Desk, headers: &[(&str, &str)], file: &[u8], cut: Option<usize>) -> Answer {
    let boundary = "xyzBOUNDARY";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"inbox.tar\"\r\nContent-Type: application/x-tar\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut s = TcpStream::connect(("127.0.0.1", d.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head = "POST /postvak/import HTTP/1.1\r\nConnection: close\r\n".to_string();
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    ));
    s.write_all(head.as_bytes()).unwrap();
    match cut {
        Some(n) => {
            s.write_all(&body[..n]).unwrap();
            s.shutdown(std::net::Shutdown::Write).unwrap();
        }
        None => s.write_all(&body).unwrap(),
    }
    answer(s)
}

/// The upload is read as it arrives: a file that is no bundle is refused in words once
/// the whole upload is in (the desk reads the rest after it has seen enough, so the
/// browser gets the answer, not a broken connection); an upload cut short, and an
/// empty file, import nothing.
#[test]
fn an_upload_that_is_no_bundle_or_cut_short_imports_nothing() {
    let (d, own) = made();
    let h = own.each_ref().map(|(k, v)| (*k, v.as_str()));
    // More than the connection's buffers hold, and no tar archive: the check stops at
    // the first block, and the desk must read the rest before it answers.
    let junk = vec![b'x'; 64 << 20];
    let a = post_bundle(&d, &h, &junk, None);
    assert_eq!(a.status, 200, "{}", a.head);
    assert!(
        a.body
            .contains("The file is damaged or not a bundle from the server.")
            && a.body.contains("Nothing was imported."),
        "{}",
        a.body
    );
    // Half of a bundle's upload (the check is inside its one large item), then the
    // connection's sending side shut.
    let tar = inbox_for(&d, &[melding_item(|_| vec![7; 6 << 20])]);
    let a = post_bundle(&d, &h, &tar, Some(3 << 20));
    assert_eq!(a.status, 400, "{}", a.head);
    assert!(
        a.body
            .contains("The desk could not read this request; nothing was changed."),
        "{}",
        a.body
    );
    // An empty file: the browser's form when none was chosen.
    let a = post_bundle(&d, &h, b"", None);
    assert_eq!(a.status, 200, "{}", a.head);
    assert!(
        a.body.contains("No file was chosen, or it is empty."),
        "{}",
        a.body
    );
    let list = send(d.port, "GET", "/postvak", &h, "");
    assert!(list.body.contains("0 of 0 cases"), "{}", list.body);
    assert!(!list.body.contains("Set aside ("), "{}", list.body);
}
