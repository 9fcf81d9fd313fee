//! The committed vectors pass natively (the WASM build runs the same checker under node).

#[test]
fn committed_vectors_pass() {
    let json = include_str!("../vectors/v1.json");
    let n = meldpunt_envelope::vectors::check_all(json).expect("vectors pass");
    assert!(n >= 20, "only {n} vectors checked");
}

#[test]
fn a_changed_vector_fails() {
    let json = include_str!("../vectors/v1.json");
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["tokens"][0]["lookup_hash"] = serde_json::Value::String("00".repeat(32));
    assert!(meldpunt_envelope::vectors::check_all(&v.to_string()).is_err());
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["replies"][1]["text"] = v["replies"][0]["text"].clone();
    assert!(meldpunt_envelope::vectors::check_all(&v.to_string()).is_err());
}
