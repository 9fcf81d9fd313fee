//! The submission limit as the reporter reads it. `max_submission_bytes` is the
//! most the reporter's own files may weigh together (the page says "100 MB" and
//! checks the files' sizes to the byte); the meldpunt's padding, the age framing,
//! the melding itself and the multipart framing are the meldpunt's overhead and are
//! not counted against it.
//!
//! The server cannot see a file's size inside its age file, only its size class:
//! every attachment is padded like a melding ([`padding::padded_len`]), so the
//! length of its age file gives the padded length exactly, and the padded length
//! the smallest file that pads to it ([`smallest_file`]). The server adds those
//! smallest sizes over the attachments and refuses (413) once they pass the limit,
//! while the parts stream in. A file of exactly the limit is therefore always
//! accepted, and so is any set of files that together stay within it; a file over
//! the limit is refused once it reaches the next size class (at the exact byte when
//! the limit ends a class, as `k MiB − 4` does).
//!
//! Besides that rule, one cap on the whole body ([`body_cap`]) bounds what a sender
//! can make the server read: twice the limit (padding at most doubles a file, and
//! adds at most 1 KiB to a small one) plus room for the largest melding and the
//! framing of every part.

use meldpunt_envelope::padding;

use crate::error::AppError;

/// Plaintext bytes in a full age payload chunk, and its tag.
const CHUNK: u64 = 64 * 1024;
const TAG: u64 = 16;
/// The age payload's nonce.
const NONCE: u64 = 16;
/// Room for the largest melding the page can make (a padded payload of at most
/// `padding::MAX_PAYLOAD`, its age header and tags), rounded up.
pub const MELDING_ROOM: usize = 18 << 20;
/// Room per attachment for its age header, the smallest padding class, and its
/// multipart part headers.
const PART_ROOM: usize = 4 << 10;

/// The most bytes a submission body may have when the reporter's files may weigh
/// `max` together.
pub fn body_cap(max: usize) -> usize {
    max.saturating_mul(2)
        .saturating_add(MELDING_ROOM)
        .saturating_add(crate::intake::MAX_BIJLAGEN * PART_ROOM)
}

/// The smallest file whose padded length is at least `padded` bytes: what a
/// reporter must at least have attached to make an age payload this long.
pub fn smallest_file(padded: u64) -> u64 {
    let min = padding::MIN_CLASS as u64;
    let step = padding::STEP as u64;
    if padded <= min {
        0
    } else if padded <= step {
        // Classes double: more than half the class, less the 4-byte frame.
        padded.next_power_of_two() / 2 - 3
    } else {
        // Classes step by STEP: more than the class below, less the frame.
        (padded.div_ceil(step) - 1) * step - 3
    }
}

/// The padded plaintext held in the first `payload` bytes of an age payload (the
/// bytes after the header): a lower bound while the file streams in, exact once it
/// is complete.
pub fn padded_in(payload: u64) -> u64 {
    let data = payload.saturating_sub(NONCE);
    let chunks = data.div_ceil(CHUNK + TAG);
    data.saturating_sub(chunks * TAG)
}

/// The attachments of one submission, measured against the stated limit.
#[derive(Debug)]
pub struct Allowance {
    max: u64,
    /// The smallest sizes of the attachments already complete.
    used: u64,
}

impl Allowance {
    pub fn new(max: usize) -> Allowance {
        Allowance {
            max: max as u64,
            used: 0,
        }
    }

    /// Checks an attachment of `len` bytes so far whose age header is `header`
    /// bytes long; `complete` adds it to the files before it.
    pub fn check(&mut self, header: usize, len: usize, complete: bool) -> Result<(), AppError> {
        let payload = (len as u64).saturating_sub(header as u64);
        let least = self.used + smallest_file(padded_in(payload));
        if least > self.max {
            return Err(AppError::TooLarge);
        }
        if complete {
            self.used = least;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The age payload length of a file of `n` bytes, padded as the envelope pads.
    fn payload_of(n: usize) -> u64 {
        let p = padding::padded_len(n) as u64;
        NONCE + p + p.div_ceil(CHUNK).max(1) * TAG
    }

    #[test]
    fn the_padded_length_comes_back_from_the_payload_length() {
        for n in [
            0,
            1,
            1020,
            1021,
            5000,
            65_532,
            65_533,
            1 << 20,
            3 << 20,
            100_000_000,
        ] {
            let p = padding::padded_len(n) as u64;
            assert_eq!(padded_in(payload_of(n)), p, "{n}");
        }
        // While a file streams in, never more than it will hold.
        for len in (0..300_000u64).step_by(997) {
            assert!(padded_in(len) <= padded_in(len + 1) + TAG);
        }
    }

    #[test]
    fn the_smallest_file_of_a_class_pads_to_it_and_one_less_does_not() {
        for n in [
            0usize,
            1,
            1020,
            1021,
            4000,
            65_533,
            1 << 19,
            (1 << 20) - 4,
            1 << 20,
            100_000_000,
            (2 << 20) - 3,
        ] {
            let p = padding::padded_len(n) as u64;
            let s = smallest_file(p);
            assert!(s <= n as u64, "{n}");
            assert_eq!(padding::padded_len(s as usize) as u64, p, "{n}");
            if s > 0 {
                assert!((padding::padded_len(s as usize - 1) as u64) < p, "{n}");
            }
        }
    }

    #[test]
    fn a_file_of_exactly_the_limit_passes_and_the_next_class_does_not() {
        for max in [4096usize, 100_000_000, (2 << 20) - 4, 1 << 30] {
            let mut a = Allowance::new(max);
            assert!(
                a.check(200, 200 + payload_of(max) as usize, true).is_ok(),
                "{max}"
            );
            // Anything in the same class passes too (the server cannot tell).
            let over = (padding::padded_len(max) as u64 + 1) as usize;
            let mut a = Allowance::new(max);
            assert!(
                matches!(
                    a.check(200, 200 + payload_of(over - 4) as usize, true),
                    Err(AppError::TooLarge)
                ),
                "{max}"
            );
        }
        // Where the limit ends a class, one byte more is refused.
        let max = (2 << 20) - 4;
        assert!(
            Allowance::new(max)
                .check(0, payload_of(max + 1) as usize, true)
                .is_err()
        );
    }

    #[test]
    fn many_files_within_the_limit_pass_although_their_padding_is_larger() {
        // 150 photos of 600 kB: 90 MB in all, 150 MiB padded.
        let mut a = Allowance::new(100_000_000);
        for _ in 0..150 {
            a.check(250, 250 + payload_of(600_000) as usize, true)
                .unwrap();
        }
        let mut a = Allowance::new(1_000_000);
        a.check(0, payload_of(600_000) as usize, true).unwrap();
        assert!(a.check(0, payload_of(600_000) as usize, true).is_err());
    }

    #[test]
    fn the_body_cap_holds_the_largest_submission_the_rule_admits() {
        let max = 100_000_000;
        // One file of the limit, or many small ones that each pad to twice their size.
        let one = payload_of(max) as usize + 64 * 1024;
        let halves = (max / 524_285) * (payload_of(524_285) as usize + 1024);
        assert!(body_cap(max) > one + MELDING_ROOM);
        assert!(body_cap(max) > halves + MELDING_ROOM);
    }
}
