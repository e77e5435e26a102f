//! Consent decisions, free of any browser API: the visitor's [`Choice`], the
//! stored [`ConsentRecord`] and whether it still counts, what the gate may
//! activate ([`decide`]), which services own a URL and whether it may load
//! now ([`verdict`]), what must be cleared ([`cookies_to_clear`]), and the
//! Consent Mode signals for a choice ([`consent_mode`]).

mod choice;
mod clear;
mod owner;
mod record;
mod signals;
pub mod time;
mod url;

pub use choice::{decide, decide_refused, Choice, Decision};
pub use clear::{cookie_names, cookies_to_clear, deletion_variants, storage_to_clear};
pub use owner::{owners, verdict, Target, Verdict};
pub use record::{parse_stored, ConsentRecord, Invalid, Method, MAX_STORED_LEN};
pub use signals::consent_mode;
pub use url::{hex, may_load, on_hosts};
