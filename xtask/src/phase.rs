//! Timing of `cargo xtask test`'s phases: wall time and the CPU time (user + system) of
//! the commands each phase ran, so a slow phase shows even on a busy, shared machine
//! where wall time is noisy. The CPU count is the whole process's: phases that run
//! beside each other (the WASM build, the install test) share theirs.

use std::time::Instant;

/// CPU seconds (user + system) of every finished child process of xtask so far, from
/// `/proc/self/stat` (fields `cutime` and `cstime`); 0 where that file is unreadable.
pub fn children_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The command name (field 2) is in parentheses and may hold spaces: count from
    // after its closing parenthesis, where field 3 starts.
    let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // cutime and cstime are fields 16 and 17, that is 13 and 14 after field 3.
    let ticks: u64 = [13, 14]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<u64>().ok()))
        .sum();
    // USER_HZ is 100 on every Linux architecture Debian ships.
    ticks as f64 / 100.0
}

/// Runs one phase and prints how long it took, also when it fails.
pub fn timed<T>(name: &str, f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    let start = Instant::now();
    let cpu = children_cpu_seconds();
    let result = f();
    eprintln!(
        "xtask: phase {name}: {:.1} s wall, {:.1} s cpu (user+sys){}",
        start.elapsed().as_secs_f64(),
        children_cpu_seconds() - cpu,
        if result.is_ok() { "" } else { ", failed" }
    );
    result
}
