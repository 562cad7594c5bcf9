//! Durations as contracts write them (`7d`, `15m`) and as people read them.

use std::fmt;

/// A duration in milliseconds whose `Display` is the shortest exact human
/// form: `7d`, `1h`, `30s`, `500ms` (what docs, generated comments and lint
/// messages show).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Millis(pub u64);

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNITS: [(u64, &str); 4] = [
            (86_400_000, "d"),
            (3_600_000, "h"),
            (60_000, "m"),
            (1_000, "s"),
        ];
        let ms = self.0;
        for (size, unit) in UNITS {
            if ms >= size && ms % size == 0 {
                return write!(f, "{}{unit}", ms / size);
            }
        }
        write!(f, "{ms}ms")
    }
}

/// Parse a contract duration (`1h`, `7d`, `500ms`, humantime's syntax) into
/// milliseconds; `None` when it does not parse or does not fit.
pub fn parse_ms(s: &str) -> Option<u64> {
    humantime::parse_duration(s.trim())
        .ok()
        .and_then(|d| u64::try_from(d.as_millis()).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_form_is_the_largest_exact_unit() {
        assert_eq!(Millis(7 * 86_400_000).to_string(), "7d");
        assert_eq!(Millis(90_000).to_string(), "90s");
        assert_eq!(Millis(1_500).to_string(), "1500ms");
        assert_eq!(Millis(0).to_string(), "0ms");
        assert_eq!(parse_ms("15m"), Some(900_000));
        assert_eq!(parse_ms("soon"), None);
    }
}
