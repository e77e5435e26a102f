//! Google Consent Mode v2: `consent update` commands and the GTM event.
//! Commands go through the bootstrap's `push`, which pushes the JavaScript
//! `arguments` object: gtag.js and GTM ignore plain arrays.

use super::page::{get, window};
use crate::catalogue::Signal;
use js_sys::{Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Where Consent Mode commands go.
pub struct Google {
    push: Option<Function>,
    /// The bootstrap's `event`: pushes `{event: 'consent_update'}`.
    event: Option<Function>,
}

impl Google {
    /// Uses the bootstrap's `push`, else the page's `gtag`.
    pub fn new(push: Option<JsValue>, event: Option<JsValue>) -> Google {
        let push = push
            .or_else(|| window().and_then(|w| get(&w, "gtag")))
            .and_then(|f| f.dyn_into::<Function>().ok());
        let event = event.and_then(|f| f.dyn_into::<Function>().ok());
        Google { push, event }
    }

    /// `gtag('consent', 'update', {…all seven…})`, then the
    /// `{event: 'consent_update'}` that GTM triggers wait for.
    pub fn update(&self, signals: &[(Signal, bool); 7]) {
        let state = Object::new();
        for (signal, granted) in signals {
            let value = if *granted { "granted" } else { "denied" };
            let _ = Reflect::set(&state, &signal.as_str().into(), &value.into());
        }
        if let Some(push) = &self.push {
            let _ = push.call3(&JsValue::NULL, &"consent".into(), &"update".into(), &state);
        }
        // The bootstrap pushes it, and keeps both for a `dataLayer` the
        // page assigns anew.
        if let Some(f) = &self.event {
            let _ = f.call0(&JsValue::NULL);
        }
    }
}
