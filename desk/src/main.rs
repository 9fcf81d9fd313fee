//! `meldpunt-desk`: the integriteitscoördinator's desk. The offline library
//! (`meldpunt_keys`) in the laptop's own browser: a small web server on 127.0.0.1 only,
//! on a free port, opened at a URL with a one-time secret. It never connects out; it
//! answers only its own page (see `guard`), and stops on "Afsluiten" or when left
//! alone.

mod errors;
mod first;
mod guard;
mod i18n;
mod orgs;
mod page;
mod postvak;
mod register;
mod report;
mod state;
mod upload;
mod week;
mod zaak;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use clap::Parser;
use meldpunt_envelope::Lang;
use meldpunt_keys::error::Error;
use meldpunt_keys::session::Session;

use crate::state::{Desk, Settings};

/// The largest bundle the desk takes in one upload (the library's own limit is lower).
const MAX_UPLOAD: usize = 2 * 1024 * 1024 * 1024;

#[derive(Parser, Debug)]
#[command(name = "meldpunt-desk", version)]
struct Args {
    /// The meldpunt folder (default: ~/Meldpunt).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Print the address instead of opening the browser.
    #[arg(long)]
    no_browser: bool,
    /// Lock the keys after this many seconds without use.
    #[arg(long, default_value_t = 900)]
    lock_after: u64,
    /// Stop after this many seconds without use.
    #[arg(long, default_value_t = 3600)]
    stop_after: u64,
    /// nl or en (default: from LANG).
    #[arg(long)]
    lang: Option<String>,
}

fn default_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join("Meldpunt"))
}

/// Runs `f` with the desk off the async threads (the store and scrypt block).
pub async fn blocking<F>(desk: Arc<Desk>, f: F) -> Response
where
    F: FnOnce(&Desk) -> Response + Send + 'static,
{
    let l = desk.lang();
    match tokio::task::spawn_blocking(move || f(&desk)).await {
        Ok(r) => r,
        Err(_) => {
            let (what, todo) = errors::explain(l, &Error::Internal(String::new()));
            page::layout(l, &what, None, &page::error_box(&what, &todo)).into_response()
        }
    }
}

/// Where a request goes when the meldpunt is not ready for it: the first run, or the
/// unlock page.
pub fn not_ready(desk: &Desk) -> Option<Response> {
    let inner = desk.inner();
    match &inner.session {
        None => Some(Redirect::to("/eerste-keer").into_response()),
        Some(s) if s.unlocked().is_none() => Some(Redirect::to("/ontgrendel").into_response()),
        Some(_) => None,
    }
}

fn router(desk: Arc<Desk>) -> Router {
    Router::new()
        .route("/", get(first::home))
        .route("/desk.css", get(|| async { page::css() }))
        .route("/desk.js", get(|| async { page::js() }))
        // The browser asks for an icon; the desk has none to give.
        .route(
            "/favicon.ico",
            get(|| async { axum::http::StatusCode::NO_CONTENT }),
        )
        .route(
            "/eerste-keer",
            get(first::first_form).post(first::first_make),
        )
        .route("/eerste-keer/serverbestand", get(first::server_file))
        .route("/ontgrendel", get(first::unlock_form).post(first::unlock))
        .route("/vergrendel", post(first::lock))
        .route("/afsluiten", post(first::quit))
        .route("/postvak", get(postvak::list))
        .route("/postvak/import", post(postvak::import))
        .route("/postvak/voortgang", get(postvak::progress))
        .route("/postvak/resultaat", get(postvak::result))
        .route("/zaak/{number}", get(zaak::view))
        .route("/zaak/{number}/status", post(zaak::status))
        .route("/zaak/{number}/notitie", post(zaak::note))
        .route("/zaak/{number}/bijlage/{idx}", get(zaak::attachment))
        .route(
            "/zaak/{number}/antwoord",
            get(zaak::reply_form).post(zaak::reply),
        )
        .route("/antwoorden", get(zaak::replies))
        .route("/registreren", get(register::form).post(register::make))
        .route("/organisaties", get(orgs::form).post(orgs::save))
        .route("/weekronde", get(week::view))
        .route("/weekronde/antwoorden", post(week::replies_bundle))
        .route("/weekronde/bevestiging", post(week::confirmation))
        .route("/jaarverslag", get(report::view))
        .route("/jaarverslag/download", get(report::download))
        .fallback(first::not_found)
        .layer(DefaultBodyLimit::max(MAX_UPLOAD))
        .layer(axum::middleware::from_fn_with_state(
            desk.clone(),
            guard::guard,
        ))
        .with_state(desk)
}

fn open_browser(url: &str) -> bool {
    let browser = std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| "xdg-open".into());
    std::process::Command::new(browser)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}

fn main() -> ExitCode {
    let args = Args::parse();
    let lang = match args.lang.as_deref() {
        Some(c) => Lang::from_code(c).unwrap_or(Lang::Nl),
        None => Lang::from_locale(|k| std::env::var(k).ok()),
    };
    let Some(dir) = args.dir.or_else(default_dir) else {
        eprintln!("{}", t!(lang, "start-no-home"));
        return ExitCode::from(2);
    };
    let session = match Session::open(&dir) {
        Ok(s) => Some(s),
        Err(Error::NotInitialised(_)) => None,
        Err(e) => {
            let (what, todo) = errors::explain(lang, &e);
            eprintln!("{what}\n{todo}");
            return ExitCode::from(1);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("{}: {e}", t!(lang, "start-failed"));
            return ExitCode::from(1);
        }
    };
    let settings = Settings {
        dir,
        lock_after: Duration::from_secs(args.lock_after.max(1)),
        stop_after: Duration::from_secs(args.stop_after.max(1)),
        lang,
    };
    rt.block_on(serve(settings, session, args.no_browser))
}

async fn serve(settings: Settings, session: Option<Session>, no_browser: bool) -> ExitCode {
    let lang = settings.lang;
    // Loopback only, port chosen by the system.
    let listener =
        match tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("{}: {e}", t!(lang, "start-failed"));
                return ExitCode::from(1);
            }
        };
    let port = match listener.local_addr() {
        Ok(a) => a.port(),
        Err(e) => {
            eprintln!("{}: {e}", t!(lang, "start-failed"));
            return ExitCode::from(1);
        }
    };
    let (desk, secret) = Desk::new(settings, port, session);
    let desk = Arc::new(desk);
    let url = format!("http://127.0.0.1:{port}/?s={secret}");
    if no_browser || !open_browser(&url) {
        println!("{url}");
        eprintln!("{}", t!(lang, "start-open-this"));
    } else {
        eprintln!("{}", t!(lang, "start-opened", address = desk.origin()));
    }
    let watcher = desk.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            let idle = watcher.idle();
            if idle >= watcher.settings.stop_after {
                watcher.shut_down();
                break;
            }
            if idle >= watcher.settings.lock_after && !watcher.importing() {
                watcher.lock_keys();
            }
        }
    });
    let mut stop = desk.stop.subscribe();
    let app = router(desk.clone());
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let _ = stop.wait_for(|s| *s).await;
        })
        .await;
    // The keys are wiped as the session drops.
    desk.inner().session = None;
    match served {
        Ok(()) => {
            eprintln!("{}", t!(lang, "stopped"));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", t!(lang, "start-failed"));
            ExitCode::from(1)
        }
    }
}
