//! Bad input never panics: thousands of deterministic random mutations of the real samples
//! and of the format fixtures (characters deleted, duplicated, or replaced by the
//! characters tables are made of) are linted and fixed; fixing always settles.

use reportlint::fix::{fix_until_stable, FixMode};
use reportlint::lint::{lint, LintOptions};

/// A small deterministic generator (SplitMix64), so failures can be replayed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut value = self.0;
        value = (value ^ (value >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        value = (value ^ (value >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        value ^ (value >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "\t",
    "|",
    "\n",
    "\n\n",
    "\r\n",
    "0",
    "9",
    "-",
    "/",
    "总计",
    "合计",
    "（一）",
    "一、",
    "1.",
    "\u{a0}",
    "\u{3000}",
    "１",
    ",",
    ".",
    "万元",
    "%",
    "#",
    "**",
    "<!-- reportlint-disable -->",
    "😀",
    "𠀀",
    "",
];

fn mutate(text: &str, random: &mut Random) -> String {
    let mut characters: Vec<char> = text.chars().collect();
    for _ in 0..1 + random.below(8) {
        let at = random.below(characters.len() + 1);
        match random.below(3) {
            0 if at < characters.len() => {
                let end = (at + 1 + random.below(20)).min(characters.len());
                characters.drain(at..end);
            }
            1 if at < characters.len() => {
                let end = (at + 1 + random.below(40)).min(characters.len());
                let copy: Vec<char> = characters[at..end].to_vec();
                characters.splice(at..at, copy);
            }
            _ => {
                let piece = PIECES[random.below(PIECES.len())];
                characters.splice(at..at, piece.chars());
            }
        }
    }
    characters.into_iter().collect()
}

fn sources() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    ["samples", "formats"]
        .iter()
        .flat_map(|folder| std::fs::read_dir(root.join(folder)).expect("fixture folder exists"))
        .map(|entry| {
            std::fs::read_to_string(entry.expect("readable entry").path())
                .expect("fixtures are UTF-8")
        })
        .collect()
}

#[test]
fn mutated_reports_never_panic_and_fixing_settles() {
    let options = LintOptions::default();
    let mut random = Random(20261123);
    let sources = sources();
    // A fixed budget of mutations, spread over however many fixtures there are.
    let per_source = (600 / sources.len().max(1)).max(20);
    for source in sources {
        for _ in 0..per_source {
            let mutated = mutate(&source, &mut random);
            let result = lint(&mutated, &options);
            for diagnostic in &result.diagnostics {
                assert!(usize::from(diagnostic.range.end()) <= mutated.len());
                assert!(
                    mutated.is_char_boundary(diagnostic.range.start().into())
                        && mutated.is_char_boundary(diagnostic.range.end().into())
                );
            }
            let fixed = fix_until_stable(&mutated, FixMode::SafeAndUnsafe, |text| {
                lint(text, &options).diagnostics
            });
            assert!(
                fixed.is_ok(),
                "fixing did not settle for a mutation (seed 20261123)"
            );
        }
    }
}

#[test]
fn degenerate_inputs() {
    let options = LintOptions::default();
    for text in [
        "",
        "\n",
        "\t",
        "|",
        "||\n||",
        "\r\n\r\n",
        "\u{feff}",
        "一、",
        "# ",
        "| 总计 |\n|---|\n| 1 |",
        "\t\n\t\n\n\t",
        "总计 1 2 3\n合计 4 5 6",
        &"|".repeat(10_000),
        &"\t1".repeat(10_000),
    ] {
        let result = lint(text, &options);
        assert!(result
            .diagnostics
            .iter()
            .all(|diagnostic| usize::from(diagnostic.range.end()) <= text.len()));
    }
}

/// A wrong total over a row of 200,000 columns is found, and the search for the mistyped
/// cell stays linear in the row's width: when it tried each cell's change against the whole
/// row, this took minutes (64,000 columns: 7.8 s in a release build); linear, it takes
/// about a second in a debug build. The bound only guards against a return of that.
#[test]
fn a_very_wide_row_is_checked_in_time_linear_in_its_width() {
    let columns = 200_000;
    let mut text = String::from("| 项目 |");
    text.push_str(&" c |".repeat(columns));
    text.push_str(" 合计 |\n|");
    text.push_str(&"---|".repeat(columns + 2));
    text.push_str("\n| 甲 |");
    text.push_str(&" 1 |".repeat(columns));
    text.push_str(&format!(" {} |\n", columns + 1));
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(lint(&text, &LintOptions::default()));
    });
    let result = receiver
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("checking a 200,000-column row finishes within two minutes");
    let mismatch = result
        .diagnostics
        .iter()
        .find(|diagnostic| diagnostic.code == "sum-mismatch")
        .expect("the wrong total is found");
    assert!(
        mismatch
            .message
            .en
            .contains("is 200001 but its parts add up to 200000"),
        "{}",
        mismatch.message.en
    );
}
