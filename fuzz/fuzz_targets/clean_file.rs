//! A reporter's file (in the browser) or an attachment (on the laptop): cleaning and
//! inspecting never panic, and cleaning a cleaned file changes nothing more.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let c = meldpunt_clean::clean("file", "", data);
    let _ = meldpunt_clean::inspect("file", data);
    if c.could_not_check.is_none() {
        let again = meldpunt_clean::clean("file", "", &c.bytes);
        assert_eq!(again.bytes, c.bytes);
        assert!(again.removed.is_empty());
    }
});
