//! Finding what to check: files named on the command line, folders walked for `.md`,
//! `.markdown` and `.txt` (hidden and VCS folders skipped), and the `reportlint.toml` that
//! governs each file, found by walking up from it. Invariant: results come back in a stable
//! order (as given, folders sorted), so output never depends on the file system's order,
//! and a walk yields only regular files (FIFOs, sockets and devices are skipped and named
//! on stderr), so it can neither hang nor read without end.

use super::read::not_regular;
use crate::config::{Config, CONFIG_FILE_NAMES};
use crate::profile::{builtin, builtins, parse_profile, Profile, BUILTIN_NAMES};
use crate::rules::codes;
use std::collections::HashMap;
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

/// A loaded configuration: the file it came from, its settings, and its custom profile.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub path: PathBuf,
    pub config: Config,
    pub custom_profile: Option<Profile>,
}

impl LoadedConfig {
    /// The profile the configuration asks for: a custom profile, a built-in one, or `None`
    /// for automatic selection.
    pub fn profile(&self) -> Option<&Profile> {
        match (self.config.profile.as_deref(), &self.custom_profile) {
            (Some(name), Some(custom)) if name == custom.name => Some(custom),
            (None | Some("auto"), Some(custom)) => Some(custom),
            (Some(name), _) => builtin(name),
            (None, None) => None,
        }
    }

    /// Whether the configuration excludes `file`.
    pub fn excludes(&self, file: &Path) -> bool {
        let folder = self.path.parent().unwrap_or(Path::new(""));
        let absolute =
            |path: &Path| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let file = absolute(file);
        let Ok(relative) = file.strip_prefix(absolute(folder)) else {
            return false;
        };
        let relative = relative
            .components()
            .map(|part| part.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        self.config.is_excluded(&relative)
    }
}

/// Loads a configuration file; the error names the file and says what is wrong.
pub fn load_config(path: &Path) -> Result<LoadedConfig, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("{}: cannot read the configuration: {error}", path.display()))?;
    let mut profiles: Vec<&str> = vec!["auto"];
    profiles.extend(BUILTIN_NAMES);
    let config = Config::parse(&text, &path.display().to_string(), &codes(), &profiles)
        .map_err(|error| error.to_string())?;
    let custom_profile = match &config.profile_file {
        None => None,
        Some(relative) => {
            let profile_path = path.parent().unwrap_or(Path::new("")).join(relative);
            let source = std::fs::read_to_string(&profile_path).map_err(|error| {
                format!(
                    "{}: profile-file {}: cannot read it: {error}",
                    path.display(),
                    profile_path.display()
                )
            })?;
            let profile = parse_profile(&source, &profile_path.display().to_string(), builtins())
                .map_err(|error| error.to_string())?;
            if let Some(name) = config
                .profile
                .as_deref()
                .filter(|name| *name != "auto" && *name != profile.name && builtin(name).is_none())
            {
                return Err(format!(
                    "{}: profile = \"{name}\" is neither built in nor the name of the profile in {} (\"{}\")",
                    path.display(),
                    profile_path.display(),
                    profile.name
                ));
            }
            Some(profile)
        }
    };
    Ok(LoadedConfig {
        path: path.to_path_buf(),
        config,
        custom_profile,
    })
}

/// Finds and caches the configuration that governs each folder.
#[derive(Default)]
pub struct ConfigFinder {
    by_folder: HashMap<PathBuf, Option<PathBuf>>,
}

impl ConfigFinder {
    /// The nearest `reportlint.toml` / `.reportlint.toml` at or above `file`'s folder.
    pub fn find(&mut self, file: &Path) -> Option<PathBuf> {
        let absolute = std::path::absolute(file).ok()?;
        let mut folder = absolute.parent()?.to_path_buf();
        let mut visited = Vec::new();
        let found = loop {
            if let Some(known) = self.by_folder.get(&folder) {
                break known.clone();
            }
            visited.push(folder.clone());
            if let Some(path) = CONFIG_FILE_NAMES
                .iter()
                .map(|name| folder.join(name))
                .find(|path| path.is_file())
            {
                break Some(path);
            }
            match folder.parent() {
                Some(parent) => folder = parent.to_path_buf(),
                None => break None,
            }
        };
        for folder in visited {
            self.by_folder.insert(folder, found.clone());
        }
        found
    }
}
