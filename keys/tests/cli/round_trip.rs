//! The whole way without a server: meldingen in, replies out, opened as the browser does.

use meldpunt_envelope::bundle::{self, BundleKind, ItemKind};
use meldpunt_envelope::keys::SigningPublicKey;
use meldpunt_envelope::melding::AttachmentRef;

use crate::util::*;

#[test]
fn meldingen_in_replies_out() {
    let m = Meldpunt::new();
    let init = m.init();
    let to = m.recipient();

    let anna = Reporter::new();
    let mut first = anna.melding(
        "fraude-corruptie",
        "De wethouder kreeg een auto van de aannemer.",
    );
    first.over_wie = Some("bestuurder".into());
    first.melder = Some("inwoner".into());
    first.wanneer_waar = Some("maart, stadhuis".into());
    first.attachments.push(AttachmentRef {
        name: "factuur.pdf".into(),
        media_type: "application/pdf".into(),
        size: 1234,
        sha256: "ab".repeat(32),
    });
    let bob = Reporter::new();
    let old = Reporter::new();
    let items = vec![
        item(
            &old,
            &old.melding("geschenken-giften", "Een kerstpakket van een leverancier."),
            &to,
            "2024-12-30",
        ),
        item(&anna, &first, &to, "2025-03-10"),
        item(
            &bob,
            &bob.melding("pesten", "Mijn leidinggevende \u{1b}[31mpest\u{1b}[0m mij."),
            &to,
            "2025-03-11",
        ),
    ];
    write_file(&m.path("inbox1.tar"), &m.inbox(&items));
    let out = m.run(&["import", "inbox1.tar"]).ok();
    assert_text(
        &out.stdout,
        "3 nieuwe meldingen geïmporteerd, 0 al aanwezig overgeslagen.\nNieuwe zaken: 2024-0001, 2025-0001, 2025-0002\n",
    );

    // The same bundle again, plus one with a vervolg and one item seen before.
    let out = m.run(&["import", "inbox1.tar"]).ok();
    assert_text(
        &out.stdout,
        "0 nieuwe meldingen geïmporteerd, 3 al aanwezig overgeslagen.\n",
    );
    let vervolg = item(
        &anna,
        &anna.vervolg("Er was ook een tweede auto."),
        &to,
        "2025-03-12",
    );
    let seen = bundle::read(&m.inbox(&items)[..], u64::MAX).unwrap().items;
    let again = meldpunt_envelope::bundle::NewItem {
        id: seen[1].0.id.clone(),
        kind: ItemKind::Melding,
        lookup_hash: anna.lookup_hash(),
        organisatie: Some("leiden".into()),
        received: Some("2025-03-10".into()),
        signature: None,
        parent: None,
        ciphertext: seen[1].1.clone(),
    };
    write_file(&m.path("inbox2.tar"), &m.inbox(&[again, vervolg]));
    let out = m.run(&["import", "inbox2.tar"]).ok();
    assert_text(
        &out.stdout,
        "1 nieuwe melding geïmporteerd, 1 al aanwezig overgeslagen.\n",
    );

    let out = m.run(&["list"]).ok();
    assert_text(
        &out.stdout,
        "\
Zaak       Ontvangen   Berichten  Reacties  Organisatie  Afdoening       Termijn                                   Soort
2024-0001  2024-12-30          1         0  leiden       In behandeling  ! ontvangstbevestiging 685 dagen te laat  Geschenken en giften
2025-0001  2025-03-10          2         0  leiden       In behandeling  ! ontvangstbevestiging 615 dagen te laat  Fraude en corruptie
2025-0002  2025-03-11          1         0  leiden       In behandeling  ! ontvangstbevestiging 614 dagen te laat  Ongewenste omgangsvormen: pesten

3 zaken zijn over de wettelijke termijn.
",
    );

    // Replies: from a file, and from standard input.
    std::fs::write(
        m.path("antwoord.txt"),
        "Dank voor uw melding. Wij zoeken het uit.\n",
    )
    .unwrap();
    let out = m
        .run(&["reply", "2025-0001", "--file", "antwoord.txt"])
        .ok();
    assert_text(
        &out.stdout,
        "Reactie op zaak 2025-0001 opgeslagen; 1 klaar voor export-replies.\nDeze reactie geldt als ontvangstbevestiging zodra ze met export-replies de laptop verlaat.\n",
    );
    let out = m
        .run_stdin(
            &["reply", "2025-0002"],
            "Wij nemen contact op met uw afdeling.\n".as_bytes(),
        )
        .ok();
    assert_text(
        &out.stdout,
        "Reactie op zaak 2025-0002 opgeslagen; 2 klaar voor export-replies.\nDeze reactie geldt als ontvangstbevestiging zodra ze met export-replies de laptop verlaat.\n",
    );

    let out = m.run(&["show", "2025-0001"]).ok();
    let today = out
        .stdout
        .lines()
        .find(|l| l.contains("Reactie van het meldpunt"))
        .unwrap()[4..14]
        .to_string();
    assert_text(
        &out.stdout.replace(&today, "<TODAY>"),
        &format!(
            "\
Zaak 2025-0001
Organisatie:          leiden
Ontvangen:            2025-03-10
Afdoening:            In behandeling
Ontvangstbevestiging: uiterlijk 2025-03-17: 615 dagen te laat
Terugkoppeling:       uiterlijk 2025-06-17: 523 dagen te laat
Soort melding:        Fraude en corruptie
Over wie:             Een bestuurder (politieke ambtsdrager)
Melder:               Inwoner

--- 2025-03-10 · Melding ---
Wanneer en waar:      maart, stadhuis
Bijlage:              factuur.pdf (application/pdf, 1234 bytes, sha256 {}; niet ontvangen)

De wethouder kreeg een auto van de aannemer.

--- 2025-03-12 · Vervolgbericht van de melder ---

Er was ook een tweede auto.

--- <TODAY> · Reactie van het meldpunt (nog niet geëxporteerd) ---

Dank voor uw melding. Wij zoeken het uit.

--- Geschiedenis ---
<TODAY>  zaak aangemaakt (online meldpunt)
<TODAY>  vervolgbericht geïmporteerd (ontvangen 2025-03-12)
<TODAY>  reactie geschreven
",
            "ab".repeat(32)
        ),
    );
    // A reporter's escape sequences never reach the terminal.
    let out = m.run(&["show", "2025-0002"]).ok();
    assert!(
        out.stdout
            .contains("Mijn leidinggevende \u{fffd}[31mpest\u{fffd}[0m mij."),
        "{}",
        out.stdout
    );
    let out = m.run(&["--lang", "en", "show", "2025-0002"]).ok();
    assert!(out.stdout.starts_with("Case 2025-0002\nOrganisation:         leiden\nReceived:             2025-03-11\nOutcome:              In progress\nAcknowledgement:      due 2025-03-18: 614 days late\n"), "{}", out.stdout);

    // Export, then read the bundle as the server and open each reply as the browser.
    let out = m.run(&["export-replies", "replies.tar"]).ok();
    assert_text(
        &m.redact(&out.stdout),
        "2 reacties geschreven naar replies.tar.\n",
    );
    let b = bundle::read(&std::fs::read(m.path("replies.tar")).unwrap()[..], u64::MAX).unwrap();
    assert_eq!(b.manifest.kind, BundleKind::Replies);
    assert_eq!(b.items.len(), 2);
    let key: SigningPublicKey = init.signing_public.parse().unwrap();
    for ((line, ct), (reporter, text)) in b.items.iter().zip([
        (&anna, "Dank voor uw melding. Wij zoeken het uit."),
        (&bob, "Wij nemen contact op met uw afdeling."),
    ]) {
        assert_eq!(line.kind, ItemKind::Reactie);
        assert_eq!(line.lookup_hash_bytes().unwrap(), reporter.lookup_hash());
        let sig = line.signature_bytes().unwrap();
        // As the browser does: from the token the reporter typed in.
        let typed = reporter.token.display().to_lowercase();
        let keys = meldpunt_envelope::token::ReplyToken::parse(&typed)
            .unwrap()
            .derive();
        let reply = meldpunt_envelope::reply::verify_and_open(&key, &keys, ct, &sig).unwrap();
        assert_eq!(reply.text, text);
        assert_eq!(reply.day, today);
        // The other reporter's token opens nothing.
        let other = if std::ptr::eq(reporter, &anna) {
            &bob
        } else {
            &anna
        };
        assert!(meldpunt_envelope::reply::verify_and_open(&key, &other.keys, ct, &sig).is_err());
    }

    // Now that the replies have left the laptop, the ontvangstbevestiging is given.
    let shown = m.run(&["show", "2025-0001"]).ok().stdout;
    assert!(
        shown.contains(&format!("Ontvangstbevestiging: {today}, te laat\n")),
        "{shown}"
    );

    // Exported once: nothing new, no file; --all writes them again; never overwrite.
    let out = m.run(&["export-replies", "again.tar"]).ok();
    assert_text(
        &out.stdout,
        "Er zijn geen nieuwe reacties om te exporteren; er is geen bestand gemaakt.\n",
    );
    assert!(!m.path("again.tar").exists());
    let out = m.run(&["export-replies", "replies.tar", "--all"]).fails();
    assert_text(
        &m.redact(&out.stderr),
        "fout: replies.tar bestaat al en wordt niet overschreven\nwat nu: Kies een andere bestandsnaam.\n",
    );
    let out = m.run(&["export-replies", "all.tar", "--all"]).ok();
    assert_text(&out.stdout, "2 reacties geschreven naar all.tar.\n");
    assert_eq!(
        bundle::read(&std::fs::read(m.path("all.tar")).unwrap()[..], u64::MAX)
            .unwrap()
            .items
            .len(),
        2
    );

    let out = m.run(&["show", "2025-0001"]).ok();
    assert!(
        out.stdout
            .contains(&format!("Reactie van het meldpunt (geëxporteerd {today})"))
    );
    let out = m.run(&["list"]).ok();
    assert!(
        out.stdout
            .contains("2025-0001  2025-03-10          2         1  leiden"),
        "{}",
        out.stdout
    );
}

#[test]
fn reply_errors() {
    let m = Meldpunt::new();
    m.init();
    let out = m.run(&["reply", "2026-0099", "--file", "x.txt"]).fails();
    assert_text(
        &out.stderr,
        "fout: er is geen zaak 2026-0099\nwat nu: Bekijk de zaaknummers met `meldpunt-keys list`.\n",
    );
    let out = m.run(&["--lang", "en", "show", "2026-0099"]).fails();
    assert_text(
        &out.stderr,
        "error: there is no case 2026-0099\nwhat to do: See the case numbers with `meldpunt-keys list`.\n",
    );

    let r = Reporter::new();
    m.write_inbox(&r, "overig", "Iets.", "2025-03-12");
    m.run(&["import", "in.tar"]).ok();
    let out = m.run_stdin(&["reply", "2025-0001"], b"  \n\n").fails();
    assert_text(
        &out.stderr,
        "fout: de reactie kan niet worden verstuurd (the reply is not valid: the text is empty)\n\
         wat nu: Schrijf een niet-lege tekst van hooguit 256 KiB en probeer het opnieuw.\n",
    );
    let out = m.run(&["export-replies", "none.tar"]).ok();
    assert!(out.stdout.starts_with("Er zijn geen nieuwe reacties"));
}
