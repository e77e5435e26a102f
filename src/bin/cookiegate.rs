//! The catalogue tool.
//!
//! - `cookiegate check [--strict] FILE…`: checks catalogues (`-` reads
//!   standard input). Prints one line per problem,
//!   `FILE:LINE:COLUMN: JSON.PATH: message`, one per warning,
//!   `FILE:LINE:COLUMN: JSON.PATH: warning: message`, and `FILE: OK (…)`
//!   for a valid file, on standard output; exits 1 if any file has a
//!   problem (or, with `--strict`, a warning).
//! - `cookiegate bundle FILE --out DIR`: checks a catalogue and writes what
//!   the browser loads: `DIR/catalogue.json` and `DIR/catalogue.LANG.json`.
//! - `cookiegate schema`: prints the catalogue's JSON Schema.
//! - `cookiegate scan URL…`: audits pages against their catalogue
//!   (src/scan).
//! - `cookiegate --version`, `cookiegate check --version`.
//!
//! Usage mistakes print the usage on standard error and exit 2.

// The catalogue commands are native only (like the catalogue's messages,
// warnings, schema and bundler); a wasm32 build of this tool exists only
// because `cargo test --target wasm32` builds every target.
#[cfg(not(target_arch = "wasm32"))]
use cookiegate::catalogue::{self, Catalogue, Checked};
#[cfg(not(target_arch = "wasm32"))]
use std::io::Read;
use std::io::Write;
#[cfg(not(target_arch = "wasm32"))]
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "\
cookiegate: checks cookiegate catalogues and makes what the browser loads

Usage:
  cookiegate check [--strict] FILE...
                             check catalogues (FILE - reads standard input);
                             one line per problem or warning,
                             FILE:LINE:COLUMN: JSON.PATH: [warning: ]message,
                             and FILE: OK (...) for each valid file
                             (exit 0 when all are valid, 1 otherwise;
                             --strict: warnings fail too)
  cookiegate bundle FILE --out DIR
                             check FILE, then write DIR/catalogue.json and
                             one DIR/catalogue.LANG.json per language, without
                             the editors' notes (exit 1 when FILE is not valid)
  cookiegate schema          print the catalogue's JSON Schema
  cookiegate scan URL...     audit pages against their catalogue in a real
                             Chromium (cookiegate scan --help)
  cookiegate --version       print the version
  cookiegate --help          print this help

Regenerate the checked-in schema with:
  cargo run --bin cookiegate -- schema > policies/catalogue.schema.json
";

const VERSION: &str = concat!("cookiegate ", env!("CARGO_PKG_VERSION"), "\n");

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    match args.first().map(String::as_str) {
        #[cfg(not(target_arch = "wasm32"))]
        Some("check") if rest == ["--version"] => emit(VERSION),
        #[cfg(not(target_arch = "wasm32"))]
        Some("check") => match check_args(rest) {
            Some((strict, files)) => check(&files, strict),
            None => usage(),
        },
        #[cfg(not(target_arch = "wasm32"))]
        Some("bundle") => match rest {
            [file, out, dir] if out == "--out" => bundle(file, Path::new(dir)),
            [out, dir, file] if out == "--out" => bundle(file, Path::new(dir)),
            _ => usage(),
        },
        #[cfg(not(target_arch = "wasm32"))]
        Some("schema") if rest.is_empty() => emit(&catalogue::json_schema()),
        Some("--version" | "-V") if rest.is_empty() => emit(VERSION),
        Some("records") => records(rest),
        Some("--help" | "-h" | "help") => emit(&[USAGE, RECORDS_USAGE].concat()),
        #[cfg(not(target_arch = "wasm32"))]
        Some("scan") => ExitCode::from(cookiegate::scan::main(args.get(1..).unwrap_or_default())),
        _ => usage(),
    }
}

fn usage() -> ExitCode {
    eprint!("{USAGE}{RECORDS_USAGE}");
    ExitCode::from(2)
}

#[cfg(not(target_arch = "wasm32"))]
/// `--strict` and the files of `check`, or `None` when there are no files or
/// an unknown option.
fn check_args(args: &[String]) -> Option<(bool, Vec<String>)> {
    let strict = args.iter().any(|a| a == "--strict");
    let files: Vec<String> = args.iter().filter(|a| *a != "--strict").cloned().collect();
    let unknown = files.iter().any(|f| f.starts_with("--"));
    (!files.is_empty() && !unknown).then_some((strict, files))
}

/// Writes to standard output; a closed pipe is a failure, not a panic.
fn emit(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}

#[cfg(not(target_arch = "wasm32"))]
/// The bytes of `file`, standard input for `-`, and the name to print.
fn read_input(file: &str) -> (String, std::io::Result<Vec<u8>>) {
    if file == "-" {
        let mut bytes = Vec::new();
        let read = std::io::stdin().lock().read_to_end(&mut bytes);
        ("<stdin>".into(), read.map(|_| bytes))
    } else {
        (file.to_string(), std::fs::read(file))
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn check(files: &[String], strict: bool) -> ExitCode {
    let mut report = String::new();
    let mut all_valid = true;
    for file in files {
        let (name, bytes) = read_input(file);
        match bytes {
            Err(e) => {
                all_valid = false;
                report.push_str(&format!("{name}:1:1: $: cannot read the file: {e}\n"));
            }
            Ok(bytes) => {
                all_valid &= report_check(&mut report, &name, catalogue::check(&bytes), strict)
            }
        }
    }
    match (emit(&report) == ExitCode::SUCCESS, all_valid) {
        (true, true) => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    }
}

#[cfg(not(target_arch = "wasm32"))]
/// Appends the lines for one checked file, problems and warnings in source
/// order; returns whether it passed.
fn report_check(report: &mut String, name: &str, checked: Checked, strict: bool) -> bool {
    let Checked {
        catalogue,
        warnings,
    } = checked;
    let mut lines: Vec<(u32, u32, String)> = warnings
        .iter()
        .map(|w| (w.pos.line, w.pos.column, format!("{name}:{w}\n")))
        .collect();
    let problems = catalogue
        .as_ref()
        .err()
        .map(Vec::as_slice)
        .unwrap_or_default();
    lines.extend(
        problems
            .iter()
            .map(|p| (p.pos.line, p.pos.column, format!("{name}:{p}\n"))),
    );
    lines.sort_by_key(|(line, column, _)| (*line, *column));
    for (_, _, line) in &lines {
        report.push_str(line);
    }
    let passed = catalogue.is_ok() && (!strict || warnings.is_empty());
    if let (Ok(c), true) = (&catalogue, passed) {
        let with = match warnings.len() {
            0 => String::new(),
            1 => " with 1 warning".into(),
            n => format!(" with {n} warnings"),
        };
        report.push_str(&format!("{name}: OK{with} ({})\n", summary(c)));
    }
    passed
}

#[cfg(not(target_arch = "wasm32"))]
/// Checks `file` and writes its runtime catalogues into `dir`.
fn bundle(file: &str, dir: &Path) -> ExitCode {
    let (name, bytes) = read_input(file);
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(e) => {
            emit(&format!("{name}:1:1: $: cannot read the file: {e}\n"));
            return ExitCode::FAILURE;
        }
    };
    let mut report = String::new();
    if !report_check(&mut report, &name, catalogue::check(&bytes), false) {
        emit(&report);
        return ExitCode::FAILURE;
    }
    let written = catalogue::bundle(&bytes).map_err(|_| std::io::Error::other("not valid"));
    let written = written.and_then(|b| {
        std::fs::create_dir_all(dir)?;
        let mut files = vec![("catalogue.json".to_string(), b.all)];
        let mut langs = Vec::new();
        for (lang, text) in b.by_language {
            files.push((format!("catalogue.{lang}.json"), text));
            langs.push(lang);
        }
        for (file, text) in &files {
            let path = dir.join(file);
            std::fs::write(&path, text)?;
            report.push_str(&format!(
                "wrote {} ({} bytes)\n",
                path.display(),
                text.len()
            ));
        }
        // The first language is the one a visitor matching none of them gets.
        report.push_str(&format!(
            "embed (with this folder's URL in place of /cookiegate/; each visitor fetches one language):\n  \
             <script src=\"/cookiegate/cookiegate.js\" data-catalogue=\"/cookiegate/catalogue.json\" \
             data-languages=\"{}\"></script>\n",
            langs.join(" ")
        ));
        report.push_str(PRELOAD_HINTS);
        Ok(())
    });
    match written {
        Ok(()) => emit(&report),
        Err(e) => {
            emit(&report);
            eprintln!("cookiegate bundle: cannot write to {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}

/// Printed after the embed tag: the glue and the wasm then load alongside the
/// bootstrap instead of after it (README "Preload hints").
#[cfg(not(target_arch = "wasm32"))]
const PRELOAD_HINTS: &str = "optional, right before the tag (saves the bootstrap's round trip; \
     under a CSP give the modulepreload the tag's nonce):\n  \
     <link rel=\"modulepreload\" href=\"/cookiegate/cookiegate_core.js\">\n  \
     <link rel=\"preload\" href=\"/cookiegate/cookiegate_core_bg.wasm\" as=\"fetch\" crossorigin>\n";

#[cfg(not(target_arch = "wasm32"))]
/// "revision 3, 2 languages, 5 categories, 12 services, 40 cookies, 1 storage key".
fn summary(c: &Catalogue) -> String {
    let cookies: usize = c.services.iter().map(|s| s.cookies.len()).sum();
    let storage: usize = c.services.iter().map(|s| s.storage.len()).sum();
    let counted = |n: usize, one: &str, many: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    };
    [
        format!("revision {}", c.revision),
        counted(c.languages.len(), "language", "languages"),
        counted(c.categories.len(), "category", "categories"),
        counted(c.services.len(), "service", "services"),
        counted(cookies, "cookie", "cookies"),
        counted(storage, "storage key", "storage keys"),
    ]
    .join(", ")
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
