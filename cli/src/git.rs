//! Git plumbing for `breaking --against REF`: read a catalog directory as it
//! is at a commit, without touching the work tree.

use std::path::{Path, PathBuf};
use std::process::Command;

use onex_codegen::MemorySource;

/// Why the older catalog could not be read.
#[derive(Debug)]
pub struct AgainstError(pub String);

impl std::fmt::Display for AgainstError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AgainstError {}

fn git(repo: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    }
}

/// The top directory of the git work tree holding `dir`, if `dir` is in one
/// (and git runs).
pub fn toplevel(dir: &Path) -> Option<PathBuf> {
    let out = git(dir, &["rev-parse", "--show-toplevel"]).ok()?;
    let top = String::from_utf8_lossy(&out).trim().to_owned();
    (!top.is_empty()).then(|| PathBuf::from(top))
}

/// The catalog directory relative to the repository (`/`-separated, no
/// trailing slash) and the pathspec naming it: a catalog at the
/// repository's top is the whole tree (git refuses an empty pathspec).
fn pathspec(catalog: &Path) -> (String, String) {
    let rel = catalog
        .to_string_lossy()
        .replace('\\', "/")
        .trim_end_matches('/')
        .to_owned();
    let spec = if rel.is_empty() {
        ".".to_owned()
    } else {
        rel.clone()
    };
    (rel, spec)
}

/// The catalog directory `catalog` (relative to the repository) as it is at
/// `reference`, read into memory with `git` plumbing only (no work-tree
/// changes, no temporary files: writing thousands of files per commit cost
/// seconds of system time). Paths in its diagnostics read
/// `<reference>:<catalog>/...`. A ref missing from a shallow clone gets a
/// message saying how to fetch it.
pub fn read(repo: &Path, catalog: &Path, reference: &str) -> Result<MemorySource, AgainstError> {
    let commit = match git(
        repo,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{reference}^{{commit}}"),
        ],
    ) {
        Ok(c) => String::from_utf8_lossy(&c).trim().to_owned(),
        Err(_) => {
            let shallow = git(repo, &["rev-parse", "--is-shallow-repository"])
                .is_ok_and(|o| o.starts_with(b"true"));
            let hint = if shallow {
                "this is a shallow clone: fetch the history it needs, e.g. `git fetch --deepen=1` (for HEAD~1) or `git fetch --depth=1 origin <branch>` and pass `origin/<branch>`; in GitHub Actions set `fetch-depth: 2` or `0`".to_owned()
            } else {
                "check the ref name (`git log --oneline` lists commits), or pass a directory"
                    .to_owned()
            };
            return Err(AgainstError(format!(
                "`{reference}` is not a commit in `{}`: {hint}",
                repo.display()
            )));
        }
    };
    let (rel, spec) = pathspec(catalog);
    let listing = git(
        repo,
        &["ls-tree", "-r", "-z", "--full-tree", &commit, "--", &spec],
    )
    .map_err(AgainstError)?;
    let mut files = Vec::new();
    for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut parts = meta.split_whitespace();
        let (Some(_mode), Some(kind), Some(object)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if kind != "blob" {
            continue;
        }
        // Below the catalog folder only (`contracts2/` is not `contracts/`).
        let inner = if rel.is_empty() {
            Some(path)
        } else {
            path.strip_prefix(rel.as_str())
                .and_then(|p| p.strip_prefix('/'))
        };
        if let Some(inner) = inner {
            files.push((object.to_owned(), inner.to_owned()));
        }
    }
    let count = files.len();
    let objects: Vec<&str> = files.iter().map(|(o, _)| o.as_str()).collect();
    let mut source = MemorySource::with_root(Path::new(&format!("{reference}:{rel}")));
    for ((_, inner), bytes) in files.iter().zip(blobs(repo, &objects)?) {
        source.file(inner, bytes);
    }
    if count == 0 {
        return Err(AgainstError(format!(
            "`{rel}/` does not exist at `{reference}`"
        )));
    }
    Ok(source)
}

/// The contents of the blobs `objects`, in order, read through one
/// `git cat-file --batch` process (one process per file made a catalog of
/// thousands of files take seconds per commit).
fn blobs(repo: &Path, objects: &[&str]) -> Result<Vec<Vec<u8>>, AgainstError> {
    use std::io::{Read as _, Write as _};
    let mut child = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["cat-file", "--batch"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| AgainstError(format!("cannot run git: {e}")))?;
    let input = objects.join("\n") + "\n";
    let mut stdin = child.stdin.take();
    let mut out = Vec::new();
    // Write on a thread of its own: git answers while it reads, and a full
    // pipe on either side would otherwise wait for the other forever.
    std::thread::scope(|scope| {
        scope.spawn(move || {
            if let Some(stdin) = stdin.as_mut() {
                let _ = stdin.write_all(input.as_bytes());
            }
            drop(stdin);
        });
        if let Some(stdout) = child.stdout.as_mut() {
            let _ = stdout.read_to_end(&mut out);
        }
    });
    let status = child
        .wait()
        .map_err(|e| AgainstError(format!("git cat-file: {e}")))?;
    if !status.success() {
        return Err(AgainstError(format!(
            "git cat-file --batch failed ({status})"
        )));
    }
    // Each answer: `<oid> blob <size>\n<size bytes>\n`.
    let mut rest = out.as_slice();
    let mut contents = Vec::with_capacity(objects.len());
    for object in objects {
        let bad = || {
            AgainstError(format!(
                "git cat-file --batch: unexpected answer for {object}"
            ))
        };
        let end = rest.iter().position(|b| *b == b'\n').ok_or_else(bad)?;
        let header = String::from_utf8_lossy(rest.get(..end).ok_or_else(bad)?).into_owned();
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .ok_or_else(bad)?;
        let body = rest.get(end + 1..end + 1 + size).ok_or_else(bad)?;
        contents.push(body.to_vec());
        rest = rest.get(end + 2 + size..).unwrap_or_default();
    }
    Ok(contents)
}

/// Commits that changed something below the catalog directory `catalog`,
/// as (commit id, short label `abc1234 subject`), oldest first: the
/// versions a `_TRANSITIVE` mode checks besides the one at `reference`.
/// Those are the earlier versions, from `reference`'s own history (the
/// most recent `limit` of them, when given; commits whose catalog is the
/// same as at `reference` are left out), then the later ones, after
/// `reference` up to HEAD.
pub fn history(
    repo: &Path,
    catalog: &Path,
    reference: &str,
    limit: Option<usize>,
) -> Result<Vec<(String, String)>, AgainstError> {
    let (rel, spec) = pathspec(catalog);
    let log = |range: &str, max: Option<usize>| -> Result<Vec<(String, String)>, AgainstError> {
        let max = max.map(|n| format!("--max-count={n}"));
        let mut args = vec!["log", "--format=%H%x09%h %s"];
        if let Some(m) = &max {
            args.push(m);
        }
        args.extend([range, "--", &spec]);
        let out = git(repo, &args).map_err(AgainstError)?;
        Ok(String::from_utf8_lossy(&out)
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(id, label)| (id.to_owned(), label.to_owned()))
            .collect())
    };
    let tree = |commit: &str| {
        git(repo, &["rev-parse", &format!("{commit}:{rel}")])
            .map(|t| String::from_utf8_lossy(&t).trim().to_owned())
            .ok()
    };
    let at_reference = tree(reference);
    // One more than the limit: the newest is usually the commit whose
    // catalog `reference` still has, which is left out below.
    let mut earlier = log(reference, limit.map(|n| n + 1))?;
    earlier.retain(|(id, _)| tree(id) != at_reference);
    if let Some(n) = limit {
        earlier.truncate(n);
    }
    earlier.reverse();
    let mut later = log(&format!("{reference}..HEAD"), None)?;
    later.reverse();
    earlier.extend(later);
    Ok(earlier)
}
