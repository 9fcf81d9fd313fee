//! Data-driven vectors: every file in `tests/vectors/` (real files exiftool wrote
//! metadata into, see `files.rs`) with a `.expect` beside it naming what `clean`
//! reports, and a `.cleaned` with the exact bytes it must return (absent when the
//! file comes back unchanged). `UPDATE_VECTORS=1` rewrites the expectations.

use meldpunt_clean::{clean, inspect};
use std::path::Path;

fn expectation(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let c = clean(name, "", bytes);
    let removed: Vec<&str> = c.removed.iter().map(|m| m.code()).collect();
    let text = format!(
        "removed: {}\ncould-not-check: {}\n",
        removed.join(" "),
        c.could_not_check.map_or("-", |r| r.code())
    );
    (text, c.bytes.into_owned())
}

#[test]
fn vectors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let update = std::env::var_os("UPDATE_VECTORS").is_some();
    let mut checked = 0;
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for path in names {
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name.ends_with(".expect") || name.ends_with(".cleaned") {
            continue;
        }
        let input = std::fs::read(&path).unwrap();
        let (text, bytes) = expectation(&name, &input);
        let expect_path = dir.join(format!("{name}.expect"));
        let cleaned_path = dir.join(format!("{name}.cleaned"));
        if update {
            std::fs::write(&expect_path, &text).unwrap();
            if bytes != input {
                std::fs::write(&cleaned_path, &bytes).unwrap();
            } else {
                let _ = std::fs::remove_file(&cleaned_path);
            }
        }
        assert_eq!(
            text,
            std::fs::read_to_string(&expect_path).unwrap(),
            "{name}"
        );
        let want = std::fs::read(&cleaned_path).unwrap_or(input.clone());
        assert!(
            bytes == want,
            "{name}: cleaned bytes differ from {}",
            cleaned_path.display()
        );
        // What the laptop finds in the original is what the page removed; in the
        // cleaned file it finds nothing.
        let i = inspect(&name, &input);
        if i.could_not_check.is_none() {
            assert_eq!(
                text.lines().next().unwrap(),
                format!(
                    "removed: {}",
                    i.found
                        .iter()
                        .map(|m| m.code())
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            );
            assert_eq!(inspect(&name, &bytes).found, vec![], "{name}");
        }
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} vectors in {}", dir.display());
}
