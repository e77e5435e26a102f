//! Cookie and storage-key name globs: `*` stands for any run of characters
//! (none included), every other character for itself, and the glob covers
//! the whole name. Matching is linear in the name's and the glob's length:
//! the first and last pieces are a prefix and a suffix, and each piece in
//! between is found once, left to right, after the one before it (the
//! leftmost place is always the right one, since a `*` can take up any
//! gap). There is no backtracking, so no name can make it slow, and each
//! piece is found by Knuth–Morris–Pratt over bytes, linear whatever the
//! piece and the name hold.

/// Whether `glob` matches the whole of `name`.
pub fn matches(glob: &str, name: &str) -> bool {
    let Some((head, last)) = crate::text::rsplit_once_byte(glob, b'*') else {
        return glob == name;
    };
    let mut pieces = crate::text::split_byte(head, b'*');
    let first = pieces.next().unwrap_or_default();
    // The suffix is cut from what follows the prefix, so the two never overlap.
    let Some(mut rest) = name
        .strip_prefix(first)
        .and_then(|rest| rest.strip_suffix(last))
    else {
        return false;
    };
    for piece in pieces.filter(|p| !p.is_empty()) {
        let Some(at) = find(rest.as_bytes(), piece.as_bytes()) else {
            #[cfg(all(test, not(target_arch = "wasm32")))]
            tests::scanned(rest.len());
            return false;
        };
        let end = at + piece.len();
        #[cfg(all(test, not(target_arch = "wasm32")))]
        tests::scanned(end);
        rest = rest.get(end..).unwrap_or_default();
    }
    true
}

/// Where `piece` (not empty) first occurs in `text`. Both are UTF-8 and the
/// piece starts and ends on a character boundary, so a byte match does too.
fn find(text: &[u8], piece: &[u8]) -> Option<usize> {
    // border[i]: the longest proper prefix of piece[..=i] that is also its suffix.
    let mut border = Vec::with_capacity(piece.len());
    let mut k = 0;
    let step = |k: usize, b: u8, border: &[usize]| {
        let mut k = k;
        while k > 0 && piece.get(k) != Some(&b) {
            k = border.get(k - 1).copied().unwrap_or(0);
        }
        k + usize::from(piece.get(k) == Some(&b))
    };
    for (i, &b) in piece.iter().enumerate() {
        k = if i == 0 { 0 } else { step(k, b, &border) };
        border.push(k);
    }
    k = 0;
    for (i, &b) in text.iter().enumerate() {
        k = step(k, b, &border);
        if k == piece.len() {
            return Some(i + 1 - k);
        }
    }
    None
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::{find, matches};
    use proptest::prelude::*;
    use std::cell::Cell;

    thread_local! {
        /// Bytes of the name the piece searches have covered, for the
        /// linear-time property.
        static SCANNED: Cell<usize> = const { Cell::new(0) };
    }

    pub(super) fn scanned(bytes: usize) {
        SCANNED.with(|s| s.set(s.get() + bytes));
    }

    fn scanned_by(glob: &str, name: &str) -> (bool, usize) {
        SCANNED.with(|s| s.set(0));
        let matched = matches(glob, name);
        (matched, SCANNED.with(Cell::get))
    }

    /// What a glob means, by trying every split: slow (exponential in the
    /// stars) but obviously right.
    fn reference(glob: &[char], name: &[char]) -> bool {
        match glob.split_first() {
            None => name.is_empty(),
            Some(('*', rest)) => {
                (0..=name.len()).any(|k| reference(rest, name.get(k..).unwrap_or_default()))
            }
            Some((c, rest)) => match name.split_first() {
                Some((n, more)) => n == c && reference(rest, more),
                None => false,
            },
        }
    }

    #[test]
    fn matches_whole_names() {
        assert!(matches("_ga_*", "_ga_ABC123"));
        assert!(matches("_ga_*", "_ga_"));
        assert!(!matches("_ga_*", "x_ga_1"));
        assert!(matches("*_ga", "x_ga"));
        assert!(!matches("*_ga", "_gax"));
        assert!(matches("_gac_*_*", "_gac_gb_123"));
        assert!(!matches("_gac_*_*", "_gac_123"));
        assert!(matches("a*b*c", "abc"));
        assert!(matches("a*b*c", "a-b-b-c"));
        assert!(!matches("a*b*c", "acb"));
        // Prefix and suffix must not share characters.
        assert!(!matches("ab*ba", "aba"));
        assert!(matches("ab*ba", "abba"));
        assert!(matches("x", "x") && !matches("x", "xy"));
        assert!(matches("é*ü", "éaü"));
    }

    #[test]
    fn pieces_are_found_where_str_find_finds_them() {
        for (text, piece) in [
            ("aaab", "aab"),
            ("abababc", "ababc"),
            ("ab", "abc"),
            ("x", "x"),
            ("aabaabaaa", "aabaaa"),
            ("zéé", "é"),
        ] {
            assert_eq!(
                find(text.as_bytes(), piece.as_bytes()),
                text.find(piece),
                "{piece} in {text}"
            );
        }
    }

    /// Names and globs over a tiny alphabet, so that stars, repeats and near
    /// misses are common.
    fn word(max: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(prop_oneof![Just('a'), Just('b'), Just('*')], 0..max)
            .prop_map(|cs| cs.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn agrees_with_the_definition(glob in word(10), name in word(14)) {
            let name = name.replace('*', "c");
            let expected = reference(&glob.chars().collect::<Vec<_>>(), &name.chars().collect::<Vec<_>>());
            prop_assert_eq!(matches(&glob, &name), expected, "{} on {}", glob, name);
        }

        #[test]
        fn finds_as_str_find_does(text in "[ab]{0,30}", piece in "[ab]{1,6}") {
            prop_assert_eq!(find(text.as_bytes(), piece.as_bytes()), text.find(&piece));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Hostile shapes (many stars, pieces that almost occur, names of
        /// thousands of characters): the searches never cover a byte of the
        /// name twice, so the work is linear. A backtracking matcher covers
        /// the name once per star or worse.
        #[test]
        fn is_linear_on_hostile_input(
            pieces in proptest::collection::vec("a{1,3}b?", 1..60),
            tail in "[ab]{0,3}",
            run in 1_000usize..20_000,
            miss in any::<bool>(),
        ) {
            let glob = ["*", &pieces.join("*"), "*", &tail].concat();
            let mut name = "a".repeat(run);
            if !miss {
                name.push_str(&pieces.concat());
                name.push_str(&tail);
            }
            let (matched, scanned) = scanned_by(&glob, &name);
            prop_assert!(scanned <= name.len(), "scanned {} bytes of a {}-byte name", scanned, name.len());
            if !miss {
                prop_assert!(matched);
            }
        }
    }
}
