//! Guarded access to the page. Every browser call that can throw comes back
//! as an `Option` here, so the shell never panics on a hostile page.

use js_sys::{Function, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    console, CustomEvent, Document, Element, EventTarget, HtmlElement, MutationObserver,
    MutationRecord, Url, Window,
};

/// Every console message starts with this.
const PREFIX: &str = "cookiegate: ";

#[wasm_bindgen]
extern "C" {
    /// `globalThis`: one import, where `web_sys::window()` probes four globals.
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    static GLOBAL: JsValue;
    /// `Document.prototype`. Page markup shadows the document's own names
    /// (`<img name="cookie">`, `<form name="body">`, `<img
    /// name="createElement">`: the document's named properties override
    /// its built-ins), so every document property is read from here.
    #[wasm_bindgen(thread_local_v2, js_namespace = Document, js_name = prototype)]
    static DOCUMENT: JsValue;
    /// `Reflect.get(target, key, receiver)`: the prototype's getter, run
    /// on the document.
    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    fn get_on(target: &JsValue, key: &str, receiver: &JsValue) -> Result<JsValue, JsValue>;
    /// `Reflect.set(target, key, value, receiver)`: the prototype's setter.
    #[wasm_bindgen(js_namespace = Reflect, js_name = set, catch)]
    fn set_on(
        target: &JsValue,
        key: &str,
        value: &str,
        receiver: &JsValue,
    ) -> Result<bool, JsValue>;
    /// `Document.prototype.createElementNS.call(document, ns, tag)`: every
    /// element cookiegate makes (an HTML one in the XHTML namespace, as
    /// `createElement` makes it).
    #[wasm_bindgen(js_namespace = ["Document", "prototype", "createElementNS"], js_name = call, catch)]
    fn create_in(doc: &Document, ns: &str, tag: &str) -> Result<Element, JsValue>;
    /// `EventTarget.prototype.addEventListener.call(...)`: the document's
    /// own may be a named element.
    #[wasm_bindgen(js_namespace = ["EventTarget", "prototype", "addEventListener"], js_name = call, catch)]
    fn add_listener(
        target: &EventTarget,
        kind: &str,
        f: &Function,
        capture: bool,
    ) -> Result<(), JsValue>;
    #[wasm_bindgen(js_namespace = ["EventTarget", "prototype", "removeEventListener"], js_name = call)]
    fn remove_listener(target: &EventTarget, kind: &str, f: &Function, capture: bool);
}

pub(crate) fn window() -> Option<Window> {
    GLOBAL.with(JsValue::clone).dyn_into().ok()
}

pub(crate) fn document() -> Option<Document> {
    window()?.document()
}

/// A property of the document (`body`, `cookie`, `baseURI`...), read with
/// the prototype's getter; `None` when absent, null or when it throws.
fn document_property(key: &str) -> Option<JsValue> {
    let doc = document()?;
    DOCUMENT
        .with(|proto| get_on(proto, key, &doc))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// The `<html>` element: the root for `querySelector` (one import for
/// elements and the document alike).
pub(crate) fn root_element() -> Option<Element> {
    document_property("documentElement")?.dyn_into().ok()
}

/// `<body>` (or a `<frameset>`), once the parser has made it.
pub(crate) fn body() -> Option<HtmlElement> {
    document_property("body")?.dyn_into().ok()
}

/// The document's focused element.
pub(crate) fn active_element() -> Option<Element> {
    document_property("activeElement")?.dyn_into().ok()
}

/// `document.cookie`; `None` where cookies cannot be read (a sandboxed
/// frame, cookies blocked).
pub(crate) fn cookies() -> Option<String> {
    document_property("cookie")?.as_string()
}

/// Sets one cookie line; `false` when the browser threw.
pub(crate) fn set_cookie(line: &str) -> bool {
    document().is_some_and(|doc| {
        DOCUMENT
            .with(|proto| set_on(proto, "cookie", line, &doc))
            .unwrap_or(false)
    })
}

/// The XHTML namespace: `create`'s elements are HTML elements.
const XHTML: &str = "http://www.w3.org/1999/xhtml";

/// A new element named `tag` in namespace `ns` (`None`: HTML).
pub(crate) fn create(ns: Option<&str>, tag: &str) -> Result<Element, JsValue> {
    create_on(&document().ok_or(JsValue::NULL)?, ns, tag)
}

/// `create` in a document already at hand.
pub(crate) fn create_on(doc: &Document, ns: Option<&str>, tag: &str) -> Result<Element, JsValue> {
    create_in(doc, ns.unwrap_or(XHTML), tag)
}

/// Listens for `kind` on `target`.
pub(crate) fn listen(
    target: &EventTarget,
    kind: &str,
    f: &Function,
    capture: bool,
) -> Result<(), JsValue> {
    add_listener(target, kind, f, capture)
}

/// Stops `listen`'s listener.
pub(crate) fn unlisten(target: &EventTarget, kind: &str, f: &Function, capture: bool) {
    remove_listener(target, kind, f, capture);
}

/// Milliseconds since 1970, from the browser's clock.
pub(crate) fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

pub(crate) fn error(message: &str) {
    console::error_1(&crate::text::concat(&[PREFIX, message]).into());
}

pub(crate) fn warn(message: &str) {
    console::warn_1(&crate::text::concat(&[PREFIX, message]).into());
}

pub(crate) fn info(message: &str) {
    console::info_1(&crate::text::concat(&[PREFIX, message]).into());
}

/// A plain object with these properties: the browser's init dictionaries
/// without a typed setter (one import each) per field.
pub(crate) fn object(props: &[(&str, &JsValue)]) -> js_sys::Object {
    let o = js_sys::Object::new();
    for (key, value) in props {
        // Defining a property on a fresh plain object cannot throw.
        let _ = Reflect::set(&o, &JsValue::from_str(key), value);
    }
    o
}

/// `obj[key]`, or `None` when absent or when the getter throws.
pub(crate) fn get(obj: &impl AsRef<JsValue>, key: &str) -> Option<JsValue> {
    property(obj.as_ref(), key)
}

/// `get`'s one copy: generic callers share it instead of each having theirs.
fn property(obj: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(obj, &key.into())
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// `obj[key]` as a string, when it is one.
pub(crate) fn get_string(obj: &impl AsRef<JsValue>, key: &str) -> Option<String> {
    string_property(obj.as_ref(), key)
}

fn string_property(obj: &JsValue, key: &str) -> Option<String> {
    property(obj, key).and_then(|v| v.as_string())
}

/// `location[key]`, read as a property (one import for every part).
pub(crate) fn location(key: &str) -> Option<String> {
    get_string(&window()?.location(), key)
}

/// `location.origin` ("null" when unknown: then only `https:` loads).
pub(crate) fn page_origin() -> String {
    location("origin").unwrap_or_else(|| "null".into())
}

pub(crate) fn is_https() -> bool {
    location("protocol").is_some_and(|p| p == "https:")
}

/// A part of a parsed URL (`href`, `origin`, `protocol`, `host`, `hostname`), read
/// as a property: one import for every part.
pub(crate) fn url_part(url: &Url, part: &str) -> String {
    get_string(url, part).unwrap_or_default()
}

/// `url` resolved against the document, when it parses.
pub(crate) fn resolve(url: &str) -> Option<Url> {
    resolve_as_is(url.trim())
}

/// `url`, untrimmed, resolved against the document, when it parses: the
/// URL the browser itself requested for an attribute.
pub(crate) fn resolve_as_is(url: &str) -> Option<Url> {
    let base = document_property("baseURI")?.as_string()?;
    Url::new_with_base(url, &base).ok()
}

/// `url` resolved against the document, when cookiegate may load it:
/// `https:`, or `http:` on the page's own origin.
pub(crate) fn loadable(url: &str) -> Option<Url> {
    let url = resolve(url)?;
    let (protocol, origin) = (url_part(&url, "protocol"), url_part(&url, "origin"));
    crate::consent::may_load(&protocol, &origin, &page_origin()).then_some(url)
}

/// Calls `f` with each element under `root` that matches `selector`, in
/// document order (one body for every caller: `f` is `dyn`).
pub(crate) fn each_under(root: &Element, selector: &str, f: &dyn Fn(Element)) {
    if let Ok(list) = root.query_selector_all(selector) {
        for i in 0..list.length() {
            // `querySelectorAll` finds only elements.
            if let Some(el) = list.item(i) {
                f(el.unchecked_into());
            }
        }
    }
}

/// `f` as a JS function that runs it at most once.
pub(crate) fn once(f: impl FnOnce() + 'static) -> Function {
    once_boxed(Box::new(f))
}

/// `once`'s one body: one closure shim for the timers and the gate's resume.
fn once_boxed(f: Box<dyn FnOnce()>) -> Function {
    Closure::once_into_js(f).unchecked_into()
}

/// Runs `f` once after `ms` milliseconds.
pub(crate) fn later(ms: i32, f: impl FnOnce() + 'static) {
    later_boxed(ms, Box::new(f));
}

/// `later`'s one body: every caller shares one closure shim.
fn later_boxed(ms: i32, f: Box<dyn FnOnce()>) {
    let f = once_boxed(f);
    if let Some(w) = window() {
        // Without a timer the work is simply not repeated; nothing to report.
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&f, ms);
    }
}

/// Dispatches `name` on `window` with `detail`.
pub(crate) fn dispatch(name: &str, detail: &JsValue) {
    let init = object(&[("detail", detail)]);
    if let (Some(w), Ok(event)) = (
        window(),
        CustomEvent::new_with_event_init_dict(name, init.unchecked_ref()),
    ) {
        // A listener that throws must not stop cookiegate.
        let _ = w.dispatch_event(&event);
    }
}

/// Watches the whole document for elements added to it: `added` gets each
/// batch's added elements, in order. Returns the observer and its callback,
/// which the caller keeps alive; `None` without a document or observer.
pub(crate) fn watch_added(
    added: impl Fn(Vec<Element>) + 'static,
) -> Option<(MutationObserver, JsValue)> {
    watch_added_boxed(Box::new(added))
}

/// `watch_added`'s one body: the gate and the interception share it.
fn watch_added_boxed(added: Box<dyn Fn(Vec<Element>)>) -> Option<(MutationObserver, JsValue)> {
    let callback = Closure::<dyn Fn(js_sys::Array)>::new(move |records: js_sys::Array| {
        let mut elements = Vec::new();
        for record in records.iter() {
            // The observer passes only `MutationRecord`s.
            let record: MutationRecord = record.unchecked_into();
            let nodes = record.added_nodes();
            for i in 0..nodes.length() {
                if let Some(el) = nodes.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                    elements.push(el);
                }
            }
        }
        added(elements);
    })
    .into_js_value();
    let observer = MutationObserver::new(callback.unchecked_ref()).ok()?;
    let options = object(&[("childList", &JsValue::TRUE), ("subtree", &JsValue::TRUE)]);
    let root: web_sys::Node = document()?.into();
    observer
        .observe_with_options(&root, options.unchecked_ref())
        .ok()?;
    Some((observer, callback))
}
