//! Column building blocks: interned strings, packed text, packed lists, and the [`Column`]
//! trait that lets the store keep, reserve and append every column the same way.

use rustc_hash::FxHashMap;

use super::NO_ACTOR;

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

    /// Every text back to back, in order (for scans of the whole column at once).
    pub fn buffer(&self) -> &str {
        &self.bytes
    }

    /// Where each text ends in [`Self::buffer`].
    pub fn ends(&self) -> &[u64] {
        &self.ends
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
}

/// How the ids of one store map onto another's, for appending its rows.
pub(crate) struct Remap {
    /// New string id per old string id.
    pub strings: Vec<u32>,
    /// New actor index per old actor index.
    pub actors: Vec<u32>,
}

impl Remap {
    fn actor(&self, a: u32) -> u32 {
        if a == NO_ACTOR {
            NO_ACTOR
        } else {
            self.actors[a as usize]
        }
    }
}

/// What the store does to every event column alike: make room, keep some rows, append rows of
/// another store's column (with its ids mapped). Declaring a column in the store's
/// `event_columns!` list is all it takes for it to follow.
pub(crate) trait Column: Default {
    /// Makes room for `rows` more rows.
    fn reserve_rows(&mut self, rows: usize);
    /// The rows `rows`, in that order.
    fn pick(&self, rows: &[usize]) -> Self;
    /// Appends the rows `rows` of `other`, mapping ids through `remap`.
    fn append_mapped(&mut self, other: &Self, rows: &[usize], remap: &Remap);
}

impl<T: Copy> Column for Vec<T> {
    fn reserve_rows(&mut self, rows: usize) {
        self.reserve(rows);
    }
    fn pick(&self, rows: &[usize]) -> Self {
        rows.iter().map(|&i| self[i]).collect()
    }
    fn append_mapped(&mut self, other: &Self, rows: &[usize], _: &Remap) {
        self.extend(rows.iter().map(|&i| other[i]));
    }
}

/// A column of interned string ids (0 = absent).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Interned(pub Vec<u32>);

/// A column of actor indices ([`NO_ACTOR`] = none).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Actors(pub Vec<u32>);

macro_rules! id_column {
    ($name:ident, $map:expr) => {
        impl std::ops::Deref for $name {
            type Target = Vec<u32>;
            fn deref(&self) -> &Vec<u32> {
                &self.0
            }
        }
        impl std::ops::DerefMut for $name {
            fn deref_mut(&mut self) -> &mut Vec<u32> {
                &mut self.0
            }
        }
        impl Column for $name {
            fn reserve_rows(&mut self, rows: usize) {
                self.0.reserve(rows);
            }
            fn pick(&self, rows: &[usize]) -> Self {
                $name(self.0.pick(rows))
            }
            fn append_mapped(&mut self, other: &Self, rows: &[usize], remap: &Remap) {
                let map: fn(&Remap, u32) -> u32 = $map;
                self.0.extend(rows.iter().map(|&i| map(remap, other.0[i])));
            }
        }
    };
}

id_column!(Interned, |remap, id| remap.strings[id as usize]);
id_column!(Actors, Remap::actor);

impl Column for TextColumn {
    fn reserve_rows(&mut self, rows: usize) {
        self.ends.reserve(rows);
    }
    fn pick(&self, rows: &[usize]) -> Self {
        let mut out = TextColumn::default();
        for &i in rows {
            out.push(self.get(i));
        }
        out
    }
    fn append_mapped(&mut self, other: &Self, rows: &[usize], _: &Remap) {
        for &i in rows {
            self.push(other.get(i));
        }
    }
}

impl Column for ListColumn {
    fn reserve_rows(&mut self, rows: usize) {
        self.ends.reserve(rows);
    }
    fn pick(&self, rows: &[usize]) -> Self {
        let mut out = ListColumn::default();
        for &i in rows {
            out.push(self.get(i).iter().copied());
        }
        out
    }
    fn append_mapped(&mut self, other: &Self, rows: &[usize], remap: &Remap) {
        for &i in rows {
            self.push(other.get(i).iter().map(|&a| remap.actor(a)));
        }
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
