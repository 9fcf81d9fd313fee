//! Benchmark of the offline tool (not a test; `cargo test` does not run it):
//! importing and opening 10,000 meldingen, and the jaarverslag over 10,000 cases,
//! with the reference `rage` decrypting the same items in the same run.
//!
//!     cargo bench -p meldpunt-keys --bench offline
//!
//! The identity is protected with age's default scrypt work factor, as real keys are:
//! each command runs scrypt once, never per item. `rage` gets a plain identity file,
//! so it pays no scrypt at all, and starts once per item as it decrypts one file per
//! run. Results go in docs/PERFORMANCE.md ("The offline tool").

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use meldpunt_envelope::bundle::{self, BundleKind, ItemKind, NewItem};
use meldpunt_envelope::melding::Melding;
use meldpunt_envelope::token::ReplyToken;

const N: usize = 10_000;
const PASSPHRASE: &str = "benchmark passphrase horse";
const SOORTEN: &[&str] = &[
    "pesten",
    "fraude-corruptie",
    "belangenverstrengeling",
    "overig",
];
const MELDERS: &[&str] = &["medewerker", "inwoner", "extern", "anders"];

fn keys(dir: &Path, args: &[&str]) -> Duration {
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_meldpunt-keys"))
        .env("MELDPUNT_DIR", dir)
        .env("MELDPUNT_PASSPHRASE", PASSPHRASE)
        .env_remove("MELDPUNT_SCRYPT_LOG_N")
        .args(args)
        .stdout(Stdio::null())
        .output()
        .unwrap();
    let took = t.elapsed();
    assert!(
        out.status.success(),
        "meldpunt-keys {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    took
}

fn rage() -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join("rage"))
        .find(|p| p.is_file())
        .expect("the reference `rage` CLI is not installed: run `cargo xtask setup`")
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("Meldpunt");
    let init = keys(&dir, &["init"]);
    let public = std::fs::read_to_string(dir.join("public.txt")).unwrap();
    let recipient = public
        .lines()
        .find_map(|l| l.strip_prefix("recipient = "))
        .unwrap()
        .trim_matches('"')
        .to_string();
    let to = meldpunt_envelope::keys::parse_recipient(&recipient).unwrap();
    let meldpunt: meldpunt_envelope::keys::SigningPublicKey = public
        .lines()
        .find_map(|l| l.strip_prefix("signing_public_key = "))
        .unwrap()
        .trim_matches('"')
        .parse()
        .unwrap();

    // 10,000 meldingen from 10,000 reporters over 2026, sealed as the browser does.
    let t = Instant::now();
    let mut items = Vec::with_capacity(N);
    for i in 0..N {
        let token = ReplyToken::generate().unwrap().derive();
        let mut m = Melding::new(
            ["leiden", "leiderdorp", "oegstgeest"][i % 3],
            SOORTEN[i % SOORTEN.len()],
            &format!(
                "Melding nummer {i}: wat er gebeurde, waar en wanneer. {}",
                "x".repeat(i % 700)
            ),
            &token.reply_recipient(),
        );
        m.melder = Some(MELDERS[i % MELDERS.len()].to_string());
        items.push(NewItem {
            id: meldpunt_envelope::random_id().unwrap(),
            kind: ItemKind::Melding,
            lookup_hash: token.lookup_key.hash(),
            organisatie: Some(m.organisatie.clone()),
            received: Some(meldpunt_envelope::domain::day_from_unix_days(
                20_454 + (i % 320) as i64,
            )),
            signature: None,
            parent: None,
            ciphertext: meldpunt_envelope::melding::seal(&m, std::slice::from_ref(&to)).unwrap(),
        });
    }
    let bytes = bundle::write(
        Vec::new(),
        BundleKind::Inbox,
        Some(&meldpunt),
        "2026-11-22",
        &items,
    )
    .unwrap();
    let bundle_path = tmp.path().join("inbox.tar");
    std::fs::write(&bundle_path, &bytes).unwrap();
    eprintln!(
        "prepared {N} meldingen ({} MiB bundle) in {}",
        bytes.len() >> 20,
        secs(t.elapsed())
    );

    // The tool: one import opens and checks every item, then stores them.
    let import = keys(&dir, &["import", bundle_path.to_str().unwrap()]);
    let jaar_md = keys(&dir, &["jaarverslag", "--year", "2026"]);
    let jaar_csv = keys(&dir, &["jaarverslag", "--year", "2026", "--format", "csv"]);
    let list = keys(&dir, &["list"]);
    let show = keys(&dir, &["show", "2026-0001"]);

    // The reference: rage decrypting the same 10,000 items with the plain identity.
    let id_file = tmp.path().join("identity.txt");
    {
        let enc = std::fs::read(dir.join("identity.age")).unwrap();
        let scrypt = age::scrypt::Identity::new(PASSPHRASE.to_string().into());
        std::fs::write(&id_file, age::decrypt(&scrypt, &enc).unwrap()).unwrap();
    }
    let item_dir = tmp.path().join("items");
    std::fs::create_dir(&item_dir).unwrap();
    let paths: Vec<PathBuf> = items
        .iter()
        .map(|it| {
            let p = item_dir.join(format!("{}.age", it.id));
            std::fs::write(&p, &it.ciphertext).unwrap();
            p
        })
        .collect();
    let rage = rage();
    let t = Instant::now();
    for p in &paths {
        let out = Command::new(&rage)
            .arg("-d")
            .arg("-i")
            .arg(&id_file)
            .arg(p)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(out.success());
    }
    let rage_all = t.elapsed();
    // And the same decryption in this process with the age crate, without scrypt,
    // process starts or the store: the floor under the tool's import.
    let id = age::x25519::Identity::from_str_lossy(&std::fs::read_to_string(&id_file).unwrap());
    let t = Instant::now();
    for it in &items {
        meldpunt_envelope::melding::open(&it.ciphertext, &[&id]).unwrap();
    }
    let in_process = t.elapsed();

    println!("offline tool, {N} meldingen (age default scrypt for the identity)");
    println!("  init (2 key files, scrypt)            {}", secs(init));
    println!(
        "  import + open {N}                   {}   (goal <= 10 s)",
        secs(import)
    );
    println!(
        "  rage -d, same {N} items, 1 run each  {}   (ratio import/rage {:.2})",
        secs(rage_all),
        import.as_secs_f64() / rage_all.as_secs_f64()
    );
    println!(
        "  age crate in-process, same items      {}",
        secs(in_process)
    );
    println!(
        "  jaarverslag --year 2026 (md)          {}   (goal <= 1 s)",
        secs(jaar_md)
    );
    println!("  jaarverslag --year 2026 --format csv  {}", secs(jaar_csv));
    println!("  list ({N} cases)                    {}", secs(list));
    println!("  show one case (scrypt once)           {}", secs(show));
}

trait Lossy {
    fn from_str_lossy(s: &str) -> Self;
}

impl Lossy for age::x25519::Identity {
    fn from_str_lossy(s: &str) -> Self {
        use std::str::FromStr;
        let line = s
            .lines()
            .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
            .expect("an identity line");
        age::x25519::Identity::from_str(line).unwrap()
    }
}
