//! # A Terraform provider, as the readers see it
//!
//! Reading Terraform is mostly the same whatever the cloud: parse the HCL, evaluate `count`,
//! `for_each`, locals and references, or walk a state's modules; then put each rule in its
//! group. What differs between the huaweicloud and the alicloud providers is only which
//! resource types stand for a group, a rule and an address group, how their arguments map to
//! the scenario, and which profile the scenario follows. A [`Provider`] is that difference as
//! data, so `hcl_import`, `json_import` and `assemble` are written once for every provider.

use super::arguments::Found;
use super::{alicloud, resources};
use crate::interop::Format;
use crate::scenario::{AddressGroupSpec, GroupSpec, RuleSpec};
use serde_json::{Map, Value};

/// Reads one resource instance's arguments: `(id, args, path, address, found)`.
pub(crate) type Reader<T> = fn(&str, &Map<String, Value>, &str, &str, &mut Found) -> T;

pub(crate) struct Provider {
    /// `huaweicloud`: the prefix of its resource types, and its name in `provider` blocks.
    pub name: &'static str,
    pub format: Format,
    pub group: &'static str,
    pub rule: &'static str,
    /// The address group resource, when the provider has one sgplay models.
    pub address_group: Option<(&'static str, Reader<AddressGroupSpec>)>,
    /// The scenario's `profile` (`None`: Huawei, the default).
    pub profile: Option<&'static str>,
    pub read_group: Reader<GroupSpec>,
    /// A rule and the group it belongs to; `None` for the group when the rule is not imported
    /// (the reader has said why).
    pub read_rule: Reader<(Option<String>, RuleSpec)>,
    /// The rule arguments that refer to another resource, and the type they refer to (a plan
    /// resolves them through its `configuration`).
    pub references: &'static [(&'static str, &'static str)],
    /// Scenario field → the argument it is read from, where their names differ, for groups
    /// and for rules: validation's errors then name the argument.
    pub group_fields: &'static [(&'static str, &'static str)],
    pub rule_fields: &'static [(&'static str, &'static str)],
    /// Bookkeeping arguments the HCL reader does not evaluate: they say nothing about matching
    /// and often refer to resources sgplay does not model.
    pub unevaluated: &'static [&'static str],
}

pub(crate) const HUAWEICLOUD: Provider = Provider {
    name: "huaweicloud",
    format: Format::HuaweiTerraform,
    group: resources::SECGROUP,
    rule: resources::RULE,
    address_group: Some((resources::ADDRESS_GROUP, resources::address_group)),
    profile: None,
    read_group: resources::group,
    read_rule: resources::rule,
    references: &[
        ("security_group_id", resources::SECGROUP),
        ("remote_group_id", resources::SECGROUP),
        ("remote_address_group_id", resources::ADDRESS_GROUP),
    ],
    group_fields: &[],
    rule_fields: &[],
    unevaluated: &[],
};

pub(crate) const ALICLOUD: Provider = Provider {
    name: "alicloud",
    format: Format::AlibabaTerraform,
    group: alicloud::GROUP,
    rule: alicloud::RULE,
    address_group: None,
    profile: Some("alibaba"),
    read_group: alicloud::group,
    read_rule: alicloud::rule,
    references: &[("security_group_id", alicloud::GROUP), ("source_security_group_id", alicloud::GROUP)],
    group_fields: &alicloud::GROUP_FIELDS,
    rule_fields: &alicloud::RULE_FIELDS,
    unevaluated: &alicloud::UNEVALUATED,
};

pub(crate) const PROVIDERS: [&Provider; 2] = [&HUAWEICLOUD, &ALICLOUD];

impl Provider {
    /// The resource types it models, groups (and address groups) before rules.
    pub fn modelled(&self) -> Vec<&'static str> {
        [Some(self.group), self.address_group.map(|a| a.0), Some(self.rule)].into_iter().flatten().collect()
    }

    /// The provider whose resources a text names (`"alicloud_security_group"`, `provider
    /// "alicloud"`): the one named most often in quotes, as labels are; `None` when the text
    /// names none (a `variables.tf`).
    pub fn named_in(text: &str) -> Option<&'static Provider> {
        let count = |p: &Provider| text.matches(&format!("\"{}_", p.name)).count() + text.matches(&format!("\"{}\"", p.name)).count();
        let counts: Vec<(usize, &'static Provider)> = PROVIDERS.iter().map(|p| (count(p), *p)).collect();
        // The first of the most named (Huawei on a tie, the format the HCL reader began with).
        let best = counts.iter().map(|c| c.0).max().unwrap_or(0);
        counts.into_iter().find(|c| c.0 == best && best > 0).map(|c| c.1)
    }

    /// The provider whose resources a state or plan holds: its resources' types' prefix.
    pub fn of_type(kind: &str) -> Option<&'static Provider> {
        PROVIDERS.into_iter().find(|p| kind.strip_prefix(p.name).is_some_and(|rest| rest.starts_with('_')))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_provider_is_the_one_named_most() {
        let ali = "resource \"alicloud_security_group\" \"a\" {}\nresource \"alicloud_security_group_rule\" \"r\" {}";
        assert_eq!(Provider::named_in(ali).map(|p| p.name), Some("alicloud"));
        assert_eq!(Provider::named_in("provider \"huaweicloud\" {}").map(|p| p.name), Some("huaweicloud"));
        assert!(Provider::named_in("variable \"cidr\" {}").is_none());
        // References are not quoted; a comment naming the other cloud does not count.
        let commented = "# from huaweicloud_networking_secgroup\nresource \"alicloud_security_group\" \"a\" {}";
        assert_eq!(Provider::named_in(commented).map(|p| p.name), Some("alicloud"));
        assert_eq!(Provider::of_type("alicloud_security_group_rule").map(|p| p.name), Some("alicloud"));
        assert!(Provider::of_type("alicloudx_y").is_none());
    }
}
