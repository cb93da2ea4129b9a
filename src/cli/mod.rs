//! The command-line shell: parses arguments, reads files, runs the engine, prints results
//! and decides the exit code. It decides nothing about reports: every finding, message and
//! fix comes from the core. Exit codes: 0 nothing at or above `--fail-on`, 1 something is,
//! 2 the tool failed (bad arguments, unreadable file, bad configuration), in every format.

pub mod encoding;
pub mod files;
pub mod read;
pub mod render;
mod run;
pub mod write;

use crate::diagnostic::{Lang, Severity};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// reportlint: checks report drafts (sections, tables, totals) and repairs wrong totals.
#[derive(Debug, Parser)]
#[command(name = "reportlint", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check report drafts and print what is wrong.
    Check(CheckArgs),
    /// List the rules, or print one rule's documentation.
    Rule {
        /// The rule's name, e.g. sum-mismatch.
        name: Option<String>,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Run the language server on stdin/stdout (for editors).
    #[cfg(feature = "lsp")]
    Lsp,
}

/// Arguments of `reportlint check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check (folders are walked for .md, .markdown and .txt); `-`
    /// reads standard input. Defaults to the current folder.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Profile: auto, gov-2021, gov-2019, gov-legacy, generic, or a custom profile's name.
    #[arg(long)]
    pub profile: Option<String>,
    /// Use this configuration file instead of looking for reportlint.toml.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Only run these rules (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Never run these rules (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Exit with 1 when anything at or above this severity is found.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Message language (default: from LANG).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Apply safe fixes and write the files back.
    #[arg(long)]
    pub fix: bool,
    /// Also apply unsafe fixes (implies --fix unless --diff is given).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing.
    #[arg(long)]
    pub diff: bool,
    /// The file name to report (and to look up configuration for) when reading stdin.
    #[arg(long)]
    pub stdin_filename: Option<PathBuf>,
    /// Also print, per file, the profile it was checked against and why.
    #[arg(long)]
    pub verbose: bool,
    /// Read files in this encoding instead of detecting it (e.g. gbk, gb18030, utf-8).
    #[arg(long)]
    pub encoding: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    fn threshold(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    Zh,
}

/// The language of messages: `--lang`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`).
fn language(argument: Option<LangArg>) -> Lang {
    match argument {
        Some(LangArg::En) => Lang::En,
        Some(LangArg::Zh) => Lang::Zh,
        None => ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .find(|value| !value.is_empty())
            .map_or(Lang::En, |locale| Lang::from_locale(&locale)),
    }
}

/// Runs the command line; returns the process exit code.
pub fn main() -> ExitCode {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("REPORTLINT_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .without_time()
        .try_init();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Check(args) => run::check(&args),
        Command::Rule { name, json } => run::rule(name.as_deref(), json),
        #[cfg(feature = "lsp")]
        Command::Lsp => crate::lsp::run(),
    }
}
