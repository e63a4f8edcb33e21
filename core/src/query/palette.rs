//! The command palette's matching: what a typed query finds among the names of actions,
//! actors, event types, countries and places — fuzzy (letters in order, gaps allowed, so
//! "al shabab" finds "Al Shabaab"), case- and accent-blind, best first. No GUI types: the
//! palette window lists what this ranks.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// The entries of `names` that match `query`, best first (ties keep the order of `names`,
/// which lists the more important first), at most `limit`. An empty query matches every
/// entry, in order.
pub fn rank<S: AsRef<str>>(query: &str, names: &[S], limit: usize) -> Vec<usize> {
    let query = query.trim();
    if query.is_empty() {
        return (0..names.len().min(limit)).collect();
    }
    let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut scored: Vec<(u32, usize)> = names
        .iter()
        .enumerate()
        .filter_map(|(k, name)| {
            let text = Utf32Str::new(name.as_ref(), &mut buf);
            pattern.score(text, &mut matcher).map(|s| (s, k))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.truncate(limit);
    scored.into_iter().map(|(_, k)| k).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_with_missing_letters_still_finds_the_name() {
        let names = [
            "Military Forces of Somalia",
            "Al Shabaab",
            "Shabelle Militia",
            "Export timeline…",
        ];
        let found = rank("al shabab", &names, 10);
        assert_eq!(found.first(), Some(&1), "{found:?}");
        assert!(!found.contains(&3));
        // Case and accents do not matter.
        let places = ["Bangui", "Bambari", "Ndélé", "Obo"];
        assert_eq!(rank("NDELE", &places, 10), vec![2]);
    }

    #[test]
    fn an_empty_query_lists_everything_in_order_and_limits_hold() {
        let names = ["b", "a", "c"];
        assert_eq!(rank("  ", &names, 10), vec![0, 1, 2]);
        assert_eq!(rank("", &names, 2), vec![0, 1]);
        assert_eq!(rank("zzz", &names, 10), Vec::<usize>::new());
    }

    #[test]
    fn better_matches_come_first_and_ties_keep_their_order() {
        let names = ["Export network…", "Export timeline…", "Timeline tab"];
        let found = rank("timeline", &names, 10);
        assert_eq!(found.len(), 2);
        assert!(found.contains(&1) && found.contains(&2));
        let tied = rank("x", &["xa", "xb"], 10);
        assert_eq!(tied, vec![0, 1]);
    }
}
