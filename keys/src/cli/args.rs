//! The command line's grammar: one `#[derive(Args)]` struct per command. Help texts
//! come from the catalogue (`cli::help`), not from doc comments.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "meldpunt-keys",
    version,
    disable_help_flag = true,
    disable_version_flag = true
)]
pub struct Cli {
    #[arg(short, long, global = true, action = ArgAction::Help)]
    pub help: Option<bool>,
    #[arg(short = 'V', long, action = ArgAction::Version)]
    pub version: Option<bool>,
    #[arg(long, global = true, env = "MELDPUNT_DIR", value_name = "DIR")]
    pub dir: Option<PathBuf>,
    #[arg(long, global = true, value_enum, value_name = "nl|en")]
    pub lang: Option<LangArg>,
    #[arg(long, global = true, value_name = "FILE")]
    pub recovery_identity: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LangArg {
    Nl,
    En,
}

#[derive(Subcommand)]
pub enum Command {
    Init(InitArgs),
    Import(ImportArgs),
    Confirm(ConfirmArgs),
    List(ListArgs),
    Show(ShowArgs),
    Extract(ExtractArgs),
    Reply(ReplyArgs),
    Status(StatusArgs),
    Note(NoteArgs),
    Register(RegisterArgs),
    ExportReplies(ExportRepliesArgs),
    Jaarverslag(JaarverslagArgs),
    SetAside(SetAsideArgs),
    Rotate,
    Recovery(RecoveryArgs),
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StatusArg {
    Open,
    #[value(alias = "closed")]
    Gesloten,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Md,
    Csv,
    Svg,
}

#[derive(Args)]
pub struct InitArgs {
    #[arg(long, value_name = "AGE1")]
    pub recovery: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub server_file: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct ImportArgs {
    #[arg(value_name = "BUNDLE")]
    pub bundle: PathBuf,
    #[arg(long, value_name = "FILE")]
    pub confirm: Option<PathBuf>,
}

#[derive(Args)]
pub struct ConfirmArgs {
    #[arg(value_name = "BUNDLE")]
    pub bundle: PathBuf,
    #[arg(short, long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Args)]
pub struct ListArgs {
    #[arg(long, value_name = "SLUG")]
    pub organisatie: Option<String>,
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,
    #[arg(long, value_name = "YYYY")]
    pub year: Option<i64>,
    #[arg(long)]
    pub overdue: bool,
}

#[derive(Args)]
pub struct ShowArgs {
    #[arg(value_name = "CASE")]
    pub case: String,
}

#[derive(Args)]
pub struct ExtractArgs {
    #[arg(value_name = "CASE")]
    pub case: String,
    #[arg(long, value_name = "FOLDER")]
    pub to: PathBuf,
}

#[derive(Args)]
pub struct ReplyArgs {
    #[arg(value_name = "CASE")]
    pub case: String,
    #[arg(long, value_name = "FILE", conflicts_with_all = ["editor", "template"])]
    pub file: Option<PathBuf>,
    #[arg(long)]
    pub editor: bool,
    #[arg(long)]
    pub template: bool,
    #[arg(long)]
    pub terugkoppeling: bool,
}

#[derive(Args)]
pub struct StatusArgs {
    #[arg(value_name = "CASE")]
    pub case: String,
    #[arg(long, value_name = "CODE")]
    pub afdoening: Option<String>,
    #[arg(long, value_name = "DAY")]
    pub ontvangstbevestiging: Option<String>,
    #[arg(long, value_name = "DAY")]
    pub terugkoppeling: Option<String>,
    #[arg(long, value_name = "SLUG")]
    pub organisatie: Option<String>,
    #[arg(long, value_name = "CODE")]
    pub soort: Option<String>,
    #[arg(long, value_name = "CODE")]
    pub melder: Option<String>,
    #[arg(long, value_name = "CODE")]
    pub over_wie: Option<String>,
}

#[derive(Args)]
pub struct NoteArgs {
    #[arg(value_name = "CASE")]
    pub case: String,
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
}

#[derive(Args)]
pub struct RegisterArgs {
    #[arg(long, value_name = "KANAAL")]
    pub kanaal: String,
    #[arg(long, value_name = "SLUG")]
    pub organisatie: String,
    #[arg(long, value_name = "CODE")]
    pub soort: String,
    #[arg(long, value_name = "CODE")]
    pub melder: Option<String>,
    #[arg(long, value_name = "CODE")]
    pub over_wie: Option<String>,
    #[arg(long, value_name = "DAY")]
    pub ontvangen: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
}

#[derive(Args)]
pub struct ExportRepliesArgs {
    #[arg(value_name = "OUT")]
    pub out: PathBuf,
    #[arg(long)]
    pub all: bool,
}

#[derive(Args)]
pub struct JaarverslagArgs {
    #[arg(long, value_name = "YYYY")]
    pub year: i64,
    #[arg(long, value_name = "SLUG")]
    pub organisatie: Option<String>,
    #[arg(long, value_enum, default_value = "md")]
    pub format: FormatArg,
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub years: i64,
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Args)]
pub struct SetAsideArgs {
    #[arg(value_name = "ID", requires = "to")]
    pub id: Option<String>,
    #[arg(long, value_name = "FILE", requires = "id")]
    pub to: Option<PathBuf>,
}

#[derive(Args)]
pub struct RecoveryArgs {
    #[arg(value_name = "AGE1")]
    pub recipient: String,
}
