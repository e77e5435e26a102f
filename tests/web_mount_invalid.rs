//! An invalid catalogue: `mount` says why in one console error, loads
//! nothing, and the page and the API keep working.
#![cfg(target_arch = "wasm32")]

mod web_support;

use cookiegate::web::start::{accept_all, accepted_category, get_consent, mount, reset};
use js_sys::{Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_support::{container, element, log, reset_log, window};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn an_invalid_catalogue_loads_nothing() {
    let page = container();
    let held = element(
        &page,
        "script",
        &[("type", "text/plain"), ("data-category", "necessary")],
        "window.__ran = 1",
    );
    let link = element(
        &page,
        "a",
        &[("href", "#settings"), ("data-cookiegate-open", "")],
        "Cookie settings",
    );
    reset_log("__errors");
    let console = Reflect::get(&window(), &"console".into()).unwrap();
    let original = Reflect::get(&console, &"error".into()).unwrap();
    let record = Function::new_with_args("m", "window.__errors.push(String(m))");
    Reflect::set(&console, &"error".into(), &record).unwrap();

    let config = Object::new();
    Reflect::set(
        &config,
        &"catalogue".into(),
        &"<!doctype html><title>404</title>".into(),
    )
    .unwrap();
    Reflect::set(
        &config,
        &"catalogueUrl".into(),
        &"https://shop.example/c.json".into(),
    )
    .unwrap();
    let started = mount(config.clone().into());
    let again = mount(config.into());
    Reflect::set(&console, &"error".into(), &original).unwrap();

    assert!(!started && !again);
    let errors = log("__errors");
    assert_eq!(errors.len(), 1, "{errors:?}");
    let message = &errors[0];
    assert!(
        message.starts_with("cookiegate: the catalogue https://shop.example/c.json is not valid"),
        "{message}"
    );
    assert!(
        message.contains("the server sent HTML, not JSON"),
        "{message}"
    );
    assert!(
        message.contains("\nhttps://shop.example/c.json:1:1: $: "),
        "{message}"
    );
    assert!(
        message.ends_with(
            "\n(the first problem found; `cookiegate check FILE` lists every problem and suggests a fix)"
        ),
        "the console points at the full explanation: {message}"
    );
    assert_eq!(held.get_attribute("type").as_deref(), Some("text/plain"));
    assert!(Reflect::get(&window(), &"__ran".into())
        .unwrap()
        .is_undefined());

    link.unchecked_ref::<web_sys::HtmlElement>().click();
    assert_ne!(
        window().location().hash().unwrap(),
        "#settings",
        "the link does not navigate"
    );
    accept_all();
    reset();
    assert!(!accepted_category(JsValue::from_str("necessary")));
    assert!(get_consent().is_null());
    page.remove();
}
