//! Bundles that must be refused whole, each leaving the case store as it was: those
//! changed or damaged as a whole, of the wrong kind, or repeating an id with other
//! content. Single bad items are set aside instead (`set_aside.rs`).

use meldpunt_envelope::bundle::{self, BundleKind, ItemKind, NewItem};
use meldpunt_envelope::melding;

use crate::util::*;

/// A meldpunt with one case already imported, so "unchanged" means something.
fn with_one_case() -> (Meldpunt, Reporter) {
    let m = Meldpunt::new();
    m.init();
    let r = Reporter::new();
    write_file(
        &m.path("first.tar"),
        &m.inbox(&[item(
            &r,
            &r.melding("pesten", "Eerste melding."),
            &m.recipient(),
            "2026-11-20",
        )]),
    );
    m.run(&["import", "first.tar"]).ok();
    (m, r)
}

/// Imports `data` and checks it fails with `expected` (after `<TMP>` redaction) as
/// the first line of stderr and leaves the store unchanged.
#[track_caller]
fn refused(m: &Meldpunt, data: Option<&[u8]>, expected_first_line: &str, expected_todo: &str) {
    let path = m.path("bundle.tar");
    let _ = std::fs::remove_file(&path);
    if let Some(d) = data {
        write_file(&path, d);
    }
    let before = m.store_dump();
    let out = m.run(&["import", "bundle.tar"]).fails();
    let err = m.redact(&out.stderr);
    let mut lines = err.lines();
    let first = lines.next().unwrap_or_default();
    assert!(
        first.starts_with(expected_first_line),
        "expected {expected_first_line:?}\nactual   {first:?}"
    );
    assert_eq!(lines.next().unwrap_or_default(), expected_todo);
    assert_eq!(out.stdout, "");
    assert_eq!(m.store_dump(), before, "the case store changed");
}

const FETCH_AGAIN: &str =
    "wat nu: Haal de bundel opnieuw op van de online machine en importeer hem nog eens.";
const CHECK_SERVER: &str = "wat nu: Controleer of de bundel van de server van dit meldpunt komt; meld het aan de beheerder als dat zo is.";

fn good_pair(m: &Meldpunt) -> Vec<NewItem> {
    let a = Reporter::new();
    let b = Reporter::new();
    vec![
        item(
            &a,
            &a.melding("fraude-corruptie", "Eén."),
            &m.recipient(),
            "2026-11-21",
        ),
        item(
            &b,
            &b.melding("discriminatie", "Twee."),
            &m.recipient(),
            "2026-11-21",
        ),
    ]
}

#[test]
fn tampered_item_is_refused() {
    let (m, _) = with_one_case();
    let mut data = m.inbox(&good_pair(&m));
    // A byte inside the second item's age payload: the manifest's hash no longer fits.
    let pos = data
        .windows(21)
        .rposition(|w| w == b"age-encryption.org/v1")
        .unwrap();
    data[pos + 300] ^= 1;
    refused(
        &m,
        Some(&data),
        "fout: bundle.tar is geen geldige meldpuntbundel; er is niets geïmporteerd (item ",
        FETCH_AGAIN,
    );
}

#[test]
fn truncated_bundle_is_refused() {
    let (m, _) = with_one_case();
    let data = m.inbox(&good_pair(&m));
    refused(
        &m,
        Some(&data[..data.len() * 2 / 3]),
        "fout: bundle.tar is geen geldige meldpuntbundel; er is niets geïmporteerd (",
        FETCH_AGAIN,
    );
}

#[test]
fn replies_bundle_is_refused() {
    let (m, r) = with_one_case();
    let key = meldpunt_envelope::keys::SigningSecretKey::generate().unwrap();
    let reply = meldpunt_envelope::reply::ReplyText::new("2026-11-22", "Dank.");
    let sealed = meldpunt_envelope::reply::seal_and_sign(
        &reply,
        &r.keys.reply_recipient(),
        &r.lookup_hash(),
        &key,
    )
    .unwrap();
    let data = bundle::write(
        Vec::new(),
        BundleKind::Replies,
        None,
        "2026-11-22",
        &[NewItem {
            id: meldpunt_envelope::random_id().unwrap(),
            kind: ItemKind::Reactie,
            lookup_hash: r.lookup_hash(),
            organisatie: None,
            received: None,
            signature: Some(sealed.signature),
            parent: None,
            ciphertext: sealed.ciphertext,
        }],
    )
    .unwrap();
    refused(
        &m,
        Some(&data),
        "fout: bundle.tar is een bundel met reacties, geen bundel met meldingen; er is niets geïmporteerd",
        "wat nu: Reactiebundels gaan naar de server; importeer hier de bundel die de server exporteert.",
    );
}

#[test]
fn non_tar_and_missing_files_are_refused() {
    let (m, _) = with_one_case();
    refused(
        &m,
        Some(b"Dit is geen tar-archief, maar een boodschappenlijst.\n"),
        "fout: bundle.tar is geen geldige meldpuntbundel; er is niets geïmporteerd (",
        FETCH_AGAIN,
    );
    refused(
        &m,
        None,
        "fout: het bestand bundle.tar bestaat niet",
        "wat nu: Controleer de naam en of de USB-stick aangesloten is.",
    );
}

#[test]
fn english_refusal() {
    let (m, _) = with_one_case();
    write_file(&m.path("bundle.tar"), b"nope");
    let before = m.store_dump();
    let out = m.run(&["--lang", "en", "import", "bundle.tar"]).fails();
    let err = m.redact(&out.stderr);
    assert!(
        err.starts_with("error: bundle.tar is not a valid meldpunt bundle; nothing was imported ("),
        "{err}"
    );
    assert!(err.ends_with("\nwhat to do: Fetch the bundle from the online machine again and import it once more.\n"), "{err}");
    assert_eq!(m.store_dump(), before);
}

#[test]
fn known_id_with_other_content_is_refused() {
    let (m, r) = with_one_case();
    let mut first =
        bundle::read(&std::fs::read(m.path("first.tar")).unwrap()[..], u64::MAX).unwrap();
    let (line, _) = first.items.remove(0);
    let other = melding::seal(
        &r.melding("pesten", "Eerste melding, maar anders."),
        &[m.recipient()],
    )
    .unwrap();
    let mut it = item_bytes(&r, melding::Kind::Melding, other, "2026-11-20");
    it.id = line.id.clone();
    let fresh = Reporter::new();
    let new_one = item(
        &fresh,
        &fresh.melding("overig", "Nieuw."),
        &m.recipient(),
        "2026-11-21",
    );
    refused(
        &m,
        Some(&m.inbox(&[new_one, it])),
        &format!(
            "fout: bericht {} is al geïmporteerd, maar met een andere inhoud of bij een andere zaak; er is niets geïmporteerd",
            line.id
        ),
        CHECK_SERVER,
    );
}
