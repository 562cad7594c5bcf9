//! "Did you mean" suggestions for near-miss names.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &'a str)> = None;
    for c in candidates {
        if c == word {
            continue;
        }
        let score = strsim::jaro_winkler(word, c);
        let close =
            score >= 0.85 || strsim::damerau_levenshtein(word, c) <= 2.min(word.len() / 3 + 1);
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
    fn picks_the_closest() {
        assert_eq!(
            did_you_mean("node_idd", ["node_id", "node_type"]),
            Some("node_id")
        );
    }
}
