//! Column building blocks: interned strings, packed text, and packed lists.

use rustc_hash::FxHashMap;

/// Small integer ids for repeated strings. Id 0 is the empty string and means "absent".
#[derive(Debug, Clone)]
pub struct Interner {
    ids: FxHashMap<Box<str>, u32>,
    strings: Vec<Box<str>>,
}

impl Default for Interner {
    fn default() -> Self {
        let mut ids = FxHashMap::default();
        ids.insert(Box::<str>::from(""), 0);
        Interner {
            ids,
            strings: vec![Box::from("")],
        }
    }
}

impl Interner {
    /// The id of `text`, adding it on first sight. Empty text is id 0.
    pub fn intern(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.push(Box::from(text));
        self.ids.insert(Box::from(text), id);
        id
    }

    /// The id of an optional text (absent is 0).
    pub fn intern_opt(&mut self, text: Option<&str>) -> u32 {
        text.map_or(0, |t| self.intern(t))
    }

    /// The id of `text` if it was ever interned.
    pub fn get(&self, text: &str) -> Option<u32> {
        self.ids.get(text).copied()
    }

    /// The text of an id ("" for 0 or an unknown id).
    pub fn text(&self, id: u32) -> &str {
        self.strings.get(id as usize).map_or("", |s| s)
    }

    /// The text of an id, `None` for 0.
    pub fn opt(&self, id: u32) -> Option<&str> {
        (id != 0).then(|| self.text(id))
    }

    /// How many distinct strings (including the empty one).
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    /// True when only the empty string is held.
    pub fn is_empty(&self) -> bool {
        self.strings.len() <= 1
    }
}

/// The range of item `i` in a buffer whose items end at `ends` (cumulative offsets).
fn item_range<T: Copy + Into<u64>>(ends: &[T], i: usize) -> Option<std::ops::Range<usize>> {
    let end = (*ends.get(i)?).into() as usize;
    let start = if i == 0 {
        0
    } else {
        ends[i - 1].into() as usize
    };
    Some(start..end)
}

/// Where the buffer of the first `len` items ends.
fn prefix_end<T: Copy + Into<u64>>(ends: &[T], len: usize) -> usize {
    if len == 0 {
        0
    } else {
        ends[len - 1].into() as usize
    }
}

/// Many texts stored back to back in one buffer.
#[derive(Debug, Clone, Default)]
pub struct TextColumn {
    bytes: String,
    ends: Vec<u64>,
}

impl TextColumn {
    /// Appends a text.
    pub fn push(&mut self, text: &str) {
        self.bytes.push_str(text);
        self.ends.push(self.bytes.len() as u64);
    }

    /// The text at `i` ("" when out of range).
    pub fn get(&self, i: usize) -> &str {
        item_range(&self.ends, i).map_or("", |r| &self.bytes[r])
    }

    /// Number of texts.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Removes the texts from `len` on.
    pub fn truncate(&mut self, len: usize) {
        if len < self.ends.len() {
            self.bytes.truncate(prefix_end(&self.ends, len));
            self.ends.truncate(len);
        }
    }

    /// Makes room for `texts` more texts of `bytes` bytes in all.
    pub fn reserve(&mut self, texts: usize, bytes: usize) {
        self.ends.reserve(texts);
        self.bytes.reserve(bytes);
    }

    /// Bytes of text held.
    pub fn text_bytes(&self) -> usize {
        self.bytes.len()
    }
}

/// A list of small ids per row, stored back to back.
#[derive(Debug, Clone, Default)]
pub struct ListColumn {
    items: Vec<u32>,
    ends: Vec<u32>,
}

impl ListColumn {
    /// Appends one row's list.
    pub fn push(&mut self, items: impl IntoIterator<Item = u32>) {
        self.items.extend(items);
        self.ends.push(self.items.len() as u32);
    }

    /// The list of row `i`.
    pub fn get(&self, i: usize) -> &[u32] {
        item_range(&self.ends, i).map_or(&[], |r| &self.items[r])
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Removes the rows from `len` on.
    pub fn truncate(&mut self, len: usize) {
        if len < self.ends.len() {
            self.items.truncate(prefix_end(&self.ends, len));
            self.ends.truncate(len);
        }
    }

    /// Makes room for `rows` more rows.
    pub fn reserve(&mut self, rows: usize) {
        self.ends.reserve(rows);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interned_strings_get_stable_small_ids_and_empty_is_zero() {
        let mut i = Interner::default();
        assert_eq!(i.intern(""), 0);
        let a = i.intern("Battles");
        assert_eq!(i.intern("Battles"), a);
        assert_ne!(i.intern("Protests"), a);
        assert_eq!(i.text(a), "Battles");
        assert_eq!(i.opt(0), None);
    }

    #[test]
    fn packed_columns_give_back_what_was_pushed() {
        let mut t = TextColumn::default();
        t.push("one");
        t.push("");
        t.push("three");
        assert_eq!(
            (t.get(0), t.get(1), t.get(2), t.get(3)),
            ("one", "", "three", "")
        );
        t.truncate(1);
        assert_eq!(t.len(), 1);
        let mut l = ListColumn::default();
        l.push([1, 2]);
        l.push([]);
        l.push([3]);
        assert_eq!(l.get(0), &[1, 2]);
        assert!(l.get(1).is_empty());
        assert_eq!(l.get(2), &[3]);
    }
}
