//! What the shell's browser tests share: a tiny catalogue built in Rust,
//! DOM helpers, and a way to wait for the browser.
#![allow(dead_code)] // each test file uses a different part

use cookiegate::catalogue::{
    Catalogue, Category, CookieSpec, Lifetime, Localized, Matcher, Party, Service, Signal,
    StorageKind, StorageSpec, TextKey, Texts,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn loc(s: &str) -> Localized {
    Localized(vec![("en".into(), s.into())])
}

fn category(id: &str, required: bool, signals: Vec<Signal>) -> Category {
    Category {
        id: id.into(),
        required,
        title: loc(id),
        description: loc("What it is for."),
        consent_mode: signals,
        gpc_opt_out: id == "marketing",
    }
}

fn service(id: &str, category: &str, cookie: Matcher) -> Service {
    Service {
        id: id.into(),
        category: category.into(),
        name: id.into(),
        provider: "Provider Ltd".into(),
        purpose: loc("Measures visits."),
        policy_url: "https://example.com/privacy".into(),
        // The test server: held URLs load only from a service's hosts.
        hosts: vec!["127.0.0.1".into(), "localhost".into()],
        urls: vec![],
        scripts: vec![],
        consent_mode: vec![],
        third_country: None,
        justification: None,
        cookies: vec![CookieSpec {
            matcher: cookie,
            lifetime: Lifetime::Session,
            party: Party::First,
            domain: None,
            path: "/".into(),
            purpose: Localized::default(),
        }],
        storage: vec![StorageSpec {
            matcher: Matcher::Prefix(["_", id, "_"].concat()),
            kind: StorageKind::Local,
            lifetime: None,
            purpose: Localized::default(),
        }],
    }
}

/// Categories `necessary` (required), `analytics`, `marketing`, `social`;
/// services `shop`, `ga` (cookies `_ga`, `_ga_*`), `ads`, `youtube`.
pub fn catalogue() -> Catalogue {
    Catalogue {
        revision: 3,
        consent_days: 182,
        policy_url: "https://example.com/privacy".into(),
        languages: vec!["en".into()],
        texts: vec![Texts {
            lang: "en".into(),
            values: TextKey::ALL
                .iter()
                .map(|k| k.as_str().to_string())
                .collect(),
        }],
        categories: vec![
            category("necessary", true, vec![]),
            category("analytics", false, vec![Signal::AnalyticsStorage]),
            category(
                "marketing",
                false,
                vec![
                    Signal::AdStorage,
                    Signal::AdUserData,
                    Signal::AdPersonalization,
                ],
            ),
            category("social", false, vec![]),
        ],
        services: vec![
            service("shop", "necessary", Matcher::Exact("shop_session".into())),
            service("ga", "analytics", Matcher::Exact("_ga".into())),
            service("ga4", "analytics", Matcher::Prefix("_ga_".into())),
            service("ads", "marketing", Matcher::Exact("_gcl_au".into())),
            service(
                "youtube",
                "social",
                Matcher::Exact("VISITOR_INFO1_LIVE".into()),
            ),
        ],
    }
}

pub fn window() -> web_sys::Window {
    web_sys::window().expect("window")
}

pub fn document() -> web_sys::Document {
    window().document().expect("document")
}

/// A fresh `<div>` in `<body>` to build a test's markup in.
pub fn container() -> web_sys::Element {
    let div = document().create_element("div").expect("div");
    document()
        .body()
        .expect("body")
        .append_child(&div)
        .expect("append");
    div
}

/// `<tag attr=value…>text</tag>` appended to `parent`.
pub fn element(
    parent: &web_sys::Element,
    tag: &str,
    attrs: &[(&str, &str)],
    text: &str,
) -> web_sys::Element {
    let el = document().create_element(tag).expect("element");
    for (k, v) in attrs {
        el.set_attribute(k, v).expect("attribute");
    }
    el.set_text_content(Some(text));
    parent.append_child(&el).expect("append");
    el
}

/// Waits `ms` milliseconds (timers, observers and script loads run).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("timer");
    });
    JsFuture::from(promise).await.expect("sleep");
}

/// `window[name]` as a list of strings (what test scripts pushed).
pub fn log(name: &str) -> Vec<String> {
    js_sys::Reflect::get(&window(), &name.into())
        .ok()
        .filter(js_sys::Array::is_array)
        .map(|v| {
            v.unchecked_into::<js_sys::Array>()
                .iter()
                .filter_map(|x| x.as_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Sets `window[name] = []`.
pub fn reset_log(name: &str) {
    js_sys::Reflect::set(&window(), &name.into(), &js_sys::Array::new()).expect("log");
}

/// Replaces `obj[key]` by an accessor whose getter throws (as
/// `window.localStorage` does when storage is blocked); returns what
/// [`restore`] needs to undo it.
pub fn make_throw(obj: &JsValue, key: &str) -> JsValue {
    let target = obj.unchecked_ref::<js_sys::Object>();
    let saved = js_sys::Object::get_own_property_descriptor(target, &key.into());
    let desc = js_sys::Object::new();
    let getter =
        wasm_bindgen::closure::Closure::<dyn Fn() -> Result<JsValue, JsValue>>::new(|| {
            Err(JsValue::from_str("SecurityError: blocked"))
        })
        .into_js_value();
    js_sys::Reflect::set(&desc, &"get".into(), &getter).expect("get");
    js_sys::Reflect::set(&desc, &"set".into(), &getter).expect("set");
    js_sys::Reflect::set(&desc, &"configurable".into(), &JsValue::TRUE).expect("configurable");
    js_sys::Object::define_property(target, &key.into(), &desc);
    saved
}

/// Puts back what [`make_throw`] replaced.
pub fn restore(obj: &JsValue, key: &str, saved: JsValue) {
    let target = obj.unchecked_ref::<js_sys::Object>();
    if saved.is_undefined() {
        js_sys::Reflect::delete_property(target, &key.into()).expect("delete");
    } else {
        js_sys::Object::define_property(target, &key.into(), saved.unchecked_ref());
    }
}

/// Whether a withdrawal to `choice` must reload the page, by the core's
/// rule over what the gate let run.
pub fn reloads(
    gate: &cookiegate::web::gate::Gate,
    catalogue: &Catalogue,
    choice: Option<&cookiegate::consent::Choice>,
) -> bool {
    let mut ran = Vec::new();
    gate.ran(&mut ran);
    cookiegate::consent::must_reload(catalogue, choice, &ran)
}

/// The UI's stylesheet, as the bootstrap makes it for `mount`'s `sheet`.
pub fn sheet() -> web_sys::CssStyleSheet {
    let sheet = web_sys::CssStyleSheet::new().expect("a constructable sheet");
    sheet
        .replace_sync(include_str!("../../src/web/ui/ui.css"))
        .expect("ui.css parses");
    sheet
}
