//! Integration tests of meldpunt-server: the router driven with `oneshot` against
//! real SQLite files in temporary directories, and the binary itself.

mod api;
mod cli;
mod common;
mod connections;
mod durability;
mod headers;
mod intake;
mod limit;
mod limits;
mod logs;
mod pages;
mod paths;
mod pow;
mod privacy;
mod routing;
mod running;
mod setup;
mod staff;
mod zonder_js;
