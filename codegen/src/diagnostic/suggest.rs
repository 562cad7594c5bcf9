//! "Did you mean" suggestions for near-miss names.

/// Names longer than this get no suggestion: a typo is in a name someone
/// typed, and comparing long strings costs the product of their lengths.
pub const MAX_SUGGEST_LEN: usize = 256;

/// The candidate closest to `word`, if it is close enough to be a likely typo.
///
/// Linear in the number of candidates: words and candidates longer than
/// [`MAX_SUGGEST_LEN`] are skipped, and only candidates of a comparable
/// length are compared.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    if word.len() > MAX_SUGGEST_LEN {
        return None;
    }
    let word_chars = word.chars().count();
    let mut best: Option<(f64, &'a str)> = None;
    for c in candidates {
        if c == word || c.len() > MAX_SUGGEST_LEN {
            continue;
        }
        let c_chars = c.chars().count();
        let (short, long) = (word_chars.min(c_chars), word_chars.max(c_chars));
        if short * 2 + 2 < long {
            continue;
        }
        let score = strsim::jaro_winkler(word, c);
        // Within `max_edits` edits (insertions, deletions, substitutions,
        // adjacent transpositions): the length difference is a lower bound
        // and cheap, so the edit distance is computed only when it can pass
        // (optimal string alignment: no allocation per character, unlike
        // unrestricted Damerau-Levenshtein, which dominated the time of many
        // unknown fields).
        let max_edits = 2.min(word_chars / 3 + 1);
        let close = score >= 0.85
            || (long - short <= max_edits && strsim::osa_distance(word, c) <= max_edits);
        if close && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_omnabase_typo() {
        assert_eq!(
            did_you_mean("omnabase", ["omnibase", "omninode_bridge"]),
            Some("omnibase")
        );
    }

    #[test]
    fn ignores_distant_words() {
        assert_eq!(did_you_mean("billing", ["omnibase", "registry"]), None);
    }

    #[test]
    fn long_words_are_not_compared() {
        let long = "a".repeat(1 << 20);
        assert_eq!(did_you_mean(&long, ["a", long.as_str()]), None);
        assert_eq!(did_you_mean("abc", [long.as_str()]), None);
    }

    #[test]
    fn picks_the_closest() {
        assert_eq!(
            did_you_mean("node_idd", ["node_id", "node_type"]),
            Some("node_id")
        );
    }
}
