//! What a change of choice does to the page, as an ordered list of effects
//! the browser layer only carries out. Every rule of a choice, a restore, a
//! withdrawal or a reset lives here: which Consent Mode update goes out,
//! whether refused cookies are cleared, which events are dispatched, and
//! whether the page must reload because something that ran cannot be
//! unloaded. And where a page starts from: the stored record restored, or
//! the banner; and how a page follows a change made in another tab.

use super::change::{changed, Changed};
use super::choice::{decide, Choice, Decision};
use super::record::{parse_stored, ConsentRecord, Invalid, Method};
use super::signals::consent_mode;
use crate::catalogue::{Catalogue, Signal};

/// Something that ran on the page and cannot be unloaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ran {
    /// A marked script, by its `data-category` and `data-service`.
    Marked {
        category: String,
        service: Option<String>,
    },
    /// A script of this service: one the catalogue's `scripts` injected, or
    /// one a tag injected that the interception let in (by catalogue index).
    Service(usize),
}

/// Whether something that ran is not allowed under `choice` (`None`: no
/// choice, only required categories): scripts cannot be unloaded, so the
/// page must reload for the refusal to take effect.
pub fn must_reload(catalogue: &Catalogue, choice: Option<&Choice>, ran: &[Ran]) -> bool {
    ran.iter().any(|r| match r {
        Ran::Marked { category, service } => {
            decide(catalogue, choice, category, service.as_deref()) != Decision::Allow
        }
        Ran::Service(i) => match catalogue.services.get(*i) {
            Some(s) => decide(catalogue, choice, &s.category, Some(&s.id)) != Decision::Allow,
            None => true,
        },
    })
}

/// One thing the browser layer does, in the order given.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// `gtag('consent', 'update', …)` with these seven signals.
    ConsentMode([(Signal, bool); 7]),
    /// Let in what the new choice allows, unload frames it no longer does.
    Gate,
    /// `cookiegate:consent` with the new record.
    ConsentEvent,
    /// `cookiegate:change` with what changed (and the record, if any).
    Change(Changed),
    /// Clear what the choice in force refuses, now and twice more later
    /// (scripts still running may write their cookies back once).
    Clear,
    /// `cookiegate:reload`, the notice, then a reload.
    Reload,
    /// No choice any more and nothing to reload: show the banner again.
    AskAgain,
    /// A choice is in force and the banner is away: show the button that
    /// re-opens the preferences.
    ShowReopen,
    /// Close the banner and the preferences: a choice made in another tab
    /// answers them.
    Hide,
    /// Clear once what a refusal of everything optional clears: leftovers
    /// of an old, broken or missing choice, before anything optional ran.
    ClearLeftovers,
    /// Say in the console why the stored record does not count (a warning
    /// when it looks tampered with, else information), and ask again.
    Discarded {
        /// Why it does not count.
        why: Invalid,
        /// Unreadable or dated in the future rather than merely outdated.
        suspicious: bool,
    },
}

/// The effects of going from `before` to `after` (`None`: no choice), given
/// what has run on the page so far.
pub fn plan(
    catalogue: &Catalogue,
    before: Option<&Choice>,
    after: Option<&Choice>,
    ran: &[Ran],
) -> Vec<Effect> {
    // Judged on what ran before the gate lets anything new in.
    let reload = must_reload(catalogue, after, ran);
    let refused = Choice::reject_all(catalogue);
    let mut effects = Vec::with_capacity(7);
    let Some(after) = after else {
        // Forgetting: nothing optional may stay, so clear before telling
        // Google, and the change reads as a refusal of everything.
        effects.push(Effect::Clear);
        effects.push(Effect::ConsentMode(consent_mode(catalogue, None)));
        effects.push(Effect::Gate);
        if let Some(diff) = before
            .map(|b| changed(b, &refused))
            .filter(|d| !d.is_empty())
        {
            effects.push(Effect::Change(diff));
        }
        effects.push(if reload {
            Effect::Reload
        } else {
            Effect::AskAgain
        });
        return effects;
    };
    effects.push(Effect::ConsentMode(consent_mode(catalogue, Some(after))));
    effects.push(Effect::Gate);
    effects.push(Effect::ConsentEvent);
    if let Some(diff) = before.map(|b| changed(b, after)).filter(|d| !d.is_empty()) {
        effects.push(Effect::Change(diff));
    }
    if after.services.iter().any(|(_, on)| !on) {
        effects.push(Effect::Clear);
    }
    if reload {
        effects.push(Effect::Reload);
    }
    effects
}

/// Where a page starts: the record in force (if any) and what to do.
#[derive(Clone, Debug, PartialEq)]
pub struct Start {
    /// The stored record, restored (method `restored`), when it counts.
    pub record: Option<ConsentRecord>,
    /// What the browser layer does, in this order.
    pub effects: Vec<Effect>,
}

/// What a page does at start-up with what storage held (`None`: nothing),
/// at `now_ms`, with Global Privacy Control sent now or not. A record that
/// counts is applied like a first choice (nothing has run yet) and the
/// re-open button shows; otherwise Google keeps its default (denied), the
/// gate lets in only what is required, leftovers are cleared and the banner
/// shows. A preset record (QA) is simply a stored one.
pub fn start(catalogue: &Catalogue, stored: Option<&str>, now_ms: i64, gpc: bool) -> Start {
    let restored = stored.map(|s| ConsentRecord::restore(s, catalogue, now_ms, gpc));
    let mut effects = Vec::with_capacity(6);
    let why = match restored {
        Some(Ok(mut record)) => {
            record.method = Method::Restored;
            effects = plan(catalogue, None, Some(&record.choice), &[]);
            effects.push(Effect::ShowReopen);
            return Start {
                record: Some(record),
                effects,
            };
        }
        Some(Err(why)) => Some(why),
        None => None,
    };
    if let Some(why) = why {
        let suspicious = matches!(why, Invalid::Corrupt { .. } | Invalid::FromFuture);
        effects.push(Effect::Discarded { why, suspicious });
    }
    // Pushed one by one: extending from an array of effects costs a copy loop.
    effects.push(Effect::Gate);
    effects.push(Effect::ClearLeftovers);
    effects.push(Effect::AskAgain);
    Start {
        record: None,
        effects,
    }
}

/// What a tab does after another tab changed the stored record.
#[derive(Clone, Debug, PartialEq)]
pub struct Follow {
    /// The record in force from now on (`None`: no choice any more).
    pub record: Option<ConsentRecord>,
    /// What the browser layer does, in this order, once it holds `record`.
    pub effects: Vec<Effect>,
}

/// How a tab whose record in force is `current` follows what storage holds
/// now (`stored`; `None` or empty: removed), at `now_ms`, with Global
/// Privacy Control sent now or not, given what has run on the page. Two
/// tabs choosing at once each hear the other after writing their own, so
/// what is stored now counts (last writer wins), and nothing happens when
/// it is this tab's own record. A removed record is forgotten here too; one
/// that counts is adopted (method `restored`) and answers the banner; one
/// that does not count (another revision, expired, unreadable) changes
/// nothing: the tab that wrote it has its own console to say why.
pub fn follow(
    catalogue: &Catalogue,
    current: Option<&ConsentRecord>,
    stored: Option<&str>,
    now_ms: i64,
    gpc: bool,
    ran: &[Ran],
) -> Option<Follow> {
    let before = current.map(|r| &r.choice);
    let Some(stored) = stored.filter(|s| !s.is_empty()) else {
        return Some(Follow {
            record: None,
            effects: plan(catalogue, before, None, ran),
        });
    };
    let own = current.map(|r| r.id.as_str());
    if own.is_some() && parse_stored(stored).ok().map(|r| r.id).as_deref() == own {
        return None;
    }
    let mut record = ConsentRecord::restore(stored, catalogue, now_ms, gpc).ok()?;
    record.method = Method::Restored;
    let mut effects = plan(catalogue, before, Some(&record.choice), ran);
    effects.push(Effect::Hide);
    effects.push(Effect::ShowReopen);
    Some(Follow {
        record: Some(record),
        effects,
    })
}
