//! Snapshots of the CLI: help, outputs and every error a coördinator can meet, each a
//! file under `tests/snapshots/` holding the exact stdout, stderr and exit code. Run
//! with `MELDPUNT_BLESS=1` to write the files after an intended change, then review
//! the diff like any other.

use std::path::PathBuf;

use crate::util::*;

fn snapshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

#[track_caller]
fn check(name: &str, m: &Meldpunt, out: &Out) {
    let actual = format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.code,
        m.redact(&out.stdout),
        m.redact(&out.stderr)
    );
    let path = snapshot_dir().join(format!("{name}.txt"));
    if std::env::var_os("MELDPUNT_BLESS").is_some() {
        std::fs::create_dir_all(snapshot_dir()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}: run with MELDPUNT_BLESS=1 to write it",
            path.display()
        )
    });
    assert_text(&actual, &expected);
}

/// A meldpunt with three cases in known states and one note.
fn fixture() -> Meldpunt {
    let m = Meldpunt::new();
    m.init();
    let to = m.recipient();
    let (a, b) = (Reporter::new(), Reporter::new());
    let mut first = a.melding(
        "belangenverstrengeling",
        "De inkoper koopt bij zijn zwager.",
    );
    first.melder = Some("medewerker".into());
    first.over_wie = Some("medewerker".into());
    write_file(
        &m.path("in.tar"),
        &m.inbox(&[
            item(&a, &first, &to, "2026-08-03"),
            item(
                &b,
                &b.melding("pesten", "Ik word gepest."),
                &to,
                "2026-11-19",
            ),
        ]),
    );
    m.run(&["import", "in.tar"]).ok();
    write_file(&m.path("t.txt"), b"Melding aan de balie over een gift.");
    m.run(&[
        "register",
        "--kanaal",
        "persoonlijk",
        "--organisatie",
        "oegstgeest",
        "--soort",
        "geschenken-giften",
        "--melder",
        "inwoner",
        "--ontvangen",
        "2025-05-05",
        "--file",
        "t.txt",
    ])
    .ok();
    m.run(&[
        "status",
        "2026-0001",
        "--ontvangstbevestiging",
        "2026-08-05",
    ])
    .ok();
    m.run(&[
        "status",
        "2025-0001",
        "--ontvangstbevestiging",
        "2025-05-06",
        "--terugkoppeling",
        "2025-07-01",
        "--afdoening",
        "ongegrond",
    ])
    .ok();
    m.run_stdin(&["note", "2026-0001"], b"Eerst de inkoopstukken opvragen.")
        .ok();
    m
}

#[test]
fn outputs() {
    let m = fixture();
    let runs: &[(&str, &[&str])] = &[
        ("help-nl", &["--help"]),
        ("help-en", &["--lang", "en", "--help"]),
        ("list-help-nl", &["list", "--help"]),
        ("list-nl", &["list"]),
        ("list-en", &["--lang", "en", "list"]),
        ("show-nl", &["show", "2026-0001"]),
        ("show-registered-en", &["--lang", "en", "show", "2025-0001"]),
        (
            "jaarverslag-md",
            &["jaarverslag", "--year", "2026", "--years", "2"],
        ),
        (
            "jaarverslag-csv-en",
            &[
                "--lang",
                "en",
                "jaarverslag",
                "--year",
                "2026",
                "--years",
                "2",
                "--format",
                "csv",
            ],
        ),
        (
            "jaarverslag-svg",
            &[
                "jaarverslag",
                "--year",
                "2026",
                "--organisatie",
                "leiden",
                "--format",
                "svg",
            ],
        ),
        ("reply-template", &["reply", "2026-0002", "--template"]),
    ];
    for (name, args) in runs {
        check(name, &m, &m.run(args));
    }
}

#[test]
fn errors() {
    let m = fixture();
    std::fs::write(m.path("existing.json"), "{}").unwrap();
    let runs: &[(&str, &[&str])] = &[
        ("err-no-case", &["show", "2026-0099"]),
        ("err-no-case-en", &["--lang", "en", "show", "2026-0099"]),
        (
            "err-no-attachments",
            &["extract", "2026-0001", "--to", "uit"],
        ),
        (
            "err-no-reply-channel",
            &["reply", "2025-0001", "--file", "t.txt"],
        ),
        ("err-nothing-to-change", &["status", "2026-0001"]),
        (
            "err-bad-afdoening",
            &["status", "2026-0001", "--afdoening", "opgelost"],
        ),
        (
            "err-bad-day-en",
            &[
                "--lang",
                "en",
                "status",
                "2026-0001",
                "--terugkoppeling",
                "morgen",
            ],
        ),
        (
            "err-day-before-receipt",
            &["status", "2026-0001", "--terugkoppeling", "2026-01-01"],
        ),
        (
            "err-bad-kanaal",
            &[
                "register",
                "--kanaal",
                "meldpunt",
                "--organisatie",
                "leiden",
                "--soort",
                "overig",
            ],
        ),
        (
            "err-bad-soort",
            &[
                "register",
                "--kanaal",
                "telefoon",
                "--organisatie",
                "leiden",
                "--soort",
                "diefstal",
            ],
        ),
        (
            "err-bad-org",
            &[
                "register",
                "--kanaal",
                "telefoon",
                "--organisatie",
                "Leiden!",
                "--soort",
                "overig",
            ],
        ),
        ("err-bundle-missing", &["import", "nergens.tar"]),
        (
            "err-confirm-missing",
            &["confirm", "nergens.tar", "-o", "c.json"],
        ),
        (
            "err-confirm-exists",
            &["confirm", "in.tar", "-o", "existing.json"],
        ),
        (
            "err-import-confirm-exists",
            &["import", "in.tar", "--confirm", "existing.json"],
        ),
        ("err-bad-recipient", &["recovery", "age1xyz"]),
        ("err-jaarverslag-year", &["jaarverslag", "--year", "26"]),
        (
            "err-jaarverslag-org",
            &["jaarverslag", "--year", "2026", "--organisatie", "haarlem"],
        ),
        (
            "err-jaarverslag-exists",
            &["jaarverslag", "--year", "2026", "-o", "existing.json"],
        ),
        ("err-usage-nl", &["status"]),
        (
            "err-usage-en",
            &["--lang", "en", "list", "--status", "half"],
        ),
        (
            "err-reply-file-and-editor",
            &["reply", "2026-0002", "--file", "t.txt", "--editor"],
        ),
    ];
    for (name, args) in runs {
        let out = m.run(args);
        assert_ne!(out.code, 0, "{name} should fail");
        check(name, &m, &out);
    }
    // A wrong passphrase, and a store from a newer version.
    let out = run(
        m.cmd()
            .env("MELDPUNT_PASSPHRASE", "not the passphrase")
            .args(["show", "2026-0001"]),
        None,
    );
    check("err-wrong-passphrase", &m, &out);
    let db = rusqlite::Connection::open(m.dir.join("cases.db")).unwrap();
    db.pragma_update(None, "user_version", 99).unwrap();
    drop(db);
    check("err-store-too-new", &m, &m.run(&["list"]));
}

/// The account of an import that set items aside, in both languages: every reason
/// an anonymous sender can cause, with what to do next.
#[test]
fn set_aside_report() {
    for (name, lang) in [("import-set-aside-nl", "nl"), ("import-set-aside-en", "en")] {
        let m = Meldpunt::new();
        m.init();
        let (mut items, _) = crate::set_aside::poisoned(&m);
        for (i, it) in items.iter_mut().enumerate() {
            it.id = format!("{:032x}", i + 1);
        }
        write_file(&m.path("in.tar"), &m.inbox(&items));
        let out = m
            .run(&["--lang", lang, "import", "in.tar", "--confirm", "c.json"])
            .ok();
        check(name, &m, &out);
    }
}

/// `set-aside`: the list with reasons in words, one item's bytes saved as they
/// arrived, and its errors, in both languages.
#[test]
fn set_aside_command() {
    for lang in ["nl", "en"] {
        let m = Meldpunt::new();
        m.init();
        let out = m.run(&["--lang", lang, "set-aside"]).ok();
        check(&format!("set-aside-empty-{lang}"), &m, &out);
        let (mut items, _) = crate::set_aside::poisoned(&m);
        for (i, it) in items.iter_mut().enumerate() {
            it.id = format!("{:032x}", i + 1);
        }
        write_file(&m.path("in.tar"), &m.inbox(&items));
        m.run(&["import", "in.tar"]).ok();
        let out = m.run(&["--lang", lang, "set-aside"]).ok();
        check(&format!("set-aside-list-{lang}"), &m, &out);
        // The item that is not an age file (its size is fixed), byte for byte.
        let id = &items[5].id;
        let out = m
            .run(&["--lang", lang, "set-aside", id, "--to", "item.age"])
            .ok();
        check(&format!("set-aside-save-{lang}"), &m, &out);
        assert_eq!(
            std::fs::read(m.path("item.age")).unwrap(),
            items[5].ciphertext
        );
        let out = m
            .run(&["--lang", lang, "set-aside", id, "--to", "item.age"])
            .fails();
        check(&format!("err-set-aside-exists-{lang}"), &m, &out);
        // A good melding was imported, not set aside.
        let out = m
            .run(&[
                "--lang",
                lang,
                "set-aside",
                &items[0].id,
                "--to",
                "good.age",
            ])
            .fails();
        check(&format!("err-set-aside-unknown-{lang}"), &m, &out);
        assert!(!m.path("good.age").exists());
    }
}
