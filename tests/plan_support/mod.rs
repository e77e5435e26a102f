//! Shared by the planner's tests (plan, plan_start, plan_admit): the
//! default catalogue and the order of effects without their payloads.

#![allow(dead_code)] // each test file uses a different subset

use cookiegate::catalogue::{self, Catalogue};
use cookiegate::consent::Effect;
use std::sync::OnceLock;

/// policies/storefront.json, read as the browser reads it.
pub fn storefront() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        catalogue::load_strict(include_bytes!("../../policies/storefront.json"))
            .unwrap_or_else(|p| panic!("the default catalogue is valid: {p:?}"))
    })
}

/// The effects without their payloads, for the order.
pub fn kinds(effects: &[Effect]) -> Vec<&'static str> {
    effects
        .iter()
        .map(|e| match e {
            Effect::ConsentMode(_) => "consent-mode",
            Effect::Gate => "gate",
            Effect::ConsentEvent => "consent-event",
            Effect::Change(_) => "change",
            Effect::Clear => "clear",
            Effect::Reload => "reload",
            Effect::AskAgain => "ask-again",
            Effect::ShowReopen => "show-reopen",
            Effect::Hide => "hide",
            Effect::ClearLeftovers => "clear-leftovers",
            Effect::Discarded { .. } => "discarded",
        })
        .collect()
}
