//! `cookiegate scan`: drives the system's Chromium through a shop's pages
//! in three phases (before a choice, after "Reject all", after "Accept
//! all") and reports where what really happened differs from the
//! catalogue (contract §8).
//!
//! - [`cli`] reads the command line;
//! - [`browser`], [`cdp`] and [`tab`] start Chromium and talk DevTools to it;
//! - [`run`] clicks through the banner and records each page ([`observe`]);
//! - [`compare`] is the pure judgement, with [`domain`] (which hosts are
//!   third parties) and [`ocd`] (the Open Cookie Database's suggestions);
//! - [`report`] and [`suggest`] write the results.

pub mod browser;
pub mod cdp;
pub mod cli;
pub mod compare;
pub mod domain;
pub mod observe;
pub mod ocd;
pub mod report;
pub mod run;
pub mod suggest;
pub mod tab;

use crate::catalogue::{self, Catalogue};
use browser::{find_chromium, Browser};
use compare::Finding;
use std::io::Write;
use std::time::Instant;

/// Exit status: nothing wrong.
pub const EXIT_CLEAN: u8 = 0;
/// Exit status: findings.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: usage error, or a page that could not be scanned.
pub const EXIT_UNSCANNABLE: u8 = 2;

/// Runs `cookiegate scan` with `args` (those after `scan`); returns the
/// exit status.
pub fn main(args: &[String]) -> u8 {
    let options = match cli::parse(args) {
        Ok(Some(o)) => o,
        Ok(None) => {
            print!("{}", cli::USAGE);
            return EXIT_CLEAN;
        }
        Err(why) => {
            eprintln!("cookiegate scan: {why}\n\n{}", cli::USAGE);
            return EXIT_UNSCANNABLE;
        }
    };
    let catalogue = match options.catalogue.as_deref().map(read_catalogue) {
        None => None,
        Some(Ok(c)) => Some(c),
        Some(Err(lines)) => {
            eprint!("{lines}");
            eprintln!("cookiegate scan: the --catalogue is not valid; nothing was scanned");
            return EXIT_UNSCANNABLE;
        }
    };
    let path_var = std::env::var("PATH").ok();
    let Some(program) = find_chromium(options.chromium.as_deref(), path_var.as_deref()) else {
        eprintln!("cookiegate scan: {}", browser::BrowserError::NotFound);
        return EXIT_UNSCANNABLE;
    };
    let started = Instant::now();
    let mut chromium = match Browser::launch(&program, &options.chromium_args) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cookiegate scan: {e}");
            return EXIT_UNSCANNABLE;
        }
    };
    let plan = run::Plan {
        urls: &options.urls,
        catalogue: catalogue.as_ref(),
        pages: options.pages,
    };
    let (sites, failures) = run::scan(&mut chromium, &plan);
    drop(chromium);
    let db = ocd::CookieDatabase::shipped();
    if db.is_empty() {
        eprintln!("cookiegate scan: the shipped Open Cookie Database could not be read; findings carry no suggestions");
    }
    // Start URLs with the same catalogue are judged together: `unseen` means
    // unseen on every page of the shop.
    let mut groups: Vec<(&Catalogue, Vec<observe::Visit>)> = Vec::new();
    for site in &sites {
        match groups.iter_mut().find(|(c, _)| **c == site.catalogue) {
            Some((_, visits)) => visits.extend(site.visits.iter().cloned()),
            None => groups.push((&site.catalogue, site.visits.clone())),
        }
    }
    let findings: Vec<Finding> = compare::merge(
        groups
            .iter()
            .flat_map(|(c, visits)| compare::compare(c, visits, &db))
            .collect(),
    );
    let outcome = report::Outcome {
        sites: &sites,
        failures: &failures,
        findings: &findings,
        seconds: started.elapsed().as_secs_f64(),
    };
    let mut status = match (failures.is_empty(), findings.is_empty()) {
        (false, _) => EXIT_UNSCANNABLE,
        (true, false) => EXIT_FINDINGS,
        (true, true) => EXIT_CLEAN,
    };
    let text = report::text(&outcome);
    if options.suggest {
        eprint!("{text}");
        let reference = sites.first().map(|s| &s.catalogue).or(catalogue.as_ref());
        let entries = match reference {
            Some(c) => suggest::entries(c, &findings),
            None => serde_json::json!({ "services": [] }),
        };
        println!("{}", pretty(&entries));
    } else {
        print!("{text}");
    }
    let _ = std::io::stdout().flush();
    for failure in &failures {
        let line = format!("cookiegate scan: {}: {}", failure.url, failure.why);
        eprintln!("{}", report::printable(&line));
    }
    if !sites.is_empty() {
        if let Some(path) = &options.json {
            let json = pretty(&report::json(&outcome)) + "\n";
            if let Err(e) = std::fs::write(path, json) {
                eprintln!("cookiegate scan: cannot write {}: {e}", path.display());
                status = EXIT_UNSCANNABLE;
            }
        }
        if let Some(path) = &options.html {
            if let Err(e) = std::fs::write(path, report::html(&outcome)) {
                eprintln!("cookiegate scan: cannot write {}: {e}", path.display());
                status = EXIT_UNSCANNABLE;
            }
        }
    }
    status
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// The catalogue at `path`, or its problems as `check` prints them.
fn read_catalogue(path: &std::path::Path) -> Result<Catalogue, String> {
    let shown = path.display();
    let bytes =
        std::fs::read(path).map_err(|e| format!("{shown}:1:1: $: cannot read the file: {e}\n"))?;
    catalogue::load(&bytes).map_err(|problems| {
        problems
            .iter()
            .map(|p| format!("{shown}:{p}\n"))
            .collect::<String>()
    })
}
