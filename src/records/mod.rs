//! The consent-record service (`cookiegate records`, contract §7): receives
//! the records the banner sends to `data-consent-endpoint`, checks each with
//! the same record code the browser uses, and keeps them append-only in a
//! hash chain so that `verify` can tell when a stored record was changed,
//! moved or removed.
//!
//! - [`admit`]: what a posted record must be to be stored (pure);
//! - [`chain`]: the hash chain and its verification (pure);
//! - [`store`]: one storage interface, SQLite and PostgreSQL behind it;
//! - [`export`], [`report`], [`metrics`]: what the operator reads;
//! - [`server`]: the HTTP service; [`cli`]: the `records` subcommands.

pub mod admit;
mod base64;
pub mod chain;
pub mod cli;
pub mod export;
pub mod metrics;
pub mod report;
pub mod server;
pub mod store;
