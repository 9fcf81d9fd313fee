//! Bundles come off a USB stick or an upload: reading never panics, and is bounded.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = meldpunt_envelope::bundle::read(data, 1 << 20);
});
