//! Several files read into one view: their events in one store, each event remembering its
//! file ([`FileLayer`]); the same id in two files of one format (two releases of an ACLED
//! export) kept once, the newer release winning, and the replaced records listed; the other
//! records (actors, sources, relations, series, statements) merged by id, never clobbered.

use std::collections::{HashMap, HashSet};

use crate::model::{Dataset, SourceRef};
use crate::store::{FileLayer, Store};

use super::Opened;

/// The attribute that says when an imported record last changed (ACLED's `timestamp`, Unix
/// seconds): of two releases of one id, the larger is the newer.
const CHANGED_AT: &str = "timestamp";

/// The files of `parts` (each read on its own, or already combined) as one dataset, in this
/// order. Of two events with the same id read from files of the same format, the one changed
/// later (by its `timestamp`) is kept, else the one from the later file; the other is listed
/// in its file's [`FileLayer::replaced_ids`]. Records of the other kinds with the same id are
/// kept once when they are equal; when they differ the later one is kept under the id
/// `ID@FILE` (with its references), so nothing one file says is put in another's mouth.
/// Events of files of different formats that share an id are told apart the same way.
/// Each part's problems are its own to report; the result's `skipped` is their sum.
pub fn combine(parts: Vec<Opened>) -> Opened {
    let mut parts = parts;
    for part in &mut parts {
        if part.store.files.is_empty() {
            let (events, skipped) = (part.store.len(), part.skipped);
            let title = part.store.meta.title.clone();
            part.store.files = vec![FileLayer::whole(
                &title,
                part.format.name(),
                events,
                skipped,
            )];
        }
    }
    let kept = releases_kept(&mut parts);
    let (meta, source_renames) = merged_records(&mut parts);
    let mut store = Store::new(meta);
    let mut seen_ids: HashMap<String, u32> = HashMap::new();
    let several_formats = formats(&parts).len() > 1;
    let mut renamed_events = 0usize;
    for (k, part) in parts.iter().enumerate() {
        let base = store.len();
        let offset = store.files.len() as u32;
        store.append_rows(&part.store, &kept[k]);
        store.offset_files(base, offset);
        store.rename_cited_sources(base, &source_renames[k]);
        store.files.extend(part.store.files.iter().cloned());
        if several_formats {
            renamed_events += store.tell_ids_apart(base, &mut seen_ids);
        }
    }
    for layer in &mut store.files {
        layer.events = 0;
    }
    for row in 0..store.len() {
        let file = store.file_of(row);
        store.files[file].events += 1;
    }
    let mut notes = Vec::new();
    for part in &parts {
        let name = part.store.files.first().map_or("", |l| l.name.as_str());
        notes.extend(part.notes.iter().map(|n| format!("{name}: {n}")));
    }
    notes.extend(replacement_notes(&store.files));
    if renamed_events > 0 {
        notes.push(format!(
            "{} shown as ID@FILE: another file of another format uses the same id",
            crate::text::plural(renamed_events, "event")
        ));
    }
    let workspace = parts.iter_mut().find_map(|p| p.workspace.take());
    Opened {
        workspace,
        format: parts.first().map_or(super::Format::Faultline, |p| p.format),
        problems: Vec::new(),
        skipped: parts.iter().map(|p| p.skipped).sum(),
        figure_records: parts.iter().map(|p| p.figure_records).sum(),
        notes,
        store,
    }
}

/// The formats of the files of `parts`, in order of first appearance.
fn formats(parts: &[Opened]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for layer in parts.iter().flat_map(|p| &p.store.files) {
        if !out.contains(&layer.format) {
            out.push(layer.format.clone());
        }
    }
    out
}

/// One line per file some of whose events a newer release replaced.
fn replacement_notes(files: &[FileLayer]) -> Vec<String> {
    files
        .iter()
        .filter(|f| f.replaced > 0)
        .map(|f| {
            format!(
                "{}: {} replaced by a newer release of the same id in another file (the first: {})",
                f.name,
                crate::text::plural(f.replaced, "event"),
                f.replaced_ids[0]
            )
        })
        .collect()
}

/// When event `row` of `store` last changed, by its `timestamp` attribute.
fn changed_at(store: &Store, row: usize) -> Option<i64> {
    let column = store.events.attributes.get(CHANGED_AT)?;
    store.strings.opt(column[row])?.trim().parse().ok()
}

/// The rows of each part to keep: every row, less those a newer release of the same id in a
/// file of the same format replaced (each listed in its file's layer).
fn releases_kept(parts: &mut [Opened]) -> Vec<Vec<usize>> {
    let mut dropped: Vec<Vec<bool>> = parts.iter().map(|p| vec![false; p.store.len()]).collect();
    let formats_seen = {
        let mut count: HashMap<&str, usize> = HashMap::new();
        for layer in parts.iter().flat_map(|p| &p.store.files) {
            *count.entry(layer.format.as_str()).or_default() += 1;
        }
        count
    };
    // Per format shared by several files: who holds each id now (part, row).
    let mut holder: HashMap<(&str, &str), (usize, usize)> = HashMap::new();
    let mut replaced: Vec<(usize, usize)> = Vec::new();
    for (k, part) in parts.iter().enumerate() {
        let store = &part.store;
        for row in 0..store.len() {
            let format = store.files[store.file_of(row)].format.as_str();
            if formats_seen.get(format).copied().unwrap_or(0) < 2 {
                continue;
            }
            let id = store.row(row).id();
            match holder.get(&(format, id)).copied() {
                None => {
                    holder.insert((format, id), (k, row));
                }
                Some((k0, row0)) if k0 == k && store.file_of(row0) == store.file_of(row) => {}
                Some((k0, row0)) => {
                    let older = changed_at(&parts[k0].store, row0);
                    let newer = changed_at(store, row);
                    let loser = match (older, newer) {
                        (Some(a), Some(b)) if b < a => (k, row),
                        _ => {
                            holder.insert((format, id), (k, row));
                            (k0, row0)
                        }
                    };
                    replaced.push(loser);
                }
            }
        }
    }
    for &(k, row) in &replaced {
        dropped[k][row] = true;
        let store = &parts[k].store;
        let id = store.row(row).id().to_string();
        let file = store.file_of(row);
        let layer = &mut parts[k].store.files[file];
        layer.replaced += 1;
        layer.replaced_ids.push(id);
    }
    dropped
        .iter()
        .map(|d| (0..d.len()).filter(|&r| !d[r]).collect())
        .collect()
}

/// The parts' records other than events merged into one dataset, and for each part the
/// source ids it had to rename (`id` → `id@FILE`) because another file's source of that id
/// differs. Each part's own records are renamed to match.
fn merged_records(parts: &mut [Opened]) -> (Dataset, Vec<HashMap<String, String>>) {
    let titles: Vec<String> = {
        let mut titles = Vec::new();
        for part in parts.iter() {
            if !titles.contains(&part.store.meta.title) {
                titles.push(part.store.meta.title.clone());
            }
        }
        titles
    };
    let mut merged = Dataset {
        title: titles.join(" + "),
        // Each file's own description belongs to that file; a view of several has none.
        description: match parts {
            [one] => one.store.meta.description.clone(),
            _ => None,
        },
        ..Dataset::default()
    };
    let mut renames = Vec::new();
    for part in parts.iter_mut() {
        let name = part
            .store
            .files
            .first()
            .map_or(String::new(), |l| l.name.clone());
        let meta = &mut part.store.meta;
        let mut renamed = HashMap::new();
        for source in &meta.sources {
            if let Some(known) = merged.sources.iter().find(|s| s.id == source.id) {
                if known != source {
                    renamed.insert(source.id.clone(), format!("{}@{name}", source.id));
                }
            }
        }
        rename_sources(meta, &renamed);
        merge_by_id(&mut merged.sources, &meta.sources, |s| &mut s.id, &name);
        merge_by_id(&mut merged.relations, &meta.relations, |r| &mut r.id, &name);
        merge_by_id(&mut merged.series, &meta.series, |s| &mut s.id, &name);
        merge_by_id(
            &mut merged.statements,
            &meta.statements,
            |s| &mut s.id,
            &name,
        );
        for actor in &meta.actors {
            match merged.actors.iter_mut().find(|a| a.id == actor.id) {
                Some(known) if known.kind == crate::model::ActorKind::Unknown => {
                    known.kind = actor.kind;
                }
                Some(_) => {}
                None => merged.actors.push(actor.clone()),
            }
        }
        renames.push(renamed);
    }
    (merged, renames)
}

/// Appends `new` records to `into`: one equal to a record already there is kept once; one
/// whose id is taken by a different record comes in as `ID@FILE`.
fn merge_by_id<T: Clone + PartialEq>(
    into: &mut Vec<T>,
    new: &[T],
    id: impl Fn(&mut T) -> &mut String,
    file: &str,
) {
    let mut taken: HashSet<String> = into.iter().map(|r| id(&mut r.clone()).clone()).collect();
    for record in new {
        if into.contains(record) {
            continue;
        }
        let mut record = record.clone();
        let own = id(&mut record);
        if taken.contains(own.as_str()) {
            *own = format!("{own}@{file}");
        }
        taken.insert(own.clone());
        into.push(record);
    }
}

/// Renames the sources `renamed` names everywhere a dataset's records cite them.
fn rename_sources(meta: &mut Dataset, renamed: &HashMap<String, String>) {
    if renamed.is_empty() {
        return;
    }
    for source in &mut meta.sources {
        if let Some(new) = renamed.get(&source.id) {
            source.id = new.clone();
        }
    }
    let refs = meta
        .actors
        .iter_mut()
        .flat_map(|a| a.sources.iter_mut())
        .chain(meta.relations.iter_mut().flat_map(|r| r.sources.iter_mut()))
        .chain(
            meta.series
                .iter_mut()
                .flat_map(|s| s.observations.iter_mut())
                .flat_map(|o| o.sources.iter_mut()),
        )
        .chain(
            meta.statements
                .iter_mut()
                .flat_map(|s| s.sources.iter_mut()),
        );
    for cited in refs {
        rename_ref(cited, renamed);
    }
}

/// Points a citation at its source's new id, if it was renamed.
pub(crate) fn rename_ref(cited: &mut SourceRef, renamed: &HashMap<String, String>) {
    if let Some(new) = renamed.get(&cited.source) {
        cited.source = new.clone();
    }
}

/// The view `store` with the events of its file `layer` (the analyst's own records) replaced
/// by `own`'s events, the other files' events untouched and in place; `own`'s actors and
/// sources joined to the view's. With no such layer, `own` becomes a new last file with this
/// `path` and `name`. `own` must be a valid dataset (its events' actors and sources its own).
pub fn with_own_records(
    store: Store,
    layer: Option<usize>,
    own: &Dataset,
    (path, name): (&str, &str),
) -> Store {
    let mut view = store;
    // A store built in memory knows no files: its events become a layer of their own first.
    if view.files.is_empty() && !view.is_empty() {
        let title = view.meta.title.clone();
        let mut existing = FileLayer::whole("", "faultline", view.len(), 0);
        existing.name = title;
        view.files.push(existing);
    }
    let file = match layer {
        Some(k) => {
            let keep: Vec<bool> = (0..view.len()).map(|i| view.file_of(i) != k).collect();
            view.retain_rows(|i| keep[i]);
            k
        }
        None => {
            let mut added = FileLayer::whole(path, "faultline", 0, 0);
            added.name = name.to_string();
            view.files.push(added);
            view.files.len() - 1
        }
    };
    for source in &own.sources {
        if !view.meta.sources.iter().any(|s| s.id == source.id) {
            view.meta.sources.push(source.clone());
        }
    }
    let records = Store::from_dataset(own.clone());
    let base = view.len();
    let rows: Vec<usize> = (0..records.len()).collect();
    view.append_rows(&records, &rows);
    view.offset_files(base, file as u32);
    view.files[file].events = records.len();
    view.renew_generation();
    view
}
