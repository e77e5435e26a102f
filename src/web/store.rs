//! Where the consent record lives: `localStorage` key `cookiegate`, else a
//! first-party cookie, else memory for this page. Each access is guarded:
//! `window.localStorage` itself throws when storage is blocked.
//!
//! The cookie is read only while localStorage does not work: any host of
//! the same site may set a cookie on the parent domain, and such a cookie
//! must never count as this visitor's consent. On `https:` the cookie is
//! `__Host-cookiegate` (the browser refuses that name with a `Domain`, so a
//! sibling subdomain cannot forge it); on plain `http:` no prefix exists.

use super::page::{cookies, is_https, set_cookie, window};
use crate::text::push_decimal;
use std::cell::RefCell;
use web_sys::Storage;

/// The localStorage key (and the cookie's name on plain `http:`).
pub const KEY: &str = "cookiegate";
/// The cookie's name on `https:`: host-only, `Secure`, `Path=/`.
pub const HOST_COOKIE: &str = "__Host-cookiegate";
/// Written and removed to see whether localStorage takes writes.
const PROBE: &str = "cookiegate-probe";

/// Where a record was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// `localStorage`.
    Local,
    /// The first-party cookie.
    Cookie,
    /// Neither could be written: kept for this page only.
    Memory,
}

/// The consent record's storage.
pub struct Store {
    max_age_s: u64,
    memory: RefCell<Option<String>>,
}

fn local() -> Option<Storage> {
    window()?.local_storage().ok().flatten()
}

/// localStorage, when it reads and takes writes (a full or read-only one
/// does not: then the cookie is where the record goes, and is read).
fn working_local() -> Option<Storage> {
    let storage = local()?;
    storage.get_item(KEY).ok()?;
    storage.set_item(PROBE, "1").ok()?;
    storage.remove_item(PROBE).ok()?;
    Some(storage)
}

fn cookie_name() -> &'static str {
    if is_https() {
        HOST_COOKIE
    } else {
        KEY
    }
}

fn read_cookie() -> Option<String> {
    let all = cookies()?;
    let name = cookie_name();
    let mut found = None;
    for pair in crate::text::split_byte(&all, b';') {
        let Some((n, value)) = crate::text::split_once_byte(pair, b'=') else {
            continue;
        };
        if n.trim() == name {
            // Two cookies of that name: one was set for a wider domain or
            // path, by another page of the site. Neither can be trusted.
            if found.is_some() {
                return None;
            }
            found = Some(value.trim());
        }
    }
    let raw = found?;
    let decoded: String = js_sys::decode_uri_component(raw).ok()?.into();
    Some(decoded).filter(|v| !v.is_empty())
}

fn write_cookie(value: &str, max_age_s: u64) -> bool {
    let encoded: String = js_sys::encode_uri_component(value).into();
    let mut cookie = String::with_capacity(encoded.len() + 80);
    cookie.push_str(cookie_name());
    cookie.push('=');
    cookie.push_str(&encoded);
    cookie.push_str("; Path=/; Max-Age=");
    push_decimal(&mut cookie, max_age_s);
    cookie.push_str("; SameSite=Lax");
    if is_https() {
        cookie.push_str("; Secure");
    }
    // A blocked or oversized cookie is dropped silently: read it back.
    set_cookie(&cookie) && read_cookie().as_deref() == Some(value)
}

fn remove_cookie() {
    set_cookie("cookiegate=; Path=/; Max-Age=0; SameSite=Lax");
    if is_https() {
        set_cookie("__Host-cookiegate=; Path=/; Max-Age=0; SameSite=Lax; Secure");
    }
}

impl Store {
    /// A store whose cookie lives `consent_days`.
    pub fn new(consent_days: u32) -> Store {
        Store {
            max_age_s: u64::from(consent_days) * 86_400,
            memory: RefCell::new(None),
        }
    }

    /// The stored record's text, if any. What this page could keep only in
    /// memory is the newest, so it comes first; then localStorage, or the
    /// cookie only while localStorage does not work.
    pub fn read(&self) -> Option<String> {
        if let Some(v) = self.memory.borrow().clone() {
            return Some(v);
        }
        match working_local() {
            Some(storage) => storage
                .get_item(KEY)
                .ok()
                .flatten()
                .filter(|v| !v.is_empty()),
            None => read_cookie(),
        }
    }

    /// Stores `value` in the first place that accepts it.
    pub fn write(&self, value: &str) -> Place {
        if local().is_some_and(|s| s.set_item(KEY, value).is_ok()) {
            *self.memory.borrow_mut() = None;
            // An older cookie copy would only go stale.
            remove_cookie();
            return Place::Local;
        }
        if write_cookie(value, self.max_age_s) {
            *self.memory.borrow_mut() = None;
            return Place::Cookie;
        }
        *self.memory.borrow_mut() = Some(value.to_string());
        Place::Memory
    }

    /// Forgets the record everywhere.
    pub fn remove(&self) {
        *self.memory.borrow_mut() = None;
        if let Some(s) = local() {
            let _ = s.remove_item(KEY);
        }
        remove_cookie();
    }
}
