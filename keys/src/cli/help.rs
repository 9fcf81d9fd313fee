//! The help texts, in both languages, put onto clap's command.

use clap::CommandFactory;
use meldpunt_keys::i18n::text;
use meldpunt_keys::lang::Lang;

/// Where each help text goes: (subcommand or "" for the top level, argument id or ""
/// for the command itself, catalogue id).
const HELP: &[(&str, &str, &str)] = &[
    ("", "", "help-main-about"),
    ("", "dir", "help-main-dir"),
    ("", "lang", "help-main-lang"),
    ("", "help", "help-main-help"),
    ("", "version", "help-main-version"),
    ("", "recovery_identity", "help-main-recovery-identity"),
    ("init", "", "help-init-about"),
    ("init", "recovery", "help-init-recovery"),
    ("init", "server_file", "help-init-server-file"),
    ("init", "json", "help-init-json"),
    ("import", "", "help-import-about"),
    ("import", "bundle", "help-import-bundle"),
    ("import", "confirm", "help-import-confirm"),
    ("confirm", "", "help-confirm-about"),
    ("confirm", "bundle", "help-confirm-bundle"),
    ("confirm", "out", "help-confirm-out"),
    ("set-aside", "", "help-set-aside-about"),
    ("set-aside", "id", "help-set-aside-id"),
    ("set-aside", "to", "help-set-aside-to"),
    ("list", "", "help-list-about"),
    ("list", "organisatie", "help-list-organisatie"),
    ("list", "status", "help-list-status"),
    ("list", "year", "help-list-year"),
    ("list", "overdue", "help-list-overdue"),
    ("show", "", "help-show-about"),
    ("show", "case", "help-show-case"),
    ("extract", "", "help-extract-about"),
    ("extract", "case", "help-extract-case"),
    ("extract", "to", "help-extract-to"),
    ("reply", "", "help-reply-about"),
    ("reply", "case", "help-reply-case"),
    ("reply", "file", "help-reply-file"),
    ("reply", "editor", "help-reply-editor"),
    ("reply", "template", "help-reply-template"),
    ("reply", "terugkoppeling", "help-reply-terugkoppeling"),
    ("status", "", "help-status-about"),
    ("status", "case", "help-status-case"),
    ("status", "afdoening", "help-status-afdoening"),
    (
        "status",
        "ontvangstbevestiging",
        "help-status-ontvangstbevestiging",
    ),
    ("status", "terugkoppeling", "help-status-terugkoppeling"),
    ("status", "organisatie", "help-status-organisatie"),
    ("status", "soort", "help-status-soort"),
    ("status", "melder", "help-status-melder"),
    ("status", "over_wie", "help-status-over-wie"),
    ("note", "", "help-note-about"),
    ("note", "case", "help-note-case"),
    ("note", "file", "help-note-file"),
    ("register", "", "help-register-about"),
    ("register", "kanaal", "help-register-kanaal"),
    ("register", "organisatie", "help-register-organisatie"),
    ("register", "soort", "help-register-soort"),
    ("register", "melder", "help-register-melder"),
    ("register", "over_wie", "help-register-over-wie"),
    ("register", "ontvangen", "help-register-ontvangen"),
    ("register", "file", "help-register-file"),
    ("export-replies", "", "help-export-replies-about"),
    ("export-replies", "out", "help-export-replies-out"),
    ("export-replies", "all", "help-export-replies-all"),
    ("jaarverslag", "", "help-jaarverslag-about"),
    ("jaarverslag", "year", "help-jaarverslag-year"),
    ("jaarverslag", "organisatie", "help-jaarverslag-organisatie"),
    ("jaarverslag", "format", "help-jaarverslag-format"),
    ("jaarverslag", "years", "help-jaarverslag-years"),
    ("jaarverslag", "out", "help-jaarverslag-out"),
    ("rotate", "", "help-rotate-about"),
    ("recovery", "", "help-recovery-about"),
    ("recovery", "recipient", "help-recovery-recipient"),
];

/// A heading as clap keeps it (`&'static str`). The command is built once per run, so
/// the few headings live as long as the process anyway.
fn fixed(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

pub fn localized_command(l: Lang) -> clap::Command {
    let mut cmd = super::args::Cli::command();
    for &(sub, arg, id) in HELP {
        let text = text(l, id, &[]);
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
    // clap speaks English; Dutch needs its own template and headings.
    if l == Lang::Nl {
        let template = format!(
            "{{about-with-newline}}\n{}: {{usage}}\n\n{{all-args}}{{after-help}}",
            text(l, "help-usage", &[])
        );
        let commands = fixed(text(l, "help-commands", &[]));
        let arguments = fixed(text(l, "help-arguments", &[]));
        let options = fixed(text(l, "help-options", &[]));
        let dutch = |c: clap::Command| {
            c.help_template(template.clone())
                .subcommand_help_heading(commands)
                .mut_args(|a| {
                    a.clone().help_heading(if a.is_positional() {
                        arguments
                    } else {
                        options
                    })
                })
        };
        cmd = dutch(cmd)
            .disable_help_subcommand(true)
            .mut_subcommands(dutch);
    }
    cmd
}
