//! How long an entry lives after its last packet: the Huawei profile (the default, from the
//! seed) and the Linux kernel's defaults. Timeouts restart on every packet of the connection.

use super::tcp::TcpState;
use crate::model::protocol::{GRE, ICMP, ICMPV6, UDP};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A timeout table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Huawei Cloud security groups (seed "huawei-security-group-overview", SEMANTICS §5).
    #[default]
    Huawei,
    /// The Linux kernel's `nf_conntrack` defaults.
    Linux,
    /// Alibaba Cloud ECS: "A session can last up to 910 seconds" (ECS user guide, *Security group
    /// rules*). Interpretation: an established TCP connection and a non-TCP flow seen in both
    /// directions live 910 s after their last packet; the short-lived states keep Huawei's values.
    Alibaba,
}

/// Where a timeout value comes from, for notes users read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Stated in the seed documents.
    Seed,
    /// The seeds are silent; SEMANTICS §5 chose the value.
    Interpretation,
    /// The Linux kernel's default.
    Kernel,
    /// Alibaba's guide (the 910 s session).
    Alibaba,
}

impl Origin {
    pub fn label(self) -> &'static str {
        match self {
            Origin::Seed => "seed",
            Origin::Interpretation => "interpretation",
            Origin::Kernel => "Linux default",
            Origin::Alibaba => "Alibaba guide",
        }
    }
}

/// How a cut connection's wait is counted — an option of the timeout profile, because the seed
/// is silent and the real platform's behaviour is debatable. A cut connection stays blocked for
/// its protocol's timeout ("new connections will not be established immediately until the
/// timeout period of connection tracking expires"); the question is what packets arriving during
/// the wait do to it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CutWait {
    /// The wait counts from the moment of the cut; blocked packets do not extend it (SEMANTICS §5
    /// interpretation, the default).
    #[default]
    FromCut,
    /// Every blocked packet restarts the wait, as conntrack timers restart on every packet of an
    /// entry: a client that keeps retrying stays blocked.
    RestartOnPacket,
}

impl CutWait {
    pub const ALL: [CutWait; 2] = [CutWait::FromCut, CutWait::RestartOnPacket];

    pub fn name(self) -> &'static str {
        match self {
            CutWait::FromCut => "from_cut",
            CutWait::RestartOnPacket => "restart_on_packet",
        }
    }

    /// `from_cut` or `restart_on_packet`.
    pub fn parse(text: &str) -> Result<CutWait, String> {
        let t = text.trim();
        CutWait::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(t))
            .ok_or_else(|| format!("`{t}` is not a cut wait; use `from_cut` (the default) or `restart_on_packet`"))
    }

    /// The option in words, for traces.
    pub fn describe(self) -> &'static str {
        match self {
            CutWait::FromCut => {
                "the wait counts from the cut; blocked packets do not extend it (cut_wait `from_cut`, the default interpretation)"
            }
            CutWait::RestartOnPacket => "every blocked packet restarts the wait, as conntrack timers do (cut_wait `restart_on_packet`)",
        }
    }
}

impl Profile {
    pub const ALL: [Profile; 3] = [Profile::Huawei, Profile::Linux, Profile::Alibaba];

    /// The longest an Alibaba session lives.
    pub const ALIBABA_SESSION: u64 = 910;

    pub fn name(self) -> &'static str {
        match self {
            Profile::Huawei => "huawei",
            Profile::Linux => "linux",
            Profile::Alibaba => "alibaba",
        }
    }

    /// `huawei`, `linux` or `alibaba`, case-insensitive.
    pub fn parse(text: &str) -> Result<Profile, String> {
        let t = text.trim();
        Profile::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(t))
            .ok_or_else(|| format!("`{t}` is not a connection tracking profile; use `huawei`, `linux` or `alibaba`"))
    }

    /// Seconds a TCP entry in `state` lives after its last packet.
    pub fn tcp(self, state: TcpState) -> u64 {
        use TcpState::*;
        match self {
            // Seed: ESTABLISHED 600 s and FIN-WAIT 30 s. Interpretation (SEMANTICS §5): SYN_SENT and
            // SYN_RECV 30 s, CLOSE_WAIT, LAST_ACK and TIME_WAIT 30 s (the FIN-WAIT family), CLOSE
            // 10 s; SYN_SENT2 and NONE as SYN_SENT.
            Profile::Huawei => match state {
                Established => 600,
                FinWait | CloseWait | LastAck | TimeWait => 30,
                None | SynSent | SynRecv | SynSent2 => 30,
                Close => 10,
            },
            // `nf_conntrack_tcp_timeout_*`; NONE (never held by an entry) as SYN_SENT.
            Profile::Linux => match state {
                Established => 432_000,
                None | SynSent | SynSent2 => 120,
                SynRecv => 60,
                FinWait => 120,
                CloseWait => 60,
                LastAck => 30,
                TimeWait => 120,
                Close => 10,
            },
            Profile::Alibaba => match state {
                Established => Profile::ALIBABA_SESSION,
                other => Profile::Huawei.tcp(other),
            },
        }
    }

    /// Seconds a non-TCP entry lives after its last packet; `replied` once packets were seen in
    /// both directions.
    pub fn other(self, protocol: u8, replied: bool) -> u64 {
        match (self, protocol) {
            // Seed: ICMP 30 s; other protocols 180 s once both directions were seen, else 30 s.
            (Profile::Huawei, ICMP | ICMPV6) => 30,
            (Profile::Huawei, _) => {
                if replied {
                    180
                } else {
                    30
                }
            }
            (Profile::Linux, ICMP | ICMPV6) => 30,
            (Profile::Linux, UDP) => {
                if replied {
                    120
                } else {
                    30
                }
            }
            (Profile::Linux, GRE) => {
                if replied {
                    180
                } else {
                    30
                }
            }
            (Profile::Linux, _) => 600,
            (Profile::Alibaba, ICMP | ICMPV6) => 30,
            (Profile::Alibaba, _) => {
                if replied {
                    Profile::ALIBABA_SESSION
                } else {
                    30
                }
            }
        }
    }

    /// Where the TCP timeout of `state` comes from.
    pub fn tcp_origin(self, state: TcpState) -> Origin {
        match (self, state) {
            (Profile::Linux, _) => Origin::Kernel,
            (Profile::Huawei, TcpState::Established | TcpState::FinWait) => Origin::Seed,
            (Profile::Huawei, _) => Origin::Interpretation,
            (Profile::Alibaba, TcpState::Established) => Origin::Alibaba,
            (Profile::Alibaba, _) => Origin::Interpretation,
        }
    }

    /// Where a non-TCP timeout comes from.
    pub fn other_origin(self) -> Origin {
        match self {
            Profile::Huawei => Origin::Seed,
            Profile::Linux => Origin::Kernel,
            Profile::Alibaba => Origin::Interpretation,
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Profile {
    type Err = String;
    fn from_str(s: &str) -> Result<Profile, String> {
        Profile::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::protocol::TCP;

    #[test]
    fn huawei_values() {
        let p = Profile::Huawei;
        assert_eq!(p.tcp(TcpState::Established), 600);
        assert_eq!(p.tcp(TcpState::FinWait), 30);
        assert_eq!(p.tcp(TcpState::SynSent), 30);
        assert_eq!(p.tcp(TcpState::SynRecv), 30);
        assert_eq!(p.tcp(TcpState::CloseWait), 30);
        assert_eq!(p.tcp(TcpState::LastAck), 30);
        assert_eq!(p.tcp(TcpState::TimeWait), 30);
        assert_eq!(p.tcp(TcpState::Close), 10);
        assert_eq!(p.other(ICMP, false), 30);
        assert_eq!(p.other(ICMPV6, true), 30);
        assert_eq!(p.other(UDP, false), 30);
        assert_eq!(p.other(UDP, true), 180);
        assert_eq!(p.other(GRE, true), 180);
        assert_eq!(p.other(132, false), 30);
        assert_eq!(p.tcp_origin(TcpState::Established), Origin::Seed);
        assert_eq!(p.tcp_origin(TcpState::TimeWait), Origin::Interpretation);
    }

    #[test]
    fn linux_values() {
        let p = Profile::Linux;
        let expected = [
            (TcpState::Established, 432_000),
            (TcpState::SynSent, 120),
            (TcpState::SynRecv, 60),
            (TcpState::FinWait, 120),
            (TcpState::CloseWait, 60),
            (TcpState::LastAck, 30),
            (TcpState::TimeWait, 120),
            (TcpState::Close, 10),
        ];
        for (state, secs) in expected {
            assert_eq!(p.tcp(state), secs, "{state}");
        }
        assert_eq!((p.other(UDP, false), p.other(UDP, true)), (30, 120));
        assert_eq!((p.other(GRE, false), p.other(GRE, true)), (30, 180));
        assert_eq!(p.other(ICMP, true), 30);
        assert_eq!((p.other(132, false), p.other(132, true)), (600, 600));
        assert_eq!(p.other(TCP, false), 600, "TCP goes through `tcp`, never here; generic if it did");
    }

    #[test]
    fn alibaba_sessions_last_up_to_910_seconds() {
        let p = Profile::Alibaba;
        assert_eq!(p.tcp(TcpState::Established), 910);
        assert_eq!(p.tcp(TcpState::SynSent), 30);
        assert_eq!((p.other(UDP, false), p.other(UDP, true)), (30, 910));
        assert_eq!(p.other(ICMP, true), 30);
        let longest = [TcpState::Established, TcpState::SynRecv, TcpState::TimeWait, TcpState::Close].map(|s| p.tcp(s));
        assert_eq!(longest.into_iter().max(), Some(910));
        assert_eq!(Profile::parse("Alibaba"), Ok(Profile::Alibaba));
    }

    #[test]
    fn parse_and_serde() {
        assert_eq!(Profile::parse("Linux"), Ok(Profile::Linux));
        assert_eq!(" huawei ".parse::<Profile>(), Ok(Profile::Huawei));
        assert!(Profile::parse("bsd").unwrap_err().contains("`bsd`"));
        assert_eq!(serde_json::to_string(&Profile::Linux).unwrap(), "\"linux\"");
        assert_eq!(Profile::default(), Profile::Huawei);
    }
}
