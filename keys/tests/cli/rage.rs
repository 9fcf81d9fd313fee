//! Interoperability with the reference `rage` CLI: every ciphertext is a plain age
//! file, and the identity at rest is what `rage -d -i` accepts.

use std::process::Command;

use meldpunt_envelope::bundle;
use meldpunt_envelope::melding::Melding;
use meldpunt_envelope::padding;

use crate::util::*;

fn rage_cmd() -> Command {
    Command::new(rage())
}

#[test]
fn rage_opens_imported_items_with_the_identity() {
    let m = Meldpunt::new();
    m.init();
    let a = Reporter::new();
    let b = Reporter::new();
    let to = m.recipient();
    let meldingen = [
        a.melding("datalek-privacy", "Dossiers lagen op straat."),
        b.melding("overig", "Iets anders."),
    ];
    let items: Vec<_> = [&a, &b]
        .iter()
        .zip(&meldingen)
        .map(|(r, md)| item(r, md, &to, "2026-11-22"))
        .collect();
    let data = m.inbox(&items);
    write_file(&m.path("inbox.tar"), &data);
    m.run(&["import", "inbox.tar"]).ok();

    // The identity, taken out of its passphrase encryption with the age crate.
    let plain_identity = m.path("identity.txt");
    write_file(&plain_identity, m.identity_text().as_bytes());
    for ((line, ct), expected) in bundle::read(&data[..], u64::MAX)
        .unwrap()
        .items
        .iter()
        .zip(&meldingen)
    {
        let file = m.path(&line.file_name());
        write_file(&file, ct);
        let plain = rage_decrypt(&plain_identity, &file);
        let json = padding::unpad(&plain).unwrap();
        assert_eq!(json, serde_json::to_vec(expected).unwrap());
    }

    // rage also takes identity.age itself, asking for the passphrase through pinentry;
    // a tiny pinentry that answers with the test passphrase stands in for the person.
    let pinentry = m.path("pinentry.sh");
    write_file(
        &pinentry,
        format!(
            "#!/bin/sh\necho 'OK ready'\nwhile read -r cmd rest; do\n  case \"$cmd\" in\n    GETPIN) echo 'D {PASSPHRASE}'; echo OK ;;\n    BYE) echo OK; exit 0 ;;\n    *) echo OK ;;\n  esac\ndone\n"
        )
        .as_bytes(),
    );
    std::fs::set_permissions(
        &pinentry,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let out = rage_cmd()
        .env("PINENTRY_PROGRAM", &pinentry)
        .arg("-d")
        .arg("-i")
        .arg(m.dir.join("identity.age"))
        .arg(m.path(&items[0].file_name()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "rage -d -i identity.age failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        padding::unpad(&out.stdout).unwrap(),
        serde_json::to_vec(&meldingen[0]).unwrap()
    );
}

trait FileName {
    fn file_name(&self) -> String;
}

impl FileName for meldpunt_envelope::bundle::NewItem {
    fn file_name(&self) -> String {
        format!("{}.age", self.id)
    }
}

#[test]
fn rage_opens_a_reply_with_the_token_identity() {
    let m = Meldpunt::new();
    m.init();
    let r = Reporter::new();
    m.write_inbox(&r, "pesten", "Pesten op de afdeling.", "2026-11-22");
    m.run(&["import", "in.tar"]).ok();
    m.run_stdin(
        &["reply", "2026-0001"],
        "We gaan in gesprek met de leidinggevende.".as_bytes(),
    )
    .ok();
    m.run(&["export-replies", "out.tar"]).ok();
    let b = bundle::read(&std::fs::read(m.path("out.tar")).unwrap()[..], u64::MAX).unwrap();
    let (line, ct) = &b.items[0];

    let identity = m.path("reply-identity.txt");
    write_file(
        &identity,
        meldpunt_envelope::keys::identity_to_string(&r.keys.reply_identity).as_bytes(),
    );
    let file = m.path(&line.file_name());
    write_file(&file, ct);
    let plain = rage_decrypt(&identity, &file);
    let reply: meldpunt_envelope::reply::ReplyText =
        serde_json::from_slice(padding::unpad(&plain).unwrap()).unwrap();
    assert_eq!(reply.text, "We gaan in gesprek met de leidinggevende.");
}

#[test]
fn a_melding_sealed_by_rage_imports_and_shows() {
    let m = Meldpunt::new();
    let init = m.init();
    let r = Reporter::new();
    let mut md: Melding = r.melding(
        "belangenverstrengeling",
        "De inkoper is eigenaar van de leverancier.",
    );
    md.contact = Some("bel mij liever niet".into());
    write_file(&m.path("padded.bin"), &md.to_padded().unwrap());
    let out = rage_cmd()
        .args(["-e", "-r", &init.recipient, "-o"])
        .arg(m.path("x.age"))
        .arg(m.path("padded.bin"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "rage -e failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ct = std::fs::read(m.path("x.age")).unwrap();
    write_file(
        &m.path("in.tar"),
        &m.inbox(&[item_bytes(&r, md.kind, ct, "2026-11-22")]),
    );
    let out = m.run(&["import", "in.tar"]).ok();
    assert_text(
        &out.stdout,
        "1 nieuwe melding geïmporteerd, 0 al aanwezig overgeslagen.\nNieuwe zaken: 2026-0001\n",
    );
    let out = m.run(&["show", "2026-0001"]).ok();
    assert!(
        out.stdout.contains(
            "Contact:              bel mij liever niet\n\nDe inkoper is eigenaar van de leverancier.\n"
        ),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(
        "Soort melding:        Belangenverstrengeling (ook nevenwerkzaamheden, financiële belangen)\n"
    ));
}
