//! `provision`: put the catalog's topics on a cluster (plan, `--apply`,
//! `--check` for drift) and export schemas for broker-side validation
//! (`provision schemas --out DIR`).
//!
//! The diff is pure and lives in `onex_codegen::export::provision`; the
//! broker I/O is [`crate::provision`], compiled with the default feature
//! `kafka` (rdkafka's admin client with its bundled librdkafka, built by
//! cmake). Without it (`cargo install --path cli --no-default-features`)
//! `provision schemas` still works and the broker commands say how to get
//! them.

use std::process::ExitCode;

use onex_codegen::export::broker_schema;

pub use crate::provision::args::{PlanFormat, ProvisionAction, ProvisionArgs, SchemasArgs, Tiered};

use crate::output::{Mode, Plan};
use crate::report::load_or_report;
use crate::{CmdResult, Context};

/// Plan, apply or check; or export schemas.
pub fn run(cx: &Context, args: &ProvisionArgs) -> CmdResult {
    if let Some(ProvisionAction::Schemas(s)) = &args.action {
        return schemas(cx, s);
    }
    let root = cx.root()?;
    let Some(catalog) = load_or_report(&root) else {
        return Ok(ExitCode::FAILURE);
    };
    let bootstrap = args
        .bootstrap
        .as_deref()
        .ok_or("`--bootstrap HOST:PORT` is required (the cluster to plan against)")?;
    broker(&catalog, bootstrap, args)
}

#[cfg(feature = "kafka")]
fn broker(catalog: &onex_codegen::Catalog, bootstrap: &str, args: &ProvisionArgs) -> CmdResult {
    crate::provision::run(catalog, bootstrap, args)
}

#[cfg(not(feature = "kafka"))]
fn broker(_: &onex_codegen::Catalog, _: &str, _: &ProvisionArgs) -> CmdResult {
    Err(
        "this onex was built without the `kafka` feature, so it cannot talk to a broker; \
         reinstall with it (`cargo install --path cli`, needs cmake) or use `provision schemas`"
            .to_owned(),
    )
}

fn schemas(cx: &Context, args: &SchemasArgs) -> CmdResult {
    let root = cx.root()?;
    let Some(catalog) = load_or_report(&root) else {
        return Ok(ExitCode::FAILURE);
    };
    let export =
        broker_schema::tansu_schemas(&catalog, args.env.as_deref(), args.tenant.as_deref())
            .map_err(|e| e.to_string())?;
    let mut plan = Plan::new();
    for f in &export.files {
        plan.file(args.out.join(&f.file), f.content.clone());
    }
    for (topic, why) in &export.skipped {
        eprintln!("skipped {topic}: {why}");
    }
    let synced = plan.sync(Mode::from_check(args.check))?;
    synced.print_changes();
    if synced.stale.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "stale: {}\nrun the same command without --check",
        synced.stale.join(", ")
    );
    Ok(ExitCode::FAILURE)
}
