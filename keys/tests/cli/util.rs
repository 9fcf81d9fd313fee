//! Helpers: a meldpunt folder in a tempdir, the real binary, reporters and bundles.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use meldpunt_envelope::bundle::{self, BundleKind, ItemKind, NewItem};
use meldpunt_envelope::keys::SigningPublicKey;
use meldpunt_envelope::melding::{self, Melding};
use meldpunt_envelope::token::{ReplyToken, TokenKeys};

pub const PASSPHRASE: &str = "correct horse battery staple";
/// The day the binary takes as today in tests, so deadlines are reproducible.
pub const TODAY: &str = "2026-11-22";

/// The result of one run of the binary.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    #[track_caller]
    pub fn ok(self) -> Out {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn fails(self) -> Out {
        assert_eq!(
            self.code, 1,
            "expected failure (exit 1)\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// Compares texts line by line so a failing snapshot shows where it differs.
#[track_caller]
pub fn assert_text(actual: &str, expected: &str) {
    if actual != expected {
        let mut diff = String::new();
        let (a, e): (Vec<&str>, Vec<&str>) = (actual.lines().collect(), expected.lines().collect());
        for i in 0..a.len().max(e.len()) {
            let (x, y) = (
                a.get(i).copied().unwrap_or("<none>"),
                e.get(i).copied().unwrap_or("<none>"),
            );
            let mark = if x == y { "  " } else { "!!" };
            diff += &format!("{mark} expected: {y}\n{mark} actual:   {x}\n");
        }
        panic!("text differs:\n{diff}");
    }
}

/// A meldpunt folder of its own, in a tempdir that disappears with it.
pub struct Meldpunt {
    pub tmp: tempfile::TempDir,
    pub dir: PathBuf,
}

/// What `init --json` printed that the other side needs.
pub struct InitOut {
    pub stdout: String,
    pub recipient: String,
    pub signing_public: String,
    pub staff_token: String,
    pub staff_hash: String,
}

impl Meldpunt {
    /// Writes `in.tar`: an inbox bundle with one melding by `r` of `soort`, received `day`.
    pub fn write_inbox(&self, r: &Reporter, soort: &str, text: &str, day: &str) {
        write_file(
            &self.path("in.tar"),
            &self.inbox(&[item(r, &r.melding(soort, text), &self.recipient(), day)]),
        );
    }

    pub fn new() -> Meldpunt {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("Meldpunt");
        Meldpunt { tmp, dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// The binary, with this folder, the test passphrase, a fast scrypt and Dutch.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_meldpunt-keys"));
        c.env("MELDPUNT_DIR", &self.dir)
            .env("MELDPUNT_PASSPHRASE", PASSPHRASE)
            .env("MELDPUNT_SCRYPT_LOG_N", "10")
            .env("MELDPUNT_TODAY", TODAY)
            .env("HOME", self.tmp.path())
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .current_dir(self.tmp.path());
        c
    }

    pub fn run(&self, args: &[&str]) -> Out {
        run(self.cmd().args(args), None)
    }

    pub fn run_stdin(&self, args: &[&str], stdin: &[u8]) -> Out {
        run(self.cmd().args(args), Some(stdin))
    }

    /// Replaces the tempdir's path, which differs every run, with `<TMP>`.
    pub fn redact(&self, s: &str) -> String {
        s.replace(&self.tmp.path().display().to_string(), "<TMP>")
    }

    /// `init --json`, and the values the other side needs from it.
    pub fn init(&self) -> InitOut {
        let out = self.run(&["init", "--json"]).ok();
        let v: serde_json::Value =
            serde_json::from_str(&out.stdout).expect("init --json prints one JSON object");
        let field = |k: &str| {
            v[k].as_str()
                .unwrap_or_else(|| panic!("init --json has no {k}"))
                .to_string()
        };
        InitOut {
            recipient: field("recipient"),
            signing_public: field("signing_public_key"),
            staff_hash: field("staff_token_sha256"),
            staff_token: field("staff_token"),
            stdout: out.stdout,
        }
    }

    /// The meldpunt recipient as public.txt gives it.
    pub fn recipient(&self) -> age::x25519::Recipient {
        let text = std::fs::read_to_string(self.dir.join("public.txt")).unwrap();
        let line = text
            .lines()
            .find(|l| l.starts_with("recipient = "))
            .unwrap();
        meldpunt_envelope::keys::parse_recipient(line["recipient = ".len()..].trim_matches('"'))
            .unwrap()
    }

    /// The meldpunt's signing public key as public.txt gives it.
    pub fn signing_public(&self) -> SigningPublicKey {
        let text = std::fs::read_to_string(self.dir.join("public.txt")).unwrap();
        let line = text
            .lines()
            .find(|l| l.starts_with("signing_public_key = "))
            .unwrap();
        line["signing_public_key = ".len()..]
            .trim_matches('"')
            .parse()
            .unwrap()
    }

    /// An inbox bundle of `items` as this meldpunt's server exports it.
    pub fn inbox(&self, items: &[NewItem]) -> Vec<u8> {
        inbox_of(&self.signing_public(), items)
    }

    /// Everything in the case store, to prove a refused command changed nothing.
    pub fn store_dump(&self) -> String {
        let db = rusqlite::Connection::open(self.dir.join("cases.db")).unwrap();
        let mut out = String::new();
        for (table, cols) in [
            ("cases", "number, lookup_hash, organisatie, soort, received"),
            ("items", "id, case_id, kind, received, hex(ciphertext)"),
            ("replies", "id, case_id, day, hex(ciphertext), exported"),
            ("attachments", "id, case_id, parent, idx, hex(ciphertext)"),
            ("set_aside", "id, kind, reason, hex(ciphertext)"),
        ] {
            let mut stmt = db
                .prepare(&format!("SELECT {cols} FROM {table} ORDER BY rowid"))
                .unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    (0..n)
                        .map(|i| {
                            r.get::<_, rusqlite::types::Value>(i)
                                .map(|v| format!("{v:?}"))
                        })
                        .collect::<Result<Vec<_>, _>>()
                })
                .unwrap();
            for row in rows {
                out += &format!("{table}: {}\n", row.unwrap().join(" | "));
            }
        }
        out
    }

    /// The set-aside items as (id, reason code), in the order they were set aside.
    pub fn set_aside(&self) -> Vec<(String, String)> {
        let db = rusqlite::Connection::open(self.dir.join("cases.db")).unwrap();
        let mut stmt = db
            .prepare("SELECT id, reason FROM set_aside ORDER BY rowid")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// The plain identity, decrypted from identity.age with the age crate.
    pub fn identity_text(&self) -> String {
        let bytes = std::fs::read(self.dir.join("identity.age")).unwrap();
        let id = age::scrypt::Identity::new(PASSPHRASE.to_string().into());
        String::from_utf8(age::decrypt(&id, &bytes).unwrap()).unwrap()
    }
}

pub fn run(cmd: &mut Command, stdin: Option<&[u8]>) -> Out {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the binary starts");
    if let Some(data) = stdin {
        child.stdin.take().unwrap().write_all(data).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Someone who reports: a reply token and what it derives.
pub struct Reporter {
    pub token: ReplyToken,
    pub keys: TokenKeys,
}

impl Reporter {
    pub fn new() -> Reporter {
        let token = ReplyToken::generate().unwrap();
        let keys = token.derive();
        Reporter { token, keys }
    }

    pub fn lookup_hash(&self) -> [u8; 32] {
        self.keys.lookup_key.hash()
    }

    pub fn melding(&self, soort: &str, text: &str) -> Melding {
        Melding::new("leiden", soort, text, &self.keys.reply_recipient())
    }

    pub fn vervolg(&self, text: &str) -> Melding {
        let mut m = Melding::new("leiden", "overig", text, &self.keys.reply_recipient());
        m.kind = melding::Kind::Vervolg;
        m.soort = None;
        m
    }
}

/// An inbox item from a reporter's melding sealed to `to`.
pub fn item(r: &Reporter, m: &Melding, to: &age::x25519::Recipient, received: &str) -> NewItem {
    item_bytes(
        r,
        m.kind,
        melding::seal(m, std::slice::from_ref(to)).unwrap(),
        received,
    )
}

pub fn item_bytes(
    r: &Reporter,
    kind: melding::Kind,
    ciphertext: Vec<u8>,
    received: &str,
) -> NewItem {
    NewItem {
        id: meldpunt_envelope::random_id().unwrap(),
        kind: if kind == melding::Kind::Melding {
            ItemKind::Melding
        } else {
            ItemKind::Vervolg
        },
        lookup_hash: r.lookup_hash(),
        organisatie: Some("leiden".into()),
        received: Some(received.into()),
        signature: None,
        parent: None,
        ciphertext,
    }
}

/// An inbox bundle of `items` whose manifest names the meldpunt `meldpunt`.
pub fn inbox_of(meldpunt: &SigningPublicKey, items: &[NewItem]) -> Vec<u8> {
    bundle::write(
        Vec::new(),
        BundleKind::Inbox,
        Some(meldpunt),
        "2026-11-22",
        items,
    )
    .unwrap()
}

pub fn write_file(path: &Path, data: &[u8]) {
    std::fs::write(path, data).unwrap();
}

/// Opens `file` with `rage -d -i identity` and returns the plaintext; a failure of
/// rage fails the test.
pub fn rage_decrypt(identity: &Path, file: &Path) -> Vec<u8> {
    let out = std::process::Command::new(rage())
        .arg("-d")
        .arg("-i")
        .arg(identity)
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "rage -d failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `rage` from crates.io, on PATH or in ~/.cargo/bin. Missing is a failure, never a skip.
pub fn rage() -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join("rage"))
        .find(|p| p.is_file())
        .expect("the reference `rage` CLI is not installed (not on PATH, not in ~/.cargo/bin): run `cargo xtask setup`")
}
