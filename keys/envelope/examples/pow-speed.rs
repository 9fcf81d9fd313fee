//! How long one evaluation of the proof-of-work function takes natively: what the
//! server pays to check one proof, whatever effort it claims (docs/PERFORMANCE.md).
//!
//!   cargo run --release -p meldpunt-envelope --example pow-speed
use meldpunt_envelope::pow::{Hasher, challenge};

fn main() {
    let mut h = Hasher::new();
    let c = challenge(&[1; 32], &[2; 32], 1000);
    let n: u32 = 3000;
    let mut nonce = [0u8; 16];
    let began = std::time::Instant::now();
    for i in 0..n {
        nonce[..4].copy_from_slice(&i.to_le_bytes());
        std::hint::black_box(h.hash(&c, &nonce));
    }
    let per = began.elapsed().as_secs_f64() / f64::from(n);
    println!(
        "Argon2id (1 MiB, 1 pass, 1 lane), native: {:.3} ms per evaluation, {:.0} per second on one core",
        per * 1e3,
        1.0 / per
    );
}
