//! The consent UI: first-layer banner, preferences dialog, re-open control,
//! iframe placeholders and status messages, inside an open shadow root.
//!
//! The UI decides nothing: it shows the catalogue and the current choice and
//! reports what the visitor did as an [`Action`].
//!
//! Closing the dialog (its close button, Escape) reports [`Action::Dismiss`]
//! and grants nothing; the banner stays until a choice is made.

mod banner;
mod dialog;
mod dom;
mod placeholder;

use super::gate::Placeholders;
use super::page::{
    active_element, body, dispatch, document, get, get_string, later, listen, unlisten,
    warn as console_warn, window,
};
use crate::catalogue::{Catalogue, Service};
use crate::consent::Choice;
use dom::{el, focus, rendered, set_flag, warn, Tree};
use placeholder::Placeholder;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    CssStyleSheet, Document, Element, Event, EventTarget, HtmlDialogElement, HtmlInputElement,
};

/// The hosts' attribute that pins the palette (see ui.css).
const THEME: &str = "data-cookiegate-theme";

/// The dialog's return value for closes that report nothing themselves
/// (a choice button, `hide`); any other close reports `Dismiss`.
const QUIET: &str = "done";

/// What the visitor did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// "Accept all" (banner or dialog).
    AcceptAll,
    /// "Reject all" (banner or dialog).
    RejectAll,
    /// "Save choices" in the dialog: exactly the switches shown.
    Save(Choice),
    /// The dialog was closed (close button or Escape) without a choice.
    Dismiss,
    /// "Load this once" on the placeholder of this element.
    LoadOnce(Element),
    /// "Always allow <service>" on a placeholder: grant this service id.
    AllowService(String),
}

/// Everything the UI needs to render.
pub struct UiConfig {
    /// The checked catalogue.
    pub catalogue: Rc<Catalogue>,
    /// The resolved language (one of the catalogue's).
    pub lang: String,
    /// Whether the browser sends Global Privacy Control.
    pub gpc: bool,
    /// Called for every visitor action.
    pub on_action: Rc<dyn Fn(Action)>,
    /// The styles of every layer and of placeholders (ui.css), made once by
    /// the bootstrap, which styles its early banner with the same sheet.
    pub sheet: CssStyleSheet,
    /// The early banner's host, handed over by the bootstrap: the UI takes
    /// it over (`None`: it makes its own). Never looked up in the page,
    /// whose markup may carry the same attribute.
    pub host: Option<Element>,
}

/// An event handler callable from JavaScript (one may serve several
/// listeners). `Fn`, not `FnMut`: a handler that moves focus is re-entered
/// by the `focusin` it causes, which an `FnMut` closure refuses.
type Handler = Rc<Closure<dyn Fn(Event)>>;

fn handler(f: impl Fn(Event) + 'static) -> Handler {
    Rc::new(Closure::new(f))
}

/// An event listener that is removed when dropped.
pub(crate) struct Listener {
    target: EventTarget,
    kind: &'static str,
    capture: bool,
    f: Handler,
}

impl Listener {
    fn new(
        target: &EventTarget,
        kind: &'static str,
        capture: bool,
        f: &Handler,
    ) -> Result<Listener, JsValue> {
        listen(target, kind, f.as_ref().as_ref().unchecked_ref(), capture)?;
        Ok(Listener {
            target: target.clone(),
            kind,
            capture,
            f: f.clone(),
        })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        unlisten(
            &self.target,
            self.kind,
            self.f.as_ref().as_ref().unchecked_ref(),
            self.capture,
        );
    }
}

/// The mounted UI (a handle: clones share it).
#[derive(Clone)]
pub struct Ui {
    inner: Rc<Inner>,
}

struct Inner {
    config: UiConfig,
    doc: Document,
    host: Element,
    /// Everything of the main shadow root hangs from here.
    wrap: Element,
    status: Element,
    banner: Element,
    reopen: Element,
    /// The pinned palette, `light` or `dark` (`None`: the system's).
    theme: Cell<Option<&'static str>>,
    /// Whether the shell wants the re-open control (shown once the banner hides).
    reopen_wanted: Cell<bool>,
    /// The banner had focus when it hid: the re-open control takes it when
    /// it shows (else a keyboard user's focus is lost to `<body>`).
    focus_reopen: Cell<bool>,
    dialog: RefCell<Option<HtmlDialogElement>>,
    opener: RefCell<Option<Element>>,
    current: RefCell<Option<Choice>>,
    placeholders: RefCell<Vec<Placeholder>>,
    listeners: RefCell<Vec<Listener>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.wrap.remove();
        self.host.remove();
        banner::scroll_padding(None);
    }
}

impl Ui {
    /// Creates the shadow-root host (first child of `<body>`) and its styles,
    /// or takes over the early banner's (`config.host`).
    pub fn mount(mut config: UiConfig) -> Result<Ui, JsValue> {
        let doc = document().ok_or(JsValue::NULL)?;
        let body = body().ok_or(JsValue::NULL)?;
        let host = match config.host.take().filter(|h| h.shadow_root().is_some()) {
            Some(h) => h,
            None => {
                let h = el(&doc, "div", "")?;
                h.set_attribute("data-cookiegate", "root")?;
                h
            }
        };
        // First in the body: first in reading and tab order.
        if body.first_child().as_ref() != Some(host.as_ref()) {
            body.insert_before(&host, body.first_child().as_ref())?;
        }
        let shadow = dom::shadow(&host, &config.sheet)?;

        let wrap = el(&doc, "div", "cg")?;
        let mut tree = Tree::new(&doc);
        tree.open("div", "cg-sr")
            .attrs(&[("role", "status"), ("aria-atomic", "true")])
            .lang(&config.lang);
        let status = tree.finish()?;
        let banner = banner::build(&doc, &config)?;
        let reopen = reopen_button(&doc, &config)?;
        for layer in [&banner, &reopen, &status] {
            wrap.append_child(layer)?;
        }
        shadow.replace_children_with_node_1(&wrap);

        let inner = Rc::new(Inner {
            config,
            doc,
            host,
            wrap,
            status,
            banner,
            reopen,
            theme: Cell::new(None),
            reopen_wanted: Cell::new(false),
            focus_reopen: Cell::new(false),
            dialog: RefCell::new(None),
            opener: RefCell::new(None),
            current: RefCell::new(None),
            placeholders: RefCell::new(Vec::new()),
            listeners: RefCell::new(Vec::new()),
        });
        Inner::listen(&inner)?;
        Ok(Ui { inner })
    }

    /// Pins the palette: `light` or `dark` from the script tag's
    /// `data-theme`; `auto` (or none) follows the system. Anything else is
    /// said in the console and follows the system. Called once, before
    /// anything shows.
    pub fn set_theme(&self, theme: &str) {
        let i = &self.inner;
        let pinned = match theme.trim().to_ascii_lowercase().as_str() {
            "light" => Some("light"),
            "dark" => Some("dark"),
            "auto" | "" => None,
            _ => {
                console_warn("data-theme is not light, dark or auto; following the system");
                None
            }
        };
        i.theme.set(pinned);
        if let Some(t) = pinned {
            // Placeholders made from now on get it too (see `placeholder`).
            let _ = i.host.set_attribute(THEME, t);
        }
    }

    /// Shows the first layer. Never moves focus (no focus stealing on load).
    pub fn show_banner(&self) {
        let i = &self.inner;
        i.focus_reopen.set(false);
        set_flag(&i.reopen, "hidden", true);
        banner::place(&i.banner, false);
        set_flag(&i.banner, "hidden", false);
        banner::scroll_padding(Some(&i.banner));
    }

    /// Opens the preferences dialog showing `current` (all optional
    /// categories off when `None`); focus returns to `opener` on close.
    pub fn show_preferences(&self, current: Option<&Choice>, opener: Option<Element>) {
        self.inner.show_preferences(current, opener);
    }

    /// Hides banner and dialog. Focus inside the banner moves to the re-open
    /// control (now, or when it shows), never to a hidden element.
    pub fn hide(&self) {
        let i = &self.inner;
        i.close_dialog();
        let had_focus =
            !i.banner.has_attribute("hidden") && i.banner.matches(":focus-within").unwrap_or(false);
        set_flag(&i.banner, "hidden", true);
        banner::scroll_padding(None);
        i.focus_reopen.set(had_focus);
        if i.reopen_wanted.get() {
            i.reveal_reopen();
        }
    }

    /// Shows the small re-open control (after a choice); it stays hidden
    /// while the banner is shown.
    pub fn show_reopen(&self) {
        let i = &self.inner;
        i.reopen_wanted.set(true);
        if i.banner.has_attribute("hidden") {
            i.reveal_reopen();
        }
    }

    /// Announces a status message (role="status").
    pub fn announce(&self, text: &str) {
        // Emptied first so that the same message twice is announced twice.
        self.inner.status.set_text_content(None);
        self.inner.status.set_text_content(Some(text));
    }

    /// Tells the UI the current choice, for the re-open control and for
    /// `show_preferences` calls made from the dialog's own controls.
    pub fn set_current(&self, choice: Option<Choice>) {
        *self.inner.current.borrow_mut() = choice;
    }

    /// Puts an accessible placeholder in the place and size of a blocked
    /// element (an iframe) and returns it; one per element. Hiding the
    /// blocked element is the caller's job.
    pub fn placeholder(&self, blocked: &Element, service: &Service) -> Result<Element, JsValue> {
        let i = &self.inner;
        // Forget placeholders the page or the gate removed on their own.
        i.placeholders
            .borrow_mut()
            .retain(|p| p.host.is_connected());
        if let Some(p) = i
            .placeholders
            .borrow()
            .iter()
            .find(|p| p.blocked == *blocked)
        {
            return Ok(p.host.clone());
        }
        let on_action = i.config.on_action.clone();
        let target = blocked.clone();
        let id = service.id.clone();
        let listen = |root: &EventTarget| {
            let on_click = handler(move |ev| match hook(&ev, "button[data-cookiegate]") {
                Some((_, h)) if h == "load-once" => on_action(Action::LoadOnce(target.clone())),
                Some((_, h)) if h == "allow-service" => on_action(Action::AllowService(id.clone())),
                _ => {}
            });
            Listener::new(root, "click", false, &on_click)
        };
        let p = placeholder::insert(&i.doc, &i.config, blocked, service, listen)?;
        let host = p.host.clone();
        if let Some(t) = i.theme.get() {
            host.set_attribute(THEME, t)?;
        }
        i.placeholders.borrow_mut().push(p);
        Ok(host)
    }
}

impl Placeholders for Ui {
    fn show(&self, blocked: &Element, service: &Service) -> bool {
        self.placeholder(blocked, service).is_ok()
    }

    fn shown(&self, blocked: &Element) -> bool {
        let list = self.inner.placeholders.borrow();
        list.iter()
            .any(|p| p.blocked == *blocked && p.host.is_connected())
    }

    fn remove(&self, blocked: &Element) {
        let i = &self.inner;
        let found = {
            let mut list = i.placeholders.borrow_mut();
            list.iter()
                .position(|p| p.blocked == *blocked)
                .map(|at| list.remove(at))
        };
        if let Some(p) = found {
            p.remove();
        }
    }
}

/// The element matching `selector` around the event's target, and its
/// `data-cookiegate` hook.
fn hook(ev: &Event, selector: &str) -> Option<(Element, String)> {
    let target = ev.target()?.dyn_into::<Element>().ok()?;
    let hit = target.closest(selector).ok()??;
    let name = hit.get_attribute("data-cookiegate").unwrap_or_default();
    Some((hit, name))
}

/// The 44×44 re-open control with a cookie drawn in SVG.
fn reopen_button(doc: &Document, cfg: &UiConfig) -> Result<Element, JsValue> {
    let label = cfg
        .catalogue
        .text(&cfg.lang, crate::catalogue::TextKey::Reopen);
    let mut tree = Tree::new(doc);
    tree.open("button", "cg-reopen")
        .attrs(&[
            ("type", "button"),
            ("data-cookiegate", "reopen"),
            ("hidden", ""),
        ])
        .attr("aria-label", label)
        .attr("title", label)
        .lang(&cfg.lang)
        .open_svg("svg")
        .attrs(&[
            ("viewBox", "0 0 24 24"),
            ("aria-hidden", "true"),
            ("focusable", "false"),
        ]);
    // A cookie: round body with a bite, and three chips.
    for d in [
        "M21 12.5A9 9 0 1 1 11.5 3a3 3 0 0 0 3.5 3.5 3 3 0 0 0 3.5 3.5 3 3 0 0 0 2.5 2.5Z",
        "M8.5 9.5h.01M15.5 15h.01M9.5 15.5h.01M12 12h.01",
    ] {
        tree.open_svg("path").attr("d", d).close();
    }
    tree.finish()
}

/// What the UI does with one type of event.
type OnEvent = fn(&Rc<Inner>, Event);

/// Where the UI hears an event.
#[derive(Clone, Copy)]
enum At {
    Wrap,
    Document,
    Window,
}

/// Every event the UI handles, where, whether in the capture phase, and its
/// handler: each type once, so one listener dispatches on the type.
const EVENTS: [(At, &str, bool, OnEvent); 7] = [
    (At::Wrap, "click", false, Inner::on_click),
    (At::Wrap, "change", false, Inner::on_change),
    (At::Wrap, "keydown", false, Inner::on_keydown),
    // `cancel` and `close` do not bubble: listen in the capture phase.
    (At::Wrap, "cancel", true, Inner::on_cancel),
    (At::Wrap, "close", true, Inner::on_close),
    (At::Document, "focusin", false, Inner::on_focusin),
    (At::Window, "resize", false, Inner::on_resize),
];

impl Inner {
    /// Wires the delegated listeners: one handler, holding only a weak reference.
    fn listen(this: &Rc<Inner>) -> Result<(), JsValue> {
        let weak: Weak<Inner> = Rc::downgrade(this);
        let on_event = handler(move |ev: Event| {
            let (Some(i), Some(kind)) = (weak.upgrade(), get_string(&ev, "type")) else {
                return;
            };
            if let Some((.., on)) = EVENTS.iter().find(|(_, k, ..)| *k == kind) {
                on(&i, ev);
            }
        });
        let window = window();
        let mut all = Vec::with_capacity(EVENTS.len());
        for (at, kind, capture, _) in EVENTS {
            let target: &EventTarget = match (at, &window) {
                (At::Wrap, _) => this.wrap.as_ref(),
                (At::Document, _) => this.doc.as_ref(),
                (At::Window, Some(w)) => w.as_ref(),
                (At::Window, None) => continue,
            };
            all.push(Listener::new(target, kind, capture, &on_event)?);
        }
        *this.listeners.borrow_mut() = all;
        Ok(())
    }

    /// Unhides the re-open control; it takes focus if the banner had it.
    fn reveal_reopen(&self) {
        set_flag(&self.reopen, "hidden", false);
        if self.focus_reopen.replace(false) {
            focus(&self.reopen);
        }
    }

    fn emit(&self, action: Action) {
        (self.config.on_action)(action);
    }

    fn open_dialog(&self) -> Option<HtmlDialogElement> {
        self.dialog.borrow().as_ref().filter(|d| d.open()).cloned()
    }

    fn show_preferences(&self, current: Option<&Choice>, opener: Option<Element>) {
        let dialog = match dialog::build(&self.doc, &self.config, current) {
            Ok(d) => d,
            Err(e) => return warn("cannot build the preferences dialog", &e),
        };
        // Re-opening an open dialog rebuilds it: the page heard "shown" already.
        let was_open = self.open_dialog().is_some();
        // Out of the cell before it is removed: removing the dialog moves
        // focus out of it, and the page's `focusout` listener may call
        // `window.cookiegate`, which reads the cell again.
        let old = self.dialog.borrow_mut().take();
        if let Some(old) = old {
            // Removing an open modal dialog closes it without a `close` event.
            old.remove();
        }
        if opener.is_some() {
            *self.opener.borrow_mut() = opener;
        }
        if let Err(e) = self.wrap.append_child(&dialog) {
            return warn("cannot insert the preferences dialog", &e);
        }
        dialog.set_return_value("");
        // In the cell before the page hears of it: a `preferences-shown`
        // (or focus) listener that calls `hide()` finds it open and closes it.
        *self.dialog.borrow_mut() = Some(dialog.clone());
        if let Err(e) = dialog.show_modal() {
            return warn("cannot open the preferences dialog", &e);
        }
        // The heading, not Accept: focusing a choice would nudge.
        if let Ok(Some(title)) = dialog.query_selector("#cg-dialog-title") {
            focus(&title);
        }
        if !was_open {
            dispatch("cookiegate:preferences-shown", &JsValue::UNDEFINED);
        }
    }

    /// Closes the dialog without reporting anything.
    fn close_dialog(&self) {
        if let Some(d) = self.open_dialog() {
            d.close_with_return_value(QUIET);
        }
    }

    fn on_click(self: &Rc<Self>, ev: Event) {
        if let Some((toggle, _)) = hook(&ev, "[data-cookiegate-services]") {
            if let Some(d) = self.open_dialog() {
                dialog::disclose(&toggle, &d);
            }
            return;
        }
        let Some((button, name)) = hook(&ev, "button[data-cookiegate]") else {
            return;
        };
        let action = match name.as_str() {
            "accept-all" => Action::AcceptAll,
            "reject-all" => Action::RejectAll,
            "close" => Action::Dismiss,
            "save" => match self.open_dialog() {
                Some(d) => Action::Save(dialog::read(&d, &self.config.catalogue)),
                None => return,
            },
            "preferences" | "reopen" => {
                let current = self.current.borrow().clone();
                return self.show_preferences(current.as_ref(), Some(button));
            }
            _ => return,
        };
        if matches!(button.closest("dialog"), Ok(Some(_))) {
            self.close_dialog();
        }
        self.emit(action);
    }

    fn on_change(self: &Rc<Self>, ev: Event) {
        if let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        {
            dialog::on_change(&input);
        }
    }

    /// Escape: close without granting anything.
    fn on_cancel(self: &Rc<Self>, ev: Event) {
        ev.prevent_default();
        self.close_dialog();
        self.emit(Action::Dismiss);
    }

    fn on_close(self: &Rc<Self>, ev: Event) {
        let current = self.dialog.borrow().clone();
        let Some(d) = current.filter(|d| ev.target().as_ref() == Some(d.as_ref())) else {
            return;
        };
        // A close nobody reported (the browser's own Escape handling when it
        // skips `cancel`) still counts as a dismissal.
        if d.return_value() != QUIET {
            self.emit(Action::Dismiss);
        }
        dispatch("cookiegate:preferences-hidden", &JsValue::UNDEFINED);
        let opener = self.opener.borrow_mut().take();
        let fallback = || {
            let banner_button = self
                .banner
                .query_selector("[data-cookiegate=\"preferences\"]")
                .ok()?;
            banner_button.or_else(|| Some(self.reopen.clone()))
        };
        if let Some(target) = opener.filter(rendered).or_else(fallback).filter(rendered) {
            focus(&target);
        }
    }

    /// Keeps Tab and Shift+Tab inside the open dialog, wrapping around.
    fn on_keydown(self: &Rc<Self>, ev: Event) {
        // Read as properties: a page can dispatch a plain `Event` named keydown.
        if get_string(&ev, "key").as_deref() != Some("Tab") {
            return;
        }
        let Some(d) = self.open_dialog() else {
            return;
        };
        let Ok(list) = d.query_selector_all("button, input:not([disabled]), a[href]") else {
            return;
        };
        // `querySelectorAll` finds only elements. Only the ends matter: no list.
        let mut rendered_items = (0..list.length())
            .filter_map(|i| Some(list.item(i)?.unchecked_into::<Element>()))
            .filter(rendered);
        let Some(first) = rendered_items.next() else {
            return;
        };
        let last = rendered_items.next_back().unwrap_or_else(|| first.clone());
        let (first, last) = (&first, &last);
        let at = ev.target().and_then(|t| t.dyn_into::<Element>().ok());
        let at_start = at.as_ref().is_some_and(|a| {
            a == first || a.get_attribute("id").as_deref() == Some("cg-dialog-title")
        });
        let at_end = at.as_ref() == Some(last);
        let shift = get(&ev, "shiftKey").is_some_and(|v| v.is_truthy());
        let to = match (shift, at_start, at_end) {
            (true, true, _) => last,
            (false, _, true) => first,
            _ => return,
        };
        ev.prevent_default();
        focus(to);
    }

    fn on_focusin(self: &Rc<Self>, _ev: Event) {
        if self.banner.has_attribute("hidden") {
            return;
        }
        // After the browser's own scroll-into-view, which follows focusin
        // (one run-once timer, sharing the shell's timer shim).
        let weak = Rc::downgrade(self);
        later(0, move || {
            if let Some(i) = weak.upgrade() {
                i.check_focus();
            }
        });
    }

    fn on_resize(self: &Rc<Self>, _ev: Event) {
        if !self.banner.has_attribute("hidden") {
            banner::scroll_padding(Some(&self.banner));
        }
    }

    /// Moves the banner to the other edge when it covers the focused element.
    fn check_focus(&self) {
        if self.banner.has_attribute("hidden") {
            return;
        }
        let Some(active) = active_element() else {
            return;
        };
        if active != self.host && banner::uncover(&self.banner, &active) {
            banner::scroll_padding(Some(&self.banner));
        }
    }
}
