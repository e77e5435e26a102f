//! The click-to-load placeholder shown in place of a blocked iframe: its own
//! open shadow root, so page CSS cannot break it and QA locators still reach it.

use super::dom::{join, px, Tree};
use super::{Listener, UiConfig};
use crate::catalogue::{Service, TextKey};
use crate::text::with_service;
use crate::web::page::active_element;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement};

/// How many cookie names the placeholder lists before "…".
const SHOWN_NAMES: usize = 3;

/// A placeholder in the page and what it replaced.
pub(super) struct Placeholder {
    /// The blocked element (the gate hides it while it waits).
    pub(super) blocked: Element,
    /// The placeholder's host element, right before `blocked`.
    pub(super) host: Element,
    /// Keeps the click listener alive; removes it when dropped.
    _click: Listener,
}

impl Placeholder {
    /// Removes the placeholder, moving focus to the blocked element when
    /// the placeholder had it (the visitor just chose to load it).
    pub(super) fn remove(self) {
        let had_focus = active_element().is_some_and(|a| a == self.host);
        self.host.remove();
        if had_focus {
            if let Some(h) = self.blocked.dyn_ref::<HtmlElement>() {
                let _ = h.focus();
            }
        }
    }
}

/// Builds the placeholder and puts it right before `blocked`.
/// `listen` attaches the click handler to the placeholder's shadow root.
pub(super) fn insert(
    doc: &Document,
    cfg: &UiConfig,
    blocked: &Element,
    service: &Service,
    listen: impl FnOnce(&web_sys::EventTarget) -> Result<Listener, JsValue>,
) -> Result<Placeholder, JsValue> {
    let cat = &cfg.catalogue;
    let t = |k| cat.text(&cfg.lang, k);
    let name = service.name.pick(&cfg.lang, cat.default_language());
    let parent = blocked
        .parent_node()
        .ok_or_else(|| JsValue::from_str("blocked element has no parent"))?;
    let message = with_service(t(TextKey::Placeholder), name);

    let mut tree = Tree::new(doc);
    tree.open("div", "")
        .attrs(&[("data-cookiegate", "placeholder"), ("role", "group")])
        .attr("aria-label", &message)
        .lang(&cfg.lang);
    let host = tree.finish()?;
    size_like(&host, blocked);

    let root = super::dom::shadow(&host, &cfg.sheet)?;
    let mut tree = Tree::new(doc);
    tree.open("div", "cg-ph").put("p", "cg-ph-text", &message);

    // Only the names shown are spelled out; the count says whether "…" follows.
    let count = service.cookies.len() + service.storage.len();
    if count > 0 {
        let mut line = String::from(t(TextKey::Cookies));
        line.push_str(": ");
        let names = (service.cookies.iter().map(|c| &c.matcher))
            .chain(service.storage.iter().map(|s| &s.matcher));
        for (i, matcher) in names.take(SHOWN_NAMES).enumerate() {
            if i > 0 {
                line.push_str(", ");
            }
            line.push_str(&matcher.display());
        }
        if count > SHOWN_NAMES {
            line.push_str(", …");
        }
        tree.put("p", "cg-note", &line);
    }
    let mut policy_text = String::from(t(TextKey::Policy));
    policy_text.push_str(": ");
    policy_text.push_str(service.provider.pick(&cfg.lang, cat.default_language()));
    let allow = with_service(t(TextKey::AllowService), name);
    tree.open("p", "cg-note")
        .link(&service.policy_url, &policy_text)
        .attr("data-cookiegate-policy", &service.id)
        .close()
        .close()
        .open("div", "cg-actions")
        .button("load-once", "cg-btn", t(TextKey::LoadOnce))
        .button("allow-service", "cg-btn", &allow);
    let body: web_sys::Node = tree.finish()?.into();
    root.append_child(&body)?;

    let click = listen(&root)?;
    parent.insert_before(&host, Some(blocked))?;
    Ok(Placeholder {
        blocked: blocked.clone(),
        host,
        _click: click,
    })
}

/// Gives the placeholder the blocked element's size: its `width`/`height`
/// attributes (what embed codes use), else its rendered box.
fn size_like(host: &Element, blocked: &Element) {
    // The `<div>` `insert` made.
    let h: &HtmlElement = host.unchecked_ref();
    let rect = super::dom::rect(blocked);
    for (prop, measured) in [("width", rect.width), ("height", rect.height)] {
        let value = match blocked.get_attribute(prop) {
            Some(v) if digits(&v) => join(&v, "px"),
            Some(v) if v.strip_suffix("%").is_some_and(digits) => v,
            _ if measured > 0.0 => px(measured),
            _ => continue,
        };
        let _ = h
            .style()
            .set_property_with_priority(prop, &value, "important");
    }
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}
