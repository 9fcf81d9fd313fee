//! Untrusted plaintext after decryption: unpadding and parsing never panic, and what is
//! accepted re-encodes to the same bytes (one plaintext, one encoding).
#![no_main]
use libfuzzer_sys::fuzz_target;
use meldpunt_envelope::melding::Melding;

fuzz_target!(|data: &[u8]| {
    let _ = meldpunt_envelope::padding::unpad(data);
    let _ = meldpunt_envelope::melding::check_age_header(data);
    if let Ok(m) = Melding::from_padded(data) {
        let again = m.to_padded().expect("a parsed melding pads");
        assert_eq!(Melding::from_padded(&again).unwrap(), m);
    }
});
