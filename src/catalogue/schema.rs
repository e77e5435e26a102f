//! The JSON Schema (draft 2020-12) of the catalogue, generated from the
//! same field tables the reader checks against, for editor completion and
//! tooltips. `cookiegate schema` prints it.

use super::fields::{Field, Need, Shape, Ty, CATALOGUE, MAX_GLOB_CHARS, MAX_STRING_CHARS};
use super::{Signal, TextKey};
use crate::json;

const SLUG_PATTERN: &str = "^[a-z][a-z0-9-]*$";
const LANGUAGE_TAG_PATTERN: &str = "^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$";
const HOST_LABEL: &str = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
const HTTPS_URL_PATTERN: &str =
    "^[hH][tT][tT][pP][sS]://[^\\s/?#@\\\\:]+(:[0-9]{1,5})?([/?#][^\\s\\\\]*)?$";
const LIFETIME_PATTERN: &str = "^(session|1 (minute|hour|day|month|year)|([2-9]|[1-9][0-9]+) (minutes|hours|days|months|years))$";
const INTEGRITY_PATTERN: &str =
    "^(sha256-[A-Za-z0-9+/]{43}=|sha384-[A-Za-z0-9+/]{64}|sha512-[A-Za-z0-9+/]{86}==)$";
const COOKIE_PATH_PATTERN: &str = "^/[^\\s;]*$";
/// At least one character that is not white space.
const TEXT_PATTERN: &str = "\\S";

fn host_pattern(leading_dot: bool) -> String {
    let dot = if leading_dot { "\\.?" } else { "" };
    format!("^{dot}({HOST_LABEL}\\.)+{HOST_LABEL}$")
}

fn url_prefix_pattern() -> String {
    format!("^({HOST_LABEL}\\.)+{HOST_LABEL}/[^\\s#]*$")
}

/// The catalogue's JSON Schema, pretty-printed, ending with a newline.
pub fn json_schema() -> String {
    let mut shapes = Vec::new();
    collect_shapes(&CATALOGUE, &mut shapes);
    let mut defs = shared_defs();
    for shape in shapes.iter().filter(|s| s.def != CATALOGUE.def) {
        defs.push((shape.def.to_string(), shape_schema(shape)));
    }
    let mut root = vec![
        pair(
            "$schema",
            text("https://json-schema.org/draft/2020-12/schema"),
        ),
        pair("title", text("cookiegate catalogue")),
    ];
    if let J::Object(members) = shape_schema(&CATALOGUE) {
        root.extend(members);
    }
    root.push(pair("$defs", J::Object(defs)));
    let mut out = String::new();
    write(&mut out, &J::Object(root), 0);
    out.push('\n');
    out
}

/// Every shape reachable from `shape`, each once, in discovery order.
fn collect_shapes(shape: &'static Shape, out: &mut Vec<&'static Shape>) {
    if out.iter().any(|s| std::ptr::eq(*s, shape)) {
        return;
    }
    out.push(shape);
    for field in shape.fields {
        let mut ty = &field.ty;
        while let Ty::List { of, .. } = ty {
            ty = of;
        }
        if let Ty::Object(inner) = ty {
            collect_shapes(inner, out);
        }
    }
}

fn shared_defs() -> Vec<(String, J)> {
    let string = |about: &str, extra: Vec<(String, J)>| {
        let mut members = vec![
            pair("type", text("string")),
            pair("description", text(about)),
        ];
        members.extend(extra);
        J::Object(members)
    };
    let pattern = |p: &str| pair("pattern", text(p));
    let text_keys = TextKey::ALL;
    let ui_texts = J::Object(vec![
        pair("type", text("object")),
        pair(
            "description",
            text("The banner's own words in one language; every key is required. {service} is replaced by the service's name."),
        ),
        pair(
            "properties",
            J::Object(
                text_keys
                    .iter()
                    .map(|k| {
                        let about = super::fields::text_key_about(*k);
                        (k.as_str().to_string(), reference("text", about))
                    })
                    .collect(),
            ),
        ),
        pair(
            "required",
            J::Array(text_keys.iter().map(|k| text(k.as_str())).collect()),
        ),
        pair("additionalProperties", J::Bool(false)),
    ]);
    vec![
        (
            "text".into(),
            string(
                "A non-empty text.",
                vec![
                    pair("minLength", J::Number(1)),
                    pair("maxLength", J::Number(MAX_STRING_CHARS as u64)),
                    pattern(TEXT_PATTERN),
                ],
            ),
        ),
        (
            "slug".into(),
            string(
                "An id: lower-case letters, digits and hyphens, starting with a letter.",
                vec![pattern(SLUG_PATTERN)],
            ),
        ),
        (
            "https_url".into(),
            string(
                "An absolute https: URL, without spaces or a user name.",
                vec![pattern(HTTPS_URL_PATTERN)],
            ),
        ),
        (
            "host".into(),
            string(
                "A bare, lower-case host name: no scheme, port, path or wildcard.",
                vec![
                    pattern(&host_pattern(false)),
                    pair("maxLength", J::Number(253)),
                ],
            ),
        ),
        (
            "url_prefix".into(),
            string(
                "A URL prefix without the scheme: a lower-case host name, then / and the start of a path, maybe with a query (\"www.googletagmanager.com/gtag/js?id=AW-\"). No port, user name or #fragment.",
                vec![pattern(&url_prefix_pattern())],
            ),
        ),
        (
            "cookie_domain".into(),
            string(
                "A cookie domain: a host name, optionally with a leading dot.",
                vec![
                    pattern(&host_pattern(true)),
                    pair("maxLength", J::Number(254)),
                ],
            ),
        ),
        (
            "cookie_path".into(),
            string(
                "A cookie path: starts with /.",
                vec![pattern(COOKIE_PATH_PATTERN)],
            ),
        ),
        (
            "language_tag".into(),
            string(
                "A language tag such as \"en\", \"de\" or \"pt-BR\".",
                vec![pattern(LANGUAGE_TAG_PATTERN)],
            ),
        ),
        (
            "lifetime".into(),
            string(
                "\"session\", or a number and a unit (singular with 1): \"30 minutes\", \"1 day\", \"13 months\", \"2 years\". At most 10 years.",
                vec![pattern(LIFETIME_PATTERN)],
            ),
        ),
        (
            "integrity".into(),
            string(
                "A Subresource Integrity hash: sha256-, sha384- or sha512- and the base64 digest.",
                vec![pattern(INTEGRITY_PATTERN)],
            ),
        ),
        (
            "consent_mode_type".into(),
            string(
                "A Google Consent Mode v2 consent type.",
                vec![pair(
                    "enum",
                    J::Array(Signal::ALL.iter().map(|s| text(s.as_str())).collect()),
                )],
            ),
        ),
        (
            "glob".into(),
            J::Object(vec![
                pair("type", text("string")),
                pair(
                    "description",
                    text("A name pattern: * stands for any run of characters, every other character for itself; at least one * and one other character."),
                ),
                pair("minLength", J::Number(2)),
                pair("maxLength", J::Number(MAX_GLOB_CHARS as u64)),
                pair(
                    "allOf",
                    J::Array(vec![
                        J::Object(vec![pattern("\\*")]),
                        J::Object(vec![pattern("[^*]")]),
                    ]),
                ),
            ]),
        ),
        (
            "localized".into(),
            J::Object(vec![
                pair("type", text("object")),
                pair("description", text("One text per declared language.")),
                pair("propertyNames", reference("language_tag", "")),
                pair("additionalProperties", reference("text", "")),
                pair("minProperties", J::Number(1)),
            ]),
        ),
        ("ui_texts".into(), ui_texts),
    ]
}

fn shape_schema(shape: &Shape) -> J {
    let properties = shape
        .fields
        .iter()
        .map(|f| (f.name.to_string(), field_schema(f)))
        .collect();
    let required: Vec<J> = shape
        .fields
        .iter()
        .filter(|f| f.need == Need::Required)
        .map(|f| text(f.name))
        .collect();
    let mut members = vec![
        pair("type", text("object")),
        pair("description", text(shape.about)),
        pair("properties", J::Object(properties)),
        pair("required", J::Array(required)),
        pair("additionalProperties", J::Bool(false)),
    ];
    // Each branch names its field in `properties` too: strict validators
    // (Ajv's strictRequired) want a required field defined where it is required.
    let one_of: Vec<J> = shape
        .one_of()
        .map(|name| {
            J::Object(vec![
                pair("required", J::Array(vec![text(name)])),
                pair("properties", J::Object(vec![pair(name, J::Bool(true))])),
            ])
        })
        .collect();
    if !one_of.is_empty() {
        members.push(pair("oneOf", J::Array(one_of)));
    }
    J::Object(members)
}

fn field_schema(field: &Field) -> J {
    let mut schema = ty_schema(&field.ty);
    if let J::Object(members) = &mut schema {
        members.insert(0, pair("description", text(field.about)));
    }
    schema
}

fn ty_schema(ty: &Ty) -> J {
    match ty {
        Ty::Text => reference("text", ""),
        Ty::Slug => reference("slug", ""),
        Ty::HttpsUrl => reference("https_url", ""),
        Ty::Host => reference("host", ""),
        Ty::UrlPrefix => reference("url_prefix", ""),
        Ty::CookieDomain => reference("cookie_domain", ""),
        Ty::CookiePath => J::Object(vec![
            pair("$ref", text("#/$defs/cookie_path")),
            pair("default", text("/")),
        ]),
        Ty::LanguageTag => reference("language_tag", ""),
        Ty::Lifetime => reference("lifetime", ""),
        Ty::Integrity => reference("integrity", ""),
        Ty::Glob => reference("glob", ""),
        Ty::Integer {
            min, max, default, ..
        } => {
            let mut members = vec![
                pair("type", text("integer")),
                pair("minimum", J::Number(*min)),
                pair("maximum", J::Number(*max)),
            ];
            if let Some(default) = default {
                members.push(pair("default", J::Number(*default)));
            }
            J::Object(members)
        }
        Ty::Bool => J::Object(vec![
            pair("type", text("boolean")),
            pair("default", J::Bool(false)),
        ]),
        Ty::Choice(options) => J::Object(vec![
            pair("type", text("string")),
            pair("enum", J::Array(options.iter().map(|o| text(o)).collect())),
        ]),
        Ty::Signal => reference("consent_mode_type", ""),
        Ty::Localized => reference("localized", ""),
        Ty::Translatable => J::Object(vec![pair(
            "anyOf",
            J::Array(vec![reference("text", ""), reference("localized", "")]),
        )]),
        Ty::TextsByLanguage => J::Object(vec![
            pair("type", text("object")),
            pair("propertyNames", reference("language_tag", "")),
            pair("additionalProperties", reference("ui_texts", "")),
            pair("minProperties", J::Number(1)),
        ]),
        Ty::List {
            of,
            min,
            max,
            unique,
        } => {
            let mut members = vec![pair("type", text("array")), pair("items", ty_schema(of))];
            if *min > 0 {
                members.push(pair("minItems", J::Number(*min as u64)));
            }
            members.push(pair("maxItems", J::Number(*max as u64)));
            if *unique {
                members.push(pair("uniqueItems", J::Bool(true)));
            }
            J::Object(members)
        }
        Ty::Object(shape) => reference(shape.def, ""),
    }
}

/// A JSON value to print; objects keep their members in insertion order so
/// the output is deterministic.
enum J {
    String(String),
    Number(u64),
    Bool(bool),
    Array(Vec<J>),
    Object(Vec<(String, J)>),
}

fn text(s: &str) -> J {
    J::String(s.to_string())
}

fn pair(key: &str, value: J) -> (String, J) {
    (key.to_string(), value)
}

/// `{"$ref": "#/$defs/NAME"}`, with a description when `about` is not empty.
fn reference(def: &str, about: &str) -> J {
    let mut members = vec![pair("$ref", J::String(format!("#/$defs/{def}")))];
    if !about.is_empty() {
        members.insert(0, pair("description", text(about)));
    }
    J::Object(members)
}

/// Pretty-prints like `serde_json::to_string_pretty`: two-space indents.
fn write(out: &mut String, value: &J, depth: usize) {
    let indent = |out: &mut String, depth: usize| out.push_str(&"  ".repeat(depth));
    match value {
        J::String(s) => json::write_str(out, s),
        J::Number(n) => out.push_str(&n.to_string()),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Array(items) if items.is_empty() => out.push_str("[]"),
        J::Object(members) if members.is_empty() => out.push_str("{}"),
        J::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                indent(out, depth + 1);
                write(out, item, depth + 1);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            indent(out, depth);
            out.push(']');
        }
        J::Object(members) => {
            out.push_str("{\n");
            for (i, (key, item)) in members.iter().enumerate() {
                indent(out, depth + 1);
                json::write_str(out, key);
                out.push_str(": ");
                write(out, item, depth + 1);
                out.push_str(if i + 1 < members.len() { ",\n" } else { "\n" });
            }
            indent(out, depth);
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::syntax;
    use super::*;
    use regex_lite::Regex;

    /// The schema's patterns accept exactly what the reader accepts, on samples.
    fn agrees(pattern: &str, rule: impl Fn(&str) -> bool, samples: &[&str]) {
        let re = Regex::new(pattern);
        for s in samples {
            assert_eq!(
                re.as_ref().ok().map(|re| re.is_match(s)),
                Some(rule(s)),
                "pattern {pattern} vs reader on {s:?}"
            );
        }
    }

    #[test]
    fn patterns_agree_with_the_reader() {
        agrees(
            LIFETIME_PATTERN,
            |s| syntax::lifetime(s).is_ok(),
            &[
                "session",
                "1 day",
                "2 days",
                "1 days",
                "2 day",
                "0 days",
                "01 days",
                "13 months",
                "10 years",
                "30 minutes",
                "Session",
                "2 weeks",
            ],
        );
        agrees(
            SLUG_PATTERN,
            |s| syntax::slug(s).is_ok(),
            &["a", "analytics", "a-2", "2a", "A", "a_b", "", "-a"],
        );
        agrees(
            LANGUAGE_TAG_PATTERN,
            |s| syntax::language_tag(s).is_ok(),
            &[
                "en",
                "pt-BR",
                "zh-Hant-TW",
                "e",
                "english",
                "pt_BR",
                "en-",
                "de-1",
            ],
        );
        agrees(
            &host_pattern(false),
            |s| syntax::host(s).is_ok(),
            &[
                "a.b",
                "www.google-analytics.com",
                "localhost",
                "X.com",
                "a..b",
                "-a.b",
                "a-.b",
                "*.a.b",
                "a.b:1",
                "a.b/",
            ],
        );
        agrees(
            &host_pattern(true),
            |s| syntax::cookie_domain(s).is_ok(),
            &[".facebook.com", "facebook.com", "..a.b", ".a"],
        );
        agrees(
            COOKIE_PATH_PATTERN,
            |s| syntax::cookie_path(s).is_ok(),
            &["/", "/shop", "shop", "/a b", "/a;b"],
        );
        let sha384 = format!("sha384-{}", "A".repeat(64));
        let short = format!("sha384-{}", "A".repeat(63));
        agrees(
            INTEGRITY_PATTERN,
            |s| syntax::integrity(s).is_ok(),
            &[&sha384, &short, "md5-x", "sha384-"],
        );
        agrees(
            HTTPS_URL_PATTERN,
            |s| syntax::https_url(s).is_ok(),
            &[
                "https://a.b/c?d#e",
                "https://a.b:8443",
                "http://a.b",
                "//a.b",
                "https://u@a.b",
                "https://a.b/ c",
                "javascript:x",
                "https://a.b\\c",
            ],
        );
    }

    #[test]
    fn is_deterministic_and_names_every_text_key() {
        let schema = json_schema();
        assert_eq!(schema, json_schema());
        for key in TextKey::ALL {
            assert!(schema.contains(&format!("\"{}\"", key.as_str())), "{key:?}");
        }
    }
}
