//! Attachments: files sealed in pieces, so a browser never holds more than about two
//! copies of a large file. Each attachment is its own binary age file whose
//! plaintext is framed and padded exactly like a melding ([`crate::padding`]), only
//! with a larger limit ([`MAX_ATTACHMENT`]). The melding's `attachments` list names
//! each file (name, type, size, SHA-256 of the file's bytes).

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

use crate::Error;

/// Largest attachment, in bytes.
pub const MAX_ATTACHMENT: usize = 1 << 30;
static ZEROS: [u8; 64 * 1024] = [0; 64 * 1024];

/// The age writer's sink: bytes are taken out after each piece.
#[derive(Clone, Default)]
struct Sink(Rc<RefCell<Vec<u8>>>);

impl Sink {
    /// Takes what was written and leaves an empty buffer as large as that, so the
    /// next piece (usually as long) is written without growing the buffer step by
    /// step (each step a copy of everything so far).
    fn take(&self) -> Vec<u8> {
        let mut buf = self.0.borrow_mut();
        let room = buf.len();
        std::mem::replace(&mut *buf, Vec::with_capacity(room))
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Seals one attachment piece by piece: `new` with the file's length, `push` each
/// piece (returns the ciphertext produced so far), `finish` (returns the rest).
pub struct AttachmentSealer {
    writer: age::stream::StreamWriter<Sink>,
    sink: Sink,
    declared: u64,
    written: u64,
}

impl AttachmentSealer {
    pub fn new(recipients: &[age::x25519::Recipient], len: u64) -> Result<Self, Error> {
        if len > MAX_ATTACHMENT as u64 {
            return Err(Error::TooLarge(len as usize));
        }
        if recipients.is_empty() {
            return Err(Error::NoRecipients);
        }
        let enc =
            age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
                .map_err(|e| Error::Encrypt(e.to_string()))?;
        let sink = Sink::default();
        let mut writer = enc
            .wrap_output(sink.clone())
            .map_err(|e| Error::Encrypt(e.to_string()))?;
        writer
            .write_all(&(len as u32).to_be_bytes())
            .map_err(|e| Error::Encrypt(e.to_string()))?;
        Ok(AttachmentSealer {
            writer,
            sink,
            declared: len,
            written: 0,
        })
    }

    /// Seals the next piece of the file.
    pub fn push(&mut self, piece: &[u8]) -> Result<Vec<u8>, Error> {
        self.written += piece.len() as u64;
        if self.written > self.declared {
            return Err(Error::Attachment(
                "the file is longer than announced".into(),
            ));
        }
        self.writer
            .write_all(piece)
            .map_err(|e| Error::Encrypt(e.to_string()))?;
        Ok(self.sink.take())
    }

    /// Pads, closes the age file and returns its last bytes.
    pub fn finish(mut self) -> Result<Vec<u8>, Error> {
        if self.written != self.declared {
            return Err(Error::Attachment(
                "the file is shorter than announced".into(),
            ));
        }
        let mut pad =
            crate::padding::padded_len(self.declared as usize) - 4 - self.declared as usize;
        while pad > 0 {
            let n = pad.min(ZEROS.len());
            self.writer
                .write_all(&ZEROS[..n])
                .map_err(|e| Error::Encrypt(e.to_string()))?;
            pad -= n;
        }
        let sink = self
            .writer
            .finish()
            .map_err(|e| Error::Encrypt(e.to_string()))?;
        Ok(std::mem::take(&mut *sink.0.borrow_mut()))
    }
}

/// Seals a whole attachment in one call (for small files and tests).
pub fn seal(file: &[u8], recipients: &[age::x25519::Recipient]) -> Result<Vec<u8>, Error> {
    let mut s = AttachmentSealer::new(recipients, file.len() as u64)?;
    let mut out = s.push(file)?;
    out.extend(s.finish()?);
    Ok(out)
}

/// Opens a sealed attachment and returns the file's bytes.
pub fn open(ciphertext: &[u8], identities: &[&dyn age::Identity]) -> Result<Vec<u8>, Error> {
    let padded = crate::melding::open_bytes(ciphertext, identities)?;
    let file = crate::padding::unpad_max(&padded, MAX_ATTACHMENT)?;
    Ok(file.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_make_the_same_file_as_one_call() {
        let id = age::x25519::Identity::generate();
        let file: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let mut s = AttachmentSealer::new(&[id.to_public()], file.len() as u64).unwrap();
        let mut ct = Vec::new();
        for piece in file.chunks(70_000) {
            ct.extend(s.push(piece).unwrap());
        }
        ct.extend(s.finish().unwrap());
        assert_eq!(open(&ct, &[&id]).unwrap(), file);
        // Only the size class shows: 300,000 bytes pad to 512 KiB.
        let padded = crate::padding::padded_len(file.len());
        assert_eq!(padded, 512 * 1024);
        assert!(ct.len() > padded && ct.len() < padded + padded / 1000 + 400);
        assert_eq!(
            open(&seal(&file, &[id.to_public()]).unwrap(), &[&id]).unwrap(),
            file
        );
    }

    #[test]
    fn wrong_lengths_are_refused() {
        let id = age::x25519::Identity::generate();
        let mut s = AttachmentSealer::new(&[id.to_public()], 3).unwrap();
        assert!(s.push(b"abcd").is_err());
        let mut s = AttachmentSealer::new(&[id.to_public()], 3).unwrap();
        s.push(b"ab").unwrap();
        assert!(s.finish().is_err());
        assert!(AttachmentSealer::new(&[], 3).is_err());
        assert!(AttachmentSealer::new(&[id.to_public()], (MAX_ATTACHMENT + 1) as u64).is_err());
    }
}
