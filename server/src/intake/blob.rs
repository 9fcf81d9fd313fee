//! [`Blob`]: a request body as the pieces it arrived in.

use axum::body::Bytes;
use sha2::{Digest, Sha256};

/// Bytes received in pieces, kept as the pieces they arrived in so a large body is
/// never copied while it is read or stored.
#[derive(Default, Clone, Debug)]
pub struct Blob {
    chunks: Vec<Bytes>,
    len: usize,
}

impl Blob {
    pub fn push(&mut self, b: Bytes) {
        self.len += b.len();
        if !b.is_empty() {
            self.chunks.push(b);
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first `n` bytes (or all), contiguous: borrowed when the first piece
    /// holds them (the common case for a small file), else copied.
    pub fn prefix_slice(&self, n: usize) -> std::borrow::Cow<'_, [u8]> {
        let want = n.min(self.len);
        match self.chunks.first() {
            Some(c) if c.len() >= want => std::borrow::Cow::Borrowed(&c[..want]),
            _ => std::borrow::Cow::Owned(self.prefix(n)),
        }
    }

    /// The first `n` bytes (or all), contiguous.
    pub fn prefix(&self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n.min(self.len));
        for c in &self.chunks {
            let take = (n - out.len()).min(c.len());
            out.extend_from_slice(&c[..take]);
            if out.len() == n {
                break;
            }
        }
        out
    }

    pub fn sha256(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        for c in &self.chunks {
            h.update(c);
        }
        h.finalize().into()
    }

    pub fn chunks(&self) -> &[Bytes] {
        &self.chunks
    }

    /// One contiguous copy (for small items and tests).
    pub fn to_vec(&self) -> Vec<u8> {
        self.prefix(self.len)
    }
}

impl From<Vec<u8>> for Blob {
    fn from(v: Vec<u8>) -> Blob {
        let mut b = Blob::default();
        b.push(Bytes::from(v));
        b
    }
}
