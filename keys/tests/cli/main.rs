//! End-to-end tests of `meldpunt-keys`, driving the real binary in temporary folders.
//! No server is involved: bundles are made here with the envelope crate, exactly as
//! the server makes them.

mod cases;
mod init;
mod jaarverslag;
mod keys;
mod no_network;
mod rage;
mod refusals;
mod round_trip;
mod server;
mod set_aside;
mod snapshots;
mod util;
