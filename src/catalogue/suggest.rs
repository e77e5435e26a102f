//! "Did you mean …?": the nearest known name to a mistyped one.

/// Longest word a suggestion is looked for.
const MAX_WORD_CHARS: usize = 64;

/// The candidate closest to `word`, if one is close enough to be a likely
/// typo: at most two edits, and at most one edit per three characters.
/// Case is ignored, so `Category` suggests `category`.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Typos worth suggesting for are in names, not in paragraphs; this also
    // keeps a hostile catalogue from costing quadratic time per lookup.
    if word.chars().count() > MAX_WORD_CHARS {
        return None;
    }
    let word: Vec<char> = word.to_ascii_lowercase().chars().collect();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let cand: Vec<char> = candidate.to_ascii_lowercase().chars().collect();
        // Edits are at least the length difference; skip hopeless (and long) ones cheaply.
        if word.len().abs_diff(cand.len()) > 2 {
            continue;
        }
        let d = edit_distance(&word, &cand);
        let longest = word.len().max(cand.len());
        if d <= 2 && d * 3 <= longest && best.map_or(true, |(b, _)| d < b) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// `; did you mean "x"?` when a candidate is close, else "".
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates)
        .map(|c| format!("; did you mean \"{c}\"?"))
        .unwrap_or_default()
}

/// Quoted, comma-separated names for "the fields are …" lists.
pub fn quoted_list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Damerau–Levenshtein distance (optimal string alignment): insertions,
/// deletions, substitutions and swaps of neighbours each count one, since
/// swapped letters are the commonest typo.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    // Three rolling rows: the one before last (for swaps), the last, and this one.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut last: Vec<usize> = (0..=b.len()).collect();
    let mut prev_char: Option<char> = None;
    for (i, &ca) in a.iter().enumerate() {
        let mut row = vec![i + 1; b.len() + 1];
        let mut prev_b: Option<char> = None;
        for (j, &cb) in b.iter().enumerate() {
            let up = last.get(j + 1).copied().unwrap_or(usize::MAX - 1) + 1;
            let left = row.get(j).copied().unwrap_or(usize::MAX - 1) + 1;
            let diag = last.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let mut d = up.min(left).min(diag);
            if prev_char == Some(cb) && prev_b == Some(ca) {
                d = d.min(before.get(j.wrapping_sub(1)).copied().unwrap_or(d) + 1);
            }
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = d;
            }
            prev_b = Some(cb);
        }
        before = std::mem::replace(&mut last, row);
        prev_char = Some(ca);
    }
    last.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        edit_distance(&a, &b)
    }

    #[test]
    fn counts_edits_and_swaps() {
        assert_eq!(dist("", "abc"), 3);
        assert_eq!(dist("abc", ""), 3);
        assert_eq!(dist("kitten", "sitting"), 3);
        assert_eq!(dist("categroy", "category"), 1);
        assert_eq!(dist("analitics", "analytics"), 1);
    }

    #[test]
    fn suggests_only_likely_typos() {
        let fields = ["id", "category", "name", "purpose"];
        assert_eq!(closest("categroy", fields), Some("category"));
        assert_eq!(closest("Category", fields), Some("category"));
        assert_eq!(closest("purpse", fields), Some("purpose"));
        assert_eq!(closest("x", fields), None);
        assert_eq!(closest("colour", fields), None);
        assert_eq!(did_you_mean("nme", fields), "; did you mean \"name\"?");
    }
}
