//! `sgplay export`: a scenario as Huawei or Alibaba Cloud API output or Terraform HCL.

use super::Exit;
use crate::output::{self, ColorChoice, Painter};
use crate::scenario_file::{self, LoadError};
use sgplay_core::interop::{self, between_clouds, huawei_api::Listing, Format};
use std::path::PathBuf;

/// Write a scenario as API output (ListSecurityGroups with each group's rules,
/// ListAddressGroup and the ECS server list, one JSON document each), as Alibaba Cloud
/// DescribeSecurityGroupAttribute responses, or as Terraform HCL for the huaweicloud provider
/// (groups, rules and address groups, with references) or the alicloud provider (groups and
/// rules, one rule per port range)
///
/// What the format cannot carry (VPCs, virtual IPs, load balancers, instances, checks) is
/// listed on stderr.
/// Exit code: 0 when exported, 1 when the scenario has errors, 2 when it cannot be read.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    sgplay export estate.json --format huawei-api -o estate-api.json\n  \
    sgplay export estate.json --format huawei-api --only security-group-rules\n  \
    sgplay export estate.json --format huawei-terraform -o security-groups.tf\n  \
    sgplay export alibaba.json --format alibaba-terraform -o security-groups.tf\n  \
    sgplay export huawei.json --format alibaba-api --report -o alibaba.json")]
pub struct ExportArgs {
    /// Scenario file (or API output, which is read as `import` reads it)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[arg(long, value_name = "FORMAT", value_parser = ["huawei-api", "huawei-terraform", "alibaba-api", "alibaba-terraform", "scenario"])]
    pub format: String,
    /// huawei-api only: the listings to write, comma-separated, instead of all of them
    #[arg(long, value_name = "LISTINGS", value_delimiter = ',',
          value_parser = ["security-groups", "security-group-rules", "address-groups", "servers"])]
    pub only: Vec<String>,
    /// alibaba-api and alibaba-terraform, for a Huawei scenario: also print on stderr every
    /// packet region whose verdict differs between the scenario and its Alibaba translation
    /// (group sequence against Alibaba's aggregated order, default rules), found by `diff`
    #[arg(long)]
    pub report: bool,
    /// Write to FILE instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: &ExportArgs, color: ColorChoice) -> Exit {
    let err = Painter::stderr(color);
    let spec = match scenario_file::load_spec(&args.file) {
        Ok(imported) => imported.scenario,
        Err(LoadError::Unreadable(message)) => {
            output::error(err, &message);
            return Exit::Usage;
        }
        Err(LoadError::Invalid(problems)) => {
            output::emit_err(&output::problem_list(err, &problems, ""));
            output::error(err, &format!("`{}` has errors; fix them first (`sgplay validate`)", scenario_file::shown_path(&args.file)));
            return Exit::Failure;
        }
    };
    let format = Format::parse(&args.format).unwrap_or(Format::HuaweiApi);
    if !args.only.is_empty() && format != Format::HuaweiApi {
        output::error(err, &format!("`--only` picks huawei-api listings; `{}` writes everything it can carry", format.name()));
        return Exit::Usage;
    }
    if args.report && !matches!(format, Format::AlibabaApi | Format::AlibabaTerraform) {
        output::error(
            err,
            &format!("`--report` compares a Huawei scenario with its Alibaba translation; `{}` is not Alibaba's", format.name()),
        );
        return Exit::Usage;
    }
    if args.report {
        match between_clouds::huawei_to_alibaba(&spec) {
            Ok(between) => {
                let names = (format!("{} (Huawei)", scenario_file::shown_path(&args.file)), "its Alibaba translation".to_string());
                output::emit_err(&super::diff::render(&names, &between.diff, err));
            }
            Err(problems) => {
                output::emit_err(&output::problem_list(err, &problems, ""));
                output::error(err, "cannot compare the scenario with its Alibaba translation");
                return Exit::Failure;
            }
        }
    }
    let exported = if args.only.is_empty() || format != Format::HuaweiApi {
        interop::export(&spec, format)
    } else {
        let listings: Vec<Listing> = args.only.iter().filter_map(|l| Listing::parse(l)).collect();
        interop::export_huawei(&spec, &listings)
    };
    let exported = match exported {
        Ok(exported) => exported,
        Err(problems) => {
            let errors: Vec<_> = problems.into_iter().filter(|p| p.is_error()).collect();
            output::emit_err(&output::problem_list(err, &errors, ""));
            output::error(err, &format!("`{}` has errors; fix them first (`sgplay validate`)", scenario_file::shown_path(&args.file)));
            return Exit::Failure;
        }
    };
    output::emit_err(&output::problem_list(err, &exported.left_out, ""));
    scenario_file::write_out(err, &exported.text, args.output.as_deref(), "")
}
