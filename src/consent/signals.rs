//! Google Consent Mode v2: the state of all seven consent types for a choice.

use super::choice::Choice;
use crate::catalogue::{Catalogue, Signal};

/// Every Consent Mode type and whether it is granted. `security_storage` is
/// always granted. A type that services of the catalogue declare (their
/// `consent_mode`: the Google tags that read it) is granted when one of
/// those services is, so switching Google Analytics off denies
/// `analytics_storage` even while another analytics service stays on; any
/// other type when an accepted category maps to it. No choice (`None`)
/// denies everything else.
pub fn consent_mode(catalogue: &Catalogue, choice: Option<&Choice>) -> [(Signal, bool); 7] {
    Signal::ALL.map(|signal| {
        let granted = signal == Signal::SecurityStorage
            || choice.is_some_and(|choice| {
                let mut readers = catalogue
                    .services
                    .iter()
                    .filter(|s| s.consent_mode.contains(&signal))
                    .peekable();
                if readers.peek().is_some() {
                    return readers.any(|s| choice.service(&s.id));
                }
                catalogue
                    .categories
                    .iter()
                    .any(|c| choice.category(&c.id) && c.consent_mode.contains(&signal))
            });
        (signal, granted)
    })
}
