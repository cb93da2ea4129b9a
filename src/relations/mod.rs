//! Relations between cells (a total equals the sum of its parts; two sums balance), derived
//! from the profile's templates, from a legacy outline, or from 总计 / 合计 / Total labels;
//! their evaluation with exact decimals; and the search for the one mistyped cell that
//! explains several failures. Invariant: a relation that reads a blank cell is never called
//! a mismatch; it is "unchecked", and the blank cell is reported on its own.

mod analysis;
pub(crate) mod generic;
pub mod naming;
mod outline;
mod template;

pub use analysis::{analyse, Finding};

use crate::bind::{Bindings, CellRef};
use crate::diagnostic::Message;
use crate::document::table::CellValue;
use crate::document::Document;
use crate::number::Decimal;

/// Which rule a relation belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    /// `left[0] = Σ right`: a total or subtotal.
    Sum,
    /// `Σ left = Σ right`: table 三's `一 + 二 = （七）总计 + 四`.
    Balance,
    /// `Σ left ≤ Σ right`: a `其中：` row at most its parent; 本年新公开数量 at most
    /// 对外公开总数量. Reported as a warning; never part of the culprit search.
    AtMost,
}

/// One relation between cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub kind: RelationKind,
    pub left: Vec<CellRef>,
    pub right: Vec<CellRef>,
    /// What is checked, for messages: "the 总计 of row “4. 保护第三方合法权益”".
    pub subject: Subject,
    /// The relation rests on a guessed hierarchy (which rows a total sums was not written
    /// in the table): a failure is reported as information and its fix is never safe.
    pub guessed: bool,
}

/// How a relation is named in messages. Totals are named from their cell's row and column
/// when a message needs it, so that the relations of a large table hold no text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// "the 总计 of row “…”": the total cell's column, in the total cell's row.
    RowTotal,
    /// "the “（七）总计” of column 自然人": the total cell's row, in the total cell's column.
    ColumnTotal,
    /// Anything else, written out.
    Text(Box<Message>),
}

impl Subject {
    pub fn text(en: String, zh: String) -> Subject {
        Subject::Text(Box::new(Message::new(en, zh)))
    }
}

impl Relation {
    /// The total cell of a sum.
    pub fn total(&self) -> Option<CellRef> {
        match self.kind {
            RelationKind::Sum => self.left.first().copied(),
            RelationKind::Balance | RelationKind::AtMost => None,
        }
    }

    pub fn cells(&self) -> impl Iterator<Item = CellRef> + '_ {
        self.left.iter().chain(&self.right).copied()
    }
}

/// How a cell is named in messages: its row's label and its column's label.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CellName {
    pub row: String,
    pub column: String,
}

impl CellName {
    /// "“4. 保护第三方合法权益” · 自然人", or what part of that is known.
    pub fn describe(&self) -> String {
        match (self.row.is_empty(), self.column.is_empty()) {
            (false, false) => format!("“{}” · {}", self.row, self.column),
            (true, false) => self.column.clone(),
            (false, true) => format!("“{}”", self.row),
            (true, true) => String::new(),
        }
    }
}

/// Every relation of a document. Cells are named only when a message needs them (see
/// `naming`), so checking a large document allocates nothing per cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relations {
    pub list: Vec<Relation>,
    /// Relations whose cells are written in different units (`1万元` beside `5000元`): they
    /// are not evaluated, so no sum and no fix ever adds across units; `mixed-units`
    /// reports them.
    pub mixed_units: Vec<Relation>,
}

/// A label fit for a message: whitespace runs collapsed, long labels cut.
pub fn short_label(text: &str) -> String {
    let collapsed: String = text
        .split(crate::text::is_space)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let collapsed = collapsed.trim_matches('*').to_string();
    if collapsed.chars().count() > 24 {
        let cut: String = collapsed.chars().take(22).collect();
        format!("{cut}…")
    } else {
        collapsed
    }
}

/// The relations of the tables bound to templates, from their templates.
pub fn build_bound(source: &str, document: &Document, bindings: &Bindings) -> Relations {
    let mut relations = Relations::default();
    for binding in &bindings.templates {
        let table_template = binding.template;
        if table_template.outline {
            for &block in &binding.blocks {
                outline::relations(source, document, block, table_template, &mut relations);
            }
        } else {
            template::relations(source, document, binding, &mut relations);
        }
    }
    relations.set_aside_mixed_units(document);
    relations
}

/// The relations of one table no template claimed (`block` of `document`), from its own
/// total labels: they read no other table.
pub fn build_free(source: &str, document: &Document, block: usize) -> Relations {
    let mut relations = Relations::default();
    if let Some(table) = document.table(block) {
        generic::relations(source, block, table, &mut relations);
    }
    relations.set_aside_mixed_units(document);
    relations
}

impl Relations {
    /// Moves the relations whose cells mix units into `mixed_units`.
    fn set_aside_mixed_units(&mut self, document: &Document) {
        let (list, mixed_units) = std::mem::take(&mut self.list)
            .into_iter()
            .partition(|relation| units(document, relation).len() < 2);
        self.list = list;
        self.mixed_units = mixed_units;
    }
}

/// The distinct units the cells of a relation are written with (`万元`, `元`); cells
/// without a unit take the unit of their column's header and add nothing here.
pub fn units(document: &Document, relation: &Relation) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = Vec::new();
    for cell in relation.cells() {
        let unit = document
            .table(cell.block())
            .and_then(|table| table.get_row(cell.row()))
            .and_then(|row| row.cells.get(cell.cell()))
            .and_then(|cell| cell.number())
            .and_then(|number| number.unit());
        if let Some(unit) = unit.filter(|unit| !found.contains(unit)) {
            found.push(unit);
        }
    }
    found
}

/// What a cell holds, as far as arithmetic is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    Value(Decimal),
    Blank,
    /// Text, or a ratio: not something that can be summed.
    NotANumber,
}

/// Reads a cell of the document as an operand.
pub fn operand(document: &Document, cell: CellRef) -> Operand {
    let Some(table) = document.table(cell.block()) else {
        return Operand::NotANumber;
    };
    match table
        .get_row(cell.row())
        .and_then(|row| row.cells.get(cell.cell()))
        .map(crate::document::table::Cell::value)
    {
        Some(CellValue::Number(number)) if !number.is_ratio() => Operand::Value(number.value()),
        Some(CellValue::Blank { .. }) => Operand::Blank,
        _ => Operand::NotANumber,
    }
}

/// The outcome of checking one relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Holds,
    /// The two sides differ: `left` as written, `right` as computed.
    Fails {
        left: Decimal,
        right: Decimal,
    },
    /// A blank cell takes part: the relation cannot be checked.
    Unchecked,
    /// Text takes part: `invalid-number` reports it; the relation is not checked.
    NotNumeric,
}

/// Evaluates a relation, reading cells through `value` (which lets the analysis try
/// changed values without touching the document).
pub fn evaluate(relation: &Relation, value: &impl Fn(CellRef) -> Operand) -> Status {
    let mut blank = false;
    let mut side = |cells: &[CellRef]| -> Option<Option<Decimal>> {
        let mut total = Decimal::ZERO;
        for &cell in cells {
            match value(cell) {
                Operand::Value(number) => total = total.checked_add(number)?,
                Operand::Blank => blank = true,
                Operand::NotANumber => return Some(None),
            }
        }
        Some(Some(total))
    };
    let (Some(left), Some(right)) = (side(&relation.left), side(&relation.right)) else {
        return Status::NotNumeric;
    };
    let (Some(left), Some(right)) = (left, right) else {
        return Status::NotNumeric;
    };
    let holds = match relation.kind {
        RelationKind::AtMost => left <= right,
        RelationKind::Sum | RelationKind::Balance => left == right,
    };
    if blank {
        Status::Unchecked
    } else if holds {
        Status::Holds
    } else {
        Status::Fails { left, right }
    }
}

/// How many relations of a document could be evaluated, and how many could not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Tally {
    /// Relations whose every cell holds a number: they hold or fail.
    pub checked: usize,
    /// Relations that read a blank cell or text: neither held nor failed.
    pub unchecked: usize,
}

/// Counts the relations that were checked against the document's own numbers. A relation
/// reading a blank cell counts as unchecked, exactly as `evaluate` calls it, so the counts
/// agree with what `blank-cell` says about the totals it leaves unchecked.
pub fn tally(document: &Document, relations: &Relations) -> Tally {
    let value = |cell: CellRef| operand(document, cell);
    let mut tally = Tally::default();
    for relation in &relations.list {
        match evaluate(relation, &value) {
            Status::Holds | Status::Fails { .. } => tally.checked += 1,
            Status::Unchecked | Status::NotNumeric => tally.unchecked += 1,
        }
    }
    tally.unchecked += relations.mixed_units.len();
    tally
}
