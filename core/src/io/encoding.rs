//! Text encodings. Every reader works on UTF-8; [`DecodingReader`] hands it UTF-8 whatever
//! the file was written in: UTF-8 with or without a byte-order mark, UTF-16 with one, or a
//! legacy single-byte encoding such as Windows-1252 (what Excel writes on many desktops).
//!
//! Without a byte-order mark a file is read as UTF-8 until a byte sequence shows it is not.
//! If nothing but ASCII came before, the whole file is then decoded as the legacy encoding
//! `chardetng` recognises (the ASCII already read is the same in either). If UTF-8 text came
//! before (a file that mixes encodings), each sequence that is not UTF-8 is decoded on its
//! own as Windows-1252. Either way no row is lost to its encoding, and [`EncodingReport`]
//! says what was done, for the import's notes.

use std::io::Read;
use std::sync::{Arc, Mutex};

use encoding_rs::{Decoder, Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// How many bytes are read from the file at a time.
const CHUNK_BYTES: usize = 1 << 16;

/// The encoding of a file as its first bytes show it: a byte-order mark, or nothing yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    /// The encoding, when a byte-order mark or the user says so.
    pub encoding: Option<&'static Encoding>,
    /// How many bytes of byte-order mark to skip.
    pub bom_len: usize,
}

/// The encoding a byte-order mark at the start of `head` names, if any.
pub fn sniff(head: &[u8]) -> Sniffed {
    match Encoding::for_bom(head) {
        Some((encoding, bom_len)) => Sniffed {
            encoding: Some(encoding),
            bom_len,
        },
        None => Sniffed {
            encoding: None,
            bom_len: 0,
        },
    }
}

/// The encoding a `--encoding` label names ("utf-8", "windows-1252", "latin1", "utf-16le", …).
pub fn for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// What a [`DecodingReader`] did, once it has read the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EncodingReport {
    /// The encoding the text was read as ("UTF-8", "windows-1252", "UTF-16LE").
    pub encoding: String,
    /// Why, in words, when it was not plain UTF-8.
    pub how: Option<String>,
    /// Byte sequences of a mixed file that were not UTF-8 and were read as Windows-1252.
    pub repaired_sequences: u64,
}

impl EncodingReport {
    /// One line for the import's notes, or `None` for plain UTF-8.
    pub fn note(&self) -> Option<String> {
        if self.repaired_sequences > 0 {
            return Some(format!(
                "{} byte sequence(s) were not UTF-8 in a UTF-8 file and were read as Windows-1252",
                self.repaired_sequences
            ));
        }
        self.how.clone()
    }
}

enum Mode {
    /// Passing UTF-8 on; `seen_non_ascii` once any multi-byte character went by.
    Utf8 { seen_non_ascii: bool },
    /// Decoding another encoding.
    Decode(Box<Decoder>),
}

/// A reader that hands on UTF-8 (see the module's documentation).
pub struct DecodingReader<R> {
    inner: R,
    mode: Mode,
    /// Bytes read but not yet handed on (an incomplete UTF-8 sequence at a chunk's end, or
    /// input the decoder has not consumed).
    pending: Vec<u8>,
    /// Decoded bytes not yet handed on.
    out: Vec<u8>,
    out_at: usize,
    eof: bool,
    report: Arc<Mutex<EncodingReport>>,
}

impl<R: Read> DecodingReader<R> {
    /// Reads `inner` as `encoding` when given (after its byte-order mark, which the caller
    /// has skipped), else as UTF-8 that may turn out to be a legacy encoding.
    pub fn new(inner: R, encoding: Option<&'static Encoding>) -> DecodingReader<R> {
        let (mode, name, how) = match encoding {
            None => (
                Mode::Utf8 {
                    seen_non_ascii: false,
                },
                UTF_8.name().to_string(),
                None,
            ),
            Some(e) if e == UTF_8 => (
                Mode::Utf8 {
                    seen_non_ascii: true,
                },
                UTF_8.name().to_string(),
                None,
            ),
            Some(e) => (
                Mode::Decode(Box::new(e.new_decoder_without_bom_handling())),
                e.name().to_string(),
                Some(format!("read as {}", e.name())),
            ),
        };
        DecodingReader {
            inner,
            mode,
            pending: Vec::new(),
            out: Vec::new(),
            out_at: 0,
            eof: false,
            report: Arc::new(Mutex::new(EncodingReport {
                encoding: name,
                how,
                repaired_sequences: 0,
            })),
        }
    }

    /// What the reader did; complete once the file has been read.
    pub fn report(&self) -> Arc<Mutex<EncodingReport>> {
        self.report.clone()
    }

    fn with_report(&self, change: impl FnOnce(&mut EncodingReport)) {
        if let Ok(mut r) = self.report.lock() {
            change(&mut r);
        }
    }

    /// Reads the next chunk and decodes it into `out`. False at the end of the input.
    fn refill(&mut self) -> std::io::Result<bool> {
        self.out.clear();
        self.out_at = 0;
        if self.eof && self.pending.is_empty() {
            return Ok(false);
        }
        let mut chunk = std::mem::take(&mut self.pending);
        if !self.eof {
            let start = chunk.len();
            chunk.resize(start + CHUNK_BYTES, 0);
            let n = self.inner.read(&mut chunk[start..])?;
            chunk.truncate(start + n);
            self.eof = n == 0;
        }
        match &mut self.mode {
            Mode::Decode(decoder) => {
                let last = self.eof;
                self.out.reserve(
                    decoder
                        .max_utf8_buffer_length(chunk.len())
                        .unwrap_or(chunk.len() * 3),
                );
                let mut text = String::with_capacity(self.out.capacity());
                let (_, read, _) = decoder.decode_to_string(&chunk, &mut text, last);
                self.out.extend_from_slice(text.as_bytes());
                self.pending = chunk[read..].to_vec();
            }
            Mode::Utf8 { .. } => self.pass_utf8(chunk),
        }
        Ok(!self.out.is_empty() || !self.eof || !self.pending.is_empty())
    }

    /// Hands on a chunk of what should be UTF-8, dealing with what is not.
    fn pass_utf8(&mut self, chunk: Vec<u8>) {
        let mut rest: &[u8] = &chunk;
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    self.note_text(text.as_bytes());
                    self.out.extend_from_slice(rest);
                    return;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    self.note_text(valid);
                    self.out.extend_from_slice(valid);
                    match e.error_len() {
                        // A sequence cut by the chunk's end: wait for the next chunk.
                        None if !self.eof => {
                            self.pending = after.to_vec();
                            return;
                        }
                        bad => {
                            let seen_non_ascii = matches!(
                                self.mode,
                                Mode::Utf8 {
                                    seen_non_ascii: true
                                }
                            );
                            if !seen_non_ascii {
                                self.switch_to_legacy(after);
                                return;
                            }
                            // A mixed file: this sequence alone, as Windows-1252.
                            let len = bad.unwrap_or(after.len()).max(1);
                            let (text, _, _) = WINDOWS_1252.decode(&after[..len]);
                            self.out.extend_from_slice(text.as_bytes());
                            self.with_report(|r| r.repaired_sequences += 1);
                            rest = &after[len..];
                        }
                    }
                }
            }
        }
    }

    fn note_text(&mut self, valid: &[u8]) {
        if let Mode::Utf8 { seen_non_ascii } = &mut self.mode {
            if !*seen_non_ascii && !valid.is_ascii() {
                *seen_non_ascii = true;
            }
        }
    }

    /// Everything so far was ASCII and `rest` is not UTF-8: the file is in a legacy
    /// encoding. Decodes `rest` (and all that follows) as the one `chardetng` recognises.
    fn switch_to_legacy(&mut self, rest: &[u8]) {
        let mut detector = chardetng::EncodingDetector::new();
        detector.feed(rest, self.eof);
        let guess = detector.guess(None, true);
        // A UTF-8 guess cannot be right for bytes that are not UTF-8. On little evidence the
        // detector wavers between the Latin-script Windows code pages, which agree on most
        // letters: those are read as Windows-1252, what Excel writes on most desktops.
        let latin = [
            "windows-1250",
            "windows-1252",
            "windows-1254",
            "windows-1257",
            "ISO-8859-2",
        ];
        let encoding = if guess == UTF_8 || latin.contains(&guess.name()) {
            WINDOWS_1252
        } else {
            guess
        };
        self.with_report(|r| {
            r.encoding = encoding.name().to_string();
            r.how = Some(format!(
                "the file is not UTF-8: read as {} (use --encoding to choose another)",
                encoding.name()
            ));
        });
        self.mode = Mode::Decode(Box::new(encoding.new_decoder_without_bom_handling()));
        self.pending = rest.to_vec();
        // Decode what is there now; the next read continues from `pending`.
        if let Mode::Decode(decoder) = &mut self.mode {
            let mut text = String::new();
            let chunk = std::mem::take(&mut self.pending);
            text.reserve(
                decoder
                    .max_utf8_buffer_length(chunk.len())
                    .unwrap_or(chunk.len() * 3),
            );
            let (_, read, _) = decoder.decode_to_string(&chunk, &mut text, self.eof);
            self.out.extend_from_slice(text.as_bytes());
            self.pending = chunk[read..].to_vec();
        }
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.out_at >= self.out.len() {
            if !self.refill()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.out_at);
        buf[..n].copy_from_slice(&self.out[self.out_at..self.out_at + n]);
        self.out_at += n;
        Ok(n)
    }
}

/// Decodes the head of a file as [`DecodingReader`] would (for detection). A UTF-8
/// character cut by the head's end is left out, not taken for a sign of another encoding.
pub fn decode_all(bytes: &[u8], encoding: Option<&'static Encoding>) -> Vec<u8> {
    let bytes = match (encoding, std::str::from_utf8(bytes)) {
        (None, Err(e)) if e.error_len().is_none() => &bytes[..e.valid_up_to()],
        _ => bytes,
    };
    let mut out = Vec::with_capacity(bytes.len());
    let mut reader = DecodingReader::new(bytes, encoding);
    // Reading from memory cannot fail.
    let _ = reader.read_to_end(&mut out);
    out
}

/// The UTF-16 encodings (they need their byte-order mark to be recognised).
pub fn is_utf16(encoding: &'static Encoding) -> bool {
    encoding == UTF_16LE || encoding == UTF_16BE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8], encoding: Option<&'static Encoding>) -> (String, EncodingReport) {
        let mut reader = DecodingReader::new(bytes, encoding);
        let mut out = String::new();
        reader.read_to_string(&mut out).unwrap();
        let report = reader.report().lock().unwrap().clone();
        (out, report)
    }

    #[test]
    fn utf8_passes_through_and_says_nothing() {
        let (text, report) = read_all("Ağrı, Zürich, 北京".as_bytes(), None);
        assert_eq!(text, "Ağrı, Zürich, 北京");
        assert_eq!(report.note(), None);
    }

    #[test]
    fn a_windows_1252_file_after_pages_of_ascii_is_read_as_windows_1252() {
        let mut bytes = "id,source\n".repeat(20_000).into_bytes();
        bytes.extend_from_slice(b"7,Agence France-Presse \xE9t\xE9\n");
        let (text, report) = read_all(&bytes, None);
        assert!(
            text.ends_with("7,Agence France-Presse été\n"),
            "{}",
            &text[text.len() - 40..]
        );
        assert_eq!(report.encoding, "windows-1252");
        assert!(report.note().unwrap().contains("not UTF-8"));
    }

    #[test]
    fn a_utf8_file_with_one_stray_latin1_byte_keeps_both() {
        let (text, report) = read_all(b"Z\xC3\xBCrich;caf\xE9", None);
        assert_eq!(text, "Zürich;café");
        assert_eq!(report.repaired_sequences, 1);
    }

    #[test]
    fn utf16_with_its_mark_and_a_chosen_encoding_are_decoded() {
        let mut utf16: Vec<u8> = Vec::new();
        for unit in "Kenya,Mérida".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let (text, _) = read_all(&utf16, Some(UTF_16LE));
        assert_eq!(text, "Kenya,Mérida");
        let sniffed = sniff(b"\xFF\xFEK\x00");
        assert_eq!((sniffed.encoding, sniffed.bom_len), (Some(UTF_16LE), 2));
        let (text, report) = read_all(b"caf\xE9", for_label("latin1"));
        assert_eq!(text, "café");
        assert_eq!(report.encoding, "windows-1252");
    }

    #[test]
    fn a_sequence_cut_by_a_chunk_boundary_is_joined() {
        let mut bytes = vec![b'a'; CHUNK_BYTES - 1];
        bytes.extend_from_slice("é".as_bytes());
        let (text, report) = read_all(&bytes, None);
        assert!(text.ends_with('é'));
        assert_eq!(report.note(), None);
    }
}
