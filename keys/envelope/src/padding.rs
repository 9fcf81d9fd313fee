//! Length hiding. A sealed melding must reveal only a size class, not the length
//! of what someone wrote.
//!
//! Layout: `u32 big-endian length || payload || zero bytes`, the whole padded to
//! the next power of two of at least [`MIN_CLASS`] bytes, and above [`STEP`] to the
//! next multiple of [`STEP`].

use crate::Error;

/// Smallest padded size: a short melding and a long one look alike.
pub const MIN_CLASS: usize = 1024;
/// Above this, classes grow linearly instead of doubling.
pub const STEP: usize = 1 << 20;
/// Largest payload accepted for padding (text, not attachments).
pub const MAX_PAYLOAD: usize = 16 << 20;

/// The padded size for a payload of `len` bytes.
pub fn padded_len(len: usize) -> usize {
    let need = len + 4;
    if need <= MIN_CLASS {
        MIN_CLASS
    } else if need <= STEP {
        need.next_power_of_two()
    } else {
        need.div_ceil(STEP) * STEP
    }
}

/// Frames and pads `payload`.
pub fn pad(payload: &[u8]) -> Result<Vec<u8>, Error> {
    if payload.len() > MAX_PAYLOAD {
        return Err(Error::TooLarge(payload.len()));
    }
    let total = padded_len(payload.len());
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
    out.resize(total, 0);
    Ok(out)
}

/// Checks the framing and returns the payload. Padding bytes must be zero and the
/// total must be exactly the class of the payload, so one plaintext has one encoding.
pub fn unpad(padded: &[u8]) -> Result<&[u8], Error> {
    unpad_max(padded, MAX_PAYLOAD)
}

/// [`unpad`] with another limit on the payload (attachments are larger than text).
pub fn unpad_max(padded: &[u8], max: usize) -> Result<&[u8], Error> {
    if padded.len() < 4 {
        return Err(Error::Padding);
    }
    let len = u32::from_be_bytes([padded[0], padded[1], padded[2], padded[3]]) as usize;
    if len > max || padded.len() != padded_len(len) {
        return Err(Error::Padding);
    }
    let (payload, rest) = padded[4..].split_at(len);
    if rest.iter().any(|&b| b != 0) {
        return Err(Error::Padding);
    }
    Ok(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(padded_len(0), 1024);
        assert_eq!(padded_len(1020), 1024);
        assert_eq!(padded_len(1021), 2048);
        assert_eq!(padded_len(STEP - 4), STEP);
        assert_eq!(padded_len(STEP - 3), 2 * STEP);
        assert_eq!(padded_len(2 * STEP), 3 * STEP);
    }

    #[test]
    fn rejects_damage() {
        let mut p = pad(b"hallo").unwrap();
        assert_eq!(unpad(&p).unwrap(), b"hallo");
        p[100] = 1;
        assert!(unpad(&p).is_err());
        let p = pad(b"hallo").unwrap();
        assert!(unpad(&p[..1000]).is_err());
        assert!(unpad(&[0, 0]).is_err());
        let mut p = pad(b"hallo").unwrap();
        p[0] = 0xff;
        assert!(unpad(&p).is_err());
    }

    proptest::proptest! {
        #[test]
        fn round_trip(data in proptest::collection::vec(proptest::num::u8::ANY, 0..5000)) {
            let p = pad(&data).unwrap();
            proptest::prop_assert_eq!(p.len(), padded_len(data.len()));
            proptest::prop_assert_eq!(unpad(&p).unwrap(), &data[..]);
        }

        #[test]
        fn unpad_never_panics(data in proptest::collection::vec(proptest::num::u8::ANY, 0..3000)) {
            let _ = unpad(&data);
        }
    }
}
