//! The ontvangstbewijs as a file its holder can read: a short text in the page's
//! language (what it proves, the item, the day, the organisation, how to check it)
//! with the signed data unchanged between two marker lines. Whoever checks it takes
//! the JSON between the markers, an `envelope::signed::SignedReceipt`, and verifies
//! it as docs/PROTOCOL.md ("Ontvangstbewijs") says. The reporter's page writes the
//! same layout from its own catalogue (`client-wasm/www/app.js`, `receiptFile`).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use meldpunt_envelope::signed::SignedReceipt;

use crate::catalogue::Text;
use crate::pages::Lang;

/// The line before the signed data.
pub const BEGIN: &str = "-----BEGIN MELDPUNT ONTVANGSTBEWIJS-----";
/// The line after it.
pub const END: &str = "-----END MELDPUNT ONTVANGSTBEWIJS-----";

/// A receipt file ready to download.
pub struct Download {
    pub file_name: String,
    pub text: String,
}

impl Download {
    pub fn new(lang: Lang, meldpunt: &str, organisation: &str, receipt: &SignedReceipt) -> Self {
        let r = &receipt.ontvangstbewijs;
        let json = serde_json::to_string_pretty(receipt).unwrap_or_default();
        let line = |label: String, value: &str| format!("{label}: {value}\n");
        let mut text = String::new();
        text.push_str(&lang.tr_with("receipt-file-title", &[("name", meldpunt)]));
        text.push_str("\n\n");
        text.push_str(&lang.tr("receipt-file-proves"));
        text.push_str("\n\n");
        text.push_str(&line(lang.tr("receipt-file-organisation"), organisation));
        text.push_str(&line(lang.tr("receipt-file-received"), &r.received));
        text.push_str(&line(lang.tr("receipt-file-item"), &r.id));
        text.push_str(&line(lang.tr("receipt-file-case"), &r.lookup_hash));
        text.push('\n');
        text.push_str(&lang.tr("receipt-file-verify"));
        text.push_str("\n\n");
        text.push_str(BEGIN);
        text.push('\n');
        text.push_str(&json);
        text.push('\n');
        text.push_str(END);
        text.push('\n');
        Download {
            file_name: format!(
                "ontvangstbewijs-{}-{}.txt",
                r.received,
                &r.id[..r.id.len().min(8)]
            ),
            text,
        }
    }

    /// A `data:` URL of the file, for a link with a `download` attribute (a page
    /// without JavaScript cannot make a file otherwise without asking the server
    /// again).
    pub fn data_url(&self) -> String {
        format!(
            "data:text/plain;charset=utf-8;base64,{}",
            STANDARD.encode(self.text.as_bytes())
        )
    }
}

/// The signed JSON inside a receipt file, if it has the markers.
pub fn signed_part(file: &str) -> Option<&str> {
    let start = file.find(BEGIN)? + BEGIN.len();
    let end = file[start..].find(END)? + start;
    Some(file[start..end].trim())
}
