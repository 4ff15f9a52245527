//! Terraform HCL (`.tf` files, several read as one module) into a scenario: parsed by
//! `hcl-rs`, each argument evaluated by its evaluator in a context holding `var` (the
//! variables' defaults), `local`, `count` / `each` of the resource instance, the modelled
//! resources (`huaweicloud_networking_secgroup.web.id` is the group `web`) and a few of
//! Terraform's functions (`toset`, `tolist`, `tomap`, `tostring`, `concat`, `length`).
//!
//! Read past, as saying nothing about the groups: `terraform`, `provider` and `output` blocks,
//! the meta-arguments `depends_on`, `provider`, `lifecycle`, and the blocks `timeouts` and
//! `lifecycle`. Everything else that is not imported is a warning at its address.

use super::{assemble, imported_name, warning, Provider, Resource};
use crate::diagnostic::Problem;
use crate::interop::Origins;
use crate::scenario::ScenarioSpec;
use hcl::eval::{Context, Evaluate, FuncArgs, FuncDef, ParamType};
use hcl::expr::{TraversalOperator, Variable};
use hcl::{Block, Body, Expression, Map as HMap, Value as HValue};
use serde_json::{Map, Value};
use std::collections::HashSet;

const META_ARGUMENTS: [&str; 4] = ["count", "for_each", "depends_on", "provider"];
const READ_PAST_BLOCKS: [&str; 2] = ["lifecycle", "timeouts"];

/// One resource block, with the file it is in.
struct Declared<'a> {
    file: &'a str,
    kind: &'static str,
    name: String,
    body: &'a Body,
}

/// One evaluated instance of a block: its address, its scenario id and its arguments.
struct Instance {
    address: String,
    id: String,
    /// The key of `count` (a number) or `for_each` (a text), for the resource's value.
    key: Option<HValue>,
    args: HMap<String, HValue>,
}

fn label(block: &Block, i: usize) -> String {
    block.labels().get(i).map(|l| l.as_str().to_string()).unwrap_or_default()
}

pub(crate) fn import(inputs: &[(&str, &str)], provider: &Provider) -> Result<(ScenarioSpec, Vec<Problem>, Origins), Vec<Problem>> {
    let modelled = provider.modelled();
    let mut bodies = Vec::new();
    let mut errors = Vec::new();
    for (name, text) in inputs {
        match hcl::parse(text) {
            Ok(body) => bodies.push((*name, body)),
            Err(e) => errors.push(Problem::error(*name, format!("`{name}`"), "", "", format!("is not valid HCL: {e}"))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut warnings = Vec::new();
    let mut variables: HMap<String, HValue> = HMap::new();
    let mut locals: Vec<(&str, String, &Expression)> = Vec::new();
    let mut declared: Vec<Declared<'_>> = Vec::new();
    for (file, body) in &bodies {
        for attr in body.attributes() {
            warnings.push(warning(
                format!("{file}: {}", attr.key()),
                "an argument at the top of a file",
                attr.key(),
                "",
                "is not a block Terraform knows; not imported",
            ));
        }
        for block in body.blocks() {
            let at = |address: &str| format!("{file}: {address}");
            match block.identifier() {
                "variable" => {
                    let name = label(block, 0);
                    if let Some(attr) = block.body().attributes().find(|a| a.key() == "default") {
                        match attr.expr().evaluate(&Context::new()) {
                            Ok(v) => {
                                variables.insert(name, v);
                            }
                            Err(e) => warnings.push(warning(
                                at(&format!("var.{name}")),
                                format!("variable `{name}`"),
                                "default",
                                "",
                                format!("has a default that is not a literal ({e}); references to it are not resolved"),
                            )),
                        }
                    }
                }
                "locals" => locals.extend(block.body().attributes().map(|a| (*file, a.key().to_string(), a.expr()))),
                "terraform" | "provider" | "output" => {}
                "resource" => {
                    let (kind, name) = (label(block, 0), label(block, 1));
                    match modelled.iter().find(|k| **k == kind) {
                        Some(k) => declared.push(Declared { file, kind: k, name, body: block.body() }),
                        None => warnings.push(warning(
                            at(&format!("{kind}.{name}")),
                            format!("resource `{kind}.{name}`"),
                            "",
                            kind.as_str(),
                            "is not a resource sgplay models (security groups, their rules and IP address groups); not imported",
                        )),
                    }
                }
                "data" => {
                    let address = format!("data.{}.{}", label(block, 0), label(block, 1));
                    warnings.push(warning(
                        at(&address),
                        format!("data source `{address}`"),
                        "",
                        "",
                        "is read from the cloud when Terraform runs; not imported, and references to it are not resolved",
                    ));
                }
                "module" => {
                    let address = format!("module.{}", label(block, 0));
                    warnings.push(warning(
                        at(&address),
                        format!("module call `{address}`"),
                        "",
                        "",
                        "is not followed (import the module's own files, or `terraform show -json` of the plan); references to it are not resolved",
                    ));
                }
                other => warnings.push(warning(at(other), format!("block `{other}`"), "", "", "is not a block sgplay reads; not imported")),
            }
        }
    }

    let mut ctx = Context::new();
    declare_functions(&mut ctx);
    ctx.declare_var("var", HValue::Object(variables));
    // Locals may refer to each other: evaluate what can be, until nothing more can.
    let mut local_values: HMap<String, HValue> = HMap::new();
    let mut pending = locals;
    loop {
        let mut with_locals = ctx.clone();
        with_locals.declare_var("local", HValue::Object(local_values.clone()));
        let before = pending.len();
        let mut still = Vec::new();
        for (file, name, expr) in pending {
            match expr.evaluate(&with_locals) {
                Ok(v) => {
                    local_values.insert(name, v);
                }
                Err(e) => still.push((file, name, expr, e)),
            }
        }
        if still.is_empty() || still.len() == before {
            for (file, name, _, e) in &still {
                warnings.push(warning(
                    format!("{file}: local.{name}"),
                    format!("local value `{name}`"),
                    "",
                    "",
                    format!("cannot be evaluated ({e}); references to it are not resolved"),
                ));
            }
            break;
        }
        pending = still.into_iter().map(|(f, n, e, _)| (f, n, e)).collect();
    }
    ctx.declare_var("local", HValue::Object(local_values));

    // Groups and address groups first, then rules, which refer to them.
    let mut resources = Vec::new();
    let mut shortcuts: Shortcuts = HashSet::new();
    for kinds in [[Some(provider.group), provider.address_group.map(|a| a.0)], [Some(provider.rule), None]] {
        let mut values: HMap<String, HMap<String, HValue>> = HMap::new();
        for d in declared.iter().filter(|d| kinds.contains(&Some(d.kind))) {
            let instances = expand(d, &mut ctx, &shortcuts, provider.unevaluated, &mut warnings);
            let value = resource_value(&instances);
            for inst in instances {
                resources.push(Resource {
                    kind: d.kind,
                    id: inst.id,
                    path: format!("{}: {}", d.file, inst.address),
                    address: inst.address,
                    args: inst.args.into_iter().map(|(k, v)| (k, to_json(v))).collect::<Map<String, Value>>(),
                });
            }
            if let Some(value) = value {
                ctx.declare_var(Variable::unchecked(shortcut_name(d.kind, &d.name)).into_inner(), value.clone());
                shortcuts.insert((d.kind, d.name.clone()));
                values.entry(d.kind.to_string()).or_default().insert(d.name.clone(), value);
            }
        }
        for (kind, by_name) in values {
            ctx.declare_var(kind, HValue::Object(by_name.into_iter().collect()));
        }
    }
    let names: Vec<&str> = inputs.iter().map(|(n, _)| *n).collect();
    assemble(imported_name(&names), &resources, warnings, provider)
}

/// The resource as a reference sees it: an object (its arguments and `id`), a list of them
/// (`count`) or a map of them (`for_each`). `None` when no instance could be evaluated.
fn resource_value(instances: &[Instance]) -> Option<HValue> {
    let object = |inst: &Instance| {
        let mut o = inst.args.clone();
        o.insert("id".into(), HValue::String(inst.id.clone()));
        HValue::Object(o)
    };
    match instances.first()?.key {
        None => Some(object(&instances[0])),
        Some(HValue::Number(_)) => Some(HValue::Array(instances.iter().map(object).collect())),
        Some(_) => Some(HValue::Object(
            instances.iter().map(|i| (i.key.as_ref().and_then(HValue::as_str).unwrap_or_default().to_string(), object(i))).collect(),
        )),
    }
}

/// The block's instances (one, `count` of them, one per `for_each` key), each with its
/// arguments evaluated; an instance any of whose arguments cannot be evaluated is left out
/// with a warning.
/// `unevaluated`: the provider's bookkeeping arguments, read past without evaluating them (a
/// `vpc_id = alicloud_vpc.main.id` refers to a resource sgplay does not model).
fn expand(d: &Declared<'_>, ctx: &mut Context, shortcuts: &Shortcuts, unevaluated: &[&str], warnings: &mut Vec<Problem>) -> Vec<Instance> {
    // `count` and `each` exist only inside a block that has them (one context for every
    // instance: cloning it would copy every resource's value per instance).
    ctx.declare_var("count", HValue::Null);
    ctx.declare_var("each", HValue::Null);
    let address = format!("{}.{}", d.kind, d.name);
    let object = format!("resource `{address}`");
    let attr = |key: &str| d.body.attributes().find(|a| a.key() == key).map(|a| a.expr());
    let mut cannot = |field: &str, at: &str, message: String| {
        warnings.push(warning(format!("{}: {at}", d.file), object.clone(), field, "", message));
    };
    // (key, each.value) per instance.
    let keys: Vec<(Option<HValue>, Option<HValue>)> = match (attr("count"), attr("for_each")) {
        (Some(_), Some(_)) => {
            cannot("count", &address, "has both `count` and `for_each`, which Terraform refuses; not imported".into());
            return Vec::new();
        }
        (Some(count), None) => match count.evaluate(ctx) {
            Ok(HValue::Number(n)) if n.as_u64().is_some() => (0..n.as_u64().unwrap_or(0)).map(|i| (Some(HValue::from(i)), None)).collect(),
            Ok(other) => {
                cannot("count", &address, format!("must be a whole number, not `{other}`; not imported"));
                return Vec::new();
            }
            Err(e) => {
                cannot("count", &address, format!("cannot be evaluated ({e}); not imported"));
                return Vec::new();
            }
        },
        (None, Some(each)) => match each.evaluate(ctx) {
            Ok(HValue::Object(map)) => {
                let mut entries: Vec<(String, HValue)> = map.into_iter().collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                entries.into_iter().map(|(k, v)| (Some(HValue::String(k)), Some(v))).collect()
            }
            Ok(HValue::Array(items)) => {
                let mut keys = Vec::new();
                for item in items {
                    match item {
                        HValue::String(s) => keys.push(s),
                        other => {
                            cannot("for_each", &address, format!("over a set needs strings, not `{other}`; not imported"));
                            return Vec::new();
                        }
                    }
                }
                keys.sort();
                keys.dedup();
                keys.into_iter().map(|k| (Some(HValue::String(k.clone())), Some(HValue::String(k)))).collect()
            }
            Ok(other) => {
                cannot("for_each", &address, format!("must be a map or a set of strings, not `{other}`; not imported"));
                return Vec::new();
            }
            Err(e) => {
                cannot("for_each", &address, format!("cannot be evaluated ({e}); not imported"));
                return Vec::new();
            }
        },
        (None, None) => vec![(None, None)],
    };
    let mut out = Vec::new();
    'instances: for (key, value) in keys {
        let (at, id) = match &key {
            None => (address.clone(), d.name.clone()),
            Some(HValue::String(k)) => (format!("{address}[{}]", super::hcl_writing::quoted(k)), format!("{}[{k}]", d.name)),
            Some(k) => (format!("{address}[{k}]"), format!("{}[{k}]", d.name)),
        };
        match (&key, value) {
            (Some(k @ HValue::Number(_)), _) => {
                ctx.declare_var("count", HValue::Object([("index".to_string(), k.clone())].into_iter().collect()))
            }
            (Some(k), Some(v)) => {
                ctx.declare_var("each", HValue::Object([("key".to_string(), k.clone()), ("value".to_string(), v)].into_iter().collect()))
            }
            _ => {}
        }
        let inner: &Context = ctx;
        let mut args = HMap::new();
        for a in d.body.attributes().filter(|a| !META_ARGUMENTS.contains(&a.key()) && !unevaluated.contains(&a.key())) {
            match shortcut(a.expr(), shortcuts).evaluate(inner).or_else(|_| a.expr().evaluate(inner)) {
                Ok(v) => {
                    args.insert(a.key().to_string(), v);
                }
                Err(e) => {
                    cannot(
                        a.key(),
                        &format!("{at}.{}", a.key()),
                        format!("`{}` cannot be evaluated ({e}); the resource is not imported", a.key()),
                    );
                    continue 'instances;
                }
            }
        }
        // Nested blocks (`ip_extra_set { ip = … }`) become lists of objects, as in a state.
        for b in d.body.blocks() {
            if READ_PAST_BLOCKS.contains(&b.identifier()) {
                continue;
            }
            if b.identifier() == "dynamic" {
                cannot("dynamic", &format!("{at}.dynamic"), "`dynamic` blocks are not expanded; the resource is not imported".into());
                continue 'instances;
            }
            let mut object = HMap::new();
            for a in b.body().attributes() {
                match shortcut(a.expr(), shortcuts).evaluate(inner).or_else(|_| a.expr().evaluate(inner)) {
                    Ok(v) => {
                        object.insert(a.key().to_string(), v);
                    }
                    Err(e) => {
                        cannot(
                            a.key(),
                            &format!("{at}.{}.{}", b.identifier(), a.key()),
                            format!("`{}` cannot be evaluated ({e}); the resource is not imported", a.key()),
                        );
                        continue 'instances;
                    }
                }
            }
            match args.entry(b.identifier().to_string()).or_insert_with(|| HValue::Array(Vec::new())) {
                HValue::Array(list) => list.push(HValue::Object(object)),
                _ => {
                    cannot(
                        b.identifier(),
                        &format!("{at}.{}", b.identifier()),
                        "is given both as an argument and as a block; the resource is not imported".into(),
                    );
                    continue 'instances;
                }
            }
        }
        out.push(Instance { address: at, id, key, args });
    }
    ctx.declare_var("count", HValue::Null);
    ctx.declare_var("each", HValue::Null);
    out
}

/// The resources declared under their own variable: `(type, name)`.
type Shortcuts = HashSet<(&'static str, String)>;

/// The variable one resource's value is also declared under.
fn shortcut_name(kind: &str, name: &str) -> String {
    format!("sgplay__{kind}__{name}")
}

/// `expr` with each reference to a resource (`huaweicloud_networking_secgroup.web…`) read
/// from the variable of that resource alone: the evaluator copies a variable's whole value
/// before it traverses it, and the variable of the type holds every resource of the type
/// (quadratic on a large estate). References elsewhere (inside templates) read the type's
/// variable, which is the same value.
fn shortcut(expr: &Expression, shortcuts: &Shortcuts) -> Expression {
    let mut expr = expr.clone();
    rewrite(&mut expr, shortcuts);
    expr
}

fn rewrite(expr: &mut Expression, shortcuts: &Shortcuts) {
    match expr {
        Expression::Traversal(t) => {
            for op in &mut t.operators {
                if let TraversalOperator::Index(e) = op {
                    rewrite(e, shortcuts);
                }
            }
            let target = match (&t.expr, t.operators.first()) {
                (Expression::Variable(v), Some(TraversalOperator::GetAttr(name))) => {
                    shortcuts.get(&(v.as_str(), name.to_string())).map(|(kind, _)| shortcut_name(kind, name))
                }
                _ => None,
            };
            if let Some(target) = target {
                t.operators.remove(0);
                t.expr = Expression::Variable(Variable::unchecked(target));
                if t.operators.is_empty() {
                    *expr = t.expr.clone();
                }
            } else {
                rewrite(&mut t.expr, shortcuts);
            }
        }
        Expression::Array(items) => items.iter_mut().for_each(|e| rewrite(e, shortcuts)),
        Expression::FuncCall(f) => f.args.iter_mut().for_each(|e| rewrite(e, shortcuts)),
        Expression::Parenthesis(e) => rewrite(e, shortcuts),
        Expression::Conditional(c) => {
            rewrite(&mut c.cond_expr, shortcuts);
            rewrite(&mut c.true_expr, shortcuts);
            rewrite(&mut c.false_expr, shortcuts);
        }
        _ => {}
    }
}

fn to_json(v: HValue) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// Terraform's conversion functions over literal values, `concat` and `length`.
fn declare_functions(ctx: &mut Context) {
    fn toset(args: FuncArgs) -> Result<HValue, String> {
        let mut out: Vec<HValue> = Vec::new();
        for v in args[0].as_array().cloned().unwrap_or_default() {
            if !out.contains(&v) {
                out.push(v);
            }
        }
        Ok(HValue::Array(out))
    }
    fn same(args: FuncArgs) -> Result<HValue, String> {
        Ok(args[0].clone())
    }
    fn tostring(args: FuncArgs) -> Result<HValue, String> {
        match &args[0] {
            HValue::String(s) => Ok(HValue::String(s.clone())),
            HValue::Number(n) => Ok(HValue::String(n.to_string())),
            HValue::Bool(b) => Ok(HValue::String(b.to_string())),
            other => Err(format!("cannot convert `{other}` to a string")),
        }
    }
    fn concat(args: FuncArgs) -> Result<HValue, String> {
        Ok(HValue::Array(args.iter().flat_map(|a| a.as_array().cloned().unwrap_or_default()).collect()))
    }
    fn length(args: FuncArgs) -> Result<HValue, String> {
        match &args[0] {
            HValue::Array(a) => Ok(HValue::from(a.len() as u64)),
            HValue::Object(o) => Ok(HValue::from(o.len() as u64)),
            HValue::String(s) => Ok(HValue::from(s.chars().count() as u64)),
            other => Err(format!("`{other}` has no length")),
        }
    }
    ctx.declare_func("length", FuncDef::builder().param(ParamType::Any).build(length));
    ctx.declare_func("toset", FuncDef::builder().param(ParamType::array_of(ParamType::Any)).build(toset));
    ctx.declare_func("tolist", FuncDef::builder().param(ParamType::array_of(ParamType::Any)).build(same));
    ctx.declare_func("tomap", FuncDef::builder().param(ParamType::object_of(ParamType::Any)).build(same));
    ctx.declare_func("tostring", FuncDef::builder().param(ParamType::Any).build(tostring));
    ctx.declare_func("concat", FuncDef::builder().variadic_param(ParamType::array_of(ParamType::Any)).build(concat));
}
