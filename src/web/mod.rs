//! The browser shell (wasm32 only): reads the page, asks the core, applies
//! the answer. Being written.

pub mod ui;
