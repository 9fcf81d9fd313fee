//! The `meldpunt-server` command: `serve` and `check-config`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use meldpunt_server::{AppState, Config, app, logging};

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
    /// Run the server until SIGINT or SIGTERM.
    Serve {
        /// The config file (see meldpunt-server.example.toml).
        #[arg(long, default_value = "meldpunt-server.toml")]
        config: PathBuf,
    },
    /// Check a config file and print a summary, without starting anything.
    CheckConfig {
        /// The config file to check.
        #[arg(long, default_value = "meldpunt-server.toml")]
        config: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve { config } => serve(&config),
        Command::CheckConfig { config } => check_config(&config),
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

fn check_config(path: &Path) -> anyhow::Result<()> {
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
    println!("  organisations:");
    for o in &c.organisations {
        let n = o.recipients.len();
        println!(
            "    {} ({}): {n} recipient{}",
            o.slug,
            o.name,
            if n == 1 { "" } else { "s" }
        );
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
    let state = AppState::open(config)
        .with_context(|| format!("cannot open the database {}", database.display()))?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}; is another program using it?"))?;
    let addr = listener
        .local_addr()
        .context("cannot read the listening address")?;
    // The one place the address appears: stdout, for the operator and the tests;
    // the log never holds addresses.
    println!("meldpunt-server listening on http://{addr}");
    std::io::stdout().flush().ok();
    tracing::info!(organisations, "meldpunt-server started");

    let (stopping_tx, mut stopping_rx) = tokio::sync::watch::channel(false);
    let server = axum::serve(listener, app(state)).with_graceful_shutdown(async move {
        shutdown_signal().await;
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
        r = server => r.context("the server failed")?,
        () = deadline => tracing::warn!("requests still running after {}s; stopping anyway", SHUTDOWN_GRACE.as_secs()),
    }
    tracing::info!("meldpunt-server stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
