//! Trusted Types: under `require-trusted-types-for 'script'` a script's `src`
//! and `text` only take values made by a policy. The `cookiegate` policy
//! passes exactly the value the gate is about to assign, nothing else, so
//! no other code can use it to smuggle a script in.

use super::page::{get, object, window};
use js_sys::Function;
use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    // `None` inside: the page has no Trusted Types or refused our policy.
    static POLICY: RefCell<Option<Option<JsValue>>> = const { RefCell::new(None) };
    static EXPECTED: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn create_policy() -> Option<JsValue> {
    let factory = get(&window()?, "trustedTypes")?;
    let create: Function = get(&factory, "createPolicy")?.dyn_into().ok()?;
    let pass = Closure::<dyn Fn(String) -> Result<String, JsValue>>::new(|value: String| {
        if EXPECTED.with(|e| e.borrow().as_deref() == Some(value.as_str())) {
            Ok(value)
        } else {
            Err(JsValue::from_str(
                "cookiegate: refused a value it did not choose",
            ))
        }
    })
    .into_js_value();
    let rules = object(&[("createScriptURL", &pass), ("createScript", &pass)]);
    create.call2(&factory, &"cookiegate".into(), &rules).ok()
}

fn trusted(method: &str, value: &str) -> JsValue {
    // Made outside the cell: `createPolicy` is the page's code to wrap.
    let policy = match POLICY.with(|p| p.borrow().clone()) {
        Some(policy) => policy,
        None => {
            let made = create_policy();
            POLICY.with(|p| p.borrow_mut().get_or_insert(made).clone())
        }
    };
    let Some(policy) = policy else {
        return value.into();
    };
    EXPECTED.with(|e| *e.borrow_mut() = Some(value.to_string()));
    let made = get(&policy, method)
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| f.call1(&policy, &value.into()).ok());
    EXPECTED.with(|e| *e.borrow_mut() = None);
    made.unwrap_or_else(|| value.into())
}

/// A value for `script.src`: a `TrustedScriptURL` when the page has Trusted
/// Types, else the plain string.
pub fn script_url(href: &str) -> JsValue {
    trusted("createScriptURL", href)
}

/// A value for `script.text`, likewise.
pub fn script_text(text: &str) -> JsValue {
    trusted("createScript", text)
}
