//! Import and export. Import reads whatever the user gives, through the engine's one entry for
//! every loader, [`interop::import_any`]: a scenario file (the CLI's format), Huawei or Alibaba
//! Cloud API listings (several at once, combined), Terraform, or a pasted share link. The page's
//! wasm reads only the first and the last; the others go to its worker ([`needs_worker`]).
//! Every problem is reported and nothing is loaded unless the whole scenario validates;
//! warnings (what was left out or assumed, each at its input path) are listed for the user to
//! confirm. Export writes every
//! [`Format`] through [`interop::export`], with what the format could not carry. Pure, tested
//! natively; the file and download calls are thin code in `components/shell`.

use super::boot::first_check_probe;
use super::share::{self, FRAGMENT_KEY};
use sgplay_core::interop::{self, Format};
use sgplay_core::scenario::{limits, ProbeSpec, Problem, ScenarioSpec};

/// What an import brings: a scenario that validates, the tester's inputs when the source
/// carried them (a pasted share link does), the format it was read as, and what the reader
/// left out or assumed (each naming where in the input).
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub scenario: ScenarioSpec,
    pub probe: Option<ProbeSpec>,
    pub format: Format,
    pub warnings: Vec<Problem>,
}

impl From<Imported> for crate::worker::protocol::WireImport {
    fn from(i: Imported) -> Self {
        let scenario = i.scenario.to_json();
        crate::worker::protocol::WireImport { scenario, probe: i.probe, format: i.format.name().to_string(), warnings: i.warnings }
    }
}

impl TryFrom<crate::worker::protocol::WireImport> for Imported {
    type Error = Vec<Problem>;

    /// The scenario read back from its text (which the worker wrote: it reads unless damaged).
    fn try_from(w: crate::worker::protocol::WireImport) -> Result<Self, Vec<Problem>> {
        let scenario = ScenarioSpec::parse(&w.scenario).map_err(|p| vec![p])?;
        Ok(Imported { scenario, probe: w.probe, format: Format::parse(&w.format).unwrap_or(Format::Scenario), warnings: w.warnings })
    }
}

/// Does any input need a reader this build lacks? The page's wasm reads sgplay's own format
/// (and share links) only; the API listings and Terraform go to its worker, which reads them all.
/// Inputs over the engine's size limit are not detected (detection parses the first document):
/// they stay here, where [`import_all`] refuses them by their size, as the engine does first.
pub fn needs_worker(inputs: &[Input]) -> bool {
    limits::check_size(inputs.iter().map(|i| i.text.len()).sum()).is_ok()
        && inputs.iter().any(|i| !interop::detect(i.text.trim_start_matches('\u{feff}').trim()).is_available())
}

/// One text to import: where it came from (a file's name, "pasted text 2") and its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub name: String,
    pub text: String,
}

impl Input {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Input {
        Input { name: name.into(), text: text.into() }
    }
}

/// The exported file's text in sgplay's own format: exactly what `sgplay test` and
/// `sgplay validate` read.
pub fn export_text(spec: &ScenarioSpec) -> String {
    let mut text = spec.to_json();
    text.push('\n');
    text
}

/// What Export offers for each format: a label and what the file is for.
pub fn format_label(format: Format) -> (&'static str, &'static str) {
    match format {
        Format::Scenario => ("sgplay scenario", "the JSON `sgplay test` runs and this page imports"),
        Format::HuaweiApi => (
            "Huawei Cloud API JSON",
            "security groups with their rules, IP address groups and servers, as the VPC v3 and ECS APIs list them",
        ),
        Format::HuaweiTerraform => ("Terraform (huaweicloud provider)", "security groups, rules and IP address groups as HCL resources"),
        Format::TerraformJson => ("terraform show -json", "a Terraform state or plan (import only)"),
        Format::AlibabaApi => ("Alibaba Cloud API JSON", "DescribeSecurityGroupAttribute, one response per security group"),
        Format::AlibabaTerraform => ("Terraform (alicloud provider)", "security groups and rules as HCL resources"),
    }
}

/// The formats Export offers: every one that can be written. Those this build does not carry
/// (all but sgplay's own, in the page) the worker writes.
pub fn export_formats() -> impl Iterator<Item = Format> {
    Format::ALL.into_iter().filter(|f| *f != Format::TerraformJson)
}

/// The scenario in `format`: the file's text, its name and what the format left out.
/// `Err`: the engine's problems (the scenario does not validate).
pub fn export(spec: &ScenarioSpec, format: Format) -> Result<(String, String, Vec<Problem>), Vec<Problem>> {
    let exported = interop::export(spec, format)?;
    let mut text = exported.text;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let name = match format {
        Format::Scenario => file_name(&spec.name),
        Format::HuaweiTerraform => file_name(&spec.name).replace(".json", ".tf"),
        Format::AlibabaTerraform => file_name(&spec.name).replace(".json", "-alicloud.tf"),
        other => file_name(&spec.name).replace(".json", &format!("-{}.json", other.name())),
    };
    Ok((text, name, exported.left_out))
}

/// A file name for the scenario: its name in lowercase words joined by `-`, then `.json`
/// (`Sg-A and Sg-B` → `sg-a-and-sg-b.json`); `scenario.json` when nothing usable is left.
pub fn file_name(name: &str) -> String {
    let mut stem = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            stem.extend(c.to_lowercase());
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
        if stem.chars().count() >= 60 {
            break;
        }
    }
    let stem = stem.trim_end_matches('-');
    if stem.is_empty() {
        "scenario.json".to_string()
    } else {
        format!("{stem}.json")
    }
}

/// Reads one text the user gave: a scenario file, an API listing, or a share link.
pub fn import(text: &str) -> Result<Imported, Vec<Problem>> {
    import_all(&[Input::new("the pasted text", text)])
}

/// Reads every input together, as [`interop::import_any`] does: API listings combine, a
/// scenario file or a share link stands alone. `Err` holds every problem the engine finds,
/// errors first; the caller loads nothing then.
pub fn import_all(inputs: &[Input]) -> Result<Imported, Vec<Problem>> {
    let texts: Vec<(&str, &str)> = inputs.iter().map(|i| (i.name.as_str(), i.text.trim_start_matches('\u{feff}').trim())).collect();
    if let Some((name, _)) = texts.iter().find(|(_, text)| text.is_empty()) {
        let what = if inputs.len() == 1 { "scenario file".to_string() } else { format!("`{name}`") };
        return Err(vec![Problem::error("", what, "", "", "is empty: a scenario file is a JSON object like `{\"security_groups\": [], \"instances\": []}`, an API listing one like `{\"security_groups\": [...]}`")]);
    }
    let links: Vec<(&str, &str)> = texts.iter().filter_map(|(name, text)| share_value(text).map(|v| (*name, v))).collect();
    let imported = match (links.as_slice(), texts.len()) {
        ([(_, value)], 1) => {
            let shared = share::decode(value).map_err(|message| vec![Problem::error("", "share link", "", "", message)])?;
            Imported { scenario: shared.scenario, probe: shared.probe, format: Format::Scenario, warnings: Vec::new() }
        }
        ([], _) => {
            let imported = interop::import_any(&texts)?;
            Imported { scenario: imported.scenario, probe: None, format: imported.format, warnings: imported.warnings }
        }
        (links, _) => {
            return Err(links
                .iter()
                .map(|(name, _)| {
                    Problem::error(
                        "",
                        format!("`{name}`"),
                        "",
                        "",
                        "is a share link, which is opened alone, not combined with other inputs",
                    )
                })
                .collect())
        }
    };
    imported.scenario.build_without_advice()?;
    Ok(imported)
}

/// The share value when `text` is a share link (or just its fragment), not JSON.
fn share_value(text: &str) -> Option<&str> {
    if text.starts_with('{') || text.starts_with('[') {
        return None;
    }
    let fragment = &text[text.find('#')?..];
    share::fragment_value(fragment, FRAGMENT_KEY)
}

/// The tester's inputs after an import: the link's own, else the current ones when they still
/// make sense in the imported world, else the imported scenario's first check.
pub fn probe_after_import(imported: &Imported, current: &ProbeSpec) -> ProbeSpec {
    if let Some(probe) = &imported.probe {
        return probe.clone();
    }
    let still_works = imported.scenario.build().is_ok_and(|s| current.resolve(&s.world).is_ok());
    if still_works {
        current.clone()
    } else {
        first_check_probe(&imported.scenario)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gallery;
    use crate::state::share::Shared;

    const BROKEN: &str = r#"{
  "name": "broken",
  "security_groups": [{"id": "sg", "rules": [
    {"id": "R1", "direction": "ingress", "protocol": "tcp", "multiport": "30-22", "remot_ip_prefix": "10.0.0.0/8"}
  ]}],
  "instances": [{"id": "a", "ip": "10.0.0.1", "security_groups": ["sg"]}]
}"#;

    #[test]
    fn an_exported_scenario_imports_as_the_same_scenario() {
        let spec = gallery::load(gallery::DEFAULT_SLUG).unwrap();
        let back = import(&export_text(&spec)).unwrap();
        assert_eq!(back, Imported { scenario: spec, probe: None, format: Format::Scenario, warnings: Vec::new() });
    }

    #[test]
    fn file_names_come_from_the_scenario_name() {
        assert_eq!(file_name("Sg-A and Sg-B"), "sg-a-and-sg-b.json");
        assert_eq!(file_name("  Web: HTTPS (443)!  "), "web-https-443.json");
        assert_eq!(file_name("Ünïcode Ok"), "ünïcode-ok.json");
        assert_eq!(file_name(""), "scenario.json");
        assert_eq!(file_name("../../"), "scenario.json");
        assert!(file_name(&"x".repeat(500)).len() <= 70);
    }

    #[test]
    fn a_broken_file_reports_every_problem() {
        let problems = import(BROKEN).unwrap_err();
        assert!(problems.len() >= 2, "{problems:#?}");
        assert!(problems.iter().any(|p| p.field == "multiport" && p.value == "30-22"), "{problems:#?}");
        assert!(problems.iter().any(|p| p.to_string().contains("remot_ip_prefix")), "{problems:#?}");
    }

    #[test]
    fn syntax_errors_empty_files_and_unknown_top_level_fields_are_problems_not_panics() {
        for text in ["", "   ", "{", "[1,2]", "{\"name\": 3}", "{\"nmae\": \"x\"}", "\u{feff}", "null", "#s=1.!!"] {
            let problems = import(text).unwrap_err();
            assert!(!problems.is_empty(), "{text}");
            assert!(problems.iter().all(|p| !p.message.is_empty()), "{text}: {problems:#?}");
        }
    }

    #[test]
    fn a_pasted_share_link_imports_with_its_probe() {
        let scenario = gallery::load("huawei/examples-ftp").unwrap();
        let probe = ProbeSpec { from: "1.2.3.4".into(), to: "x".into(), protocol: "udp".into(), port: Some(53), ..Default::default() };
        let link =
            format!("http://127.0.0.1:8080/?x=1#s={}", share::encode(&Shared { scenario: scenario.clone(), probe: Some(probe.clone()) }));
        let imported = import(&link).unwrap();
        assert_eq!(imported, Imported { scenario, probe: Some(probe.clone()), format: Format::Scenario, warnings: Vec::new() });
        assert_eq!(probe_after_import(&imported, &ProbeSpec::default()), probe);
    }

    #[test]
    fn the_tester_keeps_its_inputs_only_when_they_still_resolve() {
        let scenario = gallery::load(gallery::DEFAULT_SLUG).unwrap();
        let imported = Imported { scenario: scenario.clone(), probe: None, format: Format::Scenario, warnings: Vec::new() };
        let works = first_check_probe(&scenario);
        let mut custom = works.clone();
        custom.port = Some(8443);
        assert_eq!(probe_after_import(&imported, &custom), custom);
        let stale = ProbeSpec { from: "gone".into(), to: "also-gone".into(), protocol: "tcp".into(), port: Some(1), ..Default::default() };
        assert_eq!(probe_after_import(&imported, &stale), works);
    }

    fn fixture(name: &str) -> Input {
        let path = format!("{}/../tests/fixtures/huawei-api/{name}", env!("CARGO_MANIFEST_DIR"));
        Input::new(name, std::fs::read_to_string(&path).unwrap())
    }

    #[test]
    fn api_listings_combine_and_their_warnings_name_the_input() {
        let names = [
            "list-security-groups.json",
            "list-security-group-rules-page-1.json",
            "list-security-group-rules-page-2.json",
            "list-servers-details.json",
            "rules-disabled-and-unknown.json",
        ];
        let inputs: Vec<Input> = names.iter().map(|n| fixture(n)).collect();
        let imported = import_all(&inputs).unwrap_or_else(|p| panic!("{p:#?}"));
        assert_eq!(imported.format, Format::HuaweiApi);
        assert!(!imported.scenario.instances.is_empty());
        assert!(!imported.warnings.is_empty());
        assert!(imported.warnings.iter().all(|w| !w.is_error()));
        assert!(imported.warnings.iter().any(|w| w.path.starts_with("rules-disabled-and-unknown.json")), "{:#?}", imported.warnings);
    }

    #[test]
    fn a_scenario_does_not_combine_and_an_empty_input_is_named() {
        let scenario = Input::new("a.json", export_text(&gallery::load(gallery::DEFAULT_SLUG).unwrap()));
        let problems = import_all(&[scenario.clone(), fixture("list-servers-details.json")]).unwrap_err();
        assert!(problems[0].to_string().contains("imported alone"), "{problems:#?}");
        let problems = import_all(&[fixture("list-servers-details.json"), Input::new("pasted text 2", "  ")]).unwrap_err();
        assert!(problems[0].to_string().contains("`pasted text 2`"), "{problems:#?}");
    }

    #[test]
    fn every_format_exports_and_imports_back() {
        let spec = gallery::load(gallery::DEFAULT_SLUG).unwrap();
        // Written here, in this build; the others are the worker's (`worker::jobs`).
        for format in export_formats().filter(|f| f.is_available()) {
            let (text, name, left_out) = export(&spec, format).unwrap();
            let extension = if matches!(format, Format::HuaweiTerraform | Format::AlibabaTerraform) { ".tf" } else { ".json" };
            assert!(name.ends_with(extension), "{name}");
            let back = import_all(&[Input::new(&name, &text)]).unwrap_or_else(|p| panic!("{format:?}: {p:#?}"));
            assert_eq!(back.format, format);
            let (a, b) = (spec.build().unwrap().world, back.scenario.build().unwrap().world);
            assert_eq!(a.security_groups.len(), b.security_groups.len(), "{format:?}");
            // Terraform carries no instances, and says so.
            if left_out.iter().any(|p| p.to_string().contains("instance")) {
                assert!(b.instances.len() <= a.instances.len(), "{format:?}");
            } else {
                assert_eq!(a.instances.len(), b.instances.len(), "{format:?}");
            }
        }
        assert!(export_formats().all(|f| f != Format::TerraformJson), "terraform show -json is import only");
        assert_eq!(export(&spec, Format::HuaweiApi).unwrap().1, "sg-a-and-sg-b-huawei-api.json");
    }
}
