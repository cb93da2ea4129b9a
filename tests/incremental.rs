//! Incremental re-parsing equals a full parse: the real samples and a spread of fixtures are
//! edited at random, one change at a time, and after every change `reparse` of the previous
//! document must give exactly what `parse` of the new text gives. Likewise the analysis
//! after an edit, built from the previous one, answers what a fresh analysis answers.

use reportlint::analysis::Analysis;
use reportlint::document::{parse, reparse, reparse_mapped, Document, TextChange};
use reportlint::lint::LintOptions;
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use text_size::{TextRange, TextSize};

/// A small deterministic generator (xorshift64*), so a failure can be replayed from its seed.
struct Random(u64);

impl Random {
    fn new(seed: u64) -> Random {
        Random(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

/// What edits insert: the characters that make and break blocks.
const PIECES: &[&str] = &[
    "\n",
    "\n\n",
    "\t",
    "|",
    " | ",
    "---",
    "|---|---|",
    "12",
    "0 0 0 0 0",
    "   ",
    "    12",
    "总计",
    "<!-- x -->",
    "\r\n",
    "一、",
    "（三）",
    "# ",
    "```",
    "~~~",
    "<div>",
    "\n|\n",
    "中",
    "𠀀",
    "\u{a0}",
    "x",
];

/// Every sample, and fixtures covering each table encoding, CRLF text and comments in tables.
fn sources() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("samples"))
        .expect("fixtures/samples exists")
        .map(|entry| entry.expect("readable entry").path())
        .collect();
    paths.sort();
    for name in [
        "formats/gov-2019-cells-clean.txt",
        "formats/gov-2019-flat-clean.txt",
        "formats/gov-2019-pipe-clean.txt",
        "formats/gov-2019-pipesep-clean.txt",
        "formats/gov-2019-tsv-clean.txt",
        "formats/gov-2021-flattened-group-lines-clean.txt",
        "formats/gov-2021-markdown-clean.md",
        "formats/gov-2021-tsv-bare-group-label-errors.txt",
        "formats/gov-legacy-pipe-clean.md",
        "formats/generic-english-clean.md",
        "formats/generic-aligned-budget-clean.txt",
        "formats/generic-aligned-balance-sheet-errors.txt",
        "formats/generic-aligned-pdftotext-statistics-errors.txt",
        "formats/gov-2021-pdf-aligned-errors.txt",
        "rules/sum-mismatch/bad-crlf-padded-styled-cells.md",
        "rules/sum-mismatch/bad-suppression-comment-inside-table.md",
        "rules/sum-mismatch/bad-table4-block-total-pipe-separated.txt",
        "rules/table-shape/bad-split-row-cell-per-line.txt",
        "rules/label-mismatch/good-label-broken-over-lines.txt",
        "rules/missing-section/good-table-rows-look-like-headings.txt",
        "rules/blank-cell/good-group-headings-tsv.txt",
        "layouts/gov-2021-errors.blank-between-cells.txt",
        "layouts/gov-2021-errors.pipe-cells.txt",
        "layouts/gov-2021-errors.pipe-cells-row-openers.txt",
        "layouts/gov-2021-errors.tsv-wrapped.txt",
        "published/14_district_tjj_2023_pipecells.txt",
        "published/10_xixian_taiping_2022_cells.txt",
    ] {
        paths.push(root.join(name));
    }
    paths
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).expect("fixture is readable");
            String::from_utf8(bytes).ok().map(|text| (path, text))
        })
        .collect()
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A random place to edit: anywhere, at a line's start or end, or near the last edit.
fn edit_start(text: &str, random: &mut Random, last: usize) -> usize {
    let at = match random.below(10) {
        0..=3 => random.below(text.len() + 1),
        4..=6 => {
            let newlines: Vec<usize> = text.match_indices('\n').map(|(at, _)| at).collect();
            match newlines.get(random.below(newlines.len() + 1)) {
                Some(&newline) if random.below(2) == 0 => newline,
                Some(&newline) => newline + 1,
                None => text.len(),
            }
        }
        _ => last + random.below(9),
    };
    floor_boundary(
        text,
        at.saturating_sub(4 * usize::from(random.below(10) == 0)),
    )
}

/// The text an edit inserts: nothing, one to three pieces, or a copy of a nearby line.
fn inserted(text: &str, random: &mut Random, at: usize) -> String {
    match random.below(10) {
        0..=1 => String::new(),
        2 => {
            let line_start = text[..at].rfind('\n').map_or(0, |newline| newline + 1);
            let line_end = text[at..]
                .find('\n')
                .map_or(text.len(), |offset| at + offset + 1);
            text[line_start..line_end].to_string()
        }
        _ => (0..1 + random.below(3))
            .map(|_| PIECES[random.below(PIECES.len())])
            .collect(),
    }
}

/// The context of a failing edit for the message: the new text around the change.
fn context(text: &str, start: usize, end: usize) -> String {
    let from = floor_boundary(text, start.saturating_sub(80));
    let to = floor_boundary(text, end + 80);
    format!("{:?}", &text[from..to])
}

/// Where two documents part: the first differing block, or the titles.
fn difference(incremental: &Document, full: &Document) -> String {
    let differing = (0..incremental.blocks.len().max(full.blocks.len()))
        .find(|&index| incremental.blocks.get(index) != full.blocks.get(index));
    match differing {
        Some(index) => format!(
            "block {index} of {}/{}:\nreparse: {:#?}\nparse: {:#?}",
            incremental.blocks.len(),
            full.blocks.len(),
            incremental.blocks.get(index),
            full.blocks.get(index)
        ),
        None => format!(
            "title:\nreparse: {:#?}\nparse: {:#?}",
            incremental.title, full.title
        ),
    }
}

/// `text` with `start..end` replaced by `insert`, and that change.
fn replaced(text: &str, (start, end): (usize, usize), insert: &str) -> (String, TextChange) {
    let next = format!("{}{insert}{}", &text[..start], &text[end..]);
    let change = TextChange {
        old_range: TextRange::new(
            TextSize::try_from(start).unwrap(),
            TextSize::try_from(end).unwrap(),
        ),
        new_len: TextSize::try_from(insert.len()).unwrap(),
    };
    (next, change)
}

/// Replaces `start..end` of `text` by `insert`, re-parses incrementally and from scratch,
/// and fails with `what` and the difference unless the two agree. Returns the new text and
/// its document.
fn edit_and_compare(
    text: &str,
    document: &Document,
    (start, end): (usize, usize),
    insert: &str,
    what: &str,
) -> (String, Document) {
    let (next, change) = replaced(text, (start, end), insert);
    let incremental = reparse(document, &next, &change);
    let full = parse(&next);
    assert!(
        incremental == full,
        "reparse differs from parse: {what}: replaced {start}..{end} ({:?}) by {insert:?}\n\
         new text near the change: {}\n{}",
        &text[start..end],
        context(&next, start, start + insert.len()),
        difference(&incremental, &full),
    );
    (next, full)
}

#[test]
fn reparse_after_every_random_edit_equals_a_full_parse() {
    const SEQUENCES: u64 = 100;
    const EDITS: usize = 6;
    let mut edits = 0;
    for (file, (path, source)) in sources().into_iter().enumerate() {
        for sequence in 0..SEQUENCES {
            let seed = (file as u64) << 32 | sequence;
            let mut random = Random::new(seed);
            let mut text = source.clone();
            let mut document = parse(&text);
            let mut last = random.below(text.len() + 1);
            for step in 0..EDITS {
                let start = edit_start(&text, &mut random, last);
                let removed = match random.below(4) {
                    0 | 1 => 0,
                    2 => 1 + random.below(4),
                    _ => random.below(120),
                };
                let end = floor_boundary(&text, start + removed);
                let insert = inserted(&text, &mut random, start);
                let what = format!("{} seed {seed} step {step}", path.display());
                let (next, full) = edit_and_compare(&text, &document, (start, end), &insert, &what);
                edits += 1;
                document = full;
                text = next;
                last = start + insert.len();
            }
        }
    }
    assert!(edits >= 10_000, "only {edits} edits ran");
}

/// Editing a long document: several copies of the samples, so that changes far from the end
/// leave most of the text to the windows and resync points.
#[test]
fn reparse_in_a_long_document_equals_a_full_parse() {
    let text: String = sources()
        .iter()
        .take(3)
        .map(|(_, source)| source.as_str())
        .collect::<Vec<_>>()
        .join("\n")
        .repeat(3);
    let mut random = Random::new(7);
    let mut text = text;
    let mut document = parse(&text);
    let mut last = 0;
    for step in 0..200 {
        let start = edit_start(&text, &mut random, last);
        let end = floor_boundary(&text, start + random.below(3) * random.below(40));
        let insert = inserted(&text, &mut random, start);
        let what = format!("long document, seed 7 step {step}");
        let (next, full) = edit_and_compare(&text, &document, (start, end), &insert, &what);
        document = full;
        text = next;
        last = start + insert.len();
    }
}

/// Every UTF-8 fixture, in path order.
fn every_fixture() -> Vec<(PathBuf, String)> {
    fn walk(directory: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(directory).expect("a readable fixture folder") {
            let path = entry.expect("a readable entry").path();
            if path.is_dir() {
                walk(&path, found);
            } else if path
                .extension()
                .is_some_and(|extension| extension == "md" || extension == "txt")
            {
                found.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &mut paths,
    );
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| {
            let text = String::from_utf8(std::fs::read(&path).ok()?).ok()?;
            Some((path, text))
        })
        .collect()
}

/// What a shell can ask an analysis: the findings (with their fixes), the counts and the
/// profile, the arithmetic of every relation, and the hovers at `offsets`.
fn answers(analysis: &Analysis, offsets: &[usize]) -> String {
    let mut answers = format!("{:#?}\n", analysis.result());
    let text = analysis.text();
    for evidence in analysis.evidence_in(0..text.len()) {
        answers.push_str(&format!("in view: {evidence:?}\n"));
    }
    for &offset in offsets {
        for evidence in analysis.evidence_at(offset.min(text.len())) {
            answers.push_str(&format!("at {offset}: {evidence:?}\n"));
        }
    }
    answers.push_str(&format!("{:?}", analysis.profile_text()));
    answers
}

/// An analysis built after each edit from the previous one (`Analysis::update`, which keeps
/// the free tables and block facts the edit did not reach) answers exactly what a fresh
/// analysis of the new text answers: findings, fixes, counts, hovers and inlay hints.
#[test]
fn analysis_after_every_random_edit_equals_a_fresh_analysis() {
    const SEQUENCES: u64 = 4;
    const EDITS: usize = 5;
    let options = LintOptions::default();
    // Every fixture, and a long document of several whose tables an edit mostly leaves alone.
    let mut sources = every_fixture();
    let long: String = sources
        .iter()
        .filter(|(path, _)| path.to_string_lossy().contains("samples"))
        .map(|(_, text)| text.as_str())
        .chain(sources.iter().take(12).map(|(_, text)| text.as_str()))
        .collect::<Vec<_>>()
        .join("\n\n");
    sources.push((PathBuf::from("several fixtures joined"), long));
    let mut edits = 0;
    for (file, (path, source)) in sources.iter().enumerate() {
        for sequence in 0..SEQUENCES {
            let seed = (file as u64) << 32 | sequence;
            let mut random = Random::new(seed);
            let mut analysis = Analysis::of_text(source.clone(), None, &options);
            let mut last = random.below(source.len() + 1);
            for step in 0..EDITS {
                let text = analysis.text();
                let start = edit_start(text, &mut random, last);
                let removed = match random.below(4) {
                    0 | 1 => 0,
                    2 => 1 + random.below(4),
                    _ => random.below(60),
                };
                let end = floor_boundary(text, start + removed);
                let insert = inserted(text, &mut random, start);
                let (next, change) = replaced(text, (start, end), insert.as_str());
                // Built, so that the next analysis takes it over edited.
                analysis.line_index();
                // Both ways the server builds the next analysis: taking the previous one
                // apart (its blocks re-parsed in place), or from a copy while it is shared.
                let updated = if step % 2 == 0 {
                    let (_, document, mut carry) = analysis.into_parts();
                    carry.edited(&next, start..end, insert.len());
                    let document = Arc::try_unwrap(document).expect("the only holder");
                    let (document, map) = reparse_mapped(Cow::Owned(document), &next, &change);
                    Analysis::update(carry, map, next.clone(), Arc::new(document), None, &options)
                } else {
                    let (document, map) =
                        reparse_mapped(Cow::Borrowed(analysis.document()), &next, &change);
                    let mut carry = analysis.carry();
                    carry.edited(&next, start..end, insert.len());
                    Analysis::update(carry, map, next.clone(), Arc::new(document), None, &options)
                };
                let fresh = Analysis::of_text(next.clone(), None, &options);
                assert_eq!(
                    updated.line_index(),
                    fresh.line_index(),
                    "{} seed {seed} step {step}: the edited line index",
                    path.display()
                );
                let offsets = [
                    start,
                    random.below(next.len() + 1),
                    random.below(next.len() + 1),
                ];
                let (updated_answers, fresh_answers) =
                    (answers(&updated, &offsets), answers(&fresh, &offsets));
                if updated_answers != fresh_answers {
                    let line = updated_answers
                        .lines()
                        .zip(fresh_answers.lines())
                        .position(|(left, right)| left != right)
                        .unwrap_or(0);
                    panic!(
                        "{} seed {seed} step {step}: replaced {start}..{end} by {insert:?}; \
                         the updated analysis differs from a fresh one at line {line}:\n\
                         updated: {}\nfresh:   {}\nnear the change: {}",
                        path.display(),
                        updated_answers.lines().nth(line).unwrap_or(""),
                        fresh_answers.lines().nth(line).unwrap_or(""),
                        context(&next, start, start + insert.len()),
                    );
                }
                edits += 1;
                last = start + insert.len();
                analysis = updated;
            }
        }
    }
    assert!(edits >= 2_500, "only {edits} edits ran");
}
