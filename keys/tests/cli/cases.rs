//! Following a case: attachments and follow-ups on import, extract, the import
//! confirmation, status and afdoening with the history, deadlines in list, notes,
//! cases from other channels, and the reply editor with its standard text.

use meldpunt_envelope::bundle::{ItemKind, NewItem};
use meldpunt_envelope::keys::SigningPublicKey;
use meldpunt_envelope::melding::AttachmentRef;
use meldpunt_envelope::signed::SignedConfirmation;

use crate::util::*;

/// A melding with two attachments (one with a hostile name) and its bijlage items.
fn melding_with_attachments(
    r: &Reporter,
    to: &age::x25519::Recipient,
    received: &str,
) -> (Vec<NewItem>, Vec<Vec<u8>>) {
    let files = vec![b"%PDF-1.4 factuur".to_vec(), vec![7u8; 5000]];
    let mut m = r.melding("fraude-corruptie", "Zie de bijlagen.");
    for (name, f) in ["factuur.pdf", "../../../etc/evil\u{1b}.sh"]
        .iter()
        .zip(&files)
    {
        m.attachments.push(AttachmentRef {
            name: name.to_string(),
            media_type: "application/octet-stream".into(),
            size: f.len() as u64,
            sha256: meldpunt_envelope::sha256_hex(f),
        });
    }
    let parent = item(r, &m, to, received);
    let mut items = vec![];
    let parent_id = parent.id.clone();
    items.push(parent);
    for f in &files {
        items.push(NewItem {
            id: meldpunt_envelope::random_id().unwrap(),
            kind: ItemKind::Bijlage,
            lookup_hash: r.lookup_hash(),
            organisatie: Some("leiden".into()),
            received: Some(received.into()),
            signature: None,
            parent: Some(parent_id.clone()),
            ciphertext: meldpunt_envelope::attachment::seal(f, std::slice::from_ref(to)).unwrap(),
        });
    }
    (items, files)
}

#[test]
fn attachments_follow_ups_extract_and_confirmation() {
    let m = Meldpunt::new();
    let init = m.init();
    let to = m.recipient();
    let r = Reporter::new();
    let (mut items, files) = melding_with_attachments(&r, &to, "2026-11-10");
    // The server may send the attachments in any order: each is matched by its hash.
    items.swap(1, 2);
    write_file(&m.path("in1.tar"), &m.inbox(&items));
    let out = m
        .run(&["import", "in1.tar", "--confirm", "bevestiging.json"])
        .ok();
    assert_text(
        &m.redact(&out.stdout),
        "1 nieuwe melding geïmporteerd, 0 al aanwezig overgeslagen.\n\
         Nieuwe zaken: 2026-0001\n\
         2 bijlagen opgeslagen.\n\
         Importbevestiging voor 3 berichten geschreven naar bevestiging.json; breng hem naar de online machine (POST /api/v1/staff/bevestiging), dan wist de server ze.\n",
    );
    let signed: SignedConfirmation =
        serde_json::from_slice(&std::fs::read(m.path("bevestiging.json")).unwrap()).unwrap();
    let key: SigningPublicKey = init.signing_public.parse().unwrap();
    signed.verify(&key).unwrap();
    let mut ids: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
    assert_eq!(signed.importbevestiging.items, ids);
    assert_eq!(signed.importbevestiging.day, TODAY);

    // The vervolg comes in a later bundle, alone; it joins the case by lookup hash.
    let v = item(&r, &r.vervolg("Nog een detail."), &to, "2026-11-12");
    ids.push(v.id.clone());
    write_file(&m.path("in2.tar"), &m.inbox(&[v]));
    let out = m.run(&["import", "in2.tar"]).ok();
    assert_text(
        &out.stdout,
        "1 nieuwe melding geïmporteerd, 0 al aanwezig overgeslagen.\n",
    );
    // Confirming needs the bundle to be in the store; it is, so it signs.
    let out = m.run(&["confirm", "in2.tar", "-o", "b2.json"]).ok();
    assert!(out.stdout.starts_with("Importbevestiging voor 1 berichten"));
    let out = m.run(&["confirm", "in2.tar", "-o", "b2.json"]).fails();
    assert_text(
        &m.redact(&out.stderr),
        "fout: b2.json bestaat al en wordt niet overschreven\nwat nu: Kies een andere bestandsnaam.\n",
    );
    // A bundle not imported is not confirmed.
    let other = Reporter::new();
    let stranger = item(&other, &other.melding("overig", "x"), &to, "2026-11-12");
    let sid = stranger.id.clone();
    write_file(&m.path("in3.tar"), &m.inbox(&[stranger]));
    let out = m.run(&["confirm", "in3.tar", "-o", "b3.json"]).fails();
    assert_text(
        &m.redact(&out.stderr),
        &format!(
            "fout: bericht {sid} uit in3.tar staat niet (of met een andere inhoud) in het zaakregister; er is geen bevestiging gemaakt\nwat nu: Importeer de bundel eerst met `meldpunt-keys import`, en bevestig daarna.\n"
        ),
    );
    assert!(!m.path("b3.json").exists());

    let out = m.run(&["show", "2026-0001"]).ok();
    assert!(
        out.stdout.contains(
            "Bijlagen:             2 opgeslagen (meldpunt-keys extract 2026-0001 --to <map>)"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("factuur.pdf (application/octet-stream, 16 bytes")
    );
    assert!(out.stdout.contains("; opgeslagen; zie extract)"));
    assert!(
        out.stdout
            .contains("--- 2026-11-12 · Vervolgbericht van de melder ---\n\nNog een detail.")
    );

    // Extract: sanitised names, inside the folder, never overwriting.
    let out = m.run(&["extract", "2026-0001", "--to", "uit"]).ok();
    let dir = m.path("uit");
    assert_eq!(std::fs::read(dir.join("factuur.pdf")).unwrap(), files[0]);
    assert_eq!(std::fs::read(dir.join("evil_.sh")).unwrap(), files[1]);
    assert_text(
        &m.redact(&out.stdout),
        "uit/factuur.pdf  (16 bytes)\n\
         uit/evil_.sh  (5000 bytes; oorspronkelijke naam \"../../../etc/evil\u{fffd}.sh\")\n\
         2 bijlagen van zaak 2026-0001 opgeslagen in uit.\n",
    );
    let entries = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(entries, 2);
    m.run(&["extract", "2026-0001", "--to", "uit"]).ok();
    assert_eq!(
        std::fs::read(dir.join("factuur (2).pdf")).unwrap(),
        files[0]
    );
    assert!(!m.tmp.path().join("etc").exists());

    // A bijlage that is not the file its melding names is set aside; the melding and
    // its good bijlage are imported.
    let r2 = Reporter::new();
    let (mut items2, _) = melding_with_attachments(&r2, &to, "2026-11-13");
    items2[2].ciphertext =
        meldpunt_envelope::attachment::seal(b"other", std::slice::from_ref(&to)).unwrap();
    let bad = items2[2].id.clone();
    write_file(&m.path("bad.tar"), &m.inbox(&items2));
    let out = m.run(&["import", "bad.tar"]).ok();
    assert_text(
        &out.stderr,
        &format!(
            "let op: bijlage {bad} past niet bij de melding die hem noemt; apart gezet (the size differs)\nwat nu: De melding zelf is geïmporteerd; `meldpunt-keys show` toont welke bijlage ontbreekt.\n"
        ),
    );
    assert!(
        out.stdout.starts_with(
            "1 nieuwe melding geïmporteerd, 0 al aanwezig overgeslagen.\nNieuwe zaken: 2026-0002\n1 bijlagen opgeslagen.\n1 apart gezet ("
        ),
        "{}",
        out.stdout
    );
    assert_eq!(
        m.set_aside(),
        vec![(bad, "attachment-mismatch".to_string())]
    );
    let out = m.run(&["extract", "2026-0002", "--to", "x"]).ok();
    assert!(
        out.stdout
            .ends_with("1 bijlagen van zaak 2026-0002 opgeslagen in x.\n"),
        "{}",
        out.stdout
    );
    let out = m.run(&["extract", "2026-0003", "--to", "x"]).fails();
    assert!(out.stderr.starts_with("fout: er is geen zaak 2026-0003\n"));
}

#[test]
fn status_deadlines_history_notes_and_registration() {
    let m = Meldpunt::new();
    m.init();
    let to = m.recipient();
    let (a, b, c) = (Reporter::new(), Reporter::new(), Reporter::new());
    write_file(
        &m.path("in.tar"),
        &m.inbox(&[
            item(&a, &a.melding("pesten", "Eén."), &to, "2026-11-01"),
            item(
                &b,
                &b.melding("fraude-corruptie", "Twee."),
                &to,
                "2026-11-20",
            ),
            item(&c, &c.melding("overig", "Drie."), &to, "2026-07-01"),
        ]),
    );
    m.run(&["import", "in.tar"]).ok();
    // 2026-0003 was acknowledged in time by phone; 2026-0001 is overdue.
    m.run(&[
        "status",
        "2026-0003",
        "--ontvangstbevestiging",
        "2026-07-03",
    ])
    .ok();
    let out = m
        .run(&[
            "status",
            "2026-0002",
            "--afdoening",
            "doorverwezen",
            "--soort",
            "datalek-privacy",
        ])
        .ok();
    assert_text(
        &out.stdout,
        "Zaak 2026-0002 bijgewerkt (2 wijzigingen in de geschiedenis).\nAfdoening: Doorverwezen\n",
    );
    let out = m.run(&["list"]).ok();
    assert_text(
        &out.stdout,
        "\
Zaak       Ontvangen   Berichten  Reacties  Organisatie  Afdoening       Termijn                                  Soort
2026-0003  2026-07-01          1         0  leiden       In behandeling  ! terugkoppeling 50 dagen te laat        Overig
2026-0001  2026-11-01          1         0  leiden       In behandeling  ! ontvangstbevestiging 14 dagen te laat  Ongewenste omgangsvormen: pesten
2026-0002  2026-11-20          1         0  leiden       Doorverwezen    ontvangstbevestiging vóór 2026-11-27     Datalek of privacyschending

2 zaken zijn over de wettelijke termijn.
",
    );
    let out = m.run(&["list", "--overdue", "--lang", "en"]).ok();
    assert!(out.stdout.contains("! feedback 50 days late"));
    assert_eq!(
        out.stdout
            .lines()
            .filter(|l| l.starts_with("2026-"))
            .count(),
        2
    );
    let out = m.run(&["list", "--status", "gesloten"]).ok();
    assert_eq!(
        out.stdout
            .lines()
            .filter(|l| l.starts_with("2026-"))
            .count(),
        1
    );
    let out = m.run(&["list", "--organisatie", "leiderdorp"]).ok();
    assert_text(&out.stdout, "Geen zaken die aan deze keuze voldoen.\n");
    let out = m.run(&["list", "--year", "2025"]).ok();
    assert_text(&out.stdout, "Geen zaken die aan deze keuze voldoen.\n");

    // Notes: sealed, shown with the passphrase, never in the clear in the store.
    m.run_stdin(
        &["note", "2026-0002", "--lang", "en"],
        b"Gebeld met de FG: geheimnummer-42.\n",
    )
    .ok();
    let db = std::fs::read(m.dir.join("cases.db")).unwrap();
    assert!(!String::from_utf8_lossy(&db).contains("geheimnummer-42"));

    // Another channel: counts in the figures, has no reply channel.
    write_file(
        &m.path("tel.txt"),
        "Telefonische melding over een gift.\n".as_bytes(),
    );
    let out = m
        .run(&[
            "register",
            "--kanaal",
            "telefoon",
            "--organisatie",
            "leiderdorp",
            "--soort",
            "geschenken-giften",
            "--melder",
            "medewerker",
            "--ontvangen",
            "2026-11-21",
            "--file",
            "tel.txt",
        ])
        .ok();
    assert_text(&out.stdout, "Zaak 2026-0004 geregistreerd.\n");
    let out = m.run(&["reply", "2026-0004", "--file", "tel.txt"]).fails();
    assert_text(
        &out.stderr,
        "fout: zaak 2026-0004 is binnengekomen via telefoon; er is geen reactiekanaal via de server\n\
         wat nu: Neem contact op langs de weg waarlangs de melding kwam, en leg dat vast met `meldpunt-keys status`.\n",
    );
    let out = m.run(&["show", "2026-0004"]).ok();
    assert!(
        out.stdout.contains("Kanaal:               Telefoon\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(
        "--- 2026-11-21 · Melding (telefoon) ---\n\nTelefonische melding over een gift.\n"
    ));

    let out = m.run(&["show", "2026-0002"]).ok();
    assert!(out.stdout.contains("--- 2026-11-22 · Notitie (alleen voor het meldpunt) ---\n\nGebeld met de FG: geheimnummer-42.\n"), "{}", out.stdout);
    assert!(
        out.stdout.ends_with(
            "--- Geschiedenis ---\n\
         2026-11-22  zaak aangemaakt (online meldpunt)\n\
         2026-11-22  afdoening: In behandeling -> Doorverwezen\n\
         2026-11-22  soort: Fraude en corruptie -> Datalek of privacyschending\n\
         2026-11-22  notitie toegevoegd\n"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Afdoening:            Doorverwezen (2026-11-22)\n")
    );

    // Errors say what and what to do.
    let cases: &[(&[&str], &str)] = &[
        (
            &["status", "2026-0001"],
            "fout: er is niets te wijzigen opgegeven\nwat nu: Geef minstens één optie, zie `meldpunt-keys status --help`.\n",
        ),
        (
            &["status", "2026-0001", "--afdoening", "afgewezen"],
            "fout: \"afgewezen\" is geen geldige waarde voor afdoening\nwat nu: Kies een van de waarden uit `meldpunt-keys <opdracht> --help`.\n",
        ),
        (
            &["status", "2026-0001", "--terugkoppeling", "2026-02-30"],
            "fout: \"2026-02-30\" is geen geldige datum\nwat nu: Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2026-03-01, of `vandaag`.\n",
        ),
        (
            &[
                "register",
                "--kanaal",
                "duif",
                "--organisatie",
                "leiden",
                "--soort",
                "overig",
            ],
            "fout: \"duif\" is geen geldige waarde voor kanaal\nwat nu: Kies een van de waarden uit `meldpunt-keys <opdracht> --help`.\n",
        ),
        (
            &["note", "2026-0099"],
            "fout: er is geen zaak 2026-0099\nwat nu: Bekijk de zaaknummers met `meldpunt-keys list`.\n",
        ),
    ];
    for (args, expected) in cases {
        let out = m.run(args).fails();
        assert_text(&out.stderr, expected);
    }
    let out = m.run_stdin(&["note", "2026-0001"], b"  \n").fails();
    assert!(
        out.stderr
            .starts_with("fout: de tekst kan niet worden opgeslagen (")
    );
}

#[test]
fn reply_with_editor_and_standard_text() {
    let m = Meldpunt::new();
    m.init();
    let r = Reporter::new();
    m.write_inbox(&r, "pesten", "Eén.", "2026-11-20");
    m.run(&["import", "in.tar"]).ok();
    let out = m.run(&["reply", "2026-0001", "--template"]).ok();
    assert!(out.stdout.starts_with(
        "Geachte melder,\n\nWij hebben uw melding van 2026-11-20 in goede orde ontvangen."
    ));
    assert!(
        out.stdout.contains("uiterlijk op 2027-02-22"),
        "{}",
        out.stdout
    );

    // An editor that saves the standard text unchanged sends it.
    let out = run(
        m.cmd()
            .env("EDITOR", "true")
            .args(["reply", "2026-0001", "--editor"]),
        None,
    )
    .ok();
    assert_text(
        &out.stdout,
        "Reactie op zaak 2026-0001 opgeslagen; 1 klaar voor export-replies.\nDeze reactie geldt als ontvangstbevestiging zodra ze met export-replies de laptop verlaat.\n",
    );
    let shown = m.run(&["show", "2026-0001"]).ok().stdout;
    assert!(shown.contains("in goede orde ontvangen"));
    assert!(!shown.contains("# Schrijf"), "{shown}");
    // Written is not given: the ontvangstbevestiging counts once the reply leaves the
    // laptop in a replies bundle.
    assert!(
        !shown.contains("Ontvangstbevestiging: 2026-11-22"),
        "{shown}"
    );
    m.run(&["export-replies", "reacties.tar"]).ok();
    let shown = m.run(&["show", "2026-0001"]).ok().stdout;
    assert!(
        shown.contains("Ontvangstbevestiging: 2026-11-22, op tijd\n"),
        "{shown}"
    );
    // The draft does not stay behind.
    assert!(std::fs::read_dir(&m.dir).unwrap().all(|e| {
        !e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".reactie")
    }));

    // An editor that empties the file sends nothing; one that fails sends nothing.
    let out = run(
        m.cmd().env("EDITOR", "truncate -s 0").args([
            "reply",
            "2026-0001",
            "--editor",
            "--terugkoppeling",
        ]),
        None,
    )
    .fails();
    assert_text(
        &out.stderr,
        "fout: de tekst is leeg gelaten; er is niets opgeslagen\nwat nu: Schrijf de tekst en sla het bestand op voordat u de editor sluit.\n",
    );
    let out = run(
        m.cmd()
            .env("EDITOR", "false")
            .args(["reply", "2026-0001", "--editor"]),
        None,
    )
    .fails();
    assert!(out.stderr.starts_with("fout: de editor kon niet worden gestart of is met een fout gestopt (false: exit status: 1); er is niets verstuurd\n"), "{}", out.stderr);

    // Feedback from a file records the terugkoppeling.
    write_file(&m.path("t.txt"), b"Wij hebben het onderzocht.");
    let out = m
        .run(&["reply", "2026-0001", "--file", "t.txt", "--terugkoppeling"])
        .ok();
    assert!(
        out.stdout
            .ends_with("Deze reactie geldt als terugkoppeling.\n")
    );
    let shown = m.run(&["show", "2026-0001"]).ok().stdout;
    assert!(
        shown.contains("Terugkoppeling:       2026-11-22, op tijd\n"),
        "{shown}"
    );
}
