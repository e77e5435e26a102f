//! The browser shell (wasm32 only): reads the page, asks the core, applies
//! the answer.
//!
//! - [`start`]: `mount` and the exports behind `window.cookiegate`;
//! - `shell`: the current record, choices, restore, reset, other tabs;
//! - [`gate`]: held scripts, iframes and images, catalogue scripts;
//! - `intercept`: what tags inject, held or refused by the catalogue's hosts;
//! - [`store`]: where the record lives; [`cookies`]: clearing;
//! - `google`, `beacon`, `trusted`: Consent Mode, proof of consent,
//!   Trusted Types;
//! - [`ui`]: banner, preferences, placeholders (written separately).

mod beacon;
pub mod cookies;
pub mod gate;
mod google;
mod intercept;
mod page;
mod shell;
pub mod start;
pub mod store;
mod trusted;
pub mod ui;
