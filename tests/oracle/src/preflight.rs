//! Can this machine run the oracle? Root, `ip`, `nft` and `conntrack`, and a network namespace
//! that can actually be created. Each missing piece is named, so the skip says why.

use std::process::{Command, Stdio};

fn works(program: &str, args: &[&str]) -> bool {
    Command::new(program).args(args).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

/// `Err` says what is missing.
pub fn check() -> Result<(), String> {
    let mut missing = Vec::new();
    let uid = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).and_then(|l| l.split_whitespace().nth(1)).map(str::to_string));
    if uid.as_deref() != Some("0") {
        missing.push("root (network namespaces and raw sockets need it)".to_string());
    }
    for (tool, args) in [("ip", &["-V"][..]), ("nft", &["--version"][..]), ("conntrack", &["--version"][..])] {
        if !works(tool, args) {
            missing.push(format!(
                "`{tool}` (apt-get install -y {})",
                if tool == "ip" {
                    "iproute2"
                } else if tool == "nft" {
                    "nftables"
                } else {
                    "conntrack"
                }
            ));
        }
    }
    if missing.is_empty() {
        let name = format!("{}{}-preflight", crate::topology::PREFIX, std::process::id());
        if works("ip", &["netns", "add", &name]) {
            let _ = works("ip", &["netns", "delete", &name]);
        } else {
            missing.push("a network namespace (`ip netns add` failed: no CAP_SYS_ADMIN here?)".into());
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(missing.join("; "))
    }
}
