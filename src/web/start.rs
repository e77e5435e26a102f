//! Start-up and the functions the bootstrap maps onto `window.cookiegate`.
//! Every export is safe to call before, or without, a successful start.

use super::gate::{Gate, Placeholder};
use super::google::Google;
use super::intercept::Intercept;
use super::page::{
    dispatch, document, error, get, get_string, listen, loadable, root_element, url_part, warn,
    window,
};
use super::shell::{gpc, Shell};
use super::store::{Store, KEY};
use super::ui::{Ui, UiConfig};
use crate::catalogue::{self, Catalogue};
use crate::consent::{Choice, Method};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, Element, Event};

thread_local! {
    static MOUNTED: Cell<bool> = const { Cell::new(false) };
    static SHELL: RefCell<Option<Rc<Shell>>> = const { RefCell::new(None) };
}

fn shell() -> Option<Rc<Shell>> {
    SHELL.with(|s| s.borrow().clone())
}

/// Starts cookiegate with the bootstrap's config object (`{catalogue,
/// catalogueError, catalogueUrl, catalogueFallback, catalogueCopies, lang, theme,
/// endpoint, nonce, push, event, intercept, sheet, host}`; `event`: pushes the
/// GTM event; `host`: the early
/// banner's, to take over; `catalogueCopies`: how many inline
/// catalogues the page holds; `catalogueFallback`: the full catalogue's URL
/// when `catalogue` is a per-language one). Idempotent once started. Returns
/// whether it started; when not, one console message said why: with a
/// fallback, a warning (mount again with the full catalogue); without, an
/// error, and nothing that needs consent loads.
#[wasm_bindgen]
pub fn mount(config: JsValue) -> bool {
    if MOUNTED.with(Cell::get) {
        return shell().is_some();
    }
    // A per-language catalogue has the full one behind it: a problem with it
    // is a warning, and the bootstrap mounts again (once) with the full one.
    if let Some(full) = get_string(&config, "catalogueFallback") {
        let then = crate::text::concat(&["; loading ", &full, " instead"]);
        return read_catalogue(&config, &then, warn).is_some_and(|c| start(Some(c), &config));
    }
    start(read_catalogue(&config, FAIL, error), &config)
}

/// What the console says after a catalogue that cannot be used.
const FAIL: &str = "; nothing that needs consent will load";

/// Starts with a catalogue already read (`None`: it was not valid, which
/// has been said) and the rest of `mount`'s config. Once per page.
pub fn start(catalogue: Option<Catalogue>, config: &JsValue) -> bool {
    if MOUNTED.with(|m| m.replace(true)) {
        return shell().is_some();
    }
    listen_open_links();
    let Some(catalogue) = catalogue else {
        return false;
    };
    let catalogue = Rc::new(catalogue);
    let lang = language(&catalogue, get_string(config, "lang"));
    let gpc = gpc();
    let endpoint = get_string(config, "endpoint").filter(|e| !e.is_empty()).and_then(|e| {
        let url = loadable(&e).map(|u| url_part(&u, "href"));
        if url.is_none() {
            warn("data-consent-endpoint is not an https: or same-origin URL; no records are sent");
        }
        url
    });
    // The UI and the gate reach the shell through `me`, a weak handle: no
    // cycle, and nothing calls back into a shell that is being built.
    let shell = Rc::new_cyclic(|me: &Weak<Shell>| {
        let to_shell = me.clone();
        // The bootstrap's sheet (ui.css); without one there is no UI.
        let sheet = get(config, "sheet").and_then(|v| v.dyn_into::<CssStyleSheet>().ok());
        let ui = sheet.ok_or(JsValue::NULL).and_then(|sheet| {
            Ui::mount(UiConfig {
                catalogue: catalogue.clone(),
                lang: lang.clone(),
                gpc,
                on_action: Rc::new(move |action| {
                    if let Some(s) = to_shell.upgrade() {
                        s.on_action(action);
                    }
                }),
                sheet,
                host: get(config, "host").and_then(|v| v.dyn_into::<Element>().ok()),
            })
        });
        let ui = match ui {
            Ok(ui) => {
                ui.set_theme(&get_string(config, "theme").unwrap_or_default());
                Some(ui)
            }
            Err(_) => {
                // Without a UI nobody can choose: the gate keeps everything shut.
                error("the consent UI could not be shown; nothing that needs consent will load");
                None
            }
        };
        let placeholder = ui.clone().map(|ui| Rc::new(ui) as Placeholder);
        Shell {
            me: me.clone(),
            store: Store::new(catalogue.consent_days),
            gate: Gate::new(
                catalogue.clone(),
                get_string(config, "nonce").unwrap_or_default(),
                placeholder,
            ),
            google: Google::new(get(config, "push"), get(config, "event")),
            intercept: get(config, "intercept").map(|hub| Intercept::new(catalogue.clone(), hub)),
            catalogue,
            lang,
            gpc,
            endpoint,
            ui,
            record: RefCell::new(None),
            generation: Cell::new(0),
        }
    });
    SHELL.with(|s| *s.borrow_mut() = Some(shell.clone()));
    shell.start();
    if let Some(i) = &shell.intercept {
        i.connect();
    }
    shell.gate.watch();
    listen_storage();
    dispatch("cookiegate:ready", &JsValue::UNDEFINED);
    true
}

/// The checked catalogue, or one console message (`say`) giving the first
/// problem, with `then` saying what happens next.
fn read_catalogue(config: &JsValue, then: &str, say: fn(&str)) -> Option<Catalogue> {
    let url = get_string(config, "catalogueUrl").unwrap_or_else(|| "#cookiegate-catalogue".into());
    if let Some(why) = get_string(config, "catalogueError") {
        // The bootstrap aborts a request that gets no answer in time; the
        // browser's own words for that ("signal is aborted without reason")
        // do not say so.
        let hint = if why
            .as_bytes()
            .windows(5)
            .any(|w| w.eq_ignore_ascii_case(b"abort"))
        {
            " (no answer in time, so the request was given up)"
        } else {
            ""
        };
        say(&crate::text::concat(&[
            "could not load the catalogue ",
            &url,
            ": ",
            &why,
            hint,
            then,
        ]));
        return None;
    }
    // Markup earlier in the page could otherwise put a forged catalogue first.
    if get(config, "catalogueCopies")
        .and_then(|n| n.as_f64())
        .is_some_and(|n| n > 1.0)
    {
        say(&crate::text::concat(&[
            "the page has more than one inline catalogue ",
            "(<script type=\"application/json\" id=\"cookiegate-catalogue\">); ",
            "exactly one may be there",
            then,
        ]));
        return None;
    }
    let (problem, html) = match catalogue_text(config) {
        Err(problem) => (problem, false),
        Ok(None) => {
            say(&crate::text::concat(&[
                "no catalogue: set data-catalogue or add \
                     <script type=\"application/json\" id=\"cookiegate-catalogue\">",
                then,
            ]));
            return None;
        }
        Ok(Some(text)) => match catalogue::load_strict_text(&text) {
            Ok(catalogue) => return Some(catalogue),
            Err(problem) => (problem, text.trim_start().starts_with("<")),
        },
    };
    let mut message = crate::text::concat(&["the catalogue ", &url, " is not valid", then, ":"]);
    if html {
        message.push_str("\n(the server sent HTML, not JSON)");
    }
    message.push('\n');
    message.push_str(&url);
    message.push(':');
    problem.push_to(&mut message);
    // The browser stops at the first problem; the native tool lists them all.
    message.push_str("\n(the first problem found; `cookiegate check FILE` lists every problem and suggests a fix)");
    say(&message);
    None
}

/// The catalogue's text from the config: `Ok(None)` when there is none, a
/// problem when it is too large to read or was not UTF-8. The size is
/// checked on the JavaScript string, before it is copied into the module.
fn catalogue_text(config: &JsValue) -> Result<Option<String>, catalogue::Problem> {
    let Some(value) = get(config, "catalogue") else {
        return Ok(None);
    };
    let Some(js) = value.dyn_ref::<js_sys::JsString>() else {
        return Ok(None);
    };
    // UTF-16 units never outnumber UTF-8 bytes: over the limit here is over it.
    if let Some(problem) = catalogue::too_large(js.length() as usize) {
        return Err(problem);
    }
    let Some(mut text) = js.as_string() else {
        return Ok(None);
    };
    // The bootstrap puts a byte-order mark first (so the glue copies the text
    // with the browser's encoder); positions and the HTML check start after it.
    if text.as_bytes().starts_with("\u{FEFF}".as_bytes()) {
        text.remove(0);
    }
    // The fetch decodes bytes that are not UTF-8 to U+FFFD instead of failing;
    // a real catalogue has no reason to hold that character unescaped.
    // Its three UTF-8 bytes by a window compare, not core's char searcher.
    let replacement = "\u{FFFD}".as_bytes();
    let found = text
        .as_bytes()
        .windows(replacement.len())
        .position(|w| w == replacement);
    if let Some(at) = found {
        let pos = crate::json::end_pos(text.get(..at).unwrap_or_default());
        return Err(catalogue::Problem::not_utf8(pos));
    }
    Ok(Some(text))
}

/// `data-lang`, else `<html lang>`, else the browser's languages, resolved
/// against the catalogue's (its first language when none fits).
fn language(catalogue: &Catalogue, forced: Option<String>) -> String {
    let mut wanted: Vec<String> = forced.into_iter().collect();
    if let Some(lang) = root_element().and_then(|e| e.get_attribute("lang")) {
        wanted.push(lang);
    }
    if let Some(w) = window() {
        wanted.extend(
            w.navigator()
                .languages()
                .iter()
                .filter_map(|l| l.as_string()),
        );
    }
    catalogue
        .resolve_language(wanted.iter().map(String::as_str))
        .to_string()
}

/// Any `[data-cookiegate-open]` element, present or future, opens the
/// preferences (delegated, so it never needs re-binding).
fn listen_open_links() {
    let on_click = Closure::<dyn Fn(Event)>::new(|event: Event| {
        let opener = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|el| el.closest("[data-cookiegate-open]").ok().flatten());
        if let Some(opener) = opener {
            event.prevent_default();
            if let Some(s) = shell() {
                s.show_preferences(Some(opener));
            }
        }
    })
    .into_js_value();
    if let Some(doc) = document() {
        let _ = listen(&doc, "click", on_click.unchecked_ref(), false);
    }
}

/// Follows choices made in other tabs (the core decides how:
/// `consent::follow`).
fn listen_storage() {
    let on_storage = Closure::<dyn Fn(Event)>::new(|event: Event| {
        if get_string(&event, "key").as_deref() == Some(KEY) {
            if let Some(s) = shell() {
                s.on_storage();
            }
        }
    })
    .into_js_value();
    if let Some(w) = window() {
        let _ = listen(&w, "storage", on_storage.unchecked_ref(), false);
    }
}

/// `cookiegate.acceptAll()`.
#[wasm_bindgen]
pub fn accept_all() {
    if let Some(s) = shell() {
        s.choose(Choice::accept_all(&s.catalogue, s.gpc), Method::AcceptAll);
    }
}

/// `cookiegate.rejectAll()`.
#[wasm_bindgen]
pub fn reject_all() {
    if let Some(s) = shell() {
        s.choose(Choice::reject_all(&s.catalogue), Method::RejectAll);
    }
}

/// `cookiegate.accept(categories)`: exactly these (an array of ids, or one
/// id), plus required ones.
#[wasm_bindgen]
pub fn accept(categories: JsValue) {
    let Some(s) = shell() else { return };
    let ids: Vec<String> = match categories.as_string() {
        Some(one) => vec![one],
        None if js_sys::Array::is_array(&categories) => js_sys::Array::from(&categories)
            .iter()
            .filter_map(|v| v.as_string())
            .collect(),
        None => return warn("accept() takes an array of category ids"),
    };
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    s.choose(Choice::only_categories(&s.catalogue, &ids), Method::Custom);
}

/// `cookiegate.acceptedCategory(id)`.
#[wasm_bindgen]
pub fn accepted_category(id: JsValue) -> bool {
    accepted(id, Choice::category)
}

/// `cookiegate.acceptedService(id)`.
#[wasm_bindgen]
pub fn accepted_service(id: JsValue) -> bool {
    accepted(id, Choice::service)
}

/// Whether the stored choice grants `id` (`false` before a choice, or for
/// anything but a string), asked of the record in place.
fn accepted(id: JsValue, granted: fn(&Choice, &str) -> bool) -> bool {
    let (Some(s), Some(id)) = (shell(), id.as_string()) else {
        return false;
    };
    let record = s.record.borrow();
    record.as_ref().is_some_and(|r| granted(&r.choice, &id))
}

/// `cookiegate.getConsent()`: the record (contract §5), or `null`.
#[wasm_bindgen]
pub fn get_consent() -> JsValue {
    shell().map_or(JsValue::NULL, |s| s.consent_object())
}

/// `cookiegate.showBanner()`.
#[wasm_bindgen]
pub fn show_banner() {
    if let Some(ui) = shell().as_ref().and_then(|s| s.ui.as_ref()) {
        ui.show_banner();
    }
}

/// `cookiegate.showPreferences()`.
#[wasm_bindgen]
pub fn show_preferences() {
    if let Some(s) = shell() {
        s.show_preferences(None);
    }
}

/// `cookiegate.hide()`.
#[wasm_bindgen]
pub fn hide() {
    if let Some(ui) = shell().as_ref().and_then(|s| s.ui.as_ref()) {
        ui.hide();
    }
}

/// `cookiegate.reset()`: forgets the choice, clears what needs consent,
/// asks again (or reloads if something had already run).
#[wasm_bindgen]
pub fn reset() {
    if let Some(s) = shell() {
        s.reset();
    }
}
