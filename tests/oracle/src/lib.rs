//! # sgplay-oracle: the Linux kernel as an oracle
//!
//! netfilter is an independent implementation of what the engine models: first-match rules and
//! connection tracking. This crate turns random worlds into nftables rulesets, one network
//! namespace per instance, sends real packets between them, and compares what the kernel
//! delivered with the engine's verdict, packet by packet.
//!
//! - [`comparable`]: the random worlds of the property tests, minus what only Huawei's data path
//!   does (EIPs, NAT gateways, load balancers).
//! - [`translate`]: a world as nftables rulesets; its essay is the mapping.
//! - [`topology`]: the namespaces, links and addresses of one world, and their clean-up.
//! - [`wire`]: packets as bytes (IPv4, IPv6, TCP, UDP, ICMP, GRE, any protocol).
//! - [`kernel`]: raw sockets in the namespaces; delivered or dropped, with a sentinel.
//! - [`traffic`]: flows, their scripts and TCP numbers.
//! - [`oracle`]: one world's phases (packets, a rule change and its clearing, expiry).
//! - [`preflight`]: can this machine run it at all (root, `ip`, `nft`, `conntrack`, namespaces).
//! - [`scenario_json`]: a world as a scenario file, printed with every mismatch.
//!
//! The binary (`cargo run -p sgplay-oracle --release -- --help`) runs it; `scripts/oracle.sh` is
//! the full run and `scripts/test.sh` a CI-sized one.

pub mod comparable;
pub mod kernel;
pub mod oracle;
pub mod preflight;
pub mod scenario_json;
pub mod topology;
pub mod traffic;
pub mod translate;
pub mod wire;
