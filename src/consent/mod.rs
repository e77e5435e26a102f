//! Consent decisions, free of any browser API: the visitor's [`Choice`], the
//! stored [`ConsentRecord`] and whether it still counts, what the gate may
//! activate ([`decide`]) and whether a held element may run now ([`judge`]:
//! the nonce and host rules; [`admit`]: run, hold behind a placeholder or
//! not, refuse), which services own a URL and whether it may
//! load now ([`verdict`]), what must be cleared ([`cookies_to_clear`]), and
//! the Consent Mode signals for a choice ([`consent_mode`]), and what a
//! change of choice does to the page ([`plan`]: ordered effects) and where
//! a page starts from ([`start`]) and how it follows another tab ([`follow`]).

mod admit;
mod change;
mod choice;
mod clear;
mod owner;
mod plan;
mod record;
mod signals;
pub mod time;
mod trust;
mod url;

pub use admit::{admit, fetch_early, placeholder, Admit};
pub use change::{changed, Changed};
pub use choice::{
    as_wishes, category_switch, decide, decide_refused, CategorySwitch, Choice, Decision,
};
pub use clear::{
    cookie_names, cookies_to_clear, deletion_lines, storage_to_clear, MAX_COOKIE_PATH,
    MAX_DELETION_DOMAINS, MAX_DELETION_SEGMENTS,
};
pub use owner::{owners, verdict, UrlTarget, UrlVerdict};
pub use plan::{follow, must_reload, plan, start, Effect, Follow, Ran, Start};
pub use record::{parse_stored, ConsentRecord, Invalid, Method, MAX_STORED_LEN};
pub use signals::consent_mode;
pub use trust::{
    allowed_hosts, carries_page_nonce, inline_code_allowed, judge, script_type_allowed, srcset,
    srcset_text, target_allowed, trusted, Candidate, Held, PageTrust, Refusal, Target, Verdict,
};
pub use url::{hex, link_href, may_load, on_hosts, service_script_allowed};
