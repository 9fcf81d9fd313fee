//! Every way a command can fail, named after what failed. Each failure renders as two
//! lines in the chosen language: what happened, and what the coördinator can do next.
//! Details from libraries (which speak English) are appended in parentheses.

use std::path::{Path, PathBuf};

use crate::lang::Lang;

#[derive(Debug)]
pub enum Failure {
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
    ItemForeign(String),
    ItemDamaged(String, String),
    ItemInvalid(String, String),
    ItemWrongCase(String),
    ItemConflict(String),
    CaseNotFound(String),
    ReplyInvalid(String),
    OutputExists(PathBuf),
    Store(PathBuf, String),
    StoreTooNew(PathBuf),
    Internal(String),
}

/// What the tool was doing with a file when the system said no.
#[derive(Debug, Clone, Copy)]
pub enum Action {
    Read,
    Write,
    CreateDir,
}

pub type Result<T, E = Failure> = std::result::Result<T, E>;

impl Failure {
    pub fn io(path: &Path, action: Action, e: std::io::Error) -> Self {
        Failure::Io {
            path: path.to_path_buf(),
            action,
            detail: e.to_string(),
        }
    }

    pub fn store(path: &Path, e: rusqlite::Error) -> Self {
        Failure::Store(path.to_path_buf(), e.to_string())
    }

    /// What happened.
    pub fn what(&self, l: Lang) -> String {
        use Failure::*;
        match self {
            NoHome => l.t("er is geen map opgegeven en $HOME is niet bekend", "no folder was given and $HOME is not set").into(),
            AlreadyInitialised(d) => l.t(
                format!("in {} staan al meldpuntsleutels; ze worden niet overschreven", d.display()),
                format!("{} already holds meldpunt keys; they are not overwritten", d.display()),
            ),
            NotInitialised(d) => l.t(
                format!("in {} staan geen meldpuntsleutels (identity.age ontbreekt)", d.display()),
                format!("{} holds no meldpunt keys (identity.age is missing)", d.display()),
            ),
            NoTerminal => l.t(
                "de wachtwoordzin kan niet worden gevraagd: er is geen terminal en MELDPUNT_PASSPHRASE is niet gezet",
                "cannot ask for the passphrase: there is no terminal and MELDPUNT_PASSPHRASE is not set",
            )
            .into(),
            PassphraseTooShort => l.t(
                "de wachtwoordzin is te kort (minstens 12 tekens)",
                "the passphrase is too short (at least 12 characters)",
            )
            .into(),
            PassphraseMismatch => l.t("de twee wachtwoordzinnen zijn niet gelijk", "the two passphrases differ").into(),
            BadWorkFactor(v) => l.t(
                format!("MELDPUNT_SCRYPT_LOG_N={v:?} is geen getal van 1 tot en met 30"),
                format!("MELDPUNT_SCRYPT_LOG_N={v:?} is not a number from 1 to 30"),
            ),
            WrongPassphrase(p) => l.t(
                format!("de wachtwoordzin opent {} niet", p.display()),
                format!("the passphrase does not open {}", p.display()),
            ),
            KeyFileDamaged(p, d) => l.t(
                format!("{} is beschadigd of geen meldpuntsleutel ({d})", p.display()),
                format!("{} is damaged or not a meldpunt key ({d})", p.display()),
            ),
            Io { path, action, detail } => match action {
                Action::Read => l.t(
                    format!("{} kan niet worden gelezen ({detail})", path.display()),
                    format!("cannot read {} ({detail})", path.display()),
                ),
                Action::Write => l.t(
                    format!("{} kan niet worden geschreven ({detail})", path.display()),
                    format!("cannot write {} ({detail})", path.display()),
                ),
                Action::CreateDir => l.t(
                    format!("map {} kan niet worden aangemaakt ({detail})", path.display()),
                    format!("cannot create the folder {} ({detail})", path.display()),
                ),
            },
            BundleMissing(p) => l.t(
                format!("het bestand {} bestaat niet", p.display()),
                format!("the file {} does not exist", p.display()),
            ),
            BundleInvalid(p, d) => l.t(
                format!("{} is geen geldige meldpuntbundel; er is niets geïmporteerd ({d})", p.display()),
                format!("{} is not a valid meldpunt bundle; nothing was imported ({d})", p.display()),
            ),
            NotAnInbox(p) => l.t(
                format!("{} is een bundel met reacties, geen bundel met meldingen; er is niets geïmporteerd", p.display()),
                format!("{} is a bundle of replies, not a bundle of meldingen; nothing was imported", p.display()),
            ),
            ItemForeign(id) => l.t(
                format!("bericht {id} is niet versleuteld voor de sleutel van dit meldpunt; er is niets geïmporteerd"),
                format!("item {id} is not encrypted to this meldpunt's key; nothing was imported"),
            ),
            ItemDamaged(id, d) => l.t(
                format!("bericht {id} is beschadigd of veranderd; er is niets geïmporteerd ({d})"),
                format!("item {id} is damaged or was changed; nothing was imported ({d})"),
            ),
            ItemInvalid(id, d) => l.t(
                format!("bericht {id} is geen geldige melding; er is niets geïmporteerd ({d})"),
                format!("item {id} is not a valid melding; nothing was imported ({d})"),
            ),
            ItemWrongCase(id) => l.t(
                format!("bericht {id} hoort volgens de inhoud niet bij de zaak waar de bundel het bij zet; er is niets geïmporteerd"),
                format!("by its content, item {id} does not belong to the case the bundle puts it in; nothing was imported"),
            ),
            ItemConflict(id) => l.t(
                format!("bericht {id} is al geïmporteerd, maar met een andere inhoud of bij een andere zaak; er is niets geïmporteerd"),
                format!("item {id} was imported before, but with other content or in another case; nothing was imported"),
            ),
            CaseNotFound(c) => l.t(format!("er is geen zaak {c}"), format!("there is no case {c}")),
            ReplyInvalid(d) => l.t(
                format!("de reactie kan niet worden verstuurd ({d})"),
                format!("the reply cannot be sent ({d})"),
            ),
            OutputExists(p) => l.t(
                format!("{} bestaat al en wordt niet overschreven", p.display()),
                format!("{} already exists and is not overwritten", p.display()),
            ),
            Store(p, d) => l.t(
                format!("het zaakregister {} geeft een fout ({d})", p.display()),
                format!("the case store {} reported an error ({d})", p.display()),
            ),
            StoreTooNew(p) => l.t(
                format!("het zaakregister {} is gemaakt door een nieuwere versie van meldpunt-keys", p.display()),
                format!("the case store {} was made by a newer version of meldpunt-keys", p.display()),
            ),
            Internal(d) => l.t(format!("interne fout ({d})"), format!("internal error ({d})")),
        }
    }

    /// What to do next.
    pub fn todo(&self, l: Lang) -> String {
        use Failure::*;
        match self {
            NoHome => l.t("Geef de map op met --dir of MELDPUNT_DIR.", "Give the folder with --dir or MELDPUNT_DIR."),
            AlreadyInitialised(_) => l.t(
                "Gebruik de bestaande sleutels, of kies met --dir een andere, lege map.",
                "Use the existing keys, or choose another, empty folder with --dir.",
            ),
            NotInitialised(_) => l.t(
                "Controleer --dir (of MELDPUNT_DIR), of maak eerst sleutels met `meldpunt-keys init`.",
                "Check --dir (or MELDPUNT_DIR), or make keys first with `meldpunt-keys init`.",
            ),
            NoTerminal => l.t(
                "Start de opdracht in een terminal, of zet de wachtwoordzin in MELDPUNT_PASSPHRASE.",
                "Run the command in a terminal, or put the passphrase in MELDPUNT_PASSPHRASE.",
            ),
            PassphraseTooShort => l.t(
                "Kies een langere wachtwoordzin, bijvoorbeeld vier of vijf losse woorden.",
                "Choose a longer passphrase, for example four or five unrelated words.",
            ),
            PassphraseMismatch => l.t("Start opnieuw en typ twee keer hetzelfde.", "Start again and type the same twice."),
            BadWorkFactor(_) => l.t(
                "Haal MELDPUNT_SCRYPT_LOG_N weg; die is alleen voor tests.",
                "Unset MELDPUNT_SCRYPT_LOG_N; it is for tests only.",
            ),
            WrongPassphrase(_) => l.t(
                "Probeer het opnieuw en let op hoofdletters en spaties.",
                "Try again, minding capitals and spaces.",
            ),
            KeyFileDamaged(..) => l.t(
                "Zet het bestand terug uit de reservekopie van de sleutelmap.",
                "Restore the file from the backup of the key folder.",
            ),
            Io { .. } => l.t(
                "Controleer het pad, de rechten en of de schijf of USB-stick vol is.",
                "Check the path, the permissions and whether the disk or USB stick is full.",
            ),
            BundleMissing(_) => l.t(
                "Controleer de naam en of de USB-stick aangesloten is.",
                "Check the name and whether the USB stick is plugged in.",
            ),
            BundleInvalid(..) | ItemDamaged(..) => l.t(
                "Haal de bundel opnieuw op van de online machine en importeer hem nog eens.",
                "Fetch the bundle from the online machine again and import it once more.",
            ),
            NotAnInbox(_) => l.t(
                "Reactiebundels gaan naar de server; importeer hier de bundel die de server exporteert.",
                "Reply bundles go to the server; import here the bundle the server exports.",
            ),
            ItemForeign(_) | ItemInvalid(..) | ItemWrongCase(_) | ItemConflict(_) => l.t(
                "Controleer of de bundel van de server van dit meldpunt komt; meld het aan de beheerder als dat zo is.",
                "Check that the bundle comes from this meldpunt's server; tell its administrator if it does.",
            ),
            CaseNotFound(_) => l.t(
                "Bekijk de zaaknummers met `meldpunt-keys list`.",
                "See the case numbers with `meldpunt-keys list`.",
            ),
            ReplyInvalid(_) => l.t(
                "Schrijf een niet-lege tekst van hooguit 256 KiB en probeer het opnieuw.",
                "Write a non-empty text of at most 256 KiB and try again.",
            ),
            OutputExists(_) => l.t("Kies een andere bestandsnaam.", "Choose another file name."),
            Store(..) => l.t(
                "Sluit andere meldpunt-keys-vensters en probeer het opnieuw; blijft dit, zet dan de reservekopie terug.",
                "Close other meldpunt-keys windows and try again; if it persists, restore the backup.",
            ),
            StoreTooNew(_) => l.t(
                "Gebruik de nieuwste versie van meldpunt-keys.",
                "Use the newest version of meldpunt-keys.",
            ),
            Internal(_) => l.t(
                "Dit is een fout in meldpunt-keys; meld hem aan de beheerder.",
                "This is a bug in meldpunt-keys; report it to the administrator.",
            ),
        }
        .to_string()
    }

    /// The two lines printed on stderr.
    pub fn render(&self, l: Lang) -> String {
        format!(
            "{}: {}\n{}: {}\n",
            l.t("fout", "error"),
            self.what(l),
            l.t("wat nu", "what to do"),
            self.todo(l)
        )
    }
}
