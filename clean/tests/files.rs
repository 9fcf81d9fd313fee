//! Real files with real metadata, written by exiftool (an independent writer and
//! reader): what `clean` returns holds none of it by exiftool's reading, and still
//! decodes or parses. The images are made here with encoders, the documents by hand.

use meldpunt_clean::{Metadata, Reason, clean, inspect};
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/pdf.rs"]
mod pdf_support;
use pdf_support::{packed, write_pdf};

/// The names and places planted in every file; none may survive cleaning.
const SECRETS: &[&str] = &[
    "Jan Jansen",
    "Gemeente Leiden",
    "SN0123456789",
    "Breestraat",
];

fn dir(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("meldpunt-clean-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// With `UPDATE_VECTORS=1`, a test's dirty file is also kept as a vector in
/// `tests/vectors/` (then run `UPDATE_VECTORS=1 cargo test --test vectors` to write
/// what is expected of it).
fn keep_as_vector(name: &str, bytes: &[u8]) {
    if std::env::var_os("UPDATE_VECTORS").is_some() {
        let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(name), bytes).unwrap();
    }
}

fn exiftool(args: &[&str], file: &Path) {
    let out = Command::new("exiftool")
        .args(["-q", "-overwrite_original"])
        .args(args)
        .arg(file)
        .output()
        .expect("exiftool runs (cargo xtask setup installs libimage-exiftool-perl)");
    assert!(
        out.status.success(),
        "exiftool {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every tag exiftool reads from `bytes`, as "Group:Tag" -> value.
fn read_tags(d: &Path, name: &str, bytes: &[u8]) -> serde_json::Map<String, serde_json::Value> {
    let path = d.join(name);
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("exiftool")
        .args(["-j", "-a", "-G1", "-n", "-ee"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut v: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(&out.stdout).unwrap();
    v.remove(0)
}

fn assert_no_secrets(
    what: &str,
    tags: &serde_json::Map<String, serde_json::Value>,
    banned: &[&str],
) {
    let text = serde_json::to_string(tags).unwrap();
    for s in SECRETS {
        assert!(!text.contains(s), "{what}: {s:?} survived: {text}");
    }
    for key in tags.keys() {
        let tag = key.rsplit(':').next().unwrap();
        assert!(!banned.contains(&tag), "{what}: tag {key} survived: {text}");
    }
}

/// Every kind in `want` is among what `clean` reported.
fn assert_reported(removed: &[Metadata], want: &[Metadata]) {
    for m in want {
        assert!(removed.contains(m), "{m:?} not reported: {removed:?}");
    }
}

/// A 64×48 gradient, so a decoder has real pixels to check.
fn pixels() -> Vec<u8> {
    (0..48u32)
        .flat_map(|y| (0..64u32).flat_map(move |x| [(x * 4) as u8, (y * 5) as u8, 128]))
        .collect()
}

pub fn make_jpeg() -> Vec<u8> {
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&pixels(), 64, 48, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

fn make_png() -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, 64, 48);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.write_header()
        .unwrap()
        .write_image_data(&pixels())
        .unwrap();
    out
}

fn make_webp() -> Vec<u8> {
    let mut out = Vec::new();
    image_webp::WebPEncoder::new(&mut out)
        .encode(&pixels(), 64, 48, image_webp::ColorType::Rgb8)
        .unwrap();
    out
}

/// A one-page PDF saying "Hallo", written by hand (offsets computed).
pub fn make_pdf() -> Vec<u8> {
    let content = "BT /F1 24 Tf 72 720 Td (Hallo) Tj ET";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    write_pdf(b"%PDF-1.4\n", &objects, "")
}

/// A Word document with an author, a last editor with an organisation, revision ids,
/// a comment and a tracked change by name, custom properties and a photo with GPS.
pub fn make_docx(photo: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let parts: &[(&str, &[u8])] = &[
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="jpeg" ContentType="image/jpeg"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/><Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>"#),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>"#),
        ("word/_rels/document.xml.rels", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.jpeg"/></Relationships>"#),
        ("word/document.xml", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p w:rsidR="00A1B2C3" w:rsidRDefault="00D4E5F6"><w:r><w:t>De wethouder "zegt" &gt; niets.</w:t></w:r><w:ins w:id="1" w:author="Jan Jansen (Gemeente Leiden)" w:date="2026-11-30T10:00:00Z"><w:r><w:t>Toegevoegd.</w:t></w:r></w:ins><w:commentRangeStart w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p><w:sectPr w:rsidR="00A1B2C3"/></w:body></w:document>"#),
        ("word/settings.xml", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:zoom w:percent="100"/><w:rsids><w:rsidRoot w:val="00A1B2C3"/><w:rsid w:val="00D4E5F6"/></w:rsids></w:settings>"#),
        ("word/comments.xml", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:comment w:id="0" w:author="Jan Jansen" w:initials="JJ" w:date="2026-11-30T10:00:00Z"><w:p><w:r><w:t>Klopt dit?</w:t></w:r></w:p></w:comment></w:comments>"#),
        ("docProps/core.xml", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>Jan Jansen</dc:creator><cp:lastModifiedBy>Jan Jansen (Gemeente Leiden)</cp:lastModifiedBy><cp:revision>7</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">2026-11-29T09:00:00Z</dcterms:created></cp:coreProperties>"#),
        ("docProps/app.xml", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Office Word</Application><Company>Gemeente Leiden</Company><Pages>1</Pages></Properties>"#),
        ("docProps/custom.xml", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Afdeling"><vt:lpwstr>Breestraat 1</vt:lpwstr></property></Properties>"#),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::from_date_and_time(2026, 11, 30, 10, 0, 0).unwrap());
    for (name, data) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.start_file("word/media/image1.jpeg", options).unwrap();
    zip.write_all(photo).unwrap();
    zip.finish().unwrap().into_inner()
}

const JPEG_TAGS: &[&str] = &[
    "-GPSLatitude=52.1583",
    "-GPSLatitudeRef=N",
    "-GPSLongitude=4.4931",
    "-GPSLongitudeRef=E",
    "-Make=Canon",
    "-Model=Canon EOS 5D",
    "-SerialNumber=SN0123456789",
    "-Artist=Jan Jansen",
    "-XMP-dc:Creator=Jan Jansen",
    "-XMP-iptcCore:Location=Breestraat",
    "-IPTC:By-line=Jan Jansen",
    "-IPTC:Sub-location=Breestraat",
    "-Comment=Breestraat",
    "-DateTimeOriginal=2026:11:30 10:00:00",
    "-Orientation#=6",
];
const BANNED: &[&str] = &[
    "GPSLatitude",
    "GPSLongitude",
    "GPSPosition",
    "Make",
    "Model",
    "SerialNumber",
    "Artist",
    "Creator",
    "By-line",
    "Sub-location",
    "Comment",
    "DateTimeOriginal",
    "ThumbnailImage",
    "Author",
    "Producer",
    "CreatorTool",
    "Title",
    "LastModifiedBy",
    "Company",
    "ModifyDate",
    "CreateDate",
    "XMPToolkit",
    "Location",
];

/// A JPEG with GPS, camera, serial, artist, XMP, IPTC, a comment and a thumbnail.
pub fn dirty_jpeg(d: &Path) -> Vec<u8> {
    let path = d.join("foto.jpg");
    std::fs::write(&path, make_jpeg()).unwrap();
    let thumb = d.join("thumb.jpg");
    std::fs::write(&thumb, make_jpeg()).unwrap();
    let mut args = JPEG_TAGS.to_vec();
    let with_thumb = format!("-ThumbnailImage<={}", thumb.display());
    args.push(&with_thumb);
    exiftool(&args, &path);
    std::fs::read(&path).unwrap()
}

#[test]
fn jpeg_loses_gps_camera_serial_maker_xmp_iptc_comment_and_thumbnail_keeps_orientation() {
    let d = dir("jpeg");
    let dirty = dirty_jpeg(&d);
    keep_as_vector("photo-gps-camera-iptc-xmp.jpg", &dirty);
    let before = read_tags(&d, "before.jpg", &dirty);
    assert!(
        before.contains_key("GPS:GPSLatitude") && before.contains_key("IFD0:Make"),
        "{before:?}"
    );
    let c = clean("foto.jpg", "image/jpeg", &dirty);
    assert_eq!(c.could_not_check, None);
    assert_reported(
        &c.removed,
        &[
            Metadata::Location,
            Metadata::Camera,
            Metadata::CameraSerial,
            Metadata::Author,
            Metadata::Dates,
            Metadata::Comments,
            Metadata::Thumbnail,
        ],
    );
    let after = read_tags(&d, "after.jpg", &c.bytes);
    assert_no_secrets("jpeg", &after, BANNED);
    assert_eq!(
        after.get("IFD0:Orientation"),
        Some(&serde_json::json!(6)),
        "{after:?}"
    );
    let mut decoder = zune_jpeg::JpegDecoder::new(&c.bytes[..]);
    let decoded = decoder.decode().expect("the cleaned JPEG decodes");
    assert_eq!(decoded.len(), 64 * 48 * 3);
    assert_eq!(decoder.dimensions(), Some((64, 48)));
    // Idempotent: a clean file comes back byte for byte, with nothing to report.
    let again = clean("foto.jpg", "image/jpeg", &c.bytes);
    assert_eq!((again.bytes, again.removed), (c.bytes.clone(), vec![]));
    assert_eq!(inspect("foto.jpg", &c.bytes).found, vec![]);
    assert!(
        inspect("foto.jpg", &dirty)
            .found
            .contains(&Metadata::Location)
    );
}

#[test]
fn png_loses_text_exif_xmp_and_time() {
    let d = dir("png");
    let path = d.join("scherm.png");
    std::fs::write(&path, make_png()).unwrap();
    exiftool(
        &[
            "-PNG:Author=Jan Jansen",
            "-PNG:Comment=Breestraat",
            "-PNG:Software=Gemeente Leiden",
            "-XMP-dc:Creator=Jan Jansen",
            "-EXIF:Make=Canon",
            "-EXIF:SerialNumber=SN0123456789",
            "-GPSLatitude=52.1583",
            "-GPSLatitudeRef=N",
            "-PNG:ModifyDate=2026:11:30 10:00:00",
        ],
        &path,
    );
    let dirty = std::fs::read(&path).unwrap();
    keep_as_vector("screenshot-text-exif-xmp.png", &dirty);
    let c = clean("scherm.png", "image/png", &dirty);
    assert_reported(
        &c.removed,
        &[
            Metadata::Author,
            Metadata::Comments,
            Metadata::Software,
            Metadata::Location,
            Metadata::CameraSerial,
            Metadata::Dates,
        ],
    );
    assert_no_secrets("png", &read_tags(&d, "after.png", &c.bytes), BANNED);
    let decoder = png::Decoder::new(&c.bytes[..]);
    let mut reader = decoder.read_info().expect("the cleaned PNG parses");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("and decodes");
    assert_eq!((info.width, info.height), (64, 48));
    assert_eq!(&buf[..info.buffer_size()], &pixels()[..]);
    assert_eq!(clean("x.png", "", &c.bytes).bytes, c.bytes);
}

#[test]
fn webp_loses_exif_and_xmp() {
    let d = dir("webp");
    let path = d.join("foto.webp");
    std::fs::write(&path, make_webp()).unwrap();
    exiftool(
        &[
            "-XMP-dc:Creator=Jan Jansen",
            "-EXIF:Artist=Jan Jansen",
            "-GPSLatitude=52.1583",
            "-GPSLatitudeRef=N",
        ],
        &path,
    );
    let dirty = std::fs::read(&path).unwrap();
    keep_as_vector("photo-exif-xmp.webp", &dirty);
    let c = clean("foto.webp", "image/webp", &dirty);
    assert!(
        c.removed.contains(&Metadata::Location) && c.removed.contains(&Metadata::Author),
        "{:?}",
        c.removed
    );
    assert_no_secrets("webp", &read_tags(&d, "after.webp", &c.bytes), BANNED);
    let mut decoder = image_webp::WebPDecoder::new(std::io::Cursor::new(&c.bytes)).expect("parses");
    let mut buf = vec![0; decoder.output_buffer_size().unwrap()];
    decoder
        .read_image(&mut buf)
        .expect("the cleaned WebP decodes");
    assert_eq!(buf, pixels());
}

/// The hand-written PDF with an author, a program and a title in its Info dictionary
/// and XMP, written by exiftool as an incremental update.
fn pdf_with_metadata(d: &Path) -> Vec<u8> {
    let path = d.join("brief.pdf");
    std::fs::write(&path, make_pdf()).unwrap();
    exiftool(
        &[
            "-PDF:Author=Jan Jansen",
            "-PDF:Creator=Gemeente Leiden",
            "-PDF:Title=Breestraat",
            "-XMP-dc:Creator=Jan Jansen",
            "-XMP-pdf:Producer=Gemeente Leiden",
        ],
        &path,
    );
    std::fs::read(&path).unwrap()
}

/// Cleans `dirty` and checks the result: the metadata reported, none of it in the bytes
/// or by exiftool's reading, exiftool finds the structure valid, the page and its text
/// are still there, and cleaning it again changes nothing.
fn assert_cleaned_pdf(d: &Path, dirty: &[u8]) {
    let c = clean("brief.pdf", "application/pdf", dirty);
    assert_eq!(c.could_not_check, None);
    assert_reported(
        &c.removed,
        &[Metadata::Author, Metadata::Software, Metadata::Title],
    );
    let text = String::from_utf8_lossy(&c.bytes);
    for s in SECRETS {
        assert!(!text.contains(s), "{s} still in the bytes of the PDF");
    }
    let after = read_tags(d, "after.pdf", &c.bytes);
    assert_no_secrets("pdf", &after, BANNED);
    assert!(!after.contains_key("PDF:Producer"), "{after:?}");
    let validate = Command::new("exiftool")
        .args(["-validate", "-warning", "-error", "-a", "-s3"])
        .arg(d.join("after.pdf"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&validate.stdout).trim(), "OK");
    let doc = lopdf::Document::load_mem(&c.bytes).expect("the cleaned PDF parses");
    assert!(doc.trailer.get(b"Info").is_err());
    for object in doc.objects.values() {
        let text = format!("{object:?}");
        for s in SECRETS {
            assert!(!text.contains(s), "{s} still in {text}");
        }
    }
    assert_eq!(doc.get_pages().len(), 1);
    assert!(doc.extract_text(&[1]).unwrap().contains("Hallo"));
    let again = clean("brief.pdf", "application/pdf", &c.bytes);
    assert_eq!((again.bytes, again.removed), (c.bytes.clone(), vec![]));
}

#[test]
fn pdf_loses_info_xmp_and_earlier_revisions() {
    let d = dir("pdf");
    let dirty = pdf_with_metadata(&d);
    assert!(String::from_utf8_lossy(&dirty).contains("Jan Jansen"));
    keep_as_vector("letter-info-xmp-incremental.pdf", &dirty);
    assert_cleaned_pdf(&d, &dirty);
}

/// A PDF 1.5 whose objects sit in compressed object streams, listed by a
/// cross-reference stream: the Info dictionary is inside an object stream.
#[test]
fn pdf_with_object_streams_loses_info_and_xmp() {
    let d = dir("pdf-objstm");
    let mut doc = lopdf::Document::load_mem(&pdf_with_metadata(&d)).unwrap();
    let dirty = packed(&mut doc);
    assert!(find(&dirty, b"/ObjStm") && find(&dirty, b"/XRef"));
    let before = read_tags(&d, "before.pdf", &dirty);
    assert_eq!(before["PDF:Author"], "Jan Jansen", "{before:?}");
    keep_as_vector("letter-info-xmp-objstm.pdf", &dirty);
    assert_cleaned_pdf(&d, &dirty);
}

/// An ordinary PDF from another writer: Chromium prints a page (Skia, compressed
/// content and fonts), then exiftool adds an author in an incremental update. The
/// cleaner's work bound does not refuse it; it loses the metadata and still opens.
#[test]
fn pdf_printed_by_chromium_and_updated_is_cleaned() {
    let d = dir("pdf-chromium");
    let html = d.join("brief.html");
    std::fs::write(
        &html,
        "<title>Breestraat</title><h1>Hallo</h1><p>Een melding over de gemeente.</p>",
    )
    .unwrap();
    let printed = d.join("brief.pdf");
    let status = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--print-to-pdf={}", printed.display()))
        .arg(&html)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    exiftool(&["-Author=Jan Jansen"], &printed);
    let dirty = std::fs::read(&printed).unwrap();
    assert!(count(&dirty, b"%%EOF") > 1 && find(&dirty, b"Skia/PDF"));
    let c = clean("brief.pdf", "application/pdf", &dirty);
    assert_eq!(c.could_not_check, None);
    assert_reported(
        &c.removed,
        &[Metadata::Author, Metadata::Software, Metadata::Title],
    );
    let after = read_tags(&d, "after.pdf", &c.bytes);
    assert_no_secrets("pdf", &after, BANNED);
    assert!(!after.contains_key("PDF:Producer"), "{after:?}");
    let doc = lopdf::Document::load_mem(&c.bytes).expect("the cleaned PDF parses");
    assert_eq!(doc.get_pages().len(), 1);
    let again = inspect("brief.pdf", &c.bytes);
    assert!(again.found.is_empty() && again.could_not_check.is_none());
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// A password-protected PDF comes back unchanged, named as such, whether it opens
/// without a password (only an owner password) or not: its metadata cannot be rewritten
/// without re-encrypting it.
#[test]
fn encrypted_pdf_is_returned_unchanged() {
    let d = dir("pdf-encrypted");
    for user_password in ["", "geheim"] {
        let mut doc = lopdf::Document::load_mem(&pdf_with_metadata(&d)).unwrap();
        doc.trailer.set(
            "ID",
            vec![
                lopdf::Object::string_literal(*b"0123456789abcdef"),
                lopdf::Object::string_literal(*b"0123456789abcdef"),
            ],
        );
        let version = lopdf::EncryptionVersion::V2 {
            document: &doc,
            owner_password: "eigenaar",
            user_password,
            key_length: 128,
            permissions: lopdf::Permissions::all(),
        };
        let state = lopdf::EncryptionState::try_from(version).unwrap();
        doc.encrypt(&state).unwrap();
        let mut locked = Vec::new();
        doc.save_to(&mut locked).unwrap();
        assert!(find(&locked, b"/Encrypt"));
        let c = clean("brief.pdf", "application/pdf", &locked);
        assert_eq!(
            c.could_not_check,
            Some(Reason::Encrypted),
            "{user_password:?}"
        );
        assert_eq!(&c.bytes[..], &locked[..]);
        assert!(c.removed.is_empty());
    }
}

fn find(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Every XML part of a cleaned archive parses, and none holds a planted secret.
fn check_archive(bytes: &[u8]) -> Vec<String> {
    use std::io::Read;
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("the cleaned file opens as a zip");
    let mut names = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        let name = f.name().to_string();
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let text = String::from_utf8(data.clone()).unwrap();
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
            for s in SECRETS {
                assert!(!text.contains(s), "{s} still in {name}: {text}");
            }
            assert!(
                !text.contains("rsid"),
                "revision ids still in {name}: {text}"
            );
        }
        names.push(name);
    }
    names
}

#[test]
fn docx_loses_author_editor_company_custom_properties_revision_ids_and_photo_gps() {
    let d = dir("docx");
    let dirty = make_docx(&dirty_jpeg(&d));
    keep_as_vector("letter-author-rsid-comments-photo.docx", &dirty);
    let c = clean(
        "brief.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &dirty,
    );
    assert_eq!(c.could_not_check, None);
    assert_reported(
        &c.removed,
        &[
            Metadata::Author,
            Metadata::Organisation,
            Metadata::RevisionIds,
            Metadata::CustomProperties,
            Metadata::Location,
            Metadata::CameraSerial,
            Metadata::Dates,
        ],
    );
    let names = check_archive(&c.bytes);
    assert!(names.contains(&"word/document.xml".to_string()));
    assert_no_secrets("docx", &read_tags(&d, "after.docx", &c.bytes), BANNED);
    // The text stays.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&c.bytes)).unwrap();
    let doc = std::io::read_to_string(zip.by_name("word/document.xml").unwrap()).unwrap();
    assert!(
        doc.contains("De wethouder \"zegt\" &gt; niets.") && doc.contains("Toegevoegd."),
        "{doc}"
    );
    let again = clean("brief.docx", "", &c.bytes);
    assert_eq!((again.bytes, again.removed), (c.bytes.clone(), vec![]));
}

#[test]
fn odt_loses_meta_and_annotation_authors() {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.text")
        .unwrap();
    zip.start_file("meta.xml", stored).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><meta:initial-creator>Jan Jansen</meta:initial-creator><dc:creator>Jan Jansen</dc:creator><meta:generator>LibreOffice</meta:generator><meta:editing-cycles>4</meta:editing-cycles></office:meta></office:document-meta>"#).unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:body><office:text><text:p>Tekst<office:annotation><dc:creator>Jan Jansen</dc:creator><dc:date>2026-11-30T10:00:00</dc:date><text:p>Klopt dit?</text:p></office:annotation></text:p></office:text></office:body></office:document-content>"#).unwrap();
    let dirty = zip.finish().unwrap().into_inner();
    keep_as_vector("letter-meta-annotation.odt", &dirty);
    let c = clean(
        "brief.odt",
        "application/vnd.oasis.opendocument.text",
        &dirty,
    );
    assert_reported(
        &c.removed,
        &[
            Metadata::Author,
            Metadata::Software,
            Metadata::RevisionIds,
            Metadata::Dates,
        ],
    );
    let names = check_archive(&c.bytes);
    assert_eq!(names[0], "mimetype", "mimetype stays first");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&c.bytes)).unwrap();
    assert_eq!(
        zip.by_index(0).unwrap().compression(),
        zip::CompressionMethod::Stored
    );
}

#[test]
fn heic_unknown_and_plain_text_say_what_they_are() {
    let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    heic.extend_from_slice(
        b"....Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x88\x25\0\x04\0\0\0\x01\0\0\0\x1a\0\0\0\0",
    );
    keep_as_vector("iphone.heic", &heic);
    keep_as_vector("damaged.jpg", b"\xFF\xD8\xFF\xE1\x00");
    keep_as_vector("plain.jpg", &make_jpeg());
    let c = clean("IMG_0001.HEIC", "image/heic", &heic);
    assert_eq!(
        (c.could_not_check, &c.bytes[..]),
        (Some(Reason::Heic), &heic[..])
    );
    let i = inspect("IMG_0001.HEIC", &heic);
    assert_eq!(i.could_not_check, Some(Reason::Heic));
    assert!(i.found.contains(&Metadata::Location), "{:?}", i.found);
    assert_eq!(
        clean("film.mp4", "video/mp4", b"\0\0\0\x18ftypisom").could_not_check,
        Some(Reason::UnknownFormat)
    );
    let t = clean("notities.txt", "text/plain", "Jan Jansen".as_bytes());
    assert_eq!((t.could_not_check, t.removed), (None, vec![]));
    assert_eq!(
        clean("kapot.jpg", "image/jpeg", b"\xFF\xD8\xFF\xE1\x00").could_not_check,
        Some(Reason::Damaged)
    );
}

/// A zip of `parts`, deflated, with a real timestamp.
fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .last_modified_time(zip::DateTime::from_date_and_time(2026, 11, 30, 10, 0, 0).unwrap());
    for (name, text) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#;
const CORE: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jan Jansen</dc:creator></cp:coreProperties>"#;

#[test]
fn xlsx_and_pptx_lose_comment_authors_and_people() {
    let xlsx = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("docProps/core.xml", CORE),
        (
            "xl/comments1.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>Jan Jansen</author></authors><commentList><comment ref="A1" authorId="0"><text><t>Klopt dit?</t></text></comment></commentList></comments>"#,
        ),
        (
            "xl/persons/person.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"><person displayName="Jan Jansen" id="{1}" userId="SN0123456789" providerId="AD"/></personList>"#,
        ),
    ]);
    let c = clean("cijfers.xlsx", "", &xlsx);
    assert_reported(&c.removed, &[Metadata::Author, Metadata::Dates]);
    check_archive(&c.bytes);
    let pptx = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("docProps/core.xml", CORE),
        (
            "ppt/commentAuthors.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:cmAuthorLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cmAuthor id="1" name="Jan Jansen (Gemeente Leiden)" initials="JJ" lastIdx="1" clrIdx="0"/></p:cmAuthorLst>"#,
        ),
    ]);
    let c = clean("presentatie.pptx", "", &pptx);
    assert_reported(&c.removed, &[Metadata::Author]);
    check_archive(&c.bytes);
    // A zip that is no document is not checked: it could hold anything.
    let other = zip_of(&[("foto.jpg", "x")]);
    assert_eq!(
        clean("map.zip", "", &other).could_not_check,
        Some(Reason::UnknownFormat)
    );
}
