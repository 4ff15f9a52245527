//! Terraform in and out: HCL for the huaweicloud provider (`tests/fixtures/terraform/main.tf`,
//! written from the provider's documentation: references, `count`, `for_each`, `locals`,
//! variables), `terraform show -json` of a state and of a plan, and HCL export.

use sgplay_core::interop::{self, import_any, import_as, Format, Imported};
use sgplay_core::{Problem, Severity};
use std::path::Path;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/terraform").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn lines(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("{:?} {}: {} {}", p.severity, p.path, p.object, p.message)).collect::<Vec<_>>().join("\n")
}

fn imported(name: &str) -> Imported {
    let text = fixture(name);
    import_any(&[(name, &text)]).unwrap_or_else(|p| panic!("import failed:\n{}", lines(&p)))
}

#[test]
fn main_tf_is_detected_and_imported() {
    let im = imported("main.tf");
    println!("{}", lines(&im.warnings));
    println!("{}", serde_json::to_string_pretty(&im.scenario).unwrap());
    assert_eq!(im.format, Format::HuaweiTerraform);
}
