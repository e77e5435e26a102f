//! Starting the system's Chromium with a fresh profile and a DevTools port,
//! and stopping it again. Nothing is downloaded: the browser is the one
//! named by `--chromium`, else `chromium` on `PATH`.

use super::cdp::{Cdp, CdpError};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The flags every scan runs Chromium with: headless, no background traffic
/// of the browser's own that would be mistaken for the page's.
pub const CHROMIUM_FLAGS: [&str; 11] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--hide-scrollbars",
];

/// How long Chromium may take to open its DevTools port.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// Why the browser could not be used.
#[derive(Debug)]
pub enum BrowserError {
    /// No `chromium` on `PATH` and no `--chromium`.
    NotFound,
    /// The program could not be started.
    Spawn {
        /// The program.
        path: PathBuf,
        /// The system's reason.
        reason: String,
    },
    /// It started but never opened its DevTools port.
    NoDevTools {
        /// The program.
        path: PathBuf,
        /// The end of its standard error, which says why.
        log: String,
    },
    /// The protocol connection failed.
    Cdp(CdpError),
    /// The temporary profile could not be made.
    Profile(String),
}

impl fmt::Display for BrowserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BrowserError::NotFound => {
                write!(
                    f,
                    "chromium was not found on PATH; give its path with --chromium PATH"
                )
            }
            BrowserError::Spawn { path, reason } => {
                write!(f, "cannot start {}: {reason}", path.display())
            }
            BrowserError::NoDevTools { path, log } => write!(
                f,
                "{} did not open its DevTools port within {} s; it said:\n{log}",
                path.display(),
                START_TIMEOUT.as_secs()
            ),
            BrowserError::Cdp(e) => e.fmt(f),
            BrowserError::Profile(reason) => {
                write!(f, "cannot create a temporary browser profile: {reason}")
            }
        }
    }
}

impl From<CdpError> for BrowserError {
    fn from(e: CdpError) -> Self {
        BrowserError::Cdp(e)
    }
}

/// A running Chromium and the protocol connection to it. Dropping it stops
/// the browser and removes its profile.
pub struct Browser {
    /// The connection.
    pub cdp: Cdp,
    child: Child,
    dir: PathBuf,
}

/// The Chromium to run: `given`, else the first `chromium` on `path_var`.
pub fn find_chromium(given: Option<&Path>, path_var: Option<&str>) -> Option<PathBuf> {
    if let Some(p) = given {
        return Some(p.to_path_buf());
    }
    std::env::split_paths(path_var?)
        .map(|dir| dir.join("chromium"))
        .find(|candidate| candidate.is_file())
}

impl Browser {
    /// Starts `program` with [`CHROMIUM_FLAGS`], then `extra` verbatim.
    pub fn launch(program: &Path, extra: &[String]) -> Result<Browser, BrowserError> {
        let stamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir =
            std::env::temp_dir().join(format!("cookiegate-scan-{}-{stamp}", std::process::id()));
        let profile = dir.join("profile");
        fs::create_dir_all(&profile).map_err(|e| BrowserError::Profile(e.to_string()))?;
        let log_path = dir.join("chromium.log");
        let log = fs::File::create(&log_path).map_err(|e| BrowserError::Profile(e.to_string()))?;
        let child = Command::new(program)
            .args(CHROMIUM_FLAGS)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("--remote-debugging-port=0")
            .args(extra)
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| BrowserError::Spawn {
                path: program.to_path_buf(),
                reason: e.to_string(),
            });
        let child = match child {
            Ok(c) => c,
            Err(e) => {
                let _ = fs::remove_dir_all(&dir);
                return Err(e);
            }
        };
        // From here on, Drop stops the browser and removes the folder.
        let mut starting = Starting {
            child: Some(child),
            dir: dir.clone(),
        };
        let url = starting.devtools_url(&profile.join("DevToolsActivePort"));
        let Some(url) = url else {
            return Err(BrowserError::NoDevTools {
                path: program.to_path_buf(),
                log: tail(&fs::read_to_string(&log_path).unwrap_or_default(), 12),
            });
        };
        let cdp = Cdp::connect(&url)?;
        let child = starting.child.take().ok_or(BrowserError::NotFound)?;
        Ok(Browser { cdp, child, dir })
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.cdp.call(None, "Browser.close", serde_json::json!({}));
        stop(&mut self.child);
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// A browser between spawn and connection: stopped and cleaned up if the
/// start fails.
struct Starting {
    child: Option<Child>,
    dir: PathBuf,
}

impl Starting {
    /// Waits for the profile's `DevToolsActivePort` file (port, then path).
    fn devtools_url(&mut self, file: &Path) -> Option<String> {
        let deadline = Instant::now() + START_TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(text) = fs::read_to_string(file) {
                let mut lines = text.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                    return Some(format!("ws://127.0.0.1:{}{}", port.trim(), path.trim()));
                }
            }
            let exited = self
                .child
                .as_mut()
                .map_or(true, |c| matches!(c.try_wait(), Ok(Some(_)) | Err(_)));
            if exited {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for Starting {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            stop(child);
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Ends the browser (after a moment to close by itself) and reaps it.
fn stop(child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines
        .get(lines.len().saturating_sub(n)..)
        .unwrap_or_default()
        .join("\n")
}
