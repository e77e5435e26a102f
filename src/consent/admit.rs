//! What the gate does with one held element under the choice in force:
//! let it in, keep holding it (behind a placeholder when it is a frame of a
//! known service), or refuse it for good. [`judge`] stays the trust and
//! choice rule; this adds what the visitor sees of a held frame.

use super::choice::Choice;
use super::trust::{judge, script_type_allowed, Held, PageTrust, Refusal, Verdict};
use crate::catalogue::{Catalogue, Service};

/// One held element's fate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Admit<'c> {
    /// Let it in (in document order, with the others queued).
    Activate,
    /// Keep it held as it is.
    Hold,
    /// Keep it held behind a placeholder that names this service and
    /// offers to allow it or load it once.
    Placeholder(&'c Service),
    /// Never let it in, whatever the choice; the console says why, once.
    Refuse(Refusal),
}

/// The service whose placeholder stands for a blocked element (`service`:
/// its `data-service`): only a frame (`frame`: an `<iframe>`) naming a
/// service the catalogue has gets one.
pub fn placeholder<'c>(
    catalogue: &'c Catalogue,
    service: Option<&str>,
    frame: bool,
) -> Option<&'c Service> {
    service.filter(|_| frame).and_then(|s| catalogue.service(s))
}

/// What the gate does with `held` under `choice` (`None`: no choice yet).
pub fn admit<'c>(
    catalogue: &'c Catalogue,
    choice: Option<&Choice>,
    page: PageTrust<'_>,
    held: &Held<'_>,
    frame: bool,
) -> Admit<'c> {
    match judge(catalogue, choice, page, held) {
        Verdict::Run => Admit::Activate,
        Verdict::Refuse(why) => Admit::Refuse(why),
        Verdict::Hold => {
            placeholder(catalogue, held.service, frame).map_or(Admit::Hold, Admit::Placeholder)
        }
    }
}

/// Whether a queued held script may be fetched ahead of its turn (a
/// `<link rel=preload as=script>`) while an inline script before it waits
/// for the external ones: only one the gate would activate now (`admitted`;
/// `Activate` already means every URL passed the `https:`/same-origin and
/// host rules), with a URL (`external`), of a classic JavaScript type
/// (`script_type`: its `data-type`). A module is left to its turn: its
/// preload would be a `modulepreload` with another fetch mode.
pub fn fetch_early(admitted: &Admit<'_>, external: bool, script_type: Option<&str>) -> bool {
    let classic = match script_type {
        None => true,
        Some(t) => script_type_allowed(t) && !t.trim().eq_ignore_ascii_case("module"),
    };
    matches!(admitted, Admit::Activate) && external && classic
}
