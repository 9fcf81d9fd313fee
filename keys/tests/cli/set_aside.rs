//! Items an anonymous sender can make (sealed to another key, damaged, holding no
//! valid melding, claiming another's case) are set aside, each with its reason; the
//! rest of the bundle is imported, the confirmation names both, and importing again
//! changes nothing, even in a fresh store given nothing but bad items. Only a bundle
//! whose manifest names another meldpunt, or that was changed as a whole, is refused
//! whole.

use meldpunt_envelope::bundle::{self, ItemKind, NewItem};
use meldpunt_envelope::melding;
use meldpunt_envelope::signed::SignedConfirmation;

use crate::util::*;

/// Two good meldingen and one of each kind of bad item, in that order.
pub fn poisoned(m: &Meldpunt) -> (Vec<NewItem>, Vec<(String, &'static str)>) {
    let to = m.recipient();
    let (a, b, c) = (Reporter::new(), Reporter::new(), Reporter::new());
    let good_a = item(
        &a,
        &a.melding("fraude-corruptie", "Eén."),
        &to,
        "2026-11-21",
    );
    let good_b = item(&b, &b.melding("discriminatie", "Twee."), &to, "2026-11-21");
    let stranger = age::x25519::Identity::generate().to_public();
    let foreign = item(
        &c,
        &c.melding("overig", "Verkeerd adres."),
        &stranger,
        "2026-11-21",
    );
    let mut damaged = item(&c, &c.melding("overig", "Stuk."), &to, "2026-11-21");
    let n = damaged.ciphertext.len();
    damaged.ciphertext[n - 20] ^= 1;
    let not_json = melding::seal_bytes(&[b'x'; 512], std::slice::from_ref(&to)).unwrap();
    let not_a_melding = item_bytes(&c, melding::Kind::Melding, not_json, "2026-11-21");
    let not_age = item_bytes(
        &c,
        melding::Kind::Melding,
        b"gewoon tekst".to_vec(),
        "2026-11-21",
    );
    // A melding the manifest calls a vervolg.
    let ct = melding::seal(&c.melding("overig", "Eerste."), std::slice::from_ref(&to)).unwrap();
    let wrong_kind = item_bytes(&c, melding::Kind::Vervolg, ct, "2026-11-21");
    let bad = vec![
        (foreign.id.clone(), "not-ours"),
        (damaged.id.clone(), "damaged"),
        (not_a_melding.id.clone(), "not-a-melding"),
        (not_age.id.clone(), "damaged"),
        (wrong_kind.id.clone(), "not-a-melding"),
    ];
    (
        vec![
            good_a,
            foreign,
            damaged,
            good_b,
            not_a_melding,
            not_age,
            wrong_kind,
        ],
        bad,
    )
}

fn confirmation(m: &Meldpunt, file: &str) -> SignedConfirmation {
    serde_json::from_slice(&std::fs::read(m.path(file)).unwrap()).unwrap()
}

#[test]
fn bad_items_are_set_aside_and_the_rest_imported() {
    let m = Meldpunt::new();
    let init = m.init();
    let (items, bad) = poisoned(&m);
    write_file(&m.path("in.tar"), &m.inbox(&items));
    let out = m.run(&["import", "in.tar", "--confirm", "c.json"]).ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "2 nieuwe meldingen geïmporteerd, 0 al aanwezig overgeslagen."
    );
    assert!(lines[1].starts_with("Nieuwe zaken: 2026-0001, 2026-0002"));
    assert!(
        lines[2].starts_with(
            "5 apart gezet (niet voor dit meldpunt, beschadigd of geen geldige melding)"
        ),
        "{}",
        out.stdout
    );
    assert!(
        lines[3].starts_with("Importbevestiging voor 7 berichten (5 apart gezet) geschreven naar "),
        "{}",
        out.stdout
    );
    // Each set-aside item is named with its reason and what to do, in manifest order.
    let err: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(err.len(), 10, "{}", out.stderr);
    for ((id, _), pair) in bad.iter().zip(err.chunks(2)) {
        assert!(
            pair[0].starts_with(&format!("let op: bericht {id} ")),
            "{}",
            pair[0]
        );
        assert!(pair[0].contains("; apart gezet"), "{}", pair[0]);
        assert!(pair[1].starts_with("wat nu: "), "{}", pair[1]);
    }
    assert!(err[0].ends_with("is niet versleuteld voor de sleutel van dit meldpunt; apart gezet"));
    assert!(err[4].contains("gaat open, maar is geen geldige melding; apart gezet ("));
    let expected: Vec<(String, String)> = bad
        .iter()
        .map(|(id, r)| (id.clone(), r.to_string()))
        .collect();
    assert_eq!(m.set_aside(), expected);
    // The set-aside items are kept byte for byte.
    let dump = m.store_dump();
    for it in &items {
        assert!(
            dump.contains(&hex::encode_upper(&it.ciphertext)),
            "{} is not kept",
            it.id
        );
    }

    // The confirmation names both lists, so the server deletes every item.
    let c = confirmation(&m, "c.json").importbevestiging;
    assert_eq!(c.items, vec![items[0].id.clone(), items[3].id.clone()]);
    let aside: Vec<String> = bad.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(c.set_aside, aside);
    let signing: meldpunt_envelope::keys::SigningPublicKey = init.signing_public.parse().unwrap();
    confirmation(&m, "c.json").verify(&signing).unwrap();

    // Importing again changes nothing and reports every item as already present.
    let before = m.store_dump();
    let out = m.run(&["import", "in.tar"]).ok();
    assert_text(
        &out.stdout,
        "0 nieuwe meldingen geïmporteerd, 7 al aanwezig overgeslagen.\n",
    );
    assert_eq!(out.stderr, "");
    assert_eq!(m.store_dump(), before);

    // `confirm` later makes the same lists.
    m.run(&["confirm", "in.tar", "-o", "c2.json"]).ok();
    let c2 = confirmation(&m, "c2.json").importbevestiging;
    assert_eq!((c2.items, c2.set_aside), (c.items, c.set_aside));
}

#[test]
fn a_vervolg_that_claims_another_case_is_set_aside() {
    let m = Meldpunt::new();
    m.init();
    let first = Reporter::new();
    write_file(
        &m.path("first.tar"),
        &m.inbox(&[item(
            &first,
            &first.melding("pesten", "Eerste melding."),
            &m.recipient(),
            "2026-11-20",
        )]),
    );
    m.run(&["import", "first.tar"]).ok();
    // A vervolg from one reporter, filed by the server under another reporter's case,
    // beside a good vervolg of that case.
    let other = Reporter::new();
    let moved = melding::seal(
        &other.vervolg("Dit hoort bij een andere zaak."),
        &[m.recipient()],
    )
    .unwrap();
    let moved = item_bytes(&first, melding::Kind::Vervolg, moved, "2026-11-22");
    let good = item(
        &first,
        &first.vervolg("Nog iets."),
        &m.recipient(),
        "2026-11-22",
    );
    let moved_id = moved.id.clone();
    write_file(&m.path("in.tar"), &m.inbox(&[moved, good]));
    let out = m.run(&["--lang", "en", "import", "in.tar"]).ok();
    assert!(
        out.stdout.starts_with("1 new melding imported, 0 already present skipped.\n1 set aside (not for this meldpunt, damaged or not a valid melding)"),
        "{}",
        out.stdout
    );
    assert_text(
        &out.stderr,
        &format!(
            "note: by its content, item {} does not belong to the case the bundle puts it in; set aside\n\
             what to do: The case itself is unchanged. If it happens often, tell the server's administrator.\n",
            moved_id
        ),
    );
    assert_eq!(m.set_aside(), vec![(moved_id, "wrong-case".to_string())]);
    assert!(
        !m.run(&["show", "2026-0001"])
            .ok()
            .stdout
            .contains("andere zaak")
    );
}

#[test]
fn attachments_of_a_set_aside_melding_are_set_aside() {
    let m = Meldpunt::new();
    m.init();
    let stranger = age::x25519::Identity::generate().to_public();
    let r = Reporter::new();
    let mut mm = r.melding("overig", "Met bijlage.");
    let file = b"bijlage".to_vec();
    mm.attachments.push(melding::AttachmentRef {
        name: "a.txt".into(),
        media_type: "text/plain".into(),
        size: file.len() as u64,
        sha256: meldpunt_envelope::sha256_hex(&file),
    });
    let parent = item(&r, &mm, &stranger, "2026-11-21");
    let att = NewItem {
        id: meldpunt_envelope::random_id().unwrap(),
        kind: ItemKind::Bijlage,
        parent: Some(parent.id.clone()),
        ciphertext: meldpunt_envelope::attachment::seal(&file, std::slice::from_ref(&stranger))
            .unwrap(),
        ..item_bytes(&r, melding::Kind::Melding, vec![], "2026-11-21")
    };
    let good = Reporter::new();
    let ok = item(
        &good,
        &good.melding("pesten", "Goed."),
        &m.recipient(),
        "2026-11-21",
    );
    let (parent_id, att_id) = (parent.id.clone(), att.id.clone());
    write_file(&m.path("in.tar"), &m.inbox(&[parent, att, ok]));
    let out = m.run(&["import", "in.tar"]).ok();
    assert!(
        out.stdout.starts_with("1 nieuwe melding geïmporteerd"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains(&format!(
            "let op: bijlage {} hoort bij een bericht dat apart is gezet; ook apart gezet\n",
            att_id
        )),
        "{}",
        out.stderr
    );
    assert_eq!(
        m.set_aside(),
        vec![
            (parent_id, "not-ours".to_string()),
            (att_id, "parent-set-aside".to_string())
        ]
    );
}

#[test]
fn another_meldpunts_bundle_is_refused_whole_by_its_manifest() {
    let m = Meldpunt::new();
    m.init();
    let other = Meldpunt::new();
    other.init();
    let r = Reporter::new();
    // Even an item that opens here does not make another meldpunt's bundle ours.
    let theirs = item(
        &r,
        &r.melding("pesten", "Voor een ander meldpunt."),
        &other.recipient(),
        "2026-11-21",
    );
    let opens_here = item(
        &r,
        &r.vervolg("Toch aan ons."),
        &m.recipient(),
        "2026-11-21",
    );
    write_file(&m.path("in.tar"), &other.inbox(&[theirs, opens_here]));
    let before = m.store_dump();
    let out = m.run(&["import", "in.tar", "--confirm", "c.json"]).fails();
    assert_text(
        &out.stderr,
        &format!(
            "fout: deze bundel komt van een ander meldpunt: hij noemt de ondertekensleutel {}, dit meldpunt heeft {}; er is niets geïmporteerd\n\
             wat nu: Haal de bundel op bij de server van dit meldpunt (controleer het adres en het staff-token), of kies met --dir de map van het meldpunt waar hij bij hoort. Is het toch de eigen server, zet dan in de serverconfiguratie signing_public_key op de waarde uit public.txt.\n",
            other.signing_public(),
            m.signing_public()
        ),
    );
    assert_eq!(out.stdout, "");
    assert_eq!(m.store_dump(), before);
    assert!(!m.path("c.json").exists());
    // `confirm` refuses it too, and says the same in English.
    let out = m
        .run(&["--lang", "en", "confirm", "in.tar", "-o", "c.json"])
        .fails();
    assert!(
        out.stderr.starts_with(
            "error: this bundle comes from another meldpunt: it names the signing key "
        ) && out
            .stderr
            .contains("what to do: Fetch the bundle from this meldpunt's server"),
        "{}",
        out.stderr
    );
    assert!(!m.path("c.json").exists());
    // The other meldpunt imports it: its own item, and ours set aside.
    let out = other
        .run(&["import", m.path("in.tar").to_str().unwrap()])
        .ok();
    assert!(
        out.stdout
            .starts_with("1 nieuwe melding geïmporteerd, 0 al aanwezig overgeslagen.\n"),
        "{}",
        out.stdout
    );
    assert_eq!(other.set_aside().len(), 1);
}

#[test]
fn a_fresh_store_sets_aside_a_bundle_of_only_bad_items_from_its_own_meldpunt() {
    let m = Meldpunt::new();
    m.init();
    let other = Meldpunt::new();
    other.init();
    let (items, bad) = poisoned(&m);
    // Everything but the two good meldingen (the first and the fourth).
    let only_bad: Vec<NewItem> = items
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i != 0 && *i != 3)
        .map(|(_, it)| it)
        .collect();
    write_file(&m.path("in.tar"), &m.inbox(&only_bad));
    let out = m.run(&["import", "in.tar", "--confirm", "c.json"]).ok();
    assert!(
        out.stdout.starts_with(
            "0 nieuwe meldingen geïmporteerd, 0 al aanwezig overgeslagen.\n5 apart gezet ("
        ),
        "{}",
        out.stdout
    );
    let mut aside = m.set_aside();
    aside.sort();
    let mut expected: Vec<(String, String)> = bad
        .iter()
        .map(|(id, r)| (id.clone(), r.to_string()))
        .collect();
    expected.sort();
    assert_eq!(aside, expected);
    let c = confirmation(&m, "c.json").importbevestiging;
    assert!(c.items.is_empty());
    let mut confirmed = c.set_aside.clone();
    confirmed.sort();
    let mut ids: Vec<String> = bad.iter().map(|(id, _)| id.clone()).collect();
    ids.sort();
    assert_eq!(confirmed, ids);
    // `set-aside` saves the one that opens but is no melding, and rage opens it.
    let (junk_id, _) = bad.iter().find(|(_, r)| *r == "not-a-melding").unwrap();
    m.run(&["set-aside", junk_id, "--to", "junk.age"]).ok();
    let identity = m.path("identity.txt");
    write_file(&identity, m.identity_text().as_bytes());
    let plain = rage_decrypt(&identity, &m.path("junk.age"));
    assert!(plain.windows(64).any(|w| w == [b'x'; 64]));

    // A vervolg for a known case that does not open is simply set aside.
    let mine = Reporter::new();
    write_file(
        &m.path("first.tar"),
        &m.inbox(&[item(
            &mine,
            &mine.melding("pesten", "Eerste."),
            &m.recipient(),
            "2026-11-20",
        )]),
    );
    m.run(&["import", "first.tar"]).ok();
    let odd = item(
        &mine,
        &mine.vervolg("Verkeerd verzegeld."),
        &other.recipient(),
        "2026-11-22",
    );
    let odd_id = odd.id.clone();
    write_file(&m.path("v.tar"), &m.inbox(&[odd]));
    m.run(&["import", "v.tar"]).ok();
    assert_eq!(
        m.set_aside().last().unwrap(),
        &(odd_id, "not-ours".to_string())
    );
}

#[test]
fn a_whole_bundle_that_was_changed_is_still_refused_whole() {
    let m = Meldpunt::new();
    m.init();
    let (items, _) = poisoned(&m);
    let good = m.inbox(&items);
    let before = m.store_dump();
    // The manifest's hash of one item no longer fits its bytes.
    let sha = meldpunt_envelope::sha256_hex(&items[3].ciphertext);
    let at = good
        .windows(64)
        .position(|w| w == sha.as_bytes())
        .expect("the manifest holds the hash");
    let mut changed = good.clone();
    changed[at] = if changed[at] == b'0' { b'1' } else { b'0' };
    assert!(bundle::read(&changed[..], u64::MAX).is_err());
    write_file(&m.path("in.tar"), &changed);
    let out = m.run(&["import", "in.tar"]).fails();
    assert!(
        out.stderr.starts_with("fout: ")
            && out
                .stderr
                .contains("is geen geldige meldpuntbundel; er is niets geïmporteerd"),
        "{}",
        out.stderr
    );
    assert_eq!(m.store_dump(), before);
}
