//! Integration tests of meldpunt-server: the router driven with `oneshot` against
//! real SQLite files in temporary directories, and the binary itself.

mod api;
mod cli;
mod common;
mod headers;
mod intake;
mod limits;
mod pages;
mod pow;
mod privacy;
mod staff;
mod zonder_js;
