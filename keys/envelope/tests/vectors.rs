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

#[test]
fn a_changed_proof_of_work_vector_fails() {
    let json = include_str!("../vectors/v1.json");
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert!(v["pow"].as_array().is_some_and(|p| p.len() >= 5));
    for (i, field) in [(0, "hash"), (1, "binding"), (2, "valid"), (3, "proof")] {
        let mut v = v.clone();
        v["pow"][i][field] = match field {
            "valid" => serde_json::Value::Bool(!v["pow"][i]["valid"].as_bool().unwrap()),
            "proof" => {
                let p = v["pow"][i]["proof"].as_str().unwrap();
                serde_json::Value::String(p.replacen(":20:", ":21:", 1).replacen(":30:", ":31:", 1))
            }
            _ => serde_json::Value::String("00".repeat(32)),
        };
        assert!(
            meldpunt_envelope::vectors::check_all(&v.to_string()).is_err(),
            "pow[{i}].{field}"
        );
    }
}
