//! Where the consent record is kept: localStorage, a cookie when storage is
//! blocked, memory when both are; a corrupt record is no choice.
#![cfg(target_arch = "wasm32")]

mod web_support;

use cookiegate::consent::{ConsentRecord, Invalid};
use cookiegate::web::store::{Place, Store, KEY};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_support::{catalogue, document, make_throw, restore, window};

wasm_bindgen_test_configure!(run_in_browser);

fn cookie() -> String {
    document()
        .unchecked_into::<web_sys::HtmlDocument>()
        .cookie()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn local_storage_first() {
    let store = Store::new(1);
    assert_eq!(store.write("{\"a\":1}"), Place::Local);
    assert_eq!(store.read().as_deref(), Some("{\"a\":1}"));
    let local = window().local_storage().unwrap().unwrap();
    assert_eq!(local.get_item(KEY).unwrap().as_deref(), Some("{\"a\":1}"));
    assert!(!cookie().contains("cookiegate="));
    store.remove();
    assert_eq!(store.read(), None);
}

#[wasm_bindgen_test]
fn blocked_storage_falls_back_to_a_cookie() {
    let saved = make_throw(&window(), "localStorage");
    assert!(
        window().local_storage().is_err(),
        "the test blocks localStorage"
    );
    let store = Store::new(1);
    let value = "{\"x\":\"a; b=c\"}";
    assert_eq!(store.write(value), Place::Cookie);
    assert!(cookie().contains("cookiegate=%7B"), "{}", cookie());
    assert_eq!(
        Store::new(1).read().as_deref(),
        Some(value),
        "another page reads the cookie"
    );
    store.remove();
    assert!(!cookie().contains("cookiegate="));
    restore(&window(), "localStorage", saved);
}

#[wasm_bindgen_test]
fn blocked_storage_and_cookies_fall_back_to_memory() {
    let saved_local = make_throw(&window(), "localStorage");
    // As a browser blocks them: `Document.prototype`'s own getter and
    // setter throw (an own property on the document is page markup's
    // kind of shadowing, which cookiegate reads past).
    let proto = js_sys::Reflect::get(&window(), &"Document".into())
        .and_then(|d| js_sys::Reflect::get(&d, &"prototype".into()))
        .expect("Document.prototype");
    let saved_cookie = make_throw(&proto, "cookie");
    let store = Store::new(1);
    assert_eq!(store.write("{}"), Place::Memory);
    assert_eq!(store.read().as_deref(), Some("{}"));
    assert_eq!(Store::new(1).read(), None, "memory is this page's only");
    store.remove();
    assert_eq!(store.read(), None);
    restore(&proto, "cookie", saved_cookie);
    restore(&window(), "localStorage", saved_local);
}

#[wasm_bindgen_test]
fn a_corrupt_record_is_no_choice() {
    let store = Store::new(1);
    let local = window().local_storage().unwrap().unwrap();
    local.set_item(KEY, "{\"id\":\"x\",").unwrap();
    let stored = store.read().expect("something is stored");
    let restored = ConsentRecord::restore(&stored, &catalogue(), 0, false);
    assert!(
        matches!(restored, Err(Invalid::Corrupt { .. })),
        "{restored:?}"
    );
    store.remove();
}

#[wasm_bindgen_test]
fn the_cookie_is_not_read_while_local_storage_works() {
    // As a sibling subdomain could set it on the parent domain.
    let doc = document().unchecked_into::<web_sys::HtmlDocument>();
    doc.set_cookie("cookiegate=%7B%22forged%22%3A1%7D; Path=/")
        .unwrap();
    assert!(cookie().contains("cookiegate=%7B"));
    assert_eq!(
        Store::new(1).read(),
        None,
        "localStorage works: no cookie counts"
    );
    let saved = make_throw(&window(), "localStorage");
    assert_eq!(
        Store::new(1).read().as_deref(),
        Some("{\"forged\":1}"),
        "only while localStorage is blocked is the cookie read (plain http: no prefix)"
    );
    restore(&window(), "localStorage", saved);
    doc.set_cookie("cookiegate=; Path=/; Max-Age=0").unwrap();
}
