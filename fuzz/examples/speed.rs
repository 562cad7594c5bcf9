//! Where an execution's time goes: runs every input of `fuzz/corpus/<target>/`
//! through the harness phase by phase and prints the mean per phase.
//! `cargo run --release --example speed -- TARGET [ROUNDS [DIR]]` (stable is
//! fine; DIR instead of the target's corpus);
//! `ONEX_FUZZ_WHY=1` also lists each input with its first error.

use std::time::{Duration, Instant};

use onex_fuzz::Target;

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "topic".to_owned());
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
    let target = Target::from_name(&name).unwrap_or(Target::Topic);
    let dir = args.next().map_or_else(
        || {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("corpus")
                .join(&name)
        },
        std::path::PathBuf::from,
    );
    let mut inputs: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    std::fs::read(e.path()).ok().map(|b| (name, b))
                })
                .collect()
        })
        .unwrap_or_default();
    inputs.sort();
    if std::env::var_os("ONEX_FUZZ_WHY").is_some() {
        for (file, data) in &inputs {
            let l = onex_codegen::load_from(&onex_fuzz::catalog(target, data));
            let first = l
                .diagnostics
                .iter()
                .find(|d| d.is_error())
                .map(ToString::to_string);
            println!("{file}: {}", first.unwrap_or_else(|| "loads".to_owned()));
        }
    }
    let mut t = [Duration::ZERO; 5];
    let (mut n, mut loaded) = (0u32, 0u32);
    for _ in 0..rounds {
        for (_, data) in &inputs {
            let a = Instant::now();
            let source = onex_fuzz::catalog(target, data);
            let b = Instant::now();
            let l = onex_codegen::load_from(&source);
            let c = Instant::now();
            let _ = l.diagnostics.render_human(false);
            let _ = l.diagnostics.render_json();
            let d = Instant::now();
            if let Some(cat) = &l.catalog {
                loaded += 1;
                let _ = onex_codegen::governance::lint::lint(cat);
                let e = Instant::now();
                let _ = onex_codegen::generate_tokens(cat, &onex_fuzz::options());
                t[3] += e - d;
                t[4] += e.elapsed();
            }
            t[0] += b - a;
            t[1] += c - b;
            t[2] += d - c;
            n += 1;
        }
    }
    let per = |d: Duration| d.as_secs_f64() * 1e6 / f64::from(n.max(1));
    println!(
        "{name}: {n} runs ({loaded} loaded), mean µs per run: catalog {:.0}, load {:.0}, render {:.0}, lint {:.0}, emit {:.0}",
        per(t[0]),
        per(t[1]),
        per(t[2]),
        per(t[3]),
        per(t[4])
    );
}
