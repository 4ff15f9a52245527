//! `sgplay import`: Huawei Cloud API output (several listings, files in any mix), Alibaba
//! Cloud API output, Terraform HCL (`.tf` files of one module, huaweicloud or alicloud) or
//! `terraform show -json` as one scenario file.

use super::Exit;
use crate::output::{self, ColorChoice, Painter};
use crate::scenario_file;
use sgplay_core::interop::{self, Format};
use std::path::PathBuf;

/// Turn API output into a scenario: VPC security groups, rules (every page), IP address
/// groups, ECS servers or VPC ports; Alibaba DescribeSecurityGroupAttribute responses; or
/// Terraform (`.tf` files of the huaweicloud or alicloud provider, `terraform show -json`),
/// detected by their shape
///
/// Prints the scenario on stdout (or writes FILE) and what was left out on stderr. Exit code:
/// 0 when imported (warnings allowed), 1 when the input has errors, 2 when a file cannot be read.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    sgplay import groups.json rules-page-1.json rules-page-2.json servers.json -o estate.json\n  \
    hcloud VPC ListSecurityGroupRules ... | sgplay import /dev/stdin\n  \
    sgplay import main.tf variables.tf -o estate.json\n  \
    terraform show -json | sgplay import /dev/stdin")]
pub struct ImportArgs {
    /// Files of API output (a file may hold several responses one after another), `.tf` files
    /// or `terraform show -json` output
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// `auto` detects each file's format by its shape
    #[arg(long, value_name = "FORMAT", default_value = "auto", value_parser = ["auto", "huawei-api", "huawei-terraform", "terraform-json", "alibaba-api", "alibaba-terraform", "scenario"])]
    pub format: String,
    /// Write the scenario to FILE instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: &ImportArgs, color: ColorChoice) -> Exit {
    let err = Painter::stderr(color);
    let mut texts = Vec::new();
    for path in &args.files {
        match scenario_file::read(path) {
            Ok(text) => texts.push((path.display().to_string(), text)),
            Err(message) => {
                output::error(err, &message);
                return Exit::Usage;
            }
        }
    }
    let inputs: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let mut imported = match interop::import_as(&inputs, Format::parse(&args.format)) {
        Ok(imported) => imported,
        Err(problems) => {
            output::emit_err(&output::problem_list(err, &problems, ""));
            output::error(err, &format!("cannot import: {}", output::problem_counts(&problems)));
            return Exit::Failure;
        }
    };
    scenario_file::apply_profile(&mut imported.scenario);
    output::emit_err(&output::problem_list(err, &imported.warnings, ""));
    let Some(text) = output::json(&imported.scenario) else {
        output::error(err, "cannot write the scenario as JSON");
        return Exit::Usage;
    };
    scenario_file::write_out(err, &text, args.output.as_deref(), &scenario_file::contents(&imported.scenario))
}
