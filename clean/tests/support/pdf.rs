//! Writes PDFs by hand for the tests and `examples/pdf_load.rs`: the objects in order,
//! a classic cross-reference table with their offsets, and the trailer.

// Each user (the tests, the example) uses some of these.
#![allow(dead_code)]

/// `header` (`%PDF-1.x` and what follows it), then object `i + 1` = `objects[i]`
/// between `N 0 obj` and `endobj`, the xref table, and a trailer of `/Size`,
/// `/Root 1 0 R` and `trailer` (more entries, or nothing).
pub fn write_pdf(header: &[u8], objects: &[impl AsRef<[u8]>], trailer: &str) -> Vec<u8> {
    let mut pdf = header.to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(o.as_ref());
        pdf.extend_from_slice(b"\nendobj\n");
    }
    finish(pdf, &offsets, trailer)
}

/// `doc` saved as PDF 1.5 does: its objects in object streams, listed by a
/// cross-reference stream.
pub fn packed(doc: &mut lopdf::Document) -> Vec<u8> {
    let mut bytes = Vec::new();
    let options = lopdf::SaveOptions::builder()
        .use_object_streams(true)
        .use_xref_streams(true)
        .build();
    doc.save_with_options(&mut bytes, options).unwrap();
    bytes
}

/// The start of the crafted files below: a header, a catalog (1) and an empty page
/// tree (2), and their offsets.
fn catalog_and_pages() -> (Vec<u8>, Vec<usize>) {
    let mut pdf = b"%PDF-1.5\n".to_vec();
    let mut offsets = Vec::new();
    for (n, o) in [
        (1, "<< /Type /Catalog /Pages 2 0 R >>"),
        (2, "<< /Type /Pages /Kids [] /Count 0 >>"),
    ] {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{n} 0 obj\n{o}\nendobj\n").as_bytes());
    }
    (pdf, offsets)
}

/// A classic table of `offsets` (objects 1 on) and its trailer at the end of `pdf`:
/// `/Size`, `/Root 1 0 R` and `trailer` (more entries, or nothing).
fn finish(mut pdf: Vec<u8>, offsets: &[usize], trailer: &str) -> Vec<u8> {
    let xref = pdf.len();
    let size = offsets.len() + 1;
    pdf.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f \n").as_bytes());
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {size} /Root 1 0 R{trailer} >>\nstartxref\n{xref}\n%%EOF\n")
            .as_bytes(),
    );
    pdf
}

/// Crafted: one stream of `size` bytes (object 3) and `entries` more cross-reference
/// entries that all name it, so a reader that parses each entry parses it each time.
pub fn one_stream_many_entries(entries: usize, size: usize) -> Vec<u8> {
    let (mut pdf, mut offsets) = catalog_and_pages();
    let at = pdf.len();
    pdf.extend_from_slice(format!("3 0 obj\n<< /Length {size} >>\nstream\n").as_bytes());
    pdf.resize(pdf.len() + size, b'x');
    pdf.extend_from_slice(b"\nendstream\nendobj\n");
    offsets.extend(std::iter::repeat_n(at, entries + 1));
    finish(pdf, &offsets, "")
}

/// Crafted: `n` streams (objects 3 on) that start `gap` bytes apart, each inside the
/// one before, and all end at the same `endstream`: each entry at its own offset, yet
/// together they cover about `n * n * gap / 2` bytes.
pub fn overlapping_streams(n: usize, gap: usize) -> Vec<u8> {
    let (mut pdf, mut offsets) = catalog_and_pages();
    let first = pdf.len();
    let head =
        |k: usize, length: usize| format!("{} 0 obj\n<< /Length {length:010} >>\nstream\n", k + 3);
    let head_len = head(0, 0).len();
    let end = first + n * gap;
    for k in 0..n {
        let at = first + k * gap;
        offsets.push(at);
        pdf.extend_from_slice(head(k, end - (at + head_len)).as_bytes());
        pdf.resize(at + gap, b'x');
    }
    pdf.extend_from_slice(b"\nendstream\nendobj\n");
    finish(pdf, &offsets, "")
}

/// Crafted: `n` streams of type `kind` (objects 3 on: `ObjStm`, which lopdf inflates
/// while loading, or `Metadata`, XMP the cleaner inflates) of a few kilobytes that each
/// inflate to `inflated` bytes (less than the per-stream limit, much more in all).
pub fn many_small_bombs(kind: &str, n: usize, inflated: usize) -> Vec<u8> {
    let (mut pdf, mut offsets) = catalog_and_pages();
    let mut bomb = lopdf::Stream::new(lopdf::Dictionary::new(), vec![b' '; inflated]);
    bomb.compress().unwrap();
    for k in 0..n {
        offsets.push(pdf.len());
        pdf.extend_from_slice(
            format!(
                "{} 0 obj\n<< /Type /{kind} /N 1 /First 4 /Filter /FlateDecode /Length {} >>\nstream\n",
                k + 3,
                bomb.content.len()
            )
            .as_bytes(),
        );
        pdf.extend_from_slice(&bomb.content);
        pdf.extend_from_slice(b"\nendstream\nendobj\n");
    }
    finish(pdf, &offsets, "")
}

/// [`one_stream_many_entries`] with the entries in a compressed cross-reference stream
/// (PDF 1.5), where 20,000 of them take a few hundred bytes.
pub fn one_stream_many_entries_compressed(entries: usize, size: usize) -> Vec<u8> {
    let (mut pdf, offsets) = catalog_and_pages();
    let at = pdf.len();
    pdf.extend_from_slice(format!("3 0 obj\n<< /Length {size} >>\nstream\n").as_bytes());
    pdf.resize(pdf.len() + size, b'x');
    pdf.extend_from_slice(b"\nendstream\nendobj\n");
    let mut rows = vec![0u8, 0, 0, 0, 0];
    for o in offsets.iter().chain(std::iter::repeat_n(&at, entries + 1)) {
        rows.push(1);
        rows.extend_from_slice(&u32::try_from(*o).unwrap().to_be_bytes());
    }
    let mut xref = lopdf::Stream::new(lopdf::Dictionary::new(), rows);
    xref.compress().unwrap();
    let n = entries + 4;
    let start = pdf.len();
    pdf.extend_from_slice(
        format!(
            "{n} 0 obj\n<< /Type /XRef /Size {n} /W [1 4 0] /Root 1 0 R /Filter /FlateDecode /Length {} >>\nstream\n",
            xref.content.len()
        )
        .as_bytes(),
    );
    pdf.extend_from_slice(&xref.content);
    pdf.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{start}\n%%EOF\n").as_bytes());
    pdf
}
