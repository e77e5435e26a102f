//! The started cookiegate on a page: the current consent record and what
//! happens on a choice, a restore, a reset or a change in another tab.

use super::beacon;
use super::cookies::{clear, clear_repeatedly};
use super::gate::Gate;
use super::google::Google;
use super::intercept::Intercept;
use super::page::{active_element, dispatch, info, later, now_ms, warn, window};
use super::store::Store;
use super::ui::{Action, Ui};
use crate::catalogue::{Catalogue, TextKey};
use crate::consent::{self, as_wishes, hex, plan, Choice, ConsentRecord, Effect, Method, Ran};
use js_sys::{Function, Reflect, Uint8Array};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

/// Everything a started page needs.
pub struct Shell {
    /// This shell, for work that runs later (it may be gone by then).
    pub(super) me: Weak<Shell>,
    pub(super) catalogue: Rc<Catalogue>,
    pub(super) lang: String,
    pub(super) gpc: bool,
    pub(super) store: Store,
    pub(super) gate: Rc<Gate>,
    /// What tags inject, when the bootstrap intercepts it.
    pub(super) intercept: Option<Rc<Intercept>>,
    pub(super) google: Google,
    pub(super) endpoint: Option<String>,
    pub(super) ui: Option<Ui>,
    pub(super) record: RefCell<Option<ConsentRecord>>,
    /// Counts the records put in force: effects still to carry out for an
    /// older one stop once a newer one is in force (a script the gate let
    /// in, or a page listener, may make a choice while one is applied).
    pub(super) generation: Cell<u32>,
}

/// 16 random bytes as 32 hex digits; `Math.random` only if `crypto` fails.
fn random_id() -> String {
    let bytes = Uint8Array::new_with_length(16);
    let filled = window()
        .and_then(|w| super::page::get(&w, "crypto"))
        .and_then(|c| {
            let f: Function = super::page::get(&c, "getRandomValues")?.dyn_into().ok()?;
            f.call1(&c, &bytes).ok()
        })
        .is_some();
    let mut raw = [0u8; 16];
    if filled {
        bytes.copy_to(&mut raw);
    } else {
        for b in raw.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    hex(&raw)
}

impl Shell {
    /// The current choice, if any.
    pub fn choice(&self) -> Option<Choice> {
        self.record.borrow().as_ref().map(|r| r.choice.clone())
    }

    /// The current record as the contract's plain object, or `null`.
    pub fn consent_object(&self) -> JsValue {
        let json = self.record.borrow().as_ref().map(ConsentRecord::to_json);
        json.and_then(|j| js_sys::JSON::parse(&j).ok())
            .unwrap_or(JsValue::NULL)
    }

    /// The current record changes here only, so the UI always opens the
    /// preferences with the stored state (withdrawing as easy as giving).
    fn set_record(&self, record: Option<ConsentRecord>) {
        if let Some(i) = &self.intercept {
            i.apply(record.as_ref().map(|r| &r.choice));
        }
        if let Some(ui) = &self.ui {
            ui.set_current(record.as_ref().map(|r| r.choice.clone()));
        }
        *self.record.borrow_mut() = record;
        self.generation.set(self.generation.get().wrapping_add(1));
    }

    fn text(&self, key: TextKey) -> &str {
        self.catalogue.text(&self.lang, key)
    }

    /// Reads the stored record at start-up and carries out the core's plan
    /// for it: restore it, or ask.
    pub fn start(&self) {
        let stored = self.store.read();
        let start = consent::start(&self.catalogue, stored.as_deref(), now_ms(), self.gpc);
        if start.record.is_some() {
            self.set_record(start.record.clone());
        }
        self.carry_out(start.effects, start.record.as_ref());
    }

    /// A choice made here: recorded, stored, applied, sent, confirmed.
    pub fn choose(&self, choice: Choice, method: Method) {
        let record = ConsentRecord {
            id: random_id(),
            timestamp_ms: now_ms(),
            revision: self.catalogue.revision,
            method,
            gpc: self.gpc,
            choice,
        };
        self.store.write(&record.to_stored_json(&self.catalogue));
        let before = self.choice();
        self.set_record(Some(record.clone()));
        let mine = self.generation.get();
        let reloading = self.change(before.as_ref(), Some(&record));
        // The record was made, so it is sent, even when a newer one
        // replaced it meanwhile; the UI is then the newer one's to set.
        if let Some(endpoint) = &self.endpoint {
            beacon::send(endpoint, &record.to_json());
        }
        if self.generation.get() != mine {
            return;
        }
        if let Some(ui) = &self.ui {
            ui.hide();
            ui.show_reopen();
            if !reloading {
                ui.announce(self.text(TextKey::Saved));
            }
        }
    }

    /// Carries out the core's plan for going from `before` to `after`.
    /// Returns whether the page is about to reload.
    fn change(&self, before: Option<&Choice>, after: Option<&ConsentRecord>) -> bool {
        let effects = plan(
            &self.catalogue,
            before,
            after.map(|r| &r.choice),
            &self.ran(),
        );
        self.carry_out(effects, after)
    }

    /// What has run on the page and cannot be unloaded.
    fn ran(&self) -> Vec<Ran> {
        let mut ran: Vec<Ran> = Vec::new();
        self.gate.ran(&mut ran);
        if let Some(i) = &self.intercept {
            i.ran(&mut ran);
        }
        ran
    }

    /// Carries out `effects` in their order, `after` being the record in
    /// force (if any). Returns whether the page is about to reload.
    fn carry_out(&self, effects: Vec<Effect>, after: Option<&ConsentRecord>) -> bool {
        let choice = after.map(|r| &r.choice);
        // Written once: the events below all carry the same record.
        let json = after.map(ConsentRecord::to_json);
        let record = json.as_deref().unwrap_or("null");
        let mut reloading = false;
        let generation = self.generation.get();
        for effect in effects {
            // A newer record came into force while this one was carried
            // out (inside the gate, a listener): its own plan, made from
            // this one, has done all that is left to do.
            if self.generation.get() != generation {
                break;
            }
            match effect {
                Effect::ConsentMode(signals) => self.google.update(&signals),
                Effect::Gate => self.gate.apply(choice),
                Effect::ConsentEvent => dispatch_json("cookiegate:consent", &[record]),
                Effect::Change(diff) => {
                    let parts = [
                        "{\"changed\":",
                        &diff.to_json(),
                        ",\"record\":",
                        record,
                        "}",
                    ];
                    dispatch_json("cookiegate:change", &parts);
                }
                Effect::Clear => {
                    let me = self.me.clone();
                    let current = move || me.upgrade().and_then(|s| s.choice());
                    clear_repeatedly(self.catalogue.clone(), Rc::new(current));
                }
                Effect::Reload => {
                    reloading = true;
                    self.reload(record);
                }
                Effect::AskAgain => {
                    if let Some(ui) = &self.ui {
                        ui.hide();
                        ui.show_banner();
                    }
                }
                Effect::ShowReopen => {
                    if let Some(ui) = &self.ui {
                        ui.show_reopen();
                    }
                }
                Effect::Hide => {
                    if let Some(ui) = &self.ui {
                        ui.hide();
                    }
                }
                Effect::ClearLeftovers => {
                    clear(&self.catalogue, &Choice::reject_all(&self.catalogue))
                }
                Effect::Discarded { why, suspicious } => {
                    let message = crate::text::concat(&[why.describe().as_str(), "; asking again"]);
                    if suspicious {
                        warn(&message)
                    } else {
                        info(&message)
                    }
                }
            }
        }
        reloading
    }

    /// Says why and reloads: scripts that ran cannot be unloaded. Soon:
    /// until the reload they may still send (Consent Mode already says
    /// denied); the pause only lets the live region reach screen readers.
    /// The page hears `cookiegate:reload` first (not cancellable: the
    /// withdrawal must take effect), with the current record's JSON or `null`.
    fn reload(&self, record: &str) {
        dispatch_json("cookiegate:reload", &["{\"record\":", record, "}"]);
        if let Some(ui) = &self.ui {
            ui.announce(self.text(TextKey::ReloadNotice));
        }
        later(150, || {
            if let Some(w) = window() {
                let _ = w.location().reload();
            }
        });
    }

    /// Forgets the choice here and everywhere it is stored.
    pub fn reset(&self) {
        self.store.remove();
        self.forget();
    }

    /// No choice any more: refuse everything optional, then reload if
    /// something had run, else ask again.
    fn forget(&self) {
        let before = self.choice();
        self.set_record(None);
        self.change(before.as_ref(), None);
    }

    /// The record changed in another tab: carries out the core's plan for
    /// following what is stored now.
    pub fn on_storage(&self) {
        let stored = self.store.read();
        let followed = consent::follow(
            &self.catalogue,
            self.record.borrow().as_ref(),
            stored.as_deref(),
            now_ms(),
            self.gpc,
            &self.ran(),
        );
        if let Some(f) = followed {
            self.set_record(f.record.clone());
            self.carry_out(f.effects, f.record.as_ref());
        }
    }

    /// Opens the preferences with the current choice; focus returns to `opener`.
    pub fn show_preferences(&self, opener: Option<Element>) {
        let opener = opener.or_else(active_element);
        if let Some(ui) = &self.ui {
            ui.show_preferences(self.choice().as_ref(), opener);
        }
    }

    /// What the visitor did in the UI.
    pub fn on_action(&self, action: Action) {
        let cat = &self.catalogue;
        match action {
            Action::AcceptAll => self.choose(Choice::accept_all(cat, self.gpc), Method::AcceptAll),
            Action::RejectAll => self.choose(Choice::reject_all(cat), Method::RejectAll),
            Action::Save(choice) => {
                // Re-normalised: the UI's switches never grant more than shown.
                let (cats, svcs) = (as_wishes(&choice.categories), as_wishes(&choice.services));
                self.choose(Choice::build(cat, &cats, &svcs), Method::Custom);
            }
            Action::Dismiss => {
                if self.record.borrow().is_none() {
                    if let Some(ui) = &self.ui {
                        ui.show_banner();
                    }
                }
            }
            Action::LoadOnce(el) => {
                if let Some(i) = &self.intercept {
                    i.let_through(&el);
                }
                self.gate.load_once(&el)
            }
            Action::AllowService(id) => {
                if let Some(choice) = Choice::allowing(cat, self.choice().as_ref(), &id) {
                    self.choose(choice, Method::Custom);
                }
            }
        }
    }
}

/// Dispatches `name` with the JSON object written by `parts` as detail.
fn dispatch_json(name: &str, parts: &[&str]) {
    if let Ok(detail) = js_sys::JSON::parse(&crate::text::concat(parts)) {
        dispatch(name, &detail);
    }
}

/// Whether the browser sends Global Privacy Control.
pub fn gpc() -> bool {
    window()
        .and_then(|w| Reflect::get(&w.navigator(), &"globalPrivacyControl".into()).ok())
        .is_some_and(|v| v == JsValue::TRUE)
}
