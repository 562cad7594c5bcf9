//! Where a value lies in a JSON text, by its path of object keys and array
//! indices: serde_json gives positions only for syntax errors, and a sample
//! that parses but does not match its schema should still be reported at
//! the offending value, not at `1:1`.
//!
//! One forward scan of the text, iterative (no recursion on nesting), so a
//! lookup costs at most the text's length whatever its shape. The text is
//! expected to be valid JSON (it was parsed before); on anything else the
//! lookup gives up (`None`) rather than guess.

/// One step of a path into a JSON value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step<'a> {
    /// A member of an object, by its (decoded) key.
    Key(&'a str),
    /// An element of an array.
    Index(usize),
}

/// The byte offset and length of the value at `path` in `text`: a scalar's
/// whole text, a container's opening bracket. `None` when the path does
/// not lead to a value.
pub fn value_span(text: &str, path: &[Step<'_>]) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut at = skip_ws(b, 0);
    if b.get(at) == Some(&0xEF) {
        // A byte-order mark before the document.
        at = skip_ws(b, at + 3);
    }
    for step in path {
        at = match *step {
            Step::Key(key) => member(text, at, key)?,
            Step::Index(n) => element(b, at, n)?,
        };
    }
    let len = match b.get(at)? {
        b'{' | b'[' => 1,
        _ => skip_value(b, at)?.saturating_sub(at),
    };
    Some((at, len))
}

/// The scalar that ends at byte `end` (inclusive), as serde_json's error
/// positions name the last character it read: the whole string (from its
/// opening quote) or number or literal, as an offset and a length.
pub fn scalar_ending_at(text: &str, end: usize) -> (usize, usize) {
    let b = text.as_bytes();
    let Some(&last) = b.get(end) else {
        return (end.min(b.len()), 0);
    };
    let mut start = end;
    if last == b'"' {
        // Back to the opening quote: one not preceded by an odd run of
        // backslashes.
        while start > 0 {
            start -= 1;
            if b.get(start) == Some(&b'"') {
                let slashes = b
                    .get(..start)
                    .map_or(0, |s| s.iter().rev().take_while(|&&c| c == b'\\').count());
                if slashes % 2 == 0 {
                    break;
                }
            }
        }
    } else if !(last.is_ascii_alphanumeric() || matches!(last, b'.' | b'+' | b'-')) {
        // Punctuation (`}`, `]`, `,`): just that character.
        return (end, 1);
    } else {
        while start > 0
            && b.get(start - 1)
                .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'-'))
        {
            start -= 1;
        }
    }
    (start, end + 1 - start)
}

/// The value of member `key` of the object starting at `at`.
fn member(text: &str, at: usize, key: &str) -> Option<usize> {
    let b = text.as_bytes();
    if b.get(at) != Some(&b'{') {
        return None;
    }
    let mut i = skip_ws(b, at + 1);
    if b.get(i) == Some(&b'}') {
        return None;
    }
    loop {
        let end = skip_string(b, i)?;
        let raw = text.get(i + 1..end - 1)?;
        let matches = if raw.contains('\\') {
            serde_json::from_str::<String>(text.get(i..end)?).ok()? == key
        } else {
            raw == key
        };
        i = skip_ws(b, end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(b, i + 1);
        if matches {
            return Some(i);
        }
        i = skip_ws(b, skip_value(b, i)?);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            _ => return None,
        }
    }
}

/// Element `n` of the array starting at `at`.
fn element(b: &[u8], at: usize, n: usize) -> Option<usize> {
    if b.get(at) != Some(&b'[') {
        return None;
    }
    let mut i = skip_ws(b, at + 1);
    if b.get(i) == Some(&b']') {
        return None;
    }
    for _ in 0..n {
        i = skip_ws(b, skip_value(b, i)?);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            _ => return None,
        }
    }
    Some(i)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// Just past the string starting at `at` (which must be its `"`).
fn skip_string(b: &[u8], at: usize) -> Option<usize> {
    if b.get(at) != Some(&b'"') {
        return None;
    }
    let mut i = at + 1;
    loop {
        match b.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// Just past the value starting at `at`; containers are skipped by counting
/// brackets outside strings, without recursion.
fn skip_value(b: &[u8], at: usize) -> Option<usize> {
    match b.get(at)? {
        b'"' => skip_string(b, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            loop {
                match b.get(i)? {
                    b'"' => {
                        i = skip_string(b, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = at;
            while let Some(c) = b.get(i) {
                if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                    break;
                }
                i += 1;
            }
            (i > at).then_some(i)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Step, value_span};

    fn at<'t>(text: &'t str, path: &[Step<'_>]) -> Option<&'t str> {
        value_span(text, path).and_then(|(o, l)| text.get(o..o + l))
    }

    #[test]
    fn finds_members_elements_and_scalars() {
        let t = r#"{ "a": 1, "b": { "c": [10, "x,]}", {"d": true}] }, "e": null }"#;
        assert_eq!(at(t, &[Step::Key("a")]), Some("1"));
        assert_eq!(at(t, &[Step::Key("e")]), Some("null"));
        assert_eq!(at(t, &[Step::Key("b")]), Some("{"));
        assert_eq!(
            at(t, &[Step::Key("b"), Step::Key("c"), Step::Index(1)]),
            Some(r#""x,]}""#)
        );
        assert_eq!(
            at(
                t,
                &[
                    Step::Key("b"),
                    Step::Key("c"),
                    Step::Index(2),
                    Step::Key("d")
                ]
            ),
            Some("true")
        );
        assert_eq!(at(t, &[]), Some("{"));
    }

    #[test]
    fn keys_are_compared_decoded() {
        let t = "{\"caf\\u00e9\": 1, \"q\\\"\": 2}";
        assert_eq!(at(t, &[Step::Key("café")]), Some("1"));
        assert_eq!(at(t, &[Step::Key("q\"")]), Some("2"));
    }

    #[test]
    fn a_path_that_leads_nowhere_is_none() {
        let t = r#"{"a": [1, 2], "b": {}}"#;
        assert_eq!(at(t, &[Step::Key("z")]), None);
        assert_eq!(at(t, &[Step::Key("a"), Step::Index(2)]), None);
        assert_eq!(at(t, &[Step::Key("a"), Step::Key("x")]), None);
        assert_eq!(at(t, &[Step::Key("b"), Step::Key("x")]), None);
        assert_eq!(at("[]", &[Step::Index(0)]), None);
        assert_eq!(at("{\"a\": \"unterminated", &[Step::Key("a")]), None);
    }

    #[test]
    fn scalars_are_found_from_their_last_character() {
        use super::scalar_ending_at;
        let t = r#"{"a": "x\"y", "b": -12.5e3, "c": true}"#;
        let span = |end: usize| {
            let (o, l) = scalar_ending_at(t, end);
            t.get(o..o + l)
        };
        assert_eq!(span(t.find(", \"b").unwrap() - 1), Some(r#""x\"y""#));
        assert_eq!(span(t.find(", \"c").unwrap() - 1), Some("-12.5e3"));
        assert_eq!(span(t.len() - 2), Some("true"));
        assert_eq!(scalar_ending_at(t, 1_000), (t.len(), 0));
    }

    #[test]
    fn deep_nesting_costs_no_recursion() {
        let deep = format!(
            "{{\"a\": {}1{}, \"b\": 2}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(at(&deep, &[Step::Key("b")]), Some("2"));
    }
}
