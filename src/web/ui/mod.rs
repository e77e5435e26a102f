//! The consent UI: first-layer banner, preferences dialog, re-open control,
//! iframe placeholders and status messages, inside an open shadow root.
//!
//! The UI decides nothing: it shows the catalogue and the current choice and
//! reports what the visitor did as an [`Action`].

use crate::catalogue::{Catalogue, Service};
use crate::consent::Choice;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::Element;

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
}

/// The mounted UI.
pub struct Ui {
    #[allow(dead_code)]
    config: UiConfig,
}

impl Ui {
    /// Creates the shadow-root host (first child of `<body>`) and its styles.
    /// Idempotent per document: a second call reuses the existing host.
    pub fn mount(config: UiConfig) -> Result<Ui, JsValue> {
        Ok(Ui { config })
    }

    /// Shows the first layer.
    pub fn show_banner(&self) {}

    /// Opens the preferences dialog showing `current` (all optional
    /// categories off when `None`); focus returns to `opener` on close.
    pub fn show_preferences(&self, _current: Option<&Choice>, _opener: Option<Element>) {}

    /// Hides banner and dialog.
    pub fn hide(&self) {}

    /// Shows the small re-open control (after a choice).
    pub fn show_reopen(&self) {}

    /// Announces a status message (role="status").
    pub fn announce(&self, _text: &str) {}

    /// Puts an accessible placeholder in the place and size of a blocked
    /// element (an iframe) and returns it.
    pub fn placeholder(&self, _blocked: &Element, _service: &Service) -> Result<Element, JsValue> {
        Err(JsValue::from_str("not written yet"))
    }
}
