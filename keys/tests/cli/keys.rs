//! Keys after init: the recovery key opens everything the store keeps, rotation keeps
//! old items open, and a wrong passphrase, a foreign key or a damaged file each get a
//! clear error.

use std::process::Command;

use crate::util::*;

/// A recovery identity as `rage-keygen` writes it, in the test's folder.
fn recovery_key(m: &Meldpunt) -> (std::path::PathBuf, String) {
    let id = age::x25519::Identity::generate();
    let path = m.path("herstel.txt");
    use age::secrecy::ExposeSecret;
    std::fs::write(
        &path,
        format!(
            "# public key: {}\n{}\n",
            id.to_public(),
            id.to_string().expose_secret()
        ),
    )
    .unwrap();
    (path, id.to_public().to_string())
}

fn rage_decrypt(
    identity: &std::path::Path,
    ciphertext: &[u8],
    tmp: &std::path::Path,
) -> Option<Vec<u8>> {
    let f = tmp.join("blob.age");
    std::fs::write(&f, ciphertext).unwrap();
    let out = Command::new(rage())
        .arg("-d")
        .arg("-i")
        .arg(identity)
        .arg(&f)
        .output()
        .unwrap();
    out.status.success().then_some(out.stdout)
}

#[test]
fn recovery_key_opens_what_the_store_keeps() {
    let m = Meldpunt::new();
    let (herstel, recovery) = recovery_key(&m);
    let out = m.run(&["init", "--recovery", &recovery]).ok();
    let main = m.recipient().to_string();
    assert!(
        out.stdout
            .contains(&format!("recipients = [\"{main}\", \"{recovery}\"]\n")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("De tweede sleutel in recipients is de herstelsleutel")
    );
    let public = std::fs::read_to_string(m.dir.join("public.txt")).unwrap();
    assert!(public.contains(&format!("recovery_recipient = \"{recovery}\"\n")));

    // The server lists both, so the melding is sealed to both.
    let r = Reporter::new();
    let both = [
        m.recipient(),
        meldpunt_envelope::keys::parse_recipient(&recovery).unwrap(),
    ];
    let ct =
        meldpunt_envelope::melding::seal(&r.melding("pesten", "Geheim verhaal."), &both).unwrap();
    write_file(
        &m.path("in.tar"),
        &m.inbox(&[item_bytes(
            &r,
            meldpunt_envelope::melding::Kind::Melding,
            ct,
            "2026-11-20",
        )]),
    );
    m.run(&["import", "in.tar"]).ok();
    write_file(&m.path("a.txt"), b"Antwoord aan de melder.");
    m.run(&["reply", "2026-0001", "--file", "a.txt"]).ok();
    m.run_stdin(&["note", "2026-0001"], b"Notitie voor de kluis.")
        .ok();

    // Without the passphrase, with the recovery key from the safe: show works.
    let out = run(
        m.cmd().env_remove("MELDPUNT_PASSPHRASE").args([
            "--recovery-identity",
            herstel.to_str().unwrap(),
            "show",
            "2026-0001",
        ]),
        None,
    )
    .ok();
    for text in [
        "Geheim verhaal.",
        "Antwoord aan de melder.",
        "Notitie voor de kluis.",
    ] {
        assert!(out.stdout.contains(text), "{}", out.stdout);
    }
    // It cannot sign.
    let out = run(
        m.cmd().args([
            "--recovery-identity",
            herstel.to_str().unwrap(),
            "reply",
            "2026-0001",
            "--file",
            "a.txt",
        ]),
        None,
    )
    .fails();
    assert_text(
        &out.stderr,
        "fout: met de herstelsleutel kan niets worden ondertekend (reacties, importbevestigingen)\n\
         wat nu: Gebruik de gewone sleutels met de wachtwoordzin (zonder --recovery-identity).\n",
    );
    // And rage, with the recovery key alone, opens every blob in the store.
    let db = rusqlite::Connection::open(m.dir.join("cases.db")).unwrap();
    let mut stmt = db
        .prepare("SELECT ciphertext FROM items UNION ALL SELECT own_copy FROM replies UNION ALL SELECT ciphertext FROM notes")
        .unwrap();
    let blobs: Vec<Vec<u8>> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(blobs.len(), 3);
    for b in &blobs {
        assert!(rage_decrypt(&herstel, b, m.tmp.path()).is_some());
    }
}

#[test]
fn recovery_added_later_reseals_the_store() {
    let m = Meldpunt::new();
    m.init();
    let r = Reporter::new();
    m.write_inbox(&r, "pesten", "x", "2026-11-20");
    m.run(&["import", "in.tar"]).ok();
    m.run_stdin(&["note", "2026-0001"], b"Oude notitie.").ok();
    let (herstel, recovery) = recovery_key(&m);
    let out = m.run(&["recovery", &recovery]).ok();
    assert!(
        out.stdout
            .starts_with("Herstelsleutel ingesteld; 1 eigen teksten"),
        "{}",
        out.stdout
    );
    let db = rusqlite::Connection::open(m.dir.join("cases.db")).unwrap();
    let note: Vec<u8> = db
        .query_row("SELECT ciphertext FROM notes", [], |r| r.get(0))
        .unwrap();
    let plain = rage_decrypt(&herstel, &note, m.tmp.path()).unwrap();
    assert!(String::from_utf8_lossy(&plain).contains("Oude notitie."));
    let out = m.run(&["recovery", &recovery]).fails();
    assert_text(
        &out.stderr,
        "fout: deze herstelsleutel is al ingesteld\nwat nu: Er hoeft niets te gebeuren.\n",
    );
    let out = m.run(&["recovery", "age1nope"]).fails();
    assert!(
        out.stderr
            .starts_with("fout: \"age1nope\" is geen publieke age-sleutel (age1…)\n")
    );
}

#[test]
fn rotation_keeps_old_items_open() {
    let m = Meldpunt::new();
    m.init();
    let old = m.recipient();
    let a = Reporter::new();
    write_file(
        &m.path("old.tar"),
        &m.inbox(&[item(
            &a,
            &a.melding("pesten", "Oude melding."),
            &old,
            "2026-11-01",
        )]),
    );
    m.run(&["import", "old.tar"]).ok();
    let out = m.run(&["rotate"]).ok();
    let new = m.recipient();
    assert_ne!(new.to_string(), old.to_string());
    assert!(
        out.stdout.contains(&format!("recipients = [\"{new}\"]\n")),
        "{}",
        out.stdout
    );
    // New meldingen to the new key, a vervolg on the old case to the old key (a
    // reporter's page that had the old config): both open.
    let b = Reporter::new();
    write_file(
        &m.path("new.tar"),
        &m.inbox(&[
            item(
                &b,
                &b.melding("overig", "Nieuwe melding."),
                &new,
                "2026-11-20",
            ),
            item(&a, &a.vervolg("Vervolg, oude sleutel."), &old, "2026-11-20"),
        ]),
    );
    m.run(&["import", "new.tar"]).ok();
    assert!(
        m.run(&["show", "2026-0001"])
            .ok()
            .stdout
            .contains("Vervolg, oude sleutel.")
    );
    assert!(
        m.run(&["show", "2026-0002"])
            .ok()
            .stdout
            .contains("Nieuwe melding.")
    );
    // rage reads the rotated identity file too (both keys in it).
    let text = m.identity_text();
    assert_eq!(text.matches("AGE-SECRET-KEY-1").count(), 2);
}

#[test]
fn wrong_passphrase_foreign_key_damaged_file() {
    let m = Meldpunt::new();
    m.init();
    let r = Reporter::new();
    m.write_inbox(&r, "pesten", "x", "2026-11-20");
    let out = run(
        m.cmd()
            .env("MELDPUNT_PASSPHRASE", "wrong horse battery")
            .args(["import", "in.tar"]),
        None,
    )
    .fails();
    assert_text(
        &m.redact(&out.stderr),
        "fout: de wachtwoordzin opent <TMP>/Meldpunt/identity.age niet\nwat nu: Probeer het opnieuw en let op hoofdletters en spaties.\n",
    );
    // Another meldpunt's identity.age (same passphrase) in this folder.
    let other = Meldpunt::new();
    other.init();
    std::fs::copy(other.dir.join("identity.age"), m.dir.join("identity.age")).unwrap();
    let out = m.run(&["import", "in.tar"]).fails();
    assert_text(
        &m.redact(&out.stderr),
        "fout: <TMP>/Meldpunt/identity.age hoort niet bij dit meldpunt: de sleutel past niet bij public.txt\n\
         wat nu: Controleer --dir (of MELDPUNT_DIR), of zet de sleutelbestanden van dit meldpunt terug uit de reservekopie.\n",
    );
    // A foreign signing key is caught when signing.
    let m2 = Meldpunt::new();
    m2.init();
    std::fs::copy(other.dir.join("signing.age"), m2.dir.join("signing.age")).unwrap();
    let r2 = Reporter::new();
    write_file(
        &m2.path("in.tar"),
        &m2.inbox(&[item(
            &r2,
            &r2.melding("pesten", "x"),
            &m2.recipient(),
            "2026-11-20",
        )]),
    );
    let out = m2
        .run(&["import", "in.tar", "--confirm", "c.json", "--lang", "en"])
        .fails();
    assert_text(
        &m2.redact(&out.stderr),
        "error: <TMP>/Meldpunt/signing.age does not belong to this meldpunt: the key does not match public.txt\n\
         what to do: Check --dir (or MELDPUNT_DIR), or restore this meldpunt's key files from the backup.\n",
    );
    // A damaged public.txt.
    std::fs::write(m2.dir.join("public.txt"), "rommel\n").unwrap();
    let out = m2
        .run(&[
            "register",
            "--kanaal",
            "telefoon",
            "--organisatie",
            "leiden",
            "--soort",
            "overig",
        ])
        .fails();
    assert_text(
        &m2.redact(&out.stderr),
        "fout: <TMP>/Meldpunt/public.txt is beschadigd of geen meldpuntsleutel (no recipient line)\n\
         wat nu: Zet het bestand terug uit de reservekopie van de sleutelmap.\n",
    );
}
