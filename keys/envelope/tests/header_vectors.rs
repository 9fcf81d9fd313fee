//! The age header vectors in `vectors/header/`: one file per case, a few `key: value`
//! lines (`expect:` is `ok` or the name of the `HeaderError`; for `ok`, `x25519:` and
//! `grease:`), a blank line, then the bytes the parser reads. Every file is run.

use meldpunt_envelope::header;

#[test]
fn header_vectors() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/header");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    assert!(names.len() >= 20, "the vectors are missing");
    let (mut ok, mut refused) = (0, 0);
    for path in names {
        let data = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let split = data
            .windows(2)
            .position(|w| w == b"\n\n")
            .unwrap_or_else(|| panic!("{name}: no blank line after the fields"));
        let fields = std::str::from_utf8(&data[..split]).unwrap();
        let input = &data[split + 2..];
        let field = |k: &str| {
            fields
                .lines()
                .find_map(|l| l.strip_prefix(k).and_then(|v| v.strip_prefix(": ")))
                .unwrap_or_else(|| panic!("{name}: no {k}"))
        };
        let got = header::parse(input);
        match field("expect") {
            "ok" => {
                let h = got.unwrap_or_else(|e| panic!("{name}: refused: {e}"));
                assert_eq!(h.x25519.to_string(), field("x25519"), "{name}");
                assert_eq!(h.grease, field("grease") == "yes", "{name}");
                // The header ends with the MAC line's newline.
                let head = &input[..h.len];
                let last = head[..h.len - 1].rsplit(|&b| b == b'\n').next().unwrap();
                assert!(head.ends_with(b"\n") && last.starts_with(b"--- "), "{name}");
                ok += 1;
            }
            want => {
                let e = got.expect_err(&name);
                assert_eq!(format!("{e:?}"), want, "{name}");
                refused += 1;
            }
        }
    }
    assert!(ok >= 3 && refused >= 15);
}
