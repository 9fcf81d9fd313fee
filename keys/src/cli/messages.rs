//! How the library's errors and set-aside items read, in the chosen language: what
//! happened, and what the coördinator can do next. Details from libraries (which speak
//! English) are appended in parentheses.

use meldpunt_keys::error::{Action, Error};
use meldpunt_keys::import::{SetAside, SetAsideReason};
use meldpunt_keys::lang::Lang;

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
            BundleForeign { theirs, ours } => l.t(
                format!("deze bundel komt van een ander meldpunt: hij noemt de ondertekensleutel {theirs}, dit meldpunt heeft {ours}; er is niets geïmporteerd"),
                format!("this bundle comes from another meldpunt: it names the signing key {theirs}, this meldpunt has {ours}; nothing was imported"),
            ),
            SetAsideNotFound(id) => {
                let id = super::printable(id);
                l.t(
                    format!("er is geen apart gezet bericht {id}"),
                    format!("there is no set-aside item {id}"),
                )
            }
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
            Locked => l.t(
                "interne fout (de sleutels zijn niet geopend)".to_string(),
                "internal error (the keys are not unlocked)".to_string(),
            ),
            TextNotUtf8 => l.t(
                "de tekst kan niet worden opgeslagen (de tekst is geen UTF-8)".to_string(),
                "the text cannot be saved (the text is not UTF-8)".to_string(),
            ),
            ForeignKey(p) => l.t(
                format!("{} hoort niet bij dit meldpunt: de sleutel past niet bij public.txt", p.display()),
                format!("{} does not belong to this meldpunt: the key does not match public.txt", p.display()),
            ),
            RecoveryCannotSign => l.t(
                "met de herstelsleutel kan niets worden ondertekend (reacties, importbevestigingen)",
                "the recovery key cannot sign anything (replies, import confirmations)",
            )
            .into(),
            NoReplyChannel(c, k) => {
                let k = l.term(meldpunt_keys::cases::KANALEN, k).to_lowercase();
                l.t(
                format!("zaak {c} is binnengekomen via {k}; er is geen reactiekanaal via de server"),
                format!("case {c} came in by {k}; there is no reply channel through the server"),
                )
            }
            InvalidCode(what, v) => {
                let what = what.name();
                l.t(
                    format!("{v:?} is geen geldige waarde voor {what}"),
                    format!("{v:?} is not a valid value for {what}"),
                )
            }
            InvalidDay(v) => l.t(
                format!("{v:?} is geen geldige datum"),
                format!("{v:?} is not a valid date"),
            ),
            DayBeforeReceipt(d, r) => l.t(
                format!("{d} ligt vóór de dag van ontvangst ({r})"),
                format!("{d} is before the day the report was received ({r})"),
            ),
            InvalidRecipient(v) => l.t(
                format!("{v:?} is geen publieke age-sleutel (age1…)"),
                format!("{v:?} is not an age public key (age1…)"),
            ),
            EditorFailed(d) => l.t(
                format!("de editor kon niet worden gestart of is met een fout gestopt ({d}); er is niets verstuurd"),
                format!("the editor could not be started or stopped with an error ({d}); nothing was sent"),
            ),
            ReplyAborted => l.t(
                "de tekst is leeg gelaten; er is niets opgeslagen",
                "the text was left empty; nothing was saved",
            )
            .into(),
            TextInvalid(d) => l.t(
                format!("de tekst kan niet worden opgeslagen ({d})"),
                format!("the text cannot be saved ({d})"),
            ),
            NotImported(p, id) => l.t(
                format!("bericht {id} uit {} staat niet (of met een andere inhoud) in het zaakregister; er is geen bevestiging gemaakt", p.display()),
                format!("item {id} of {} is not in the case store (or with other content); no confirmation was made", p.display()),
            ),
            NothingToChange => l.t(
                "er is niets te wijzigen opgegeven",
                "nothing to change was given",
            )
            .into(),
            NoAttachments(c) => l.t(
                format!("zaak {c} heeft geen bijlagen"),
                format!("case {c} has no attachments"),
            ),
            SameRecovery => l.t(
                "deze herstelsleutel is al ingesteld",
                "this recovery key is already set",
            )
            .into(),
            other => l.t(
                format!("interne fout ({other:?})"),
                format!("internal error ({other:?})"),
            ),
        }
    }

    /// What to do next.
    fn todo(&self, l: Lang) -> String {
        use Error::*;
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
            BundleInvalid(..) => l.t(
                "Haal de bundel opnieuw op van de online machine en importeer hem nog eens.",
                "Fetch the bundle from the online machine again and import it once more.",
            ),
            NotAnInbox(_) => l.t(
                "Reactiebundels gaan naar de server; importeer hier de bundel die de server exporteert.",
                "Reply bundles go to the server; import here the bundle the server exports.",
            ),
            BundleForeign { .. } => l.t(
                "Haal de bundel op bij de server van dit meldpunt (controleer het adres en het staff-token), of kies met --dir de map van het meldpunt waar hij bij hoort. Is het toch de eigen server, zet dan in de serverconfiguratie signing_public_key op de waarde uit public.txt.",
                "Fetch the bundle from this meldpunt's server (check the address and the staff token), or choose the folder of the meldpunt it belongs to with --dir. If it is this meldpunt's server after all, set signing_public_key in the server configuration to the value in public.txt.",
            ),
            SetAsideNotFound(_) => l.t(
                "Bekijk de apart gezette berichten met `meldpunt-keys set-aside`.",
                "See the set-aside items with `meldpunt-keys set-aside`.",
            ),
            ItemConflict(_) => l.t(
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
            Internal(_) | Locked => l.t(
                "Dit is een fout in meldpunt-keys; meld hem aan de beheerder.",
                "This is a bug in meldpunt-keys; report it to the administrator.",
            ),
            ForeignKey(_) => l.t(
                "Controleer --dir (of MELDPUNT_DIR), of zet de sleutelbestanden van dit meldpunt terug uit de reservekopie.",
                "Check --dir (or MELDPUNT_DIR), or restore this meldpunt's key files from the backup.",
            ),
            RecoveryCannotSign => l.t(
                "Gebruik de gewone sleutels met de wachtwoordzin (zonder --recovery-identity).",
                "Use the ordinary keys with the passphrase (without --recovery-identity).",
            ),
            NoReplyChannel(..) => l.t(
                "Neem contact op langs de weg waarlangs de melding kwam, en leg dat vast met `meldpunt-keys status`.",
                "Get in touch the way the report came in, and record it with `meldpunt-keys status`.",
            ),
            InvalidCode(..) => l.t(
                "Kies een van de waarden uit `meldpunt-keys <opdracht> --help`.",
                "Choose one of the values listed by `meldpunt-keys <command> --help`.",
            ),
            InvalidDay(_) => l.t(
                "Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2026-03-01, of `vandaag`.",
                "Write the date as YYYY-MM-DD, for example 2026-03-01, or `vandaag`.",
            ),
            DayBeforeReceipt(..) => l.t(
                "Controleer de datum; `meldpunt-keys show` toont wanneer de melding binnenkwam.",
                "Check the date; `meldpunt-keys show` shows when the report came in.",
            ),
            InvalidRecipient(_) => l.t(
                "Geef de publieke sleutel die rage-keygen toonde (begint met age1).",
                "Give the public key rage-keygen printed (it starts with age1).",
            ),
            EditorFailed(_) => l.t(
                "Zet EDITOR op een editor die werkt (bijvoorbeeld nano), of gebruik --file.",
                "Set EDITOR to a working editor (for example nano), or use --file.",
            ),
            ReplyAborted => l.t(
                "Schrijf de tekst en sla het bestand op voordat u de editor sluit.",
                "Write the text and save the file before closing the editor.",
            ),
            TextInvalid(_) | TextNotUtf8 => l.t(
                "Schrijf een niet-lege tekst van hooguit 256 KiB en probeer het opnieuw.",
                "Write a non-empty text of at most 256 KiB and try again.",
            ),
            NotImported(..) => l.t(
                "Importeer de bundel eerst met `meldpunt-keys import`, en bevestig daarna.",
                "Import the bundle first with `meldpunt-keys import`, then confirm.",
            ),
            NothingToChange => l.t(
                "Geef minstens één optie, zie `meldpunt-keys status --help`.",
                "Give at least one option, see `meldpunt-keys status --help`.",
            ),
            NoAttachments(_) => l.t(
                "Er is niets op te slaan; `meldpunt-keys show` toont de zaak.",
                "There is nothing to save; `meldpunt-keys show` shows the case.",
            ),
            SameRecovery => l.t(
                "Er hoeft niets te gebeuren.",
                "Nothing needs to be done.",
            ),
            _ => l.t(
                "Dit is een fout in meldpunt-keys; meld hem aan de beheerder.",
                "This is a bug in meldpunt-keys; report it to the administrator.",
            ),
        }
        .to_string()
    }

    /// The two lines printed on stderr.
    fn render(&self, l: Lang) -> String {
        format!(
            "{}: {}\n{}: {}\n",
            l.t("fout", "error"),
            self.what(l),
            l.t("wat nu", "what to do"),
            self.todo(l)
        )
    }
}

/// One line for the count of items an import set aside (on stdout, with the counts).
pub fn set_aside_summary(l: Lang, n: usize) -> String {
    l.t(
        format!(
            "{n} apart gezet (niet voor dit meldpunt, beschadigd of geen geldige melding); `meldpunt-keys set-aside` toont ze; met de importbevestiging wist de server ze."
        ),
        format!(
            "{n} set aside (not for this meldpunt, damaged or not a valid melding); `meldpunt-keys set-aside` lists them; the import confirmation has the server delete them."
        ),
    )
}

/// A set-aside item's kind (the code the store keeps) in words.
pub fn set_aside_kind(l: Lang, kind: &str) -> String {
    match kind {
        "melding" => l.t("melding", "melding"),
        "vervolg" => l.t("vervolgbericht", "follow-up"),
        "bijlage" => l.t("bijlage", "attachment"),
        other => other,
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
        SetAsideReason::NotOurs => l.t(
            "niet versleuteld voor de sleutel van dit meldpunt",
            "not encrypted to this meldpunt's key",
        ),
        SetAsideReason::Damaged => l.t(
            "beschadigd of geen age-bestand",
            "damaged or not an age file",
        ),
        SetAsideReason::NotAMelding => l.t(
            "gaat open, maar is geen geldige melding",
            "opens, but is not a valid melding",
        ),
        SetAsideReason::WrongCase => l.t(
            "hoort volgens de inhoud bij een andere zaak",
            "by its content, belongs to another case",
        ),
        SetAsideReason::AttachmentMismatch => l.t(
            "past niet bij de melding die hem noemt",
            "does not match the melding that names it",
        ),
        SetAsideReason::ParentSetAside => l.t(
            "hoort bij een bericht dat apart is gezet",
            "belongs to an item that was set aside",
        ),
        _ => return super::printable(code),
    }
    .to_string()
}

/// What happened to one set-aside item, and what to do, as two lines (stderr).
pub fn render_set_aside(l: Lang, s: &SetAside) -> String {
    let id = &s.id;
    let noun = if s.kind == meldpunt_envelope::bundle::ItemKind::Bijlage {
        l.t("bijlage", "attachment")
    } else {
        l.t("bericht", "item")
    };
    let detail = if s.detail.is_empty() {
        String::new()
    } else {
        format!(" ({})", s.detail)
    };
    let (what, todo) = match s.reason {
        SetAsideReason::NotOurs => (
            l.t(
                format!("{noun} {id} is niet versleuteld voor de sleutel van dit meldpunt; apart gezet"),
                format!("{noun} {id} is not encrypted to this meldpunt's key; set aside"),
            ),
            l.t(
                "Niets te doen: iemand heeft het aan een andere sleutel gericht. Wie een oude sleutel van dit meldpunt heeft, kan het met rage proberen te openen.",
                "Nothing to do: someone sealed it to another key. Whoever holds an old key of this meldpunt can try to open it with rage.",
            ),
        ),
        SetAsideReason::Damaged => (
            l.t(
                format!("{noun} {id} is beschadigd of geen age-bestand; apart gezet{detail}"),
                format!("{noun} {id} is damaged or not an age file; set aside{detail}"),
            ),
            l.t(
                "Niets te doen: de server heeft het zo ontvangen. Komt dit vaak voor, meld het dan aan de beheerder.",
                "Nothing to do: the server received it like this. If it happens often, tell the administrator.",
            ),
        ),
        SetAsideReason::NotAMelding => (
            l.t(
                format!("bericht {id} gaat open, maar is geen geldige melding; apart gezet{detail}"),
                format!("item {id} opens, but is not a valid melding; set aside{detail}"),
            ),
            l.t(
                "Niets te doen: het is niet met de meldpagina gemaakt. Komt dit vaak voor, meld het dan aan de beheerder.",
                "Nothing to do: it was not made by the melding page. If it happens often, tell the administrator.",
            ),
        ),
        SetAsideReason::WrongCase => (
            l.t(
                format!("bericht {id} hoort volgens de inhoud niet bij de zaak waar de bundel het bij zet; apart gezet"),
                format!("by its content, item {id} does not belong to the case the bundle puts it in; set aside"),
            ),
            l.t(
                "De zaak zelf is niet veranderd. Komt dit vaak voor, meld het dan aan de beheerder van de server.",
                "The case itself is unchanged. If it happens often, tell the server's administrator.",
            ),
        ),
        SetAsideReason::AttachmentMismatch => (
            l.t(
                format!("bijlage {id} past niet bij de melding die hem noemt; apart gezet{detail}"),
                format!("attachment {id} does not match the melding that names it; set aside{detail}"),
            ),
            l.t(
                "De melding zelf is geïmporteerd; `meldpunt-keys show` toont welke bijlage ontbreekt.",
                "The melding itself was imported; `meldpunt-keys show` shows which attachment is missing.",
            ),
        ),
        SetAsideReason::ParentSetAside => (
            l.t(
                format!("bijlage {id} hoort bij een bericht dat apart is gezet; ook apart gezet"),
                format!("attachment {id} belongs to an item that was set aside; set aside too"),
            ),
            l.t(
                "Niets te doen; zie de reden bij dat bericht.",
                "Nothing to do; see the reason given for that item.",
            ),
        ),
        _ => (
            l.t(
                format!("{noun} {id} apart gezet{detail}"),
                format!("{noun} {id} set aside{detail}"),
            ),
            l.t(
                "Niets te doen; `meldpunt-keys set-aside` toont het.",
                "Nothing to do; `meldpunt-keys set-aside` lists it.",
            ),
        ),
    };
    format!(
        "{}: {what}\n{}: {todo}\n",
        l.t("let op", "note"),
        l.t("wat nu", "what to do"),
    )
}
