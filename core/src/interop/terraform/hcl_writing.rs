//! Writing HCL that reads back as written, whatever the provider: resource names made from
//! the scenario's ids (HCL identifiers, unique within their type), string literals that stay
//! text, and blocks aligned as `terraform fmt` aligns them.

use std::collections::HashSet;
use std::fmt::Write;

/// An identifier made from `id`, not in `taken`.
pub fn name_for(id: &str, taken: &mut HashSet<String>) -> String {
    let mut base: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect();
    if !base.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        base.insert(0, '_');
    }
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

/// An HCL string literal: quotes, backslashes, control characters escaped, and `${` / `%{`
/// doubled so they stay text, not interpolation.
pub fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One block, its arguments aligned as `terraform fmt` aligns them.
pub fn block(out: &mut String, kind: &str, name: &str, args: &[(&str, String)]) {
    let width = args.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let _ = writeln!(out, "resource \"{kind}\" \"{name}\" {{");
    for (key, value) in args {
        let _ = writeln!(out, "  {key:width$} = {value}");
    }
    out.push_str("}\n\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_identifiers() {
        let mut taken = HashSet::new();
        assert_eq!(name_for("sg-web", &mut taken), "sg-web");
        assert_eq!(name_for("sg web", &mut taken), "sg_web");
        assert_eq!(name_for("sg.web", &mut taken), "sg_web_2");
        assert_eq!(name_for("1", &mut taken), "_1");
        assert_eq!(name_for("tier[db]", &mut taken), "tier_db_");
        assert_eq!(name_for("", &mut taken), "_");
    }

    #[test]
    fn strings_stay_text() {
        assert_eq!(quoted("a \"b\" \\ ${x} %{y} $z\n"), r#""a \"b\" \\ $${x} %%{y} $z\n""#);
        let parsed: hcl::Value = hcl::from_str(&format!("x = {}", quoted("a \"b\" ${x} %{if}\u{7}")))
            .map(|b: hcl::Body| hcl::eval::Evaluate::evaluate(b.attributes().next().unwrap().expr(), &hcl::eval::Context::new()).unwrap())
            .unwrap();
        assert_eq!(parsed, hcl::Value::String("a \"b\" ${x} %{if}\u{7}".into()));
    }
}
