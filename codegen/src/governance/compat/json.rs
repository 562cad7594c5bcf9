//! JSON Schema as a schema-subset check: is every instance valid under the
//! writer's schema valid under the reader's? Each reason it is not is named
//! with the registry's change kinds (types and type unions, combined schemas,
//! `not`, properties under open / closed / partially open content models,
//! required, enum, const, validation keywords, items / additionalItems /
//! prefixItems, contains, dependencies, `if`/`then`/`else`, `propertyNames`,
//! `unevaluatedProperties` / `unevaluatedItems`, `patternProperties`).
//! `$ref`s are already inlined by the loader (a recursive one is `{}`, which
//! accepts anything).
//!
//! Approximations, each on the safe side (a change may be reported that no
//! record shows, never the other way round): `unevaluated*` is read as
//! `additional*` of the schema after `allOf` is folded in, so properties
//! evaluated only inside a conditional or an `anyOf`/`oneOf` branch are not
//! seen; two `if` schemas are compared as written; two `patternProperties`
//! patterns are related only when both are literal prefixes (`^x-`, `^x-a`) or
//! the same text, otherwise they are treated as unrelated names.

use serde_json::{Map, Value};

use super::{Direction, Finding, Side, Sink};

/// Findings for one direction (BACKWARD: new reads old).
pub fn compare(old: &Value, new: &Value, dir: Direction) -> Vec<Finding> {
    let (reader, writer) = match dir {
        Direction::Backward => (new, old),
        Direction::Forward => (old, new),
    };
    let mut s = Sink::new(dir);
    cmp(&mut s, reader, writer, "", 0);
    s.out
}

const MAX_DEPTH: usize = 64;

/// Silent subset check.
fn subset(dir: Direction, r: &Value, w: &Value, depth: usize) -> bool {
    let mut s = Sink::new(dir);
    cmp(&mut s, r, w, "", depth);
    s.out.iter().all(|f| f.hazard)
}

const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "default",
    "examples",
    "$comment",
    "$schema",
    "$id",
    "$anchor",
    "readOnly",
    "writeOnly",
    "deprecated",
    "format",
    "contentMediaType",
    "contentEncoding",
];

/// A schema as an object (`true` is `{}`); `None` for `false`.
fn obj(v: &Value) -> Option<Map<String, Value>> {
    match v {
        Value::Bool(true) => Some(Map::new()),
        Value::Object(o) => Some(o.clone()),
        _ => None,
    }
}

/// Accepts everything (no constraining keyword).
fn trivial(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Object(o) => o
            .keys()
            .all(|k| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-")),
        _ => false,
    }
}

/// Fold singleton combinators (and `allOf` when `fold_all`) into the parent
/// where no keyword clashes.
fn normalize(v: &Value, fold_all: bool) -> Value {
    let Some(mut o) = obj(v) else {
        return v.clone();
    };
    for key in ["allOf", "anyOf", "oneOf"] {
        let Some(Value::Array(parts)) = o.get(key).cloned() else {
            continue;
        };
        if parts.len() != 1 && !(key == "allOf" && fold_all) {
            continue;
        }
        let mut merged = o.clone();
        merged.remove(key);
        let mut ok = true;
        for p in &parts {
            let Some(po) = obj(&normalize(p, fold_all)) else {
                ok = false;
                break;
            };
            for (k, val) in po {
                match merged.get(&k) {
                    Some(have) if *have != val && !ANNOTATIONS.contains(&k.as_str()) => {
                        match conjoin(&k, have, &val) {
                            Some(v) => {
                                merged.insert(k, v);
                            }
                            None => ok = false,
                        }
                    }
                    _ => {
                        merged.insert(k, val);
                    }
                }
            }
        }
        if ok {
            o = merged;
        }
    }
    Value::Object(o)
}

/// Two values of keyword `k` in one conjunction, as one value where that is
/// exact: property maps with no name in common, `required` lists.
fn conjoin(k: &str, a: &Value, b: &Value) -> Option<Value> {
    match (k, a, b) {
        (
            "properties" | "patternProperties" | "dependentSchemas",
            Value::Object(x),
            Value::Object(y),
        ) if x.keys().all(|n| !y.contains_key(n) || x.get(n) == y.get(n)) => {
            let mut m = x.clone();
            m.extend(y.iter().map(|(n, v)| (n.clone(), v.clone())));
            Some(Value::Object(m))
        }
        ("required", Value::Array(x), Value::Array(y)) => {
            let mut v = x.clone();
            v.extend(y.iter().filter(|n| !x.contains(n)).cloned());
            Some(Value::Array(v))
        }
        _ => None,
    }
}

/// JSON types a schema allows; `None` when unconstrained.
fn types(o: &Map<String, Value>) -> Option<Vec<String>> {
    match o.get("type") {
        Some(Value::String(t)) => Some(vec![t.clone()]),
        Some(Value::Array(ts)) => Some(
            ts.iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect(),
        ),
        _ => None,
    }
}

/// Does type set `r` accept JSON type `t` (integer is a number)?
fn accepts(r: &[String], t: &str) -> bool {
    r.iter()
        .any(|x| x == t || (x == "number" && t == "integer"))
}

/// May the schema hold a value of JSON type `t`?
fn may_be(o: &Map<String, Value>, t: &str) -> bool {
    match types(o) {
        None => true,
        Some(ts) => ts.iter().any(|x| {
            x == t || (t == "number" && x == "integer") || (t == "integer" && x == "number")
        }),
    }
}

fn ptr(path: &str, seg: &str) -> String {
    format!("{path}/{}", seg.replace('~', "~0").replace('/', "~1"))
}

fn num(o: &Map<String, Value>, k: &str) -> Option<f64> {
    o.get(k).and_then(Value::as_f64)
}

fn show(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn msg(s: &Sink, what: &str) -> String {
    let (role_r, role_w) = s.dir.roles();
    format!("{what}: {role_w} may not be valid under {role_r}")
}

/// The combining keyword and its subschemas.
fn combinator(o: &Map<String, Value>) -> Option<(&'static str, Vec<Value>)> {
    for k in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(parts)) = o.get(k) {
            return Some((k, parts.clone()));
        }
    }
    None
}

/// oneOf over branches whose types cannot overlap is anyOf.
fn effective(kind: &'static str, parts: &[Value]) -> &'static str {
    if kind != "oneOf" {
        return kind;
    }
    let sets: Vec<Option<Vec<String>>> = parts
        .iter()
        .map(|p| obj(p).and_then(|o| types(&o)))
        .collect();
    let disjoint = sets.iter().enumerate().all(|(i, a)| {
        sets.iter().skip(i + 1).all(|b| match (a, b) {
            (Some(a), Some(b)) => !a
                .iter()
                .any(|t| accepts(b, t) || b.iter().any(|u| accepts(std::slice::from_ref(t), u))),
            _ => false,
        })
    });
    if disjoint { "anyOf" } else { "oneOf" }
}

fn same_set(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

fn without(o: &Map<String, Value>, k: &str) -> Map<String, Value> {
    let mut o = o.clone();
    o.remove(k);
    o
}

/// `branch` with the keywords of its parent merged in.
fn with_parent(parent: &Map<String, Value>, branch: &Value) -> Value {
    let Some(mut b) = obj(branch) else {
        return branch.clone();
    };
    for (k, v) in parent {
        b.entry(k.clone()).or_insert_with(|| v.clone());
    }
    Value::Object(b)
}

fn types_overlap(a: &Value, b: &Value) -> bool {
    match (
        obj(a).and_then(|o| types(&o)),
        obj(b).and_then(|o| types(&o)),
    ) {
        (Some(x), Some(y)) => x.iter().any(|t| {
            accepts(&y, t)
                || accepts(
                    std::slice::from_ref(t),
                    y.first().map_or("", String::as_str),
                )
        }),
        _ => true,
    }
}

fn cmp(s: &mut Sink, r: &Value, w: &Value, path: &str, depth: usize) {
    if depth > MAX_DEPTH || trivial(r) || matches!(w, Value::Bool(false)) {
        return;
    }
    let (Some(ro0), Some(wo0)) = (obj(r), obj(w)) else {
        // The reader is `false` and the writer writes something.
        let rule = s.by_dir("json-type-narrowed", "json-type-widened");
        let m = msg(s, "one version accepts no value at all");
        s.brk(rule, path, None, s.reader_side(), m);
        return;
    };
    // `unevaluated*` sees through `allOf`, so fold it whenever it is there.
    let uneval = |o: &Map<String, Value>| {
        o.contains_key("unevaluatedProperties") || o.contains_key("unevaluatedItems")
    };
    let fold =
        !(combinator(&ro0).is_some() && combinator(&wo0).is_some()) || uneval(&ro0) || uneval(&wo0);
    let (r, w) = (normalize(r, fold), normalize(w, fold));
    let (Some(ro), Some(wo)) = (obj(&r), obj(&w)) else {
        return;
    };
    let rc = combinator(&ro);
    let wc = combinator(&wo);
    match (rc, wc) {
        (Some((rk, rp)), Some((wk, wp))) => {
            let kws = (Some(rk), Some(wk));
            let (rk, wk) = (effective(rk, &rp), effective(wk, &wp));
            if rk != wk && same_set(&rp, &wp) {
                let rule = match (wk, rk) {
                    ("anyOf", _) => Some(s.by_dir(
                        "json-combined-criterion-tightened",
                        "json-combined-criterion-relaxed",
                    )),
                    (_, "anyOf") => None,
                    _ => Some("json-combined-criterion-changed"),
                };
                if let Some(rule) = rule {
                    let m = msg(
                        s,
                        &format!(
                            "the combining keyword over the same subschemas is `{wk}` for the writer and `{rk}` for the reader"
                        ),
                    );
                    s.brk(rule, path, Some(rk), s.reader_side(), m);
                }
            } else if rk == "allOf" && wk == "allOf" {
                for (i, c) in rp.iter().enumerate() {
                    let implied = wp.iter().any(|x| subset(s.dir, c, x, depth + 1))
                        || subset(s.dir, c, &Value::Object(without(&wo, "allOf")), depth + 1);
                    if !implied {
                        let rule = s.by_dir(
                            "json-product-subschema-added",
                            "json-product-subschema-removed",
                        );
                        let m = msg(
                            s,
                            &format!("the reader's `allOf` requires {} as well", show(c)),
                        );
                        s.brk(
                            rule,
                            &ptr(&ptr(path, "allOf"), &i.to_string()),
                            Some("allOf"),
                            s.reader_side(),
                            m,
                        );
                    }
                }
            } else if rk != "allOf" && wk != "allOf" {
                sum(s, &rp, &wp, path, depth, false, kws);
            } else if rk == "allOf" {
                // Reader conjunction, writer sum: every writer branch must meet every conjunct.
                for c in &rp {
                    for b in &wp {
                        cmp(s, c, &with_parent(&without(&wo, wk), b), path, depth + 1);
                    }
                }
            } else {
                // Reader sum, writer conjunction: fold the writer.
                let folded = normalize(&w, true);
                if let Some(fo) = obj(&folded)
                    && combinator(&fo).is_none()
                {
                    sum(s, &rp, &[folded], path, depth, true, kws);
                }
            }
            let (rk0, wk0) = (combinator(&ro).map(|c| c.0), combinator(&wo).map(|c| c.0));
            let (ro2, wo2) = (
                without(&ro, rk0.unwrap_or("")),
                without(&wo, wk0.unwrap_or("")),
            );
            keywords(s, &ro2, &wo2, path, depth);
            return;
        }
        (Some((rk, rp)), None) if rk != "allOf" => {
            let parent = without(&ro, rk);
            let branches: Vec<Value> = rp.iter().map(|b| with_parent(&parent, b)).collect();
            sum(
                s,
                &branches,
                std::slice::from_ref(&w),
                path,
                depth,
                true,
                (Some(rk), None),
            );
            return;
        }
        (None, Some((wk, wp))) if wk != "allOf" => {
            let parent = without(&wo, wk);
            let branches: Vec<Value> = wp.iter().map(|b| with_parent(&parent, b)).collect();
            sum(
                s,
                std::slice::from_ref(&r),
                &branches,
                path,
                depth,
                false,
                (None, Some(wk)),
            );
            return;
        }
        (Some(("allOf", rp)), None) => {
            for c in &rp {
                cmp(s, c, &w, path, depth + 1);
            }
            keywords(s, &without(&ro, "allOf"), &wo, path, depth);
            return;
        }
        (None, Some(("allOf", wp))) => {
            // A writer conjunction that would not fold: the reader must accept
            // what any one conjunct together with the rest allows (sound
            // enough for a conjunction of compatible parts).
            let folded = Value::Object(without(&wo, "allOf"));
            let mut best: Option<Vec<Finding>> = None;
            for c in wp.iter().chain(std::iter::once(&folded)) {
                let mut t = Sink::new(s.dir);
                cmp(
                    &mut t,
                    &r,
                    &with_parent(&without(&wo, "allOf"), c),
                    path,
                    depth + 1,
                );
                if best.as_ref().is_none_or(|b| t.out.len() < b.len()) {
                    best = Some(t.out);
                }
            }
            s.out.extend(best.unwrap_or_default());
            return;
        }
        _ => {}
    }
    keywords(s, &ro, &wo, path, depth);
}

/// Writer branches each covered by a reader branch. `reader_is_sum` says
/// which side carried the sum (for the rule name when no branch fits);
/// `kws` are the (reader, writer) combining keywords, anchors for findings.
fn sum(
    s: &mut Sink,
    rp: &[Value],
    wp: &[Value],
    path: &str,
    depth: usize,
    reader_is_sum: bool,
    (rkw, wkw): (Option<&str>, Option<&str>),
) {
    for (i, wb) in wp.iter().enumerate() {
        if rp.iter().any(|rb| subset(s.dir, rb, wb, depth + 1)) {
            continue;
        }
        if let Some(rb) = rp.iter().find(|rb| types_overlap(rb, wb)) {
            cmp(s, rb, wb, path, depth + 1);
            continue;
        }
        if reader_is_sum && wp.len() == 1 {
            let m = msg(s, &format!("no subschema accepts {}", show(wb)));
            s.brk("json-type-changed", path, rkw, s.reader_side(), m);
        } else {
            let rule = s.by_dir("json-sum-branch-removed", "json-sum-branch-added");
            let m = msg(
                s,
                &format!(
                    "the writer's subschema {} is matched by no subschema of the reader",
                    show(wb)
                ),
            );
            let at = if wp.len() > 1 {
                ptr(path, &i.to_string())
            } else {
                path.to_owned()
            };
            s.brk(rule, &at, wkw, s.writer_side(), m);
        }
    }
}

/// Keywords other than the combinators.
fn keywords(
    s: &mut Sink,
    ro: &Map<String, Value>,
    wo: &Map<String, Value>,
    path: &str,
    depth: usize,
) {
    // not
    match (ro.get("not"), wo.get("not")) {
        (Some(rn), None) if !matches!(rn, Value::Bool(false)) => {
            let rule = s.by_dir("json-not-added", "json-not-removed");
            let m = msg(
                s,
                &format!("the reader rejects values matching {}", show(rn)),
            );
            s.brk(rule, &ptr(path, "not"), Some("not"), s.reader_side(), m);
        }
        // Reader excludes rn, writer excludes wn: fine when rn ⊆ wn.
        (Some(rn), Some(wn)) if !subset(s.dir, wn, rn, depth + 1) => {
            let rule = s.by_dir("json-not-excludes-more", "json-not-excludes-less");
            let m = msg(
                s,
                &format!(
                    "the reader excludes {} and the writer only {}",
                    show(rn),
                    show(wn)
                ),
            );
            s.brk(rule, &ptr(path, "not"), Some("not"), s.reader_side(), m);
        }
        _ => {}
    }
    conditional(s, ro, wo, path, depth);
    // format (annotation by default: a hazard)
    if ro.get("format") != wo.get("format")
        && (ro.contains_key("format") || wo.contains_key("format"))
    {
        let m = format!(
            "`format` at `{}` differs ({} / {}): validators that assert formats may reject records",
            if path.is_empty() { "/" } else { path },
            wo.get("format").map_or("none".into(), show),
            ro.get("format").map_or("none".into(), show)
        );
        s.hazard(
            "json-format-changed",
            &ptr(path, "format"),
            Some("format"),
            Side::New,
            m,
        );
    }
    // types
    let (rt, wt) = (types(ro), types(wo));
    if let Some(rt) = &rt {
        let missing: Vec<String> = match &wt {
            Some(wt) => wt.iter().filter(|t| !accepts(rt, t)).cloned().collect(),
            None => vec!["any".into()],
        };
        if !missing.is_empty() {
            // Reader strictly narrower: every reader type is a writer type.
            let narrower = match &wt {
                Some(wt) => rt.iter().all(|t| accepts(wt, t)),
                None => true,
            };
            let rule = if narrower {
                s.by_dir("json-type-narrowed", "json-type-widened")
            } else {
                "json-type-changed"
            };
            let m = msg(
                s,
                &format!(
                    "the writer allows {} and the reader only {}",
                    wt.as_ref().map_or("any type".into(), |w| w.join(", ")),
                    rt.join(", ")
                ),
            );
            s.brk(rule, &ptr(path, "type"), Some("type"), s.reader_side(), m);
            if !narrower {
                return;
            }
        }
    }
    // enum / const
    let renum = ro.get("enum").and_then(Value::as_array);
    let wvals: Option<Vec<Value>> =
        match (wo.get("const"), wo.get("enum").and_then(Value::as_array)) {
            (Some(c), _) => Some(vec![c.clone()]),
            (None, Some(e)) => Some(e.clone()),
            _ => None,
        };
    if let Some(re) = renum {
        match (&wvals, wo.get("enum")) {
            (Some(wv), Some(_)) => {
                let lost: Vec<String> = wv.iter().filter(|v| !re.contains(v)).map(show).collect();
                if !lost.is_empty() {
                    let rule = s.by_dir("json-enum-value-removed", "json-enum-value-added");
                    let m = msg(
                        s,
                        &format!(
                            "the writer may hold {}, which the reader's `enum` does not list",
                            lost.join(", ")
                        ),
                    );
                    s.brk(rule, &ptr(path, "enum"), Some("enum"), s.reader_side(), m);
                }
            }
            (Some(wv), None) => {
                if !wv.iter().all(|v| re.contains(v)) {
                    let rule = s.by_dir("json-enum-added", "json-enum-removed");
                    let m = msg(s, "the reader restricts values to an `enum`");
                    s.brk(rule, &ptr(path, "enum"), Some("enum"), s.reader_side(), m);
                }
            }
            (None, _) => {
                let rule = s.by_dir("json-enum-added", "json-enum-removed");
                let m = msg(
                    s,
                    &format!(
                        "the reader accepts only {}",
                        show(&Value::Array(re.clone()))
                    ),
                );
                s.brk(rule, &ptr(path, "enum"), Some("enum"), s.reader_side(), m);
            }
        }
    }
    if let Some(rc) = ro.get("const") {
        match (wo.get("const"), &wvals) {
            (Some(wc), _) if wc != rc => {
                let m = msg(
                    s,
                    &format!(
                        "the constant is {} for the writer and {} for the reader",
                        show(wc),
                        show(rc)
                    ),
                );
                s.brk(
                    "json-const-changed",
                    &ptr(path, "const"),
                    Some("const"),
                    s.reader_side(),
                    m,
                );
            }
            (Some(_), _) => {}
            (None, Some(wv)) if wv.iter().all(|v| v == rc) => {}
            (None, _) => {
                let rule = s.by_dir("json-const-added", "json-const-removed");
                let m = msg(s, &format!("the reader accepts only {}", show(rc)));
                s.brk(rule, &ptr(path, "const"), Some("const"), s.reader_side(), m);
            }
        }
    }
    if may_be(wo, "string") && may_be(ro, "string") {
        upper(
            s,
            ro,
            wo,
            path,
            "maxLength",
            [
                "json-max-length-added",
                "json-max-length-removed",
                "json-max-length-decreased",
                "json-max-length-increased",
            ],
        );
        lower(
            s,
            ro,
            wo,
            path,
            "minLength",
            [
                "json-min-length-added",
                "json-min-length-removed",
                "json-min-length-increased",
                "json-min-length-decreased",
            ],
        );
        match (ro.get("pattern"), wo.get("pattern")) {
            (Some(rp), None) => {
                let rule = s.by_dir("json-pattern-added", "json-pattern-removed");
                let m = msg(
                    s,
                    &format!("the reader requires strings to match {}", show(rp)),
                );
                s.brk(
                    rule,
                    &ptr(path, "pattern"),
                    Some("pattern"),
                    s.reader_side(),
                    m,
                );
            }
            (Some(rp), Some(wp)) if rp != wp => {
                let m = msg(
                    s,
                    &format!(
                        "the pattern is {} for the writer and {} for the reader (patterns are compared as written)",
                        show(wp),
                        show(rp)
                    ),
                );
                s.brk(
                    "json-pattern-changed",
                    &ptr(path, "pattern"),
                    Some("pattern"),
                    s.reader_side(),
                    m,
                );
            }
            _ => {}
        }
    }
    if may_be(wo, "number") && may_be(ro, "number") {
        upper(
            s,
            ro,
            wo,
            path,
            "maximum",
            [
                "json-maximum-added",
                "json-maximum-removed",
                "json-maximum-decreased",
                "json-maximum-increased",
            ],
        );
        upper(
            s,
            ro,
            wo,
            path,
            "exclusiveMaximum",
            [
                "json-exclusive-maximum-added",
                "json-exclusive-maximum-removed",
                "json-exclusive-maximum-decreased",
                "json-exclusive-maximum-increased",
            ],
        );
        lower(
            s,
            ro,
            wo,
            path,
            "minimum",
            [
                "json-minimum-added",
                "json-minimum-removed",
                "json-minimum-increased",
                "json-minimum-decreased",
            ],
        );
        lower(
            s,
            ro,
            wo,
            path,
            "exclusiveMinimum",
            [
                "json-exclusive-minimum-added",
                "json-exclusive-minimum-removed",
                "json-exclusive-minimum-increased",
                "json-exclusive-minimum-decreased",
            ],
        );
        match (num(ro, "multipleOf"), num(wo, "multipleOf")) {
            (Some(r), None)
                if r != 1.0 || !matches!(types(wo).as_deref(), Some([t]) if t == "integer") =>
            {
                let rule = s.by_dir("json-multiple-of-added", "json-multiple-of-removed");
                let m = msg(s, &format!("the reader requires multiples of {r}"));
                s.brk(
                    rule,
                    &ptr(path, "multipleOf"),
                    Some("multipleOf"),
                    s.reader_side(),
                    m,
                );
            }
            (Some(r), Some(w)) if r > 0.0 && w > 0.0 && !is_multiple(w, r) => {
                let rule = if is_multiple(r, w) {
                    s.by_dir("json-multiple-of-narrowed", "json-multiple-of-widened")
                } else {
                    "json-multiple-of-changed"
                };
                let m = msg(
                    s,
                    &format!("`multipleOf` is {w} for the writer and {r} for the reader"),
                );
                s.brk(
                    rule,
                    &ptr(path, "multipleOf"),
                    Some("multipleOf"),
                    s.reader_side(),
                    m,
                );
            }
            _ => {}
        }
    }
    if may_be(wo, "array") && may_be(ro, "array") {
        upper(
            s,
            ro,
            wo,
            path,
            "maxItems",
            [
                "json-max-items-added",
                "json-max-items-removed",
                "json-max-items-decreased",
                "json-max-items-increased",
            ],
        );
        lower(
            s,
            ro,
            wo,
            path,
            "minItems",
            [
                "json-min-items-added",
                "json-min-items-removed",
                "json-min-items-increased",
                "json-min-items-decreased",
            ],
        );
        if ro.get("uniqueItems") == Some(&Value::Bool(true))
            && wo.get("uniqueItems") != Some(&Value::Bool(true))
        {
            let rule = s.by_dir("json-unique-items-added", "json-unique-items-removed");
            let m = msg(s, "the reader requires unique items");
            s.brk(
                rule,
                &ptr(path, "uniqueItems"),
                Some("uniqueItems"),
                s.reader_side(),
                m,
            );
        }
        items(s, ro, wo, path, depth);
        contains(s, ro, wo, path, depth);
    }
    if may_be(wo, "object") && may_be(ro, "object") {
        upper(
            s,
            ro,
            wo,
            path,
            "maxProperties",
            [
                "json-max-properties-added",
                "json-max-properties-removed",
                "json-max-properties-decreased",
                "json-max-properties-increased",
            ],
        );
        lower(
            s,
            ro,
            wo,
            path,
            "minProperties",
            [
                "json-min-properties-added",
                "json-min-properties-removed",
                "json-min-properties-increased",
                "json-min-properties-decreased",
            ],
        );
        object(s, ro, wo, path, depth);
    }
}

fn is_multiple(a: f64, b: f64) -> bool {
    let q = a / b;
    (q - q.round()).abs() < 1e-9
}

/// An upper bound: [added, removed, decreased, increased] as seen from
/// old to new.
fn upper(
    s: &mut Sink,
    ro: &Map<String, Value>,
    wo: &Map<String, Value>,
    path: &str,
    k: &str,
    rules: [&'static str; 4],
) {
    bound(s, ro, wo, path, k, rules, true);
}

/// A lower bound: [added, removed, increased, decreased].
fn lower(
    s: &mut Sink,
    ro: &Map<String, Value>,
    wo: &Map<String, Value>,
    path: &str,
    k: &str,
    rules: [&'static str; 4],
) {
    bound(s, ro, wo, path, k, rules, false);
}

fn bound(
    s: &mut Sink,
    ro: &Map<String, Value>,
    wo: &Map<String, Value>,
    path: &str,
    k: &str,
    [added, removed, tightened, relaxed]: [&'static str; 4],
    upper: bool,
) {
    let Some(r) = num(ro, k) else {
        return;
    };
    let (rule, what) = match num(wo, k) {
        None => (
            s.by_dir(added, removed),
            format!("the reader has `{k}: {r}` and the writer none"),
        ),
        Some(w) if (upper && r < w) || (!upper && r > w) => (
            s.by_dir(tightened, relaxed),
            format!("`{k}` is {w} for the writer and {r} for the reader"),
        ),
        Some(_) => return,
    };
    let m = msg(s, &what);
    s.brk(rule, &ptr(path, k), Some(k), s.reader_side(), m);
}

/// The schema for array items no positional schema covers: `primary`
/// (`additionalItems`, or `items` after `prefixItems`), else
/// `unevaluatedItems`; with the keyword it comes from. `None`: unconstrained.
fn rest_items(o: &Map<String, Value>, primary: &'static str) -> Option<(&'static str, Value)> {
    match (o.get(primary), o.get("unevaluatedItems")) {
        (Some(v), _) => (!trivial(v)).then(|| (primary, v.clone())),
        (None, Some(v)) => (!trivial(v)).then(|| ("unevaluatedItems", v.clone())),
        (None, None) => None,
    }
}

/// Positional items and the rest (see [`rest_items`]).
type Tuple = (Vec<Value>, Option<(&'static str, Value)>);

fn tuple(o: &Map<String, Value>) -> Option<Tuple> {
    if let Some(Value::Array(p)) = o.get("prefixItems") {
        return Some((p.clone(), rest_items(o, "items")));
    }
    if let Some(Value::Array(p)) = o.get("items") {
        return Some((p.clone(), rest_items(o, "additionalItems")));
    }
    None
}

fn items(s: &mut Sink, ro: &Map<String, Value>, wo: &Map<String, Value>, path: &str, depth: usize) {
    let (rt, wt) = (tuple(ro), tuple(wo));
    let single = |o: &Map<String, Value>| (Vec::new(), rest_items(o, "items"));
    if rt.is_none() && wt.is_none() {
        match (single(ro).1, single(wo).1) {
            (Some((rk, ri)), Some((_, wi))) => cmp(s, &ri, &wi, &ptr(path, rk), depth + 1),
            (Some((rk, _)), None) => {
                let rule = if rk == "unevaluatedItems" {
                    s.by_dir(
                        "json-unevaluated-items-narrowed",
                        "json-unevaluated-items-widened",
                    )
                } else {
                    s.by_dir("json-items-added", "json-items-removed")
                };
                let m = msg(
                    s,
                    &format!(
                        "the reader constrains the array's items (`{rk}`) and the writer does not"
                    ),
                );
                s.brk(rule, &ptr(path, rk), Some(rk), s.reader_side(), m);
            }
            _ => {}
        }
        return;
    }
    let (rp, rrest) = rt.unwrap_or_else(|| single(ro));
    let (wp, wrest) = wt.unwrap_or_else(|| single(wo));
    let (rrest_kw, rrest) = match rrest {
        Some((k, v)) => (Some(k), Some(v)),
        None => (None, None),
    };
    let wrest = wrest.map(|(_, v)| v);
    let kw = if ro.contains_key("prefixItems") {
        "prefixItems"
    } else {
        "items"
    };
    for i in 0..rp.len().max(wp.len()) {
        let at = ptr(&ptr(path, kw), &i.to_string());
        match (rp.get(i), wp.get(i)) {
            (Some(r), Some(w)) => cmp(s, r, w, &at, depth + 1),
            (Some(r), None) => match &wrest {
                None if !trivial(r) => {
                    let rule = s.by_dir(
                        "json-tuple-item-added-open-model",
                        "json-tuple-item-removed-open-model",
                    );
                    let m = msg(
                        s,
                        &format!(
                            "the reader constrains item {i}, which the writer leaves unconstrained"
                        ),
                    );
                    s.brk(rule, &at, Some(kw), s.reader_side(), m);
                }
                None | Some(Value::Bool(false)) => {}
                Some(w) => cmp(s, r, w, &at, depth + 1),
            },
            (None, Some(w)) => match &rrest {
                Some(Value::Bool(false)) => {
                    let rule = s.by_dir(
                        "json-tuple-item-removed-closed-model",
                        "json-tuple-item-added-closed-model",
                    );
                    let m = msg(
                        s,
                        &format!(
                            "the writer may have an item {i}, and the reader allows no items after its {}",
                            rp.len()
                        ),
                    );
                    s.brk(rule, &at, Some(kw), s.writer_side(), m);
                }
                None => {}
                Some(r) => cmp(s, r, w, &at, depth + 1),
            },
            (None, None) => {}
        }
    }
    let rest_kw = rrest_kw.unwrap_or(if ro.contains_key("prefixItems") {
        "items"
    } else {
        "additionalItems"
    });
    match (&rrest, &wrest) {
        (None, _) | (_, Some(Value::Bool(false))) => {}
        (Some(r), w) => {
            let narrowed = match w {
                None => true,
                Some(w) => {
                    matches!(r, Value::Bool(false)) || {
                        cmp(s, r, w, &ptr(path, rest_kw), depth + 1);
                        false
                    }
                }
            };
            if narrowed {
                let rule = if rest_kw == "unevaluatedItems" {
                    s.by_dir(
                        "json-unevaluated-items-narrowed",
                        "json-unevaluated-items-widened",
                    )
                } else {
                    s.by_dir(
                        "json-additional-items-narrowed",
                        "json-additional-items-widened",
                    )
                };
                let m = msg(
                    s,
                    &format!(
                        "items after the positional ones are constrained by the reader ({}) more than by the writer",
                        show(r)
                    ),
                );
                s.brk(rule, &ptr(path, rest_kw), Some(rest_kw), s.reader_side(), m);
            }
        }
    }
}

fn props(o: &Map<String, Value>) -> Map<String, Value> {
    o.get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn required(o: &Map<String, Value>) -> Vec<String> {
    o.get("required")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The schema for undeclared property names and the keyword it comes from:
/// `additionalProperties`, else `unevaluatedProperties` (the same thing once
/// `allOf` is folded in); `None` when absent or `true` (open).
fn rest_props(o: &Map<String, Value>) -> Option<(&'static str, Value)> {
    match (
        o.get("additionalProperties"),
        o.get("unevaluatedProperties"),
    ) {
        (Some(v), _) => (!trivial(v)).then(|| ("additionalProperties", v.clone())),
        (None, Some(v)) => (!trivial(v)).then(|| ("unevaluatedProperties", v.clone())),
        (None, None) => None,
    }
}

/// `patternProperties` as (pattern, schema) pairs.
fn pattern_props(o: &Map<String, Value>) -> Vec<(String, Value)> {
    o.get("patternProperties")
        .and_then(Value::as_object)
        .map(|pp| pp.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// The schema an undeclared property name falls under: a pattern property,
/// else additionalProperties / unevaluatedProperties (`None`: open).
fn cover(o: &Map<String, Value>, name: &str) -> Option<Value> {
    for (pat, sch) in pattern_props(o) {
        if matches(&pat, name) {
            return Some(sch);
        }
    }
    rest_props(o).map(|(_, v)| v)
}

/// Does `pat` match somewhere in `name`? JSON Schema patterns are ECMA-262
/// regexes that are not anchored implicitly, and the registry searches with
/// them the same way (`Matcher.find`). A pattern the `regex` crate does not
/// take (look-around, back-references) is assumed to match.
fn matches(pat: &str, name: &str) -> bool {
    thread_local! {
        // Patterns recur across properties and versions: compile each once.
        static COMPILED: std::cell::RefCell<std::collections::HashMap<String, Option<regex::Regex>>> =
            std::cell::RefCell::default();
    }
    COMPILED.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 4096 {
            c.clear();
        }
        c.entry(pat.to_owned())
            .or_insert_with(|| regex::Regex::new(pat).ok())
            .as_ref()
            .is_none_or(|re| re.is_match(name))
    })
}

/// A pattern that is a literal: `^lit$` (exactly), `^lit` or `^lit.*`
/// (a prefix), `lit` (contained).
#[derive(Clone, Debug, PartialEq)]
enum Literal {
    Exact(String),
    Prefix(String),
    Contains(String),
}

fn literal(pat: &str) -> Option<Literal> {
    let (anchored, rest) = match pat.strip_prefix('^') {
        Some(r) => (true, r),
        None => (false, pat),
    };
    let (rest, exact) = match rest.strip_suffix('$') {
        Some(r) => (r, true),
        None => (rest.strip_suffix(".*").unwrap_or(rest), false),
    };
    let mut lit = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e) if !e.is_alphanumeric() => lit.push(e),
                _ => return None,
            },
            c if c.is_alphanumeric() || "-_:@/ ".contains(c) => lit.push(c),
            _ => return None,
        }
    }
    Some(match (anchored, exact) {
        (true, true) => Literal::Exact(lit),
        (true, false) => Literal::Prefix(lit),
        (false, _) => Literal::Contains(lit),
    })
}

/// Does every name `a` matches also match `b`? `false` when unknown.
fn within(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (Some(la), Some(lb)) = (literal(a), literal(b)) else {
        return matches!(literal(a), Some(Literal::Exact(x)) if matches(b, &x));
    };
    match (la, lb) {
        (Literal::Exact(x), _) => matches(b, &x),
        (Literal::Prefix(x), Literal::Prefix(y)) => x.starts_with(&y),
        (Literal::Prefix(x) | Literal::Contains(x), Literal::Contains(y)) => x.contains(&y),
        _ => false,
    }
}

/// Can no name match both `a` and `b`? `false` when unknown.
fn disjoint(a: &str, b: &str) -> bool {
    match (literal(a), literal(b)) {
        (Some(Literal::Exact(x)), _) => !matches(b, &x),
        (_, Some(Literal::Exact(y))) => !matches(a, &y),
        (Some(Literal::Prefix(x)), Some(Literal::Prefix(y))) => {
            !x.starts_with(&y) && !y.starts_with(&x)
        }
        _ => false,
    }
}

fn object(
    s: &mut Sink,
    ro: &Map<String, Value>,
    wo: &Map<String, Value>,
    path: &str,
    depth: usize,
) {
    let (rp, wp) = (props(ro), props(wo));
    let mut names: Vec<&String> = rp.keys().collect();
    names.extend(wp.keys().filter(|k| !rp.contains_key(*k)));
    for n in names {
        let at = ptr(&ptr(path, "properties"), n);
        match (rp.get(n), wp.get(n)) {
            (Some(r), Some(w)) => cmp(s, r, w, &at, depth + 1),
            (Some(r), None) => match cover(wo, n) {
                Some(Value::Bool(false)) => {}
                Some(w) => cmp(s, r, &w, &at, depth + 1),
                None if trivial(r) => {}
                None => {
                    let rule = s.by_dir(
                        "json-property-added-open-model",
                        "json-property-removed-open-model",
                    );
                    let m = msg(
                        s,
                        &format!(
                            "the reader constrains property `{n}`, which the writer's open content model lets hold any value"
                        ),
                    );
                    s.brk(rule, &at, Some(n), s.reader_side(), m);
                }
            },
            (None, Some(w)) => match cover(ro, n) {
                Some(Value::Bool(false)) if !matches!(w, Value::Bool(false)) => {
                    let rule = s.by_dir(
                        "json-property-removed-closed-model",
                        "json-property-added-closed-model",
                    );
                    let m = msg(
                        s,
                        &format!(
                            "the writer may carry property `{n}` and the reader's closed content model allows no undeclared property"
                        ),
                    );
                    s.brk(rule, &at, Some(n), s.writer_side(), m);
                }
                Some(r) => cmp(s, &r, w, &at, depth + 1),
                None => {}
            },
            (None, None) => {}
        }
    }
    let wreq = required(wo);
    for n in required(ro) {
        if wreq.contains(&n) {
            continue;
        }
        let has_default = rp
            .get(&n)
            .and_then(Value::as_object)
            .is_some_and(|p| p.contains_key("default"));
        if has_default && s.dir == Direction::Backward && !wp.contains_key(&n) {
            // The registry accepts a new required property with a default.
            continue;
        }
        let rule = s.by_dir("json-required-added", "json-required-removed");
        let m = msg(
            s,
            &format!("the reader requires property `{n}` and the writer does not"),
        );
        s.brk(
            rule,
            &ptr(&ptr(path, "properties"), &n),
            Some(&n),
            s.reader_side(),
            m,
        );
    }
    // Undeclared names: additionalProperties / unevaluatedProperties.
    match (rest_props(ro), rest_props(wo)) {
        (None, _) | (_, Some((_, Value::Bool(false)))) => {}
        (Some((rk, r)), Some((_, w))) if !matches!(r, Value::Bool(false)) => {
            cmp(s, &r, &w, &ptr(path, rk), depth + 1);
        }
        (Some((rk, r)), _) => {
            let rule = if rk == "unevaluatedProperties" {
                s.by_dir(
                    "json-unevaluated-properties-narrowed",
                    "json-unevaluated-properties-widened",
                )
            } else {
                s.by_dir(
                    "json-additional-properties-narrowed",
                    "json-additional-properties-widened",
                )
            };
            let m = msg(
                s,
                &format!(
                    "undeclared properties are constrained by the reader ({}) more than by the writer",
                    show(&r)
                ),
            );
            s.brk(rule, &ptr(path, rk), Some(rk), s.reader_side(), m);
        }
    }
    patterns(s, ro, wo, path, depth);
    property_names(s, ro, wo, path, depth);
    dependencies(s, ro, wo, path, depth);
}

/// (dependentRequired, dependentSchemas), draft-07 `dependencies` split.
fn deps(o: &Map<String, Value>) -> (Map<String, Value>, Map<String, Value>) {
    let mut req = o
        .get("dependentRequired")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut sch = o
        .get("dependentSchemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(d) = o.get("dependencies").and_then(Value::as_object) {
        for (k, v) in d {
            if v.is_array() {
                req.insert(k.clone(), v.clone());
            } else {
                sch.insert(k.clone(), v.clone());
            }
        }
    }
    (req, sch)
}

fn dependencies(
    s: &mut Sink,
    ro: &Map<String, Value>,
    wo: &Map<String, Value>,
    path: &str,
    depth: usize,
) {
    let ((rr, rs), (wr, ws)) = (deps(ro), deps(wo));
    let names = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    for (k, rl) in &rr {
        let rl = names(rl);
        let at = ptr(&ptr(path, "dependentRequired"), k);
        match wr.get(k) {
            None => {
                let rule = s.by_dir(
                    "json-dependent-required-added",
                    "json-dependent-required-removed",
                );
                let m = msg(
                    s,
                    &format!(
                        "the reader requires {} whenever `{k}` is present",
                        rl.join(", ")
                    ),
                );
                s.brk(rule, &at, Some(k), s.reader_side(), m);
            }
            Some(wl) => {
                let wl = names(wl);
                let more: Vec<&String> = rl.iter().filter(|n| !wl.contains(n)).collect();
                if !more.is_empty() {
                    let rule = s.by_dir(
                        "json-dependent-required-extended",
                        "json-dependent-required-narrowed",
                    );
                    let m = msg(
                        s,
                        &format!("with `{k}` present the reader also requires {more:?}"),
                    );
                    s.brk(rule, &at, Some(k), s.reader_side(), m);
                }
            }
        }
    }
    for (k, r) in &rs {
        let at = ptr(&ptr(path, "dependentSchemas"), k);
        match ws.get(k) {
            None if !trivial(r) => {
                let rule = s.by_dir(
                    "json-dependent-schema-added",
                    "json-dependent-schema-removed",
                );
                let m = msg(
                    s,
                    &format!("with `{k}` present the reader requires {}", show(r)),
                );
                s.brk(rule, &at, Some(k), s.reader_side(), m);
            }
            None => {}
            Some(w) => cmp(s, r, w, &at, depth + 1),
        }
    }
}

/// `patternProperties` whose patterns differ between the two sides: the
/// writer's names under a reader pattern must meet its schema, and the
/// writer's pattern names must be allowed by a reader that is not open.
fn patterns(
    s: &mut Sink,
    ro: &Map<String, Value>,
    wo: &Map<String, Value>,
    path: &str,
    depth: usize,
) {
    let (rpp, wpp) = (pattern_props(ro), pattern_props(wo));
    let at = |pat: &str| ptr(&ptr(path, "patternProperties"), pat);
    for (pat, r) in &rpp {
        if trivial(r) {
            continue;
        }
        // Writer patterns overlapping this one; covered when one contains it.
        let mut covered = false;
        for (wp, w) in &wpp {
            if disjoint(pat, wp) {
                continue;
            }
            cmp(s, r, w, &at(pat), depth + 1);
            covered |= within(pat, wp);
        }
        if covered {
            continue;
        }
        match rest_props(wo) {
            Some((_, Value::Bool(false))) => {}
            Some((_, w)) => cmp(s, r, &w, &at(pat), depth + 1),
            None => {
                let rule = s.by_dir(
                    "json-pattern-property-added",
                    "json-pattern-property-removed",
                );
                let m = msg(
                    s,
                    &format!(
                        "the reader requires properties named like `{pat}` to match {}, and the writer's open content model lets them hold any value",
                        show(r)
                    ),
                );
                s.brk(rule, &at(pat), Some(pat), s.reader_side(), m);
            }
        }
    }
    for (wp, w) in &wpp {
        if matches!(w, Value::Bool(false)) || rpp.iter().any(|(rp, _)| within(wp, rp)) {
            continue;
        }
        match rest_props(ro) {
            Some((_, Value::Bool(false))) => {
                let rule = s.by_dir(
                    "json-pattern-property-removed-closed-model",
                    "json-pattern-property-added-closed-model",
                );
                let m = msg(
                    s,
                    &format!(
                        "the writer allows properties named like `{wp}`, and the reader's closed content model has no pattern that covers them all"
                    ),
                );
                s.brk(rule, &at(wp), Some(wp), s.writer_side(), m);
            }
            Some((rk, r)) => cmp(s, &r, w, &ptr(path, rk), depth + 1),
            None => {}
        }
    }
}

/// An object whose property names are exactly its declared ones.
fn closed(o: &Map<String, Value>) -> bool {
    matches!(rest_props(o), Some((_, Value::Bool(false)))) && pattern_props(o).is_empty()
}

/// Is the string `name` valid under `schema`? `None` when the schema uses a
/// keyword this small evaluator does not know.
fn name_ok(schema: &Value, name: &str) -> Option<bool> {
    let o = match schema {
        Value::Bool(b) => return Some(*b),
        Value::Object(o) => o,
        _ => return None,
    };
    let len = name.chars().count() as f64;
    let mut ok = true;
    for (k, v) in o {
        ok &= match k.as_str() {
            "type" => match v {
                Value::String(t) => t == "string",
                Value::Array(ts) => ts.iter().any(|t| t == "string"),
                _ => return None,
            },
            "maxLength" => v.as_f64().is_some_and(|m| len <= m),
            "minLength" => v.as_f64().is_some_and(|m| len >= m),
            "pattern" => v.as_str().is_some_and(|p| matches(p, name)),
            "enum" => v.as_array().is_some_and(|a| a.iter().any(|x| x == name)),
            "const" => v == name,
            k if ANNOTATIONS.contains(&k) => true,
            _ => return None,
        };
    }
    Some(ok)
}

/// `propertyNames`: every name the writer may use must be valid under the
/// reader's.
fn property_names(
    s: &mut Sink,
    ro: &Map<String, Value>,
    wo: &Map<String, Value>,
    path: &str,
    depth: usize,
) {
    let Some(r) = ro.get("propertyNames").filter(|v| !trivial(v)) else {
        return;
    };
    // A closed writer whose declared names all pass cannot break it.
    if closed(wo) && props(wo).keys().all(|n| name_ok(r, n) == Some(true)) {
        return;
    }
    let at = ptr(path, "propertyNames");
    let (rule, what) = match wo.get("propertyNames").filter(|v| !trivial(v)) {
        None => (
            s.by_dir("json-property-names-added", "json-property-names-removed"),
            format!(
                "the reader requires every property name to match {} and the writer allows any name",
                show(r)
            ),
        ),
        Some(w) => {
            // Names are strings whatever the schema says.
            let mut w = obj(w).unwrap_or_default();
            w.entry("type").or_insert_with(|| "string".into());
            if subset(s.dir, r, &Value::Object(w.clone()), depth + 1) {
                return;
            }
            (
                s.by_dir(
                    "json-property-names-narrowed",
                    "json-property-names-widened",
                ),
                format!(
                    "property names must match {} for the reader and only {} for the writer",
                    show(r),
                    show(&Value::Object(w))
                ),
            )
        }
    };
    let m = msg(s, &what);
    s.brk(rule, &at, Some("propertyNames"), s.reader_side(), m);
}

/// `if`/`then`/`else`: the reader's branches must hold for whatever the
/// writer allows under the same condition.
fn conditional(
    s: &mut Sink,
    ro: &Map<String, Value>,
    wo: &Map<String, Value>,
    path: &str,
    depth: usize,
) {
    let cond = |o: &Map<String, Value>| -> Option<(Value, Value, Value)> {
        let i = o.get("if")?.clone();
        let t = o.get("then").cloned().unwrap_or(Value::Bool(true));
        let e = o.get("else").cloned().unwrap_or(Value::Bool(true));
        (!trivial(&t) || !trivial(&e)).then_some((i, t, e))
    };
    let Some((ri, rt, re)) = cond(ro) else {
        return;
    };
    let at = ptr(path, "if");
    match cond(wo) {
        Some((wi, wt, we)) if wi == ri => {
            cmp(s, &rt, &wt, &ptr(path, "then"), depth + 1);
            cmp(s, &re, &we, &ptr(path, "else"), depth + 1);
        }
        Some((wi, wt, we)) => {
            let holds = [&wt, &we]
                .iter()
                .all(|w| subset(s.dir, &rt, w, depth + 1) && subset(s.dir, &re, w, depth + 1));
            if !holds {
                let m = msg(
                    s,
                    &format!(
                        "the condition is {} for the writer and {} for the reader, and the reader's branches are not implied by the writer's",
                        show(&wi),
                        show(&ri)
                    ),
                );
                s.brk(
                    "json-conditional-changed",
                    &at,
                    Some("if"),
                    s.reader_side(),
                    m,
                );
            }
        }
        None => {
            // The writer's other keywords may already imply both branches.
            let base = Value::Object(wo.clone());
            if subset(s.dir, &rt, &base, depth + 1) && subset(s.dir, &re, &base, depth + 1) {
                return;
            }
            let rule = s.by_dir("json-conditional-added", "json-conditional-removed");
            let m = msg(
                s,
                &format!(
                    "the reader applies `if` {} with `then` {} / `else` {}",
                    show(&ri),
                    show(&rt),
                    show(&re)
                ),
            );
            s.brk(rule, &at, Some("if"), s.reader_side(), m);
        }
    }
}

/// `contains` with `minContains` (1 when absent) and `maxContains`.
fn contains(
    s: &mut Sink,
    ro: &Map<String, Value>,
    wo: &Map<String, Value>,
    path: &str,
    depth: usize,
) {
    let Some(rc) = ro.get("contains") else {
        return;
    };
    let at = ptr(path, "contains");
    let Some(wc) = wo.get("contains") else {
        if num(ro, "minContains") != Some(0.0) || ro.contains_key("maxContains") {
            let rule = s.by_dir("json-contains-added", "json-contains-removed");
            let m = msg(
                s,
                &format!("the reader requires an item matching {}", show(rc)),
            );
            s.brk(rule, &at, Some("contains"), s.reader_side(), m);
        }
        return;
    };
    if num(ro, "minContains") != Some(0.0) && !subset(s.dir, rc, wc, depth + 1) {
        let rule = s.by_dir("json-contains-narrowed", "json-contains-widened");
        let m = msg(
            s,
            &format!(
                "the reader requires an item matching {} and the writer's arrays need only hold one matching {}",
                show(rc),
                show(wc)
            ),
        );
        s.brk(rule, &at, Some("contains"), s.reader_side(), m);
    }
    let with_min = |o: &Map<String, Value>| {
        let mut o = o.clone();
        o.entry("minContains").or_insert_with(|| 1.into());
        o
    };
    lower(
        s,
        &with_min(ro),
        &with_min(wo),
        path,
        "minContains",
        [
            "json-contains-added",
            "json-contains-removed",
            "json-min-contains-increased",
            "json-min-contains-decreased",
        ],
    );
    upper(
        s,
        ro,
        wo,
        path,
        "maxContains",
        [
            "json-max-contains-added",
            "json-max-contains-removed",
            "json-max-contains-decreased",
            "json-max-contains-increased",
        ],
    );
}
