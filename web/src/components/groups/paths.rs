//! Where a `Problem` is: its `path` (`security_groups[1].rules[0].multiport`) read back, so a
//! panel shows each engine message next to the thing it is about.

use sgplay_core::scenario::Problem;

/// The rest of `path` below `prefix` (`""` for `prefix` itself), or `None` if the path is
/// elsewhere. `security_groups[1]` is not under `security_groups[10]`'s prefix and vice versa.
pub fn below<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = path.strip_prefix(prefix)?;
    if rest.is_empty() {
        Some("")
    } else if let Some(r) = rest.strip_prefix('.') {
        Some(r)
    } else if rest.starts_with('[') {
        Some(rest)
    } else {
        None
    }
}

/// The first name of a relative path: `virtual_ips[2]` → `virtual_ips`, `ip` → `ip`.
pub fn head(rest: &str) -> &str {
    let end = rest.find(['.', '[']).unwrap_or(rest.len());
    &rest[..end]
}

/// The `[n]` index a relative path starts with, after an optional field name:
/// `ip_set[3]` → 3, `rules[0].x` → 0.
pub fn index_of(rest: &str) -> Option<usize> {
    let open = rest.find('[')?;
    let close = rest[open..].find(']')? + open;
    rest[open + 1..close].parse().ok()
}

/// The problems under `prefix`.
pub fn problems_below<'a>(problems: &'a [Problem], prefix: &'a str) -> impl Iterator<Item = &'a Problem> + 'a {
    problems.iter().filter(move |p| below(&p.path, prefix).is_some())
}

/// "rule `A01` of security group `sg-a`: opens …", for lists of notices.
pub fn sentence(p: &Problem) -> String {
    let mut out = String::new();
    if !p.object.is_empty() {
        out.push_str(&p.object);
        out.push_str(": ");
    }
    if !p.value.is_empty() {
        out.push_str(&format!("`{}` ", p.value));
    }
    out.push_str(&p.message);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_below_a_prefix() {
        assert_eq!(below("security_groups[1].rules[0].multiport", "security_groups[1]"), Some("rules[0].multiport"));
        assert_eq!(below("security_groups[1]", "security_groups[1]"), Some(""));
        assert_eq!(below("security_groups[10].rules", "security_groups[1]"), None);
        assert_eq!(below("address_groups[0].ip_set[2]", "address_groups[0]"), Some("ip_set[2]"));
        assert_eq!(below("instances[0].virtual_ips[1]", "instances[0].virtual_ips"), Some("[1]"));
        assert_eq!(below("checks[0]", "instances[0]"), None);
    }

    #[test]
    fn heads_and_indices() {
        assert_eq!(head("virtual_ips[2]"), "virtual_ips");
        assert_eq!(head("ip"), "ip");
        assert_eq!(head("rules[0].multiport"), "rules");
        assert_eq!(index_of("ip_set[3]"), Some(3));
        assert_eq!(index_of("[1]"), Some(1));
        assert_eq!(index_of("ip"), None);
    }

    #[test]
    fn sentences_name_object_and_value() {
        let p = Problem::error("instances[0].ip", "instance `a`", "ip", "10.0.0.x", "is not an IP address");
        assert_eq!(sentence(&p), "instance `a`: `10.0.0.x` is not an IP address");
    }
}
