//! The `meldpunt-server` command: `setup`, `serve`, `check-config`, `backup`, `purge`,
//! `stats`. Every command reads /etc/meldpunt/meldpunt-server.toml (where the package's
//! `setup` writes it) unless `--config` or `MELDPUNT_CONFIG` names another file.

mod setup;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use meldpunt_server::{AppState, Config, app, conn, db, logging};

/// The config file when neither `--config` nor `MELDPUNT_CONFIG` names one: where
/// `setup` writes it on an installed server. A development checkout passes `--config`.
const DEFAULT_CONFIG: &str = "/etc/meldpunt/meldpunt-server.toml";

/// How long in-flight requests may take to finish after SIGINT or SIGTERM.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

#[derive(Parser)]
#[command(
    name = "meldpunt-server",
    version,
    about = "The intake server of a meldpunt integriteit."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the config from the file the laptop wrote (`meldpunt-keys init
    /// --server-file`), check it, and start the service.
    Setup(setup::Args),
    /// Run the server until SIGINT or SIGTERM.
    Serve {
        /// The config file (see meldpunt-server.example.toml).
        #[arg(long, env = "MELDPUNT_CONFIG", default_value = DEFAULT_CONFIG)]
        config: PathBuf,
    },
    /// Check a config file and print a summary, without starting anything.
    CheckConfig {
        /// The config file to check.
        #[arg(long, env = "MELDPUNT_CONFIG", default_value = DEFAULT_CONFIG)]
        config: PathBuf,
    },
    /// Write a consistent copy of the database while the server runs.
    Backup {
        #[arg(long, env = "MELDPUNT_CONFIG", default_value = DEFAULT_CONFIG)]
        config: PathBuf,
        /// Where to write the copy (must not exist yet).
        #[arg(long)]
        to: PathBuf,
    },
    /// Delete replies older than reply_retention_days (the server also does this daily).
    Purge {
        #[arg(long, env = "MELDPUNT_CONFIG", default_value = DEFAULT_CONFIG)]
        config: PathBuf,
    },
    /// Print counts (cases, items waiting, replies): numbers only.
    Stats {
        #[arg(long, env = "MELDPUNT_CONFIG", default_value = DEFAULT_CONFIG)]
        config: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Setup(args) => setup::run(&args),
        Command::Serve { config } => serve(&config),
        Command::CheckConfig { config } => check_config(&config),
        Command::Backup { config, to } => backup(&config, &to),
        Command::Purge { config } => purge(&config),
        Command::Stats { config, json } => stats(&config, json),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("meldpunt-server: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn load(path: &Path) -> anyhow::Result<Config> {
    Config::load(path).map_err(|e| {
        anyhow::anyhow!(
            "{e}\nFix it, then check again with: meldpunt-server check-config --config {}",
            path.display()
        )
    })
}

pub(crate) fn check_config(path: &Path) -> anyhow::Result<()> {
    let c = load(path)?;
    println!("{}: the config is valid.", path.display());
    println!("  name:                 {}", c.name);
    println!("  listen:               {}", c.listen);
    println!("  database:             {}", c.database.display());
    let index = if c.web_root.join("index.html").is_file() {
        ""
    } else {
        " (no index.html yet: build the page)"
    };
    println!("  web_root:             {}{index}", c.web_root.display());
    println!("  signing_public_key:   {}", c.signing_public_key);
    println!("  staff tokens:         {}", c.staff_token_sha256.len());
    println!("  max_submission_bytes: {}", c.max_submission_bytes);
    println!("  receipt_key:          {}", c.receipt_key.display());
    if c.pow.enabled {
        println!(
            "  proof of work:        on; effort {} to {}, rising and falling every {}s; {} waiting per class, at most {}s",
            c.pow.min_effort,
            c.pow.max_effort,
            c.pow.update_period.as_secs(),
            c.pow.queue_len,
            c.pow.max_wait.as_secs()
        );
    } else {
        println!("  proof of work:        off (the plain rates below apply)");
    }
    println!("  reply_retention_days: {}", c.reply_retention_days);
    if let Some(onion) = &c.onion_location {
        println!("  onion_location:       {onion}");
    }
    let l = &c.limits;
    println!(
        "  limits:               {}/min submissions, {}/min look-ups, {}/min staff ({}/min failed staff attempts), {}/min and {}/min through the no-JavaScript form; {} requests, {} uploads and {} look-ups at once; {} bytes of bodies in memory; timeout {}s",
        l.submissions_per_minute,
        l.lookups_per_minute,
        l.staff_per_minute,
        l.staff_failed_per_minute,
        l.zonder_js_submissions_per_minute,
        l.zonder_js_lookups_per_minute,
        l.max_concurrent_requests,
        l.max_concurrent_uploads,
        l.max_concurrent_lookups,
        l.upload_memory_bytes,
        l.request_timeout.as_secs(),
    );
    println!(
        "  bodies:               at least {} bytes every {}s",
        l.min_body_bytes_per_window,
        l.body_rate_window.as_secs()
    );
    let cap = conn::effective_max_connections(l.max_connections, conn::open_file_limit());
    println!(
        "  connections:          {} at most{}; a request head within {}s, closed after {}s of silence or {}s without taking an answer's bytes",
        l.max_connections,
        if cap < l.max_connections {
            format!(" ({cap} under this shell's open-file limit)")
        } else {
            String::new()
        },
        l.header_read_timeout.as_secs(),
        l.keep_alive_timeout.as_secs(),
        l.send_timeout.as_secs()
    );
    println!("  organisations:");
    for o in &c.organisations {
        let n = o.recipients.len();
        let b = if o.bestuurder_recipients.is_empty() {
            String::new()
        } else {
            format!(
                ", {} for meldingen about bestuurders",
                o.bestuurder_recipients.len()
            )
        };
        println!(
            "    {} ({}): {n} recipient{}{b}",
            o.slug,
            o.name,
            if n == 1 { "" } else { "s" }
        );
    }
    Ok(())
}

/// Opens the database of a config for a one-off command (the server may be running).
fn open_db(path: &Path) -> anyhow::Result<(Config, rusqlite::Connection)> {
    let c = load(path)?;
    if !c.database.is_file() {
        anyhow::bail!(
            "there is no database at {} yet; start the server once, or check `database` in the config",
            c.database.display()
        );
    }
    let conn = db::connect(&c.database)
        .with_context(|| format!("cannot open the database {}", c.database.display()))?;
    Ok((c, conn))
}

fn backup(path: &Path, to: &Path) -> anyhow::Result<()> {
    if to.exists() {
        anyhow::bail!(
            "{} exists already; choose a new file name for the backup",
            to.display()
        );
    }
    let (c, conn) = open_db(path)?;
    db::backup(&conn, to).with_context(|| format!("cannot write the backup {}", to.display()))?;
    println!(
        "meldpunt-server: backup of {} written to {}",
        c.database.display(),
        to.display()
    );
    println!(
        "  Also keep a copy of the receipt key {} (it is not in the database).",
        c.receipt_key.display()
    );
    Ok(())
}

fn purge(path: &Path) -> anyhow::Result<()> {
    let (c, conn) = open_db(path)?;
    let cutoff = db::days_ago(c.reply_retention_days);
    let n = db::purge_replies(&conn, &cutoff).context("cannot purge replies")?;
    println!(
        "meldpunt-server: deleted {n} repl{} received before {cutoff} (reply_retention_days = {})",
        if n == 1 { "y" } else { "ies" },
        c.reply_retention_days
    );
    Ok(())
}

fn stats(path: &Path, json: bool) -> anyhow::Result<()> {
    let (_, mut conn) = open_db(path)?;
    let s = db::stats(&mut conn).context("cannot count")?;
    if json {
        println!("{}", serde_json::to_string_pretty(&s)?);
        return Ok(());
    }
    println!("cases:                    {}", s.cases);
    println!("meldingen waiting:        {}", s.meldingen_waiting);
    println!("vervolgen waiting:        {}", s.vervolgen_waiting);
    println!("bijlagen waiting:         {}", s.bijlagen_waiting);
    println!("ciphertext bytes waiting: {}", s.ciphertext_bytes_waiting);
    println!("replies held:             {}", s.replies);
    println!("cases per organisation:");
    for (org, n) in &s.cases_per_organisation {
        println!("  {org}: {n}");
    }
    Ok(())
}

fn serve(path: &Path) -> anyhow::Result<()> {
    let config = load(path)?;
    tracing::subscriber::set_global_default(logging::subscriber(
        std::io::stderr,
        logging::filter_from_env(),
    ))
    .context("cannot install the logger")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    runtime.block_on(run(config))
}

async fn run(config: Config) -> anyhow::Result<()> {
    let listen = config.listen;
    if !config.web_root.join("index.html").is_file() {
        tracing::warn!("web_root has no index.html yet: the page will not load until it is built");
    }
    let organisations = config.organisations.len();
    let database = config.database.clone();
    let mut limits = conn::ConnLimits::from_limits(&config.limits);
    let nofile = conn::open_file_limit();
    let cap = conn::effective_max_connections(limits.max_connections, nofile);
    if cap < limits.max_connections {
        tracing::warn!(
            max_connections = cap,
            open_file_limit = nofile,
            "max_connections lowered to stay well below the open-file limit (raise LimitNOFILE to allow more)"
        );
        limits.max_connections = cap;
    }
    let state = AppState::open(config)
        .with_context(|| format!("cannot open the database {}", database.display()))?;
    let listener = conn::bind(listen)
        .with_context(|| format!("cannot listen on {listen}; is another program using it?"))?;
    let addr = listener
        .local_addr()
        .context("cannot read the listening address")?;
    let signalled = shutdown_signal();
    // The one place the address appears: stdout, for the operator and the tests;
    // the log never holds addresses.
    println!("meldpunt-server listening on http://{addr}");
    std::io::stdout().flush().ok();
    tracing::info!(
        organisations,
        max_connections = limits.max_connections,
        "meldpunt-server started"
    );
    tokio::spawn(purge_daily(state.clone()));
    let counts = std::sync::Arc::clone(&state.request_counts);
    tokio::spawn(logging::log_counts_periodically(std::sync::Arc::clone(
        &counts,
    )));

    let (stopping_tx, mut stopping_rx) = tokio::sync::watch::channel(false);
    let server = conn::Server::new(listener, app(state), limits).run(async move {
        signalled.await;
        tracing::info!("shutting down; finishing requests in progress");
        stopping_tx.send(true).ok();
    });
    let deadline = async move {
        // Dropped sender (the server ended first) also wakes this; then the select
        // has already finished.
        while !*stopping_rx.borrow() {
            if stopping_rx.changed().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        () = server => {},
        () = deadline => tracing::warn!("requests still running after {}s; stopping anyway", SHUTDOWN_GRACE.as_secs()),
    }
    counts.log("since the last count");
    tracing::info!("meldpunt-server stopped");
    Ok(())
}

/// Deletes replies past their retention once at start and then every day.
async fn purge_daily(state: AppState) {
    let mut every = tokio::time::interval(Duration::from_secs(24 * 60 * 60));
    loop {
        every.tick().await;
        let cutoff = db::days_ago(state.config.reply_retention_days);
        match state.db.write(move |c| db::purge_replies(c, &cutoff)).await {
            Ok(n) => tracing::info!(deleted = n, "purged replies past their retention"),
            Err(e) => tracing::error!("purging replies failed: {e}"),
        }
    }
}

/// SIGINT or SIGTERM. The handlers are installed at once, when this is called,
/// so a signal that comes before the future is first polled is not lost (nor
/// kills the process before it could finish its requests).
#[cfg(unix)]
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let interrupt = signal(SignalKind::interrupt()).ok();
    let terminate = signal(SignalKind::terminate()).ok();
    async move {
        let wait = |s: Option<tokio::signal::unix::Signal>| async move {
            match s {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            () = wait(interrupt) => {},
            () = wait(terminate) => {},
        }
    }
}

#[cfg(not(unix))]
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
