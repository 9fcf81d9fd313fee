//! Receipts and import confirmations arrive as JSON: parsing and verifying never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use meldpunt_envelope::signed::{SignedConfirmation, SignedReceipt};

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = serde_json::from_slice::<SignedReceipt>(data) {
        let _ = r.verify(None);
    }
    if let Ok(c) = serde_json::from_slice::<SignedConfirmation>(data) {
        let key = meldpunt_envelope::keys::SigningSecretKey::from_seed(&[7; 32]).public();
        let _ = c.verify(&key);
    }
});
