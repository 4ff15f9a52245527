//! `sgplay templates`: the console's security group templates and their rules.

use super::Exit;
use crate::output::{self, ColorChoice, Painter, Style};
use serde_json::json;
use sgplay_core::model::{Remote, Rule};
use sgplay_core::templates::Template;

/// List the console's security group templates and their rules
///
/// The templates are `default`, `Sys-WebServer` and `Sys-FullAccess`, as the ECS console
/// creates them. A group in a scenario file starts from a template with `"template": "Sys-WebServer"`.
#[derive(Debug, clap::Args)]
pub struct TemplatesArgs {
    /// Print one JSON array: each template with its rules
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &TemplatesArgs, color: ColorChoice) -> Exit {
    if args.json {
        let value: Vec<serde_json::Value> =
            Template::ALL.iter().map(|t| json!({ "name": t.name(), "story": t.story(), "rules": t.rules(t.name()) })).collect();
        output::emit(&output::json(&value).unwrap_or_default());
    } else {
        output::emit(&render(Painter::stdout(color)));
    }
    Exit::Success
}

fn render(painter: Painter) -> String {
    let mut text = String::new();
    for (n, template) in Template::ALL.iter().enumerate() {
        if n > 0 {
            text.push('\n');
        }
        text.push_str(&format!("{}: {}\n", painter.paint(Style::Bold, template.name()), template.story()));
        let header = ["direction", "ethertype", "protocol & port", "remote", "action", "priority"].map(String::from);
        let rows: Vec<[String; 6]> = template.rules(template.name()).iter().map(|r| row(r, template.name())).collect();
        let mut widths = header.clone().map(|h| h.len());
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |cells: &[String; 6]| -> String {
            let padded: Vec<String> = cells.iter().zip(widths).map(|(c, w)| format!("{c:<w$}")).collect();
            format!("  {}\n", padded.join("  ").trim_end())
        };
        text.push_str(&painter.paint(Style::Dim, &line(&header)));
        for row in &rows {
            text.push_str(&line(row));
        }
    }
    text
}

fn row(rule: &Rule, group_id: &str) -> [String; 6] {
    let remote = match &rule.remote {
        Remote::Group(id) if id == group_id => "this group".to_string(),
        other => other.to_string(),
    };
    [
        rule.direction.to_string(),
        rule.ethertype.to_string(),
        rule.protocol_and_port(),
        remote,
        rule.action.to_string(),
        rule.priority.to_string(),
    ]
}
