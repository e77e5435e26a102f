//! Google Consent Mode v2: the state of all seven consent types for a choice.

use super::choice::Choice;
use crate::catalogue::{Catalogue, Signal};

/// Every Consent Mode type and whether it is granted. `security_storage` is
/// always granted; the others are granted when an accepted category maps to
/// them. No choice (`None`) denies everything else.
pub fn consent_mode(catalogue: &Catalogue, choice: Option<&Choice>) -> [(Signal, bool); 7] {
    Signal::ALL.map(|signal| {
        let granted = signal == Signal::SecurityStorage
            || choice.is_some_and(|choice| {
                catalogue
                    .categories
                    .iter()
                    .any(|c| choice.category(&c.id) && c.consent_mode.contains(&signal))
            });
        (signal, granted)
    })
}
