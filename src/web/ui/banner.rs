//! The first layer: a non-modal, named region fixed to the bottom edge, and
//! the rule that keeps it from covering whatever has focus (WCAG 2.4.11).

use super::dom::{append, attrs, button, el, link, put, px, set_lang, text_el};
use super::UiConfig;
use crate::catalogue::TextKey;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement};

/// Builds the banner (hidden until shown).
pub(super) fn build(doc: &Document, cfg: &UiConfig) -> Result<Element, JsValue> {
    let cat = &cfg.catalogue;
    let t = |k| cat.text(&cfg.lang, k);
    let section = el(doc, "section", "cg-layer cg-banner")?;
    attrs(
        &section,
        &[
            ("role", "region"),
            ("aria-labelledby", "cg-banner-title"),
            ("data-cookiegate", "banner"),
        ],
    )?;
    set_lang(&section, &cfg.lang)?;
    section.toggle_attribute_with_force("hidden", true)?;

    let inner = el(doc, "div", "cg-banner-inner")?;
    let text = el(doc, "div", "cg-banner-text")?;
    let title = text_el(doc, "h2", "", t(TextKey::BannerTitle))?;
    title.set_id("cg-banner-title");
    let body = text_el(doc, "p", "", t(TextKey::BannerBody))?;
    let note = text_el(doc, "p", "cg-note", t(TextKey::WithdrawNote))?;
    note.append_with_str_1(" ")?;
    let policy = link(doc, &cat.policy_url, t(TextKey::PolicyLink))?;
    policy.set_attribute("data-cookiegate", "policy-link")?;
    note.append_child(&policy)?;
    append(&text, &[&title, &body, &note])?;
    if cfg.gpc {
        put(doc, &text, "p", "cg-gpc", t(TextKey::GpcHonoured))?;
    }

    let actions = el(doc, "div", "cg-actions")?;
    append(
        &actions,
        &[
            &button(doc, "reject-all", "cg-btn", t(TextKey::RejectAll))?,
            &button(doc, "accept-all", "cg-btn", t(TextKey::AcceptAll))?,
            &button(doc, "preferences", "cg-btn", t(TextKey::Preferences))?,
        ],
    )?;
    append(&inner, &[&text, &actions])?;
    section.append_child(&inner)?;
    Ok(section)
}

/// Keeps the page's scroll padding equal to the banner's height on the edge
/// it sits on, so the browser scrolls focused elements clear of it (C43);
/// `None` removes it.
pub(super) fn scroll_padding(doc: &Document, banner: Option<&Element>) {
    let Some(root) = doc
        .document_element()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    else {
        return;
    };
    let style = root.style();
    let _ = style.remove_property("scroll-padding-top");
    let _ = style.remove_property("scroll-padding-bottom");
    if let Some(b) = banner {
        let edge = if b.class_list().contains("cg-top") {
            "scroll-padding-top"
        } else {
            "scroll-padding-bottom"
        };
        let _ = style.set_property(edge, &px(b.get_bounding_client_rect().height()));
    }
}

/// When the focused page element lies entirely under the banner, moves the
/// banner to the other edge. Returns whether it moved.
pub(super) fn uncover(banner: &Element, focused: &Element) -> bool {
    let f = focused.get_bounding_client_rect();
    let b = banner.get_bounding_client_rect();
    let covered = f.width() > 0.0
        && f.height() > 0.0
        && f.top() >= b.top()
        && f.bottom() <= b.bottom()
        && f.left() >= b.left()
        && f.right() <= b.right();
    if covered {
        let _ = banner.class_list().toggle("cg-top");
    }
    covered
}
