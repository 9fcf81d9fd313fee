//! Writes a fresh set of test vectors to stdout. The committed `vectors/v1.json`
//! is the reference; run this only when the format changes on purpose.
fn main() {
    let v = meldpunt_envelope::vectors::make().expect("making vectors");
    println!(
        "{}",
        serde_json::to_string_pretty(&v).expect("serialising vectors")
    );
}
