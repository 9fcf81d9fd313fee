//! `meldpunt-keys`: the integriteitscoördinator's offline tool, the command-line face of
//! the `meldpunt_keys` library. This binary keeps what only a terminal has: clap, the
//! passphrase prompt, `$EDITOR`, stdin and progress output.
//!
//! It runs on an air-gapped laptop and never opens a socket: no networking crate is in
//! its dependency tree (a test checks).

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::FromArgMatches;
use meldpunt_keys::error::{Error, Result};
use meldpunt_keys::lang::Lang;
use meldpunt_keys::secrets::Paths;

use crate::cli::Ctx;
use crate::cli::args::{Cli, Command, LangArg};
use crate::cli::messages::Explain;

fn default_dir() -> Result<PathBuf, Error> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join("Meldpunt"))
        .ok_or(Error::NoHome)
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut lang = meldpunt_keys::lang::detect(&args);
    let cli = match cli::help::localized_command(lang)
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
                eprintln!("{}", meldpunt_keys::tr!(lang, "help-usage-hint"));
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

fn run(cli: Cli, lang: Lang) -> Result<()> {
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
        Command::Init(a) => cli::init::run(&ctx, a.recovery, a.server_file, a.json),
        Command::Import(a) => cli::import::run(&ctx, &a.bundle, a.confirm.as_deref()),
        Command::SetAside(a) => cli::set_aside::run(&ctx, a.id.as_deref(), a.to.as_deref()),
        Command::Confirm(a) => cli::confirm::run(&ctx, &a.bundle, &a.out),
        Command::List(a) => cli::list::run(&ctx, &a),
        Command::Show(a) => cli::show::run(&ctx, &a.case),
        Command::Extract(a) => cli::extract::run(&ctx, &a.case, &a.to),
        Command::Reply(a) => cli::reply::run(&ctx, &a),
        Command::Status(a) => cli::status::run(&ctx, &a),
        Command::Note(a) => cli::note::run(&ctx, &a.case, a.file.as_deref()),
        Command::Register(a) => cli::register::run(&ctx, &a),
        Command::ExportReplies(a) => cli::export::run(&ctx, &a.out, a.all),
        Command::Jaarverslag(a) => cli::jaarverslag::run(&ctx, &a),
        Command::Rotate => cli::rotate::rotate(&ctx),
        Command::Recovery(a) => cli::rotate::recovery(&ctx, &a.recipient),
    }
}
