//! The second layer: a modal `<dialog>` with a switch per category and per
//! service, each service's details and cookies, and the three choices.

use super::dom::{add, append, attrs, button, el, link, put, set_lang, text_el};
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
    let dialog: HtmlDialogElement = el(doc, "dialog", "cg-layer cg-dialog")?.unchecked_into();
    attrs(
        &dialog,
        &[
            ("data-cookiegate", "preferences-dialog"),
            ("aria-labelledby", "cg-dialog-title"),
        ],
    )?;
    set_lang(&dialog, &cfg.lang)?;

    let head = el(doc, "div", "cg-dialog-head")?;
    let title = text_el(doc, "h2", "", t(TextKey::DialogTitle))?;
    attrs(&title, &[("id", "cg-dialog-title"), ("tabindex", "-1")])?;
    let close = button(doc, "close", "cg-btn cg-btn-quiet", t(TextKey::Close))?;
    append(&head, &[&title, &close])?;

    let body = el(doc, "div", "cg-dialog-body")?;
    put(doc, &body, "p", "", t(TextKey::DialogBody))?;
    if cfg.gpc {
        put(doc, &body, "p", "cg-gpc", t(TextKey::GpcHonoured))?;
    }
    let list = el(doc, "ul", "cg-cats")?;
    for c in &cat.categories {
        add(&list, &category(doc, cfg, c, current)?)?;
    }
    body.append_child(&list)?;

    let foot = el(doc, "div", "cg-dialog-foot")?;
    let actions = el(doc, "div", "cg-actions")?;
    append(
        &actions,
        &[
            &button(doc, "reject-all", "cg-btn", t(TextKey::RejectAll))?,
            &button(doc, "accept-all", "cg-btn", t(TextKey::AcceptAll))?,
            &button(doc, "save", "cg-btn", t(TextKey::Save))?,
        ],
    )?;
    foot.append_child(&actions)?;
    append(&dialog, &[&head, &body, &foot])?;
    Ok(dialog)
}

/// A switch input with a QA hook.
fn switch(
    doc: &Document,
    id: &str,
    hook: (&str, &str),
    described_by: &str,
) -> Result<HtmlInputElement, JsValue> {
    let input = el(doc, "input", "cg-switch")?;
    attrs(
        &input,
        &[
            ("type", "checkbox"),
            ("role", "switch"),
            ("id", id),
            hook,
            ("aria-describedby", described_by),
        ],
    )?;
    Ok(input.unchecked_into())
}

fn category(
    doc: &Document,
    cfg: &UiConfig,
    c: &Category,
    current: Option<&Choice>,
) -> Result<Element, JsValue> {
    let cat = &cfg.catalogue;
    let lang = cfg.lang.as_str();
    let fallback = cat.default_language();
    let t = |k| cat.text(lang, k);
    let id = ["cg-c-", c.id.as_str()].concat();
    let desc_id = [id.as_str(), "-d"].concat();
    let label_id = [id.as_str(), "-t"].concat();
    let always_id = [id.as_str(), "-a"].concat();
    let panel_id = [id.as_str(), "-s"].concat();

    let item = el(doc, "li", "cg-cat")?;
    let row = el(doc, "div", "cg-row")?;
    let heading = el(doc, "h3", "")?;
    let label = text_el(doc, "label", "", c.title.pick(lang, fallback))?;
    attrs(&label, &[("for", &id), ("id", &label_id)])?;
    heading.append_child(&label)?;
    let described = if c.required {
        let always = text_el(doc, "span", "cg-always", t(TextKey::AlwaysOn))?;
        always.set_id(&always_id);
        heading.append_with_str_1(" ")?;
        heading.append_child(&always)?;
        [always_id.as_str(), " ", desc_id.as_str()].concat()
    } else {
        desc_id.clone()
    };
    let input = switch(doc, &id, (CATEGORY, &c.id), &described)?;
    append(&row, &[&heading, &input])?;
    let desc = text_el(doc, "p", "cg-desc", c.description.pick(lang, fallback))?;
    desc.set_id(&desc_id);
    append(&item, &[&row, &desc])?;

    let services: Vec<&Service> = cat.services_of(&c.id).collect();
    let on = |s: &Service| c.required || current.is_some_and(|ch| ch.service(&s.id));
    let count = services.iter().filter(|s| on(s)).count();
    if services.is_empty() {
        input.set_checked(c.required || current.is_some_and(|ch| ch.category(&c.id)));
    } else {
        let shows = category_switch(count, services.len());
        input.set_checked(shows.on);
        input.set_indeterminate(shows.mixed);

        let toggle = el(doc, "button", "cg-btn cg-btn-quiet cg-disclose")?;
        let toggle_id = [id.as_str(), "-b"].concat();
        let mut text = String::from(t(TextKey::ShowServices));
        text.push_str(" (");
        push_decimal(&mut text, services.len() as u64);
        text.push(')');
        toggle.set_text_content(Some(&text));
        // Named "Show services (3) Analytics": every toggle is distinct and
        // the name still starts with the visible text (label in name).
        let labelled = [toggle_id.as_str(), " ", label_id.as_str()].concat();
        attrs(
            &toggle,
            &[
                ("type", "button"),
                ("id", &toggle_id),
                ("aria-expanded", "false"),
                ("aria-controls", &panel_id),
                ("aria-labelledby", &labelled),
                ("data-cookiegate-services", &c.id),
            ],
        )?;
        let panel = el(doc, "ul", "cg-services")?;
        panel.set_id(&panel_id);
        panel.toggle_attribute_with_force("hidden", true)?;
        for s in &services {
            add(&panel, &service(doc, cfg, s, c.required, on(s))?)?;
        }
        append(&item, &[&toggle, &panel])?;
    }
    input.set_disabled(c.required);
    Ok(item)
}

fn service(
    doc: &Document,
    cfg: &UiConfig,
    s: &Service,
    required: bool,
    on: bool,
) -> Result<Element, JsValue> {
    let cat = &cfg.catalogue;
    let lang = cfg.lang.as_str();
    let fallback = cat.default_language();
    let t = |k| cat.text(lang, k);
    let id = ["cg-s-", s.id.as_str()].concat();
    let purpose_id = [id.as_str(), "-p"].concat();

    let item = el(doc, "li", "cg-service")?;
    let row = el(doc, "div", "cg-row")?;
    let label = text_el(doc, "label", "cg-service-name", s.name.pick(lang, fallback))?;
    label.set_attribute("for", &id)?;
    let input = switch(doc, &id, (SERVICE, &s.id), &purpose_id)?;
    input.set_checked(on);
    input.set_disabled(required);
    append(&row, &[&label, &input])?;
    item.append_child(&row)?;

    let facts = el(doc, "dl", "cg-facts")?;
    put(doc, &facts, "dt", "", t(TextKey::Provider))?;
    put(doc, &facts, "dd", "", s.provider.pick(lang, fallback))?;
    put(doc, &facts, "dt", "", t(TextKey::Purpose))?;
    let purpose = text_el(doc, "dd", "", s.purpose.pick(lang, fallback))?;
    purpose.set_id(&purpose_id);
    add(&facts, &purpose)?;
    item.append_child(&facts)?;
    if let Some(country) = &s.third_country {
        put(doc, &item, "p", "", country.pick(lang, fallback))?;
    }
    let policy = el(doc, "p", "")?;
    let a = link(doc, &s.policy_url, t(TextKey::Policy))?;
    a.set_attribute("data-cookiegate-policy", &s.id)?;
    policy.append_child(&a)?;
    item.append_child(&policy)?;

    if !s.cookies.is_empty() || !s.storage.is_empty() {
        put(doc, &item, "p", "cg-label", t(TextKey::Cookies))?;
        let list = el(doc, "ul", "cg-cookies")?;
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
            add(
                &list,
                &entry(doc, cat, lang, &c.matcher.display(), &detail)?,
            )?;
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
            add(
                &list,
                &entry(doc, cat, lang, &k.matcher.display(), &detail)?,
            )?;
        }
        item.append_child(&list)?;
    }
    Ok(item)
}

/// One cookie or storage key: `name` then "Lifetime: …".
fn entry(
    doc: &Document,
    cat: &Catalogue,
    lang: &str,
    name: &str,
    detail: &str,
) -> Result<Element, JsValue> {
    let li = el(doc, "li", "")?;
    let label = [" — ", cat.text(lang, TextKey::Lifetime), ": ", detail].concat();
    put(doc, &li, "code", "", name)?;
    put(doc, &li, "span", "", &label)?;
    Ok(li)
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
            if !s.disabled() {
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
        inputs(dialog, hook)
            .iter()
            .filter_map(|i| Some((i.get_attribute(hook)?, i.checked())))
            .collect()
    };
    let categories = states(CATEGORY);
    let services = states(SERVICE);
    Choice::build(catalogue, &as_wishes(&categories), &as_wishes(&services))
}

/// The inputs under `root` carrying `hook`.
fn inputs(root: &Element, hook: &str) -> Vec<HtmlInputElement> {
    let selector = ["input[", hook, "]"].concat();
    let Ok(list) = root.query_selector_all(&selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<HtmlInputElement>().ok())
        .collect()
}

/// Opens or closes a category's service list.
pub(super) fn disclose(toggle: &Element, root: &Element) {
    let open = toggle.get_attribute("aria-expanded").as_deref() != Some("true");
    let _ = toggle.set_attribute("aria-expanded", if open { "true" } else { "false" });
    let Some(panel_id) = toggle.get_attribute("aria-controls") else {
        return;
    };
    let selector = ["#", panel_id.as_str()].concat();
    if let Ok(Some(panel)) = root.query_selector(&selector) {
        let _ = panel.toggle_attribute_with_force("hidden", !open);
    }
}
