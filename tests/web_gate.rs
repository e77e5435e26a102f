//! The gate in headless Chromium: document order across external and inline
//! scripts, at most once, late additions, `!category`, unknown names, iframes.
#![cfg(target_arch = "wasm32")]

mod web_support;

use cookiegate::catalogue::Catalogue;
use cookiegate::consent::Choice;
use cookiegate::web::gate::Gate;
use std::rc::Rc;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::*;
use web_support::{catalogue, container, element, log, reloads, reset_log, sleep};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/tests/web_support/tracker.js")]
extern "C" {
    #[wasm_bindgen(js_name = trackerUrl)]
    fn tracker_url() -> String;
}

fn ran() -> Vec<String> {
    log("__ran").into_iter().filter(|s| !s.is_empty()).collect()
}

fn setup() -> (Rc<Catalogue>, Rc<Gate>) {
    reset_log("__ran");
    let catalogue = Rc::new(catalogue());
    let gate = Gate::new(catalogue.clone(), String::new(), None);
    (catalogue, gate)
}

fn external(parent: &web_sys::Element, name: &str, category: &str) -> web_sys::Element {
    let src = [tracker_url().as_str(), "?", name].concat();
    element(
        parent,
        "script",
        &[
            ("type", "text/plain"),
            ("data-category", category),
            ("data-src", &src),
            ("data-type", "module"),
        ],
        "",
    )
}

fn inline(parent: &web_sys::Element, name: &str, category: &str) -> web_sys::Element {
    let code = ["window.__ran.push('", name, "')"].concat();
    element(
        parent,
        "script",
        &[("type", "text/plain"), ("data-category", category)],
        &code,
    )
}

#[wasm_bindgen_test]
async fn runs_in_document_order_once() {
    let (catalogue, gate) = setup();
    let page = container();
    external(&page, "a", "analytics");
    inline(&page, "b", "analytics");
    external(&page, "c", "analytics");
    inline(&page, "d", "analytics");
    inline(&page, "m", "marketing");
    gate.apply(None);
    sleep(100).await;
    assert!(ran().is_empty(), "nothing before a choice: {:?}", ran());

    let choice = Choice::only_categories(&catalogue, &["analytics"]);
    gate.apply(Some(&choice));
    sleep(500).await;
    assert_eq!(
        ran(),
        ["a", "b", "c", "d"],
        "inline code waits for the script before it"
    );
    gate.apply(Some(&choice));
    sleep(200).await;
    assert_eq!(ran(), ["a", "b", "c", "d"], "never twice");
    let activated = page
        .query_selector_all("script[data-cookiegate-activated]")
        .unwrap();
    assert_eq!(activated.length(), 4);
    assert!(reloads(
        &gate,
        &catalogue,
        Some(&Choice::reject_all(&catalogue))
    ));
    assert!(!reloads(&gate, &catalogue, Some(&choice)));
    page.remove();
}

#[wasm_bindgen_test]
async fn skips_what_left_the_page_before_its_turn() {
    let (catalogue, gate) = setup();
    let page = container();
    external(&page, "first", "analytics");
    let gone = inline(&page, "gone", "analytics");
    gate.apply(Some(&Choice::accept_all(&catalogue, false)));
    gone.remove();
    sleep(400).await;
    assert_eq!(ran(), ["first"]);
    page.remove();
}

#[wasm_bindgen_test]
async fn holds_late_additions_the_same_way() {
    let (catalogue, gate) = setup();
    gate.watch();
    gate.apply(Some(&Choice::only_categories(&catalogue, &["analytics"])));
    let page = container();
    inline(&page, "late", "analytics");
    let held = inline(&page, "held", "marketing");
    let frame = element(
        &page,
        "iframe",
        &[
            ("data-category", "social"),
            ("data-service", "youtube"),
            ("data-src", &tracker_url()),
        ],
        "",
    );
    sleep(100).await;
    assert_eq!(ran(), ["late"]);
    assert_eq!(held.get_attribute("type").as_deref(), Some("text/plain"));
    assert!(
        frame.get_attribute("src").is_none(),
        "a late iframe has no src until consent"
    );

    gate.apply(Some(&Choice::accept_all(&catalogue, false)));
    sleep(100).await;
    assert_eq!(ran(), ["late", "held"]);
    assert_eq!(frame.get_attribute("src"), Some(tracker_url()));
    page.remove();
}

#[wasm_bindgen_test]
async fn refused_category_fallbacks_run_only_after_a_refusal() {
    let (catalogue, gate) = setup();
    let page = container();
    inline(&page, "cookieless", "!marketing");
    gate.apply(None);
    sleep(50).await;
    assert!(ran().is_empty(), "not before a choice");
    gate.apply(Some(&Choice::accept_all(&catalogue, false)));
    sleep(50).await;
    assert!(ran().is_empty(), "not while marketing is granted");
    gate.apply(Some(&Choice::reject_all(&catalogue)));
    sleep(50).await;
    assert_eq!(ran(), ["cookieless"]);
    assert!(
        !reloads(
            &gate,
            &catalogue,
            Some(&Choice::accept_all(&catalogue, false))
        ),
        "a fallback never forces a reload"
    );
    page.remove();
}

#[wasm_bindgen_test]
async fn unknown_names_and_bad_urls_stay_blocked() {
    let (catalogue, gate) = setup();
    let page = container();
    let unknown = inline(&page, "unknown", "bogus");
    let refused_unknown = inline(&page, "refused-unknown", "!bogus");
    let wrong = element(
        &page,
        "script",
        &[
            ("type", "text/plain"),
            ("data-category", "analytics"),
            ("data-service", "ads"),
        ],
        "window.__ran.push('wrong')",
    );
    let js = element(
        &page,
        "iframe",
        &[
            ("data-category", "social"),
            ("data-src", "javascript:window.__ran.push('js')"),
        ],
        "",
    );
    let data = element(
        &page,
        "script",
        &[
            ("type", "text/plain"),
            ("data-category", "social"),
            ("data-src", "data:text/javascript,window.__ran.push('data')"),
        ],
        "",
    );
    let foreign = element(
        &page,
        "img",
        &[
            ("data-category", "social"),
            ("data-src", "http://tracker.example/pixel.gif"),
        ],
        "",
    );
    gate.apply(Some(&Choice::accept_all(&catalogue, false)));
    sleep(100).await;
    assert!(ran().is_empty(), "{:?}", ran());
    for el in [&unknown, &refused_unknown, &wrong, &data] {
        assert_eq!(el.get_attribute("type").as_deref(), Some("text/plain"));
        assert!(el.is_connected());
    }
    assert!(js.get_attribute("src").is_none());
    assert!(
        foreign.get_attribute("src").is_none(),
        "plain http only on the page's own origin"
    );
    page.remove();
}

#[wasm_bindgen_test]
fn copies_attributes_and_the_nonce() {
    reset_log("__ran");
    let catalogue = Rc::new(catalogue());
    let gate = Gate::new(catalogue.clone(), "n0nce".into(), None);
    let page = container();
    element(
        &page,
        "script",
        &[
            ("type", "text/plain"),
            ("data-category", "analytics"),
            ("data-service", "ga"),
            ("id", "kept"),
            ("data-x", "1"),
            ("nonce", "n0nce"),
        ],
        "window.__ran.push(document.currentScript.nonce)",
    );
    gate.apply(Some(&Choice::accept_all(&catalogue, false)));
    let fresh = page
        .query_selector("#kept")
        .unwrap()
        .expect("the fresh script");
    assert_eq!(fresh.get_attribute("type"), None);
    assert_eq!(fresh.get_attribute("data-x").as_deref(), Some("1"));
    assert_eq!(fresh.get_attribute("data-service").as_deref(), Some("ga"));
    assert!(fresh.has_attribute("data-cookiegate-activated"));
    assert_eq!(ran(), ["n0nce"]);
    page.remove();
}
