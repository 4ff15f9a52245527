//! The network namespaces of one world, and their clean-up.
//!
//! Topology: one **router** namespace and one namespace per instance, each instance joined to
//! the router by a veth pair. The router forwards between instances and holds every address no
//! instance holds (the Internet addresses and the VPC's unassigned ones) on its loopback, so a
//! packet to anywhere is delivered somewhere the harness listens. This is cheaper than a namespace
//! per address and keeps the path the engine describes: the sender's outbound rules (its
//! namespace's `output` hook), then the receiver's inbound rules (`input`). The router has no
//! rules and no connection tracking: it stands for the VPC fabric and the Internet.
//!
//! Neighbours are static (MAC addresses chosen here), so no ARP or neighbour discovery runs: the
//! only traffic is the harness's. Every namespace also gets the harness's guard table: it drops
//! any packet the kernel itself sends (a RST or ICMP error answering a probe, an echo reply)
//! before conntrack sees it, so only the packets the harness writes move connection state.
//!
//! Names start with [`PREFIX`] and the harness's pid; [`remove_leftovers`] deletes those of
//! processes that are gone, and [`Topology`]'s `Drop` deletes its own, also when a run is
//! interrupted (the signal handler turns SIGINT and SIGTERM into an orderly stop).

use crate::translate;
use sgplay_core::model::{Instance, World};
use std::io::Write;
use std::net::IpAddr;
use std::process::{Command, Stdio};

/// Every namespace the oracle creates starts with this.
pub const PREFIX: &str = "sgor-";

/// The mark the harness's raw sockets put on what they send; the guard drops everything else
/// that a namespace sends itself.
pub const MARK: u32 = 0x5347;

/// The addresses the router holds: the random worlds' Internet and unassigned addresses.
pub fn outside_addresses() -> Vec<IpAddr> {
    use sgplay_tests::random_world::{internet, unassigned};
    let mut out = Vec::new();
    for six in [false, true] {
        out.extend((0..3).map(|k| internet(k, six)));
        out.extend((0..2).map(|k| unassigned(k, six)));
    }
    out
}

/// The namespaces of one world.
pub struct Topology {
    pub router: String,
    /// By instance index in the world.
    pub instances: Vec<String>,
    deleted: bool,
}

fn run_script(script: &str) -> Result<(), String> {
    let out = Command::new("sh").arg("-ec").arg(script).stdin(Stdio::null()).output().map_err(|e| format!("cannot run sh: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("set-up command failed: {}\n{}", String::from_utf8_lossy(&out.stderr).trim(), script))
    }
}

/// Runs `nft -f -` with `script` inside namespace `ns`.
pub fn nft(ns: &str, script: &str) -> Result<(), String> {
    let mut child = Command::new("ip")
        .args(["netns", "exec", ns, "nft", "-f", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run nft: {e}"))?;
    child.stdin.take().expect("piped").write_all(script.as_bytes()).map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("nft in {ns} refused the ruleset: {}\n{script}", String::from_utf8_lossy(&out.stderr).trim()))
    }
}

/// Sets sysctls inside namespace `ns`.
pub fn sysctl(ns: &str, settings: &[(String, String)]) -> Result<(), String> {
    let mut cmd = Command::new("ip");
    cmd.args(["netns", "exec", ns, "sysctl", "-q", "-w"]);
    for (k, v) in settings {
        cmd.arg(format!("{k}={v}"));
    }
    let out = cmd.output().map_err(|e| format!("cannot run sysctl: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("sysctl in {ns} failed: {}", String::from_utf8_lossy(&out.stderr).trim()))
    }
}

/// The harness's own table: the guard (only marked packets leave) and, where conntrack runs,
/// sentinels untracked so they never touch connection state.
fn harness_table(tracked: bool) -> String {
    let untrack = if tracked { format!("meta l4proto {} notrack", crate::wire::SENTINEL_PROTOCOL) } else { String::new() };
    let pre = if tracked {
        format!("  chain sentinel_in {{\n    type filter hook prerouting priority raw;\n    {untrack}\n  }}\n")
    } else {
        String::new()
    };
    format!(
        "table inet sgplay_harness {{\n  chain guard {{\n    type filter hook output priority raw;\n    meta mark != {MARK:#x} drop\n    {untrack}\n  }}\n{pre}}}\n"
    )
}

fn cidr(addr: IpAddr) -> String {
    match addr {
        IpAddr::V4(a) => format!("{a}/32"),
        IpAddr::V6(a) => format!("{a}/128"),
    }
}

/// Every address of an instance that lives in its namespace: private addresses and virtual IPs.
pub fn held_addresses(instance: &Instance) -> Vec<IpAddr> {
    instance.private_ips.iter().chain(instance.virtual_ips.iter()).copied().collect()
}

impl Topology {
    /// Creates the namespaces of `world` (named `{PREFIX}{pid}-{tag}-…`), the links, addresses,
    /// routes and static neighbours, the harness's guard, and loads each instance's rules.
    pub fn build(world: &World, tag: &str, conntrack: &[(String, String)], flip: Option<&translate::Flip>) -> Result<Topology, String> {
        let base = format!("{PREFIX}{}-{tag}", std::process::id());
        let topo = Topology {
            router: format!("{base}-r"),
            instances: (0..world.instances.len()).map(|i| format!("{base}-i{i}")).collect(),
            deleted: false,
        };
        let r = topo.router.clone();
        let mut s = String::new();
        s.push_str(&format!("ip netns add {r}\nip -n {r} link set lo up\n"));
        s.push_str(&format!(
            "ip netns exec {r} sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0\n"
        ));
        for addr in outside_addresses() {
            s.push_str(&format!("ip -n {r} addr add {} dev lo\n", cidr(addr)));
        }
        for (i, (instance, ns)) in world.instances.iter().zip(&topo.instances).enumerate() {
            let (rmac, imac) = (format!("02:00:00:00:00:{i:02x}"), format!("02:00:00:00:01:{i:02x}"));
            let ri = format!("r{i}");
            s.push_str(&format!("ip netns add {ns}\nip -n {ns} link set lo up\n"));
            s.push_str(&format!("ip netns exec {ns} sysctl -q -w net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0\n"));
            s.push_str(&format!("ip -n {r} link add {ri} address {rmac} type veth peer name eth0 address {imac} netns {ns}\n"));
            s.push_str(&format!("ip -n {r} link set {ri} addrgenmode none\nip -n {ns} link set eth0 addrgenmode none\n"));
            s.push_str(&format!("ip -n {r} addr add 169.254.1.1/32 dev {ri}\nip -n {r} addr add fe80::1/64 dev {ri} nodad\n"));
            s.push_str(&format!("ip -n {ns} addr add fe80::2/64 dev eth0 nodad\n"));
            for addr in held_addresses(instance) {
                let extra = if addr.is_ipv6() { " nodad" } else { "" };
                s.push_str(&format!("ip -n {ns} addr add {} dev eth0{extra}\n", cidr(addr)));
            }
            s.push_str(&format!("ip -n {r} link set {ri} up\nip -n {ns} link set eth0 up\n"));
            s.push_str(&format!("ip -n {ns} neigh replace 169.254.1.1 lladdr {rmac} dev eth0 nud permanent\n"));
            s.push_str(&format!("ip -n {ns} neigh replace fe80::1 lladdr {rmac} dev eth0 nud permanent\n"));
            s.push_str(&format!("ip -n {ns} route replace default via 169.254.1.1 dev eth0 onlink\n"));
            s.push_str(&format!("ip -n {ns} -6 route replace default via fe80::1 dev eth0\n"));
            s.push_str(&format!("ip -n {r} neigh replace fe80::2 lladdr {imac} dev {ri} nud permanent\n"));
            for addr in held_addresses(instance) {
                match addr {
                    IpAddr::V4(a) => {
                        s.push_str(&format!("ip -n {r} route replace {a}/32 dev {ri}\n"));
                        s.push_str(&format!("ip -n {r} neigh replace {a} lladdr {imac} dev {ri} nud permanent\n"));
                    }
                    IpAddr::V6(a) => s.push_str(&format!("ip -n {r} -6 route replace {a}/128 via fe80::2 dev {ri}\n")),
                }
            }
        }
        // Routes and neighbours are `replace`d, not `add`ed: a link coming up can race an entry of
        // its own into the table (seen once in 200 worlds as "File exists").
        // From here on, a failure still deletes what exists (Drop).
        run_script(&s)?;
        nft(&r, &harness_table(false))?;
        for (instance, ns) in world.instances.iter().zip(&topo.instances) {
            nft(ns, &harness_table(true))?;
            topo.load_rules(world, instance, ns, flip)?;
            sysctl(ns, conntrack)?;
        }
        Ok(topo)
    }

    /// (Re)loads one instance's rules, atomically.
    pub fn load_rules(&self, world: &World, instance: &Instance, ns: &str, flip: Option<&translate::Flip>) -> Result<(), String> {
        match translate::instance_ruleset(world, instance, flip) {
            Some(script) => nft(ns, &script),
            None => nft(ns, &format!("table inet {t} {{}}\ndelete table inet {t}\n", t = translate::TABLE)),
        }
    }

    /// Every namespace, the router first.
    pub fn all(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.router).chain(self.instances.iter())
    }

    pub fn delete(&mut self) {
        if self.deleted {
            return;
        }
        self.deleted = true;
        for ns in self.all() {
            let _ = Command::new("ip").args(["netns", "delete", ns]).stderr(Stdio::null()).status();
        }
    }
}

impl Drop for Topology {
    fn drop(&mut self) {
        self.delete();
    }
}

/// Deletes namespaces of earlier runs whose process is gone (or of this very process).
pub fn remove_leftovers() -> usize {
    let Ok(out) = Command::new("ip").args(["netns", "list"]).output() else { return 0 };
    let mut removed = 0;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let name = line.split_whitespace().next().unwrap_or("");
        let Some(rest) = name.strip_prefix(PREFIX) else { continue };
        let pid = rest.split('-').next().unwrap_or("");
        let alive = pid != std::process::id().to_string() && std::path::Path::new(&format!("/proc/{pid}")).exists();
        if !alive && Command::new("ip").args(["netns", "delete", name]).status().is_ok_and(|s| s.success()) {
            removed += 1;
        }
    }
    removed
}
