//! `sgplay generate`: a large synthetic estate as a scenario file, the same for the same seed.

use super::Exit;
use crate::output::{self, ColorChoice, Painter};
use crate::scenario_file;
use sgplay_core::analysis::constraints::MAX_INSTANCES_PER_GROUP;
use sgplay_core::synth::{self, SynthConfig};
use std::path::PathBuf;

const DEFAULT_GROUPS_PER_INSTANCE: u32 = 5;

/// Generate a synthetic estate: VPCs, subnets, role-named security groups with their rules,
/// IP address groups, instances and load balancers
///
/// The same options give the same file, byte for byte. The file validates with no error;
/// expect advice (shadowed rules, high-risk ports open to everyone), as real estates have.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    sgplay generate --seed 7 -o big.json\n  \
    sgplay generate --instances 10 --groups 4 --rules 6 | sgplay validate /dev/stdin")]
pub struct GenerateArgs {
    /// Instances, load balancers included
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub instances: u32,
    /// Security groups
    #[arg(long, value_name = "G", default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub groups: u32,
    /// Most rules in one group, inbound and outbound together (up to 120 is realistic)
    #[arg(long, value_name = "R", default_value_t = 120, value_parser = clap::value_parser!(u32).range(0..=1000))]
    pub rules: u32,
    /// IP address groups
    #[arg(long, value_name = "A", default_value_t = 20, value_parser = clap::value_parser!(u32).range(0..=1000))]
    pub address_groups: u32,
    /// Most security groups on one instance; each gets 1 to K (above 5 earns advice)
    /// [default: 5, or G when fewer]
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(1..=10))]
    pub groups_per_instance: Option<u32>,
    /// Seed of the random choices
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Write the scenario to FILE instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl GenerateArgs {
    /// The checks clap cannot make on one argument alone: the message for a usage error.
    pub fn check(&self) -> Result<(), String> {
        if let Some(k) = self.groups_per_instance.filter(|k| *k > self.groups) {
            return Err(format!(
                "--groups-per-instance {k} is more than --groups {}: an instance is associated with a group once",
                self.groups
            ));
        }
        let most = u64::from(self.groups) * (MAX_INSTANCES_PER_GROUP as u64 - 1);
        if u64::from(self.instances) > most {
            return Err(format!(
                "--instances {} cannot fit in {} of fewer than {MAX_INSTANCES_PER_GROUP} instances each (at most {most}); raise --groups",
                self.instances,
                output::plural(self.groups as usize, "group", "groups")
            ));
        }
        Ok(())
    }

    pub fn config(&self) -> SynthConfig {
        SynthConfig {
            instances: self.instances as usize,
            groups: self.groups as usize,
            rules: self.rules as usize,
            address_groups: self.address_groups as usize,
            groups_per_instance: self.groups_per_instance.unwrap_or(DEFAULT_GROUPS_PER_INSTANCE.min(self.groups)) as usize,
            seed: self.seed,
        }
    }
}

pub fn run(args: &GenerateArgs, color: ColorChoice) -> Exit {
    let err = Painter::stderr(color);
    let spec = synth::generate(&args.config());
    let Some(text) = output::json(&spec) else {
        output::error(err, "cannot write the scenario as JSON");
        return Exit::Usage;
    };
    scenario_file::write_out(err, &text, args.output.as_deref(), &scenario_file::contents(&spec))
}
