//! Finding what to check: files named on the command line, folders walked for `.md`,
//! `.markdown` and `.txt` (hidden and VCS folders skipped). Invariant: results come back in a stable
//! order (as given, folders sorted), so output never depends on the file system's order,
//! and a walk yields only regular files (FIFOs, sockets and devices are skipped and named
//! on stderr), so it can neither hang nor read without end.

use super::read::not_regular;
use std::path::{Path, PathBuf};

/// Extensions checked when walking a folder.
pub const EXTENSIONS: [&str; 3] = ["md", "markdown", "txt"];

/// Folders never entered (besides hidden ones).
const SKIPPED_FOLDERS: [&str; 3] = ["node_modules", "target", "__pycache__"];

/// One input: a path on disk, or standard input under a display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin { name: Option<PathBuf> },
}

/// Expands the command-line paths. A path that does not exist is returned as a file, so
/// that reading it reports the error in order with the others.
pub fn collect(paths: &[PathBuf], stdin_filename: Option<&Path>) -> Vec<Input> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin {
                name: stdin_filename.map(Path::to_path_buf),
            });
        } else if path.is_dir() {
            walk(path, &mut inputs);
        } else {
            inputs.push(Input::File(path.clone()));
        }
    }
    inputs
}

fn walk(folder: &Path, inputs: &mut Vec<Input>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        inputs.push(Input::File(folder.to_path_buf()));
        return;
    };
    // Symbolic links to folders are not followed: a link loop would walk forever, and a
    // linked folder is usually checked where it really lives.
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|entry| {
            !(entry.file_type().is_ok_and(|kind| kind.is_symlink()) && entry.path().is_dir())
        })
        .map(|entry| entry.path())
        .collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            if !SKIPPED_FOLDERS.contains(&name.as_str()) {
                walk(&path, inputs);
            }
        } else if path
            .extension()
            .and_then(|extension| extension.to_str())
            .is_some_and(|extension| EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str()))
        {
            // A FIFO would block the walk until something writes to it, and a device may
            // never end; only regular files are reports. A dangling link is kept, so that
            // reading it reports the error.
            match std::fs::metadata(&path).as_ref().map(not_regular) {
                Ok(Some(kind)) => eprintln!(
                    "reportlint: {}: skipped, it is {kind}, not a regular file (name it on its own to read it)",
                    path.display()
                ),
                _ => inputs.push(Input::File(path)),
            }
        }
    }
}
