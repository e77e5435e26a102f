//! What a new choice changed against the one it replaces: the categories
//! and services whose granted state differs (the `cookiegate:change` event).

use super::choice::{granted, Choice};
use crate::json;

/// Ids whose granted state differs between two choices, in catalogue order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changed {
    /// Category ids granted in one choice and not in the other.
    pub categories: Vec<String>,
    /// Service ids granted in one choice and not in the other.
    pub services: Vec<String>,
}

impl Changed {
    /// Whether nothing changed (the same choice made again).
    pub fn is_empty(&self) -> bool {
        self.categories.is_empty() && self.services.is_empty()
    }

    /// `{"categories":[…],"services":[…]}`, the event's `changed`.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(64);
        out.push_str("{\"categories\":[");
        list(&mut out, &self.categories);
        out.push_str("],\"services\":[");
        list(&mut out, &self.services);
        out.push_str("]}");
        out
    }
}

fn list(out: &mut String, ids: &[String]) {
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json::write_str(out, id);
    }
}

/// What changed from `before` to `after`. An id missing from one of them
/// counts as refused there; ids of `after` come first, in its order, then
/// those only `before` knows.
pub fn changed(before: &Choice, after: &Choice) -> Changed {
    Changed {
        categories: differing(&before.categories, &after.categories),
        services: differing(&before.services, &after.services),
    }
}

fn differing(before: &[(String, bool)], after: &[(String, bool)]) -> Vec<String> {
    let only_before = before
        .iter()
        .filter(|(id, _)| !after.iter().any(|(k, _)| k == id));
    let mut out: Vec<String> = Vec::new();
    for (id, _) in after.iter().chain(only_before) {
        if granted(before, id) != granted(after, id) && !out.contains(id) {
            out.push(id.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(categories: &[(&str, bool)], services: &[(&str, bool)]) -> Choice {
        let own = |l: &[(&str, bool)]| l.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        Choice {
            categories: own(categories),
            services: own(services),
        }
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_same_choice_changes_nothing() {
        let c = choice(&[("necessary", true), ("analytics", true)], &[("ga", true)]);
        assert!(changed(&c, &c).is_empty());
    }

    #[test]
    fn a_withdrawal_names_the_category_and_its_services() {
        let before = choice(
            &[
                ("necessary", true),
                ("analytics", true),
                ("marketing", false),
            ],
            &[("ga", true), ("yandex", true), ("ads", false)],
        );
        let after = choice(
            &[
                ("necessary", true),
                ("analytics", false),
                ("marketing", false),
            ],
            &[("ga", false), ("yandex", false), ("ads", false)],
        );
        let c = changed(&before, &after);
        assert_eq!(c.categories, ids(&["analytics"]));
        assert_eq!(c.services, ids(&["ga", "yandex"]));
    }

    #[test]
    fn grants_and_withdrawals_both_count_in_catalogue_order() {
        let before = choice(
            &[("analytics", true), ("marketing", false), ("social", true)],
            &[("ga", true), ("ads", false), ("youtube", true)],
        );
        let after = choice(
            &[("analytics", false), ("marketing", true), ("social", true)],
            &[("ga", false), ("ads", true), ("youtube", true)],
        );
        let c = changed(&before, &after);
        assert_eq!(c.categories, ids(&["analytics", "marketing"]));
        assert_eq!(c.services, ids(&["ga", "ads"]));
    }

    #[test]
    fn one_service_off_in_a_category_that_stays_on() {
        let before = choice(&[("analytics", true)], &[("ga", true), ("yandex", true)]);
        let after = choice(&[("analytics", true)], &[("ga", true), ("yandex", false)]);
        let c = changed(&before, &after);
        assert!(c.categories.is_empty(), "{c:?}");
        assert_eq!(c.services, ids(&["yandex"]));
    }

    #[test]
    fn an_id_only_one_side_knows_counts_as_refused_on_the_other() {
        let before = choice(&[("old", true), ("gone-off", false)], &[("legacy", true)]);
        let after = choice(&[("new", true), ("fresh-off", false)], &[]);
        let c = changed(&before, &after);
        assert_eq!(c.categories, ids(&["new", "old"]));
        assert_eq!(c.services, ids(&["legacy"]));
    }

    #[test]
    fn a_repeated_id_is_named_once() {
        let before = choice(&[("analytics", true)], &[]);
        let after = choice(&[("analytics", false), ("analytics", false)], &[]);
        assert_eq!(changed(&before, &after).categories, ids(&["analytics"]));
    }

    #[test]
    fn accept_all_then_reject_all_names_every_optional_id_of_the_default_catalogue(
    ) -> Result<(), String> {
        let cat = crate::catalogue::load_strict(include_bytes!("../../policies/storefront.json"))
            .map_err(|p| format!("{p:?}"))?;
        let c = changed(&Choice::accept_all(&cat, false), &Choice::reject_all(&cat));
        let optional: Vec<String> = cat
            .categories
            .iter()
            .filter(|c| !c.required)
            .map(|c| c.id.clone())
            .collect();
        assert_eq!(c.categories, optional);
        assert!(
            c.services.contains(&"google-analytics".to_string()),
            "{c:?}"
        );
        assert!(
            !c.services.contains(&"cookiegate".to_string()),
            "required stays on"
        );
        // With GPC, "Accept all" leaves marketing off: it is no change then.
        let gpc = changed(&Choice::accept_all(&cat, true), &Choice::reject_all(&cat));
        assert!(
            !gpc.categories.contains(&"marketing".to_string()),
            "{gpc:?}"
        );
        Ok(())
    }

    #[test]
    fn to_json_lists_both_kinds_as_json_arrays() {
        let c = Changed {
            categories: ids(&["analytics"]),
            services: ids(&["google-analytics", "odd \"id\""]),
        };
        assert_eq!(
            c.to_json(),
            r#"{"categories":["analytics"],"services":["google-analytics","odd \"id\""]}"#
        );
        assert_eq!(
            Changed::default().to_json(),
            r#"{"categories":[],"services":[]}"#
        );
    }

    #[test]
    fn is_empty_only_when_both_lists_are() {
        let only_service = Changed {
            categories: vec![],
            services: ids(&["ga"]),
        };
        assert!(!only_service.is_empty());
        assert!(Changed::default().is_empty());
    }
}
