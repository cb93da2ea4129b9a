//! Picks the profile for a document from all its evidence. First the family: a government
//! disclosure report (its title, its six section headings, its template tables' labels, an
//! opening that names the report) or anything else (`generic`). Then the format, from the
//! report's year as the title gives it, else the statistics period (`统计期限为2023年…`),
//! else the opening text (`2022年以来`), else the cited format notice (国办公开办函〔2021〕30号),
//! else the tables' columns. The tables' layout is read independently: when it belongs to
//! another format than the year's, the selection says so (the `wrong-format` rule reports it)
//! and tables are checked against the layout they actually have, so one wrong format does
//! not bury the report in row-by-row noise.

use super::{builtin, builtins, Profile};
use crate::diagnostic::Message;
use crate::document::heading::NumberingStyle;
use crate::document::{find_year_before_nian, is_furniture, Block, BlockKind, Document};
use crate::text::label_key;
use std::sync::{Arc, OnceLock};
use text_size::TextRange;

/// The outcome of profile selection.
#[derive(Debug, Clone)]
pub struct Selection<'p> {
    /// The profile the report must follow (named in every output).
    pub profile: &'p Profile,
    /// The profile whose table templates match the tables as written.
    pub tables: &'p Profile,
    /// Where the tables show a layout of another format than `profile`.
    pub wrong_format: Option<TextRange>,
    /// The year the report is about, from the first evidence that gives one (title,
    /// statistics period, opening text), for disclosure reports.
    pub year: Option<u32>,
    /// Which evidence decided `profile`.
    pub basis: Basis,
    /// Why `profile` was chosen, for people: `title year 2023`, `table columns, no year found`
    /// (`basis` in English).
    pub reason: String,
}

/// The evidence a profile was chosen on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// `--profile` or the configuration.
    Forced,
    /// The year in the title.
    TitleYear(u32),
    /// The year of the statistics period (`统计期限自2022年1月1日起…`).
    StatisticsPeriod(u32),
    /// The first `N年` of the opening paragraphs (`2022年以来`).
    OpeningText(u32),
    /// The format notice the report cites: 2019 (〔2019〕60号) or 2021 (〔2021〕30号).
    FormatNotice(u32),
    /// No year: the format of the tables' columns.
    TableColumns,
    /// A disclosure report without a year or template tables: the current format.
    NoEvidence,
    /// Not a disclosure report.
    NotDisclosure,
}

impl Basis {
    /// The reason in both languages (`title year 2023` / `标题年份 2023`).
    pub fn message(self) -> Message {
        match self {
            Basis::Forced => Message::new(
                "chosen by --profile or the configuration",
                "由 --profile 或配置文件指定",
            ),
            Basis::TitleYear(year) => {
                Message::new(format!("title year {year}"), format!("标题年份 {year}"))
            }
            Basis::StatisticsPeriod(year) => {
                Message::new(format!("统计期限 {year}"), format!("统计期限 {year}"))
            }
            Basis::OpeningText(year) => Message::new(
                format!("opening text {year}年"),
                format!("开头文字 {year}年"),
            ),
            Basis::FormatNotice(2021) => {
                Message::new("format notice 〔2021〕30号", "引用的格式通知 〔2021〕30号")
            }
            Basis::FormatNotice(_) => {
                Message::new("format notice 〔2019〕60号", "引用的格式通知 〔2019〕60号")
            }
            Basis::TableColumns => {
                Message::new("table columns, no year found", "表格的列，未找到年份")
            }
            Basis::NoEvidence => Message::new(
                "a disclosure report with no year and no template tables",
                "政府信息公开工作年度报告，未找到年份，也没有模板表格",
            ),
            Basis::NotDisclosure => Message::new(
                "no disclosure-report title, sections or tables",
                "没有政府信息公开工作年度报告的标题、章节或表格",
            ),
        }
    }
}

/// Selects a profile. `forced` comes from `--profile` or the configuration.
pub fn select<'p>(source: &str, document: &Document, forced: Option<&'p Profile>) -> Selection<'p>
where
    'static: 'p,
{
    let facts: Vec<Option<Arc<BlockFacts>>> = document
        .blocks
        .iter()
        .map(|block| BlockFacts::of(source, block))
        .collect();
    select_from(source, document, forced, &facts)
}

/// `select`, from the facts of every block of `document` (`BlockFacts::of` of each, in
/// order), which an analysis after an edit takes over for the blocks it kept.
pub fn select_from<'p>(
    source: &str,
    document: &Document,
    forced: Option<&'p Profile>,
    facts: &[Option<Arc<BlockFacts>>],
) -> Selection<'p>
where
    'static: 'p,
{
    let layout = detect_layout(document, facts);
    let disclosure = is_disclosure_report(source, document, facts);
    let year = if disclosure {
        report_year(source, document)
    } else {
        None
    };
    let (profile, basis) = match forced {
        Some(profile) => (profile, Basis::Forced),
        None => auto_profile(source, disclosure, year, layout.map(|(profile, _)| profile)),
    };
    let (tables, wrong_format) = match layout {
        Some((layout_profile, evidence))
            if !profile.layout_markers.is_empty() && layout_profile.name != profile.name =>
        {
            (layout_profile, Some(evidence))
        }
        _ => (profile, None),
    };
    Selection {
        profile,
        tables,
        wrong_format,
        year: year.map(|(year, _)| year),
        basis,
        reason: basis.message().en,
    }
}

/// A paragraph this short, on one line and without sentence punctuation, may be a table
/// cell that a web export wrote on its own line.
const MAX_CELL_PARAGRAPH: usize = 24;

/// The markers selection looks for in labels, as label keys: the report markers of every
/// built-in profile, and the layout markers of each profile that has them.
struct Markers {
    /// How many report markers lead the automaton's patterns.
    reports: usize,
    /// `(profile, its layout markers)`, the markers numbered in this order across profiles.
    layouts: Vec<(&'static Profile, Vec<String>)>,
    /// Every report marker, then every layout marker in their numbering: one pass over a
    /// label finds all it carries.
    automaton: aho_corasick::AhoCorasick,
    /// The six sections of a disclosure report, their wordings as label keys.
    sections: Vec<super::SectionKeys>,
}

fn markers() -> &'static Markers {
    static MARKERS: OnceLock<Markers> = OnceLock::new();
    MARKERS.get_or_init(|| {
        let report: Vec<String> = builtins()
            .iter()
            .flat_map(|profile| &profile.report_markers)
            .map(|marker| label_key(marker))
            .collect();
        let layouts: Vec<(&'static Profile, Vec<String>)> = builtins()
            .iter()
            .filter(|profile| !profile.layout_markers.is_empty())
            .map(|profile| {
                let keys = profile
                    .layout_markers
                    .iter()
                    .map(|marker| label_key(marker))
                    .collect();
                (profile, keys)
            })
            .collect();
        let patterns = report
            .iter()
            .chain(layouts.iter().flat_map(|(_, keys)| keys));
        Markers {
            reports: report.len(),
            automaton: aho_corasick::AhoCorasick::new(patterns)
                .expect("the built-in markers make an automaton"),
            layouts,
            sections: builtin("gov-2019").map_or_else(Vec::new, |profile| {
                profile
                    .sections
                    .iter()
                    .map(|section| section.keys())
                    .collect()
            }),
        }
    })
}

/// What one block tells the selection, found once per block: which markers its labels
/// (a table's text cells, or a paragraph short enough to be a cell) carry, and which of the
/// six sections a heading names. Depends on the block's text alone, so it is kept while the
/// block is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockFacts {
    /// A table's cells, not a lone paragraph: table cells are evidence before paragraphs.
    in_table: bool,
    /// Some label carries a report marker.
    report_marker: bool,
    /// For each layout marker found (numbered as in `Markers::layouts`), the first label
    /// that carries it, relative to the block's start.
    layout_hits: Vec<(usize, TextRange)>,
    /// The sections of a disclosure report a heading names, one bit each.
    sections: u64,
}

impl BlockFacts {
    /// The facts of `block`, `None` when it tells nothing.
    pub fn of(source: &str, block: &Block) -> Option<Arc<BlockFacts>> {
        let markers = markers();
        let mut facts = BlockFacts {
            in_table: false,
            report_marker: false,
            layout_hits: Vec::new(),
            sections: 0,
        };
        let start = block.range.start();
        let label = |key: &str, range: TextRange, facts: &mut BlockFacts| {
            for found in markers.automaton.find_overlapping_iter(key) {
                let Some(index) = found.pattern().as_usize().checked_sub(markers.reports) else {
                    facts.report_marker = true;
                    continue;
                };
                if !facts.layout_hits.iter().any(|&(hit, _)| hit == index) {
                    facts.layout_hits.push((index, range - start));
                }
            }
        };
        match &block.kind {
            BlockKind::Table(table) => {
                facts.in_table = true;
                for cell in table.rows().flat_map(|row| row.cells) {
                    if cell.is_text() {
                        let range = table.cell_range(cell);
                        label(&label_key(&source[range]), range, &mut facts);
                    }
                }
            }
            BlockKind::Paragraph => {
                let text = &source[block.range];
                if !text.contains('\n')
                    && !text.contains(['。', '，', '；'])
                    && text.chars().count() <= MAX_CELL_PARAGRAPH
                {
                    label(&label_key(text), block.range, &mut facts);
                }
            }
            BlockKind::Heading(heading) => {
                let numbered_otherwise = heading
                    .numbering
                    .is_some_and(|numbering| numbering.style != NumberingStyle::ChineseComma);
                if !numbered_otherwise {
                    let key = label_key(&source[heading.title_range]);
                    for (index, spec) in markers.sections.iter().enumerate().take(64) {
                        if spec.accepts(&key) {
                            facts.sections |= 1 << index;
                        }
                    }
                }
            }
            BlockKind::Comment => {}
        }
        let tells = facts.report_marker || !facts.layout_hits.is_empty() || facts.sections != 0;
        tells.then(|| Arc::new(facts))
    }
}

fn auto_profile(
    source: &str,
    disclosure: bool,
    year: Option<(u32, Basis)>,
    layout: Option<&'static Profile>,
) -> (&'static Profile, Basis) {
    let named = |name: &str| builtin(name).expect("the built-in profiles exist");
    if !disclosure {
        return (named("generic"), Basis::NotDisclosure);
    }
    if let Some((year, basis)) = year {
        if let Some(profile) = profile_for_year(year) {
            return (profile, basis);
        }
    }
    match (cited_notice(source), layout) {
        (Some(2021), _) => (named("gov-2021"), Basis::FormatNotice(2021)),
        // 〔2019〕60号 is still cited by reports on 2021 and later, which draw the 2021 tables:
        // the notice says the report is on 2019 or later, the columns say which format.
        (Some(_), Some(layout)) if layout.name != "gov-2019" => (layout, Basis::TableColumns),
        (Some(notice), _) => (named("gov-2019"), Basis::FormatNotice(notice)),
        (None, Some(layout)) => (layout, Basis::TableColumns),
        (None, None) => (named("gov-2021"), Basis::NoEvidence),
    }
}

/// The built-in format for reports on `year`.
fn profile_for_year(year: u32) -> Option<&'static Profile> {
    builtins().iter().find(|profile| {
        !profile.layout_markers.is_empty()
            && profile.first_year.is_none_or(|first| year >= first)
            && profile.last_year.is_none_or(|last| year <= last)
    })
}

/// Whether the document is a government disclosure report, from every signal together: a
/// title naming one is enough, and so is a table label only those reports carry (`第二十条`,
/// `本年新收政府信息公开申请数量`) or most of the six sections; weaker signals (a title that
/// names only an annual report, an opening that names the report) need sections too.
fn is_disclosure_report(
    source: &str,
    document: &Document,
    facts: &[Option<Arc<BlockFacts>>],
) -> bool {
    let title_key = document
        .title
        .as_ref()
        .map(|title| label_key(&title.text))
        .unwrap_or_default();
    let names_disclosure =
        |key: &str| key.contains("信息公开") && (key.contains("报告") || key.contains("年报"));
    if names_disclosure(&title_key) {
        return true;
    }
    if facts.iter().flatten().any(|facts| facts.report_marker) {
        return true;
    }
    let sections = facts
        .iter()
        .flatten()
        .fold(0u64, |found, facts| found | facts.sections)
        .count_ones();
    let names_report = title_key.contains("年度报告") || title_key.contains("年报");
    let opening_names_disclosure = opening_lines(source, document)
        .take(12)
        .any(|line| names_disclosure(&label_key(line)));
    sections >= 4 || (names_report || opening_names_disclosure) && sections >= 1
}

/// The report's year and where it was read: the title, else the statistics period, else
/// the first `N年` of the opening text.
fn report_year(source: &str, document: &Document) -> Option<(u32, Basis)> {
    if let Some(year) = document.title.as_ref().and_then(|title| title.year) {
        return Some((year, Basis::TitleYear(year)));
    }
    if let Some(year) = statistics_period_year(source, document) {
        return Some((year, Basis::StatisticsPeriod(year)));
    }
    opening_lines(source, document)
        .take(12)
        .find_map(report_year_in)
        .map(|year| (year, Basis::OpeningText(year)))
}

/// What follows a year that is not the report's: `2019年修订的《条例》`, `2008年施行`.
const NOT_THE_REPORT_YEAR: &[&str] = &["修订", "修正", "施行", "颁布", "公布的", "印发"];

/// The first `N年` of a line of the opening that is not the year of a law or a document.
fn report_year_in(line: &str) -> Option<u32> {
    let mut rest = line;
    while let Some((year, at)) = find_year_before_nian(rest) {
        // The year, `年` and what follows.
        let after = rest[at..]
            .char_indices()
            .nth(5)
            .map_or("", |(end, _)| &rest[at + end..]);
        let words: String = after.chars().take(4).collect();
        if !NOT_THE_REPORT_YEAR
            .iter()
            .any(|word| label_key(&words).starts_with(word))
        {
            return Some(year);
        }
        rest = after;
    }
    None
}

/// Words that introduce the statistics period, in both scripts.
const PERIOD_WORDS: &[&str] = &[
    "统计期限",
    "統計期限",
    "统计时限",
    "統計時限",
    "统计期间",
    "統計期間",
];

/// The first year of the statistics period (`统计期限为2023年1月1日至12月31日`).
fn statistics_period_year(source: &str, document: &Document) -> Option<u32> {
    document
        .blocks
        .iter()
        .filter(|block| matches!(block.kind, BlockKind::Paragraph))
        .map(|block| &source[block.range])
        .find_map(|text| {
            PERIOD_WORDS.iter().find_map(|word| {
                let after = &text[text.find(word)? + word.len()..];
                let window_end = after
                    .char_indices()
                    .nth(24)
                    .map_or(after.len(), |(at, _)| at);
                find_year_before_nian(&after[..window_end]).map(|(year, _)| year)
            })
        })
}

/// The lines of the opening paragraphs, after the title and up to the second section heading
/// or the first table, without page furniture (`发布时间：2022-01-26`).
fn opening_lines<'s>(source: &'s str, document: &'s Document) -> impl Iterator<Item = &'s str> {
    let title_end = document.title.as_ref().map(|title| title.range.end());
    let mut sections = 0;
    document
        .blocks
        .iter()
        .filter(move |block| title_end.is_none_or(|end| block.range.start() >= end))
        .take_while(move |block| match &block.kind {
            BlockKind::Table(_) => false,
            BlockKind::Heading(heading) => {
                if heading
                    .numbering
                    .is_some_and(|numbering| numbering.style == NumberingStyle::ChineseComma)
                {
                    sections += 1;
                }
                sections < 2
            }
            _ => true,
        })
        .filter(|block| matches!(block.kind, BlockKind::Paragraph))
        .take(3)
        .flat_map(move |block| source[block.range].lines())
        .filter(|line| !is_furniture(line))
}

/// The format notice the text cites: 2021 for 国办公开办函〔2021〕30号 (which wins when both
/// are cited), 2019 for 〔2019〕60号.
fn cited_notice(source: &str) -> Option<u32> {
    let mut found = None;
    for word in ["国办公开办函", "國辦公開辦函"] {
        for (at, _) in source.match_indices(word) {
            let after = &source[at + word.len()..];
            let window_end = after
                .char_indices()
                .nth(10)
                .map_or(after.len(), |(at, _)| at);
            let key = label_key(&after[..window_end]);
            if key.contains("2021") && key.contains("30号") {
                return Some(2021);
            }
            if key.contains("2019") && key.contains("60号") {
                found = Some(2019);
            }
        }
    }
    found
}

/// The built-in format whose layout markers the tables carry most, with the first cell that
/// shows it.
fn detect_layout(
    document: &Document,
    facts: &[Option<Arc<BlockFacts>>],
) -> Option<(&'static Profile, TextRange)> {
    let mut best: Option<(&'static Profile, usize, TextRange)> = None;
    let mut numbered = 0;
    for &(profile, ref keys) in &markers().layouts {
        let mine = numbered..numbered + keys.len();
        numbered = mine.end;
        let mut found = vec![false; keys.len()];
        // The first label carrying one of the markers: table cells first, then paragraphs.
        let mut evidence: [Option<TextRange>; 2] = [None, None];
        for (block, facts) in document.blocks.iter().zip(facts) {
            let Some(facts) = facts else {
                continue;
            };
            let slot = &mut evidence[usize::from(!facts.in_table)];
            for &(index, range) in &facts.layout_hits {
                if mine.contains(&index) {
                    found[index - mine.start] = true;
                    if slot.is_none_or(|first| range.start() + block.range.start() < first.start())
                    {
                        *slot = Some(range + block.range.start());
                    }
                }
            }
        }
        let count = found.iter().filter(|&&hit| hit).count();
        let evidence = evidence[0].or(evidence[1]);
        if count > 0
            && best
                .as_ref()
                .is_none_or(|(_, best_count, _)| count > *best_count)
        {
            best = evidence.map(|range| (profile, count, range));
        }
    }
    best.map(|(profile, _, range)| (profile, range))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse;

    fn names(source: &str) -> (String, String, bool) {
        let document = parse(source);
        let selection = select(source, &document, None);
        (
            selection.profile.name.clone(),
            selection.tables.name.clone(),
            selection.wrong_format.is_some(),
        )
    }

    /// (profile, reason, wrong format)
    fn why(source: &str) -> (String, String, bool) {
        let document = parse(source);
        let selection = select(source, &document, None);
        (
            selection.profile.name.clone(),
            selection.reason,
            selection.wrong_format.is_some(),
        )
    }

    const TABLE_2019: &str = "| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n|---|---|---|---|\n| 规章 | 0 | 0 | 0 |\n";
    const TABLE_2021: &str = "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n| 行政规范性文件 | 0 | 0 | 0 |\n";

    #[test]
    fn the_year_comes_from_the_title_in_any_wording() {
        for (title, profile, reason) in [
            (
                "某区2023年政府信息公开工作年度报告",
                "gov-2021",
                "title year 2023",
            ),
            ("某镇2022年信息公开年报", "gov-2021", "title year 2022"),
            (
                "2020年某局政府信息公开年度报告",
                "gov-2019",
                "title year 2020",
            ),
            (
                "某县人民政府2016年政府信息公开工作年度报告",
                "gov-legacy",
                "title year 2016",
            ),
            (
                "某鄉人民政府2022年政府信息公開工作年度報告",
                "gov-2021",
                "title year 2022",
            ),
            (
                "某区二〇二一年政府信息公开工作年度报告",
                "gov-2021",
                "title year 2021",
            ),
        ] {
            let source = format!("{title}\n\n一、总体情况\n\n正文。\n");
            assert_eq!(
                why(&source),
                (profile.into(), reason.into(), false),
                "{title}"
            );
        }
    }

    #[test]
    fn without_a_title_year_the_year_comes_from_the_text() {
        let period = format!("一、总体情况\n\n本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。\n\n二、主动公开政府信息情况\n\n{TABLE_2019}");
        assert_eq!(
            why(&period),
            ("gov-2021".into(), "统计期限 2022".into(), true)
        );
        let short_period =
            "政府信息公开工作年度报告\n\n一、总体情况\n\n统计期限为2020年1月1日至12月31日。\n";
        assert_eq!(
            why(short_period),
            ("gov-2019".into(), "统计期限 2020".into(), false)
        );
        let traditional = "政府信息公開工作年度報告\n\n本報告中所列數據的統計期限自2023年1月1日至2023年12月31日止。\n";
        assert_eq!(why(traditional).1, "统计期限 2023");
        let opening = format!("一、总体情况\n\n2022年以来，某镇认真贯彻《条例》。\n\n二、主动公开政府信息情况\n\n{TABLE_2021}");
        assert_eq!(
            why(&opening),
            ("gov-2021".into(), "opening text 2022年".into(), false)
        );
        let law = format!("一、总体情况\n\n根据2019年修订的《中华人民共和国政府信息公开条例》，2021年，某局认真贯彻。\n\n二、主动公开政府信息情况\n\n{TABLE_2021}");
        assert_eq!(why(&law).1, "opening text 2021年");
        let issuer = "一、总体情况\n\n2021年，正阳镇严格规范政府信息公开内容。\n\n二、主动公开政府信息情况\n\n三、收到和处理政府信息公开申请情况\n\n四、政府信息公开行政复议、行政诉讼情况\n";
        assert_eq!(
            why(issuer),
            ("gov-2021".into(), "opening text 2021年".into(), false)
        );
    }

    #[test]
    fn the_year_wins_over_the_cited_notice_and_the_notice_over_columns() {
        let cites_2019 = "某镇2022年政府信息公开工作年度报告\n\n一、总体情况\n\n根据国办公开办函〔2019〕60号的要求编制本报告。\n";
        assert_eq!(why(cites_2019).1, "title year 2022");
        let notice_2021 = format!("政府信息公开工作年度报告\n\n一、总体情况\n\n根据国办公开办函〔2021〕30号编制。\n\n{TABLE_2019}");
        assert_eq!(
            why(&notice_2021),
            ("gov-2021".into(), "format notice 〔2021〕30号".into(), true)
        );
        let notice_2019 =
            "政府信息公开工作年度报告\n\n一、总体情况\n\n根据国办公开办函〔2019〕60号编制。\n";
        assert_eq!(
            why(notice_2019),
            (
                "gov-2019".into(),
                "format notice 〔2019〕60号".into(),
                false
            )
        );
        // 〔2019〕60号 is still cited in reports drawn in the 2021 tables: the columns decide.
        let notice_2019_tables_2021 = format!("政府信息公开工作年度报告\n\n一、总体情况\n\n根据国办公开办函〔2019〕60号编制。\n\n{TABLE_2021}");
        assert_eq!(
            why(&notice_2019_tables_2021),
            (
                "gov-2021".into(),
                "table columns, no year found".into(),
                false
            )
        );
        let columns = format!("政府信息公开工作年度报告\n\n一、总体情况\n\n{TABLE_2019}");
        assert_eq!(
            why(&columns),
            (
                "gov-2019".into(),
                "table columns, no year found".into(),
                false
            )
        );
    }

    #[test]
    fn the_family_comes_from_every_signal() {
        // Untitled, but the template's tables.
        let tables = "| 第二十条第（一）项 | | | |\n|---|---|---|---|\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| 规章 | 0 | 0 | 0 |\n";
        assert_eq!(
            why(tables),
            (
                "gov-2021".into(),
                "table columns, no year found".into(),
                false
            )
        );
        // The six sections without a title.
        let sections = "一、总体情况\n\n正文。\n\n二、主动公开政府信息情况\n\n三、收到和处理政府信息公开申请情况\n\n四、政府信息公开行政复议、行政诉讼情况\n\n五、存在的主要问题及改进情况\n\n六、其他需要报告的事项\n";
        assert_eq!(why(sections).0, "gov-2021");
        // A title without 信息公开, with sections.
        let annual =
            "某镇2022年工作年度报告\n\n一、总体情况\n\n正文。\n\n二、主动公开政府信息情况\n";
        assert_eq!(
            why(annual),
            ("gov-2021".into(), "title year 2022".into(), false)
        );
        // A statistical bulletin's 统计指标 table is not a disclosure report's.
        let bulletin = "# 2023年某市国民经济和社会发展统计公报\n\n| 统计指标 | 单位 | 统计数 |\n|---|---|---|\n| 地区生产总值 | 亿元 | 100 |\n";
        assert_eq!(
            why(bulletin),
            (
                "generic".into(),
                "no disclosure-report title, sections or tables".into(),
                false
            )
        );
        let untitled_bulletin =
            "| 统计指标 | 单位 | 统计数 |\n|---|---|---|\n| 地区生产总值 | 亿元 | 100 |\n";
        assert_eq!(why(untitled_bulletin).0, "generic");
    }

    #[test]
    fn picks_by_year_and_layout() {
        let report_2020 = "2020年某区政府信息公开工作年度报告\n\n一、总体情况\n";
        assert_eq!(
            names(report_2020),
            ("gov-2019".into(), "gov-2019".into(), false)
        );
        let report_2022 = "某区2022年政府信息公开工作年度报告\n\n| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n|---|---|---|---|\n| 规章 | 0 | 0 | 0 |\n";
        assert_eq!(
            names(report_2022),
            ("gov-2021".into(), "gov-2019".into(), true)
        );
        let legacy = "某县2016年政府信息公开工作年度报告\n\n一、概述\n";
        assert_eq!(names(legacy).0, "gov-legacy");
        assert_eq!(
            names("# Quarterly report\n\n| Item | Total |\n|---|---|\n| a | 1 |\n").0,
            "generic"
        );
    }
}
