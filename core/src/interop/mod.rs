//! # Interop: other tools' JSON in and out
//!
//! Users have their security groups already, in the cloud. Rather than retyping them, they
//! paste what the cloud's API printed (or save it to files), several listings at once and in
//! any mix, and get a scenario; or they take a scenario back to the API's shapes.
//!
//! [`import_any`] is the single entry for every loader (the CLI's commands, the page's import
//! dialog): it detects each input's format by its shape, so a user never names it, and a plain
//! sgplay scenario file is one of the formats. [`export`] writes a scenario in a [`Format`].
//! Other clouds and tools join [`Format`] as modules next to [`huawei_api`], [`alibaba_api`]
//! and `terraform` (Terraform HCL for the huaweicloud and alicloud providers and
//! `terraform show -json`). [`detect`] knows every format in every build; the readers and
//! writers are behind cargo features, both on by default: `cloud-api` (the Huawei and Alibaba
//! API JSON) and `terraform` (the HCL parser; it needs `cloud-api`). The page's wasm has
//! neither, only sgplay's own scenario format; its worker has both, and reads and writes every
//! other format for it.
//!
//! ## What import promises
//! - **Nothing is dropped silently.** Fields the model does not hold are either documented
//!   bookkeeping (`created_at`, `project_id`, `max_capacity`, …, listed in each object's reader
//!   and in `docs/import-export.md`) or reported as a warning naming their path. Data that has a
//!   meaning the model cannot hold (a second NIC's address, remarks, a switched-off rule) is a
//!   warning that says what was left out.
//! - **A rule with `enabled: false` is not imported.** It is not in force in the cloud, and a
//!   scenario has no switched-off rules; importing it would make the simulator apply it. The
//!   warning names it, so the user can enable it and import again.
//! - **Errors name the API field.** The imported scenario is validated by the scenario's own
//!   rules ([`ScenarioSpec::build`]), and each error's path is traced back to where the value was
//!   in the pasted text (`rules.json: security_group_rules[3].multiport`).
//! - **Round trip.** Export then import gives back every field the model holds; import then
//!   export writes every field of the API that the model holds.
//! - **Linear.** Hash maps throughout; large estates import in one pass.

#[cfg(feature = "cloud-api")]
pub mod alibaba_api;
#[cfg(feature = "cloud-api")]
mod alibaba_rules;
#[cfg(feature = "cloud-api")]
pub mod between_clouds;
mod detect;
#[cfg(feature = "cloud-api")]
pub mod huawei_api;
#[cfg(feature = "cloud-api")]
mod left_out;
mod origins;
#[cfg(feature = "terraform")]
pub mod terraform;

pub use detect::{detect, looks_like_hcl, looks_like_terraform};
pub use origins::Origins;

use crate::diagnostic::Problem;
use crate::scenario::{Scenario, ScenarioSpec};

/// A format [`import_any`] recognises and [`export`] writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// sgplay's own scenario file (`docs/scenario-format.md`).
    Scenario,
    /// Huawei Cloud VPC v3 and ECS API JSON (`docs/import-export.md`).
    HuaweiApi,
    /// Terraform HCL for the huaweicloud provider: `huaweicloud_networking_secgroup`,
    /// `huaweicloud_networking_secgroup_rule`, `huaweicloud_vpc_address_group`.
    HuaweiTerraform,
    /// `terraform show -json` of a state or a plan (import only).
    TerraformJson,
    /// Alibaba Cloud ECS `DescribeSecurityGroupAttribute` responses, one per group (an
    /// Alibaba-profile scenario).
    AlibabaApi,
    /// Terraform HCL for the alicloud provider: `alicloud_security_group`,
    /// `alicloud_security_group_rule` (an Alibaba-profile scenario).
    AlibabaTerraform,
}

impl Format {
    pub const ALL: [Format; 6] =
        [Format::Scenario, Format::HuaweiApi, Format::HuaweiTerraform, Format::TerraformJson, Format::AlibabaApi, Format::AlibabaTerraform];

    /// The name on the command line: `scenario`, `huawei-api`, `huawei-terraform`,
    /// `terraform-json`, `alibaba-api`, `alibaba-terraform`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Scenario => "scenario",
            Format::HuaweiApi => "huawei-api",
            Format::HuaweiTerraform => "huawei-terraform",
            Format::TerraformJson => "terraform-json",
            Format::AlibabaApi => "alibaba-api",
            Format::AlibabaTerraform => "alibaba-terraform",
        }
    }

    /// Whether this build reads and writes it: the API formats need the `cloud-api` feature,
    /// Terraform the `terraform` feature; sgplay's own format is always there.
    pub fn is_available(self) -> bool {
        match self {
            Format::Scenario => true,
            Format::HuaweiApi | Format::AlibabaApi => cfg!(feature = "cloud-api"),
            _ => cfg!(feature = "terraform"),
        }
    }

    /// Terraform of either provider, HCL or `terraform show -json`.
    pub fn is_terraform(self) -> bool {
        matches!(self, Format::HuaweiTerraform | Format::AlibabaTerraform | Format::TerraformJson)
    }

    pub fn parse(text: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == text)
    }
}

/// What an import produced.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub scenario: ScenarioSpec,
    /// The format the inputs were read as.
    pub format: Format,
    /// What was left out or assumed, each naming where in the input.
    pub warnings: Vec<Problem>,
    /// Where the scenario's parts came from, to say the scenario's own findings (validation
    /// notices, advice) at the input's paths. Empty for a scenario file.
    pub origins: Origins,
}

/// The error for a format this build does not have.
fn unavailable(format: Format) -> Vec<Problem> {
    vec![Problem::error(
        "",
        "import",
        "",
        format.name(),
        format!(
            "this build of sgplay has no `{}` support (the `{}` feature); use the command line",
            format.name(),
            if format.is_terraform() { "terraform" } else { "cloud-api" }
        ),
    )]
}

/// Reads `(name, text)` inputs, each detected by shape, into one scenario. API inputs of any
/// mix combine (groups from one, rules from another, servers from a third); a scenario file
/// stands alone. `Err` holds every problem found, each naming the input and the field.
pub fn import_any(inputs: &[(&str, &str)]) -> Result<Imported, Vec<Problem>> {
    import_as(inputs, None)
}

/// [`import_any`] with the format given instead of detected (`None`: detect).
pub fn import_as(inputs: &[(&str, &str)], format: Option<Format>) -> Result<Imported, Vec<Problem>> {
    // One bound for everything read together, before any of it is parsed.
    crate::scenario::limits::check_size(inputs.iter().map(|(_, text)| text.len()).sum()).map_err(|p| vec![p])?;
    let formats: Vec<Format> = match format {
        Some(format) => vec![format; inputs.len()],
        None => detect::detect_all(inputs),
    };
    let scenarios: Vec<&str> = inputs.iter().zip(&formats).filter(|(_, f)| **f == Format::Scenario).map(|((n, _), _)| *n).collect();
    match (scenarios.as_slice(), inputs) {
        (_, []) => return Err(vec![Problem::error("", "import", "", "", "nothing to import: give at least one file or text")]),
        ([_], [(_, text)]) => {
            let scenario = ScenarioSpec::parse(text).map_err(|p| vec![p])?;
            return Ok(Imported { scenario, format: Format::Scenario, warnings: Vec::new(), origins: Origins::default() });
        }
        ([], _) => {}
        (names, _) => {
            return Err(names
                .iter()
                .map(|name| {
                    Problem::error(
                        *name,
                        format!("`{name}`"),
                        "",
                        "",
                        "is an sgplay scenario, which is imported alone, not combined with other inputs (only API listings combine)",
                    )
                })
                .collect())
        }
    }
    // Inputs of one format combine (API listings; `.tf` files of one module; states).
    let first = formats[0];
    if let Some(i) = formats.iter().position(|f| *f != first) {
        return Err(vec![Problem::error(
            inputs[i].0,
            format!("`{}`", inputs[i].0),
            "",
            formats[i].name(),
            format!("is {} while `{}` is {}; import inputs of one format together", formats[i].name(), inputs[0].0, first.name()),
        )]);
    }
    let read = match first {
        #[cfg(feature = "cloud-api")]
        Format::HuaweiApi => huawei_api::import(inputs),
        #[cfg(feature = "cloud-api")]
        Format::AlibabaApi => alibaba_api::import(inputs),
        #[cfg(feature = "terraform")]
        Format::HuaweiTerraform => terraform::import_hcl(inputs, &terraform::HUAWEICLOUD),
        #[cfg(feature = "terraform")]
        Format::AlibabaTerraform => terraform::import_hcl(inputs, &terraform::ALICLOUD),
        #[cfg(feature = "terraform")]
        Format::TerraformJson => terraform::import_json(inputs),
        other => Err(unavailable(other)),
    };
    let (scenario, warnings, origins) = read?;
    Ok(Imported { scenario, format: first, warnings, origins })
}

/// Reads `inputs` as [`import_any`] does and validates the scenario: what every command that
/// analyses a world loads (the CLI's commands, the JS package). `Err` holds every problem, each
/// said at the place of the input it is about (an API field, not the scenario path it became);
/// `Ok`'s notices begin with what the import left out.
pub fn load(inputs: &[(&str, &str)]) -> Result<Scenario, Vec<Problem>> {
    load_as(inputs, None)
}

/// [`load`], with `profile` (the CLI's `--profile`) in place of the document's `profile` key.
pub fn load_as(inputs: &[(&str, &str)], profile: Option<crate::profile::CloudProfile>) -> Result<Scenario, Vec<Problem>> {
    let mut imported = import_any(inputs)?;
    if let Some(profile) = profile {
        set_profile(&mut imported.scenario, profile);
    }
    let at_input = |p: Problem| Problem { path: imported.origins.input_path(&p.path), ..p };
    let mut scenario = imported.scenario.build().map_err(|problems| problems.into_iter().map(at_input).collect::<Vec<_>>())?;
    let notices = std::mem::take(&mut scenario.notices);
    scenario.notices = imported.warnings.into_iter().chain(notices.into_iter().map(at_input)).collect();
    Ok(scenario)
}

/// Writes `profile` as the document's `profile` key (absent for Huawei, the default).
pub fn set_profile(spec: &mut ScenarioSpec, profile: crate::profile::CloudProfile) {
    spec.profile = (!profile.is_huawei()).then(|| profile.name().to_string());
}

/// What an export produced: the text, and what the format could not carry.
#[derive(Clone, Debug, PartialEq)]
pub struct Exported {
    pub text: String,
    pub left_out: Vec<Problem>,
}

/// Writes the scenario in `format`. `Err`: the scenario has errors (export writes what the
/// validated world holds).
pub fn export(spec: &ScenarioSpec, format: Format) -> Result<Exported, Vec<Problem>> {
    match format {
        Format::Scenario => Ok(Exported { text: spec.to_json(), left_out: Vec::new() }),
        #[cfg(feature = "cloud-api")]
        Format::HuaweiApi => export_huawei(spec, &huawei_api::Listing::ALL),
        #[cfg(feature = "cloud-api")]
        Format::AlibabaApi => alibaba_api::export(spec).map(|(text, left_out)| Exported { text, left_out }),
        #[cfg(feature = "terraform")]
        Format::HuaweiTerraform => terraform::export(spec).map(|(text, left_out)| Exported { text, left_out }),
        #[cfg(feature = "terraform")]
        Format::AlibabaTerraform => terraform::export_alicloud(spec).map(|(text, left_out)| Exported { text, left_out }),
        Format::TerraformJson => Err(vec![Problem::error(
            "",
            "export",
            "",
            format.name(),
            "is what `terraform show -json` writes; sgplay reads it but writes HCL (`huawei-terraform`, `alibaba-terraform`)",
        )]),
        #[allow(unreachable_patterns)]
        other => Err(unavailable(other)),
    }
}

/// Writes the scenario as the given Huawei API listings, one JSON document each.
#[cfg(feature = "cloud-api")]
pub fn export_huawei(spec: &ScenarioSpec, listings: &[huawei_api::Listing]) -> Result<Exported, Vec<Problem>> {
    huawei_api::export(spec, listings).map(|(text, left_out)| Exported { text, left_out })
}
