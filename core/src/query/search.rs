//! The free-text filter at the speed of typing: the notes folded to lower case once, in the
//! background after a load, then searched as one buffer with `memchr`'s SIMD substring
//! search instead of text by text.
//!
//! The answer is by definition the plain scan's: a text matches when its lower case
//! ([`fold`]) contains the lower-cased needle. [`contains_ignore_case`] is that scan, text
//! by text; [`FoldedText`] gives the same answer for a whole column at once.

use std::borrow::Cow;

use memchr::memmem::Finder;

use crate::store::{PackedText, Store, TextColumn};

/// A text in lower case, as the search compares it: ASCII by a byte map, anything else by
/// Unicode's full lower-casing (which may change its length: "İ" becomes "i̇").
pub fn fold(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        }
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

/// True when `haystack` in lower case contains `needle_lower` (already lower case): the
/// plain scan, one text at a time.
pub fn contains_ignore_case(haystack: &str, needle_lower: &str) -> bool {
    if needle_lower.is_empty() {
        return true;
    }
    if !haystack.is_ascii() {
        return haystack.to_lowercase().contains(needle_lower);
    }
    // An ASCII text folds to ASCII: it cannot hold a needle that is not.
    if !needle_lower.is_ascii() {
        return false;
    }
    let (h, n) = (haystack.as_bytes(), needle_lower.as_bytes());
    if n.len() > h.len() {
        return false;
    }
    let (first, first_upper) = (n[0], n[0].to_ascii_uppercase());
    (0..=h.len() - n.len()).any(|i| {
        (h[i] == first || h[i] == first_upper) && h[i..i + n.len()].eq_ignore_ascii_case(n)
    })
}

/// Runs `work` on `parts` runs of `items` at once (the last on this thread), each given the
/// index of its first item.
pub(crate) fn in_parts<T: Send>(
    items: &mut [T],
    parts: usize,
    work: impl Fn(usize, &mut [T]) + Sync,
) {
    let per_part = items.len().div_ceil(parts.max(1)).max(1);
    let work = &work;
    std::thread::scope(|scope| {
        let mut chunks = items.chunks_mut(per_part).enumerate().peekable();
        while let Some((k, chunk)) = chunks.next() {
            let first = k * per_part;
            if chunks.peek().is_none() {
                work(first, chunk);
            } else {
                scope.spawn(move || work(first, chunk));
            }
        }
    });
}

/// How many parts a pass over `rows` rows is worth splitting into: one per core, a part
/// no smaller than `min_rows`.
pub(crate) fn parts_for(rows: usize, min_rows: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.min(rows / min_rows.max(1)).max(1)
}

/// A column of texts folded to lower case ([`fold`]), kept beside the original to search.
#[derive(Debug, Default)]
pub struct FoldedText {
    texts: PackedText,
}

impl FoldedText {
    /// The notes (descriptions) of every event of `store`, folded: what the free-text
    /// filter searches (about 0.2 s for the 215 MB of notes of a million ACLED events; the
    /// app does it in the background after a load).
    pub fn of_notes(store: &Store) -> FoldedText {
        FoldedText::of(&store.events.description)
    }

    /// Folds every text of `column`.
    pub fn of(column: &TextColumn) -> FoldedText {
        let mut texts = PackedText::default();
        texts.reserve(column.len(), column.text_bytes());
        for text in column.iter() {
            texts.push(&fold(text));
        }
        FoldedText { texts }
    }

    /// How many texts.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// True when text `i` contains the needle `finder` looks for (lower case).
    pub fn contains(&self, i: usize, finder: &Finder<'_>) -> bool {
        finder.needle().is_empty() || finder.find(self.texts.get(i).as_bytes()).is_some()
    }

    /// Which texts contain the needle `finder` looks for: one search through the whole
    /// buffer (in as many parts as there are cores, split between texts), a match that runs
    /// from one text into the next not counting, and the rest of a text skipped once it
    /// matched.
    pub fn containing(&self, finder: &Finder<'_>) -> Vec<bool> {
        // Parts of a few megabytes at least: below that a thread costs more than it saves.
        self.containing_in_parts(finder, parts_for(self.texts.text_bytes(), 4 << 20))
    }

    /// [`Self::containing`], searching `parts` runs of texts at once.
    fn containing_in_parts(&self, finder: &Finder<'_>, parts: usize) -> Vec<bool> {
        let mut hits = vec![false; self.len()];
        if finder.needle().is_empty() {
            hits.fill(true);
            return hits;
        }
        in_parts(&mut hits, parts, |first, part| {
            self.mark_containing(finder, first, part)
        });
        hits
    }

    /// Marks in `hits` the texts from `first` on (as many as `hits` holds) that contain the
    /// needle.
    fn mark_containing(&self, finder: &Finder<'_>, first: usize, hits: &mut [bool]) {
        let needle = finder.needle().len();
        let ends = &self.texts.ends()[first..first + hits.len()];
        let start_of = |i: usize| match i {
            0 => 0,
            i => self.texts.ends()[i - 1] as usize,
        };
        let buffer = &self.texts.buffer().as_bytes()[..ends.last().map_or(0, |&e| e as usize)];
        let (mut at, mut text) = (start_of(first), 0usize);
        while text < ends.len() {
            let Some(found) = finder.find(&buffer[at..]) else {
                break;
            };
            let start = at + found;
            // The text the match starts in (the texts are in order: walk forward).
            text += ends[text..].partition_point(|&end| end as usize <= start);
            let Some(&end) = ends.get(text) else {
                break;
            };
            if start + needle <= end as usize {
                hits[text] = true;
                at = end as usize;
                text += 1;
            } else {
                at = start + 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(texts: &[&str]) -> TextColumn {
        let mut c = TextColumn::default();
        for t in texts {
            c.push(t);
        }
        c
    }

    /// The whole-buffer search and the plain scan agree on hostile text: case, accents,
    /// other scripts, letters whose lower case is longer or ASCII, empty texts, matches that
    /// would run across two texts.
    #[test]
    fn the_folded_search_answers_as_the_plain_scan() {
        let texts = [
            "Clash near SARAQIB",
            "",
            "Frappe aérienne à Goma — ÉGLISE touchée",
            "Удар по селу Марьинка",
            "قصف على مدينة حلب",
            "İstanbul protest; 5 \u{212A}",
            "village",
            "vil",
            "lage of the dead",
            "ǅemal and ß and ΣΊΣΥΦΟΣ",
            "no match here",
        ];
        let c = column(&texts);
        let folded = FoldedText::of(&c);
        for needle in [
            "village",
            "vil",
            "lage",
            "saraqib",
            "église",
            "eglise",
            "марьинка",
            "село",
            "حلب",
            "i̇stanbul",
            "istanbul",
            "k",
            "ǆemal",
            "ß",
            "σίσυφος",
            "σίσυφοσ",
            "e",
            "villagevil",
            "o",
            " ",
            "—",
        ] {
            let finder = Finder::new(needle.as_bytes());
            let scan: Vec<bool> = texts
                .iter()
                .map(|t| contains_ignore_case(t, needle))
                .collect();
            assert_eq!(folded.containing(&finder), scan, "{needle:?}");
            for parts in 2..=5 {
                let split = folded.containing_in_parts(&finder, parts);
                assert_eq!(split, scan, "{needle:?} in {parts} parts");
            }
            let one_by_one: Vec<bool> = (0..texts.len())
                .map(|i| folded.contains(i, &finder))
                .collect();
            assert_eq!(one_by_one, scan, "{needle:?}");
        }
        // The plain scan itself: case and scripts, and no match across two texts.
        let hits = |needle: &str| -> Vec<usize> {
            (0..texts.len())
                .filter(|&i| contains_ignore_case(texts[i], needle))
                .collect()
        };
        assert_eq!(hits("saraqib"), [0]);
        assert_eq!(hits("église"), [2]);
        assert_eq!(hits("марьинка"), [3]);
        assert_eq!(hits("villagevil"), Vec::<usize>::new());
        assert_eq!(hits("k"), [5], "the Kelvin sign folds to k");
    }
}
