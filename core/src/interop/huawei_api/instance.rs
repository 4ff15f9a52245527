//! An instance on its way from an API object (a server or a port) into the scenario: the
//! instance itself, where each of its fields came from (so a validation error names the API
//! field), the security groups it references (resolved once every document is read) and what
//! was left out.

use crate::scenario::InstanceSpec;

/// A security group as a server or port names it.
#[derive(Clone, Debug)]
pub(crate) struct GroupRef {
    pub id: Option<String>,
    pub name: Option<String>,
    /// Where the reference sits (`servers[0].security_groups[1]`).
    pub path: String,
}

#[derive(Clone, Debug)]
pub(crate) struct InstanceDraft {
    /// `security_groups` stays empty until the references are resolved.
    pub spec: InstanceSpec,
    /// Where the object sits (`servers[3]`).
    pub path: String,
    /// Scenario field (`ip`, `virtual_ips[0]`) → the API field it came from.
    pub fields: Vec<(String, String)>,
    pub groups: Vec<GroupRef>,
    /// (path, message): data the scenario cannot hold, reported as warnings.
    pub notes: Vec<(String, String)>,
    /// The VPCs the object's addresses are listed under.
    pub vpcs: Vec<String>,
}

impl InstanceDraft {
    pub fn new(id: String, name: String, path: &str) -> InstanceDraft {
        InstanceDraft {
            spec: InstanceSpec { id, name, ..Default::default() },
            path: path.to_string(),
            fields: vec![("id".into(), format!("{path}.id"))],
            groups: Vec::new(),
            notes: Vec::new(),
            vpcs: Vec::new(),
        }
    }

    pub fn note(&mut self, path: String, message: String) {
        self.notes.push((path, message));
    }

    /// Sets `ip`, `ipv6` or `eip` from the API field at `at`; a second one is reported, since an
    /// instance holds one of each.
    pub fn set_address(&mut self, field: &'static str, addr: String, at: String) {
        let slot = match field {
            "ip" => &mut self.spec.ip,
            "ipv6" => &mut self.spec.ipv6,
            _ => &mut self.spec.eip,
        };
        if let Some(first) = slot {
            let what = match field {
                "ip" => "private IPv4 address",
                "ipv6" => "private IPv6 address",
                _ => "EIP",
            };
            let message =
                format!("`{addr}` is a second {what} (a second NIC?); sgplay models one per instance (`{first}`), so it is left out");
            self.notes.push((at, message));
        } else {
            *slot = Some(addr);
            self.fields.push((field.to_string(), at));
        }
    }

    pub fn add_virtual_ip(&mut self, addr: String, at: String) {
        self.fields.push((format!("virtual_ips[{}]", self.spec.virtual_ips.len()), at));
        self.spec.virtual_ips.push(addr);
    }
}
