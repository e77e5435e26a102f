//! The consent beacon: each choice's record, sent to the shop's endpoint
//! with `navigator.sendBeacon` as proof of consent.

use super::page::{object, warn, window};
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;

/// Sends `record_json` to `endpoint` (already checked loadable); a browser
/// without `sendBeacon`, or one that refuses, gets one warning.
pub fn send(endpoint: &str, record_json: &str) {
    let blob = {
        let options = object(&[("type", &JsValue::from_str("application/json"))]);
        Blob::new_with_str_sequence_and_options(
            &Array::of1(&JsValue::from_str(record_json)),
            options.unchecked_ref(),
        )
    };
    let sent = match (window(), blob) {
        (Some(w), Ok(blob)) => w
            .navigator()
            .send_beacon_with_opt_blob(endpoint, Some(&blob)),
        _ => Ok(false),
    };
    if !matches!(sent, Ok(true)) {
        warn("the consent record could not be sent to data-consent-endpoint");
    }
}
