//! Workspaces: a native file that includes dataset files by path (relative to itself) with
//! their size and checksum, and holds the analyst's layer (see [`Workspace`]). Opening one
//! reads every file it includes into one view ([`super::combine`]) after the workspace's own
//! records; a missing or changed file is said, and the rest opens; a workspace that includes
//! itself, directly or through another, is refused with the chain named. Included files are
//! only ever read.

use std::io::Read as _;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::model::{Correction, Dataset, Include, Workspace};
use crate::store::Store;

use super::{LoadError, OpenOptions, Opened};

/// The include that names the embedded dataset (a workspace made over it).
pub const EMBEDDED: &str = "faultline:embedded";

/// What became of one file a workspace includes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncludeState {
    /// Read, as it was when the workspace was saved (or with nothing recorded to compare).
    Read,
    /// Read, but its size or checksum differs from what the workspace recorded.
    Changed(String),
    /// Not read: missing or unreadable (the reason).
    NotRead(String),
}

/// One included file: as the workspace names it, where that is, and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncludeStatus {
    /// The workspace's entry.
    pub include: Include,
    /// Its path resolved against the workspace's folder.
    pub resolved: PathBuf,
    /// Read, changed, or not read.
    pub state: IncludeState,
}

/// A workspace as it was opened.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenedWorkspace {
    /// The workspace file.
    pub path: PathBuf,
    /// The analyst's layer and the view.
    pub layer: Workspace,
    /// Each included file and what became of it, in order.
    pub includes: Vec<IncludeStatus>,
    /// The workspace's own records (the events the analyst added, their actors and sources).
    pub own: Dataset,
    /// The layer's corrections as the view shows them.
    pub corrected: Vec<Corrected>,
}

/// A correction as a view shows it: what the view's event said before it (the file's value
/// now, which may differ from the one the correction recorded if the file changed since).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corrected {
    /// The correction.
    pub correction: Correction,
    /// The value it replaced in this view.
    pub replaced: String,
}

/// Applies the corrections to the view `store`, in order: each field set to its corrected
/// value, remembering the value it replaced. A correction of an event the view lacks, or
/// with a value its field cannot take, is left out and said ("correction of 4 Oct…: …").
pub fn apply_corrections(
    store: &mut Store,
    corrections: &[Correction],
) -> (Vec<Corrected>, Vec<String>) {
    let rows = store.rows_of_ids(corrections.iter().map(|c| c.event.as_str()));
    let mut shown = Vec::new();
    let mut problems = Vec::new();
    for correction in corrections {
        let about = format!(
            "correction of the {} of event {}",
            correction.field.label(),
            correction.event
        );
        let Some(&row) = rows.get(&correction.event) else {
            problems.push(format!("{about}: no such event in the view; not applied"));
            continue;
        };
        let replaced = store.field_text(row, correction.field);
        match store.set_field(row, correction.field, &correction.value) {
            Ok(()) => shown.push(Corrected {
                correction: correction.clone(),
                replaced,
            }),
            Err(e) => problems.push(format!("{about}: {e}; not applied")),
        }
    }
    (shown, problems)
}

/// Takes corrections shown by [`apply_corrections`] back out of `store`, last first, so each
/// field says again what it said before them.
pub fn revert_corrections(store: &mut Store, shown: &[Corrected]) {
    let rows = store.rows_of_ids(shown.iter().map(|c| c.correction.event.as_str()));
    for c in shown.iter().rev() {
        if let Some(&row) = rows.get(&c.correction.event) {
            // The value was read from this field, so it is one the field takes.
            let _ = store.set_field(row, c.correction.field, &c.replaced);
        }
    }
}

/// The SHA-256 of a file, in lower-case hex, read in blocks.
pub fn sha256_of(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut block = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut block)?;
        if n == 0 {
            break;
        }
        hasher.update(&block[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// A path as absolute and plain as can be (symbolic links resolved when it exists), so two
/// names of one file compare equal.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| std::path::absolute(path).unwrap_or_default())
}

/// `to` relative to the folder `from` (`../data/a.csv`), or `to` itself when they share no
/// root.
pub fn relative_path(from: &Path, to: &Path) -> String {
    let (from, to) = (canonical(from), canonical(to));
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return to.display().to_string();
    }
    let mut parts: Vec<String> = vec!["..".to_string(); a.len() - common];
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// How an included file compares with what the workspace recorded of it.
fn compare(include: &Include, resolved: &Path) -> IncludeState {
    let Ok(meta) = std::fs::metadata(resolved) else {
        return IncludeState::NotRead("missing".into());
    };
    if let Some(bytes) = include.bytes {
        if bytes != meta.len() && !meta.is_dir() {
            return IncludeState::Changed(format!(
                "changed since the workspace was saved: {} bytes, then {bytes}",
                meta.len()
            ));
        }
    }
    if let (Some(recorded), false) = (&include.sha256, meta.is_dir()) {
        match sha256_of(resolved) {
            Ok(now) if now.eq_ignore_ascii_case(recorded) => {}
            Ok(_) => {
                return IncludeState::Changed(
                    "changed since the workspace was saved: its checksum differs".into(),
                )
            }
            Err(e) => return IncludeState::NotRead(format!("cannot read: {e}")),
        }
    }
    IncludeState::Read
}

/// Reads the files `layer` includes, relative to the workspace at `path`, and puts them in
/// one view with the workspace's own records `own` (after them). `options.including` names
/// the workspaces already being opened: one of them among the includes is a loop, refused.
pub fn assemble(
    path: &Path,
    own: Store,
    layer: Workspace,
    options: &OpenOptions,
) -> Result<Opened, LoadError> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut chain = options.including.clone();
    chain.push(canonical(path));
    let inner = OpenOptions {
        including: chain.clone(),
        ..options.clone()
    };
    let mut parts = Vec::new();
    let mut includes = Vec::new();
    for include in &layer.includes {
        if include.path == EMBEDDED {
            let seed = crate::seed::seed_dataset()?;
            parts.push(Opened::native(seed).as_file(Path::new(crate::seed::SEED_NAME)));
            includes.push(IncludeStatus {
                include: include.clone(),
                resolved: PathBuf::from(crate::seed::SEED_NAME),
                state: IncludeState::Read,
            });
            continue;
        }
        let named = Path::new(&include.path);
        let resolved = if named.is_absolute() {
            named.to_path_buf()
        } else {
            folder.join(named)
        };
        if let Some(k) = chain.iter().position(|w| *w == canonical(&resolved)) {
            let mut names: Vec<String> =
                chain[k..].iter().map(|p| p.display().to_string()).collect();
            names.push(chain[k].display().to_string());
            return Err(LoadError::IncludesItself {
                path: path.to_path_buf(),
                chain: names,
            });
        }
        let mut state = compare(include, &resolved);
        if !matches!(state, IncludeState::NotRead(_)) {
            match super::open(&resolved, &inner) {
                Ok(opened) => parts.push(opened),
                Err(e @ LoadError::IncludesItself { .. }) => return Err(e),
                Err(e @ LoadError::Cancelled { .. }) => return Err(e),
                Err(e) => state = IncludeState::NotRead(e.to_string()),
            }
        }
        includes.push(IncludeStatus {
            include: include.clone(),
            resolved,
            state,
        });
    }
    let own_dataset = own.to_dataset();
    let own_holds_records = !own.is_empty()
        || !own.meta.series.is_empty()
        || !own.meta.statements.is_empty()
        || !own.meta.relations.is_empty();
    let mut own_opened = Opened::whole(own, super::Format::Faultline).as_file(path);
    own_opened.store.meta.title = own_dataset.title.clone();
    if own_holds_records || parts.is_empty() {
        parts.push(own_opened);
    }
    let mut opened = if parts.len() == 1 {
        parts.remove(0)
    } else {
        super::combine::combine(parts)
    };
    if !own_dataset.title.is_empty() {
        opened.store.meta.title = own_dataset.title.clone();
    }
    for status in &includes {
        match &status.state {
            IncludeState::Read => {}
            IncludeState::Changed(why) | IncludeState::NotRead(why) => opened
                .notes
                .push(format!("{}: {why}", status.resolved.display())),
        }
    }
    let (corrected, problems) = apply_corrections(&mut opened.store, &layer.corrections);
    opened.notes.extend(problems);
    opened.workspace = Some(Box::new(OpenedWorkspace {
        path: path.to_path_buf(),
        layer,
        includes,
        own: own_dataset,
        corrected,
    }));
    Ok(opened)
}

/// The includes of a workspace saved at `path` for the files `files` (each with the format
/// it was read as): paths relative to the workspace's folder, sizes and checksums now.
pub fn includes_for(path: &Path, files: &[(PathBuf, String)]) -> std::io::Result<Vec<Include>> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    files
        .iter()
        .map(|(file, format)| {
            let meta = std::fs::metadata(file)?;
            let (bytes, sha256) = if meta.is_dir() {
                (None, None)
            } else {
                (Some(meta.len()), Some(sha256_of(file)?))
            };
            Ok(Include {
                path: relative_path(folder, file),
                format: Some(format.clone()),
                bytes,
                sha256,
            })
        })
        .collect()
}

/// Writes a workspace atomically: its own records, then the layer (whose `includes` the
/// caller has filled, see [`includes_for`]). The included files are not touched.
/// A file that would not read back is not written: the reason is the error.
pub fn save(path: &Path, own: &Dataset, layer: &Workspace) -> std::io::Result<()> {
    let text = super::native::workspace_to_string(own, layer);
    if let Err(e) = super::native::store_and_workspace_from_str(&text, path) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("the workspace would not read back, so it was not written: {e}"),
        ));
    }
    super::atomic::write_atomic(path, text.as_bytes())
}
