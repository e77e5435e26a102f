//! The catalogue tool.
//!
//! - `cookiegate check FILE…`: checks catalogues. Prints one line per
//!   problem, `FILE:LINE:COLUMN: JSON.PATH: message`, or `FILE: OK (…)` for
//!   a valid file, on standard output; exits 1 if any file has a problem.
//! - `cookiegate schema`: prints the catalogue's JSON Schema.
//!
//! Usage mistakes print the usage on standard error and exit 2.

use cookiegate::catalogue::{self, Catalogue};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "\
cookiegate: checks cookiegate catalogues

Usage:
  cookiegate check FILE...   check catalogues; one line per problem,
                             FILE:LINE:COLUMN: JSON.PATH: message
                             (exit 0 when all are valid, 1 otherwise)
  cookiegate schema          print the catalogue's JSON Schema
  cookiegate --help          print this help

Regenerate the checked-in schema with:
  cargo run --bin cookiegate -- schema > policies/catalogue.schema.json
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("check") if args.len() > 1 => check(args.get(1..).unwrap_or_default()),
        Some("schema") if args.len() == 1 => emit(&catalogue::json_schema()),
        Some("records") => records(args.get(1..).unwrap_or_default()),
        Some("--help" | "-h" | "help") => emit(&[USAGE, RECORDS_USAGE].concat()),
        _ => {
            eprint!("{USAGE}{RECORDS_USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Writes to standard output; a closed pipe is a failure, not a panic.
fn emit(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}

fn check(files: &[String]) -> ExitCode {
    let mut report = String::new();
    let mut all_valid = true;
    for file in files {
        match std::fs::read(file) {
            Err(e) => {
                all_valid = false;
                report.push_str(&format!("{file}:1:1: $: cannot read the file: {e}\n"));
            }
            Ok(bytes) => match catalogue::load(&bytes) {
                Ok(catalogue) => {
                    report.push_str(&format!("{file}: OK ({})\n", summary(&catalogue)))
                }
                Err(problems) => {
                    all_valid = false;
                    for problem in problems {
                        report.push_str(&format!("{file}:{problem}\n"));
                    }
                }
            },
        }
    }
    match (emit(&report) == ExitCode::SUCCESS, all_valid) {
        (true, true) => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    }
}

/// "revision 3, 2 languages, 5 categories, 12 services, 40 cookies, 3 storage keys".
fn summary(c: &Catalogue) -> String {
    let cookies: usize = c.services.iter().map(|s| s.cookies.len()).sum();
    let storage: usize = c.services.iter().map(|s| s.storage.len()).sum();
    format!(
        "revision {}, {} languages, {} categories, {} services, {cookies} cookies, {storage} storage keys",
        c.revision,
        c.languages.len(),
        c.categories.len(),
        c.services.len()
    )
}

// `records` (the consent-record service) is native only; a wasm32 build of
// this tool exists only because `cargo test --target wasm32` builds it.
#[cfg(not(target_arch = "wasm32"))]
use cookiegate::records::cli::{run as records, USAGE as RECORDS_USAGE};
#[cfg(target_arch = "wasm32")]
const RECORDS_USAGE: &str = "";
#[cfg(target_arch = "wasm32")]
fn records(_: &[String]) -> ExitCode {
    ExitCode::from(2)
}
