//! Builds the WASM client into client-wasm/www/pkg.
