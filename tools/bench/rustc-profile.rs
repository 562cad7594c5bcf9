//! Where rustc spends its time in a crate, by item: reads a `-Z
//! self-profile` trace (with `-Z self-profile-events=default,args`) and
//! prints self time per query label, then per item, with item paths
//! folded so that every payload module, topic and node counts as one
//! (`payloads::M`, `topics::T`, `nodes::N`). Time not attributed to an
//! item (LLVM, code generation, metadata, expansion) is the empty name.
//! Used by `tools/bench/rustc-profile.sh`; a second argument sets how
//! many items are listed (default 40).

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use analyzeme::{EventPayload, ProfilingData, Timestamp};

/// `payloads::billing_evt_x_v1::...` → `payloads::M::...`, and so on.
fn fold(name: &str) -> String {
    let bare = name.trim_start_matches('(');
    if bare.starts_with("CanonicalQueryInput") || bare.starts_with("PseudoCanonicalInput") {
        return "(trait solving)".to_owned();
    }
    if !name.contains("::") || name.contains("DefId(") {
        return name.chars().take(60).collect();
    }
    let mut out: Vec<String> = Vec::new();
    let mut replace_next: Option<&str> = None;
    for seg in name.split("::") {
        let seg = match seg.find('[') {
            Some(i) if seg.ends_with(']') => format!("{}[n]", &seg[..i]),
            _ => seg.to_owned(),
        };
        let plain = !seg.starts_with('{') && !seg.starts_with('_');
        match replace_next.take() {
            Some(r) if plain => out.push(r.to_owned()),
            _ if seg.starts_with("handle_") => out.push("handle_X".to_owned()),
            _ => out.push(seg.clone()),
        }
        replace_next = match seg.as_str() {
            "payloads" => Some("M"),
            "topics" => Some("T"),
            "nodes" => Some("N"),
            _ => None,
        };
    }
    out.join("::")
}

/// (start, end, label, first argument, thread) of an interval event.
type Event = (SystemTime, SystemTime, String, String, u32);

fn main() {
    let Some(stem) = std::env::args().nth(1) else {
        eprintln!("usage: rustc-profile PROFILE (the .mm_profdata path without its extension)");
        std::process::exit(2);
    };
    let data = match ProfilingData::new(Path::new(&stem)) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{stem}: {e}");
            std::process::exit(1);
        }
    };
    let mut events: Vec<Event> = data
        .iter_full()
        .filter_map(|e| match e.payload {
            EventPayload::Timestamp(Timestamp::Interval { start, end }) => Some((
                start,
                end,
                e.label.to_string(),
                e.additional_data
                    .first()
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
                e.thread_id,
            )),
            _ => None,
        })
        .collect();
    // Per thread, by start; an enclosing event before the ones it holds.
    events.sort_by_key(|a| (a.4, a.0, std::cmp::Reverse(a.1)));
    let mut by_label: HashMap<String, Duration> = HashMap::new();
    let mut by_item: HashMap<String, Duration> = HashMap::new();
    let mut close = |e: &Event, children: Duration, item: &str| {
        let own =
            e.1.duration_since(e.0)
                .unwrap_or_default()
                .saturating_sub(children);
        *by_label.entry(e.2.clone()).or_default() += own;
        *by_item.entry(fold(item)).or_default() += own;
    };
    // Open events: (event, time of its children, the item it works on).
    let mut stack: Vec<(&Event, Duration, String)> = Vec::new();
    for e in &events {
        while let Some((top, children, item)) = stack.pop() {
            if top.1 > e.0 && top.4 == e.4 {
                stack.push((top, children, item));
                break;
            }
            close(top, children, &item);
        }
        if let Some(top) = stack.last_mut() {
            top.1 += e.1.duration_since(e.0).unwrap_or_default();
        }
        // An event without an item path works for its caller's item.
        let item = if e.3.contains("::") {
            e.3.clone()
        } else {
            stack.last().map(|t| t.2.clone()).unwrap_or_default()
        };
        stack.push((e, Duration::ZERO, item));
    }
    while let Some((top, children, item)) = stack.pop() {
        close(top, children, &item);
    }
    print("by query", by_label, 20);
    let items = std::env::args()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    print("by item", by_item, items);
}

fn print(title: &str, map: HashMap<String, Duration>, n: usize) {
    let total: f64 = map.values().map(Duration::as_secs_f64).sum();
    let mut v: Vec<_> = map.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    println!("{title} (self time, s; {total:.1} s in all)");
    for (name, d) in v.into_iter().take(n) {
        let name = if name.is_empty() {
            "(no item)".to_owned()
        } else {
            name
        };
        println!(
            "{:9.3}  {}",
            d.as_secs_f64(),
            name.chars().take(150).collect::<String>()
        );
    }
    println!();
}
