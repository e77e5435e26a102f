//! The JSON Schema editors use: checked in, current, and well-formed.
// The schema is generated natively only.
#![cfg(not(target_arch = "wasm32"))]

use cookiegate::catalogue::{json_schema, Signal, TextKey};
use serde_json::Value;

const CHECKED_IN: &str = include_str!("../policies/catalogue.schema.json");

fn schema() -> Value {
    serde_json::from_str(&json_schema()).expect("the schema is valid JSON")
}

#[test]
fn checked_in_schema_is_current() {
    assert!(
        CHECKED_IN == json_schema(),
        "policies/catalogue.schema.json is stale; regenerate it with\n  \
         cargo run --bin cookiegate -- schema > policies/catalogue.schema.json"
    );
}

#[test]
fn is_draft_2020_12_and_closed() {
    let s = schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(s["additionalProperties"], false);
    let required: Vec<&str> = s["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        required,
        [
            "revision",
            "policy_url",
            "languages",
            "texts",
            "categories",
            "services"
        ]
    );
    for (name, def) in s["$defs"].as_object().unwrap() {
        if def["type"] == "object" && def.get("properties").is_some() {
            assert_eq!(def["additionalProperties"], false, "$defs/{name}");
        }
    }
}

#[test]
fn every_reference_resolves() {
    fn walk(v: &Value, defs: &serde_json::Map<String, Value>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    let name = r.strip_prefix("#/$defs/").expect("local reference");
                    assert!(defs.contains_key(name), "{r} is not defined");
                }
                m.values().for_each(|v| walk(v, defs));
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, defs)),
            _ => {}
        }
    }
    let s = schema();
    walk(&s, s["$defs"].as_object().unwrap());
}

#[test]
fn lists_every_consent_mode_type_and_text_key() {
    let s = schema();
    let signals: Vec<&str> = s["$defs"]["consent_mode_type"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(signals, Signal::ALL.map(Signal::as_str));
    let texts = &s["$defs"]["ui_texts"];
    let required: Vec<&str> = texts["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(required, TextKey::ALL.map(TextKey::as_str));
    for key in TextKey::ALL {
        assert!(
            texts["properties"][key.as_str()]["description"].is_string(),
            "{key:?}"
        );
    }
}

#[test]
fn cookies_and_storage_keys_take_exactly_one_matcher() {
    let s = schema();
    for def in ["cookie", "storage_key"] {
        let one_of = &s["$defs"][def]["oneOf"];
        assert_eq!(
            one_of,
            &serde_json::json!([
                {"required": ["name"], "properties": {"name": true}},
                {"required": ["prefix"], "properties": {"prefix": true}},
                {"required": ["glob"], "properties": {"glob": true}}
            ]),
            "{def}"
        );
    }
    assert_eq!(
        s["$defs"]["cookie"]["properties"]["party"]["enum"],
        serde_json::json!(["first", "third"])
    );
    assert_eq!(
        s["$defs"]["storage_key"]["properties"]["kind"]["enum"],
        serde_json::json!(["local", "session"])
    );
}

#[test]
fn every_field_has_a_description_for_tooltips() {
    let s = schema();
    let mut objects = vec![&s];
    objects.extend(s["$defs"].as_object().unwrap().values());
    for object in objects {
        for (name, field) in object["properties"].as_object().into_iter().flatten() {
            assert!(
                field["description"].is_string(),
                "{name} has no description"
            );
        }
    }
}

#[test]
fn globs_need_a_star_and_names_may_be_translated() {
    let s = schema();
    let glob = &s["$defs"]["glob"];
    assert_eq!(glob["maxLength"], 200);
    assert_eq!(
        glob["allOf"],
        serde_json::json!([{"pattern": "\\*"}, {"pattern": "[^*]"}])
    );
    for field in ["name", "provider", "third_country"] {
        assert_eq!(
            s["$defs"]["service"]["properties"][field]["anyOf"],
            serde_json::json!([{"$ref": "#/$defs/text"}, {"$ref": "#/$defs/localized"}]),
            "{field}"
        );
    }
    assert!(s["$defs"]["cookie"]["properties"].get("regex").is_none());
}
