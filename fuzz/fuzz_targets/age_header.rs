//! The age header as the intake server reads it from an anonymous upload: parsing
//! never panics, never reads past the cap, and what it accepts is consistent (a
//! header that ends where it says, with at least one X25519 stanza); the payload
//! length check never panics either.
#![no_main]
use libfuzzer_sys::fuzz_target;
use meldpunt_envelope::header;

fuzz_target!(|data: &[u8]| {
    if let Ok(h) = header::parse(data) {
        assert!(h.x25519 >= 1 && h.x25519 <= header::MAX_STANZAS);
        assert!(h.len <= data.len() && h.len <= header::MAX_HEADER);
        assert_eq!(data[h.len - 1], b'\n');
        // The same bytes, cut right after the header, parse the same.
        assert_eq!(header::parse(&data[..h.len]), Ok(h));
        let _ = header::check_payload_len(data.len() as u64, h.len);
    }
});
