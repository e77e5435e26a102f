//! The second layer: a modal `<dialog>` with a switch per category and per
//! service, each service's details and cookies, and the three choices.

use super::dom::{join, Tree};
use super::UiConfig;
use crate::catalogue::{Catalogue, Category, Lifetime, Party, Service, StorageKind, TextKey, Unit};
use crate::consent::{as_wishes, category_switch, Choice};
use crate::text::push_decimal;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlDialogElement, HtmlInputElement};

const CATEGORY: &str = "data-cookiegate-category";
const SERVICE: &str = "data-cookiegate-service";

/// Builds the dialog (closed) showing `current`, or every optional switch off.
pub(super) fn build(
    doc: &Document,
    cfg: &UiConfig,
    current: Option<&Choice>,
) -> Result<HtmlDialogElement, JsValue> {
    let cat = &cfg.catalogue;
    let t = |k| cat.text(&cfg.lang, k);
    let mut tree = Tree::new(doc);
    tree.open("dialog", "cg-layer cg-dialog")
        .attrs(&[
            ("data-cookiegate", "preferences-dialog"),
            ("aria-labelledby", "cg-dialog-title"),
        ])
        .lang(&cfg.lang)
        .open("div", "cg-dialog-head")
        .open("h2", "")
        .text(t(TextKey::DialogTitle))
        .attrs(&[("id", "cg-dialog-title"), ("tabindex", "-1")])
        .close()
        .button("close", "cg-btn cg-btn-quiet", t(TextKey::Close))
        .close()
        .open("div", "cg-dialog-body")
        .put("p", "", t(TextKey::DialogBody));
    if cfg.gpc {
        tree.put("p", "cg-gpc", t(TextKey::GpcHonoured));
    }
    tree.open("ul", "cg-cats");
    for c in &cat.categories {
        category(&mut tree, cfg, c, current);
    }
    tree.close()
        .close()
        .open("div", "cg-dialog-foot")
        .open("div", "cg-actions")
        .button("reject-all", "cg-btn", t(TextKey::RejectAll))
        .button("accept-all", "cg-btn", t(TextKey::AcceptAll))
        .button("save", "cg-btn", t(TextKey::Save));
    // Made here as a `<dialog>`.
    Ok(tree.finish()?.unchecked_into())
}

/// Opens a switch input with a QA hook.
fn switch(tree: &mut Tree, id: &str, hook: (&str, &str), described_by: &str) {
    tree.open("input", "cg-switch")
        .attrs(&[("type", "checkbox"), ("role", "switch")])
        .attr("id", id)
        .attr(hook.0, hook.1)
        .attr("aria-describedby", described_by);
}

fn category(tree: &mut Tree, cfg: &UiConfig, c: &Category, current: Option<&Choice>) {
    let cat = &cfg.catalogue;
    let lang = cfg.lang.as_str();
    let fallback = cat.default_language();
    let t = |k| cat.text(lang, k);
    let id = join("cg-c-", &c.id);
    let desc_id = join(&id, "-d");
    let label_id = join(&id, "-t");
    let always_id = join(&id, "-a");
    let panel_id = join(&id, "-s");

    tree.open("li", "cg-cat")
        .open("div", "cg-row")
        .open("h3", "")
        .open("label", "")
        .text(c.title.pick(lang, fallback))
        .attr("for", &id)
        .attr("id", &label_id)
        .close();
    let described = if c.required {
        // The space inside the badge keeps the heading's text "Title Always
        // on"; the badge's margin is the visible gap.
        let badge = join(" ", t(TextKey::AlwaysOn));
        tree.open("span", "cg-always")
            .text(&badge)
            .attr("id", &always_id)
            .close();
        crate::text::concat(&[always_id.as_str(), " ", desc_id.as_str()])
    } else {
        desc_id.clone()
    };
    tree.close();
    switch(tree, &id, (CATEGORY, &c.id), &described);

    let services: Vec<&Service> = cat.services_of(&c.id).collect();
    let on = |s: &Service| c.required || current.is_some_and(|ch| ch.service(&s.id));
    let count = services.iter().filter(|s| on(s)).count();
    if services.is_empty() {
        tree.checked(
            c.required || current.is_some_and(|ch| ch.category(&c.id)),
            false,
        );
    } else {
        let shows = category_switch(count, services.len());
        tree.checked(shows.on, shows.mixed);
    }
    tree.flag("disabled", c.required)
        .close()
        .close()
        .open("p", "cg-desc")
        .text(c.description.pick(lang, fallback))
        .attr("id", &desc_id)
        .close();

    if !services.is_empty() {
        let toggle_id = join(&id, "-b");
        let mut text = String::from(t(TextKey::ShowServices));
        text.push_str(" (");
        push_decimal(&mut text, services.len() as u64);
        text.push(')');
        // Named "Show services (3) Analytics": every toggle is distinct and
        // the name still starts with the visible text (label in name).
        let labelled = crate::text::concat(&[toggle_id.as_str(), " ", label_id.as_str()]);
        tree.open("button", "cg-btn cg-btn-quiet cg-disclose")
            .text(&text)
            .attrs(&[("type", "button"), ("aria-expanded", "false")])
            .attr("id", &toggle_id)
            .attr("aria-controls", &panel_id)
            .attr("aria-labelledby", &labelled)
            .attr("data-cookiegate-services", &c.id)
            .close()
            .open("ul", "cg-services")
            .attr("id", &panel_id)
            .flag("hidden", true);
        for s in &services {
            service(tree, cfg, s, c.required, on(s));
        }
        tree.close();
    }
    tree.close();
}

fn service(tree: &mut Tree, cfg: &UiConfig, s: &Service, required: bool, on: bool) {
    let cat = &cfg.catalogue;
    let lang = cfg.lang.as_str();
    let fallback = cat.default_language();
    let t = |k| cat.text(lang, k);
    let id = join("cg-s-", &s.id);
    let purpose_id = join(&id, "-p");

    tree.open("li", "cg-service")
        .open("div", "cg-row")
        .open("label", "cg-service-name")
        .text(s.name.pick(lang, fallback))
        .attr("for", &id)
        .close();
    switch(tree, &id, (SERVICE, &s.id), &purpose_id);
    tree.checked(on, false)
        .flag("disabled", required)
        .close()
        .close()
        .open("dl", "cg-facts")
        .put("dt", "", t(TextKey::Provider))
        .put("dd", "", s.provider.pick(lang, fallback))
        .put("dt", "", t(TextKey::Purpose))
        .open("dd", "")
        .text(s.purpose.pick(lang, fallback))
        .attr("id", &purpose_id)
        .close()
        .close();
    if let Some(country) = &s.third_country {
        tree.put("p", "", country.pick(lang, fallback));
    }
    tree.open("p", "")
        .link(&s.policy_url, t(TextKey::Policy))
        .attr("data-cookiegate-policy", &s.id)
        .close()
        .close();

    if !s.cookies.is_empty() || !s.storage.is_empty() {
        tree.put("p", "cg-label", t(TextKey::Cookies))
            .open("ul", "cg-cookies");
        for c in &s.cookies {
            let mut detail = lifetime(cat, lang, c.lifetime);
            detail.push_str(" · ");
            detail.push_str(t(match c.party {
                Party::First => TextKey::FirstParty,
                Party::Third => TextKey::ThirdParty,
            }));
            if let Some(d) = &c.domain {
                detail.push_str(" (");
                detail.push_str(d);
                detail.push(')');
            }
            entry(tree, cat, lang, &c.matcher.display(), &detail);
        }
        for k in &s.storage {
            let mut detail = k
                .lifetime
                .map(|l| lifetime(cat, lang, l))
                .unwrap_or_default();
            if !detail.is_empty() {
                detail.push_str(" · ");
            }
            // The storage names are technical terms, the same in every language.
            detail.push_str(match k.kind {
                StorageKind::Local => "localStorage",
                StorageKind::Session => "sessionStorage",
            });
            entry(tree, cat, lang, &k.matcher.display(), &detail);
        }
        tree.close();
    }
    tree.close();
}

/// One cookie or storage key: `name` then "Lifetime: …".
fn entry(tree: &mut Tree, cat: &Catalogue, lang: &str, name: &str, detail: &str) {
    let label = crate::text::concat(&[" — ", cat.text(lang, TextKey::Lifetime), ": ", detail]);
    tree.open("li", "")
        .put("code", "", name)
        .put("span", "", &label)
        .close();
}

/// A lifetime in words: "session", "1 day", "2 years".
pub(super) fn lifetime(cat: &Catalogue, lang: &str, l: Lifetime) -> String {
    let Lifetime::Span { count, unit } = l else {
        return cat.text(lang, TextKey::Session).to_string();
    };
    let one = count == 1;
    let key = match unit {
        Unit::Minute if one => TextKey::Minute,
        Unit::Minute => TextKey::Minutes,
        Unit::Hour if one => TextKey::Hour,
        Unit::Hour => TextKey::Hours,
        Unit::Day if one => TextKey::Day,
        Unit::Day => TextKey::Days,
        Unit::Month if one => TextKey::Month,
        Unit::Month => TextKey::Months,
        Unit::Year if one => TextKey::Year,
        Unit::Year => TextKey::Years,
    };
    let mut s = String::new();
    push_decimal(&mut s, u64::from(count));
    s.push(' ');
    s.push_str(cat.text(lang, key));
    s
}

/// Follows a switch change: a category sets all its services; a service
/// updates its category to on, off or mixed.
pub(super) fn on_change(input: &HtmlInputElement) {
    let Ok(Some(item)) = input.closest(".cg-cat") else {
        return;
    };
    let services = inputs(&item, SERVICE);
    if input.has_attribute(CATEGORY) {
        for s in &services {
            if !s.has_attribute("disabled") {
                s.set_checked(input.checked());
            }
        }
        input.set_indeterminate(false);
    } else if let Some(category) = inputs(&item, CATEGORY).first() {
        let on = services.iter().filter(|s| s.checked()).count();
        let shows = category_switch(on, services.len());
        category.set_checked(shows.on);
        category.set_indeterminate(shows.mixed);
    }
}

/// Exactly what the switches show, as a normalised choice.
pub(super) fn read(dialog: &Element, catalogue: &Catalogue) -> Choice {
    let states = |hook| -> Vec<(String, bool)> {
        let mut out = Vec::new();
        for i in inputs(dialog, hook) {
            if let Some(id) = i.get_attribute(hook) {
                out.push((id, i.checked()));
            }
        }
        out
    };
    let categories = states(CATEGORY);
    let services = states(SERVICE);
    Choice::build(catalogue, &as_wishes(&categories), &as_wishes(&services))
}

/// The inputs under `root` carrying `hook`.
fn inputs(root: &Element, hook: &str) -> Vec<HtmlInputElement> {
    let selector = crate::text::concat(&["input[", hook, "]"]);
    let Ok(list) = root.query_selector_all(&selector) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for i in 0..list.length() {
        if let Some(node) = list.item(i) {
            // The selector finds only inputs.
            out.push(node.unchecked_into::<HtmlInputElement>());
        }
    }
    out
}

/// Opens or closes a category's service list.
pub(super) fn disclose(toggle: &Element, root: &Element) {
    let open = toggle.get_attribute("aria-expanded").as_deref() != Some("true");
    let _ = toggle.set_attribute("aria-expanded", if open { "true" } else { "false" });
    let Some(panel_id) = toggle.get_attribute("aria-controls") else {
        return;
    };
    let selector = join("#", &panel_id);
    if let Ok(Some(panel)) = root.query_selector(&selector) {
        super::dom::set_flag(&panel, "hidden", !open);
    }
}
