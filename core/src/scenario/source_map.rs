//! Where each rule of the built world comes from in the user's document, recorded while the
//! world is built: a template's rule, the `index`-th rule as written (one of `parts` when its
//! comma-separated sources became several rules), or the engine (the implicit `default`
//! group). Diagnostics about model rules are re-pointed through it, so a message names the rule
//! as the user wrote it, never a model index the file does not have; the playground's rules
//! table reads the same map instead of re-deriving it.

use serde::{Deserialize, Serialize};

/// Where one rule of a built group comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "from")]
pub enum RuleOrigin {
    /// The `position`-th rule of the group's template (`GroupSpec::template`).
    Template { position: usize },
    /// Document rule `index`; `part` of `parts` when its comma-separated sources made several rules.
    Spec { index: usize, part: usize, parts: usize },
    /// Not in the document: the `default` group the engine adds for instances without groups.
    Engine,
}

/// Per built group (world order), its document index (`None`: added by the engine) and the
/// origin of each of its rules.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceMap {
    pub groups: Vec<GroupOrigin>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupOrigin {
    pub document_index: Option<usize>,
    pub rules: Vec<RuleOrigin>,
}

impl SourceMap {
    pub fn rule(&self, group: usize, rule: usize) -> RuleOrigin {
        self.groups.get(group).and_then(|g| g.rules.get(rule)).copied().unwrap_or(RuleOrigin::Engine)
    }

    /// The document path of model rule `rule` of group `group`: `security_groups[0].rules[2]`
    /// for a written rule, `security_groups[0].template` for a template's, `security_groups` for
    /// the engine's `default` group.
    pub fn rule_path(&self, group: usize, rule: usize) -> String {
        let Some(doc) = self.groups.get(group).and_then(|g| g.document_index) else { return "security_groups".into() };
        match self.rule(group, rule) {
            RuleOrigin::Spec { index, .. } => format!("security_groups[{doc}].rules[{index}]"),
            RuleOrigin::Template { .. } => format!("security_groups[{doc}].template"),
            RuleOrigin::Engine => "security_groups".into(),
        }
    }

    /// Re-points a diagnostic path written with model indices (`security_groups[G].rules[R]…`)
    /// at the document. Other paths are already the document's.
    pub fn document_path(&self, model_path: &str) -> String {
        let Some(rest) = model_path.strip_prefix("security_groups[") else { return model_path.to_string() };
        let Some((g, rest)) = rest.split_once(']') else { return model_path.to_string() };
        let Ok(g) = g.parse::<usize>() else { return model_path.to_string() };
        if let Some(rest) = rest.strip_prefix(".rules[") {
            if let Some((r, tail)) = rest.split_once(']') {
                if let Ok(r) = r.parse::<usize>() {
                    let base = self.rule_path(g, r);
                    return if base.ends_with(']') { format!("{base}{tail}") } else { base };
                }
            }
        }
        match self.groups.get(g).and_then(|o| o.document_index) {
            Some(doc) => format!("security_groups[{doc}]{rest}"),
            None => "security_groups".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_paths_become_document_paths() {
        let map = SourceMap {
            groups: vec![
                GroupOrigin {
                    document_index: Some(0),
                    rules: vec![
                        RuleOrigin::Template { position: 0 },
                        RuleOrigin::Spec { index: 0, part: 0, parts: 2 },
                        RuleOrigin::Spec { index: 0, part: 1, parts: 2 },
                        RuleOrigin::Spec { index: 1, part: 0, parts: 1 },
                    ],
                },
                GroupOrigin { document_index: None, rules: vec![RuleOrigin::Engine] },
            ],
        };
        assert_eq!(map.document_path("security_groups[0].rules[3]"), "security_groups[0].rules[1]");
        assert_eq!(map.document_path("security_groups[0].rules[2].multiport"), "security_groups[0].rules[0].multiport");
        assert_eq!(map.document_path("security_groups[0].rules[0]"), "security_groups[0].template");
        assert_eq!(map.document_path("security_groups[1].rules[0]"), "security_groups");
        assert_eq!(map.document_path("security_groups[0].rules"), "security_groups[0].rules");
        assert_eq!(map.document_path("instances[2]"), "instances[2]");
    }
}
