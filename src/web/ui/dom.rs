//! Small DOM helpers: every string goes in as text or an attribute, never as
//! markup, because catalogue texts are untrusted.

use crate::text::push_decimal;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement};

/// A new element with an optional class.
pub(super) fn el(doc: &Document, tag: &str, class: &str) -> Result<Element, JsValue> {
    let e = doc.create_element(tag)?;
    if !class.is_empty() {
        e.set_attribute("class", class)?;
    }
    Ok(e)
}

/// A new element holding `text` as plain text.
pub(super) fn text_el(
    doc: &Document,
    tag: &str,
    class: &str,
    text: &str,
) -> Result<Element, JsValue> {
    let e = el(doc, tag, class)?;
    e.set_text_content(Some(text));
    Ok(e)
}

/// Appends a new element holding `text` to `parent` (one call where a
/// child is built and placed, so no caller holds it across a `?`).
pub(super) fn put(
    doc: &Document,
    parent: &Element,
    tag: &str,
    class: &str,
    text: &str,
) -> Result<(), JsValue> {
    add(parent, &text_el(doc, tag, class, text)?)
}

/// Sets several attributes.
pub(super) fn attrs(e: &Element, pairs: &[(&str, &str)]) -> Result<(), JsValue> {
    for (k, v) in pairs {
        e.set_attribute(k, v)?;
    }
    Ok(())
}

/// A `<button type="button">` with a QA hook and visible text.
pub(super) fn button(
    doc: &Document,
    hook: &str,
    class: &str,
    text: &str,
) -> Result<Element, JsValue> {
    let b = text_el(doc, "button", class, text)?;
    attrs(&b, &[("type", "button"), ("data-cookiegate", hook)])?;
    Ok(b)
}

/// A link; the address is used only when it is `https:` (catalogue URLs are
/// checked, but a `javascript:` URL must never become clickable).
pub(super) fn link(doc: &Document, href: &str, text: &str) -> Result<Element, JsValue> {
    let a = text_el(doc, "a", "", text)?;
    if let Some(href) = crate::consent::link_href(href) {
        attrs(&a, &[("href", href), ("rel", "noopener")])?;
    }
    Ok(a)
}

/// Appends each child in order.
pub(super) fn append(parent: &Element, children: &[&Element]) -> Result<(), JsValue> {
    for c in children {
        parent.append_child(c)?;
    }
    Ok(())
}

/// Sets `lang` and the writing direction of a layer.
pub(super) fn set_lang(e: &Element, lang: &str) -> Result<(), JsValue> {
    let base = lang.split('-').next().unwrap_or(lang).to_ascii_lowercase();
    let dir = if matches!(base.as_str(), "ar" | "he" | "fa" | "ur") {
        "rtl"
    } else {
        "ltr"
    };
    attrs(e, &[("lang", lang), ("dir", dir)])
}

/// Focuses an element if it is an `HtmlElement`.
pub(super) fn focus(e: &Element) {
    if let Some(h) = e.dyn_ref::<HtmlElement>() {
        let _ = h.focus();
    }
}

/// Whether the element is rendered (hidden ancestors give an empty box).
pub(super) fn rendered(e: &Element) -> bool {
    let r = e.get_bounding_client_rect();
    e.is_connected() && (r.width() > 0.0 || r.height() > 0.0)
}

/// Logs a failure with the `cookiegate:` prefix.
pub(super) fn warn(what: &str, err: &JsValue) {
    web_sys::console::warn_2(
        &JsValue::from_str(&["cookiegate: ui: ", what].concat()),
        err,
    );
}

/// `"{n}px"` for a CSS length.
pub(super) fn px(n: f64) -> String {
    let mut s = String::new();
    push_decimal(&mut s, u64::from(n.max(0.0).ceil() as u32));
    s.push_str("px");
    s
}

/// Appends one child (binds the type `?` cannot infer through `&Node`).
pub(super) fn add(parent: &Element, child: &Element) -> Result<(), JsValue> {
    parent.append_child(child).map(drop)
}
