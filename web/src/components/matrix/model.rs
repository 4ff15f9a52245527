//! The reachability matrix as a grid, from the engine's matrix (`analysis::reach`): which ends
//! stand on each axis (every instance and the Internet when there are few; one block per subnet
//! when there are many, until a block is opened), how many of the judged (pair, service)
//! combinations of a cell pass, the heat shade of a cell, and the CSV export. Nothing here
//! judges a packet. Pure, tested natively.

use sgplay_core::analysis::reach::{End, Reachability};
use sgplay_core::World;
use std::collections::BTreeMap;

/// Up to this many instances every instance has its own row and column; beyond, blocks.
pub const DETAIL_LIMIT: usize = 40;

/// The ends one row or column stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// "ECS-A01", "Subnet-A (24)", "the Internet".
    pub label: String,
    /// Stable across recomputations: an instance id, `subnet:<id>`, `internet`.
    pub key: String,
    pub ends: Vec<End>,
}

impl Block {
    /// One end alone: a cell of two such blocks is one pair.
    pub fn is_single(&self) -> bool {
        self.ends.len() == 1
    }
}

fn single(world: &World, end: End) -> Block {
    match end {
        End::Instance(i) => {
            let inst = &world.instances[i];
            Block { label: inst.display_name().to_string(), key: inst.id.clone(), ends: vec![end] }
        }
        End::Internet => Block { label: "the Internet".into(), key: "internet".into(), ends: vec![end] },
    }
}

/// The blocks of an axis: every end alone when the world is small or when `open` names the
/// block being looked into; else one block per subnet (in the world's order), one for
/// instances in no subnet, and the Internet.
pub fn blocks(world: &World, open: Option<&str>) -> Vec<Block> {
    let all = || (0..world.instances.len()).map(End::Instance).chain([End::Internet]);
    if world.instances.len() <= DETAIL_LIMIT {
        return all().map(|e| single(world, e)).collect();
    }
    let grouped = subnet_blocks(world);
    match open.and_then(|key| grouped.iter().find(|b| b.key == key)) {
        Some(block) => block.ends.iter().map(|&e| single(world, e)).collect(),
        None => grouped,
    }
}

fn subnet_blocks(world: &World) -> Vec<Block> {
    let mut by_subnet: BTreeMap<Option<&str>, Vec<End>> = BTreeMap::new();
    for (i, inst) in world.instances.iter().enumerate() {
        by_subnet.entry(inst.subnet_id.as_deref()).or_default().push(End::Instance(i));
    }
    let mut out: Vec<Block> = world
        .vpcs
        .iter()
        .flat_map(|v| &v.subnets)
        .filter_map(|s| {
            let ends = by_subnet.remove(&Some(s.id.as_str()))?;
            let name = if s.name.is_empty() { s.id.as_str() } else { s.name.as_str() };
            Some(Block { label: format!("{name} ({})", ends.len()), key: format!("subnet:{}", s.id), ends })
        })
        .collect();
    let rest: Vec<End> = by_subnet.into_values().flatten().collect();
    if !rest.is_empty() {
        out.push(Block { label: format!("no subnet ({})", rest.len()), key: "subnet:".into(), ends: rest });
    }
    out.push(single(world, End::Internet));
    out
}

/// How many of a cell's judged (pair, service) combinations pass.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cell {
    pub allowed: usize,
    pub total: usize,
}

impl Cell {
    /// The heat shade, 0 (nothing passes) to 4 (everything does); 1–3 in between.
    pub fn shade(self) -> u8 {
        match (self.allowed, self.total) {
            (0, _) | (_, 0) => 0,
            (a, t) if a >= t => 4,
            (a, t) => 1 + (2 * a / t).min(2) as u8,
        }
    }
}

/// The cells of `rows` × `cols` for the services `services` (indices into the matrix's
/// services). A pair of an end with itself is not judged.
pub fn cells(reach: &Reachability, services: &[usize], rows: &[Block], cols: &[Block], ends: usize) -> Vec<Vec<Cell>> {
    let index = |e: End| match e {
        End::Instance(i) => i,
        End::Internet => ends - 1,
    };
    let place = |axis: &[Block]| {
        let mut at = vec![None; ends];
        for (b, block) in axis.iter().enumerate() {
            for &e in &block.ends {
                at[index(e)] = Some(b);
            }
        }
        at
    };
    let (row_of, col_of) = (place(rows), place(cols));
    let mut grid: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            cols.iter()
                .map(|c| {
                    let same = r.ends.iter().filter(|e| c.ends.contains(e)).count();
                    Cell { allowed: 0, total: (r.ends.len() * c.ends.len() - same) * services.len() }
                })
                .collect()
        })
        .collect();
    for pair in &reach.pairs {
        let (Some(r), Some(c)) = (row_of[index(pair.from)], col_of[index(pair.to)]) else { continue };
        grid[r][c].allowed += pair.allowed.iter().filter(|s| services.contains(s)).count();
    }
    grid
}

/// Every allowed (pair, service) as CSV: `from,to,service`, ends by instance id or `internet`.
pub fn csv(world: &World, reach: &Reachability) -> String {
    let name = |e: End| match e {
        End::Instance(i) => quoted(&world.instances[i].id),
        End::Internet => "internet".to_string(),
    };
    let mut out = String::from("from,to,service\n");
    for pair in &reach.pairs {
        for &s in &pair.allowed {
            out.push_str(&format!("{},{},{}\n", name(pair.from), name(pair.to), quoted(&reach.services[s].label)));
        }
    }
    out
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn quoted(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sgplay_core::analysis::reach::{reachability, Service, DEFAULT_SERVICES};
    use sgplay_core::matcher::Matcher;

    fn reach(world: &World) -> Reachability {
        let services: Vec<Service> = DEFAULT_SERVICES.iter().map(|s| Service::parse(s).unwrap()).collect();
        reachability(world, &Matcher::build(world), &services)
    }

    fn default_world() -> World {
        crate::gallery::load(crate::gallery::DEFAULT_SLUG).unwrap().build().unwrap().world
    }

    #[test]
    fn a_small_world_has_a_row_and_a_column_per_end_and_ssh_from_the_office_only() {
        let w = default_world();
        let r = reach(&w);
        let axis = blocks(&w, None);
        assert_eq!(axis.iter().map(|b| b.label.as_str()).collect::<Vec<_>>(), ["ECS-A01", "ECS-A02", "ECS-B01", "ECS-B02", "the Internet"]);
        let ssh = r.services.iter().position(|s| s.label == "tcp:22").unwrap();
        let grid = cells(&r, &[ssh], &axis, &axis, w.instances.len() + 1);
        // An end with itself is not judged.
        assert_eq!(grid[0][0], Cell { allowed: 0, total: 0 });
        // ECS-A01 → ECS-B01 on SSH: Sg-B admits SSH from Sg-A.
        assert_eq!(grid[0][2], Cell { allowed: 1, total: 1 });
        assert_eq!(grid[0][2].shade(), 4);
        // The Internet's representative is not the office: no SSH to ECS-A01.
        assert_eq!(grid[4][0], Cell { allowed: 0, total: 1 });
        let all: Vec<usize> = (0..r.services.len()).collect();
        let every = cells(&r, &all, &axis, &axis, w.instances.len() + 1);
        assert_eq!(every[0][2].total, r.services.len());
        assert!(every[0][2].allowed >= 1 && every[0][2].shade() >= 1);
    }

    #[test]
    fn a_large_world_is_in_subnet_blocks_and_a_block_opens_into_its_instances() {
        let spec = sgplay_core::synth::generate(&sgplay_core::synth::SynthConfig {
            instances: 60,
            groups: 12,
            rules: 20,
            address_groups: 2,
            groups_per_instance: 3,
            seed: 7,
        });
        let w = spec.build().unwrap().world;
        let axis = blocks(&w, None);
        assert!(axis.len() < 60 && axis.len() >= 2, "{} blocks", axis.len());
        assert_eq!(axis.last().unwrap().key, "internet");
        assert_eq!(axis.iter().map(|b| b.ends.len()).sum::<usize>(), 61, "every end in exactly one block");
        let first = &axis[0];
        let opened = blocks(&w, Some(&first.key));
        assert_eq!(opened.len(), first.ends.len());
        assert!(opened.iter().all(Block::is_single));
        // Block cells add up to their instances' cells.
        let r = reach(&w);
        let services: Vec<usize> = (0..r.services.len()).collect();
        let coarse = cells(&r, &services, &axis, &axis, 61);
        let singles: Vec<Block> = (0..60).map(End::Instance).chain([End::Internet]).map(|e| single(&w, e)).collect();
        let fine = cells(&r, &services, &singles, &singles, 61);
        let sum: usize = fine.iter().flatten().map(|c| c.allowed).sum();
        assert_eq!(coarse.iter().flatten().map(|c| c.allowed).sum::<usize>(), sum);
        assert_eq!(sum, r.pairs.iter().map(|p| p.allowed.len()).sum::<usize>());
    }

    #[test]
    fn the_csv_lists_every_allowed_pair_and_service() {
        let w = default_world();
        let r = reach(&w);
        let text = csv(&w, &r);
        assert!(text.starts_with("from,to,service\n"));
        assert!(text.contains("ecs-a01,ecs-b01,tcp:22\n"), "{text}");
        assert_eq!(text.lines().count() - 1, r.pairs.iter().map(|p| p.allowed.len()).sum::<usize>());
        assert_eq!(quoted("a,b"), "\"a,b\"");
        assert_eq!(quoted("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
