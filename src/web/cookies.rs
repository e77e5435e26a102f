//! Removing what refused services left behind: their first-party cookies on
//! every domain and path a tracker may have used, and their web-storage keys.

use super::page::{cookies, is_https, later, location, set_cookie, window};
use crate::catalogue::{Catalogue, StorageKind};
use crate::consent::{cookie_names, cookies_to_clear, deletion_lines, storage_to_clear, Choice};
use std::rc::Rc;
use web_sys::Storage;

/// One pass: deletes every cookie and storage key of a service `choice`
/// does not grant.
pub fn clear(catalogue: &Catalogue, choice: &Choice) {
    clear_cookies(catalogue, choice);
    let Some(w) = window() else { return };
    for (kind, storage) in [
        (StorageKind::Local, w.local_storage()),
        (StorageKind::Session, w.session_storage()),
    ] {
        if let Ok(Some(storage)) = storage {
            clear_storage(catalogue, choice, kind, &storage);
        }
    }
}

/// Clears now and again after 500 ms and 2.5 s: scripts that were running
/// may set their cookies again before the page reloads. Each pass clears
/// for the choice in force when it runs (`current`; `None`: no choice), so
/// a category accepted in between keeps its cookies.
pub fn clear_repeatedly(catalogue: Rc<Catalogue>, current: Rc<dyn Fn() -> Option<Choice>>) {
    let pass = move |catalogue: &Catalogue| {
        let choice = current().unwrap_or_else(|| Choice::reject_all(catalogue));
        clear(catalogue, &choice);
    };
    pass(&catalogue);
    for ms in [500, 2500] {
        let (catalogue, pass) = (catalogue.clone(), pass.clone());
        later(ms, move || pass(&catalogue));
    }
}

fn clear_cookies(catalogue: &Catalogue, choice: &Choice) {
    let Some(all) = cookies() else { return };
    let names = cookies_to_clear(catalogue, choice, &cookie_names(&all));
    if names.is_empty() {
        return;
    }
    let host = location("hostname").unwrap_or_default();
    let path = location("pathname").unwrap_or_default();
    for line in deletion_lines(&names, &host, &path, is_https()) {
        set_cookie(&line);
    }
}

fn clear_storage(catalogue: &Catalogue, choice: &Choice, kind: StorageKind, storage: &Storage) {
    let len = storage.length().unwrap_or(0);
    let mut keys: Vec<String> = Vec::new();
    for i in 0..len {
        if let Ok(Some(key)) = storage.key(i) {
            keys.push(key);
        }
    }
    let present: Vec<&str> = keys.iter().map(String::as_str).collect();
    for key in storage_to_clear(catalogue, choice, kind, &present) {
        let _ = storage.remove_item(key);
    }
}
