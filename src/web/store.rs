//! Where the consent record lives: `localStorage` key `cookiegate`, else a
//! first-party cookie `cookiegate`, else memory for this page. Each access is
//! guarded: `window.localStorage` itself throws when storage is blocked.

use super::page::{html_document, is_https, window};
use std::cell::RefCell;
use web_sys::Storage;

/// The localStorage key and cookie name.
pub const KEY: &str = "cookiegate";

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

fn read_cookie() -> Option<String> {
    let all = html_document()?.cookie().ok()?;
    let raw = all.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        (name.trim() == KEY).then_some(value.trim())
    })?;
    let decoded: String = js_sys::decode_uri_component(raw).ok()?.into();
    Some(decoded).filter(|v| !v.is_empty())
}

fn write_cookie(value: &str, max_age_s: u64) -> bool {
    let Some(doc) = html_document() else {
        return false;
    };
    let encoded: String = js_sys::encode_uri_component(value).into();
    let mut cookie = String::with_capacity(encoded.len() + 64);
    cookie.push_str(KEY);
    cookie.push('=');
    cookie.push_str(&encoded);
    cookie.push_str("; Path=/; Max-Age=");
    cookie.push_str(&max_age_s.to_string());
    cookie.push_str("; SameSite=Lax");
    if is_https() {
        cookie.push_str("; Secure");
    }
    // A blocked or oversized cookie is dropped silently: read it back.
    doc.set_cookie(&cookie).is_ok() && read_cookie().as_deref() == Some(value)
}

fn remove_cookie() {
    if let Some(doc) = html_document() {
        let _ = doc.set_cookie("cookiegate=; Path=/; Max-Age=0; SameSite=Lax");
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
    /// memory is the newest, so it comes first; then localStorage, then the
    /// cookie.
    pub fn read(&self) -> Option<String> {
        if let Some(v) = self.memory.borrow().clone() {
            return Some(v);
        }
        local()
            .and_then(|s| s.get_item(KEY).ok().flatten())
            .filter(|v| !v.is_empty())
            .or_else(read_cookie)
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
