//! `meldpunt_keys`: the integriteitscoördinator's offline logic as a library, under
//! two faces: the `meldpunt-keys` command line (this crate's binary) and the desk.
//!
//! It holds the meldpunt's identity and signing key, imports the bundles the server
//! exports, keeps the case store, and writes signed replies for the server to hand
//! out. It runs on an air-gapped laptop and never opens a socket: no networking crate
//! is in its dependency tree (a test checks). Every format comes from
//! `meldpunt-envelope`.
//!
//! The API returns typed data and language-free errors ([`Error`]); it prints nothing,
//! asks for nothing and reads no terminal. A face:
//! - makes a meldpunt once with [`init::init`] (the passphrase in, an
//!   [`init::InitResult`] out: public keys, config lines, staff token);
//! - opens a [`Session`] on the folder ([`Session::open`], no passphrase), and unlocks
//!   it once ([`Session::unlock`] with a [`Credential`]) when it needs the keys;
//! - calls the session's methods: [`Session::cases`], [`Session::case_file`],
//!   [`Session::import`] (with a progress callback), [`Session::register`],
//!   [`Session::add_note`], [`Session::update_status`], …;
//! - words the results and errors in its own language ([`lang::Lang`]); the
//!   jaarverslag's figures ([`report`]) come with pure renderers.

pub mod attachments;
pub mod cases;
pub mod days;
pub mod error;
pub mod i18n;
pub mod import;
pub mod init;
pub mod jaarverslag;
pub mod lang;
pub mod private;
pub mod replies;
pub mod report;
pub mod rotate;
mod schema;
pub mod secrets;
pub mod session;
pub mod store;

pub use error::{Error, Result};
pub use session::{Credential, Session, Want};
