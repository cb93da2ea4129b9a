//! Where a file's settings come from, decided in one place for the command line and the
//! language server alike (as `ruff_workspace` is to ruff): the nearest `reportlint.toml` or
//! `.reportlint.toml` at or above the file, loaded once and cached; the profile it asks for
//! or the user names; whether it excludes the file. Besides the shells, the only module that
//! reads files (configurations and profile files); the engine never calls it.

use crate::analysis::ProfileRef;
use crate::config::{Config, CONFIG_FILE_NAMES};
use crate::profile::{builtin, builtins, parse_profile, Profile, BUILTIN_NAMES};
use crate::rules::codes;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A loaded configuration: the file it came from, its settings, and its custom profile.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub path: PathBuf,
    pub config: Config,
    pub custom_profile: Option<Arc<Profile>>,
}

impl LoadedConfig {
    /// The profile the configuration asks for: a custom profile, a built-in one, or `None`
    /// for automatic selection.
    pub fn profile(&self) -> Option<ProfileRef> {
        match (self.config.profile.as_deref(), &self.custom_profile) {
            (Some(name), Some(custom)) if name == custom.name => {
                Some(ProfileRef::Custom(custom.clone()))
            }
            (None | Some("auto"), Some(custom)) => Some(ProfileRef::Custom(custom.clone())),
            (Some(name), _) => builtin(name).map(ProfileRef::Builtin),
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
            Some(Arc::new(profile))
        }
    };
    Ok(LoadedConfig {
        path: path.to_path_buf(),
        config,
        custom_profile,
    })
}

/// Finds and caches the configuration file that governs each folder.
#[derive(Default)]
struct ConfigFinder {
    by_folder: HashMap<PathBuf, Option<PathBuf>>,
}

impl ConfigFinder {
    /// The nearest `reportlint.toml` / `.reportlint.toml` at or above `file`'s folder.
    fn find(&mut self, file: &Path) -> Option<PathBuf> {
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

/// The configuration governing a file: none, one that loaded, or why it did not.
pub type FoundConfig = Option<Result<Arc<LoadedConfig>, String>>;

/// The configurations of a run or a session: found per file, each file loaded once (a
/// broken one keeps its error, so it is reported once per file that it governs).
#[derive(Default)]
pub struct Workspace {
    finder: ConfigFinder,
    loaded: HashMap<PathBuf, Result<Arc<LoadedConfig>, String>>,
    /// `--config FILE`: governs every file, wherever it is.
    forced: Option<Arc<LoadedConfig>>,
}

impl Workspace {
    /// A workspace whose files all follow `forced` (`--config`), or each its nearest file.
    pub fn new(forced: Option<LoadedConfig>) -> Workspace {
        Workspace {
            forced: forced.map(Arc::new),
            ..Workspace::default()
        }
    }

    /// The configuration governing `file` (which need not exist: stdin is checked under
    /// its `--stdin-filename`), `None` when there is none.
    pub fn config_for(&mut self, file: &Path) -> FoundConfig {
        if let Some(forced) = &self.forced {
            return Some(Ok(forced.clone()));
        }
        let found = self.finder.find(file)?;
        Some(
            self.loaded
                .entry(found.clone())
                .or_insert_with(|| load_config(&found).map(Arc::new))
                .clone(),
        )
    }

    /// Forgets what was found and loaded: a configuration file was created, changed or
    /// deleted.
    pub fn forget(&mut self) {
        self.finder = ConfigFinder::default();
        self.loaded.clear();
    }
}

/// The profile a file is checked against: the one `requested` by name (`--profile`, the
/// editor's `profile` option; `auto` or `None` defers), else the configuration's, else `None`
/// for automatic selection. A name is a built-in profile or the configuration's own.
pub fn profile_for(
    requested: Option<&str>,
    config: Option<&LoadedConfig>,
) -> Result<Option<ProfileRef>, String> {
    match requested {
        None | Some("auto") => Ok(config.and_then(LoadedConfig::profile)),
        Some(name) => config
            .and_then(|config| config.custom_profile.as_ref())
            .filter(|custom| custom.name == name)
            .map(|custom| ProfileRef::Custom(custom.clone()))
            .or_else(|| builtin(name).map(ProfileRef::Builtin))
            .map(Some)
            .ok_or_else(|| {
                format!(
                    "unknown profile \"{name}\"; use auto, {}, or the name of the profile in your profile-file",
                    BUILTIN_NAMES.join(", ")
                )
            }),
    }
}
