//! Writes PDFs by hand for the tests and `examples/pdf_load.rs`: the objects in order,
//! a classic cross-reference table with their offsets, and the trailer.

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
    let xref = pdf.len();
    let size = objects.len() + 1;
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
