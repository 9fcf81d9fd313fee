//! Every way the library can fail, named after what failed. The variants carry data
//! (paths, codes, ids) and details from other libraries (in English), never text for
//! a person: each face words them itself (the CLI in `cli::messages`, from its
//! catalogue).

use std::path::{Path, PathBuf};

#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    NoHome,
    AlreadyInitialised(PathBuf),
    NotInitialised(PathBuf),
    NoTerminal,
    PassphraseTooShort,
    PassphraseMismatch,
    BadWorkFactor(String),
    WrongPassphrase(PathBuf),
    KeyFileDamaged(PathBuf, String),
    Io {
        path: PathBuf,
        action: Action,
        detail: String,
    },
    BundleMissing(PathBuf),
    BundleInvalid(PathBuf, String),
    NotAnInbox(PathBuf),
    /// The bundle's manifest names another meldpunt (signing public keys).
    BundleForeign {
        theirs: String,
        ours: String,
    },
    SetAsideNotFound(String),
    ItemConflict(String),
    CaseNotFound(String),
    ReplyInvalid(String),
    OutputExists(PathBuf),
    Store(PathBuf, String),
    StoreTooNew(PathBuf),
    Internal(String),
    ForeignKey(PathBuf),
    RecoveryCannotSign,
    NoReplyChannel(String, String),
    /// A value given for `Field` is not one of its codes.
    InvalidCode(Field, String),
    InvalidDay(String),
    DayBeforeReceipt(String, String),
    InvalidRecipient(String),
    EditorFailed(String),
    ReplyAborted,
    TextInvalid(String),
    /// A text given to store is not UTF-8.
    TextNotUtf8,
    /// The operation needs the keys and the session has not been unlocked (or not
    /// with the signing key).
    Locked,
    NotImported(PathBuf, String),
    NothingToChange,
    NoAttachments(String),
    SameRecovery,
}

/// Which value a [`Error::InvalidCode`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Field {
    Kanaal,
    Organisatie,
    Soort,
    Melder,
    OverWie,
    Afdoening,
    Year,
    Years,
}

impl Field {
    /// How the field is written on the command line and in the catalogue.
    pub fn name(self) -> &'static str {
        match self {
            Field::Kanaal => "kanaal",
            Field::Organisatie => "organisatie",
            Field::Soort => "soort",
            Field::Melder => "melder",
            Field::OverWie => "over wie",
            Field::Afdoening => "afdoening",
            Field::Year => "--year",
            Field::Years => "--years",
        }
    }
}

/// What the tool was doing with a file when the system said no.
#[derive(Debug, Clone, Copy)]
pub enum Action {
    Read,
    Write,
    CreateDir,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: &Path, action: Action, e: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            action,
            detail: e.to_string(),
        }
    }

    pub fn store(path: &Path, e: rusqlite::Error) -> Self {
        Error::Store(path.to_path_buf(), e.to_string())
    }
}
