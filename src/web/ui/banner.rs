//! The first layer: a non-modal, named region fixed to the bottom edge, and
//! the rule that keeps it from covering whatever has focus (WCAG 2.4.11).

use super::dom::{join, px, rect, Tree};
use super::UiConfig;
use crate::catalogue::TextKey;
use crate::web::page::root_element;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement};

/// The banner's classes at the bottom edge, and at the top.
const CLASS: &str = "cg-layer cg-banner";
const CLASS_TOP: &str = "cg-layer cg-banner cg-top";

/// Builds the banner (hidden until shown).
pub(super) fn build(doc: &Document, cfg: &UiConfig) -> Result<Element, JsValue> {
    let cat = &cfg.catalogue;
    let t = |k| cat.text(&cfg.lang, k);
    let note = join(t(TextKey::WithdrawNote), " ");
    let mut tree = Tree::new(doc);
    tree.open("section", CLASS)
        .attrs(&[
            ("role", "region"),
            ("aria-labelledby", "cg-banner-title"),
            ("data-cookiegate", "banner"),
        ])
        .lang(&cfg.lang)
        .flag("hidden", true)
        .open("div", "cg-banner-inner")
        .open("div", "cg-banner-text")
        .open("h2", "")
        .text(t(TextKey::BannerTitle))
        .attr("id", "cg-banner-title")
        .close()
        .put("p", "", t(TextKey::BannerBody))
        .open("p", "cg-note")
        .text(&note)
        .link(&cat.policy_url, t(TextKey::PolicyLink))
        .attr("data-cookiegate", "policy-link")
        .close()
        .close();
    if cfg.gpc {
        tree.put("p", "cg-gpc", t(TextKey::GpcHonoured));
    }
    tree.close()
        .open("div", "cg-actions")
        .button("reject-all", "cg-btn", t(TextKey::RejectAll))
        .button("accept-all", "cg-btn", t(TextKey::AcceptAll))
        .button("preferences", "cg-btn", t(TextKey::Preferences));
    tree.finish()
}

/// Keeps the page's scroll padding equal to the banner's height on the edge
/// it sits on, so the browser scrolls focused elements clear of it (C43);
/// `None` removes it.
pub(super) fn scroll_padding(banner: Option<&Element>) {
    let Some(root) = root_element().and_then(|e| e.dyn_into::<HtmlElement>().ok()) else {
        return;
    };
    let style = root.style();
    let _ = style.remove_property("scroll-padding-top");
    let _ = style.remove_property("scroll-padding-bottom");
    if let Some(b) = banner {
        let edge = if b.matches(".cg-top").unwrap_or(false) {
            "scroll-padding-top"
        } else {
            "scroll-padding-bottom"
        };
        let height = px(rect(b).height);
        let _ = style.set_property_with_priority(edge, &height, "");
    }
}

/// When the focused page element lies entirely under the banner, moves the
/// banner to the other edge. Returns whether it moved.
pub(super) fn uncover(banner: &Element, focused: &Element) -> bool {
    let (f, b) = (rect(focused), rect(banner));
    let covered = f.width > 0.0
        && f.height > 0.0
        && f.top >= b.top
        && f.bottom <= b.bottom
        && f.left >= b.left
        && f.right <= b.right;
    if covered {
        let top = banner.matches(".cg-top").unwrap_or(false);
        place(banner, !top);
    }
    covered
}

/// Puts the banner at the bottom edge, or at the top (`cg-top`): its whole
/// `class`, so that no `classList` import is needed.
pub(super) fn place(banner: &Element, top: bool) {
    let _ = banner.set_attribute("class", if top { CLASS_TOP } else { CLASS });
}
