//! Column building blocks: interned strings, packed text, packed lists, and the [`Column`]
//! trait that lets the store keep, reserve and append every column the same way.

use arrow_array::{Array, StringArray};

use super::NO_ACTOR;

/// Small integer ids for repeated strings. Id 0 is the empty string and means "absent".
///
/// The texts are kept once, back to back in one buffer; the table holds only ids, found by
/// the text's hash. Interning a text never allocates on its own (a million-row import
/// interns tens of millions of cells, and a piece of a file meets thousands of new texts).
#[derive(Debug, Clone)]
pub struct Interner {
    ids: hashbrown::HashTable<u32>,
    texts: PackedText,
}

impl Default for Interner {
    fn default() -> Self {
        let mut interner = Interner {
            ids: hashbrown::HashTable::new(),
            texts: PackedText::default(),
        };
        interner.add("", hash_of(""));
        interner
    }
}

/// The hash the table finds a text by.
fn hash_of(text: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(text)
}

impl Interner {
    /// The id of `text`, adding it on first sight. Empty text is id 0.
    pub fn intern(&mut self, text: &str) -> u32 {
        let hash = hash_of(text);
        match self.find(text, hash) {
            Some(id) => id,
            None => self.add(text, hash),
        }
    }

    /// The id of `text`, whose hash is `hash`, if it was ever interned.
    fn find(&self, text: &str, hash: u64) -> Option<u32> {
        let texts = &self.texts;
        self.ids
            .find(hash, |&id| texts.get(id as usize) == text)
            .copied()
    }

    /// Adds a text the table does not hold, with its hash.
    fn add(&mut self, text: &str, hash: u64) -> u32 {
        let id = self.texts.len() as u32;
        self.texts.push(text);
        let texts = &self.texts;
        self.ids
            .insert_unique(hash, id, |&id| hash_of(texts.get(id as usize)));
        id
    }

    /// The id of an optional text (absent is 0).
    pub fn intern_opt(&mut self, text: Option<&str>) -> u32 {
        text.map_or(0, |t| self.intern(t))
    }

    /// The id of `text` if it was ever interned.
    pub fn get(&self, text: &str) -> Option<u32> {
        self.find(text, hash_of(text))
    }

    /// The text of an id ("" for 0 or an unknown id).
    pub fn text(&self, id: u32) -> &str {
        self.texts.get(id as usize)
    }

    /// The text of an id, `None` for 0.
    pub fn opt(&self, id: u32) -> Option<&str> {
        (id != 0).then(|| self.text(id))
    }

    /// How many distinct strings (including the empty one).
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// True when only the empty string is held.
    pub fn is_empty(&self) -> bool {
        self.texts.len() <= 1
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
pub struct PackedText {
    bytes: String,
    ends: Vec<u64>,
}

impl PackedText {
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

    /// Appends every text of `other`, in one copy.
    fn append(&mut self, other: &PackedText) {
        let base = self.bytes.len() as u64;
        self.bytes
            .push_str(&other.bytes[..prefix_end(&other.ends, other.ends.len())]);
        self.ends.extend(other.ends.iter().map(|&end| base + end));
    }

    /// Makes room for `texts` more texts of `bytes` bytes in all.
    pub fn reserve(&mut self, texts: usize, bytes: usize) {
        super::room::reserve(&mut self.ends, texts);
        super::room::reserve_text(&mut self.bytes, bytes);
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

/// A run of a [`TextColumn`]'s texts: packed by the store, or an Arrow array a columnar
/// reader decoded, taken over as it is.
#[derive(Debug, Clone)]
enum TextChunk {
    Packed(PackedText),
    Arrow(StringArray),
}

impl TextChunk {
    fn len(&self) -> usize {
        match self {
            TextChunk::Packed(p) => p.len(),
            TextChunk::Arrow(a) => a.len(),
        }
    }

    fn get(&self, i: usize) -> &str {
        match self {
            TextChunk::Packed(p) => p.get(i),
            TextChunk::Arrow(a) if i < a.len() => a.value(i),
            TextChunk::Arrow(_) => "",
        }
    }

    fn text_bytes(&self) -> usize {
        match self {
            TextChunk::Packed(p) => p.text_bytes(),
            TextChunk::Arrow(a) => {
                let offsets = a.value_offsets();
                (offsets[offsets.len() - 1] - offsets[0]) as usize
            }
        }
    }
}

/// A column of texts, one per row: packed back to back as they are pushed, and runs of texts
/// a columnar reader decoded (Arrow arrays) kept as they are ([`TextColumn::adopt`]), so a
/// million notes read from Parquet are not copied a second time.
#[derive(Debug, Clone, Default)]
pub struct TextColumn {
    chunks: Vec<TextChunk>,
    /// The row each chunk starts at.
    starts: Vec<usize>,
    len: usize,
}

impl TextColumn {
    /// Appends a text.
    pub fn push(&mut self, text: &str) {
        self.packed_tail().push(text);
        self.len += 1;
    }

    /// Appends the texts of `array`, kept as they are: its value of every row, and `""` for
    /// a null row (a null whose slot holds text is copied as `""`, so nothing hidden shows).
    pub fn adopt(&mut self, array: StringArray) {
        if array.is_empty() {
            return;
        }
        let offsets = array.value_offsets();
        let nulls_hold_text = array.null_count() > 0
            && (0..array.len()).any(|i| array.is_null(i) && offsets[i + 1] != offsets[i]);
        if nulls_hold_text {
            for i in 0..array.len() {
                self.push(if array.is_null(i) { "" } else { array.value(i) });
            }
            return;
        }
        // Room made for texts pushed one by one that never came.
        if matches!(self.chunks.last(), Some(TextChunk::Packed(p)) if p.is_empty()) {
            self.chunks.pop();
            self.starts.pop();
        }
        self.starts.push(self.len);
        self.len += array.len();
        self.chunks.push(TextChunk::Arrow(array));
    }

    /// The chunk rows are pushed into: the last, if packed; a new one if not.
    fn packed_tail(&mut self) -> &mut PackedText {
        if !matches!(self.chunks.last(), Some(TextChunk::Packed(_))) {
            self.starts.push(self.len);
            self.chunks.push(TextChunk::Packed(PackedText::default()));
        }
        match self.chunks.last_mut() {
            Some(TextChunk::Packed(p)) => p,
            _ => unreachable!("a packed chunk was just made last"),
        }
    }

    /// The chunk holding row `i`, with the row it starts at.
    fn chunk_of(&self, i: usize) -> Option<(usize, &TextChunk)> {
        let k = match self.chunks.len() {
            0 => return None,
            1 => 0,
            _ => self
                .starts
                .partition_point(|&start| start <= i)
                .checked_sub(1)?,
        };
        Some((self.starts[k], &self.chunks[k]))
    }

    /// The text at `i` ("" when out of range).
    pub fn get(&self, i: usize) -> &str {
        match self.chunk_of(i) {
            Some((start, chunk)) => chunk.get(i - start),
            None => "",
        }
    }

    /// Every text, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.chunks
            .iter()
            .flat_map(|chunk| (0..chunk.len()).map(move |i| chunk.get(i)))
    }

    /// Number of texts.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Removes the texts from `len` on.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        let keep = self.starts.partition_point(|&start| start < len);
        self.chunks.truncate(keep);
        self.starts.truncate(keep);
        if let (Some(&start), Some(last)) = (self.starts.last(), self.chunks.last_mut()) {
            match last {
                TextChunk::Packed(p) => p.truncate(len - start),
                TextChunk::Arrow(a) => *a = a.slice(0, len - start),
            }
        }
        self.len = len;
    }

    /// Makes room for `texts` more texts of `bytes` bytes in all, pushed one by one.
    pub fn reserve(&mut self, texts: usize, bytes: usize) {
        if texts > 0 || bytes > 0 {
            self.packed_tail().reserve(texts, bytes);
        }
    }

    /// Bytes of text held.
    pub fn text_bytes(&self) -> usize {
        self.chunks.iter().map(TextChunk::text_bytes).sum()
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

    /// Every row's items back to back, in row order (for counts over the whole column).
    pub fn all_items(&self) -> &[u32] {
        &self.items[..prefix_end(&self.ends, self.ends.len())]
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
        super::room::reserve(self, rows);
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
                super::room::reserve(&mut self.0, rows);
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
        self.reserve(rows, 0);
    }
    fn pick(&self, rows: &[usize]) -> Self {
        let mut out = TextColumn::default();
        for &i in rows {
            out.push(self.get(i));
        }
        out
    }
    fn append_mapped(&mut self, other: &Self, rows: &[usize], _: &Remap) {
        let every_row_in_order =
            rows.len() == other.len() && rows.iter().enumerate().all(|(k, &i)| k == i);
        if !every_row_in_order {
            for &i in rows {
                self.push(other.get(i));
            }
            return;
        }
        // A whole piece of a file joined to the load: its texts in one copy per chunk (a
        // million notes copied one by one were a tenth of a CSV load's work), Arrow arrays
        // shared as they are.
        for chunk in &other.chunks {
            match chunk {
                TextChunk::Packed(texts) => {
                    self.packed_tail().append(texts);
                    self.len += texts.len();
                }
                TextChunk::Arrow(array) => self.adopt(array.clone()),
            }
        }
    }
}

impl Column for ListColumn {
    fn reserve_rows(&mut self, rows: usize) {
        super::room::reserve(&mut self.ends, rows);
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

    /// A text column's every read, against the texts it should hold.
    fn assert_holds(column: &TextColumn, expected: &[&str]) {
        assert_eq!(column.len(), expected.len());
        let got: Vec<&str> = (0..column.len()).map(|i| column.get(i)).collect();
        assert_eq!(got, expected);
        assert_eq!(column.iter().collect::<Vec<_>>(), expected);
        assert_eq!(column.get(expected.len()), "");
        let bytes: usize = expected.iter().map(|t| t.len()).sum();
        assert_eq!(column.text_bytes(), bytes);
    }

    #[test]
    fn texts_taken_over_from_arrow_read_as_if_pushed_one_by_one() {
        use arrow_array::builder::{BufferBuilder, NullBufferBuilder, OffsetBufferBuilder};

        let mut column = TextColumn::default();
        column.push("first");
        column.adopt(StringArray::from(vec![Some("a"), None, Some("ç ü 你好")]));
        // Room made for texts pushed one by one that never came.
        column.reserve(10, 100);
        // A slice: its offsets do not start at 0.
        column.adopt(StringArray::from(vec!["x", "why", "z"]).slice(1, 1));
        column.adopt(StringArray::from(Vec::<&str>::new()));
        column.push("pushed");
        column.push("");
        // A null whose slot holds text (Arrow allows it): read as no text.
        let mut offsets = OffsetBufferBuilder::<i32>::new(2);
        offsets.push_length(3);
        offsets.push_length(3);
        let mut values = BufferBuilder::<u8>::new(6);
        values.append_slice(b"abcdef");
        let mut nulls = NullBufferBuilder::new(2);
        nulls.append_non_null();
        nulls.append_null();
        let hiding = StringArray::try_new(offsets.finish(), values.finish(), nulls.finish());
        column.adopt(hiding.unwrap());
        column.push("last");
        let all = [
            "first",
            "a",
            "",
            "ç ü 你好",
            "why",
            "pushed",
            "",
            "abc",
            "",
            "last",
        ];
        assert_holds(&column, &all);
        // Kept rows, in any order, and appended to another column.
        let rows = [9, 0, 3, 4, 3];
        let picked = column.pick(&rows);
        let expected: Vec<&str> = rows.iter().map(|&i| all[i]).collect();
        assert_holds(&picked, &expected);
        let mut appended = TextColumn::default();
        appended.push("before");
        let remap = Remap {
            strings: Vec::new(),
            actors: Vec::new(),
        };
        appended.append_mapped(&column, &rows, &remap);
        assert_holds(&appended, &[&["before"][..], &expected].concat());
        // Every row in order (a whole piece of a file joined to the load): copied a run at
        // a time, the same texts; and the runs of a cut column end where it was cut.
        let every_row: Vec<usize> = (0..all.len()).collect();
        appended.append_mapped(&column, &every_row, &remap);
        appended.push("after");
        let mut cut = column.clone();
        cut.truncate(7);
        appended.append_mapped(&cut, &every_row[..7], &remap);
        let then = [&["before"][..], &expected, &all, &["after"], &all[..7]].concat();
        assert_holds(&appended, &then);
        assert_eq!(
            appended.text_bytes(),
            then.iter().map(|t| t.len()).sum::<usize>()
        );
        // Cut inside an adopted run, inside a pushed run, at a run's end; then grown again.
        for len in [10, 9, 8, 6, 5, 4, 2, 1, 0] {
            let mut cut = column.clone();
            cut.truncate(len);
            assert_holds(&cut, &all[..len]);
            cut.push("again");
            cut.adopt(StringArray::from(vec!["more"]));
            assert_holds(&cut, &[&all[..len], &["again", "more"][..]].concat());
        }
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
