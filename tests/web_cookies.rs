//! Clearing what refused services left: first-party cookies on every
//! domain/path variant the page can reach, and web-storage keys.
//! (The test server is 127.0.0.1, so only host-only variants apply here;
//! parent-domain variants are covered by `deletion_lines`' native tests.)
#![cfg(target_arch = "wasm32")]

mod web_support;

use cookiegate::consent::Choice;
use cookiegate::web::cookies::clear;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_support::{catalogue, document, window};

wasm_bindgen_test_configure!(run_in_browser);

fn html() -> web_sys::HtmlDocument {
    document().unchecked_into()
}

#[wasm_bindgen_test]
fn clears_refused_cookies_and_keys_only() {
    let catalogue = catalogue();
    let doc = html();
    for c in [
        "_ga=1; Path=/",
        "_ga_ABC=2; Path=/",
        "_gcl_au=3; Path=/",
        "shop_session=4; Path=/",
        "other=5; Path=/",
    ] {
        doc.set_cookie(c).unwrap();
    }
    let local = window().local_storage().unwrap().unwrap();
    local.set_item("_ga_state", "x").unwrap();
    local.set_item("_ads_id", "y").unwrap();

    clear(
        &catalogue,
        &Choice::only_categories(&catalogue, &["marketing"]),
    );
    let left = doc.cookie().unwrap();
    assert!(!left.contains("_ga="), "{left}");
    assert!(!left.contains("_ga_ABC="), "{left}");
    assert!(
        left.contains("_gcl_au=3"),
        "granted marketing keeps its cookie: {left}"
    );
    assert!(left.contains("shop_session=4"), "necessary stays: {left}");
    assert!(
        left.contains("other=5"),
        "not in the catalogue: not ours to delete: {left}"
    );
    assert_eq!(local.get_item("_ga_state").unwrap(), None);
    assert_eq!(local.get_item("_ads_id").unwrap().as_deref(), Some("y"));

    clear(&catalogue, &Choice::reject_all(&catalogue));
    let left = doc.cookie().unwrap();
    assert!(!left.contains("_gcl_au"), "{left}");
    assert!(left.contains("shop_session=4"), "{left}");
    assert_eq!(local.get_item("_ads_id").unwrap(), None);
    for c in [
        "shop_session=; Max-Age=0; Path=/",
        "other=; Max-Age=0; Path=/",
    ] {
        doc.set_cookie(c).unwrap();
    }
}
