//! `meldpunt-keys`: the integriteitscoördinator's offline tool. It holds the meldpunt's
//! identity and signing key, imports the bundles the server exports, keeps the case
//! store, and writes signed replies for the server to hand out.
//!
//! It runs on an air-gapped laptop and never opens a socket: no networking crate is in
//! its dependency tree (a test checks). Every format comes from `meldpunt-envelope`.

mod commands;
mod days;
mod error;
mod lang;
mod leftover;
mod private;
mod report;
mod secrets;
mod store;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::commands::Ctx;
use crate::error::Failure;
use crate::lang::Lang;
use crate::secrets::Paths;

#[derive(Parser)]
#[command(
    name = "meldpunt-keys",
    version,
    disable_help_flag = true,
    disable_version_flag = true
)]
struct Cli {
    #[arg(short, long, global = true, action = ArgAction::Help)]
    help: Option<bool>,
    #[arg(short = 'V', long, action = ArgAction::Version)]
    version: Option<bool>,
    #[arg(long, global = true, env = "MELDPUNT_DIR", value_name = "DIR")]
    dir: Option<PathBuf>,
    #[arg(long, global = true, value_enum, value_name = "nl|en")]
    lang: Option<LangArg>,
    #[arg(long, global = true, value_name = "FILE")]
    recovery_identity: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Nl,
    En,
}

#[derive(Subcommand)]
enum Command {
    Init {
        #[arg(long, value_name = "AGE1")]
        recovery: Option<String>,
        #[arg(long, value_name = "FILE")]
        server_file: Option<PathBuf>,
    },
    Import {
        #[arg(value_name = "BUNDLE")]
        bundle: PathBuf,
        #[arg(long, value_name = "FILE")]
        confirm: Option<PathBuf>,
    },
    Confirm {
        #[arg(value_name = "BUNDLE")]
        bundle: PathBuf,
        #[arg(short, long, value_name = "FILE")]
        out: PathBuf,
    },
    List {
        #[arg(long, value_name = "SLUG")]
        organisatie: Option<String>,
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        #[arg(long, value_name = "YYYY")]
        year: Option<i64>,
        #[arg(long)]
        overdue: bool,
    },
    Show {
        #[arg(value_name = "CASE")]
        case: String,
    },
    Extract {
        #[arg(value_name = "CASE")]
        case: String,
        #[arg(long, value_name = "FOLDER")]
        to: PathBuf,
    },
    Reply {
        #[arg(value_name = "CASE")]
        case: String,
        #[arg(long, value_name = "FILE", conflicts_with_all = ["editor", "template"])]
        file: Option<PathBuf>,
        #[arg(long)]
        editor: bool,
        #[arg(long)]
        template: bool,
        #[arg(long)]
        terugkoppeling: bool,
    },
    Status {
        #[arg(value_name = "CASE")]
        case: String,
        #[arg(long, value_name = "CODE")]
        afdoening: Option<String>,
        #[arg(long, value_name = "DAY")]
        ontvangstbevestiging: Option<String>,
        #[arg(long, value_name = "DAY")]
        terugkoppeling: Option<String>,
        #[arg(long, value_name = "SLUG")]
        organisatie: Option<String>,
        #[arg(long, value_name = "CODE")]
        soort: Option<String>,
        #[arg(long, value_name = "CODE")]
        melder: Option<String>,
        #[arg(long, value_name = "CODE")]
        over_wie: Option<String>,
    },
    Note {
        #[arg(value_name = "CASE")]
        case: String,
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
    Register {
        #[arg(long, value_name = "KANAAL")]
        kanaal: String,
        #[arg(long, value_name = "SLUG")]
        organisatie: String,
        #[arg(long, value_name = "CODE")]
        soort: String,
        #[arg(long, value_name = "CODE")]
        melder: Option<String>,
        #[arg(long, value_name = "CODE")]
        over_wie: Option<String>,
        #[arg(long, value_name = "DAY")]
        ontvangen: Option<String>,
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
    ExportReplies {
        #[arg(value_name = "OUT")]
        out: PathBuf,
        #[arg(long)]
        all: bool,
    },
    Jaarverslag {
        #[arg(long, value_name = "YYYY")]
        year: i64,
        #[arg(long, value_name = "SLUG")]
        organisatie: Option<String>,
        #[arg(long, value_enum, default_value = "md")]
        format: FormatArg,
        #[arg(long, value_name = "N", default_value_t = 3)]
        years: i64,
        #[arg(short, long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    SetAside {
        #[arg(value_name = "ID", requires = "to")]
        id: Option<String>,
        #[arg(long, value_name = "FILE", requires = "id")]
        to: Option<PathBuf>,
    },
    Rotate,
    Recovery {
        #[arg(value_name = "AGE1")]
        recipient: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum StatusArg {
    Open,
    #[value(alias = "closed")]
    Gesloten,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Md,
    Csv,
    Svg,
}

/// Help texts in both languages: (subcommand or "" for the top level, argument id or ""
/// for the command itself, Dutch, English).
const HELP: &[(&str, &str, &str, &str)] = &[
    (
        "",
        "",
        "Offline gereedschap van de integriteitscoördinator: sleutels, zaakregister, reacties. Opent nooit een netwerkverbinding.",
        "The integrity coördinator's offline tool: keys, case store, replies. Never opens a network connection.",
    ),
    (
        "",
        "dir",
        "Map met sleutels en zaakregister [standaard: $HOME/Meldpunt]",
        "Folder with keys and case store [default: $HOME/Meldpunt]",
    ),
    (
        "",
        "lang",
        "Taal van de uitvoer (standaard Nederlands; Engels als LANG met en begint)",
        "Output language (Dutch by default; English when LANG starts with en)",
    ),
    ("", "help", "Toon deze hulp", "Print help"),
    ("", "version", "Toon de versie", "Print version"),
    (
        "",
        "recovery_identity",
        "Open met dit identiteitsbestand (de herstelsleutel uit de kluis) in plaats van identity.age en de wachtwoordzin",
        "Open with this identity file (the recovery key from the safe) instead of identity.age and the passphrase",
    ),
    (
        "init",
        "",
        "Maak de sleutels van het meldpunt (eenmalig) en toon de serverconfiguratie",
        "Make the meldpunt's keys (once) and print the server configuration",
    ),
    (
        "init",
        "recovery",
        "Publieke herstelsleutel (age1…, gemaakt met rage-keygen; het geheime deel gaat in de kluis)",
        "Public recovery key (age1…, made with rage-keygen; its secret part goes in the safe)",
    ),
    (
        "init",
        "server_file",
        "Schrijf ook het bestand voor `meldpunt-server setup` (publieke sleutels en de hash van de toegangscode, niets geheims) naar dit nieuwe bestand, bijvoorbeeld op de USB-stick",
        "Also write the file for `meldpunt-server setup` (public keys and the access code's hash, nothing secret) to this new file, for example on the USB stick",
    ),
    (
        "import",
        "",
        "Importeer een bundel met meldingen, vervolgberichten en bijlagen van de server",
        "Import a bundle of meldingen, follow-ups and attachments from the server",
    ),
    (
        "import",
        "bundle",
        "De bundel (.tar) van de server",
        "The bundle (.tar) from the server",
    ),
    (
        "import",
        "confirm",
        "Schrijf ook de ondertekende importbevestiging voor de server naar dit nieuwe bestand",
        "Also write the signed import confirmation for the server to this new file",
    ),
    (
        "confirm",
        "",
        "Maak de ondertekende importbevestiging van een geïmporteerde bundel; daarmee wist de server die berichten",
        "Make the signed import confirmation of an imported bundle; with it the server deletes those items",
    ),
    (
        "confirm",
        "bundle",
        "De bundel (.tar) die al geïmporteerd is",
        "The bundle (.tar) that has been imported",
    ),
    (
        "confirm",
        "out",
        "Nieuw bestand voor de bevestiging (.json)",
        "New file for the confirmation (.json)",
    ),
    (
        "set-aside",
        "",
        "Toon de berichten die een import apart zette (niet voor dit meldpunt, beschadigd, geen geldige melding), of sla de bytes van één ervan op (zonder wachtwoordzin)",
        "List the items an import set aside (not for this meldpunt, damaged, not a valid melding), or save one item's bytes (no passphrase needed)",
    ),
    (
        "set-aside",
        "id",
        "Het bericht (32 hexadecimale tekens, zoals de lijst het toont) waarvan de bytes opgeslagen worden",
        "The item (32 hex digits, as the list shows it) whose bytes are saved",
    ),
    (
        "set-aside",
        "to",
        "Nieuw bestand voor de bytes, precies zoals de server ze ontving (niet ontsleuteld)",
        "New file for the bytes, exactly as the server received them (not decrypted)",
    ),
    (
        "list",
        "",
        "Toon de zaken met hun termijnen, te late eerst (zonder wachtwoordzin)",
        "List the cases with their deadlines, overdue first (no passphrase needed)",
    ),
    (
        "list",
        "organisatie",
        "Alleen deze organisatie",
        "Only this organisation",
    ),
    (
        "list",
        "status",
        "Alleen open zaken (in behandeling) of alleen gesloten zaken",
        "Only open cases (in progress) or only closed ones",
    ),
    (
        "list",
        "year",
        "Alleen zaken ontvangen in dit jaar",
        "Only cases received in this year",
    ),
    (
        "list",
        "overdue",
        "Alleen zaken over de wettelijke termijn",
        "Only cases past a legal deadline",
    ),
    (
        "show",
        "",
        "Toon een zaak met alle berichten, reacties, notities en de geschiedenis",
        "Show a case with all messages, replies, notes and its history",
    ),
    (
        "show",
        "case",
        "Zaaknummer, bijvoorbeeld 2026-0001",
        "Case number, for example 2026-0001",
    ),
    (
        "extract",
        "",
        "Sla de bijlagen van een zaak ontsleuteld op in een map",
        "Save a case's attachments, decrypted, in a folder",
    ),
    (
        "extract",
        "case",
        "Zaaknummer, bijvoorbeeld 2026-0001",
        "Case number, for example 2026-0001",
    ),
    (
        "extract",
        "to",
        "De map (wordt gemaakt als hij er niet is; bestaande bestanden blijven staan)",
        "The folder (made if missing; existing files are kept)",
    ),
    (
        "reply",
        "",
        "Schrijf een reactie aan de melder (uit --file, standaardinvoer of $EDITOR met een standaardtekst)",
        "Write a reply to the reporter (from --file, standard input or $EDITOR with a standard text)",
    ),
    (
        "reply",
        "case",
        "Zaaknummer, bijvoorbeeld 2026-0001",
        "Case number, for example 2026-0001",
    ),
    (
        "reply",
        "file",
        "Bestand met de tekst van de reactie",
        "File with the text of the reply",
    ),
    (
        "reply",
        "editor",
        "Open $EDITOR met de standaardtekst (ontvangstbevestiging zolang die er niet is)",
        "Open $EDITOR on the standard text (the acknowledgement while there is none)",
    ),
    (
        "reply",
        "template",
        "Toon alleen de standaardtekst om van uit te gaan; er wordt niets verstuurd",
        "Only print the standard text to start from; nothing is sent",
    ),
    (
        "reply",
        "terugkoppeling",
        "Deze reactie is de terugkoppeling over wat er met de melding is gedaan",
        "This reply is the feedback on what was done with the report",
    ),
    (
        "status",
        "",
        "Leg de afdoening, ontvangstbevestiging of terugkoppeling vast, of verbeter een gegeven (zonder wachtwoordzin)",
        "Record the outcome, acknowledgement or feedback, or correct a field (no passphrase needed)",
    ),
    (
        "status",
        "case",
        "Zaaknummer, bijvoorbeeld 2026-0001",
        "Case number, for example 2026-0001",
    ),
    (
        "status",
        "afdoening",
        "in-behandeling, gegrond, deels-gegrond, ongegrond, doorverwezen, voortijdig-beeindigd, niet-ontvankelijk",
        "in-behandeling, gegrond, deels-gegrond, ongegrond, doorverwezen, voortijdig-beeindigd, niet-ontvankelijk",
    ),
    (
        "status",
        "ontvangstbevestiging",
        "Dag van de ontvangstbevestiging buiten de server om (JJJJ-MM-DD of vandaag)",
        "Day of an acknowledgement given outside the server (YYYY-MM-DD or vandaag)",
    ),
    (
        "status",
        "terugkoppeling",
        "Dag van de terugkoppeling buiten de server om (JJJJ-MM-DD of vandaag)",
        "Day of feedback given outside the server (YYYY-MM-DD or vandaag)",
    ),
    (
        "status",
        "organisatie",
        "Verbeter de organisatie",
        "Correct the organisation",
    ),
    (
        "status",
        "soort",
        "Verbeter de soort melding (code)",
        "Correct the kind of report (code)",
    ),
    (
        "status",
        "melder",
        "Verbeter wie meldde (code)",
        "Correct who reported (code)",
    ),
    (
        "status",
        "over_wie",
        "Verbeter over wie het gaat (code)",
        "Correct whom it is about (code)",
    ),
    (
        "note",
        "",
        "Voeg een versleutelde notitie toe aan een zaak (tekst uit --file of standaardinvoer)",
        "Add an encrypted note to a case (text from --file or standard input)",
    ),
    (
        "note",
        "case",
        "Zaaknummer, bijvoorbeeld 2026-0001",
        "Case number, for example 2026-0001",
    ),
    ("note", "file", "Bestand met de tekst", "File with the text"),
    (
        "register",
        "",
        "Registreer een melding die via een ander kanaal binnenkwam (tekst uit --file of standaardinvoer)",
        "Register a report that came in by another channel (text from --file or standard input)",
    ),
    (
        "register",
        "kanaal",
        "telefoon, e-mail, vertrouwenspersoon, persoonlijk of brief",
        "telefoon, e-mail, vertrouwenspersoon, persoonlijk or brief",
    ),
    (
        "register",
        "organisatie",
        "De organisatie (slug)",
        "The organisation (slug)",
    ),
    (
        "register",
        "soort",
        "Soort melding (code)",
        "Kind of report (code)",
    ),
    (
        "register",
        "melder",
        "Wie meldde (code)",
        "Who reported (code)",
    ),
    (
        "register",
        "over_wie",
        "Over wie het gaat (code)",
        "Whom it is about (code)",
    ),
    (
        "register",
        "ontvangen",
        "Dag van ontvangst (standaard vandaag)",
        "Day received (default today)",
    ),
    (
        "register",
        "file",
        "Bestand met de tekst",
        "File with the text",
    ),
    (
        "export-replies",
        "",
        "Schrijf de nog niet geëxporteerde reacties naar een bundel voor de server",
        "Write the replies not yet exported to a bundle for the server",
    ),
    (
        "export-replies",
        "out",
        "Nieuw bestand voor de bundel (.tar); wordt nooit overschreven",
        "New file for the bundle (.tar); never overwritten",
    ),
    (
        "export-replies",
        "all",
        "Exporteer alle reacties opnieuw, ook eerder geëxporteerde",
        "Export all replies again, including those exported before",
    ),
    (
        "jaarverslag",
        "",
        "De cijfers voor het jaarverslag integriteit, met eerdere jaren ernaast (zonder wachtwoordzin)",
        "The figures for the integrity annual report, earlier years alongside (no passphrase needed)",
    ),
    (
        "jaarverslag",
        "year",
        "Het verslagjaar",
        "The year of the report",
    ),
    (
        "jaarverslag",
        "organisatie",
        "Alleen deze organisatie (standaard: het hele meldpunt en elke organisatie)",
        "Only this organisation (default: the whole meldpunt and each organisation)",
    ),
    (
        "jaarverslag",
        "format",
        "md (Markdown), csv of svg (grafiek)",
        "md (Markdown), csv or svg (chart)",
    ),
    (
        "jaarverslag",
        "years",
        "Aantal jaren naast elkaar, het verslagjaar als laatste",
        "Number of years side by side, the report's year last",
    ),
    (
        "jaarverslag",
        "out",
        "Nieuw bestand in plaats van de standaarduitvoer",
        "New file instead of standard output",
    ),
    (
        "rotate",
        "",
        "Maak een nieuwe sleutel voor nieuwe meldingen; de oude blijft oudere berichten openen",
        "Make a new key for new meldingen; the old one keeps opening older items",
    ),
    (
        "recovery",
        "",
        "Stel de herstelsleutel in (een tweede sleutel in de kluis) en versleutel de eigen teksten opnieuw",
        "Set the recovery key (a second key kept in a safe) and reseal the store's own texts",
    ),
    (
        "recovery",
        "recipient",
        "Publieke sleutel (age1…) van de herstelsleutel",
        "Public key (age1…) of the recovery key",
    ),
];

const TEMPLATE_NL: &str = "{about-with-newline}\nGebruik: {usage}\n\n{all-args}{after-help}";

fn localized_command(l: Lang) -> clap::Command {
    let mut cmd = Cli::command();
    for &(sub, arg, nl, en) in HELP {
        let text = l.t(nl, en);
        let apply = |c: clap::Command| {
            if arg.is_empty() {
                c.about(text)
            } else {
                c.mut_arg(arg, |a| a.help(text))
            }
        };
        cmd = if sub.is_empty() {
            apply(cmd)
        } else {
            cmd.mut_subcommand(sub, apply)
        };
    }
    if l == Lang::Nl {
        let dutch = |c: clap::Command| {
            c.help_template(TEMPLATE_NL)
                .subcommand_help_heading("Opdrachten")
                .mut_args(|a| {
                    a.clone().help_heading(if a.is_positional() {
                        "Argumenten"
                    } else {
                        "Opties"
                    })
                })
        };
        cmd = dutch(cmd)
            .disable_help_subcommand(true)
            .mut_subcommands(dutch);
    }
    cmd
}

fn default_dir() -> Result<PathBuf, Failure> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join("Meldpunt"))
        .ok_or(Failure::NoHome)
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut lang = Lang::detect(&args);
    let cli = match localized_command(lang)
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            match e.kind() {
                clap::error::ErrorKind::DisplayVersion | clap::error::ErrorKind::DisplayHelp => {
                    return ExitCode::SUCCESS;
                }
                _ => {}
            }
            if lang == Lang::Nl {
                eprintln!("Gebruik `meldpunt-keys --help` voor een overzicht van de opdrachten.");
            }
            return ExitCode::from(2);
        }
    };
    if let Some(l) = cli.lang {
        lang = match l {
            LangArg::Nl => Lang::Nl,
            LangArg::En => Lang::En,
        };
    }
    match run(cli, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprint!("{}", f.render(lang));
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli, lang: Lang) -> Result<(), Failure> {
    let dir = match cli.dir {
        Some(d) => d,
        None => default_dir()?,
    };
    let ctx = Ctx {
        paths: Paths::new(dir),
        lang,
        recovery: cli.recovery_identity,
    };
    match cli.command {
        Command::Init {
            recovery,
            server_file,
        } => commands::init::run(&ctx, recovery.as_deref(), server_file.as_deref()),
        Command::Import { bundle, confirm } => {
            commands::import::run(&ctx, &bundle, confirm.as_deref())
        }
        Command::SetAside { id, to } => {
            commands::set_aside::run(&ctx, id.as_deref(), to.as_deref())
        }
        Command::Confirm { bundle, out } => commands::confirm::run(&ctx, &bundle, &out),
        Command::List {
            organisatie,
            status,
            year,
            overdue,
        } => commands::list::run(
            &ctx,
            &commands::list::Args {
                filter: store::Filter {
                    organisatie,
                    open: status.map(|s| matches!(s, StatusArg::Open)),
                    year,
                },
                overdue,
            },
        ),
        Command::Show { case } => commands::show::run(&ctx, &case),
        Command::Extract { case, to } => commands::extract::run(&ctx, &case, &to),
        Command::Reply {
            case,
            file,
            editor,
            template,
            terugkoppeling,
        } => commands::reply::run(
            &ctx,
            &case,
            &commands::reply::Args {
                file: file.as_deref(),
                editor,
                template,
                terugkoppeling,
            },
        ),
        Command::Status {
            case,
            afdoening,
            ontvangstbevestiging,
            terugkoppeling,
            organisatie,
            soort,
            melder,
            over_wie,
        } => commands::status::run(
            &ctx,
            &case,
            &commands::status::Args {
                afdoening,
                ontvangstbevestiging,
                terugkoppeling,
                organisatie,
                soort,
                melder,
                over_wie,
            },
        ),
        Command::Note { case, file } => commands::note::run(&ctx, &case, file.as_deref()),
        Command::Register {
            kanaal,
            organisatie,
            soort,
            melder,
            over_wie,
            ontvangen,
            file,
        } => commands::register::run(
            &ctx,
            &commands::register::Args {
                kanaal,
                organisatie,
                soort,
                melder,
                over_wie,
                ontvangen,
                file,
            },
        ),
        Command::ExportReplies { out, all } => commands::export::run(&ctx, &out, all),
        Command::Jaarverslag {
            year,
            organisatie,
            format,
            years,
            out,
        } => commands::jaarverslag::run(
            &ctx,
            &commands::jaarverslag::Args {
                year,
                organisatie,
                format: match format {
                    FormatArg::Md => commands::jaarverslag::Format::Markdown,
                    FormatArg::Csv => commands::jaarverslag::Format::Csv,
                    FormatArg::Svg => commands::jaarverslag::Format::Svg,
                },
                years,
                out: out.as_deref(),
            },
        ),
        Command::Rotate => commands::rotate::rotate(&ctx),
        Command::Recovery { recipient } => commands::rotate::recovery(&ctx, &recipient),
    }
}
