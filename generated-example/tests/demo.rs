//! The demo binary runs seed 001's registry flow to the end: in memory, and
//! on the broker of `ONEX_KAFKA_BOOTSTRAP` when one is set (as in CI).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_generated-example"))
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn the_registry_flow_completes_in_memory() {
    let out = run(&[]);
    assert!(out.contains("bus: in memory"), "{out}");
    assert!(out.contains("done: postgres-adapter-"), "{out}");
    // The orchestrator saw the request's correlation id, carried by the effect node.
    let corr = out
        .lines()
        .find(|l| l.starts_with("orchestrator"))
        .and_then(|l| l.rsplit("correlation ").next())
        .unwrap();
    assert!(corr.starts_with("corr-"), "{out}");
}

#[test]
fn the_registry_flow_completes_on_kafka() {
    let Ok(bootstrap) = std::env::var("ONEX_KAFKA_BOOTSTRAP") else {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED (demo on Kafka): set ONEX_KAFKA_BOOTSTRAP=host:port to run it"
        );
        return;
    };
    let out = run(&["--bootstrap", &bootstrap, "--env", "demo"]);
    assert!(out.contains("done: postgres-adapter-"), "{out}");
}

#[test]
fn bad_arguments_print_the_usage() {
    let out = Command::new(env!("CARGO_BIN_EXE_generated-example"))
        .arg("--nope")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--bootstrap HOST:PORT"));
}
