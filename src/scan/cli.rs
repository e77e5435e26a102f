//! `cookiegate scan`'s command line (contract §8).

use std::path::PathBuf;

/// The usage text.
pub const USAGE: &str = "\
Usage:
  cookiegate scan URL... [--catalogue FILE] [--pages N] [--json FILE]
                         [--html FILE] [--suggest] [--chromium PATH]
                         [--chromium-arg ARG]...

Loads each URL in a real Chromium three times, each in a fresh profile:
before a choice, after \"Reject all\" and after \"Accept all\" (clicked on the
banner), then up to N same-origin pages linked from it, and compares the
requests, cookies and storage keys seen with the catalogue.

  --catalogue FILE    compare with this catalogue (default: the one the
                      page gives cookiegate)
  --pages N           same-origin links to follow from each URL (default 10)
  --json FILE         write the findings as JSON
  --html FILE         write an HTML report with a screenshot of each phase
  --suggest           print catalogue entries for the undeclared items on
                      standard output (the report goes to standard error)
  --chromium PATH     the browser (default: chromium on PATH)
  --chromium-arg ARG  pass ARG to the browser, verbatim (repeatable)

Exit status: 0 no findings, 1 findings, 2 usage error or a URL that could
not be scanned (unreachable, or no banner where one is expected).
";

/// What the command line asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Start URLs.
    pub urls: Vec<String>,
    /// `--catalogue`.
    pub catalogue: Option<PathBuf>,
    /// `--pages`.
    pub pages: usize,
    /// `--json`.
    pub json: Option<PathBuf>,
    /// `--html`.
    pub html: Option<PathBuf>,
    /// `--suggest`.
    pub suggest: bool,
    /// `--chromium`.
    pub chromium: Option<PathBuf>,
    /// `--chromium-arg`, in order.
    pub chromium_args: Vec<String>,
}

/// Default `--pages`.
pub const DEFAULT_PAGES: usize = 10;

/// The options in `args` (after `scan`); `Ok(None)` for `--help`, `Err`
/// with what is wrong for a usage error.
pub fn parse(args: &[String]) -> Result<Option<Options>, String> {
    let mut o = Options {
        urls: Vec::new(),
        catalogue: None,
        pages: DEFAULT_PAGES,
        json: None,
        html: None,
        suggest: false,
        chromium: None,
        chromium_args: Vec::new(),
    };
    let mut rest = args.iter();
    let mut only_urls = false;
    while let Some(arg) = rest.next() {
        if !only_urls && arg == "-h" {
            return Ok(None);
        }
        if only_urls || !arg.starts_with("--") {
            o.urls.push(url(arg)?);
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f, Some(v.to_string())),
            None => (arg.as_str(), None),
        };
        // The value: after `=`, else the next argument taken verbatim (a
        // `--chromium-arg --flag` passes `--flag` on).
        let mut value = |name: &str| -> Result<String, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => rest.next().cloned().ok_or(format!("{name} needs a value")),
            }
        };
        match flag {
            "--" => only_urls = true,
            "--help" => return Ok(None),
            "--catalogue" => o.catalogue = Some(value(flag)?.into()),
            "--json" => o.json = Some(value(flag)?.into()),
            "--html" => o.html = Some(value(flag)?.into()),
            "--chromium" => o.chromium = Some(value(flag)?.into()),
            "--chromium-arg" => o.chromium_args.push(value(flag)?),
            "--suggest" if inline.is_none() => o.suggest = true,
            "--pages" => {
                let v = value(flag)?;
                o.pages = v
                    .parse()
                    .map_err(|_| format!("--pages takes a whole number, not \"{v}\""))?;
            }
            _ => return Err(format!("unknown option {arg}")),
        }
    }
    if o.urls.is_empty() {
        return Err("give at least one URL to scan".into());
    }
    Ok(Some(o))
}

/// An `http:` or `https:` URL, as given.
fn url(arg: &str) -> Result<String, String> {
    let lower = arg.to_ascii_lowercase();
    match lower.starts_with("http://") || lower.starts_with("https://") {
        true => Ok(arg.to_string()),
        false => Err(format!(
            "\"{arg}\" is not an http: or https: URL (options start with --)"
        )),
    }
}
