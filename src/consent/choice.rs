//! A visitor's choice, always normalised against the current catalogue, and
//! what it allows.

use crate::catalogue::Catalogue;

/// What the visitor granted: every category and every service of the
/// catalogue, in catalogue order, each on or off.
///
/// Invariants kept by every constructor: required categories and their
/// services are on; a service is on only if its category is on; a category
/// with services is on exactly when at least one of them is.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Choice {
    /// `(category id, granted)` for every category.
    pub categories: Vec<(String, bool)>,
    /// `(service id, granted)` for every service.
    pub services: Vec<(String, bool)>,
}

/// What the gate should do with one marked element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The choice grants it: activate.
    Allow,
    /// Not granted (or no choice yet): keep it blocked.
    Block,
    /// The markup names a category the catalogue lacks: keep it blocked, warn.
    UnknownCategory,
    /// The markup names a service the catalogue lacks: keep it blocked, warn.
    UnknownService,
    /// The service exists but belongs to another category: keep it blocked, warn.
    ServiceNotInCategory,
}

impl Choice {
    /// Builds a normalised choice from whatever was asked: per-category wishes
    /// (a granted category grants its services unless a service wish says
    /// otherwise) and per-service wishes. Unknown ids are ignored.
    pub fn build(
        catalogue: &Catalogue,
        category_wishes: &[(&str, bool)],
        service_wishes: &[(&str, bool)],
    ) -> Choice {
        // Plain loops: each `map(..).collect()` is a generic body of its own.
        let mut services: Vec<(String, bool)> = Vec::with_capacity(catalogue.services.len());
        for s in &catalogue.services {
            let required = catalogue.category(&s.category).is_some_and(|c| c.required);
            let by_category = wish(category_wishes, &s.category).unwrap_or(false);
            let on = required || wish(service_wishes, &s.id).unwrap_or(by_category);
            services.push((s.id.clone(), on));
        }
        let mut categories = Vec::with_capacity(catalogue.categories.len());
        for c in &catalogue.categories {
            let (mut total, mut granted) = (0, 0);
            for s in catalogue.services_of(&c.id) {
                total += 1;
                granted += usize::from(services.iter().any(|(id, on)| *on && *id == s.id));
            }
            let on = if c.required {
                true
            } else if total > 0 {
                category_switch(granted, total).on
            } else {
                wish(category_wishes, &c.id).unwrap_or(false)
            };
            categories.push((c.id.clone(), on));
        }
        Choice {
            categories,
            services,
        }
    }

    /// "Accept all": everything, except categories that Global Privacy
    /// Control opts out of when the browser sends it.
    pub fn accept_all(catalogue: &Catalogue, gpc: bool) -> Choice {
        let mut wishes: Vec<(&str, bool)> = Vec::with_capacity(catalogue.categories.len());
        for c in &catalogue.categories {
            wishes.push((c.id.as_str(), !(gpc && c.gpc_opt_out)));
        }
        Choice::build(catalogue, &wishes, &[])
    }

    /// "Reject all": required categories only.
    pub fn reject_all(catalogue: &Catalogue) -> Choice {
        Choice::build(catalogue, &[], &[])
    }

    /// Exactly these categories (and all their services), plus required ones.
    pub fn only_categories(catalogue: &Catalogue, ids: &[&str]) -> Choice {
        let mut wishes: Vec<(&str, bool)> = Vec::with_capacity(ids.len());
        for id in ids {
            wishes.push((id, true));
        }
        Choice::build(catalogue, &wishes, &[])
    }

    /// Whether the category is granted (fully or in part).
    pub fn category(&self, id: &str) -> bool {
        granted(&self.categories, id)
    }

    /// Whether the whole category is granted: it is on and so is every one
    /// of its services (a visitor who switched one off did not grant it).
    pub fn whole_category(&self, catalogue: &Catalogue, id: &str) -> bool {
        self.category(id) && catalogue.services_of(id).all(|s| self.service(&s.id))
    }

    /// Whether the service is granted.
    pub fn service(&self, id: &str) -> bool {
        granted(&self.services, id)
    }

    /// "Always allow" on a placeholder: `current` (`None`: nothing granted
    /// yet) with `service` granted too, and so its category in part; the
    /// category's other services keep their state. `None` for an unknown
    /// service.
    pub fn allowing(
        catalogue: &Catalogue,
        current: Option<&Choice>,
        service: &str,
    ) -> Option<Choice> {
        let service = catalogue.service(service)?;
        let refused = Choice::reject_all(catalogue);
        let current = current.unwrap_or(&refused);
        // Each category's services are listed, so they win over the
        // category wish: only the one service is added.
        let mut categories = as_wishes(&current.categories);
        categories.push((service.category.as_str(), true));
        let mut services = as_wishes(&current.services);
        services.push((service.id.as_str(), true));
        Some(Choice::build(catalogue, &categories, &services))
    }

    /// Ids of the granted categories.
    pub fn granted_categories(&self) -> impl Iterator<Item = &str> {
        self.categories
            .iter()
            .filter(|(_, on)| *on)
            .map(|(k, _)| k.as_str())
    }
}

/// How a category with services stands, from how many of its `total`
/// services are `granted`: on when any is (what [`Choice::build`] grants,
/// and what the preferences switch shows), mixed when only some are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CategorySwitch {
    pub on: bool,
    pub mixed: bool,
}

pub fn category_switch(granted: usize, total: usize) -> CategorySwitch {
    CategorySwitch {
        on: granted > 0,
        mixed: granted > 0 && granted < total,
    }
}

/// Whether an element marked `data-category` / `data-service` may activate
/// under `choice` (`None`: no choice made yet, nothing optional may run):
/// with a service, when that service is granted; with only a category, when
/// the whole category is. Required categories run even before a choice.
pub fn decide(
    catalogue: &Catalogue,
    choice: Option<&Choice>,
    category: &str,
    service: Option<&str>,
) -> Decision {
    let Some(cat) = catalogue.category(category) else {
        return Decision::UnknownCategory;
    };
    if let Some(sid) = service {
        match catalogue.service(sid) {
            None => return Decision::UnknownService,
            Some(s) if s.category != cat.id => return Decision::ServiceNotInCategory,
            Some(_) => {}
        }
    }
    if cat.required {
        return Decision::Allow;
    }
    let Some(choice) = choice else {
        return Decision::Block;
    };
    let granted = match service {
        Some(sid) => choice.service(sid),
        None => choice.whole_category(catalogue, category),
    };
    if granted {
        Decision::Allow
    } else {
        Decision::Block
    }
}

/// Whether a `data-category="!id"` fallback may run: only while a stored
/// choice refuses that category, never before a choice.
pub fn decide_refused(catalogue: &Catalogue, choice: Option<&Choice>, category: &str) -> Decision {
    match (catalogue.category(category), choice) {
        (None, _) => Decision::UnknownCategory,
        (Some(_), None) => Decision::Block,
        (Some(_), Some(c)) if c.category(category) => Decision::Block,
        (Some(_), Some(_)) => Decision::Allow,
    }
}

/// Whether `list` has `id` on: one body for categories, services and changes.
pub(super) fn granted(list: &[(String, bool)], id: &str) -> bool {
    list.iter().any(|(k, on)| *on && k == id)
}

/// The last wish for `id` in `list` (the last of duplicate keys wins, as in
/// `JSON.parse`), if any.
pub(super) fn wish(list: &[(&str, bool)], id: &str) -> Option<bool> {
    list.iter().rev().find(|(k, _)| *k == id).map(|(_, v)| *v)
}

/// A choice's `(id, on)` pairs in the form [`Choice::build`] takes.
pub fn as_wishes(list: &[(String, bool)]) -> Vec<(&str, bool)> {
    let mut out = Vec::with_capacity(list.len());
    for (k, v) in list {
        out.push((k.as_str(), *v));
    }
    out
}
