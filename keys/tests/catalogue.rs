//! The catalogue (`keys/i18n/{nl,en}/meldpunt-keys.ftl`) is complete: both languages
//! have every message, and every message id the code uses exists.

use std::collections::BTreeSet;
use std::path::Path;

use meldpunt_keys::i18n::{EN_FILE, NL_FILE, ids, text};
use meldpunt_keys::lang::Lang;

fn set(file: &str) -> BTreeSet<String> {
    ids(file).map(str::to_string).collect()
}

/// Every `"id"` in `tr!(…, "id"…)`, `text(…, "id"…)` and the help table of the sources.
fn used_ids() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.ends_with("i18n.rs") {
                continue; // its docs show the form with a placeholder id
            }
            let src = std::fs::read_to_string(&p).unwrap();
            // `tr!(lang, "id"`, `text(lang, "id"` and the help table's `("sub", "arg", "id")`.
            for call in ["tr!(", "text(", "(\""] {
                for (i, _) in src.match_indices(call) {
                    let word_before = src[..i]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_');
                    if word_before {
                        continue;
                    }
                    let rest = &src[i + call.len()..];
                    let args = if call == "(\"" {
                        // Skip the two strings before the id.
                        rest.splitn(4, '"').nth(3).map(str::to_string)
                    } else {
                        rest.split_once(',').map(|(_, r)| r.to_string())
                    };
                    let Some(args) = args else { continue };
                    let args = args.trim_start().trim_start_matches(", ").trim_start();
                    let Some(body) = args.strip_prefix('"') else {
                        continue;
                    };
                    let id = &body[..body.find('"').unwrap_or(0)];
                    let looks = !id.is_empty()
                        && id
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                    if looks && (call != "(\"" || id.starts_with("help-")) {
                        out.insert(id.to_string());
                    }
                }
            }
        }
    }
    out
}

#[test]
fn both_languages_have_every_message() {
    let (nl, en) = (set(NL_FILE), set(EN_FILE));
    assert!(nl.len() > 250, "only {} messages in nl", nl.len());
    let only_nl: Vec<_> = nl.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&nl).collect();
    assert!(only_nl.is_empty(), "missing in en: {only_nl:?}");
    assert!(only_en.is_empty(), "missing in nl: {only_en:?}");
}

#[test]
fn every_id_the_code_uses_exists() {
    let used = used_ids();
    assert!(
        used.len() > 250,
        "found only {} ids in the code",
        used.len()
    );
    let (nl, en) = (set(NL_FILE), set(EN_FILE));
    let missing: Vec<_> = used
        .iter()
        .filter(|id| !nl.contains(*id) || !en.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "ids used but not in the catalogue: {missing:?}"
    );
}

#[test]
fn messages_come_out_as_written() {
    // No isolation marks, arguments in place, newlines kept.
    assert_eq!(
        text(
            Lang::Nl,
            "err-is-not-a-valid-date",
            &[("v", "\"x\"".into())]
        ),
        "\"x\" is geen geldige datum"
    );
    assert_eq!(
        text(
            Lang::En,
            "list-late",
            &[
                ("what", "feedback".into()),
                ("n", "1".into()),
                ("plural", "one".into())
            ]
        ),
        "! feedback 1 day late"
    );
    assert_eq!(
        text(
            Lang::Nl,
            "list-late",
            &[
                ("what", "x".into()),
                ("n", "3".into()),
                ("plural", "other".into())
            ]
        ),
        "! x 3 dagen te laat"
    );
    assert!(text(Lang::En, "init-access-code-for-the-staff", &[]).ends_with("machine:\n\n"));
    let flat = text(Lang::Nl, "init-identity-age-secret-key-that", &[]);
    assert!(
        flat.starts_with("  identity.age  geheime sleutel"),
        "{flat:?}"
    );
    assert!(flat.contains("achter slot.\n\nZet dit"), "{flat:?}");
}
