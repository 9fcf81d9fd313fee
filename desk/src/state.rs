//! What the desk holds while it runs: the meldpunt folder, the one session (its keys
//! unlocked once, wiped on lock), the one-time secret and the cookie it is exchanged
//! for, the import in progress, and the clock of the last request.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use meldpunt_envelope::Lang;
use meldpunt_keys::import::ImportReport;
use meldpunt_keys::session::Session;
use tokio::sync::watch;
use zeroize::Zeroizing;

/// The desk's settings, from its command line.
#[derive(Debug, Clone)]
pub struct Settings {
    pub dir: PathBuf,
    /// Lock the keys after this long without a request.
    pub lock_after: Duration,
    /// Stop the desk after this long without a request.
    pub stop_after: Duration,
    pub lang: Lang,
}

/// The progress of the import that is running, for the page's progress bar.
#[derive(Default)]
pub struct Progress {
    pub running: AtomicBool,
    pub done: AtomicUsize,
    pub total: AtomicUsize,
}

/// What one import left for the Postvak and the Weekronde.
pub struct LastImport {
    pub name: String,
    pub report: ImportReport,
}

/// What the first run made and shows once.
pub struct Made {
    pub staff_token: Option<Zeroizing<String>>,
    pub server_file: Zeroizing<String>,
    pub recipient: String,
    pub signing_public_key: String,
    pub recovery: Option<Zeroizing<String>>,
}

#[derive(Default)]
pub struct Inner {
    /// The open meldpunt; `None` before the first run.
    pub session: Option<Session>,
    pub last_import: Option<LastImport>,
    pub made: Option<Made>,
}

pub struct Desk {
    pub settings: Settings,
    pub port: u16,
    /// The one-time secret in the URL the browser is opened at; taken on first use.
    secret: Mutex<Option<Zeroizing<String>>>,
    /// The cookie the secret is exchanged for.
    pub cookie: Zeroizing<String>,
    inner: Mutex<Inner>,
    lang: Mutex<Lang>,
    last: Mutex<Instant>,
    pub progress: Progress,
    pub stop: watch::Sender<bool>,
}

/// A random value as 64 hex characters (256 bits).
pub fn random_hex() -> Zeroizing<String> {
    let mut b = [0u8; 32];
    getrandom::getrandom(&mut b).expect("the system has a random source");
    let s = Zeroizing::new(hex::encode(b));
    zeroize::Zeroize::zeroize(&mut b);
    s
}

/// Compares two secrets in time independent of where they differ.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A handler that panicked left the data as it was; the desk keeps going.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Desk {
    pub fn new(settings: Settings, port: u16, session: Option<Session>) -> (Desk, String) {
        let secret = random_hex();
        let url_secret = secret.to_string();
        let lang = settings.lang;
        let desk = Desk {
            settings,
            port,
            secret: Mutex::new(Some(secret)),
            cookie: random_hex(),
            inner: Mutex::new(Inner {
                session,
                ..Inner::default()
            }),
            lang: Mutex::new(lang),
            last: Mutex::new(Instant::now()),
            progress: Progress::default(),
            stop: watch::channel(false).0,
        };
        (desk, url_secret)
    }

    /// Takes the one-time secret if `given` is it; it works once.
    pub fn take_secret(&self, given: &str) -> bool {
        let mut s = lock(&self.secret);
        match s.as_ref() {
            Some(secret) if same(secret.as_bytes(), given.as_bytes()) => {
                *s = None;
                true
            }
            _ => false,
        }
    }

    pub fn inner(&self) -> MutexGuard<'_, Inner> {
        lock(&self.inner)
    }

    pub fn lang(&self) -> Lang {
        *lock(&self.lang)
    }

    pub fn set_lang(&self, l: Lang) {
        *lock(&self.lang) = l;
    }

    pub fn touch(&self) {
        *lock(&self.last) = Instant::now();
    }

    pub fn idle(&self) -> Duration {
        lock(&self.last).elapsed()
    }

    /// The address the desk answers as (its own Host and Origin).
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Whether an import is running (then nothing else may write).
    pub fn importing(&self) -> bool {
        self.progress.running.load(Ordering::SeqCst)
    }

    /// Locks the keys (they are wiped when dropped).
    pub fn lock_keys(&self) {
        if let Some(s) = self.inner().session.as_mut() {
            s.lock();
        }
    }

    pub fn shut_down(&self) {
        let _ = self.stop.send(true);
    }
}
