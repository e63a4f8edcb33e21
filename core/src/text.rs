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

/// A count and its noun, plural by adding "s" ("1 event", "5,071 events").
pub fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {one}s", thousands(n))
    }
}

/// Items in words: "1", "1 and 2", "1, 2 and 3".
pub fn and_list(items: &[String]) -> String {
    joined(items, "and")
}

/// Items in words: "1", "1 or 2", "1, 2 or 3".
pub fn or_list(items: &[String]) -> String {
    joined(items, "or")
}

fn joined(items: &[String], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., end] => format!("{} {last} {end}", rest.join(", ")),
    }
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

/// About how wide text is, in picture units, at `size` units per line.
pub fn text_width(text: &str, size: f32) -> f32 {
    text.chars().count() as f32 * size * 0.55
}

/// `text` in lines of at most about `width` picture units at `size`: broken between words,
/// and inside a word only when the word alone is wider than a line.
pub fn wrap(text: &str, width: f32, size: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let per_line = ((width / (size * 0.55)).floor() as usize).max(1);
    let pieces = text.split_whitespace().flat_map(|word| {
        let chars: Vec<char> = word.chars().collect();
        chars
            .chunks(per_line)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
    });
    for word in pieces {
        let word = word.as_str();
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(&candidate, size) > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
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

    #[test]
    fn wrapping_breaks_between_words_and_inside_only_overlong_ones() {
        // 10 units at size 2 holds 9 characters.
        assert_eq!(wrap("ab cd ef", 10.0, 2.0), ["ab cd ef"]);
        assert_eq!(wrap("abcd efgh ij", 10.0, 2.0), ["abcd efgh", "ij"]);
        assert_eq!(
            wrap(&"x".repeat(20), 10.0, 2.0),
            ["x".repeat(9), "x".repeat(9), "xx".into()]
        );
        assert_eq!(wrap("  ", 10.0, 2.0), [""]);
        assert!(wrap("مرحبا بالعالم", 10.0, 2.0).len() == 2);
    }
}
