//! A small JSON reader that keeps where every value came from.
//!
//! The catalogue's error messages name a line, a column and a JSON path, and
//! the browser must not carry serde_json's float formatting, so both the
//! native tool and the wasm read JSON through this module. It never panics:
//! every failure is a [`ParseError`] with the place it happened.

use std::fmt;

use crate::text::{parse_decimal, push_decimal};

/// Deepest nesting accepted; deeper documents are refused, not recursed into.
pub const MAX_DEPTH: usize = 128;

/// A place in the source text: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
}

impl Pos {
    /// Appends `LINE:COLUMN` (what `Display` writes, without `core::fmt`).
    pub fn push_to(&self, out: &mut String) {
        push_decimal(out, u64::from(self.line));
        out.push(':');
        push_decimal(out, u64::from(self.column));
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A JSON value and the place it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    /// What the value is.
    pub kind: Kind,
    /// Where it starts.
    pub pos: Pos,
}

/// The kinds of JSON value. Numbers keep their source text; objects keep
/// their members in order, duplicates included, so a checker can report them.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object's members in source order.
    Object(Vec<Member>),
}

/// One `"key": value` member of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The key, unescaped.
    pub key: String,
    /// Where the key starts.
    pub key_pos: Pos,
    /// The value.
    pub value: Value,
}

/// Why a text is not JSON, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Where the problem was found.
    pub pos: Pos,
    /// What is wrong, in words for people who do not write parsers (fixed
    /// words: no allocation on each of the parser's many error paths).
    pub message: &'static str,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pos, self.message)
    }
}

impl Value {
    /// A short name of the kind, for messages ("a string", "an object").
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "true/false",
            Kind::Number(_) => "a number",
            Kind::String(_) => "a string",
            Kind::Array(_) => "a list",
            Kind::Object(_) => "an object",
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            Kind::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The number as a non-negative whole number, if it is one that fits.
    pub fn as_u64(&self) -> Option<u64> {
        match &self.kind {
            Kind::Number(n) => parse_decimal(n),
            _ => None,
        }
    }

    /// The number as a float, if this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match &self.kind {
            Kind::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match &self.kind {
            Kind::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.kind {
            Kind::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The first member named `key`, if this is an object that has one.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }
}

/// Reads bytes as JSON: refuses text that is not UTF-8 (saying where), and
/// skips a leading UTF-8 byte-order mark.
pub fn parse_bytes(bytes: &[u8]) -> Result<Value, ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(e) => {
            let good = bytes.get(..e.valid_up_to()).unwrap_or_default();
            // Everything before the bad byte is valid UTF-8 by definition.
            let before = std::str::from_utf8(good).unwrap_or_default();
            Err(ParseError {
                pos: end_pos(before),
                message: "the file is not UTF-8 text (save it as UTF-8)",
            })
        }
    }
}

/// Reads a text as one JSON document.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut p = Parser {
        text,
        src: text.as_bytes(),
        at: 0,
        line: 1,
        col: 1,
    };
    p.skip_ws();
    if p.at >= p.src.len() {
        return Err(p.error("the file is empty; a catalogue starts with {"));
    }
    let v = p.value(0)?;
    p.skip_ws();
    if p.at < p.src.len() {
        return Err(p.error("unexpected text after the end of the document"));
    }
    Ok(v)
}

/// Appends `s` to `out` as a JSON string literal, quotes included.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str("\\u");
                let n = c as u32;
                for shift in [12, 8, 4, 0] {
                    let d = (n >> shift) & 0xf;
                    out.push(char::from_digit(d, 16).unwrap_or('0'));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends `v` to `out` as compact JSON: no white space, numbers as they
/// were written, members in order (the native tools write catalogues).
#[cfg(not(target_arch = "wasm32"))]
pub fn write_compact(out: &mut String, v: &Value) {
    match &v.kind {
        Kind::Null => out.push_str("null"),
        Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Kind::Number(n) => out.push_str(n),
        Kind::String(s) => write_str(out, s),
        Kind::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(out, item);
            }
            out.push(']');
        }
        Kind::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(out, &m.key);
                out.push(':');
                write_compact(out, &m.value);
            }
            out.push('}');
        }
    }
}

/// The position just after `text` (where the next character would be).
pub(crate) fn end_pos(text: &str) -> Pos {
    let mut pos = Pos { line: 1, column: 1 };
    for c in text.chars() {
        if c == '\n' {
            pos.line += 1;
            pos.column = 1;
        } else {
            pos.column += 1;
        }
    }
    pos
}

struct Parser<'a> {
    text: &'a str,
    src: &'a [u8],
    at: usize,
    line: u32,
    col: u32,
}

impl Parser<'_> {
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.col,
        }
    }

    fn error(&self, message: &'static str) -> ParseError {
        ParseError {
            pos: self.pos(),
            message,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.at).copied()
    }

    /// Moves past one byte, counting lines and characters (not bytes).
    fn bump(&mut self) {
        if let Some(b) = self.peek() {
            self.at += 1;
            if b == b'\n' {
                self.line += 1;
                self.col = 1;
            } else if b & 0xC0 != 0x80 {
                self.col += 1;
            }
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.bump();
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        if depth >= MAX_DEPTH {
            return Err(self.error("the document is nested more than 128 levels deep"));
        }
        let pos = self.pos();
        let kind = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Kind::String(self.string()?),
            Some(b't') => self.word("true", Kind::Bool(true))?,
            Some(b'f') => self.word("false", Kind::Bool(false))?,
            Some(b'n') => self.word("null", Kind::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b'\'') => {
                return Err(self.error("strings must use double quotes (\"), not single quotes"))
            }
            Some(b'}' | b']') => return Err(self.error("a value is missing here")),
            Some(_) => {
                return Err(self
                    .error("expected a value (a \"string\", a number, true, false, null, [ or {)"))
            }
            None => return Err(self.error("the document ends too early; something is not closed")),
        };
        Ok(Value { kind, pos })
    }

    fn word(&mut self, word: &str, kind: Kind) -> Result<Kind, ParseError> {
        if self.src.get(self.at..self.at + word.len()) == Some(word.as_bytes()) {
            for _ in 0..word.len() {
                self.bump();
            }
            Ok(kind)
        } else {
            Err(self.error(
                "expected a value; words other than true, false and null need double quotes",
            ))
        }
    }

    fn number(&mut self) -> Result<Kind, ParseError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => self.bump(),
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("a number needs digits here")),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("a number needs digits after the decimal point"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.bump();
            if let Some(b'+' | b'-') = self.peek() {
                self.bump();
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("a number needs digits in its exponent"));
            }
            self.digits();
        }
        // Only ASCII digits, signs, `.` and `e` got here: whole characters.
        let text = self.text.get(start..self.at).unwrap_or_default();
        Ok(Kind::Number(text.to_string()))
    }

    /// Moves past a run of ASCII digits.
    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.bump();
        }
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut n = 0u32;
        for _ in 0..4 {
            let d = self
                .peek()
                .and_then(|b| (b as char).to_digit(16))
                .ok_or_else(|| self.error("\\u must be followed by four hexadecimal digits"))?;
            n = n * 16 + d;
            self.bump();
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String, ParseError> {
        let open = self.pos();
        self.bump(); // the opening quote
        let mut out = String::new();
        loop {
            let run_start = self.at;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.bump();
            }
            // The run stops only at ASCII bytes, so it is whole characters of
            // the source text (no second UTF-8 check).
            out.push_str(self.text.get(run_start..self.at).unwrap_or_default());
            match self.peek() {
                Some(b'"') => {
                    self.bump();
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.bump();
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.bump();
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if self.peek() != Some(b'\\') {
                                    return Err(self.error("an unpaired surrogate in a \\u escape"));
                                }
                                self.bump();
                                if self.peek() != Some(b'u') {
                                    return Err(self.error("an unpaired surrogate in a \\u escape"));
                                }
                                self.bump();
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.error("an unpaired surrogate in a \\u escape"));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            let c = char::from_u32(code)
                                .ok_or_else(|| self.error("a \\u escape names no character"))?;
                            out.push(c);
                            continue;
                        }
                        _ => return Err(self.error(
                            "unknown escape after \\ (use \\\", \\\\, \\/, \\n, \\t or \\uXXXX)",
                        )),
                    };
                    self.bump();
                    out.push(c);
                }
                Some(b'\n') | Some(b'\r') => {
                    return Err(ParseError {
                        pos: open,
                        message: "this string is not closed before the end of the line",
                    })
                }
                Some(_) => return Err(self.error("control characters must be escaped in strings")),
                None => {
                    return Err(ParseError {
                        pos: open,
                        message: "this string is never closed",
                    })
                }
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Kind, ParseError> {
        self.bump();
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.bump();
            return Ok(Kind::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.bump();
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        return Err(self.error("a trailing comma before ] is not allowed in JSON"));
                    }
                }
                Some(b']') => {
                    self.bump();
                    return Ok(Kind::Array(items));
                }
                None => return Err(self.error("the document ends inside a list; a ] is missing")),
                _ => return Err(self.error("expected , or ] after a list item")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Kind, ParseError> {
        self.bump();
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.bump();
            return Ok(Kind::Object(members));
        }
        loop {
            self.skip_ws();
            let key_pos = self.pos();
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') => {
                    return Err(self.error("a trailing comma before } is not allowed in JSON"))
                }
                Some(b'\'') => {
                    return Err(self.error("keys must use double quotes (\"), not single quotes"))
                }
                None => {
                    return Err(self.error("the document ends inside an object; a } is missing"))
                }
                _ => return Err(self.error("expected a \"key\" in double quotes")),
            }
            let key = self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.error("expected : after the key"));
            }
            self.bump();
            self.skip_ws();
            let value = self.value(depth + 1)?;
            members.push(Member {
                key,
                key_pos,
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b'}') => {
                    self.bump();
                    return Ok(Kind::Object(members));
                }
                None => {
                    return Err(self.error("the document ends inside an object; a } is missing"))
                }
                _ => return Err(self.error("expected , or } after a value (is a comma missing?)")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_values_with_positions() -> Result<(), ParseError> {
        let v = parse("{\n  \"a\": [1, -2.5e3, true, null],\n  \"b\": \"x\\u00e9\\n\"\n}")?;
        let a = v.get("a");
        assert_eq!(a.map(|a| a.pos), Some(Pos { line: 2, column: 8 }));
        let second = a.and_then(Value::as_array).and_then(|items| items.get(1));
        assert_eq!(second.and_then(Value::as_f64), Some(-2500.0));
        assert_eq!(v.get("b").and_then(Value::as_str), Some("xé\n"));
        Ok(())
    }

    #[test]
    fn reports_missing_comma_at_its_place() {
        let e = parse("{\"a\": 1\n \"b\": 2}").unwrap_err();
        assert_eq!(e.pos, Pos { line: 2, column: 2 });
        assert!(e.message.contains("comma"), "{}", e.message);
    }

    #[test]
    fn refuses_deep_nesting_without_recursing() {
        let deep = "[".repeat(100_000);
        let e = parse(&deep).unwrap_err();
        assert!(e.message.contains("nested"), "{}", e.message);
    }

    #[test]
    fn refuses_non_utf8_and_skips_bom() {
        assert!(parse_bytes(b"\xEF\xBB\xBF{}").is_ok());
        let e = parse_bytes(b"{\"a\":\n\"\xff\"}").unwrap_err();
        assert_eq!(e.pos, Pos { line: 2, column: 2 });
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let e = parse("{\"é\": x}").unwrap_err();
        assert_eq!(e.pos, Pos { line: 1, column: 7 });
    }

    #[test]
    fn the_depth_message_names_the_limit() {
        let e = parse(&"[".repeat(MAX_DEPTH + 1)).unwrap_err();
        assert!(e.message.contains(&MAX_DEPTH.to_string()), "{}", e.message);
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn writes_compact_documents_that_read_back_the_same() -> Result<(), ParseError> {
        let text = "{ \"a\": [1, -2.5e3, true, null, {}], \"b\": \"x\\u00e9\\n\", \"c\": [] }";
        let v = parse(text)?;
        let mut out = String::new();
        write_compact(&mut out, &v);
        assert_eq!(
            out,
            "{\"a\":[1,-2.5e3,true,null,{}],\"b\":\"xé\\n\",\"c\":[]}"
        );
        let mut again = String::new();
        write_compact(&mut again, &parse(&out)?);
        assert_eq!(again, out);
        Ok(())
    }

    #[test]
    fn writes_escaped_strings() {
        let mut s = String::new();
        write_str(&mut s, "a\"b\\c\n\u{1}\u{2028}");
        assert_eq!(s, "\"a\\\"b\\\\c\\n\\u0001\\u2028\"");
        let back = parse(&s);
        assert_eq!(
            back.as_ref().ok().and_then(Value::as_str),
            Some("a\"b\\c\n\u{1}\u{2028}")
        );
    }
}
