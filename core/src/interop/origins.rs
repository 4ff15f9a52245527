//! Where each part of an imported scenario came from in the input, so that what the scenario's
//! validation and analyses say (at scenario paths, `security_groups[0].rules[2].multiport`) can
//! be said where the user looks: `rules.json: security_group_rules[5].multiport`.

use std::collections::HashMap;

/// Scenario path of an object or field → the place in the input it came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origins(HashMap<String, String>);

impl Origins {
    pub fn insert(&mut self, scenario_path: String, input_path: String) {
        self.0.insert(scenario_path, input_path);
    }

    pub fn get(&self, scenario_path: &str) -> Option<&str> {
        self.0.get(scenario_path).map(String::as_str)
    }

    /// The input place of `scenario_path`: its longest prefix with a known origin, the rest
    /// kept; the path itself when no prefix is known (a scenario file maps to itself).
    pub fn input_path(&self, scenario_path: &str) -> String {
        let mut end = scenario_path.len();
        loop {
            if let Some(origin) = self.0.get(&scenario_path[..end]) {
                return format!("{origin}{}", &scenario_path[end..]);
            }
            match scenario_path[..end].rfind(['.', '[']) {
                Some(cut) if cut > 0 => end = cut,
                _ => return scenario_path.to_string(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_translate_by_their_longest_known_prefix() {
        let mut origins = Origins::default();
        origins.insert("security_groups[0]".into(), "g.json: security_groups[2]".into());
        origins.insert("security_groups[0].rules[1]".into(), "r.json: security_group_rules[7]".into());
        origins.insert("instances[0].ip".into(), "s.json: servers[0].addresses.vpc[0].addr".into());
        assert_eq!(origins.input_path("security_groups[0].rules[1].multiport"), "r.json: security_group_rules[7].multiport");
        assert_eq!(origins.input_path("security_groups[0].name"), "g.json: security_groups[2].name");
        assert_eq!(origins.input_path("security_groups[0].rules[10].priority"), "g.json: security_groups[2].rules[10].priority");
        assert_eq!(origins.input_path("instances[0].ip"), "s.json: servers[0].addresses.vpc[0].addr");
        assert_eq!(origins.input_path("vpcs[0].cidr"), "vpcs[0].cidr");
    }
}
