//! The consent UI in headless Chromium: structure, actions, switches, focus,
//! untrusted text, placeholders and hostile page CSS.
#![cfg(target_arch = "wasm32")]

use cookiegate::catalogue::{
    Catalogue, Category, CookieSpec, Lifetime, Localized, Matcher, Party, Service, TextKey, Texts,
    Unit,
};
use cookiegate::consent::Choice;
use cookiegate::web::gate::Placeholders;
use cookiegate::web::ui::{Action, Ui, UiConfig};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlDialogElement, HtmlElement, HtmlInputElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

const HOSTILE_TITLE: &str = "<img src=x onerror=\"window.__pwned=1\">Analytics";

fn text(key: TextKey) -> &'static str {
    match key {
        TextKey::BannerTitle => "We use cookies",
        TextKey::AcceptAll => "Accept all",
        TextKey::RejectAll => "Reject all",
        TextKey::Preferences => "Preferences",
        TextKey::Save => "Save choices",
        TextKey::Close => "Close",
        TextKey::Placeholder => "{service} is blocked until you allow it.",
        TextKey::AllowService => "Always allow {service}",
        TextKey::Day => "day",
        TextKey::Days => "days",
        TextKey::Year => "year",
        TextKey::Years => "years",
        TextKey::Session => "session",
        _ => key.as_str(),
    }
}

fn loc(s: &str) -> Localized {
    Localized(vec![("en".into(), s.into())])
}

fn category(id: &str, title: &str, required: bool) -> Category {
    Category {
        id: id.into(),
        required,
        title: loc(title),
        description: loc("What it is for."),
        consent_mode: vec![],
        gpc_opt_out: false,
    }
}

fn service(id: &str, category: &str, name: &str, lifetime: Lifetime) -> Service {
    Service {
        id: id.into(),
        category: category.into(),
        name: name.into(),
        provider: "Provider Ltd".into(),
        purpose: loc("Measures visits."),
        policy_url: "https://example.com/privacy".into(),
        hosts: vec![],
        urls: vec![],
        scripts: vec![],
        consent_mode: vec![],
        third_country: None,
        justification: None,
        cookies: vec![CookieSpec {
            matcher: Matcher::Exact(["_", id].concat()),
            lifetime,
            party: Party::First,
            domain: None,
            path: "/".into(),
            purpose: Localized::default(),
        }],
        storage: vec![],
    }
}

fn catalogue() -> Catalogue {
    let years = Lifetime::Span {
        count: 2,
        unit: Unit::Year,
    };
    Catalogue {
        revision: 1,
        consent_days: 182,
        policy_url: "https://example.com/privacy".into(),
        languages: vec!["en".into()],
        texts: vec![Texts {
            lang: "en".into(),
            values: TextKey::ALL.iter().map(|k| text(*k).to_string()).collect(),
        }],
        categories: vec![
            category("necessary", "Necessary", true),
            category("analytics", HOSTILE_TITLE, false),
            category("marketing", "Marketing", false),
        ],
        services: vec![
            service("shop", "necessary", "Shop", Lifetime::Session),
            service("ga", "analytics", "Google Analytics", years),
            service(
                "matomo",
                "analytics",
                "Matomo",
                Lifetime::Span {
                    count: 1,
                    unit: Unit::Day,
                },
            ),
            service("ads", "marketing", "Ads", years),
            service("youtube", "marketing", "<b>YouTube</b>", years),
        ],
    }
}

struct Fixture {
    ui: Ui,
    actions: Rc<RefCell<Vec<Action>>>,
    catalogue: Rc<Catalogue>,
}

fn mount() -> Fixture {
    let catalogue = Rc::new(catalogue());
    let actions = Rc::new(RefCell::new(Vec::new()));
    let sink = actions.clone();
    let ui = Ui::mount(UiConfig {
        catalogue: catalogue.clone(),
        lang: "en".into(),
        gpc: false,
        on_action: Rc::new(move |a| sink.borrow_mut().push(a)),
        sheet: sheet(),
        host: None,
    })
    .expect("mount");
    Fixture {
        ui,
        actions,
        catalogue,
    }
}

/// The UI's stylesheet, as the bootstrap makes it.
fn sheet() -> web_sys::CssStyleSheet {
    let sheet = web_sys::CssStyleSheet::new().expect("a constructable sheet");
    sheet
        .replace_sync(include_str!("../src/web/ui/ui.css"))
        .expect("ui.css parses");
    sheet
}

fn doc() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn root() -> ShadowRoot {
    doc()
        .query_selector("[data-cookiegate=\"root\"]")
        .unwrap()
        .expect("host")
        .shadow_root()
        .expect("open shadow root")
}

fn find(scope: &str, hook: &str) -> HtmlElement {
    let sel = [scope, " ", hook].concat();
    root()
        .query_selector(&sel)
        .unwrap()
        .unwrap_or_else(|| panic!("{sel} not found"))
        .unchecked_into()
}

const BANNER: &str = "[data-cookiegate=\"banner\"]";
const DIALOG: &str = "[data-cookiegate=\"preferences-dialog\"]";

fn switch(attr: &str, id: &str) -> HtmlInputElement {
    let sel = ["input[", attr, "=\"", id, "\"]"].concat();
    find(DIALOG, &sel).unchecked_into()
}

fn dialog() -> HtmlDialogElement {
    root()
        .query_selector(DIALOG)
        .unwrap()
        .expect("dialog")
        .unchecked_into()
}

async fn tick() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

#[wasm_bindgen_test]
fn host_is_first_in_body_with_region_and_status() {
    let f = mount();
    f.ui.show_banner();
    let first = doc().body().unwrap().first_element_child().unwrap();
    assert_eq!(
        first.get_attribute("data-cookiegate").as_deref(),
        Some("root")
    );
    let banner = find("", BANNER);
    assert_eq!(banner.tag_name(), "SECTION");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("region"));
    assert_eq!(banner.get_attribute("lang").as_deref(), Some("en"));
    let title_id = banner.get_attribute("aria-labelledby").unwrap();
    let title = root().get_element_by_id(&title_id).unwrap();
    assert_eq!(title.text_content().as_deref(), Some("We use cookies"));
    assert!(root()
        .query_selector("[role=\"status\"]")
        .unwrap()
        .is_some());
    // No focus stealing on show.
    assert_ne!(doc().active_element(), Some(first));
    f.ui.announce("Saved");
    let status = root().query_selector("[role=\"status\"]").unwrap().unwrap();
    assert_eq!(status.text_content().as_deref(), Some("Saved"));
}

#[wasm_bindgen_test]
fn banner_buttons_are_equal_and_in_order() {
    let f = mount();
    f.ui.show_banner();
    let window = web_sys::window().unwrap();
    let hooks = ["reject-all", "accept-all", "preferences"];
    let buttons: Vec<Element> = {
        let list = root()
            .query_selector_all(&[BANNER, " button"].concat())
            .unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().unchecked_into())
            .collect()
    };
    let order: Vec<String> = buttons
        .iter()
        .map(|b| b.get_attribute("data-cookiegate").unwrap())
        .collect();
    assert_eq!(order, hooks);
    let measure = |b: &Element| {
        let s = window.get_computed_style(b).unwrap().unwrap();
        let r = b.get_bounding_client_rect();
        let props: Vec<String> = [
            "font-size",
            "font-weight",
            "color",
            "background-color",
            "border-top-width",
            "border-top-color",
            "border-top-left-radius",
            "opacity",
        ]
        .iter()
        .map(|p| s.get_property_value(p).unwrap())
        .collect();
        (r.width().round(), r.height().round(), props)
    };
    let first = measure(&buttons[0]);
    assert!(first.0 >= 44.0 && first.1 >= 44.0, "target size {first:?}");
    for b in &buttons {
        assert_eq!(b.get_attribute("type").as_deref(), Some("button"));
        let m = measure(b);
        assert!(
            (m.0 - first.0).abs() <= 2.0 && (m.1 - first.1).abs() <= 2.0,
            "{m:?} vs {first:?}"
        );
        assert_eq!(m.2, first.2);
    }
}

#[wasm_bindgen_test]
fn banner_accept_and_reject_report_actions() {
    let f = mount();
    f.ui.show_banner();
    find(BANNER, "[data-cookiegate=\"accept-all\"]").click();
    find(BANNER, "[data-cookiegate=\"reject-all\"]").click();
    assert_eq!(
        *f.actions.borrow(),
        vec![Action::AcceptAll, Action::RejectAll]
    );
}

#[wasm_bindgen_test]
async fn dialog_defaults_focus_and_escape() {
    let f = mount();
    f.ui.show_banner();
    let opener = find(BANNER, "[data-cookiegate=\"preferences\"]");
    opener.click();
    let d = dialog();
    assert!(d.open());
    assert_eq!(d.tag_name(), "DIALOG");
    // Focus on the heading, not on a choice.
    let active = root().active_element().unwrap();
    assert_eq!(active.tag_name(), "H2");
    // REG-12: optional off, required on and locked.
    for id in ["analytics", "marketing"] {
        assert!(!switch("data-cookiegate-category", id).checked(), "{id}");
    }
    let necessary = switch("data-cookiegate-category", "necessary");
    assert!(necessary.checked() && necessary.disabled());
    assert_eq!(necessary.get_attribute("role").as_deref(), Some("switch"));
    assert!(switch("data-cookiegate-service", "shop").checked());
    // Escape (the dialog's cancel) grants nothing and returns focus.
    let cancel = web_sys::Event::new("cancel").unwrap();
    d.dispatch_event(&cancel).unwrap();
    assert!(!d.open());
    tick().await;
    assert_eq!(*f.actions.borrow(), vec![Action::Dismiss]);
    assert_eq!(root().active_element(), Some(opener.unchecked_into()));
}

#[wasm_bindgen_test]
fn close_button_dismisses() {
    let f = mount();
    f.ui.show_preferences(None, None);
    find(DIALOG, "[data-cookiegate=\"close\"]").click();
    assert!(!dialog().open());
    assert_eq!(*f.actions.borrow(), vec![Action::Dismiss]);
}

#[wasm_bindgen_test]
fn service_switch_makes_category_mixed_and_save_reports_exactly_that() {
    let f = mount();
    f.ui.show_preferences(None, None);
    let disclose = find(DIALOG, "[data-cookiegate-services=\"analytics\"]");
    assert_eq!(
        disclose.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    disclose.click();
    assert_eq!(
        disclose.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    let ga = switch("data-cookiegate-service", "ga");
    ga.click();
    let analytics = switch("data-cookiegate-category", "analytics");
    assert!(analytics.indeterminate());
    // The category switch sets all its services.
    let marketing = switch("data-cookiegate-category", "marketing");
    marketing.click();
    assert!(switch("data-cookiegate-service", "ads").checked());
    assert!(switch("data-cookiegate-service", "youtube").checked());
    switch("data-cookiegate-service", "youtube").click();
    assert!(marketing.indeterminate());
    find(DIALOG, "[data-cookiegate=\"save\"]").click();
    let expected = Choice::build(&f.catalogue, &[], &[("ga", true), ("ads", true)]);
    assert_eq!(*f.actions.borrow(), vec![Action::Save(expected)]);
    assert!(!dialog().open());
}

#[wasm_bindgen_test]
fn dialog_reflects_current_and_its_buttons_report() {
    let f = mount();
    let current = Choice::build(&f.catalogue, &[], &[("matomo", true)]);
    f.ui.set_current(Some(current.clone()));
    f.ui.show_reopen();
    find("", "[data-cookiegate=\"reopen\"]").click();
    assert!(switch("data-cookiegate-service", "matomo").checked());
    assert!(!switch("data-cookiegate-service", "ga").checked());
    assert!(switch("data-cookiegate-category", "analytics").indeterminate());
    find(DIALOG, "[data-cookiegate=\"save\"]").click();
    f.ui.show_preferences(Some(&current), None);
    find(DIALOG, "[data-cookiegate=\"reject-all\"]").click();
    f.ui.show_preferences(Some(&current), None);
    find(DIALOG, "[data-cookiegate=\"accept-all\"]").click();
    assert_eq!(
        *f.actions.borrow(),
        vec![Action::Save(current), Action::RejectAll, Action::AcceptAll]
    );
}

#[wasm_bindgen_test]
fn lifetimes_read_in_words() {
    let f = mount();
    f.ui.show_preferences(None, None);
    let d = dialog().text_content().unwrap();
    assert!(d.contains("2 years"), "{d}");
    assert!(d.contains("1 day"), "{d}");
    assert!(d.contains("session"), "{d}");
    f.ui.hide();
    assert!(!dialog().open());
    assert!(f.actions.borrow().is_empty(), "hide reports nothing");
}

#[wasm_bindgen_test]
fn catalogue_html_renders_as_text() {
    let f = mount();
    f.ui.show_preferences(None, None);
    let label = find(DIALOG, "label[for=\"cg-c-analytics\"]");
    assert_eq!(label.text_content().as_deref(), Some(HOSTILE_TITLE));
    assert!(root().query_selector("img").unwrap().is_none());
    assert!(root()
        .query_selector(&[DIALOG, " b"].concat())
        .unwrap()
        .is_none());
    f.ui.hide();
}

#[wasm_bindgen_test]
fn placeholder_stands_in_and_reports() {
    let f = mount();
    let body = doc().body().unwrap();
    let frame = doc().create_element("iframe").unwrap();
    frame.set_attribute("width", "560").unwrap();
    frame.set_attribute("height", "315").unwrap();
    body.append_child(&frame).unwrap();
    let youtube = f.catalogue.service("youtube").unwrap();
    let ph = f.ui.placeholder(&frame, youtube).unwrap();
    assert_eq!(ph.next_element_sibling(), Some(frame.clone()));
    assert_eq!(ph.get_attribute("role").as_deref(), Some("group"));
    let r = ph.get_bounding_client_rect();
    assert_eq!((r.width().round(), r.height().round()), (560.0, 315.0));
    let shadow = ph.shadow_root().expect("open shadow root");
    let text = shadow
        .query_selector("p")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(text, "<b>YouTube</b> is blocked until you allow it.");
    let button = |hook: &str| -> HtmlElement {
        let sel = ["[data-cookiegate=\"", hook, "\"]"].concat();
        shadow
            .query_selector(&sel)
            .unwrap()
            .unwrap()
            .unchecked_into()
    };
    assert_eq!(
        button("allow-service").text_content().as_deref(),
        Some("Always allow <b>YouTube</b>")
    );
    button("load-once").click();
    button("allow-service").click();
    assert_eq!(
        *f.actions.borrow(),
        vec![
            Action::LoadOnce(frame.clone()),
            Action::AllowService("youtube".into())
        ]
    );
    // One placeholder per element, until it is removed.
    assert_eq!(f.ui.placeholder(&frame, youtube).unwrap(), ph);
    assert!(Placeholders::shown(&f.ui, &frame));
    // The visitor chose "Load this once" with the keyboard: focus goes on
    // to the frame, not back to the top of the page.
    button("load-once").focus().unwrap();
    assert_eq!(doc().active_element(), Some(ph.clone()));
    Placeholders::remove(&f.ui, &frame);
    assert!(!ph.is_connected());
    assert!(!Placeholders::shown(&f.ui, &frame));
    assert_eq!(doc().active_element(), Some(frame.clone()));
    // Removed by the gate directly: a later call makes a fresh one.
    let again = f.ui.placeholder(&frame, youtube).unwrap();
    again.remove();
    let third = f.ui.placeholder(&frame, youtube).unwrap();
    assert_ne!(third, again);
    third.remove();
    frame.remove();
}

#[wasm_bindgen_test]
fn hostile_page_css_leaves_buttons_visible() {
    let style = doc().create_element("style").unwrap();
    style.set_text_content(Some(
        "* { all: unset } button { display: none !important } div { display: none !important }",
    ));
    doc().body().unwrap().append_child(&style).unwrap();
    let f = mount();
    f.ui.show_banner();
    for hook in ["reject-all", "accept-all", "preferences"] {
        let b = find(BANNER, &["[data-cookiegate=\"", hook, "\"]"].concat());
        let r = b.get_bounding_client_rect();
        assert!(
            r.width() >= 44.0 && r.height() >= 44.0,
            "{hook}: {}x{}",
            r.width(),
            r.height()
        );
    }
    style.remove();
    f.ui.hide();
}

#[wasm_bindgen_test]
async fn banner_never_hides_the_focused_element() {
    let f = mount();
    f.ui.show_banner();
    let html: HtmlElement = doc().document_element().unwrap().unchecked_into();
    let padding = html
        .style()
        .get_property_value("scroll-padding-bottom")
        .unwrap();
    let banner = find("", BANNER);
    let height = banner.get_bounding_client_rect().height();
    assert_eq!(
        padding,
        [(height.ceil() as u32).to_string().as_str(), "px"].concat()
    );
    // A control pinned where the banner sits cannot be scrolled clear of it.
    let pinned: HtmlElement = doc().create_element("button").unwrap().unchecked_into();
    pinned.set_text_content(Some("Pinned"));
    let style = pinned.style();
    style.set_property("position", "fixed").unwrap();
    style.set_property("bottom", "8px").unwrap();
    style.set_property("left", "50%").unwrap();
    doc().body().unwrap().append_child(&pinned).unwrap();
    pinned.focus().unwrap();
    tick().await;
    assert!(
        banner.class_list().contains("cg-top"),
        "banner moved to the top"
    );
    let (b, p) = (
        banner.get_bounding_client_rect(),
        pinned.get_bounding_client_rect(),
    );
    assert!(
        p.top() >= b.bottom() || p.bottom() <= b.top(),
        "focused control uncovered"
    );
    assert!(!html
        .style()
        .get_property_value("scroll-padding-top")
        .unwrap()
        .is_empty());
    pinned.remove();
    f.ui.hide();
    assert!(html
        .style()
        .get_property_value("scroll-padding-top")
        .unwrap()
        .is_empty());
    assert!(html
        .style()
        .get_property_value("scroll-padding-bottom")
        .unwrap()
        .is_empty());
}

#[wasm_bindgen_test]
fn tab_wraps_inside_the_dialog() {
    let f = mount();
    f.ui.show_preferences(None, None);
    let tab = |shift: bool| {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key("Tab");
        init.set_shift_key(shift);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let ev =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        root()
            .active_element()
            .unwrap()
            .dispatch_event(&ev)
            .unwrap();
    };
    let active = || {
        root()
            .active_element()
            .unwrap()
            .get_attribute("data-cookiegate")
    };
    // From the heading, Shift+Tab goes to the last control.
    tab(true);
    assert_eq!(active().as_deref(), Some("save"));
    tab(false);
    assert_eq!(active().as_deref(), Some("close"));
    tab(true);
    assert_eq!(active().as_deref(), Some("save"));
    f.ui.hide();
}

#[wasm_bindgen_test]
fn hiding_the_focused_banner_moves_focus_to_the_reopen_control() {
    let f = mount();
    f.ui.show_banner();
    let reject = find(BANNER, "[data-cookiegate=\"reject-all\"]");
    reject.focus().unwrap();
    assert_eq!(root().active_element().as_ref(), Some(reject.as_ref()));
    // As the shell does after a choice: hide, then ask for the re-open control.
    f.ui.hide();
    f.ui.show_reopen();
    let reopen = find("", "[data-cookiegate=\"reopen\"]");
    assert!(!reopen.hidden(), "the re-open control shows");
    assert_eq!(
        root().active_element().as_ref(),
        Some(reopen.as_ref()),
        "focus follows to the re-open control, not lost to <body>"
    );

    // Without focus in the banner, nothing is focused (no focus stealing).
    reopen.blur().unwrap();
    f.ui.show_banner();
    f.ui.hide();
    assert_eq!(root().active_element(), None);
}
