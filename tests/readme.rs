//! Keeps the README true: its custom-profile example parses and catches a wrong total, its
//! first command runs on the sample it names, the output it shows is the binary's, and its
//! rules table is the registry.

use reportlint::lint::{lint, LintOptions};
use reportlint::profile::{builtins, parse_profile};

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md is readable")
}

/// The first ```toml block after the heading "Writing your own profile".
fn profile_example(readme: &str) -> String {
    let section = &readme[readme
        .find("### Writing your own profile")
        .expect("the README documents custom profiles")..];
    let start = section
        .find("```toml\n")
        .expect("the section has a TOML example")
        + "```toml\n".len();
    let end = section[start..].find("```").expect("the example is closed") + start;
    section[start..end].to_string()
}

#[test]
fn the_custom_profile_example_works() {
    let profile = parse_profile(&profile_example(&readme()), "README.md", builtins())
        .expect("the README's profile parses");
    let report = "某市2024年统计报告\n\n一、总体情况\n\n| 项目 | 上半年 | 下半年 | 全年 |\n|---|---|---|---|\n| 一、收入 | 10.50 | 20.00 | 30.50 |\n| 二、支出 | 8.00 | 9.00 | 18.00 |\n";
    let result = lint(
        report,
        &LintOptions {
            profile: Some(&profile),
            ..LintOptions::default()
        },
    );
    let codes: Vec<&str> = result
        .diagnostics
        .iter()
        .map(|diagnostic| diagnostic.code)
        .collect();
    assert_eq!(codes, ["sum-mismatch"], "{:#?}", result.diagnostics);
    assert!(
        result.diagnostics[0].message.en.contains("17.00"),
        "{}",
        result.diagnostics[0].message.en
    );
}

#[test]
fn the_first_command_names_a_sample_that_exists() {
    let text = readme();
    let command = text
        .lines()
        .find(|line| line.starts_with("cargo run --release -- check "))
        .expect("the README shows how to run reportlint");
    let path = command
        .split_whitespace()
        .nth(5)
        .expect("the command names a file");
    assert!(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(path)
            .is_file(),
        "{path} does not exist"
    );
    assert!(
        text.lines().any(|line| line.starts_with("cargo test")),
        "the README shows how to run the tests"
    );
}

/// Every line of the README's excerpt of the first command's output, except the elided
/// ones (holding `…`), is a line the binary prints for that command.
#[cfg(feature = "cli")]
#[test]
fn the_first_commands_output_excerpt_is_what_it_prints() {
    let text = readme();
    let section = &text[text
        .find("The first command prints (excerpt):")
        .expect("the README shows the first command's output")..];
    let start = section.find("```text\n").expect("a text block") + "```text\n".len();
    let end = section[start..].find("```").expect("the block is closed") + start;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(["check", "fixtures/samples/quangang-2020-tsv.txt"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(1));
    let printed = String::from_utf8(output.stdout).expect("UTF-8 output");
    let printed: Vec<&str> = printed.lines().collect();
    let missing: Vec<&str> = section[start..end]
        .lines()
        .filter(|line| !line.contains('…') && !printed.contains(line))
        .collect();
    assert!(
        missing.is_empty(),
        "README lines the binary does not print:\n{}",
        missing.join("\n")
    );
    assert!(
        printed
            .last()
            .is_some_and(|line| section[start..end].contains(line)),
        "the README shows the last line"
    );
}

/// The rules table lists every registered rule, in registry order, with its default
/// severity: the registry is the one list, and the README is checked against it.
#[test]
fn the_rules_table_is_the_registry() {
    let readme = readme();
    let section = &readme[readme.find("## Rules").expect("a Rules section")..];
    let rows: Vec<(String, String)> = section
        .lines()
        .skip_while(|line| !line.starts_with("|---"))
        .skip(1)
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (cells[1].trim_matches('`').to_string(), cells[2].to_string())
        })
        .collect();
    let registry: Vec<(String, String)> = reportlint::rules::RULES
        .iter()
        .map(|rule| {
            let severity = format!("{:?}", rule.meta.default_severity).to_lowercase();
            (rule.meta.code.to_string(), severity)
        })
        .collect();
    assert_eq!(rows, registry);
}
