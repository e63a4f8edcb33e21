//! Room for large columns, made once and backed by huge pages where the system offers them.
//!
//! A store of ten million events is about 4 GB of new memory, and the system hands memory
//! over a 4 KB page at a time, each on its first write: 1.17 million page faults at 10M
//! events took as much time as decoding the Parquet shards. When the columns' room is made
//! for a whole load at once, Linux is asked to back it with 2 MB pages as it is first
//! written (`madvise(MADV_HUGEPAGE)`): one fault instead of 512. The advice changes no
//! byte of the memory, and a system that declines it (transparent huge pages off, or not
//! Linux) simply faults as before.

/// Room below which huge pages are not asked for: a column smaller than two of them rarely
/// holds one whole aligned huge page.
const MIN_ADVISED_BYTES: usize = 2 * HUGE_PAGE;

/// The size of a huge page on x86-64 and most 64-bit Arm systems.
const HUGE_PAGE: usize = 2 << 20;

/// Makes room for `more` items in `column`; when that takes more memory (moved or grown in
/// place), asks for that memory in huge pages.
pub(crate) fn reserve<T>(column: &mut Vec<T>, more: usize) {
    let before = column.capacity();
    column.reserve(more);
    if column.capacity() != before {
        advise_huge_pages(column.as_ptr().cast(), column.capacity() * size_of::<T>());
    }
}

/// [`reserve`] for text.
pub(crate) fn reserve_text(text: &mut String, more: usize) {
    let before = text.capacity();
    text.reserve(more);
    if text.capacity() != before {
        advise_huge_pages(text.as_ptr(), text.capacity());
    }
}

/// A vector of `len` copies of `value` whose memory is asked for in huge pages before it is
/// written (zeroed memory comes from the system untouched, so this is the common case).
pub(crate) fn filled<T: Clone>(value: T, len: usize) -> Vec<T> {
    let column = vec![value; len];
    advise_huge_pages(column.as_ptr().cast(), column.capacity() * size_of::<T>());
    column
}

/// Asks the system to back the whole huge pages inside `bytes` bytes from `start` with huge
/// pages. Only advice: nothing is read or written, and a refusal is not an error.
#[cfg(target_os = "linux")]
fn advise_huge_pages(start: *const u8, bytes: usize) {
    if bytes < MIN_ADVISED_BYTES {
        return;
    }
    let start = start as usize;
    let (first, end) = (
        start.next_multiple_of(HUGE_PAGE),
        (start + bytes) / HUGE_PAGE * HUGE_PAGE,
    );
    if end > first {
        // SAFETY: `madvise` with MADV_HUGEPAGE reads and writes no memory and changes no
        // contents. The range lies inside one live allocation the caller holds, and starts
        // on a page boundary as `madvise` requires (a huge page's boundary is one).
        unsafe {
            libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages(_start: *const u8, _bytes: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_made_keeps_every_item_and_gives_at_least_the_room_asked() {
        let mut column: Vec<u64> = (0..1000).collect();
        reserve(&mut column, 3 << 20);
        assert!(column.capacity() >= 1000 + (3 << 20));
        assert!(column.iter().copied().eq(0..1000));
        let mut text = String::from("Kharkiv");
        reserve_text(&mut text, 5 << 20);
        assert_eq!(text, "Kharkiv");
        assert!(text.capacity() >= 7 + (5 << 20));
        let slots = filled(0u64, 1 << 20);
        assert_eq!(slots.len(), 1 << 20);
        assert!(slots.iter().all(|&s| s == 0));
    }

    /// Whether the mapping holding `address` may be backed by huge pages, per
    /// `/proc/self/smaps` (`THPeligible`).
    #[cfg(target_os = "linux")]
    fn huge_pages_eligible(address: usize) -> Option<bool> {
        let smaps = std::fs::read_to_string("/proc/self/smaps").ok()?;
        let mut inside = false;
        for line in smaps.lines() {
            let range = line
                .split_whitespace()
                .next()
                .and_then(|r| r.split_once('-'));
            let bounds = range.and_then(|(a, b)| {
                Some((
                    usize::from_str_radix(a, 16).ok()?,
                    usize::from_str_radix(b, 16).ok()?,
                ))
            });
            if let Some((start, end)) = bounds.filter(|_| !line.starts_with("THPeligible")) {
                inside = (start..end).contains(&address);
            } else if inside {
                if let Some(flag) = line.strip_prefix("THPeligible:") {
                    return Some(flag.trim() == "1");
                }
            }
        }
        None
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_large_columns_room_is_asked_for_in_huge_pages_where_linux_offers_them_on_request() {
        let mode = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled")
            .unwrap_or_default();
        let mut column: Vec<u32> = Vec::new();
        reserve(&mut column, 8 << 20);
        let inner = (column.as_ptr() as usize).next_multiple_of(HUGE_PAGE);
        let small = filled(0u8, 4096);
        if mode.contains("[madvise]") {
            // Only memory asked for in huge pages may have them in this mode.
            assert_eq!(huge_pages_eligible(inner), Some(true), "{mode}");
            assert_eq!(huge_pages_eligible(small.as_ptr() as usize), Some(false));
        } else {
            eprintln!("transparent huge pages are {mode:?} here: the advice changes nothing");
        }
        column.extend(0..1000);
        assert!(column.iter().copied().eq(0..1000));
    }
}
