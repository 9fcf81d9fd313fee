//! The age v1 header, read without any key: what the intake server can check about a
//! sealed melding, follow-up or attachment before it stores it.
//!
//! Meldpunt seals to X25519 recipients only, so a well-formed file has the version
//! line, one `X25519` stanza per recipient of the organisation, possibly one grease
//! stanza (the `age` crate adds a random stanza whose tag ends in `-grease` to every
//! header it writes, to keep parsers honest), and the `---` line with a 32-byte MAC.
//! The MAC itself can only be verified with the file key, so here it is checked for
//! its form only. The payload after the header is checked for a length that a
//! complete age STREAM can have (a truncated file is refused).
//!
//! Parsing follows the age specification (age-encryption.org/v1): every line ends in
//! `\n`, arguments are 1*VCHAR separated by single spaces, bodies are canonical
//! unpadded base64 in lines of 64 characters ending with a shorter (possibly empty)
//! line.

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;

/// The first line of every age v1 file.
pub const VERSION_LINE: &[u8] = b"age-encryption.org/v1\n";
/// Most recipient stanzas a header may hold. No organisation has this many
/// recipients; the cap keeps the parser's work bounded on hostile input.
pub const MAX_STANZAS: usize = 64;
/// Longest header accepted (the server reads at most this much before checking).
pub const MAX_HEADER: usize = 64 << 10;
/// Bytes of a payload chunk's plaintext, and its tag.
const CHUNK: u64 = 64 << 10;
const TAG: u64 = 16;
const NONCE: u64 = 16;

/// What is wrong with a header. Each is a fixed reason, never a piece of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HeaderError {
    #[error("it does not start with the age v1 version line")]
    NotAge,
    #[error("it is ASCII-armored; send the binary form")]
    Armored,
    #[error("the header ends before its MAC line")]
    Truncated,
    #[error("the header is longer than allowed")]
    TooLong,
    #[error("a recipient stanza is not well-formed")]
    MalformedStanza,
    #[error("it is sealed with a passphrase, not to the meldpunt's keys")]
    Passphrase,
    #[error("a recipient stanza is not X25519")]
    NotX25519,
    #[error("an X25519 stanza is not well-formed")]
    MalformedX25519,
    #[error("there is more than one grease stanza")]
    TooMuchGrease,
    #[error("there are too many recipient stanzas")]
    TooManyStanzas,
    #[error("there is no recipient stanza")]
    NoRecipients,
    #[error("the MAC line is not `---` and a 32-byte base64 MAC")]
    MalformedMac,
    #[error("the payload's length is not that of a complete age file")]
    PayloadLength,
}

/// A header that passed every check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// The number of X25519 recipient stanzas.
    pub x25519: usize,
    /// Whether a grease stanza was present (0 or 1).
    pub grease: bool,
    /// Bytes of the header, up to and including the MAC line's newline.
    pub len: usize,
}

/// Reads and checks the header at the start of `file`. `file` may be only a prefix
/// of the file (at least the whole header); the payload is not looked at.
pub fn parse(file: &[u8]) -> Result<Header, HeaderError> {
    if file.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----") {
        return Err(HeaderError::Armored);
    }
    if !file.starts_with(VERSION_LINE) && !VERSION_LINE.starts_with(file) {
        return Err(HeaderError::NotAge);
    }
    let mut r = Lines { buf: file, pos: 0 };
    r.line()?; // the version line, checked above
    let mut x25519 = 0usize;
    let mut grease = false;
    let mut stanzas = 0usize;
    loop {
        let line = r.line()?;
        if let Some(mac) = line.strip_prefix(b"--- ") {
            let mut out = [0u8; 32];
            match STANDARD_NO_PAD.decode_slice(mac, &mut out) {
                Ok(32) if mac.len() == 43 => {}
                _ => return Err(HeaderError::MalformedMac),
            }
            break;
        }
        if line.starts_with(b"---") {
            return Err(HeaderError::MalformedMac);
        }
        let Some(first) = line.strip_prefix(b"-> ") else {
            return Err(HeaderError::MalformedStanza);
        };
        stanzas += 1;
        if stanzas > MAX_STANZAS {
            return Err(HeaderError::TooManyStanzas);
        }
        let args: Vec<&[u8]> = first.split(|&b| b == b' ').collect();
        if args.iter().any(|a| !is_arbitrary_string(a)) {
            return Err(HeaderError::MalformedStanza);
        }
        let body = r.body()?;
        let (tag, rest) = (args[0], &args[1..]);
        if tag == b"X25519" {
            let mut share = [0u8; 32];
            let share_ok = rest.len() == 1
                && rest[0].len() == 43
                && matches!(STANDARD_NO_PAD.decode_slice(rest[0], &mut share), Ok(32));
            if !share_ok || body != 32 {
                return Err(HeaderError::MalformedX25519);
            }
            x25519 += 1;
        } else if is_grease(tag, rest, body) {
            if grease {
                return Err(HeaderError::TooMuchGrease);
            }
            grease = true;
        } else if tag == b"scrypt" {
            return Err(HeaderError::Passphrase);
        } else {
            return Err(HeaderError::NotX25519);
        }
    }
    if x25519 == 0 {
        return Err(HeaderError::NoRecipients);
    }
    Ok(Header {
        x25519,
        grease,
        len: r.pos,
    })
}

/// Checks that a whole file of `total` bytes, whose header is `header_len` bytes,
/// has a payload an age STREAM can have: a 16-byte nonce, then chunks of 64 KiB
/// plus a 16-byte tag, the last one shorter or full, and empty only if it is the
/// only chunk.
pub fn check_payload_len(total: u64, header_len: usize) -> Result<(), HeaderError> {
    let payload = total
        .checked_sub(header_len as u64)
        .and_then(|p| p.checked_sub(NONCE))
        .ok_or(HeaderError::PayloadLength)?;
    if payload < TAG {
        return Err(HeaderError::PayloadLength);
    }
    let full = CHUNK + TAG;
    let last = payload % full;
    let ok = match last {
        0 => true,
        // An empty last chunk is allowed only when it is the only one.
        l if l == TAG => payload == TAG,
        l => l > TAG,
    };
    if ok {
        Ok(())
    } else {
        Err(HeaderError::PayloadLength)
    }
}

/// The grease stanzas the `age` crate writes (age-core's `grease_the_joint`): a tag
/// of 1 to 8 visible characters and `-grease`, up to 4 arguments of 1 to 8
/// characters, and a body under 100 bytes. Anything else that is not X25519 is a
/// recipient type Meldpunt does not use.
fn is_grease(tag: &[u8], args: &[&[u8]], body: usize) -> bool {
    let Some(stem) = tag.strip_suffix(b"-grease") else {
        return false;
    };
    (1..=8).contains(&stem.len())
        && args.len() <= 4
        && args.iter().all(|a| (1..=8).contains(&a.len()))
        && body < 100
}

/// `1*VCHAR`.
fn is_arbitrary_string(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|b| (33..=126).contains(b))
}

/// A cursor over the header's lines.
struct Lines<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Lines<'a> {
    /// The next line without its `\n`.
    fn line(&mut self) -> Result<&'a [u8], HeaderError> {
        let rest = &self.buf[self.pos..];
        let limit = MAX_HEADER.saturating_sub(self.pos);
        match rest.iter().take(limit).position(|&b| b == b'\n') {
            Some(n) => {
                self.pos += n + 1;
                Ok(&rest[..n])
            }
            None if rest.len() >= limit => Err(HeaderError::TooLong),
            None => Err(HeaderError::Truncated),
        }
    }

    /// A stanza body: full 64-character lines and a final shorter one. Returns the
    /// number of decoded bytes.
    fn body(&mut self) -> Result<usize, HeaderError> {
        let mut bytes = 0usize;
        loop {
            let line = self.line()?;
            if line.len() > 64 {
                return Err(HeaderError::MalformedStanza);
            }
            let mut out = [0u8; 48];
            let n = STANDARD_NO_PAD
                .decode_slice(line, &mut out)
                .map_err(|_| HeaderError::MalformedStanza)?;
            bytes += n;
            if line.len() < 64 {
                return Ok(bytes);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;

    fn seal(n: usize, plaintext: &[u8]) -> Vec<u8> {
        let to: Vec<_> = (0..n)
            .map(|_| age::x25519::Identity::generate().to_public())
            .collect();
        crate::melding::seal_bytes(plaintext, &to).unwrap()
    }

    #[test]
    fn files_from_the_age_crate_pass_with_their_grease() {
        for n in 1..4 {
            let ct = seal(n, b"hallo");
            let h = parse(&ct).unwrap();
            assert_eq!(h.x25519, n);
            // age 0.12 greases every header it writes.
            assert!(h.grease);
            check_payload_len(ct.len() as u64, h.len).unwrap();
            // Five bytes of plaintext and a 16-byte tag: cut into the tag, it is short.
            assert!(check_payload_len(ct.len() as u64 - 6, h.len).is_err());
        }
    }

    #[test]
    fn a_passphrase_file_is_refused() {
        let enc = age::Encryptor::with_user_passphrase("x".to_string().into());
        let mut out = vec![];
        let mut w = enc.wrap_output(&mut out).unwrap();
        w.write_all(b"hi").unwrap();
        w.finish().unwrap();
        assert_eq!(parse(&out), Err(HeaderError::Passphrase));
    }

    #[test]
    fn payload_lengths() {
        let full = CHUNK + TAG;
        let ok = |p: u64| check_payload_len(10 + NONCE + p, 10).is_ok();
        assert!(ok(TAG)); // empty file
        assert!(ok(TAG + 1));
        assert!(ok(full));
        assert!(ok(full + 17));
        assert!(ok(2 * full));
        assert!(!ok(0));
        assert!(!ok(15));
        assert!(!ok(full + TAG)); // empty last chunk after a full one
        assert!(!ok(full + 3));
        assert!(check_payload_len(5, 10).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever the age crate writes, to any number of recipients and any
        /// plaintext, parses with that number of X25519 stanzas and a valid length;
        /// every strict prefix of its header is refused.
        #[test]
        fn round_trip(n in 1usize..6, len in 0usize..200_000) {
            let ct = seal(n, &vec![7u8; len]);
            let h = parse(&ct).unwrap();
            prop_assert_eq!(h.x25519, n);
            prop_assert!(check_payload_len(ct.len() as u64, h.len).is_ok());
            for cut in [h.len - 1, h.len / 2, 3] {
                prop_assert!(parse(&ct[..cut]).is_err());
            }
        }

        #[test]
        fn never_panics(data in proptest::collection::vec(any::<u8>(), 0..512)) {
            let mut file = VERSION_LINE.to_vec();
            file.extend(data);
            let _ = parse(&file);
        }
    }
}
