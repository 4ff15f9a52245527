//! What format a text is in, by its shape alone, so a user never names it. Known in every
//! build: a build without a format's reader (the page, which leaves the API and Terraform
//! readers to its worker) still tells which format it is, and sends it where it can be read.

mod huawei_shape;

use super::Format;
use crate::scenario::from_json;
use serde_json::Value;

/// Whether a text is HCL rather than JSON: after whitespace it starts with a Terraform block
/// (`resource`, `variable`, `locals`, `terraform`, `provider`, `data`, `module`, `output`) or
/// a comment (`#`, `//`, `/*`), which JSON has not.
pub fn looks_like_hcl(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with('#') || text.starts_with("//") || text.starts_with("/*") {
        return true;
    }
    let word: String = text.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    matches!(word.as_str(), "resource" | "variable" | "locals" | "terraform" | "provider" | "data" | "module" | "output")
        && text[word.len()..].starts_with(|c: char| c.is_whitespace() || c == '"' || c == '{')
}

/// The format of one text: HCL by its first word, and its provider by the resources it names
/// (`"alicloud_…"` or `"huaweicloud_…"`; neither, as in a `variables.tf`: huaweicloud);
/// `terraform show -json` by its `format_version` and `values` or `planned_values`; else by
/// the shape of its first JSON document. Text that is none of these is taken for a scenario,
/// whose reader reports the syntax error as it always has.
pub fn detect(text: &str) -> Format {
    if looks_like_hcl(text) {
        return hcl_provider(text).unwrap_or(Format::HuaweiTerraform);
    }
    if is_terraform_json(text) {
        return Format::TerraformJson;
    }
    if is_alibaba_api(text) {
        return Format::AlibabaApi;
    }
    match from_json::<huawei_shape::Shape>(text) {
        Ok(shape) if shape.is_huawei_api() => Format::HuaweiApi,
        _ => Format::Scenario,
    }
}

/// Does this text look like Terraform's `show -json` output (`format_version`, and `values` or
/// `planned_values`)? Known in every build, with or without the `terraform` feature, so a
/// build without it names the format it cannot read rather than failing as a scenario file.
fn is_terraform_json(text: &str) -> bool {
    use serde::de::IgnoredAny;
    #[derive(serde::Deserialize)]
    struct Shape {
        format_version: Option<IgnoredAny>,
        values: Option<IgnoredAny>,
        planned_values: Option<IgnoredAny>,
    }
    matches!(from_json::<Shape>(text), Ok(s) if s.format_version.is_some() && (s.values.is_some() || s.planned_values.is_some()))
}

/// Is this text Terraform of any kind (HCL of either provider, or `terraform show -json`)?
pub fn looks_like_terraform(text: &str) -> bool {
    looks_like_hcl(text) || is_terraform_json(text)
}

/// The Terraform HCL format of a text by the provider whose resources it names; `None` when it
/// names none.
fn hcl_provider(text: &str) -> Option<Format> {
    #[cfg(feature = "terraform")]
    return super::terraform::Provider::named_in(text).map(|p| p.format);
    #[cfg(not(feature = "terraform"))]
    return (text.contains("\"alicloud_") && !text.contains("\"huaweicloud_")).then_some(Format::AlibabaTerraform);
}

/// Each input's format, detected. An HCL file that names no provider (`variables.tf`) is read
/// with the module's other files, in their provider's format.
pub(crate) fn detect_all(inputs: &[(&str, &str)]) -> Vec<Format> {
    let mut formats: Vec<Format> = inputs.iter().map(|(_, text)| detect(text)).collect();
    let named = inputs.iter().find_map(|(_, text)| looks_like_hcl(text).then(|| hcl_provider(text)).flatten());
    if let Some(module) = named {
        for (format, (_, text)) in formats.iter_mut().zip(inputs) {
            if looks_like_hcl(text) && hcl_provider(text).is_none() {
                *format = module;
            }
        }
    }
    formats
}

/// Is this text Alibaba's `DescribeSecurityGroupAttribute` output (its first document has
/// `Permissions` and `SecurityGroupId`)?
pub fn is_alibaba_api(text: &str) -> bool {
    let first = serde_json::Deserializer::from_str(text.trim_start_matches('\u{feff}')).into_iter::<Value>().next();
    matches!(first, Some(Ok(Value::Object(o))) if o.contains_key("Permissions") && o.contains_key("SecurityGroupId"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terraform_of_every_kind_is_recognised_with_or_without_the_feature() {
        let fixture = |name: &str| std::fs::read_to_string(format!("{}/../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        for name in ["terraform/main.tf", "terraform/state.json", "terraform/plan.json", "alibaba-terraform/main.tf"] {
            assert!(looks_like_terraform(&fixture(name)), "{name}");
        }
        assert_eq!(detect(&fixture("terraform/state.json")), Format::TerraformJson);
        assert_eq!(detect(&fixture("terraform/plan.json")), Format::TerraformJson);
        for name in ["huawei-api/list-security-groups.json", "../scenarios/huawei/examples-ftp.json"] {
            assert!(!looks_like_terraform(&fixture(name)), "{name}");
        }
        assert!(!looks_like_terraform(r#"{"format_version": "1.0"}"#), "a format_version alone is not a state or a plan");
    }

    #[test]
    fn hcl_is_told_from_json_by_its_first_word() {
        for text in [
            "resource \"a\" \"b\" {}",
            "\n  variable \"x\" {}",
            "locals {}",
            "terraform {",
            "provider \"huaweicloud\" {}",
            "# c",
            "// c",
            "/* c */",
        ] {
            assert!(looks_like_hcl(text), "{text}");
        }
        for text in ["{\"resource\": 1}", "resources = 1", "[]", "", "resourceful {}"] {
            assert!(!looks_like_hcl(text), "{text}");
        }
    }
}
