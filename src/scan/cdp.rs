//! A small, blocking Chrome DevTools Protocol client: one WebSocket to the
//! browser, flat sessions (`sessionId` on each message), commands answered
//! by id, events kept in order until the caller takes them.
//!
//! Why not a CDP crate: `headless_chrome` downloads the protocol description
//! in its build script (no build without internet), and `chromiumoxide`
//! brings tokio, an HTTP client and the generated types of every domain
//! (162 s for a debug build on this project's 2-core machine, against 9 s
//! for `tungstenite` and `serde_json`). The scanner uses a dozen commands.

use serde_json::{json, Value};
use std::fmt;
use std::io::ErrorKind;
use std::net::TcpStream;
use std::time::{Duration, Instant};
use tungstenite::{Message, WebSocket};

/// How long one command may take before the browser counts as hung.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(45);

/// Something the browser announced: `method` with its `params`, from the
/// target attached as `session` (`None`: the browser itself).
#[derive(Clone, Debug)]
pub struct Event {
    /// The session it came from.
    pub session: Option<String>,
    /// Such as `Network.requestWillBeSent`.
    pub method: String,
    /// The event's parameters.
    pub params: Value,
}

/// Why talking to the browser failed.
#[derive(Debug)]
pub enum CdpError {
    /// The WebSocket could not be opened.
    Connect {
        /// The browser's DevTools URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The connection broke or the browser closed it.
    Socket(String),
    /// The browser answered a command with an error.
    Command {
        /// The command.
        method: String,
        /// The browser's message.
        message: String,
    },
    /// No answer in time.
    Timeout {
        /// The command waited for.
        method: String,
    },
}

impl fmt::Display for CdpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CdpError::Connect { url, reason } => {
                write!(f, "cannot connect to the browser at {url}: {reason}")
            }
            CdpError::Socket(reason) => write!(f, "the browser connection failed: {reason}"),
            CdpError::Command { method, message } => {
                write!(f, "the browser refused {method}: {message}")
            }
            CdpError::Timeout { method } => write!(
                f,
                "the browser did not answer {method} within {} s",
                COMMAND_TIMEOUT.as_secs()
            ),
        }
    }
}

/// An open DevTools connection.
pub struct Cdp {
    socket: WebSocket<TcpStream>,
    next_id: u64,
    events: Vec<Event>,
}

impl Cdp {
    /// Connects to `ws://HOST:PORT/devtools/browser/…`.
    pub fn connect(url: &str) -> Result<Cdp, CdpError> {
        let fail = |reason: String| CdpError::Connect {
            url: url.to_string(),
            reason,
        };
        let authority = url
            .strip_prefix("ws://")
            .and_then(|rest| rest.split('/').next())
            .ok_or_else(|| fail("not a ws:// URL".into()))?;
        let stream = TcpStream::connect(authority).map_err(|e| fail(e.to_string()))?;
        stream.set_nodelay(true).map_err(|e| fail(e.to_string()))?;
        let (socket, _) = tungstenite::client(url, stream).map_err(|e| fail(e.to_string()))?;
        Ok(Cdp {
            socket,
            next_id: 1,
            events: Vec::new(),
        })
    }

    /// Sends `method` to `session` (or the browser) and waits for its result;
    /// events that arrive meanwhile are kept for [`Cdp::take_events`].
    pub fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, CdpError> {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let (Some(s), Some(obj)) = (session, message.as_object_mut()) {
            obj.insert("sessionId".into(), Value::String(s.to_string()));
        }
        self.socket
            .send(Message::text(message.to_string()))
            .map_err(|e| CdpError::Socket(e.to_string()))?;
        let deadline = Instant::now() + COMMAND_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(CdpError::Timeout {
                    method: method.to_string(),
                });
            }
            let Some(reply) = self.read(left)? else {
                continue;
            };
            if reply.get("id").and_then(Value::as_u64) != Some(id) {
                continue;
            }
            if let Some(error) = reply.get("error") {
                return Err(CdpError::Command {
                    method: method.to_string(),
                    message: error
                        .get("message")
                        .and_then(Value::as_str)
                        .unwrap_or("unknown error")
                        .to_string(),
                });
            }
            return Ok(reply.get("result").cloned().unwrap_or(Value::Null));
        }
    }

    /// Reads events for up to `wait` (returns early once one arrived).
    pub fn poll(&mut self, wait: Duration) -> Result<(), CdpError> {
        let deadline = Instant::now() + wait;
        let before = self.events.len();
        while self.events.len() == before {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            self.read(left)?;
        }
        Ok(())
    }

    /// The events received so far, oldest first; the queue is left empty.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// Reads one message within `wait`: a command reply is returned, an
    /// event is queued (and `None` returned), as is a timeout.
    fn read(&mut self, wait: Duration) -> Result<Option<Value>, CdpError> {
        let wait = wait.max(Duration::from_millis(1));
        self.socket
            .get_mut()
            .set_read_timeout(Some(wait))
            .map_err(|e| CdpError::Socket(e.to_string()))?;
        let message = match self.socket.read() {
            Ok(m) => m,
            Err(tungstenite::Error::Io(e))
                if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
            {
                return Ok(None)
            }
            Err(e) => return Err(CdpError::Socket(e.to_string())),
        };
        let Ok(text) = message.to_text() else {
            return Ok(None);
        };
        let Ok(value) = serde_json::from_str::<Value>(text) else {
            return Ok(None);
        };
        if value.get("id").is_some() {
            return Ok(Some(value));
        }
        if let Some(method) = value.get("method").and_then(Value::as_str) {
            self.events.push(Event {
                session: value
                    .get("sessionId")
                    .and_then(Value::as_str)
                    .map(String::from),
                method: method.to_string(),
                params: value.get("params").cloned().unwrap_or(Value::Null),
            });
        }
        Ok(None)
    }
}
