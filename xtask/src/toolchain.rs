//! Installs the tools the build and the tests need, idempotently and quietly when present.
