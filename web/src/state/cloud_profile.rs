//! Switching the scenario's cloud profile (Huawei Cloud / Alibaba Cloud) as a document change,
//! so it is validated, undoable and rebuilt by the engine like any other edit. Pure, tested
//! natively; `AppState::set_cloud_profile` applies it.
//!
//! Not the connection timeout profile (`AppState::set_profile`): that one picks timeouts for
//! the simulator; this one changes what the rules mean.

use sgplay_core::conntrack::timeouts::Profile;
use sgplay_core::profile::CloudProfile;
use sgplay_core::scenario::ScenarioSpec;

/// What a switch did to the document besides the profile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Switched {
    /// Alibaba-only group settings (`type`, `inner_access_policy`) removed on the way to
    /// Huawei, which has neither and refuses them.
    pub removed_group_settings: usize,
}

/// The document's profile as written (absent: Huawei); an unknown name reads as Huawei, as
/// the engine reports it.
pub fn of(spec: &ScenarioSpec) -> CloudProfile {
    spec.profile.as_deref().and_then(|p| CloudProfile::parse(p).ok()).unwrap_or_default()
}

/// Sets `spec`'s profile to `to`. Huawei, the default, is written by leaving `profile` out.
pub fn switch(spec: &mut ScenarioSpec, to: CloudProfile) -> Switched {
    let mut switched = Switched::default();
    match to {
        CloudProfile::Huawei => {
            spec.profile = None;
            for group in &mut spec.security_groups {
                switched.removed_group_settings +=
                    usize::from(group.group_type.take().is_some()) + usize::from(group.inner_access_policy.take().is_some());
            }
        }
        CloudProfile::Alibaba => spec.profile = Some(to.name().to_string()),
    }
    switched
}

/// The timeout profile after the world went from cloud `from` to `to`: the new cloud's own
/// timeouts if the simulator had the old cloud's (its default), else the user's pick stays.
pub fn timeouts_after(current: Profile, from: CloudProfile, to: CloudProfile) -> Profile {
    if from != to && current == from.timeouts() {
        to.timeouts()
    } else {
        current
    }
}

/// The undo label of a switch: "switch to Alibaba Cloud".
pub fn label(to: CloudProfile) -> String {
    format!("switch to {}", to.label())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gallery;

    #[test]
    fn a_switch_round_trips_and_huawei_drops_the_alibaba_only_settings() {
        let original = gallery::load("alibaba/alibaba-inner-access-policy").unwrap();
        assert_eq!(of(&original), CloudProfile::Alibaba);
        let mut doc = original.clone();
        let switched = switch(&mut doc, CloudProfile::Huawei);
        assert_eq!(of(&doc), CloudProfile::Huawei);
        assert_eq!(doc.profile, None, "Huawei is the default: not written");
        assert!(switched.removed_group_settings > 0, "the example sets an inner access policy");
        assert!(doc.build().is_ok(), "{:?}", doc.build().err());
        switch(&mut doc, CloudProfile::Alibaba);
        assert_eq!(doc.profile.as_deref(), Some("alibaba"));
        assert!(doc.build().is_ok());
    }

    #[test]
    fn every_gallery_example_builds_under_either_profile() {
        for entry in gallery::entries() {
            let mut doc = gallery::load(entry.slug).unwrap();
            for to in CloudProfile::ALL {
                switch(&mut doc, to);
                assert!(doc.build_without_advice().is_ok(), "{} under {to}: {:?}", entry.slug, doc.build_without_advice().err());
            }
        }
        assert_eq!(label(CloudProfile::Alibaba), "switch to Alibaba Cloud");
    }

    #[test]
    fn the_timeouts_follow_the_cloud_unless_the_user_picked_others() {
        use CloudProfile::{Alibaba, Huawei};
        assert_eq!(timeouts_after(Profile::Huawei, Huawei, Alibaba), Profile::Alibaba);
        assert_eq!(timeouts_after(Profile::Alibaba, Alibaba, Huawei), Profile::Huawei);
        assert_eq!(timeouts_after(Profile::Linux, Huawei, Alibaba), Profile::Linux);
        assert_eq!(timeouts_after(Profile::Alibaba, Huawei, Huawei), Profile::Alibaba, "no switch, no change");
    }
}
