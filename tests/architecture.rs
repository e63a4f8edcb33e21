//! The rules of the code's shape that a compiler does not check by itself: Faultline never
//! touches the network (no HTTP, TLS, websocket or DNS client crate in the dependency tree);
//! the data core's dependency tree has no GUI, window system or argument parser; the app's
//! state layer never reaches up into the panels, and no panel changes the state directly.
//! Dependencies are read off `Cargo.lock`, which CI builds with `--locked`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn lock_file() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock"))
        .expect("Cargo.lock is committed")
}

/// Each package of the lock file with the names of the packages it depends on.
fn lock_graph(lock: &str) -> BTreeMap<String, Vec<String>> {
    let mut graph = BTreeMap::new();
    for block in lock.split("[[package]]").skip(1) {
        let mut name = None;
        let mut deps = Vec::new();
        let mut in_deps = false;
        for line in block.lines() {
            let line = line.trim();
            if let Some(n) = line.strip_prefix("name = \"") {
                name = n.strip_suffix('"').map(str::to_string);
            } else if line.starts_with("dependencies = [") {
                in_deps = true;
            } else if in_deps && line.starts_with(']') {
                in_deps = false;
            } else if in_deps {
                let entry = line.trim_matches(|c| c == '"' || c == ',');
                if let Some(dep) = entry.split_whitespace().next() {
                    deps.push(dep.to_string());
                }
            }
        }
        if let Some(name) = name {
            graph.entry(name).or_insert_with(Vec::new).extend(deps);
        }
    }
    graph
}

/// Every package `root` depends on, directly or not.
fn closure(graph: &BTreeMap<String, Vec<String>>, root: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![root.to_string()];
    while let Some(p) = todo.pop() {
        for d in graph.get(&p).into_iter().flatten() {
            if seen.insert(d.clone()) {
                todo.push(d.clone());
            }
        }
    }
    seen
}

#[test]
fn the_data_core_depends_on_no_gui_window_system_or_argument_parser() {
    let graph = lock_graph(&lock_file());
    let app = closure(&graph, "faultline");
    assert!(
        app.contains("eframe") && app.contains("faultline-core"),
        "the lock file is read right: the app has eframe and the core"
    );
    let core = closure(&graph, "faultline-core");
    assert!(
        core.contains("resvg"),
        "the core's own dependencies are found"
    );
    let forbidden: Vec<&String> = core
        .iter()
        .filter(|p| {
            [
                "egui", "eframe", "epaint", "winit", "glow", "glutin", "wgpu", "clap", "rfd",
            ]
            .iter()
            .any(|f| *p == f || p.starts_with(&format!("{f}_")) || p.starts_with(&format!("{f}-")))
                && p.as_str() != "epaint_default_fonts"
        })
        .collect();
    assert!(
        forbidden.is_empty(),
        "GUI or CLI crates under the core: {forbidden:?}"
    );
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("the folder exists").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

fn source(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn the_app_state_layer_never_imports_the_panels_or_egui() {
    let files = rust_files(&source("src/app"));
    assert!(files.len() >= 5, "the app layer's files are found");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            assert!(
                !code.contains("crate::ui") && !code.contains("egui"),
                "{}:{}: the app layer reaches up: {line}",
                file.display(),
                n + 1
            );
        }
    }
}

#[test]
fn no_panel_takes_the_state_mutably() {
    let files = rust_files(&source("src/ui"));
    assert!(files.len() >= 8, "the panels are found");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            assert!(
                !line.contains("&mut AppState"),
                "{}:{}: a panel changes the state directly: {line}",
                file.display(),
                n + 1
            );
        }
    }
}

#[test]
fn no_network_client_crate_is_in_the_dependency_tree() {
    let lock = lock_file();
    let packages: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .collect();
    assert!(packages.len() > 50, "the lock file lists the dependencies");
    assert!(
        packages.contains(&"eframe"),
        "and is the one this crate builds with"
    );
    let network_clients = [
        "reqwest",
        "hyper",
        "ureq",
        "curl",
        "curl-sys",
        "isahc",
        "surf",
        "attohttpc",
        "h2",
        "rustls",
        "native-tls",
        "openssl",
        "openssl-sys",
        "tungstenite",
        "socket2",
        "trust-dns-resolver",
        "hickory-resolver",
        "webpki",
        "ring",
    ];
    let found: Vec<&&str> = packages
        .iter()
        .filter(|p| network_clients.contains(p))
        .collect();
    assert!(found.is_empty(), "network crates in the tree: {found:?}");
}
