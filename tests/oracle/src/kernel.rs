//! Real packets in and out of the namespaces: raw sockets opened inside each namespace (the
//! thread enters it with `setns`, opens them, and comes back), one to send per family and one to
//! receive per family and protocol.
//!
//! Delivered or dropped: a raw socket receives a packet only after the input hook accepted it, so
//! what the receiving namespace's sockets hold is what the kernel delivered. To know when to stop
//! waiting, each probe is followed by a sentinel on the same path (same addresses, protocol 253,
//! let through by every chain and untracked). The process is pinned to one CPU, so both go through
//! the same per-CPU backlog in order: once the sentinel is in, the probe is in or was dropped.

use crate::wire::{self, TcpNumbers, SENTINEL_PROTOCOL};
use nix::sched::{setns, CloneFlags};
use nix::sys::socket::{recvfrom, SockaddrStorage};
use sgplay_core::model::protocol::{GRE, ICMP, ICMPV6, TCP, UDP};
use sgplay_core::Packet;
use socket2::{Domain, Protocol, SockAddr, Socket, Type};
use std::collections::HashMap;
use std::fs::File;
use std::net::{IpAddr, SocketAddr};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

/// Protocols the worlds' packets use, plus the sentinel's.
const PROTOCOLS: [u8; 5] = [TCP, UDP, GRE, 50, SENTINEL_PROTOCOL];

/// The sockets of one namespace.
pub struct Endpoint {
    send: [Socket; 2],
    /// By (IPv6?, protocol).
    recv: HashMap<(bool, u8), Socket>,
}

fn raw(domain: Domain, protocol: u8) -> std::io::Result<Socket> {
    Socket::new(domain, Type::RAW, Some(Protocol::from(i32::from(protocol))))
}

impl Endpoint {
    /// Opens the sockets inside namespace `ns` (by name under /run/netns), then returns the
    /// thread to the namespace it was in.
    pub fn open(ns: &str) -> Result<Endpoint, String> {
        let home = File::open("/proc/thread-self/ns/net").map_err(|e| format!("cannot open this thread's namespace: {e}"))?;
        let target = File::open(format!("/run/netns/{ns}")).map_err(|e| format!("cannot open namespace {ns}: {e}"))?;
        setns(&target, CloneFlags::CLONE_NEWNET).map_err(|e| format!("cannot enter namespace {ns}: {e}"))?;
        let opened = Endpoint::open_here();
        setns(&home, CloneFlags::CLONE_NEWNET).map_err(|e| format!("cannot return from namespace {ns}: {e}"))?;
        opened.map_err(|e| format!("raw sockets in {ns}: {e}"))
    }

    fn open_here() -> std::io::Result<Endpoint> {
        // IPPROTO_RAW (255): the harness writes the whole IP header (IP_HDRINCL is implied).
        let send = [raw(Domain::IPV4, 255)?, raw(Domain::IPV6, 255)?];
        for s in &send {
            s.set_mark(crate::topology::MARK)?;
        }
        let mut recv = HashMap::new();
        for six in [false, true] {
            let domain = if six { Domain::IPV6 } else { Domain::IPV4 };
            let icmp = if six { ICMPV6 } else { ICMP };
            for protocol in PROTOCOLS.iter().copied().chain([icmp]) {
                let s = raw(domain, protocol)?;
                s.set_nonblocking(true)?;
                let _ = s.set_recv_buffer_size(1 << 20);
                recv.insert((six, protocol), s);
            }
        }
        Ok(Endpoint { send, recv })
    }

    fn send(&self, dst: IpAddr, bytes: &[u8]) -> std::io::Result<()> {
        let socket = &self.send[usize::from(dst.is_ipv6())];
        socket.send_to(bytes, &SockAddr::from(SocketAddr::new(dst, 0))).map(|_| ())
    }

    /// Empties every receive socket (what is left from an earlier probe).
    fn drain(&self) {
        let mut buf = [0u8; 2048];
        for s in self.recv.values() {
            while recvfrom::<SockaddrStorage>(s.as_raw_fd(), &mut buf).is_ok() {}
        }
    }

    /// The next datagram on the (family, protocol) socket, if any: (source, bytes from the
    /// transport header on).
    fn take(&self, six: bool, protocol: u8) -> Option<(IpAddr, Vec<u8>)> {
        let s = self.recv.get(&(six, protocol))?;
        let mut buf = [0u8; 2048];
        let (n, from) = recvfrom::<SockaddrStorage>(s.as_raw_fd(), &mut buf).ok()?;
        let from = from?;
        let src = match (from.as_sockaddr_in(), from.as_sockaddr_in6()) {
            (Some(a), _) => IpAddr::V4(a.ip()),
            (_, Some(a)) => IpAddr::V6(a.ip()),
            _ => return None,
        };
        let bytes = &buf[..n];
        // IPv4 raw sockets hand over the IP header too; IPv6 ones do not.
        let body = if six { bytes } else { bytes.get(usize::from(bytes.first()? & 0x0f) * 4..)? };
        Some((src, body.to_vec()))
    }
}

/// Does a received transport body belong to `packet`? Ports for TCP and UDP (and flags for TCP),
/// type and identifier (or the embedded header) for ICMP; the source for everything.
fn is_probe(packet: &Packet, src: IpAddr, body: &[u8]) -> bool {
    if src != packet.src {
        return false;
    }
    match packet.protocol {
        TCP => {
            body.len() >= 14
                && body[0..2] == packet.src_port.to_be_bytes()
                && body[2..4] == packet.dst_port.to_be_bytes()
                && body[13] == packet.tcp_flags.bits()
        }
        UDP => body.len() >= 4 && body[0..2] == packet.src_port.to_be_bytes() && body[2..4] == packet.dst_port.to_be_bytes(),
        ICMP | ICMPV6 => body.len() >= 2 && body[0] == packet.icmp_type && body[1] == packet.icmp_code,
        _ => true,
    }
}

/// The kernel's answer for one packet, or why there is none.
pub fn deliver(from: &Endpoint, to: &Endpoint, packet: &Packet, tcp: TcpNumbers) -> Result<bool, String> {
    let six = packet.src.is_ipv6();
    to.drain();
    match from.send(packet.dst, &wire::datagram(packet, tcp)) {
        Ok(()) => {}
        // A netfilter drop in the sender's own output hook fails the send with EPERM.
        Err(e) if e.raw_os_error() == Some(1) => return Ok(false),
        Err(e) => return Err(format!("sending {packet}: {e}")),
    }
    from.send(packet.dst, &wire::sentinel(packet.src, packet.dst)).map_err(|e| format!("sending a sentinel: {e}"))?;
    let started = Instant::now();
    loop {
        if let Some((src, _)) = to.take(six, SENTINEL_PROTOCOL) {
            if src == packet.src {
                break;
            }
        }
        if started.elapsed() > Duration::from_secs(2) {
            return Err(format!("the sentinel after {packet} never arrived: the topology is broken"));
        }
        std::thread::yield_now();
    }
    while let Some((src, body)) = to.take(six, packet.protocol) {
        if is_probe(packet, src, &body) {
            return Ok(true);
        }
    }
    Ok(false)
}
