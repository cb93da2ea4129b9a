//! Reading an input whole, but never more than `MAX_INPUT_BYTES`, and remembering what was
//! read (`Snapshot`) so that `write` can tell whether the file changed before it replaces it.
//! Invariant: no read runs unbounded (an endless `/dev/zero`, a growing log, a huge file all
//! stop at the limit with an error), and `--fix` never opens anything but a regular file, so
//! a FIFO without a writer cannot hang it.

use std::fs::{File, Metadata};
use std::hash::Hasher;
use std::io::Read;
use std::path::Path;
use std::time::SystemTime;

/// The most bytes read from one input. No report comes near it (a year's report is well
/// under 1 MiB); it keeps memory bounded when an endless or enormous file is named.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// What a file was when it was read: enough to notice that anything replaced, rewrote,
/// truncated or touched it since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    device: u64,
    inode: u64,
    size: u64,
    modified: Option<SystemTime>,
    /// Of the bytes read, when they were read to be fixed (hashing 5 MB takes 5 ms, for a
    /// check that never writes); a snapshot without it never vouches for a file.
    hash: Option<u64>,
}

/// Why an input could not be read; `Display` says what is wrong and what to do, without
/// the file's name (the caller puts it first).
#[derive(Debug)]
pub enum ReadError {
    /// The system refused (missing, no permission, …).
    Io(std::io::Error),
    /// `--fix` was asked for something that is not a regular file.
    NotRegular(&'static str),
    /// The input holds more than `MAX_INPUT_BYTES`.
    TooLarge { known_size: Option<u64> },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let limit = MAX_INPUT_BYTES / (1024 * 1024);
        match self {
            ReadError::Io(error) => write!(formatter, "cannot read it: {error}"),
            ReadError::NotRegular(kind) => write!(
                formatter,
                "is {kind}, not a regular file; --fix only rewrites regular files, so nothing was read or written (check it without --fix, or fix a copy: `reportlint check --fix - < FILE > fixed.txt`)"
            ),
            ReadError::TooLarge {
                known_size: Some(size),
            } => write!(
                formatter,
                "is {} MiB, more than the {limit} MiB reportlint reads; nothing was read. Split the file or check the report it holds on its own",
                size.div_ceil(1024 * 1024)
            ),
            ReadError::TooLarge { known_size: None } => write!(
                formatter,
                "holds more than {limit} MiB (or never ends, like /dev/zero); reading stopped there and nothing was checked. Name a report file instead"
            ),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<std::io::Error> for ReadError {
    fn from(error: std::io::Error) -> ReadError {
        ReadError::Io(error)
    }
}

/// Reads the file at `path` (through symbolic links). With `for_fix`, anything but a
/// regular file is refused before it is opened: opening a FIFO waits for a writer, and a
/// device or FIFO cannot be replaced by a fixed copy without destroying what it is.
/// Without `for_fix`, FIFOs and devices named explicitly are read (process substitution
/// `<(…)` is a FIFO), up to the limit.
pub fn read_file(path: &Path, for_fix: bool) -> Result<(Vec<u8>, Snapshot), ReadError> {
    let metadata = std::fs::metadata(path)?;
    if for_fix {
        if let Some(kind) = not_regular(&metadata) {
            return Err(ReadError::NotRegular(kind));
        }
    }
    if metadata.is_file() && metadata.len() > MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge {
            known_size: Some(metadata.len()),
        });
    }
    let file = open(path, for_fix)?;
    let opened = file.metadata()?;
    if for_fix {
        // The path may have been swapped for a FIFO or a device since `metadata`.
        if let Some(kind) = not_regular(&opened) {
            return Err(ReadError::NotRegular(kind));
        }
    }
    let capacity = if opened.is_file() { opened.len() } else { 0 };
    let bytes = read_bounded(file, capacity)?;
    let snapshot = Snapshot::of(&opened, &bytes, for_fix);
    Ok((bytes, snapshot))
}

/// Reads standard input whole, up to the limit.
pub fn read_stdin() -> Result<Vec<u8>, ReadError> {
    read_bounded(std::io::stdin().lock(), 0)
}

/// Whether the file at `path` is still exactly what `snapshot` describes: the same file
/// (device and inode), the same size and modification time, the same bytes. `Ok(false)`
/// when it changed; an error when it cannot be opened (a vanished file is `NotFound`).
pub fn unchanged(path: &Path, snapshot: &Snapshot) -> std::io::Result<bool> {
    let file = open(path, true)?;
    let metadata = file.metadata()?;
    let identity = Snapshot {
        hash: snapshot.hash,
        ..Snapshot::of(&metadata, &[], false)
    };
    if not_regular(&metadata).is_some() || identity != *snapshot {
        return Ok(false);
    }
    let bytes = match read_bounded(file, metadata.len()) {
        Ok(bytes) => bytes,
        Err(ReadError::Io(error)) => return Err(error),
        Err(_) => return Ok(false),
    };
    Ok(snapshot.hash == Some(hash(&bytes)) && bytes.len() as u64 == snapshot.size)
}

/// What kind of file this is, when it is not a regular file.
pub fn not_regular(metadata: &Metadata) -> Option<&'static str> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_char_device() {
            return Some("a character device");
        }
        if kind.is_block_device() {
            return Some("a block device");
        }
    }
    Some("not a regular file")
}

impl Snapshot {
    fn of(metadata: &Metadata, bytes: &[u8], hashed: bool) -> Snapshot {
        #[cfg(unix)]
        let (device, inode) = {
            use std::os::unix::fs::MetadataExt;
            (metadata.dev(), metadata.ino())
        };
        #[cfg(not(unix))]
        let (device, inode) = (0, 0);
        Snapshot {
            device,
            inode,
            size: if metadata.is_file() {
                metadata.len()
            } else {
                bytes.len() as u64
            },
            modified: metadata.modified().ok(),
            hash: hashed.then(|| hash(bytes)),
        }
    }
}

/// Opens for reading; for a file to be fixed, without waiting: if the path became a FIFO
/// since it was looked at, the open returns at once and the kind check refuses it.
fn open(path: &Path, no_wait: bool) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    if no_wait {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK changes nothing for reads of a regular file.
        options.custom_flags(libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    let _ = no_wait;
    options.open(path)
}

/// Reads to the end, or fails with `TooLarge` as soon as more than the limit arrived.
fn read_bounded(source: impl Read, capacity: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::with_capacity(capacity.min(MAX_INPUT_BYTES) as usize);
    source.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge { known_size: None });
    }
    Ok(bytes)
}

/// A hash of the bytes read, to notice a rewrite that kept the size and the modification
/// time (coarse clocks, `touch -r`). Not a defence against an adversary: it compares a file
/// with itself moments later.
fn hash(bytes: &[u8]) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish()
}
