//! What generated code does at run time (tools/bench/generated-crate.sh,
//! tests/tests/resave.rs): round-trips every sample of the catalog given as
//! the first argument through its payload type, then times
//! `EnumOnexTopic::from_str` against `hand` (gen/hand.rs) for as many
//! rounds as the second argument says.
#![allow(warnings)]
include!("gen/onex.rs");
include!("gen/hand.rs");
use onex::{Topic, TopicVisitor};
use std::hint::black_box;
use std::time::Instant;

struct Check(std::path::PathBuf);

impl TopicVisitor for Check {
    type Output = (usize, usize, usize, usize);
    fn visit<T: Topic>(self) -> (usize, usize, usize, usize) {
        let class = format!("{:?}", T::CLASS).to_lowercase();
        let dir = self.0.join(T::CONTEXT).join(class).join(T::TOPIC);
        let dir = dir.join(format!("v{}", T::MAJOR)).join("samples");
        let (mut n, mut changed, mut failed, mut defaults) = (0, 0, 0, 0);
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
            n += 1;
            match serde_json::from_value::<T::Payload>(v.clone()) {
                Ok(p) => {
                    let back = serde_json::to_value(&p).unwrap_or_default();
                    if back == v {
                    } else if T::SCHEMA_TYPE == onex::SchemaType::Protobuf
                        && without_defaults(&back) == without_defaults(&v)
                    {
                        defaults += 1;
                    } else {
                        changed += 1;
                        println!("CHANGED {}\n  in:  {v}\n  out: {back}", T::NAME);
                    }
                }
                Err(err) => {
                    failed += 1;
                    println!("DOES NOT DECODE {}: {err}", T::NAME);
                }
            }
        }
        (n, changed, failed, defaults)
    }
}

/// A Protobuf JSON value without the fields at their proto3 default
/// (`false`, `0`, `""`, `[]`, `{}`, an `*_UNSPECIFIED` enum), which the
/// JSON mapping leaves out: such a sample is the same message.
fn without_defaults(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    let default = |x: &Value| match x {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty() || s == "0" || s.ends_with("_UNSPECIFIED"),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    };
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(_, x)| !default(x))
                .map(|(k, x)| (k.clone(), without_defaults(x)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_defaults).collect()),
        other => other.clone(),
    }
}

fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_default());
    let (mut n, mut changed, mut failed, mut defaults) = (0, 0, 0, 0);
    for t in EnumOnexTopic::ALL {
        let (a, b, c, d) = t.visit(Check(root.clone()));
        n += a;
        changed += b;
        failed += c;
        defaults += d;
    }
    println!(
        "{n} samples: {changed} come back changed, {failed} do not decode, \
         {defaults} Protobuf samples come back without fields at their proto3 default (the same message)"
    );

    // from_str against the hand-written match, same names, same order.
    // Rounds of the from_str timing (0: none; `hand.rs` may then be a stub).
    let rounds: usize = std::env::args().nth(2).and_then(|r| r.parse().ok()).unwrap_or(2000);
    let names: Vec<String> = EnumOnexTopic::ALL
        .iter()
        .map(|t| t.name().replace("{env}", "dev").replace("{tenant}", "acme"))
        .collect();
    assert!(names.iter().all(|n| n.parse::<EnumOnexTopic>().is_ok()));
    if rounds == 0 {
        return;
    }
    assert!(names.iter().all(|n| hand(n).is_some()));
    fn time<F: Fn(&str) -> bool>(names: &[String], rounds: usize, f: F) -> f64 {
        let start = Instant::now();
        for _ in 0..rounds {
            for n in names {
                black_box(f(black_box(n)));
            }
        }
        start.elapsed().as_nanos() as f64 / (rounds * names.len()) as f64
    }
    let mut generated = Vec::new();
    let mut by_hand = Vec::new();
    for _ in 0..5 {
        generated.push(time(&names, rounds, |n| n.parse::<EnumOnexTopic>().is_ok()));
        by_hand.push(time(&names, rounds, |n| hand(n).is_some()));
    }
    generated.sort_by(f64::total_cmp);
    by_hand.sort_by(f64::total_cmp);
    println!(
        "from_str over {} names x {rounds} rounds, median of 5: generated {:.1} ns, hand-written match {:.1} ns, ratio {:.2}",
        names.len(), generated[2], by_hand[2], generated[2] / by_hand[2]
    );
}
