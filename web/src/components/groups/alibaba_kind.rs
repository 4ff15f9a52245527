//! An Alibaba Cloud group's type (basic or enterprise) and, for a basic group, its internal
//! access policy (`InnerAccessPolicy` Accept or Drop), as the group card writes them into the
//! document. Pure; the card runs it inside `AppState::edit`, so the engine validates the result
//! (an ENI in basic and enterprise groups at once is refused with the engine's message).

use sgplay_core::profile::GroupKind;
use sgplay_core::scenario::GroupSpec;

/// The kind a card's two choices make: an enterprise group always isolates its members.
pub fn compose(enterprise: bool, isolated: bool) -> GroupKind {
    match (enterprise, isolated) {
        (true, _) => GroupKind::Enterprise,
        (false, true) => GroupKind::BasicIsolated,
        (false, false) => GroupKind::Basic,
    }
}

/// Writes `kind` into `group`, leaving out what is the default (`basic`, `Accept`).
pub fn write(group: &mut GroupSpec, kind: GroupKind) {
    let (group_type, inner) = match kind {
        GroupKind::Basic => (None, None),
        GroupKind::BasicIsolated => (None, Some("Drop")),
        GroupKind::Enterprise => (Some("enterprise"), None),
    };
    group.group_type = group_type.map(str::to_string);
    group.inner_access_policy = inner.map(str::to_string);
}

/// The undo label: "make sg-web an enterprise group".
pub fn label(group_name: &str, kind: GroupKind) -> String {
    match kind {
        GroupKind::Basic => format!("make {group_name} a basic group whose members reach each other"),
        GroupKind::BasicIsolated => format!("isolate the members of {group_name} (InnerAccessPolicy Drop)"),
        GroupKind::Enterprise => format!("make {group_name} an enterprise group"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gallery;

    #[test]
    fn each_kind_is_written_with_the_defaults_left_out_and_reads_back() {
        let doc = gallery::load("alibaba/alibaba-inner-access-policy").unwrap();
        for kind in [GroupKind::Basic, GroupKind::BasicIsolated, GroupKind::Enterprise] {
            let mut changed = doc.clone();
            // sg-iso-ssh: its members are in no other group; without its rule naming itself,
            // which an enterprise group may not have.
            changed.security_groups[2].rules.clear();
            write(&mut changed.security_groups[2], kind);
            let world = changed.build().unwrap_or_else(|p| panic!("{kind:?}: {p:?}")).world;
            assert_eq!(world.group("sg-iso-ssh").map(|g| g.kind), Some(kind));
        }
        let mut basic = doc.security_groups[1].clone();
        write(&mut basic, GroupKind::Basic);
        assert_eq!((basic.group_type, basic.inner_access_policy), (None, None));
        assert_eq!(compose(true, false), GroupKind::Enterprise);
        assert_eq!(compose(false, true), GroupKind::BasicIsolated);
    }

    #[test]
    fn an_eni_in_basic_and_enterprise_groups_is_refused_by_the_engine() {
        let mut doc = gallery::load("alibaba/alibaba-inner-access-policy").unwrap();
        // `both` is in sg-iso and sg-app.
        write(&mut doc.security_groups[0], GroupKind::Enterprise);
        let problems = doc.build().unwrap_err();
        assert!(problems.iter().any(|p| p.message.contains("mixes basic security groups")), "{problems:?}");
        assert_eq!(label("web", GroupKind::Enterprise), "make web an enterprise group");
    }
}
