//! The `cookiegate` tool as a catalogue editor and a CI script use it.
// The native tool, run as a process.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{edit, pos_of};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn cookiegate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cookiegate"))
        .args(args)
        .output()
        .expect("the tool runs")
}

/// Runs the tool with `input` on its standard input.
fn cookiegate_with_input(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cookiegate"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tool runs");
    child
        .stdin
        .take()
        .expect("a pipe")
        .write_all(input)
        .expect("written");
    child.wait_with_output().expect("it ends")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Writes `text` to a fresh file in the temp directory and returns its path.
fn temp_file(name: &str, text: &str) -> String {
    let path = temp_dir().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// This test process's own scratch directory.
fn temp_dir() -> PathBuf {
    let dir: PathBuf = std::env::temp_dir().join(format!("cookiegate-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const OK_VALID: &str =
    "OK (revision 3, 2 languages, 3 categories, 4 services, 7 cookies, 3 storage keys)";

#[test]
fn check_says_ok_and_exits_0_for_a_valid_catalogue() {
    let out = cookiegate(&["check", "tests/fixtures/valid.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        stdout(&out),
        "tests/fixtures/valid.json: OK (revision 3, 2 languages, 3 categories, 4 services, 7 cookies, 3 storage keys)\n"
    );
}

#[test]
fn check_prints_file_line_column_path_message_and_exits_1() {
    let text = edit("\"category\": \"analytics\"", "\"category\": \"analitics\"");
    let text = common::edit_text(&text, "\"party\": \"third\"", "\"party\": \"3rd\"");
    let file = temp_file("bad.json", &text);
    let out = cookiegate(&["check", &file, "tests/fixtures/valid.json"]);
    assert_eq!(out.status.code(), Some(1));
    let expected = format!(
        "{file}:{}: $.services[1].cookies[0].party: expected \"first\" or \"third\", found \"3rd\"\n\
         {file}:{}: $.services[2].category: category \"analitics\" is not defined; did you mean \"analytics\"?\n\
         tests/fixtures/valid.json: OK (revision 3, 2 languages, 3 categories, 4 services, 7 cookies, 3 storage keys)\n",
        pos_of(&text, "\"3rd\""),
        pos_of(&text, "\"analitics\""),
    );
    assert_eq!(stdout(&out), expected);
}

#[test]
fn check_reports_an_unreadable_file_on_one_line() {
    let out = cookiegate(&["check", "no/such/catalogue.json"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with("no/such/catalogue.json:1:1: $: cannot read the file: "),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1);
}

#[test]
fn check_reports_broken_json_at_its_place() {
    let file = temp_file("broken.json", "{\n  \"revision\": 3,\n}");
    let out = cookiegate(&["check", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        format!(
            "{file}:3:1: $: not valid JSON: a trailing comma before }} is not allowed in JSON\n"
        )
    );
}

#[test]
fn schema_prints_the_generated_schema() {
    let out = cookiegate(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), cookiegate::catalogue::json_schema());
}

#[test]
fn help_prints_usage_and_exits_0() {
    let out = cookiegate(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("cookiegate check [--strict] FILE..."));
    assert!(stdout(&out).contains("cookiegate bundle FILE --out DIR"));
}

#[test]
fn usage_mistakes_print_usage_on_stderr_and_exit_2() {
    for args in [
        &["lint"][..],
        &[],
        &["check"],
        &["check", "--strikt", "a.json"],
        &["schema", "x"],
    ] {
        let out = cookiegate(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("Usage:"),
            "{args:?}"
        );
    }
}

#[test]
fn version_is_printed_by_the_tool_and_by_check() {
    for args in [&["--version"][..], &["check", "--version"]] {
        let out = cookiegate(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(
            stdout(&out),
            concat!("cookiegate ", env!("CARGO_PKG_VERSION"), "\n")
        );
    }
}

#[test]
fn check_reads_standard_input_for_a_dash() {
    let out = cookiegate_with_input(&["check", "-"], common::VALID.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), format!("<stdin>: {OK_VALID}\n"));
    let broken = edit("\"revision\": 3,", "\"revision\": 3");
    let out = cookiegate_with_input(&["check", "-"], broken.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("<stdin>:"), "{}", stdout(&out));
}

#[test]
fn check_and_bundle_accept_a_byte_order_mark() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(common::VALID.as_bytes());
    let out = cookiegate_with_input(&["check", "-"], &bytes);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let file = temp_dir().join("bom.json");
    std::fs::write(&file, &bytes).unwrap();
    let dir = temp_dir().join("bom-out");
    let out = cookiegate(&[
        "bundle",
        &file.to_string_lossy(),
        "--out",
        &dir.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let written = std::fs::read(dir.join("catalogue.json")).unwrap();
    assert!(
        written.starts_with(b"{"),
        "no byte-order mark in what the browser loads"
    );
}

#[test]
fn warnings_are_printed_with_their_place_and_fail_only_with_strict() {
    let text = edit("\"name\": \"_ga\",", "\"name\": \"_ga_*\",");
    let file = temp_file("warned.json", &text);
    let out = cookiegate(&["check", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let at = pos_of(&text, "\"_ga_*\"");
    assert_eq!(
        stdout(&out),
        format!(
            "{file}:{at}: $.services[2].cookies[0].name: warning: \"_ga_*\" is matched as an exact cookie name, and no real cookie is called that, so it is never cleared; write \"prefix\": \"_ga_\"\n\
             {file}: OK with 1 warning (revision 3, 2 languages, 3 categories, 4 services, 7 cookies, 3 storage keys)\n"
        )
    );
    let out = cookiegate(&["check", "--strict", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out).lines().count(), 1, "{}", stdout(&out));
    let out = cookiegate(&["check", "--strict", "tests/fixtures/valid.json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a catalogue without warnings passes --strict"
    );
}

#[test]
fn one_wrong_language_tag_in_the_default_catalogue_is_one_line() {
    let text = std::fs::read_to_string("policies/storefront.json").unwrap();
    let text = text.replacen("\"de\",", "\"de_DE\",", 1);
    let file = temp_file("wrong-tag.json", &text);
    let out = cookiegate(&["check", &file]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    assert_eq!(report.lines().count(), 1, "{report}");
    assert!(
        report.contains("$.languages[1]: \"de_DE\" is not a language tag"),
        "{report}"
    );
}

/// The files `bundle` wrote into `dir`, sorted.
fn written(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn bundle_writes_the_browser_catalogue_and_one_per_language() {
    let dir = temp_dir().join("bundle-out");
    let out = cookiegate(&[
        "bundle",
        "policies/storefront.json",
        "--out",
        &dir.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains(
            "<script src=\"/cookiegate/cookiegate.js\" data-catalogue=\"/cookiegate/catalogue.json\" \
             data-languages=\"en de fr es ru\"></script>"
        ),
        "the embed snippet lists what was written, default language first: {}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains(
            "\n  <link rel=\"modulepreload\" href=\"/cookiegate/cookiegate_core.js\">\n  \
             <link rel=\"preload\" href=\"/cookiegate/cookiegate_core_bg.wasm\" as=\"fetch\" crossorigin>\n"
        ),
        "the optional preload hints follow the tag, exactly as tests/e2e/preload-hints checks them: {}",
        stdout(&out)
    );
    assert_eq!(
        written(&dir),
        [
            "catalogue.de.json",
            "catalogue.en.json",
            "catalogue.es.json",
            "catalogue.fr.json",
            "catalogue.json",
            "catalogue.ru.json"
        ]
    );
    let all = std::fs::read_to_string(dir.join("catalogue.json")).unwrap();
    assert!(
        !all.contains("\"notes\"") && !all.contains("$schema"),
        "editors' fields are stripped"
    );
    let source = std::fs::read(Path::new("policies/storefront.json")).unwrap();
    let source = cookiegate::catalogue::load(&source).unwrap();
    assert_eq!(cookiegate::catalogue::load(all.as_bytes()).unwrap(), source);
    let de = std::fs::read_to_string(dir.join("catalogue.de.json")).unwrap();
    let german = cookiegate::catalogue::load(de.as_bytes()).unwrap();
    assert_eq!(german.languages, ["de"]);
    assert_eq!(german.services.len(), source.services.len());
    assert!(
        de.len() * 3 < all.len(),
        "one language is much smaller: {} of {}",
        de.len(),
        all.len()
    );
    assert!(
        !de.contains("Accept all"),
        "no English UI text in the German catalogue"
    );
    let shop = german.service("shop-session").unwrap();
    assert_eq!(
        shop.provider.pick("de", "de"),
        source
            .service("shop-session")
            .unwrap()
            .provider
            .pick("de", "en")
    );
    // Each runtime catalogue passes check as it is.
    let out = cookiegate(&["check", &dir.join("catalogue.ru.json").to_string_lossy()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn bundle_refuses_an_invalid_catalogue_with_the_check_output_and_writes_nothing() {
    let text = edit("\"category\": \"analytics\"", "\"category\": \"analitics\"");
    let file = temp_file("bundle-bad.json", &text);
    let dir = temp_dir().join("bundle-bad-out");
    let out = cookiegate(&["bundle", &file, "--out", &dir.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    let check = cookiegate(&["check", &file]);
    assert_eq!(stdout(&out), stdout(&check));
    assert!(written(&dir).is_empty(), "{:?}", written(&dir));
    for args in [
        &["bundle", "x.json"][..],
        &["bundle", "x.json", "--out"],
        &["bundle", "--out", "d"],
    ] {
        assert_eq!(cookiegate(args).status.code(), Some(2), "{args:?}");
    }
}
