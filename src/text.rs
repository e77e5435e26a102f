//! Numbers as text and text as numbers without `core::fmt` or `str::parse`:
//! every formatting routine linked into the wasm is paid by every visitor,
//! and these few loops are all the core needs.

/// Appends `n` in decimal.
pub fn push_decimal(out: &mut String, n: u64) {
    push_padded(out, n, 1);
}

/// Appends `n` in decimal, left-padded with zeros to at least `width` digits
/// (`push_padded(s, 7, 3)` appends `007`; widths past 20 count as 20).
pub fn push_padded(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut len = 0;
    loop {
        if let Some(d) = digits.get_mut(len) {
            *d = b'0' + (n % 10) as u8;
        }
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for d in digits.iter().take(len.max(width).min(digits.len())).rev() {
        out.push(char::from(*d));
    }
}

/// The value of a run of ASCII digits (`"0042"` is 42); `None` when `s` is
/// empty, holds anything but `0`–`9`, or does not fit a `u64`.
pub fn parse_decimal(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.bytes().try_fold(0u64, |n, b| {
        let digit = b.checked_sub(b'0').filter(|d| *d < 10)?;
        n.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// Whether `text` holds `needle` (a few fixed bytes): a window compare, so
/// no substring searcher (`str::contains(&str)`) is linked for it.
pub fn holds(text: &str, needle: &[u8]) -> bool {
    text.as_bytes().windows(needle.len()).any(|w| w == needle)
}

/// `template` with every `{service}` replaced by `name` (what
/// `str::replace` gives, found by the `{` alone).
pub fn with_service(template: &str, name: &str) -> String {
    let mut out = String::with_capacity(template.len() + name.len());
    let mut rest = template;
    while let Some((before, after)) = split_once_byte(rest, b'{') {
        out.push_str(before);
        match after.strip_prefix("service}") {
            Some(tail) => {
                out.push_str(name);
                rest = tail;
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `parts` one after another (what `[..].concat()` gives): one plain loop
/// shared by every caller instead of std's generic joiner (0.9 KB of wasm).
#[inline(never)]
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `parts` with `sep` between each two (what `[..].join(sep)` gives), by
/// the same plain loop.
pub fn join(parts: &[&str], sep: &str) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(part);
    }
    out
}

/// Where the first `byte` (ASCII) of `s` is: what `find(char)` gives, by
/// an index loop instead of core's character searcher and `memchr`.
pub fn find_byte(s: &str, byte: u8) -> Option<usize> {
    let mut at = 0;
    loop {
        if *s.as_bytes().get(at)? == byte {
            return Some(at);
        }
        at += 1;
    }
}

/// Where the first of the ASCII bytes `set` is in `s`: what
/// `find([char, ..])` gives, without core's multi-character searcher.
pub fn find_any(s: &str, set: &[u8]) -> Option<usize> {
    let mut at = 0;
    loop {
        let b = *s.as_bytes().get(at)?;
        // Not `set.contains`: for bytes that is `memchr`, 0.4 KB of wasm.
        #[allow(clippy::manual_contains)]
        if set.iter().any(|&c| c == b) {
            return Some(at);
        }
        at += 1;
    }
}

/// `s` cut around its first `byte` (ASCII): what `split_once(char)` gives.
pub fn split_once_byte(s: &str, byte: u8) -> Option<(&str, &str)> {
    let at = find_byte(s, byte)?;
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// What comes before the first `byte` (ASCII) of `s`, or all of it: what
/// `s.split(char).next()` gives.
pub fn before_byte(s: &str, byte: u8) -> &str {
    split_once_byte(s, byte).map_or(s, |(before, _)| before)
}

/// Whether `s` holds `byte` (ASCII): what `contains(char)` gives.
pub fn has_byte(s: &str, byte: u8) -> bool {
    find_byte(s, byte).is_some()
}

/// The pieces of `s` between each `byte` (ASCII): what `split(char)` gives.
pub fn split_byte(s: &str, byte: u8) -> SplitByte<'_> {
    SplitByte {
        rest: Some(s),
        byte,
    }
}

/// The iterator [`split_byte`] returns.
pub struct SplitByte<'a> {
    rest: Option<&'a str>,
    byte: u8,
}

impl<'a> Iterator for SplitByte<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        let (piece, after) = match split_once_byte(rest, self.byte) {
            Some((piece, after)) => (piece, Some(after)),
            None => (rest, None),
        };
        self.rest = after;
        Some(piece)
    }
}

/// `s` cut around its last `byte`, which must be ASCII (so both sides are
/// whole characters): what `rsplit_once(char)` gives, without core's
/// reverse character searcher (0.7 KB of wasm).
pub fn rsplit_once_byte(s: &str, byte: u8) -> Option<(&str, &str)> {
    let mut at = s.len();
    loop {
        at = at.checked_sub(1)?;
        if s.as_bytes().get(at) == Some(&byte) {
            return Some((s.get(..at)?, s.get(at + 1..)?));
        }
    }
}

/// `s` without the run of `byte` (ASCII) at its end: what
/// `trim_end_matches(char)` gives, by a byte loop.
pub fn trim_end_byte(s: &str, byte: u8) -> &str {
    let mut keep = s.len();
    while keep > 0 && s.as_bytes().get(keep - 1) == Some(&byte) {
        keep -= 1;
    }
    s.get(..keep).unwrap_or(s)
}

/// `s` without the C0 controls and spaces (U+0000 to U+0020) at its ends,
/// what the URL parser strips: `trim_matches(|c| c <= ' ')` by a byte
/// loop (every such character is one ASCII byte, so no cut splits one).
pub fn trim_controls(s: &str) -> &str {
    let b = s.as_bytes();
    let (mut start, mut end) = (0, b.len());
    while start < end && b.get(start).is_some_and(|&c| c <= b' ') {
        start += 1;
    }
    while end > start && b.get(end - 1).is_some_and(|&c| c <= b' ') {
        end -= 1;
    }
    s.get(start..end).unwrap_or(s)
}

/// The number of characters in `s` (what `s.chars().count()` gives): one
/// loop over the bytes, not core's unrolled counter, which is 0.5 KB of wasm.
pub fn char_count(s: &str) -> usize {
    // A character is one lead byte and its continuation bytes (0b10xxxxxx).
    s.bytes().filter(|&b| b & 0xC0 != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_read_as_std_writes_them() {
        for n in [0, 7, 10, 99, 12_345, u64::from(u32::MAX), u64::MAX] {
            let mut s = String::new();
            push_decimal(&mut s, n);
            assert_eq!(s, n.to_string());
            for width in [0, 1, 2, 3, 4, 20] {
                let mut padded = String::new();
                push_padded(&mut padded, n, width);
                assert_eq!(padded, format!("{n:0width$}"), "{n} to {width}");
            }
        }
    }

    #[test]
    fn digits_parse_as_std_parses_them_and_nothing_else_does() {
        for s in ["0", "007", "42", "18446744073709551615"] {
            assert_eq!(parse_decimal(s), s.parse::<u64>().ok(), "{s}");
        }
        for bad in [
            "",
            "+1",
            "-1",
            " 1",
            "1 ",
            "1.0",
            "٣",
            "18446744073709551616",
            "x",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn concat_and_join_give_what_std_gives() {
        let lists: [&[&str]; 5] = [&[], &[""], &["a"], &["", "b", ""], &["ab", "é", "c d"]];
        for parts in lists {
            assert_eq!(concat(parts), parts.concat(), "{parts:?}");
            for sep in ["", " ", ".", "::"] {
                assert_eq!(join(parts, sep), parts.join(sep), "{parts:?} {sep:?}");
            }
        }
    }

    #[test]
    fn any_of_a_set_is_found_as_std_finds_it() {
        for s in ["", "a", "a/b?c#d", "é?/", "#", "日本\\語/", "abc"] {
            assert_eq!(find_any(s, b"/?#"), s.find(['/', '?', '#']), "{s:?}");
            assert_eq!(
                find_any(s, b"/\\?#"),
                s.find(['/', '\\', '?', '#']),
                "{s:?}"
            );
        }
    }

    #[test]
    fn forward_byte_cuts_give_what_std_gives() {
        for s in [
            "",
            "a",
            ":",
            "a:b",
            "a:b:c",
            "::",
            "é:ü",
            ":x:",
            "ab",
            "日本:語",
        ] {
            for byte in [b':', b'a', b'x'] {
                let c = char::from(byte);
                assert_eq!(find_byte(s, byte), s.find(c), "{s:?} {c:?}");
                assert_eq!(split_once_byte(s, byte), s.split_once(c), "{s:?} {c:?}");
                assert_eq!(Some(before_byte(s, byte)), s.split(c).next(), "{s:?} {c:?}");
                assert_eq!(has_byte(s, byte), s.contains(c), "{s:?} {c:?}");
                let ours: Vec<&str> = split_byte(s, byte).collect();
                let std: Vec<&str> = s.split(c).collect();
                assert_eq!(ours, std, "{s:?} {c:?}");
            }
        }
    }

    #[test]
    fn control_trim_gives_what_std_gives() {
        for s in [
            "",
            " ",
            "\u{0}\t a \u{1f}",
            "a",
            " é ",
            "\u{a0}x\u{a0}",
            "\u{7f}x",
            "  a b  ",
            "\n\r",
        ] {
            assert_eq!(
                trim_controls(s),
                s.trim_matches(|c: char| c <= ' '),
                "{s:?}"
            );
        }
    }

    #[test]
    fn byte_cuts_give_what_std_gives() {
        for s in [
            "", "a", ":", "a:b", "a:b:c", "::", "é:ü", "ab==", "==", "x.", "é..", "a=b=",
        ] {
            for byte in [b':', b'=', b'.', b'a'] {
                let c = char::from(byte);
                assert_eq!(rsplit_once_byte(s, byte), s.rsplit_once(c), "{s:?} {c:?}");
                assert_eq!(trim_end_byte(s, byte), s.trim_end_matches(c), "{s:?} {c:?}");
            }
        }
    }

    #[test]
    fn service_fills_in_as_replace_does() {
        for template in [
            "",
            "{service}",
            "Load {service} once",
            "{{service}}",
            "{service{service}",
            "{servic} {service}{service} {",
            "ä{service}ö{",
        ] {
            assert_eq!(
                with_service(template, "Yé{service}"),
                template.replace("{service}", "Yé{service}"),
                "{template}"
            );
        }
    }

    #[test]
    fn counts_characters_as_chars_does() {
        for s in [
            "",
            "a",
            "é",
            "日本語",
            "a\u{1F600}b",
            "\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}",
        ] {
            assert_eq!(char_count(s), s.chars().count(), "{s:?}");
        }
    }

    #[test]
    fn holds_finds_bytes_anywhere() {
        assert!(holds("https://x", b"://") && holds("://", b"://"));
        assert!(!holds("https:/x", b"://") && !holds("", b"://") && !holds(":/", b"://"));
    }
}
