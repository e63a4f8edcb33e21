//! Text for people, shared by the CLI's tables, the exported pictures and the app's panels:
//! counts with thousands separators, texts cut to a length.

/// Thousands separators for counts ("5,071").
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Cuts text to at most `max` characters, marking the cut with "…".
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// `text` padded with spaces to `width` characters (counted as characters, not bytes, so
/// names with accents or in other scripts line up too).
pub fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    let mut out = text.to_string();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(len)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated_by_commas() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(5071), "5,071");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn cut_and_pad_count_characters() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 4), "abc");
        assert_eq!(pad("é", 3), "é  ");
        assert_eq!(pad("abcd", 2), "abcd");
    }
}
