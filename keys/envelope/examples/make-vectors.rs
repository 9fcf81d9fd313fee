//! Writes a fresh set of test vectors to stdout. The committed `vectors/v1.json`
//! is the reference; run this only when the format changes on purpose.
//! `-- --pow` prints only the proof-of-work vectors (deterministic), to add them to
//! the committed file without remaking the others.
fn main() {
    if std::env::args().any(|a| a == "--pow") {
        let v = meldpunt_envelope::vectors::make_pow();
        println!(
            "{}",
            serde_json::to_string_pretty(&v).expect("serialising vectors")
        );
        return;
    }
    let v = meldpunt_envelope::vectors::make().expect("making vectors");
    println!(
        "{}",
        serde_json::to_string_pretty(&v).expect("serialising vectors")
    );
}
