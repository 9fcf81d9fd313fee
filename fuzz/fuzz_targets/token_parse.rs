//! A typed token never panics the parser, and what parses displays and parses back.
#![no_main]
use libfuzzer_sys::fuzz_target;
use meldpunt_envelope::token::ReplyToken;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(t) = ReplyToken::parse(s) {
            assert_eq!(ReplyToken::parse(&t.display()).unwrap(), t);
        }
    }
});
