//! Node contracts beside their services: the `nodes:` globs of `onex.yaml`
//! (e.g. `../services/*/contract.yaml`), checked, then expanded one path
//! component at a time through the loader's [`FileSource`], so a glob never
//! lists more than the folders its literal parts lead to.
//!
//! Trust rule: `onex.yaml` is the catalog owner's, so the files its globs
//! name may lie outside the catalog root (as the contract path a
//! `#[onex::node]` names may). Only what the glob's last part names exactly
//! (`contract.yaml`) is read, through the reader's usual checks (a
//! directory, FIFO or device there is E0111, never opened); a symlink met on
//! the way is followed only when it resolves inside the catalog root
//! (otherwise E0106; under `**` silently skipped), so a glob cannot be
//! pointed at other files by a link.
//! `**` descends at most [`MAX_NODE_DEPTH`] folders; hidden entries are
//! skipped, as in the catalog walk.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};

use crate::diagnostic::source::SourceFile;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::load::contract::SettingsFile;
use crate::load::reader::{self, Discovered, Found, MAX_NODE_DEPTH, Reader};
use crate::load::source::Kind;
use crate::load::yaml::{self, Located};

/// One part of a glob between `/`s.
#[derive(Debug)]
enum Part {
    /// A name without wildcards.
    Literal(String),
    /// `**`: any number of folders, none included.
    AnyDirs,
    /// A name with wildcards (`*`, `?`, `[...]`, `{a,b}`).
    Glob(GlobMatcher),
}

/// One checked `nodes:` glob.
#[derive(Debug)]
struct NodeGlob {
    /// As written, with its place in `onex.yaml`.
    text: String,
    at: Location,
    /// Leading `..` parts: how far above the root it starts.
    up: usize,
    /// The folder parts, then the file name.
    parts: Vec<Part>,
    file_name: String,
}

/// Walk the catalog, with the top folders that a `nodes:` glob reserves
/// left out of the topic walk, and add the node contracts the globs match.
/// `onex.yaml` is read and parsed here (once), as its `nodes:` says where
/// to look.
pub(crate) fn discover(reader: &mut Reader) -> Discovered {
    let path = reader.root().join(reader::SETTINGS_FILE);
    // Anything but a plain file is left to the walk, which reports it.
    let parsed = (reader.kind(&path) == Found::File).then(|| parse_settings(reader, &path));
    let globs = match &parsed {
        Some(Some((file, raw))) => compile_all(reader, file, &raw.nodes),
        _ => Vec::new(),
    };
    let reserved: Vec<&str> = globs
        .iter()
        .filter(|g| g.up == 0)
        .filter_map(|g| match g.parts.first() {
            Some(Part::Literal(dir)) if dir != reader::NODES_DIR => Some(dir.as_str()),
            _ => None,
        })
        .collect();
    let mut found = reader::discover(reader, &reserved);
    let mut seen: BTreeSet<String> = found.nodes.iter().map(|p| reader.rel(p)).collect();
    for g in &globs {
        let mut matched = BTreeSet::new();
        let start = (0..g.up).try_fold(reader.canon_root().to_path_buf(), |mut dir, _| {
            dir.pop().then_some(dir)
        });
        let Some(start) = start else {
            reader.diags.push(
                Diagnostic::new(
                    Code::BadNodeGlob,
                    format!(
                        "the node glob `{}` climbs above the file system root",
                        g.text
                    ),
                )
                .at(g.at.clone())
                .help("remove `../` parts"),
            );
            continue;
        };
        let mut walk = Walk {
            glob: g,
            visited: HashSet::new(),
            out: &mut matched,
        };
        walk.dir(reader, &start, 0, 0);
        if matched.is_empty() {
            reader.diags.push(
                Diagnostic::new(
                    Code::NodeGlobEmpty,
                    format!("the node glob `{}` matches no file", g.text),
                )
                .at(g.at.clone())
                .help("paths in `nodes:` are relative to the folder holding `onex.yaml`; check the folder names"),
            );
        }
        for p in matched {
            let rel = reader.rel(&p);
            // The walk reads `nodes/` itself; a glob naming it adds nothing.
            let under_nodes = rel.starts_with(&format!("{}/", reader::NODES_DIR))
                && g.file_name == reader::NODE_FILE;
            if !under_nodes && seen.insert(rel) {
                found.nodes.push(p);
            }
        }
    }
    found.parsed_settings = parsed;
    found
}

fn parse_settings(reader: &mut Reader, path: &Path) -> Option<(SourceFile, SettingsFile)> {
    let file = match reader.read(path, false) {
        Ok(f) => f,
        Err(d) => {
            reader.diags.push(d);
            return None;
        }
    };
    match yaml::parse::<SettingsFile>(&file) {
        Ok(raw) => Some((file, raw)),
        Err(ds) => {
            reader.diags.extend(ds);
            None
        }
    }
}

fn compile_all(reader: &mut Reader, file: &SourceFile, raw: &[Located<String>]) -> Vec<NodeGlob> {
    let mut out = Vec::new();
    for g in raw {
        let at = if g.line == 0 {
            Location::file(file.rel.clone())
        } else {
            file.location(g.line, g.column)
        };
        match compile(&g.value) {
            Ok((up, parts, file_name)) => out.push(NodeGlob {
                text: g.value.clone(),
                at,
                up,
                parts,
                file_name,
            }),
            Err((msg, help)) => reader.diags.push(
                file.attach(
                    Diagnostic::new(
                        Code::BadNodeGlob,
                        format!("the node glob `{}` {msg}", g.value),
                    )
                    .help(help),
                    at,
                ),
            ),
        }
    }
    out
}

const EXAMPLE: &str = "e.g. `services/*/contract.yaml` or `../services/**/contract.yaml`";

/// `(leading ..s, folder parts, file name)`, or what is wrong and a hint.
fn compile(text: &str) -> Result<(usize, Vec<Part>, String), (String, String)> {
    let bad = |msg: &str, help: String| Err((msg.to_owned(), help));
    if text.is_empty() {
        return bad("is empty", format!("write a path pattern, {EXAMPLE}"));
    }
    if text.starts_with('/') || text.contains('\\') || text.get(1..2) == Some(":") {
        return bad(
            "is not relative to the catalog root",
            format!(
                "write it relative to the folder holding `onex.yaml` with `/` separators, {EXAMPLE}"
            ),
        );
    }
    let pieces: Vec<&str> = text.split('/').collect();
    let up = pieces.iter().take_while(|p| **p == "..").count();
    let rest = pieces.get(up..).unwrap_or_default();
    let Some((file_name, dirs)) = rest.split_last() else {
        return bad(
            "names no file",
            format!("end it with a file name, {EXAMPLE}"),
        );
    };
    if is_wild(file_name) || *file_name == "**" {
        return bad(
            "does not end in a file name",
            format!("its last part names the contract file exactly, {EXAMPLE}"),
        );
    }
    if dirs.is_empty() && up == 0 {
        return bad(
            "names a file in the catalog root itself",
            format!("node contracts live in folders, {EXAMPLE}"),
        );
    }
    if up == 0 && dirs.first().is_some_and(|d| is_wild(d) || *d == "**") {
        return bad(
            "starts with a wildcard",
            "inside the catalog root a node glob starts with a folder name, which is then kept for node contracts (topic contexts are the other top folders)".to_owned(),
        );
    }
    let mut parts = Vec::new();
    for d in dirs.iter().chain(std::iter::once(file_name)) {
        if d.is_empty() || *d == "." || *d == ".." {
            return bad(
                &format!("has a `{d}` part inside it"),
                format!(
                    "write each folder once: `..` only at the start, no `//` or `.`; {EXAMPLE}"
                ),
            );
        }
    }
    for d in dirs {
        let part = if *d == "**" {
            Part::AnyDirs
        } else if d.contains("**") {
            return bad(
                &format!("has `**` inside the part `{d}`"),
                format!(
                    "`**` stands alone between `/`s; `*` matches within one folder name; {EXAMPLE}"
                ),
            );
        } else if is_wild(d) {
            let glob = GlobBuilder::new(d)
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .map_err(|e| {
                    (
                        format!("is not a valid glob: {}", e.kind()),
                        format!("`*` and `?` match within one folder name, `**` alone matches any folders; {EXAMPLE}"),
                    )
                })?;
            Part::Glob(glob.compile_matcher())
        } else {
            Part::Literal((*d).to_owned())
        };
        parts.push(part);
    }
    Ok((up, parts, (*file_name).to_owned()))
}

fn is_wild(s: &str) -> bool {
    s.contains(['*', '?', '[', ']', '{', '}'])
}

/// One glob's expansion.
struct Walk<'g, 'o> {
    glob: &'g NodeGlob,
    /// (folder, part index) pairs already expanded: `**` and symlinks
    /// inside the root can reach one folder many ways.
    visited: HashSet<(PathBuf, usize)>,
    out: &'o mut BTreeSet<PathBuf>,
}

impl Walk<'_, '_> {
    /// Match the glob's parts from `i` on in the folder `dir` (canonical).
    fn dir(&mut self, reader: &mut Reader, dir: &Path, i: usize, depth: usize) {
        if !self.visited.insert((dir.to_path_buf(), i)) {
            return;
        }
        reader.dirs.insert(reader.rel(dir));
        match self.glob.parts.get(i) {
            None => {
                let file = dir.join(&self.glob.file_name);
                match reader.source().symlink_kind(&file) {
                    // Read (and refused if need be) by the reader; a symlink
                    // is read only where it resolves inside the root.
                    Ok(Kind::Symlink) => {
                        self.out.insert(file);
                    }
                    Ok(_) => {
                        reader.allow_outside(&file);
                        self.out.insert(file);
                    }
                    Err(_) => {}
                }
            }
            Some(Part::Literal(name)) => {
                if let Some(sub) = enter(reader, &dir.join(name), true) {
                    self.dir(reader, &sub, i + 1, depth);
                }
            }
            Some(Part::Glob(m)) => {
                for (name, path) in listed(reader, dir) {
                    if m.is_match(&name)
                        && let Some(sub) = enter(reader, &path, true)
                    {
                        self.dir(reader, &sub, i + 1, depth);
                    }
                }
            }
            Some(Part::AnyDirs) => {
                self.dir(reader, dir, i + 1, depth);
                if depth >= MAX_NODE_DEPTH {
                    let rel = reader.rel(dir);
                    reader.diags.push(
                        Diagnostic::new(
                            Code::TooDeep,
                            format!(
                                "`{rel}` lies more than {MAX_NODE_DEPTH} folders deep under the node glob `{}`; it is not searched",
                                self.glob.text
                            ),
                        )
                        .at(Location::file(rel))
                        .help("keep node contracts at most a few folders below where `**` starts"),
                    );
                    return;
                }
                // Any folder may be passed through here (a service's
                // `target/`, `node_modules/`): links out of the root or
                // dangling are skipped without a word.
                for (_, path) in listed(reader, dir) {
                    if let Some(sub) = enter(reader, &path, false) {
                        self.dir(reader, &sub, i, depth + 1);
                    }
                }
            }
        }
    }
}

/// The non-hidden entries of a folder, sorted.
fn listed(reader: &Reader, dir: &Path) -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = reader
        .source()
        .read_dir(dir)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(n, p)| n.into_string().ok().map(|n| (n, p)))
        .filter(|(n, _)| !n.starts_with('.'))
        .collect();
    v.sort();
    v
}

/// `path` as a folder to descend into (canonical), or `None` when it is not
/// one; a symlink is followed only when it resolves inside the root, and
/// (when `report`) one that dangles or leads out is reported.
fn enter(reader: &mut Reader, path: &Path, report: bool) -> Option<PathBuf> {
    let src = reader.source();
    match src.symlink_kind(path) {
        Ok(Kind::Dir) => Some(path.to_path_buf()),
        Ok(Kind::Symlink) => {
            let rel = reader.rel(path);
            let target = match src.canonicalize(path) {
                Ok(t) => t,
                Err(e) => {
                    if !report {
                        return None;
                    }
                    reader.diags.push(
                        Diagnostic::new(
                            Code::Unreadable,
                            format!("`{rel}` is a dangling symlink: {e}"),
                        )
                        .at(Location::file(rel))
                        .help("remove the symlink or restore its target"),
                    );
                    return None;
                }
            };
            if !target.starts_with(reader.canon_root()) {
                if !report {
                    return None;
                }
                reader.diags.push(
                    Diagnostic::new(
                        Code::EscapesRoot,
                        format!(
                            "`{rel}` is a symlink to `{}`, outside the catalog root; node globs do not follow it",
                            reader.rel(&target)
                        ),
                    )
                    .at(Location::file(rel))
                    .help("name the real folder in `nodes:` instead of linking to it"),
                );
                return None;
            }
            (src.kind(&target).ok() == Some(Kind::Dir)).then_some(target)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::compile;

    #[test]
    fn globs_are_checked() {
        for good in [
            "services/*/contract.yaml",
            "../services/*/contract.yaml",
            "../../repo/services/**/contract.yaml",
            "teams/{a,b}/node.yaml",
        ] {
            assert!(compile(good).is_ok(), "{good}");
        }
        for (bad, why) in [
            ("", "is empty"),
            ("/abs/contract.yaml", "not relative"),
            ("contract.yaml", "catalog root itself"),
            ("*/contract.yaml", "starts with a wildcard"),
            ("services/*", "does not end in a file name"),
            ("services/**", "does not end in a file name"),
            ("services/../x/contract.yaml", "`..` part"),
            ("services//contract.yaml", "part inside it"),
            ("services/[a/contract.yaml", "not a valid glob"),
            ("services/a**/contract.yaml", "inside the part"),
            ("..", "names no file"),
        ] {
            match compile(bad) {
                Ok(_) => panic!("{bad:?} was accepted"),
                Err((msg, _)) => assert!(msg.contains(why), "{bad:?}: {msg}"),
            }
        }
    }

    #[test]
    fn leading_parents_are_counted() {
        let (up, parts, file) = compile("../../svc/*/c.yaml").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((up, parts.len(), file.as_str()), (2, 2, "c.yaml"));
    }
}
