//! Small DOM helpers: every string goes in as text or an attribute, never as
//! markup, because catalogue texts are untrusted.

use crate::text::push_decimal;
use crate::web::page::create_on;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, Document, Element, HtmlElement, HtmlInputElement, ShadowRoot};

/// An open shadow root on `host` styled by `sheet` (`host`'s own when it
/// has one already).
pub(super) fn shadow(host: &Element, sheet: &CssStyleSheet) -> Result<ShadowRoot, JsValue> {
    let root = match host.shadow_root() {
        Some(s) => s,
        None => {
            let init = crate::web::page::object(&[("mode", &JsValue::from_str("open"))]);
            host.attach_shadow(init.unchecked_ref())?
        }
    };
    root.set_adopted_style_sheets(&js_sys::Array::of1(sheet));
    Ok(root)
}

/// A new element with an optional class.
pub(super) fn el(doc: &Document, tag: &str, class: &str) -> Result<Element, JsValue> {
    let e = create_on(doc, None, tag)?;
    if !class.is_empty() {
        e.set_attribute("class", class)?;
    }
    Ok(e)
}

/// Builds a tree of new elements in document order: `open` adds a child to
/// the element opened last and descends into it, `close` climbs back. The
/// first failure is kept and every later call does nothing, so a layer is
/// one straight run of calls holding no handles, checked once by `finish`.
pub(super) struct Tree {
    doc: Document,
    root: Option<Element>,
    open: Vec<Element>,
    failed: Option<JsValue>,
}

impl Tree {
    pub(super) fn new(doc: &Document) -> Tree {
        Tree {
            doc: doc.clone(),
            root: None,
            open: Vec::new(),
            failed: None,
        }
    }

    /// Keeps the first failure.
    fn check<T>(&mut self, r: Result<T, JsValue>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.failed.get_or_insert(e);
                None
            }
        }
    }

    /// The element opened last, while nothing failed.
    fn top(&self) -> Option<&Element> {
        self.open.last().filter(|_| self.failed.is_none())
    }

    /// Places a new element (`ns`: its namespace, `None` for HTML) and
    /// descends into it.
    #[inline(never)]
    fn push(&mut self, ns: Option<&str>, tag: &str) -> &mut Tree {
        if self.failed.is_some() {
            return self;
        }
        let made = create_on(&self.doc, ns, tag);
        let Some(e) = self.check(made) else {
            return self;
        };
        if let Some(parent) = self.open.last() {
            let placed = parent.append_child(&e).map(drop);
            self.check(placed);
        } else if self.root.is_none() {
            self.root = Some(e.clone());
        }
        self.open.push(e);
        self
    }

    /// Opens a new HTML element with an optional class.
    pub(super) fn open(&mut self, tag: &str, class: &str) -> &mut Tree {
        self.push(None, tag);
        if !class.is_empty() {
            self.attr("class", class);
        }
        self
    }

    /// Opens a new SVG element.
    pub(super) fn open_svg(&mut self, tag: &str) -> &mut Tree {
        self.push(Some("http://www.w3.org/2000/svg"), tag)
    }

    /// Back to the parent of the element opened last.
    #[inline(never)]
    pub(super) fn close(&mut self) -> &mut Tree {
        self.open.pop();
        self
    }

    /// Sets an attribute of the open element.
    #[inline(never)]
    pub(super) fn attr(&mut self, name: &str, value: &str) -> &mut Tree {
        if let Some(r) = self.top().map(|e| e.set_attribute(name, value)) {
            self.check(r);
        }
        self
    }

    /// Sets several attributes of the open element.
    pub(super) fn attrs(&mut self, pairs: &[(&str, &str)]) -> &mut Tree {
        for (k, v) in pairs {
            self.attr(k, v);
        }
        self
    }

    /// Gives the open element a boolean attribute when `on` (a new element
    /// has none to remove).
    pub(super) fn flag(&mut self, name: &str, on: bool) -> &mut Tree {
        if on {
            self.attr(name, "");
        }
        self
    }

    /// Gives the open element `text` as its only content, as plain text.
    #[inline(never)]
    pub(super) fn text(&mut self, text: &str) -> &mut Tree {
        if let Some(e) = self.top() {
            e.set_text_content(Some(text));
        }
        self
    }

    /// A closed child holding `text`.
    #[inline(never)]
    pub(super) fn put(&mut self, tag: &str, class: &str, text: &str) -> &mut Tree {
        self.open(tag, class).text(text).close()
    }

    /// A closed `<button type="button">` with a QA hook and visible text.
    #[inline(never)]
    pub(super) fn button(&mut self, hook: &str, class: &str, text: &str) -> &mut Tree {
        self.open("button", class)
            .text(text)
            .attr("type", "button")
            .attr("data-cookiegate", hook)
            .close()
    }

    /// Opens a link; the address is used only when it is `https:` (catalogue
    /// URLs are checked, but a `javascript:` URL must never become clickable).
    pub(super) fn link(&mut self, href: &str, text: &str) -> &mut Tree {
        self.open("a", "").text(text);
        if let Some(href) = crate::consent::link_href(href) {
            self.attr("href", href).attr("rel", "noopener");
        }
        self
    }

    /// Sets `lang` and the writing direction of the open element.
    pub(super) fn lang(&mut self, lang: &str) -> &mut Tree {
        let base = crate::text::before_byte(lang, b'-');
        let dir = if ["ar", "he", "fa", "ur"]
            .iter()
            .any(|r| base.eq_ignore_ascii_case(r))
        {
            "rtl"
        } else {
            "ltr"
        };
        self.attr("lang", lang).attr("dir", dir)
    }

    /// Sets the open `<input>`'s state: checked, and mixed (`indeterminate`).
    pub(super) fn checked(&mut self, on: bool, mixed: bool) -> &mut Tree {
        // Called only while an `<input>` made here is open.
        if let Some(input) = self.top().map(|e| e.unchecked_ref::<HtmlInputElement>()) {
            input.set_checked(on);
            input.set_indeterminate(mixed);
        }
        self
    }

    /// The first element opened, or the first failure.
    pub(super) fn finish(self) -> Result<Element, JsValue> {
        match (self.failed, self.root) {
            (Some(e), _) => Err(e),
            (None, Some(root)) => Ok(root),
            (None, None) => Err(JsValue::from_str("nothing was built")),
        }
    }
}

/// Adds or removes a boolean attribute (`hidden`) of a live element, with
/// the two imports the gate needs anyway instead of `toggleAttribute`.
pub(super) fn set_flag(e: &Element, name: &str, on: bool) {
    let _ = if on {
        e.set_attribute(name, "")
    } else {
        e.remove_attribute(name)
    };
}

/// Focuses an element if it is an `HtmlElement`.
pub(super) fn focus(e: &Element) {
    if let Some(h) = e.dyn_ref::<HtmlElement>() {
        let _ = h.focus();
    }
}

/// An element's box in the viewport, in CSS pixels.
pub(super) struct Rect {
    pub(super) top: f64,
    pub(super) bottom: f64,
    pub(super) left: f64,
    pub(super) right: f64,
    pub(super) width: f64,
    pub(super) height: f64,
}

/// `getBoundingClientRect()`, its sides read as properties (one import for
/// all six).
pub(super) fn rect(e: &Element) -> Rect {
    let r = e.get_bounding_client_rect();
    let side = |name| {
        crate::web::page::get(&r, name)
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0)
    };
    Rect {
        top: side("top"),
        bottom: side("bottom"),
        left: side("left"),
        right: side("right"),
        width: side("width"),
        height: side("height"),
    }
}

/// Whether the element is rendered (hidden ancestors give an empty box).
pub(super) fn rendered(e: &Element) -> bool {
    let r = rect(e);
    e.is_connected() && (r.width > 0.0 || r.height > 0.0)
}

/// Logs a failure with the `cookiegate:` prefix and the browser's words.
pub(super) fn warn(what: &str, err: &JsValue) {
    let said = err
        .as_string()
        .or_else(|| crate::web::page::get_string(err, "message"))
        .unwrap_or_default();
    crate::web::page::warn(&crate::text::concat(&["ui: ", what, ": ", &said]));
}

/// `a` then `b`: two arguments cost less at each call than the array
/// `concat` takes.
#[inline(never)]
pub(super) fn join(a: &str, b: &str) -> String {
    let mut s = String::with_capacity(a.len() + b.len());
    s.push_str(a);
    s.push_str(b);
    s
}

/// `"{n}px"` for a CSS length.
pub(super) fn px(n: f64) -> String {
    let mut s = String::new();
    push_decimal(&mut s, u64::from(n.max(0.0).ceil() as u32));
    s.push_str("px");
    s
}
