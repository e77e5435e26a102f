//! What the browser loads, made from the catalogue editors write: the same
//! data without the editors' `notes` and `$schema`, without white space,
//! once with every language and once per language with only that
//! language's texts. Which values are texts by language comes from the
//! field tables, so a new field needs nothing here. Native only
//! (`cookiegate bundle`).

use super::fields::{Shape, Ty, CATALOGUE};
use super::{Catalogue, Problem};
use crate::json::{self, Kind, Member, Value};

/// The runtime catalogues of one source catalogue.
#[derive(Debug)]
pub struct Bundle {
    /// The catalogue that was checked.
    pub catalogue: Catalogue,
    /// Every language (`catalogue.json`).
    pub all: String,
    /// `(language, catalogue)` for each declared language, in order
    /// (`catalogue.<language>.json`).
    pub by_language: Vec<(String, String)>,
}

/// Checks `bytes` as [`super::load`] does and, when the catalogue is valid,
/// writes its runtime forms.
pub fn bundle(bytes: &[u8]) -> Result<Bundle, Vec<Problem>> {
    let document = super::parse(bytes).map_err(|p| vec![p])?;
    let catalogue = super::read::read(&document)?;
    let all = compact(&runtime(&document, &CATALOGUE, None, true));
    let by_language = catalogue
        .languages
        .iter()
        .map(|lang| {
            let one = runtime(&document, &CATALOGUE, Some(lang), true);
            (lang.clone(), compact(&one))
        })
        .collect();
    Ok(Bundle {
        catalogue,
        all,
        by_language,
    })
}

fn compact(v: &Value) -> String {
    let mut out = String::new();
    json::write_compact(&mut out, v);
    out
}

/// `v` (an object of `shape`) as the browser needs it: without editors'
/// fields at the top, and with only `lang`'s texts when one is given.
fn runtime(v: &Value, shape: &'static Shape, lang: Option<&str>, top: bool) -> Value {
    let Kind::Object(members) = &v.kind else {
        return v.clone();
    };
    let kept = members
        .iter()
        .filter(|m| !(top && EDITORS_ONLY.contains(&m.key.as_str())))
        .map(|m| Member {
            value: match shape.field(&m.key) {
                Some(field) => runtime_field(&m.value, &field.ty, lang),
                None => m.value.clone(),
            },
            ..m.clone()
        })
        .collect();
    Value {
        kind: Kind::Object(kept),
        pos: v.pos,
    }
}

/// Top-level fields the browser never reads.
const EDITORS_ONLY: &[&str] = &["notes", "$schema"];

fn runtime_field(v: &Value, ty: &'static Ty, lang: Option<&str>) -> Value {
    match (ty, lang) {
        (Ty::Object(shape), _) => runtime(v, shape, lang, false),
        (Ty::List { of, .. }, _) => {
            let Kind::Array(items) = &v.kind else {
                return v.clone();
            };
            let items = items
                .iter()
                .filter(|item| match (of, lang) {
                    (Ty::LanguageTag, Some(lang)) => item.as_str() == Some(lang),
                    _ => true,
                })
                .map(|item| runtime_field(item, of, lang))
                .collect();
            Value {
                kind: Kind::Array(items),
                pos: v.pos,
            }
        }
        (Ty::Localized | Ty::Translatable | Ty::TextsByLanguage, Some(lang)) => {
            let Kind::Object(members) = &v.kind else {
                return v.clone();
            };
            let kept = members.iter().filter(|m| m.key == lang).cloned().collect();
            Value {
                kind: Kind::Object(kept),
                pos: v.pos,
            }
        }
        _ => v.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = include_str!("../../tests/fixtures/valid.json");

    #[test]
    fn every_runtime_catalogue_loads_as_the_source_does() -> Result<(), String> {
        let b = bundle(VALID.as_bytes()).map_err(|p| format!("{p:?}"))?;
        let all = super::super::load(b.all.as_bytes()).map_err(|p| format!("{p:?}"))?;
        assert_eq!(all, b.catalogue);
        assert!(!b.all.contains("\"notes\"") && !b.all.contains("$schema"));
        assert!(!b.all.contains('\n'));
        assert_eq!(b.by_language.len(), 2);
        for (lang, text) in &b.by_language {
            let one = super::super::load(text.as_bytes()).map_err(|p| format!("{lang}: {p:?}"))?;
            assert_eq!(one.languages, std::slice::from_ref(lang));
            assert_eq!(one.services.len(), b.catalogue.services.len());
            let other = if lang == "en" { "\"de\"" } else { "\"en\"" };
            assert!(!text.contains(other), "{lang} holds {other}: {text}");
            let ga = one
                .service("google-analytics")
                .map(|s| s.purpose.pick(lang, lang));
            let source = b
                .catalogue
                .service("google-analytics")
                .map(|s| s.purpose.pick(lang, "en"));
            assert_eq!(ga, source);
        }
        Ok(())
    }
}
