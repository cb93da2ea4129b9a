//! Replacing a fixed file: the new bytes go to a temporary file in the same folder, are
//! synced, take the original's owner and mode, and are renamed over the original only if
//! the original is still exactly what was read. Invariant: a file is either left as it was
//! or replaced whole by its fix; never recreated after it vanished, never written over
//! another program's newer text, never left half-written, and no temporary file outlives
//! the run (not even on SIGINT or SIGTERM: `install_signal_cleanup`).
//!
//! A rename is only a faithful edit when nobody else can tell the file was replaced, so
//! `replace` refuses (and writes nothing) when the file is read-only, is not writable by the
//! user, has other hard links (a rename would split them: the other names would keep the
//! wrong totals), or has an owner the user cannot give the new file.

use super::read::{not_regular, unchanged, Snapshot};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// Replaces the file at `path` (through symbolic links: the link stays and its target is
/// fixed) with `bytes`, if it is still what `snapshot` says was read. The error says what
/// stopped it and what to do, without the file's name; in every error case the file is
/// untouched and no temporary file remains.
pub fn replace(path: &Path, snapshot: &Snapshot, bytes: &[u8]) -> Result<(), String> {
    let resolved = std::fs::canonicalize(path).map_err(|error| vanished_or(error, "find it"))?;
    let metadata = std::fs::metadata(&resolved).map_err(|error| vanished_or(error, "find it"))?;
    if let Some(kind) = not_regular(&metadata) {
        return Err(format!(
            "is now {kind}; it changed while reportlint ran, so nothing was written"
        ));
    }
    refuse_unfaithful_rename(&resolved, &metadata)?;
    let folder = resolved
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temporary = Temporary::create(folder).map_err(|error| {
        format!(
            "cannot create a temporary file in {}: {error}; make the folder writable to fix the file (nothing was written)",
            folder.display()
        )
    })?;
    temporary
        .fill(bytes, &metadata)
        .map_err(|error| match error {
            FillError::Io(error) => format!(
                "cannot write the fixed copy in {}: {error}; the original is unchanged",
                folder.display()
            ),
            FillError::Owner(message) => message,
        })?;
    // Just before the rename, so that the window for a lost update is as short as it can be
    // without a lock other programs would have to honour.
    match unchanged(&resolved, snapshot) {
        Ok(true) => {}
        Ok(false) => {
            return Err(
                "was changed by another program while reportlint ran; nothing was written, so that change is kept. Run reportlint again to check the new text".to_string(),
            )
        }
        Err(error) => return Err(vanished_or(error, "read it again before writing")),
    }
    temporary.persist(&resolved).map_err(|error| {
        format!("cannot replace it with the fixed copy: {error}; the original is unchanged")
    })?;
    // The rename is durable only once the folder is synced; the fix is already complete.
    if let Ok(folder) = std::fs::File::open(folder) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// From now on, SIGINT and SIGTERM remove every temporary file `replace` holds, then end
/// the process with 130 (SIGINT) or 143 (SIGTERM), as a shell reports a program those
/// signals ended. Files already renamed are complete; files not yet renamed are untouched.
/// Returns an error when the handler cannot be installed (the caller may go on without).
pub fn install_signal_cleanup() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
        std::thread::Builder::new()
            .name("reportlint-signals".to_string())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // Held until the process ends: no temporary file is created or renamed
                    // after this point.
                    let registry = registry();
                    for path in registry.iter() {
                        let _ = std::fs::remove_file(path);
                    }
                    let name = if signal == SIGINT { "SIGINT" } else { "SIGTERM" };
                    eprintln!(
                        "reportlint: stopped by {name}; files already fixed are complete, the others are unchanged, and no temporary file is left"
                    );
                    std::process::exit(128 + signal);
                }
            })?;
    }
    Ok(())
}

/// Why filling the temporary file failed.
enum FillError {
    Io(std::io::Error),
    Owner(String),
}

/// A temporary file that the signal handler knows of while it exists.
struct Temporary {
    file: Option<tempfile::NamedTempFile>,
    path: PathBuf,
}

impl Temporary {
    fn create(folder: &Path) -> std::io::Result<Temporary> {
        // Created and registered under the lock, so a signal cannot come between the two.
        let mut registry = registry();
        let file = tempfile::Builder::new()
            .prefix(".reportlint-")
            .suffix(".tmp")
            .tempfile_in(folder)?;
        let path = file.path().to_path_buf();
        registry.insert(path.clone());
        Ok(Temporary {
            file: Some(file),
            path,
        })
    }

    /// Writes and syncs `bytes`, then gives the file the original's owner, group and mode
    /// (owner first: changing the owner clears set-user-ID bits).
    fn fill(&mut self, bytes: &[u8], original: &std::fs::Metadata) -> Result<(), FillError> {
        let Some(file) = self.file.as_mut() else {
            return Ok(());
        };
        file.write_all(bytes).map_err(FillError::Io)?;
        file.as_file().sync_all().map_err(FillError::Io)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let created = file.as_file().metadata().map_err(FillError::Io)?;
            if (created.uid(), created.gid()) != (original.uid(), original.gid()) {
                std::os::unix::fs::fchown(
                    file.as_file(),
                    Some(original.uid()),
                    Some(original.gid()),
                )
                .map_err(|error| {
                    FillError::Owner(format!(
                        "belongs to user {} and group {}, and reportlint cannot give the fixed copy that owner ({error}); a rename would hand the file to you, so nothing was written. Run the fix as the file's owner (or as root)",
                        original.uid(),
                        original.gid()
                    ))
                })?;
            }
        }
        file.as_file()
            .set_permissions(original.permissions())
            .map_err(FillError::Io)
    }

    fn persist(mut self, target: &Path) -> std::io::Result<()> {
        let mut registry = registry();
        let Some(file) = self.file.take() else {
            return Ok(());
        };
        let persisted = file.persist(target).map_err(|error| error.error);
        // Renamed or removed by `persist`'s failure: either way nothing is left to clean.
        registry.remove(&self.path);
        persisted.map(drop)
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            let mut registry = registry();
            drop(file);
            registry.remove(&self.path);
        }
    }
}

/// The temporary files that exist right now.
fn registry() -> MutexGuard<'static, HashSet<PathBuf>> {
    static REGISTRY: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
    REGISTRY
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Refuses what a rename cannot do faithfully: see the module's documentation.
fn refuse_unfaithful_rename(path: &Path, metadata: &std::fs::Metadata) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Root may write a 0444 file, but its owner said it should not change.
        if metadata.mode() & 0o222 == 0 {
            return Err(format!(
                "is read-only (mode {:o}); make it writable to fix it (chmod u+w), nothing was written",
                metadata.mode() & 0o7777
            ));
        }
        if !writable_by_user(path) {
            return Err(format!(
                "is not writable by you (mode {:o}, owner {}); make it writable to fix it, nothing was written",
                metadata.mode() & 0o7777,
                metadata.uid()
            ));
        }
        if metadata.nlink() > 1 {
            return Err(format!(
                "has {} hard links; replacing it would leave the other names with the old text, and writing in place could lose the file if interrupted, so nothing was written. Fix one name with --fix after breaking the link (cp FILE FILE.new && mv FILE.new FILE), or apply --diff yourself",
                metadata.nlink()
            ));
        }
    }
    #[cfg(not(unix))]
    if metadata.permissions().readonly() {
        let _ = path;
        return Err("is read-only; make it writable to fix it, nothing was written".to_string());
    }
    Ok(())
}

/// The kernel's answer to "may this process write it", for the effective user (mode bits,
/// ACLs, read-only mounts).
#[cfg(unix)]
fn writable_by_user(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(name) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `name` is a valid NUL-terminated string that outlives the call.
    unsafe { libc::faccessat(libc::AT_FDCWD, name.as_ptr(), libc::W_OK, libc::AT_EACCESS) == 0 }
}

/// The message for an error while looking at the file again; a vanished file is said so.
fn vanished_or(error: std::io::Error, doing: &str) -> String {
    if error.kind() == std::io::ErrorKind::NotFound {
        "was deleted while reportlint ran; it was not recreated".to_string()
    } else {
        format!("cannot {doing}: {error}; nothing was written")
    }
}
