//! What a side's rules compare with their remote, as that side sees the packet.

use super::rule::Ethertype;
use std::net::IpAddr;

/// What a side's rules compare with their remote: the destination for outbound rules, the
/// source as the destination sees it for inbound rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum RemoteAddress {
    /// This address (for inbound rules possibly an EIP or NAT gateway EIP the source was
    /// translated to). Written as the bare address in JSON.
    Known(IpAddr),
    /// The packet crossed the Internet from an instance with no public address of the family (no
    /// EIP, no subnet SNAT): what it would carry there is unknown, so only a rule open to every
    /// address of the family matches (SEMANTICS §4). `sent_from` is the address it left with.
    UnknownPublic { sent_from: IpAddr },
}

impl RemoteAddress {
    /// The address to show and to take the family from: the known one, or the one it was sent from.
    pub fn address(self) -> IpAddr {
        match self {
            RemoteAddress::Known(a) | RemoteAddress::UnknownPublic { sent_from: a } => a,
        }
    }

    pub fn family(self) -> Ethertype {
        Ethertype::of(self.address())
    }

    pub fn is_known(self) -> bool {
        matches!(self, RemoteAddress::Known(_))
    }
}

impl std::fmt::Display for RemoteAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RemoteAddress::Known(a) => write!(f, "{a}"),
            RemoteAddress::UnknownPublic { sent_from } => write!(f, "an unknown public address (sent from {sent_from})"),
        }
    }
}
