//! Minifies the UI's stylesheet into OUT_DIR so the wasm carries no comments
//! or indentation (every visitor downloads it). The source stays readable.

use std::{env, fs, path::Path};

fn main() {
    let source = "src/web/ui/ui.css";
    println!("cargo:rerun-if-changed={source}");
    let css = fs::read_to_string(source).expect("src/web/ui/ui.css is readable");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("ui.min.css");
    fs::write(out, minify(&css)).expect("OUT_DIR is writable");
}

/// Drops comments, folds white space, and removes the spaces around
/// `{ } ; ,` and the `;` before `}`. Strings in the sheet hold no `/*`.
fn minify(css: &str) -> String {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = match rest[start + 2..].find("*/") {
            Some(end) => &rest[start + 2 + end + 2..],
            None => "",
        };
    }
    text.push_str(rest);
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(folded.len());
    let chars: Vec<char> = folded.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let tight = |c: char| matches!(c, '{' | '}' | ';' | ',');
        if c == ' ' {
            let prev = out.chars().last();
            let next = chars.get(i + 1).copied();
            if prev.is_some_and(tight) || next.is_some_and(tight) {
                continue;
            }
        }
        if c == '}' && out.ends_with(';') {
            out.pop();
        }
        out.push(c);
    }
    out
}
