//! Git plumbing for `breaking --against REF`: read a catalog directory as it
//! is at a commit, without touching the work tree.

use std::path::{Path, PathBuf};
use std::process::Command;

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

/// Write the catalog directory `catalog` (relative to the repository) as it
/// is at `reference` into `dest`, using only `git` plumbing (no work-tree
/// changes). A ref missing from a shallow clone gets a message saying how to
/// fetch it.
pub fn checkout(
    repo: &Path,
    catalog: &Path,
    reference: &str,
    dest: &Path,
) -> Result<(), AgainstError> {
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
    let mut count = 0;
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
        let Some(inner) = inner else {
            continue;
        };
        let bytes = git(repo, &["cat-file", "blob", object]).map_err(AgainstError)?;
        let target: PathBuf = dest.join(inner);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| AgainstError(format!("{}: {e}", parent.display())))?;
        }
        std::fs::write(&target, bytes)
            .map_err(|e| AgainstError(format!("{}: {e}", target.display())))?;
        count += 1;
    }
    if count == 0 {
        return Err(AgainstError(format!(
            "`{rel}/` does not exist at `{reference}`"
        )));
    }
    Ok(())
}

/// The commits after `reference` up to HEAD that changed something below
/// the catalog directory `catalog`, oldest first, as (commit id, short
/// label `abc1234 "subject"`): the versions a `_TRANSITIVE` mode checks
/// besides the one at `reference`.
pub fn history(
    repo: &Path,
    catalog: &Path,
    reference: &str,
) -> Result<Vec<(String, String)>, AgainstError> {
    let (_, spec) = pathspec(catalog);
    let out = git(
        repo,
        &[
            "log",
            "--reverse",
            "--format=%H%x09%h %s",
            &format!("{reference}..HEAD"),
            "--",
            &spec,
        ],
    )
    .map_err(AgainstError)?;
    Ok(String::from_utf8_lossy(&out)
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(id, label)| (id.to_owned(), label.to_owned()))
        .collect())
}
