//! Native measurement of PDF cleaning against hashing the same bytes (not a test): a
//! long text PDF of many small objects (like `tests/bench/clean.bench.mjs`'s
//! `rapport.pdf`) at 5, 10 and 20 MiB, so the times show whether cost grows linearly
//! with the number of objects; then the crafted files of `tests/props.rs` (many entries
//! naming one stream, overlapping streams, many small decompression bombs), which the
//! cleaner refuses, against sha256 and against lopdf loading them with no bound. Results
//! go to docs/PERFORMANCE.md ("Metadata removal in the page").
//!
//!   cargo run --release -p meldpunt-clean --example pdf_load

#[path = "../tests/support/pdf.rs"]
mod pdf_support;
use pdf_support::{many_small_bombs, one_stream_many_entries, overlapping_streams, write_pdf};
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};

const MIB: usize = 1 << 20;

/// A PDF of `size` bytes of text pages (a page and its content stream per ~4 KiB), with
/// an Info dictionary and an XMP stream, offsets computed.
fn many_objects_pdf(size: usize) -> Vec<u8> {
    let text = format!(
        "BT /F1 10 Tf 72 720 Td ({}) Tj ET",
        "Lorem ipsum dolor sit amet. ".repeat(140)
    );
    let pages = size / (text.len() + 120);
    let xmp = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator>Jan Jansen</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>";
    let first = 5;
    let kids: Vec<String> = (0..pages)
        .map(|i| format!("{} 0 R", first + 2 * i))
        .collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R /Metadata 3 0 R >>".to_string(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        ),
        format!(
            "<< /Type /Metadata /Subtype /XML /Length {} >>\nstream\n{xmp}\nendstream",
            xmp.len()
        ),
        "<< /Author (Jan Jansen) /Creator (Gemeente Leiden) /Producer (Bench) >>".to_string(),
    ];
    for i in 0..pages {
        let id = first + 2 * i;
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {} 0 R >>",
            id + 1
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{text}\nendstream",
            text.len()
        ));
    }
    write_pdf(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n", &objects, " /Info 4 0 R")
}

/// The median of `rounds` runs of `f`.
fn median(rounds: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[rounds / 2]
}

fn main() {
    let rounds: usize = std::env::var("BENCH_ROUNDS").map_or(5, |r| r.parse().unwrap());
    println!(
        "| size | objects | sha256 | clean | clean MB/s | clean / sha256 | lopdf load alone |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for mib in [5, 10, 20] {
        let pdf = many_objects_pdf(mib * MIB);
        let objects = memchr::memmem::find_iter(&pdf, b" obj\n").count();
        let sha = median(rounds, || {
            std::hint::black_box(Sha256::digest(&pdf));
        });
        let mut removed = Vec::new();
        let clean = median(rounds, || {
            let c = meldpunt_clean::clean("rapport.pdf", "application/pdf", &pdf);
            assert_eq!(c.could_not_check, None, "{mib} MiB not checked");
            removed = c.removed;
        });
        assert!(!removed.is_empty());
        // The part of `clean` that is lopdf reading the file (no pre-pass, no writing).
        let load = median(rounds, || {
            std::hint::black_box(lopdf::Document::load_mem(&pdf).unwrap());
        });
        println!(
            "| {:.1} MiB | {objects} | {:.1} ms | {:.1} ms | {:.0} | {:.2} | {:.1} ms |",
            pdf.len() as f64 / MIB as f64,
            sha.as_secs_f64() * 1e3,
            clean.as_secs_f64() * 1e3,
            pdf.len() as f64 / clean.as_secs_f64() / 1e6,
            clean.as_secs_f64() / sha.as_secs_f64(),
            load.as_secs_f64() * 1e3,
        );
    }
    println!();
    println!("| crafted file | size | clean (refused) | sha256 | clean / sha256 | lopdf alone |");
    println!("| --- | --- | --- | --- | --- | --- |");
    let crafted = [
        (
            "2,000 entries, one 1 MiB stream",
            one_stream_many_entries(2_000, MIB),
            true,
        ),
        (
            "20,000 entries, one 1 MiB stream",
            one_stream_many_entries(20_000, MIB),
            false,
        ),
        (
            "2,000 overlapping streams, 500 B apart",
            overlapping_streams(2_000, 500),
            true,
        ),
        (
            "20,000 overlapping streams, 100 B apart",
            overlapping_streams(20_000, 100),
            false,
        ),
        (
            "64 object streams of 8 MiB inflated",
            many_small_bombs("ObjStm", 64, 8 * MIB),
            true,
        ),
    ];
    for (what, pdf, unbounded) in crafted {
        let sha = median(rounds, || {
            std::hint::black_box(Sha256::digest(&pdf));
        });
        let clean = median(rounds, || {
            let c = meldpunt_clean::clean("x.pdf", "application/pdf", &pdf);
            assert!(c.could_not_check.is_some(), "{what} was checked");
        });
        // lopdf with the cleaner's per-stream limit and nothing else: what the
        // cleaner would cost without its pre-pass (once; the slow ones are left out).
        let alone = unbounded.then(|| {
            let options = lopdf::LoadOptions {
                max_decompressed_size: Some(16 * MIB),
                ..lopdf::LoadOptions::default()
            };
            let t = Instant::now();
            let _ = std::hint::black_box(lopdf::Document::load_mem_with_options(&pdf, options));
            t.elapsed()
        });
        println!(
            "| {what} | {:.2} MiB | {:.2} ms | {:.2} ms | {:.2} | {} |",
            pdf.len() as f64 / MIB as f64,
            clean.as_secs_f64() * 1e3,
            sha.as_secs_f64() * 1e3,
            clean.as_secs_f64() / sha.as_secs_f64(),
            alone.map_or("not run".to_string(), |t| format!(
                "{:.0} ms",
                t.as_secs_f64() * 1e3
            )),
        );
    }
}
