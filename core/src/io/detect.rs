//! Which format a file is in, decided from its first bytes — never from its name.

use super::Format;
use crate::text::cut;

/// How a file's content looks, at a finer grain than [`Format`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    /// Native JSON (or JSON that is nothing else, so the native reader explains what is wrong).
    Faultline,
    /// An ACLED CSV export.
    Acled,
    /// A UCDP GED CSV.
    UcdpCsv,
    /// UCDP GED as GeoJSON or JSON.
    UcdpJson,
    /// An ACLED API response (JSON), or its bare array of events.
    AcledJson,
    /// ACLED's aggregated data (counts per week, month or year), read as reported series.
    AcledAggregated,
    /// A GDELT event export (tab-separated, no header).
    Gdelt,
    /// A table read through a column map.
    Table,
}

impl Detected {
    /// The user-facing format.
    pub fn format(self) -> Format {
        match self {
            Detected::Faultline => Format::Faultline,
            Detected::Acled | Detected::AcledJson | Detected::AcledAggregated => Format::Acled,
            Detected::UcdpCsv | Detected::UcdpJson => Format::Ucdp,
            Detected::Gdelt => Format::Gdelt,
            Detected::Table => Format::Table,
        }
    }
}

/// How many bytes of a file detection looks at.
pub const HEAD_BYTES: usize = 64 * 1024;

fn header_names(line: &str, delimiter: char) -> Vec<String> {
    line.split(delimiter)
        .map(|h| h.trim().trim_matches('"').trim().to_ascii_lowercase())
        .collect()
}

fn is_acled(names: &[String]) -> bool {
    ["event_date", "event_type", "actor1"]
        .iter()
        .all(|c| names.iter().any(|n| n == c))
}

fn is_ucdp(names: &[String]) -> bool {
    ["side_a", "date_start", "type_of_violence"]
        .iter()
        .all(|c| names.iter().any(|n| n == c))
}

/// Decides the format from the head of a file, or explains why none fits.
pub fn detect(head: &[u8]) -> Result<Detected, String> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace());
    let Some(start) = start else {
        return Err(if head.is_empty() {
            "the file is empty".into()
        } else {
            "the file holds only blank lines".into()
        });
    };
    let body = &head[start..];
    if body.iter().take(8192).any(|&b| b == 0) {
        return Err("this is a binary file, not CSV, TSV or JSON".into());
    }
    let text = String::from_utf8_lossy(body);
    if body[0] == b'{' || body[0] == b'[' {
        let looks_native = text.contains("\"format\"") && text.contains("\"faultline\"");
        let looks_ucdp = text.contains("\"side_a\"")
            || text.contains("\"type_of_violence\"")
            || text.contains("\"FeatureCollection\"");
        let looks_acled = text.contains("\"event_id_cnty\"")
            || (text.contains("\"event_date\"") && text.contains("\"actor1\""));
        return Ok(if looks_native {
            Detected::Faultline
        } else if looks_ucdp {
            Detected::UcdpJson
        } else if looks_acled {
            Detected::AcledJson
        } else {
            Detected::Faultline
        });
    }
    let first_line = text.lines().next().unwrap_or("");
    let tabs: Vec<&str> = first_line.split('\t').collect();
    if tabs.len() >= 20 && tabs[0].trim().bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Detected::Gdelt);
    }
    let names = header_names(first_line, ',');
    if is_acled(&names) {
        return Ok(Detected::Acled);
    }
    if super::acled_aggregated::is_aggregated(&names) {
        return Ok(Detected::AcledAggregated);
    }
    if is_ucdp(&names) {
        return Ok(Detected::UcdpCsv);
    }
    // Excel saves "CSV" with semicolons where the decimal separator is a comma; tab- and
    // bar-separated copies exist too. The ACLED reader takes any of them.
    for (delimiter, name) in [(';', "semicolons"), ('\t', "tabs"), ('|', "bars")] {
        let names = header_names(first_line, delimiter);
        if is_acled(&names) {
            return Ok(Detected::Acled);
        }
        if super::acled_aggregated::is_aggregated(&names) {
            return Ok(Detected::AcledAggregated);
        }
        if is_ucdp(&names) {
            return Err(format!(
                "the header is separated by {name}; Faultline reads UCDP files separated by commas (re-export it as CSV with commas, or read it as a table with --map)"
            ));
        }
    }
    Err(format!(
        "not a format Faultline reads. Expected native JSON ({{\"format\": \"faultline\", …}}), an ACLED CSV (a header with event_date, event_type, actor1), a UCDP GED CSV or GeoJSON (side_a, date_start, type_of_violence), or a GDELT 1.0/2.0 event file (57, 58 or 61 tab-separated columns). The first line was: {:?}",
        cut(first_line, 120)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_apart_by_content() {
        assert_eq!(
            detect(b"{\"format\": \"faultline\", \"version\": 1}").unwrap(),
            Detected::Faultline
        );
        assert_eq!(
            detect(b"\xEF\xBB\xBFdata_id,EVENT_DATE,Event_Type,ACTOR1\n1,2,3,4").unwrap(),
            Detected::Acled
        );
        assert_eq!(
            detect(b",actor1,actor2,event_date,event_type\n").unwrap(),
            Detected::Acled
        );
        assert_eq!(
            detect(b"id,side_a,side_b,date_start,date_end,type_of_violence\n").unwrap(),
            Detected::UcdpCsv
        );
        assert_eq!(
            detect(b"{\"type\": \"FeatureCollection\", \"features\": []}").unwrap(),
            Detected::UcdpJson
        );
        assert_eq!(
            detect(b"{\"status\":200,\"success\":true,\"data\":[{\"event_id_cnty\":\"X1\"")
                .unwrap(),
            Detected::AcledJson
        );
        assert_eq!(
            detect(b"[{\"event_date\": \"2024-10-01\", \"actor1\": \"IDF\"}]").unwrap(),
            Detected::AcledJson
        );
        let gdelt = format!("564111644\t20060731{}\n", "\tx".repeat(56));
        assert_eq!(detect(gdelt.as_bytes()).unwrap(), Detected::Gdelt);
    }

    #[test]
    fn an_unknown_file_says_what_was_expected_and_shows_its_first_line() {
        let err = detect(b"name,age\nbob,4\n").unwrap_err();
        assert!(err.contains("event_date"), "{err}");
        assert!(err.contains("\"name,age\""), "{err}");
        assert!(detect(b"").unwrap_err().contains("empty"));
        assert!(detect(b"\x00\x01\x02garbage")
            .unwrap_err()
            .contains("binary"));
        assert_eq!(
            detect(b"event_date;event_type;actor1\n"),
            Ok(Detected::Acled)
        );
        assert!(detect(b"side_a;date_start;type_of_violence\n")
            .unwrap_err()
            .contains("semicolons"));
    }
}
