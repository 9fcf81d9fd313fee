//! `meldpunt-keys`: the integriteitscoördinator's offline tool. It holds the meldpunt's
//! identity and signing key, imports the bundles the server exports, keeps the case
//! store, and writes signed replies for the server to hand out.
//!
//! It runs on an air-gapped laptop and never opens a socket: no networking crate is in
//! its dependency tree (a test checks). Every format comes from `meldpunt-envelope`.

mod commands;
mod error;
mod lang;
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
    Init,
    Import {
        #[arg(value_name = "BUNDLE")]
        bundle: PathBuf,
    },
    List,
    Show {
        #[arg(value_name = "CASE")]
        case: String,
    },
    Reply {
        #[arg(value_name = "CASE")]
        case: String,
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
    ExportReplies {
        #[arg(value_name = "OUT")]
        out: PathBuf,
        #[arg(long)]
        all: bool,
    },
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
        "init",
        "",
        "Maak de sleutels van het meldpunt (eenmalig) en toon de serverconfiguratie",
        "Make the meldpunt's keys (once) and print the server configuration",
    ),
    (
        "import",
        "",
        "Importeer een bundel met meldingen van de server",
        "Import a bundle of meldingen from the server",
    ),
    (
        "import",
        "bundle",
        "De bundel (.tar) van de server",
        "The bundle (.tar) from the server",
    ),
    (
        "list",
        "",
        "Toon alle zaken (zonder wachtwoordzin)",
        "List all cases (no passphrase needed)",
    ),
    (
        "show",
        "",
        "Toon een zaak met alle berichten en reacties",
        "Show a case with all messages and replies",
    ),
    (
        "show",
        "case",
        "Zaaknummer, bijvoorbeeld 2026-0001",
        "Case number, for example 2026-0001",
    ),
    (
        "reply",
        "",
        "Schrijf een reactie aan de melder (tekst uit --file of standaardinvoer)",
        "Write a reply to the reporter (text from --file or standard input)",
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
    };
    match cli.command {
        Command::Init => commands::init::run(&ctx),
        Command::Import { bundle } => commands::import::run(&ctx, &bundle),
        Command::List => commands::list::run(&ctx),
        Command::Show { case } => commands::show::run(&ctx, &case),
        Command::Reply { case, file } => commands::reply::run(&ctx, &case, file.as_deref()),
        Command::ExportReplies { out, all } => commands::export::run(&ctx, &out, all),
    }
}
