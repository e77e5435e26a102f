//! The `cookiegate` tool as a catalogue editor and a CI script use it.

mod common;

use common::{edit, pos_of};
use std::path::PathBuf;
use std::process::{Command, Output};

fn cookiegate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cookiegate"))
        .args(args)
        .output()
        .expect("the tool runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Writes `text` to a fresh file in the temp directory and returns its path.
fn temp_file(name: &str, text: &str) -> String {
    let dir: PathBuf = std::env::temp_dir().join(format!("cookiegate-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

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
    assert!(stdout(&out).contains("cookiegate check FILE..."));
}

#[test]
fn usage_mistakes_print_usage_on_stderr_and_exit_2() {
    for args in [&["lint"][..], &[], &["check"], &["schema", "x"]] {
        let out = cookiegate(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("Usage:"),
            "{args:?}"
        );
    }
}
