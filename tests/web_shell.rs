//! A started cookiegate (catalogue built in Rust): restoring a stored
//! choice, choosing through the API, Consent Mode `arguments`, events,
//! storage, reset.
#![cfg(target_arch = "wasm32")]

mod web_support;

use cookiegate::consent::{Choice, ConsentRecord, Method};
use cookiegate::web::start::{
    accept, accepted_category, accepted_service, get_consent, reset, start,
};
use cookiegate::web::store::KEY;
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_support::{catalogue, container, element, log, reset_log, sheet, sleep, window};

wasm_bindgen_test_configure!(run_in_browser);

fn field(v: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(v.clone(), |v, k| {
        Reflect::get(&v, &(*k).into()).unwrap_or(JsValue::UNDEFINED)
    })
}

fn data_layer() -> Array {
    Reflect::get(&window(), &"dataLayer".into())
        .unwrap()
        .unchecked_into()
}

#[wasm_bindgen_test]
async fn restores_chooses_resets() {
    let catalogue = catalogue();
    let local = window().local_storage().unwrap().unwrap();
    let stored = ConsentRecord {
        id: "0123456789abcdef0123456789abcdef".into(),
        timestamp_ms: js_sys::Date::now() as i64 - 60_000,
        revision: catalogue.revision,
        method: Method::RejectAll,
        gpc: false,
        choice: Choice::reject_all(&catalogue),
    };
    local
        .set_item(KEY, &stored.to_stored_json(&catalogue))
        .unwrap();
    reset_log("__ran");
    reset_log("__events");
    Reflect::set(&window(), &"dataLayer".into(), &Array::new()).unwrap();
    let listen = Function::new_with_args(
        "e",
        "window.__events.push(e.type + ' ' + (e.detail ? e.detail.method : ''))",
    );
    for name in ["cookiegate:ready", "cookiegate:consent"] {
        window()
            .add_event_listener_with_callback(name, &listen)
            .unwrap();
    }
    let page = container();
    element(
        &page,
        "script",
        &[("type", "text/plain"), ("data-category", "analytics")],
        "window.__ran.push('ga')",
    );
    element(
        &page,
        "script",
        &[("type", "text/plain"), ("data-category", "!marketing")],
        "window.__ran.push('fallback')",
    );
    element(
        &page,
        "script",
        &[("type", "text/plain"), ("data-category", "necessary")],
        "window.__ran.push('shop')",
    );

    let config = Object::new();
    let push = Function::new_no_args("window.dataLayer.push(arguments)");
    Reflect::set(&config, &"push".into(), &push).unwrap();
    // As the bootstrap's `event`: the GTM event, a plain object.
    let event = Function::new_no_args("window.dataLayer.push({ event: 'consent_update' })");
    Reflect::set(&config, &"event".into(), &event).unwrap();
    Reflect::set(&config, &"sheet".into(), &sheet()).unwrap();
    assert!(start(Some(catalogue.clone()), &config.into()));

    assert_eq!(log("__ran"), ["fallback", "shop"], "document order");
    assert_eq!(
        log("__events"),
        ["cookiegate:consent restored", "cookiegate:ready "]
    );
    assert_eq!(
        field(&get_consent(), &["method"]).as_string().as_deref(),
        Some("restored")
    );
    assert!(!accepted_category("analytics".into()));

    reset();
    assert!(get_consent().is_null());
    assert_eq!(local.get_item(KEY).unwrap(), None);

    accept(Array::of1(&"analytics".into()).into());
    assert_eq!(log("__ran"), ["fallback", "shop", "ga"]);
    assert!(accepted_category("analytics".into()) && accepted_service("ga4".into()));
    assert!(!accepted_category("marketing".into()));
    let consent = get_consent();
    assert_eq!(
        field(&consent, &["method"]).as_string().as_deref(),
        Some("custom")
    );
    assert_eq!(field(&consent, &["categories", "analytics"]), JsValue::TRUE);
    let id = field(&consent, &["id"]).as_string().unwrap_or_default();
    assert!(
        id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{id}"
    );
    let kept = local.get_item(KEY).unwrap().expect("stored");
    assert!(kept.contains("\"analytics\":true"), "{kept}");
    // Nothing stored is replayed to Google before the core has judged it.
    assert!(!kept.contains("consent_mode"), "{kept}");

    let layer = data_layer();
    let n = layer.length();
    let command = layer.get(n - 2);
    let kind = Function::new_with_args("x", "return Object.prototype.toString.call(x)");
    assert_eq!(
        kind.call1(&JsValue::NULL, &command)
            .unwrap()
            .as_string()
            .as_deref(),
        Some("[object Arguments]")
    );
    assert_eq!(
        field(&command, &["0"]).as_string().as_deref(),
        Some("consent")
    );
    assert_eq!(
        field(&command, &["1"]).as_string().as_deref(),
        Some("update")
    );
    assert_eq!(
        field(&command, &["2", "analytics_storage"])
            .as_string()
            .as_deref(),
        Some("granted")
    );
    assert_eq!(
        field(&command, &["2", "security_storage"])
            .as_string()
            .as_deref(),
        Some("granted")
    );
    assert_eq!(
        field(&command, &["2", "ad_user_data"])
            .as_string()
            .as_deref(),
        Some("denied")
    );
    assert_eq!(
        field(&layer.get(n - 1), &["event"]).as_string().as_deref(),
        Some("consent_update")
    );
    assert!(log("__events")
        .last()
        .is_some_and(|e| e == "cookiegate:consent custom"));
    sleep(10).await;
    page.remove();
}
