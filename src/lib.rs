//! cookiegate: a cookie-consent banner in Rust and WebAssembly.
//!
//! A storefront embeds one script tag; cookiegate reads a JSON catalogue of
//! the site's cookies and trackers, asks the visitor, and lets each script,
//! iframe or cookie in only after its category is accepted.
//!
//! The crate is a pure core and a thin browser shell:
//! - [`json`] reads JSON keeping line and column of every value;
//! - [`text`] writes and reads decimal numbers without `core::fmt`;
//! - [`catalogue`] is the typed, checked catalogue and its JSON Schema;
//! - [`consent`] decides: the consent record and its validity, what may run,
//!   what must be cleared, the Consent Mode signals for a choice;
//! - `web` (wasm32 only) reads the page, asks the core and applies the answer;
//! - `scan` (native only) drives Chromium through a shop's pages and compares
//!   what really happened with the catalogue (`cookiegate scan`).
//! - [`records`] (native only) is the consent-record service.

pub mod catalogue;
pub mod consent;
pub mod json;
pub mod text;

#[cfg(not(target_arch = "wasm32"))]
pub mod records;
#[cfg(not(target_arch = "wasm32"))]
pub mod scan;

// `cookiegate_core_only`: the core without the browser shell, for
// benches/core-floor/floor.rs (what the pure core weighs in the wasm on its own).
#[cfg(all(target_arch = "wasm32", not(cookiegate_core_only)))]
pub mod web;

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod heap;

/// The wasm's allocator: a free list per power-of-two size instead of dlmalloc.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static HEAP: heap::Heap = heap::Heap::new();
