//! Every library error in words: what happened and what to do, in the chosen language,
//! from the desk's catalogue (the CLI words the same errors for a terminal).

use meldpunt_envelope::Lang;
use meldpunt_keys::error::{Action, Error, Field};

use crate::t;

fn field(l: Lang, f: Field) -> String {
    match f {
        Field::Kanaal => t!(l, "field-kanaal"),
        Field::Organisatie => t!(l, "field-organisatie"),
        Field::Soort => t!(l, "field-soort"),
        Field::Melder => t!(l, "field-melder"),
        Field::OverWie => t!(l, "field-over-wie"),
        Field::Afdoening => t!(l, "field-afdoening"),
        Field::Year => t!(l, "field-year"),
        Field::Years => t!(l, "field-years"),
        _ => t!(l, "field-other"),
    }
}

fn disk_full(detail: &str) -> bool {
    detail.contains("No space left") || detail.contains("os error 28")
}

/// (what happened, what to do)
pub fn explain(l: Lang, e: &Error) -> (String, String) {
    match e {
        Error::WrongPassphrase(_) => (
            t!(l, "err-wrong-passphrase"),
            t!(l, "err-wrong-passphrase-todo"),
        ),
        Error::PassphraseTooShort => (
            t!(
                l,
                "err-passphrase-short",
                min = meldpunt_keys::secrets::MIN_PASSPHRASE
            ),
            t!(l, "err-passphrase-short-todo"),
        ),
        Error::PassphraseMismatch => (
            t!(l, "err-passphrase-mismatch"),
            t!(l, "err-passphrase-mismatch-todo"),
        ),
        Error::AlreadyInitialised(_) => (
            t!(l, "err-already-initialised"),
            t!(l, "err-already-initialised-todo"),
        ),
        Error::NotInitialised(_) => (
            t!(l, "err-not-initialised"),
            t!(l, "err-not-initialised-todo"),
        ),
        Error::KeyFileDamaged(_, _) | Error::ForeignKey(_) => {
            (t!(l, "err-key-damaged"), t!(l, "err-key-damaged-todo"))
        }
        Error::BundleForeign { .. } => (
            t!(l, "err-bundle-foreign"),
            t!(l, "err-bundle-foreign-todo"),
        ),
        Error::BundleInvalid(_, _) | Error::BundleMissing(_) => (
            t!(l, "err-bundle-damaged"),
            t!(l, "err-bundle-damaged-todo"),
        ),
        Error::NotAnInbox(_) => (t!(l, "err-not-an-inbox"), t!(l, "err-not-an-inbox-todo")),
        Error::NotImported(_, _) => (t!(l, "err-not-imported"), t!(l, "err-not-imported-todo")),
        Error::CaseNotFound(n) => (
            t!(l, "err-case-not-found", number = n),
            t!(l, "err-case-not-found-todo"),
        ),
        Error::ReplyInvalid(_) | Error::TextInvalid(_) | Error::TextNotUtf8 => {
            (t!(l, "err-text-invalid"), t!(l, "err-text-invalid-todo"))
        }
        Error::NoReplyChannel(_, _) => (
            t!(l, "err-no-reply-channel"),
            t!(l, "err-no-reply-channel-todo"),
        ),
        Error::InvalidCode(f, _) => (
            t!(l, "err-invalid-choice", field = field(l, *f)),
            t!(l, "err-invalid-choice-todo"),
        ),
        Error::InvalidDay(_) => (t!(l, "err-invalid-day"), t!(l, "err-invalid-day-todo")),
        Error::DayBeforeReceipt(d, r) => (
            t!(l, "err-day-before-receipt", day = d, received = r),
            t!(l, "err-day-before-receipt-todo"),
        ),
        Error::InvalidRecipient(_) => (
            t!(l, "err-invalid-recipient"),
            t!(l, "err-invalid-recipient-todo"),
        ),
        Error::NothingToChange => (
            t!(l, "err-nothing-to-change"),
            t!(l, "err-nothing-to-change-todo"),
        ),
        Error::NoAttachments(_) => (
            t!(l, "err-no-attachments"),
            t!(l, "err-no-attachments-todo"),
        ),
        Error::Locked | Error::RecoveryCannotSign => {
            (t!(l, "err-locked"), t!(l, "err-locked-todo"))
        }
        Error::StoreTooNew(_) => (t!(l, "err-store-too-new"), t!(l, "err-store-too-new-todo")),
        Error::Io { detail, .. } if disk_full(detail) => {
            (t!(l, "err-disk-full"), t!(l, "err-disk-full-todo"))
        }
        Error::Store(_, detail) if disk_full(detail) || detail.contains("full") => {
            (t!(l, "err-disk-full"), t!(l, "err-disk-full-todo"))
        }
        Error::Io { path, action, .. } => (
            match action {
                Action::Read => t!(l, "err-io-read", path = path.display()),
                _ => t!(l, "err-io-write", path = path.display()),
            },
            t!(l, "err-io-todo"),
        ),
        Error::Store(_, _) => (t!(l, "err-store"), t!(l, "err-store-todo")),
        Error::OutputExists(_) => (t!(l, "err-internal"), t!(l, "err-internal-todo")),
        _ => (t!(l, "err-internal"), t!(l, "err-internal-todo")),
    }
}

/// The error as a box for a page.
pub fn boxed(l: Lang, e: &Error) -> String {
    let (what, todo) = explain(l, e);
    crate::page::error_box(&what, &todo)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    /// The errors the issue names, in both languages: what happened and what to do,
    /// each a sentence from the catalogue (not an id, not the library's English).
    #[test]
    fn the_named_errors_say_what_happened_and_what_to_do() {
        let p = PathBuf::from("/media/usb/inbox.tar");
        let cases = [
            (Error::WrongPassphrase(p.clone()), "err-wrong-passphrase"),
            (
                Error::BundleForeign {
                    theirs: "a".into(),
                    ours: "b".into(),
                },
                "err-bundle-foreign",
            ),
            (
                Error::BundleInvalid(p.clone(), "bad tar".into()),
                "err-bundle-damaged",
            ),
            (
                Error::Io {
                    path: p.clone(),
                    action: Action::Write,
                    detail: "No space left on device (os error 28)".into(),
                },
                "err-disk-full",
            ),
            (
                Error::Store(p.clone(), "database or disk is full".into()),
                "err-disk-full",
            ),
        ];
        for l in [Lang::Nl, Lang::En] {
            for (e, id) in &cases {
                let (what, todo) = explain(l, e);
                assert_eq!(what, crate::i18n::text(l, id, &[]), "{e:?} in {l:?}");
                assert!(
                    !what.contains("err-") && !todo.contains("err-"),
                    "{what} / {todo}"
                );
                assert!(todo.len() > 20 && todo != what, "{e:?}: {todo}");
            }
        }
        assert_ne!(
            explain(Lang::Nl, &cases[0].0).0,
            explain(Lang::En, &cases[0].0).0
        );
    }
}
