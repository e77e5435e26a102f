//! The browser shell (wasm32 only): reads the page, asks the core, applies
//! the answer. Being written.

mod beacon;
pub mod cookies;
pub mod gate;
mod google;
mod page;
pub mod store;
mod trusted;
pub mod ui;
