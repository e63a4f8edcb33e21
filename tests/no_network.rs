//! Faultline never touches the network: no HTTP, TLS, websocket or DNS client crate may enter
//! the dependency tree (checked on `Cargo.lock`, which CI builds with `--locked`).

#[test]
fn no_network_client_crate_is_in_the_dependency_tree() {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock"))
        .expect("Cargo.lock is committed");
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
