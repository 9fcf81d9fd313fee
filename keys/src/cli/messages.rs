//! How the library's errors and set-aside items read, in the chosen language: what
//! happened, and what the coördinator can do next. Details from libraries (which speak
//! English) are appended in parentheses.

use meldpunt_envelope::domain::ItemKind;
use meldpunt_keys::error::{Action, Error};
use meldpunt_keys::import::{SetAside, SetAsideReason};
use meldpunt_keys::lang::CliLang;
use meldpunt_keys::lang::Lang;
use meldpunt_keys::tr;

/// The two lines a failure prints.
pub trait Explain {
    /// What happened.
    fn what(&self, l: Lang) -> String;
    /// What to do next.
    fn todo(&self, l: Lang) -> String;
    /// The two lines printed on stderr.
    fn render(&self, l: Lang) -> String;
}

impl Explain for Error {
    /// What happened.
    fn what(&self, l: Lang) -> String {
        use Error::*;
        match self {
            NoHome => tr!(l, "err-no-folder-was-given-and"),
            AlreadyInitialised(d) => {
                tr!(l, "err-already-holds-meldpunt-keys-they", d = d.display())
            }
            NotInitialised(d) => tr!(l, "err-holds-no-meldpunt-keys-identity", d = d.display()),
            NoTerminal => tr!(l, "err-cannot-ask-for-the-passphrase"),
            PassphraseTooShort => tr!(l, "err-the-passphrase-is-too-short"),
            PassphraseMismatch => tr!(l, "err-the-two-passphrases-differ"),
            BadWorkFactor(v) => tr!(l, "err-meldpunt-scrypt-log-n-is", v = format!("{:?}", v)),
            WrongPassphrase(p) => tr!(l, "err-the-passphrase-does-not-open", p = p.display()),
            KeyFileDamaged(p, d) => tr!(l, "err-is-damaged-or-not-a", p = p.display(), d = d),
            Io {
                path,
                action,
                detail,
            } => match action {
                Action::Read => tr!(l, "err-cannot-read", path = path.display(), detail = detail),
                Action::Write => tr!(
                    l,
                    "err-cannot-write",
                    path = path.display(),
                    detail = detail
                ),
                Action::CreateDir => tr!(
                    l,
                    "err-cannot-create-the-folder",
                    path = path.display(),
                    detail = detail
                ),
            },
            BundleMissing(p) => tr!(l, "err-the-file-does-not-exist", p = p.display()),
            BundleInvalid(p, d) => tr!(l, "err-is-not-a-valid-meldpunt", p = p.display(), d = d),
            NotAnInbox(p) => tr!(l, "err-is-a-bundle-of-replies", p = p.display()),
            BundleForeign { theirs, ours } => tr!(
                l,
                "err-this-bundle-comes-from-another",
                theirs = theirs,
                ours = ours
            ),
            SetAsideNotFound(id) => {
                let id = super::printable(id);
                tr!(l, "err-there-is-no-set-aside", id = id)
            }
            ItemConflict(id) => tr!(l, "err-item-was-imported-before-but", id = id),
            CaseNotFound(c) => tr!(l, "err-there-is-no-case", c = c),
            ReplyInvalid(d) => tr!(l, "err-the-reply-cannot-be-sent", d = d),
            OutputExists(p) => tr!(l, "err-already-exists-and-is-not", p = p.display()),
            Store(p, d) => tr!(l, "err-the-case-store-reported-an", p = p.display(), d = d),
            StoreTooNew(p) => tr!(l, "err-the-case-store-was-made", p = p.display()),
            Internal(d) => tr!(l, "err-internal-error", d = d),
            Locked => tr!(l, "err-locked"),
            TextNotUtf8 => tr!(l, "err-text-not-utf8"),
            ForeignKey(p) => tr!(l, "err-does-not-belong-to-this", p = p.display()),
            RecoveryCannotSign => tr!(l, "err-the-recovery-key-cannot-sign"),
            NoReplyChannel(c, k) => {
                let k = l.term(meldpunt_keys::cases::KANALEN, k).to_lowercase();
                tr!(l, "err-case-came-in-by-there", c = c, k = k)
            }
            InvalidCode(what, v) => {
                let what = what.name();
                tr!(
                    l,
                    "err-is-not-a-valid-value",
                    v = format!("{:?}", v),
                    what = what
                )
            }
            InvalidDay(v) => tr!(l, "err-is-not-a-valid-date", v = format!("{:?}", v)),
            DayBeforeReceipt(d, r) => tr!(l, "err-is-before-the-day-the", d = d, r = r),
            InvalidRecipient(v) => tr!(l, "err-is-not-an-age-public", v = format!("{:?}", v)),
            EditorFailed(d) => tr!(l, "err-the-editor-could-not-be", d = d),
            ReplyAborted => tr!(l, "err-the-text-was-left-empty"),
            TextInvalid(d) => tr!(l, "err-the-text-cannot-be-saved", d = d),
            NotImported(p, id) => tr!(l, "err-item-of-is-not-in", id = id, p = p.display()),
            NothingToChange => tr!(l, "err-nothing-to-change-was-given"),
            NoAttachments(c) => tr!(l, "err-case-has-no-attachments", c = c),
            SameRecovery => tr!(l, "err-this-recovery-key-is-already"),
            other => tr!(l, "err-internal-error-2", other = format!("{:?}", other)),
        }
    }

    /// What to do next.
    fn todo(&self, l: Lang) -> String {
        use Error::*;
        match self {
            NoHome => tr!(l, "err-give-the-folder-with-dir"),
            AlreadyInitialised(_) => tr!(l, "err-use-the-existing-keys-or"),
            NotInitialised(_) => tr!(l, "err-check-dir-or-meldpunt-dir"),
            NoTerminal => tr!(l, "err-run-the-command-in-a"),
            PassphraseTooShort => tr!(l, "err-choose-a-longer-passphrase-for"),
            PassphraseMismatch => tr!(l, "err-start-again-and-type-the"),
            BadWorkFactor(_) => tr!(l, "err-unset-meldpunt-scrypt-log-n"),
            WrongPassphrase(_) => tr!(l, "err-try-again-minding-capitals-and"),
            KeyFileDamaged(..) => tr!(l, "err-restore-the-file-from-the"),
            Io { .. } => tr!(l, "err-check-the-path-the-permissions"),
            BundleMissing(_) => tr!(l, "err-check-the-name-and-whether"),
            BundleInvalid(..) => tr!(l, "err-fetch-the-bundle-from-the"),
            NotAnInbox(_) => tr!(l, "err-reply-bundles-go-to-the"),
            BundleForeign { .. } => tr!(l, "err-fetch-the-bundle-from-this"),
            SetAsideNotFound(_) => tr!(l, "err-see-the-set-aside-items"),
            ItemConflict(_) => tr!(l, "err-check-that-the-bundle-comes"),
            CaseNotFound(_) => tr!(l, "err-see-the-case-numbers-with"),
            ReplyInvalid(_) => tr!(l, "err-write-a-non-empty-text"),
            OutputExists(_) => tr!(l, "err-choose-another-file-name"),
            Store(..) => tr!(l, "err-close-other-meldpunt-keys-windows"),
            StoreTooNew(_) => tr!(l, "err-use-the-newest-version-of"),
            Internal(_) | Locked => tr!(l, "err-this-is-a-bug-in"),
            ForeignKey(_) => tr!(l, "err-check-dir-or-meldpunt-dir-2"),
            RecoveryCannotSign => tr!(l, "err-use-the-ordinary-keys-with"),
            NoReplyChannel(..) => tr!(l, "err-get-in-touch-the-way"),
            InvalidCode(..) => tr!(l, "err-choose-one-of-the-values"),
            InvalidDay(_) => tr!(l, "err-write-the-date-as-yyyy"),
            DayBeforeReceipt(..) => tr!(l, "err-check-the-date-meldpunt-keys"),
            InvalidRecipient(_) => tr!(l, "err-give-the-public-key-rage"),
            EditorFailed(_) => tr!(l, "err-set-editor-to-a-working"),
            ReplyAborted => tr!(l, "err-write-the-text-and-save"),
            TextInvalid(_) | TextNotUtf8 => tr!(l, "err-write-a-non-empty-text"),
            NotImported(..) => tr!(l, "err-import-the-bundle-first-with"),
            NothingToChange => tr!(l, "err-give-at-least-one-option"),
            NoAttachments(_) => tr!(l, "err-there-is-nothing-to-save"),
            SameRecovery => tr!(l, "err-nothing-needs-to-be-done"),
            _ => tr!(l, "err-this-is-a-bug-in"),
        }
        .to_string()
    }

    /// The two lines printed on stderr.
    fn render(&self, l: Lang) -> String {
        format!(
            "{}: {}\n{}: {}\n",
            tr!(l, "err-error"),
            self.what(l),
            tr!(l, "err-what-to-do"),
            self.todo(l)
        )
    }
}

/// One line for the count of items an import set aside (on stdout, with the counts).
pub fn set_aside_summary(l: Lang, n: usize) -> String {
    tr!(l, "err-set-aside-not-for-this", n = n)
}

/// A set-aside item's kind (the code the store keeps) in words.
pub fn set_aside_kind(l: Lang, kind: &str) -> String {
    match ItemKind::from_code(kind) {
        Some(ItemKind::Melding) => tr!(l, "err-melding"),
        Some(ItemKind::Vervolg) => tr!(l, "err-follow-up"),
        Some(ItemKind::Bijlage) => tr!(l, "err-attachment"),
        _ => kind.to_string(),
    }
    .to_string()
}

/// A set-aside reason (the code the store keeps) in a few words; a code this
/// version does not know is shown as it is.
pub fn set_aside_reason(l: Lang, code: &str) -> String {
    let known = SetAsideReason::from_code(code);
    let Some(reason) = known else {
        return super::printable(code);
    };
    match reason {
        SetAsideReason::NotOurs => tr!(l, "err-not-encrypted-to-this-meldpunt"),
        SetAsideReason::Damaged => tr!(l, "err-damaged-or-not-an-age"),
        SetAsideReason::NotAMelding => tr!(l, "err-opens-but-is-not-a"),
        SetAsideReason::WrongCase => tr!(l, "err-by-its-content-belongs-to"),
        SetAsideReason::AttachmentMismatch => tr!(l, "err-does-not-match-the-melding"),
        SetAsideReason::ParentSetAside => tr!(l, "err-belongs-to-an-item-that"),
        _ => return super::printable(code),
    }
    .to_string()
}

/// What happened to one set-aside item, and what to do, as two lines (stderr).
pub fn render_set_aside(l: Lang, s: &SetAside) -> String {
    let id = &s.id;
    let noun = if s.kind == meldpunt_envelope::bundle::ItemKind::Bijlage {
        tr!(l, "err-attachment")
    } else {
        tr!(l, "err-item")
    };
    let detail = if s.detail.is_empty() {
        String::new()
    } else {
        format!(" ({})", s.detail)
    };
    let (what, todo) = match s.reason {
        SetAsideReason::NotOurs => (
            tr!(l, "err-is-not-encrypted-to-this", noun = noun, id = id),
            tr!(l, "err-nothing-to-do-someone-sealed"),
        ),
        SetAsideReason::Damaged => (
            tr!(
                l,
                "err-is-damaged-or-not-an",
                noun = noun,
                id = id,
                detail = detail
            ),
            tr!(l, "err-nothing-to-do-the-server"),
        ),
        SetAsideReason::NotAMelding => (
            tr!(l, "err-item-opens-but-is-not", id = id, detail = detail),
            tr!(l, "err-nothing-to-do-it-was"),
        ),
        SetAsideReason::WrongCase => (
            tr!(l, "err-by-its-content-item-does", id = id),
            tr!(l, "err-the-case-itself-is-unchanged"),
        ),
        SetAsideReason::AttachmentMismatch => (
            tr!(
                l,
                "err-attachment-does-not-match-the",
                id = id,
                detail = detail
            ),
            tr!(l, "err-the-melding-itself-was-imported"),
        ),
        SetAsideReason::ParentSetAside => (
            tr!(l, "err-attachment-belongs-to-an-item", id = id),
            tr!(l, "err-nothing-to-do-see-the"),
        ),
        _ => (
            tr!(l, "err-set-aside", noun = noun, id = id, detail = detail),
            tr!(l, "err-nothing-to-do-meldpunt-keys"),
        ),
    };
    format!(
        "{}: {what}\n{}: {todo}\n",
        tr!(l, "err-note"),
        tr!(l, "err-what-to-do"),
    )
}
