//! Located problems and load errors: every message says which file, where, and what is wrong.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::text::cut;

/// How many problems a message lists before "and N more".
pub const PROBLEMS_SHOWN: usize = 20;

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Place {
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// 1-based column, when known.
    pub column: Option<u64>,
    /// The record, e.g. `events[3] (id "ev-1")` or `record 17`.
    pub record: Option<String>,
    /// The field (JSON key or CSV column name).
    pub field: Option<String>,
}

impl Place {
    /// A line and column.
    pub fn at(line: u64, column: u64) -> Place {
        Place {
            line: Some(line),
            column: Some(column),
            ..Place::default()
        }
    }
}

/// One thing wrong with an input, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where.
    pub place: Place,
    /// What is wrong, as a sentence fragment ("unknown actor 'xyz'").
    pub message: String,
    /// The offending value, cut to 80 characters, when there is one.
    pub value: Option<String>,
}

impl Problem {
    /// A problem at a place.
    pub fn new(place: Place, message: impl Into<String>) -> Problem {
        Problem {
            place,
            message: message.into(),
            value: None,
        }
    }

    /// Adds the offending value, cut to 80 characters.
    pub fn with_value(mut self, value: &str) -> Problem {
        self.value = Some(cut(value, 80));
        self
    }

    /// The problem as one line, prefixed by the file: `file:12:5: events[3].date: bad date`.
    pub fn display_in(&self, file: &Path) -> String {
        let mut out = file.display().to_string();
        if let Some(line) = self.place.line {
            out.push_str(&format!(":{line}"));
            if let Some(col) = self.place.column {
                out.push_str(&format!(":{col}"));
            }
        }
        out.push_str(": ");
        match (&self.place.record, &self.place.field) {
            (Some(r), Some(f)) => out.push_str(&format!("{r}, field '{f}': ")),
            (Some(r), None) => out.push_str(&format!("{r}: ")),
            (None, Some(f)) => out.push_str(&format!("field '{f}': ")),
            (None, None) => {}
        }
        out.push_str(&self.message);
        if let Some(v) = &self.value {
            out.push_str(&format!(" (value: {v:?})"));
        }
        out
    }
}

/// Lists problems, the first [`PROBLEMS_SHOWN`] then "and N more", N counted from `total`
/// (which may exceed `problems.len()` when only the first problems were kept).
pub fn list_problems(file: &Path, problems: &[Problem], total: usize) -> String {
    let mut out = String::new();
    for p in problems.iter().take(PROBLEMS_SHOWN) {
        out.push_str("  ");
        out.push_str(&p.display_in(file));
        out.push('\n');
    }
    let shown = problems.len().min(PROBLEMS_SHOWN);
    let total = total.max(problems.len());
    if total > shown {
        out.push_str(&format!("  and {} more\n", total - shown));
    }
    out
}

/// Why a dataset could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file was read but is not a valid dataset.
    #[error("{}", invalid_message(path, problems))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every problem found (possibly many).
        problems: Vec<Problem>,
    },
    /// A workspace that includes itself, directly or through another workspace.
    #[error("{}: the workspace includes itself: {}", path.display(), chain.join(" → "))]
    IncludesItself {
        /// The workspace whose include closes the loop.
        path: PathBuf,
        /// The workspaces of the loop, first to last and back to the first.
        chain: Vec<String>,
    },
    /// The load was cancelled by the user.
    #[error("{}: loading cancelled", path.display())]
    Cancelled {
        /// The file.
        path: PathBuf,
    },
    /// A table whose columns are not a format Faultline knows: it can be read with a column
    /// map (`--map`, or the app's column-mapping window, which shows the preview).
    #[error("{}:1: not a format Faultline knows. Its columns are: {}. To read it as a table of events, say which column holds the date and which the actors, type or place: --map date=COLUMN,actor1=COLUMN,type=COLUMN,… (the app opens its column-mapping window)", path.display(), crate::text::cut(&columns.join(", "), 300))]
    UnknownTable {
        /// The file.
        path: PathBuf,
        /// The header's columns.
        columns: Vec<String>,
        /// The first rows, cell by cell.
        preview: Vec<Vec<String>>,
    },
}

fn invalid_message(path: &Path, problems: &[Problem]) -> String {
    match problems {
        [] => format!("{}: not a valid dataset", path.display()),
        [one] => one.display_in(path),
        many => format!(
            "{}: {} problems\n{}",
            path.display(),
            many.len(),
            list_problems(path, many, many.len()).trim_end()
        ),
    }
}

impl LoadError {
    /// An invalid-input error with a single problem.
    pub fn invalid(path: &Path, problem: Problem) -> LoadError {
        LoadError::Invalid {
            path: path.to_path_buf(),
            problems: vec![problem],
        }
    }

    /// True when the input itself is at fault (bad data, unreadable file), as opposed to a
    /// cancellation.
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, LoadError::Cancelled { .. })
    }

    /// The problems, if the file was invalid.
    pub fn problems(&self) -> &[Problem] {
        match self {
            LoadError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = Problem::new(self.clone(), "");
        let s = p.display_in(Path::new(""));
        write!(f, "{}", s.trim_start_matches(':').trim_end_matches(": "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_names_file_line_column_record_and_field() {
        let p = Problem::new(
            Place {
                line: Some(12),
                column: Some(5),
                record: Some("events[3]".into()),
                field: Some("date".into()),
            },
            "bad date",
        )
        .with_value("2023-02-30");
        assert_eq!(
            p.display_in(Path::new("x.json")),
            "x.json:12:5: events[3], field 'date': bad date (value: \"2023-02-30\")"
        );
    }

    #[test]
    fn long_lists_are_cut_after_twenty_with_a_count() {
        let problems: Vec<Problem> = (0..25)
            .map(|i| Problem::new(Place::at(i, 1), "x"))
            .collect();
        let text = list_problems(Path::new("f"), &problems, 25);
        assert_eq!(text.lines().count(), 21);
        assert!(text.ends_with("and 5 more\n"));
    }

    #[test]
    fn offending_values_are_cut_to_eighty_characters() {
        let p = Problem::new(Place::default(), "x").with_value(&"a".repeat(500));
        assert_eq!(p.value.unwrap().chars().count(), 80);
    }
}
