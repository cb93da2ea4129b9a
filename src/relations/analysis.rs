//! Finding the mistyped cell. For the relations that fail, every single-cell change that
//! makes one of them hold is a candidate; candidates that break a relation which holds are
//! dropped, and those that repair the most failing relations are kept. One candidate left:
//! that cell is the culprit. Several, and one is the total of a failing relation: that
//! total is presumed wrong (the everyday case). Otherwise the evidence is ambiguous.
//! Explained failures are repaired in a scratch copy of the values and the search repeats,
//! so that several independent mistakes in one table are each found.

use super::{evaluate, operand, Operand, Relation, RelationKind, Relations, Status};
use crate::bind::CellRef;
use crate::document::Document;
use crate::number::Decimal;
use std::collections::HashMap;

/// What the analysis concluded about failing relations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Setting `cell` to `value` makes every relation in `explains` hold and breaks none.
    Cell {
        cell: CellRef,
        value: Decimal,
        /// The value as written.
        written: Decimal,
        /// Indices into the relation list, the first one the one whose total `cell` is
        /// when `presumed` is set.
        explains: Vec<usize>,
        /// Not singled out by the evidence, but the total of a failing relation that several
        /// equally good changes would repair: presumed wrong.
        presumed: bool,
    },
    /// A failing relation that no single change explains better than another.
    Ambiguous {
        relation: usize,
        /// Setting the relation's total to the sum of its parts breaks no relation that
        /// holds, so it may be offered (as an unsafe fix).
        total_fixable: bool,
    },
}

/// Runs the analysis over every relation of the document, one group of connected tables at
/// a time (a table, or the tables one template spans), so the cost follows the failing
/// tables, not the document.
pub fn analyse(document: &Document, relations: &Relations) -> Vec<Finding> {
    let mut status: Vec<Status> = relations
        .list
        .iter()
        .map(|relation| match relation.kind {
            // Bounds are reported on their own; they are not equations a cell could explain.
            RelationKind::AtMost => Status::NotNumeric,
            _ => evaluate(relation, &|cell| operand(document, cell)),
        })
        .collect();
    if !status
        .iter()
        .any(|status| matches!(status, Status::Fails { .. }))
    {
        return Vec::new();
    }
    let mut groups = BlockGroups::new(document.blocks.len());
    for relation in &relations.list {
        let mut cells = relation.cells();
        if let Some(first) = cells.next() {
            for cell in cells {
                groups.join(first.block, cell.block);
            }
        }
    }
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for (index, relation) in relations.list.iter().enumerate() {
        if let Some(first) = relation.cells().next() {
            members
                .entry(groups.root(first.block))
                .or_default()
                .push(index);
        }
    }
    let mut roots: Vec<usize> = members
        .iter()
        .filter(|(_, indices)| {
            indices
                .iter()
                .any(|&index| matches!(status[index], Status::Fails { .. }))
        })
        .map(|(&root, _)| root)
        .collect();
    roots.sort_unstable();
    let mut findings = Vec::new();
    for root in roots {
        findings.extend(analyse_group(
            document,
            relations,
            &members[&root],
            &mut status,
        ));
    }
    findings
}

/// Union-find over block indices: tables linked by a relation form one group.
struct BlockGroups {
    parent: Vec<usize>,
}

impl BlockGroups {
    fn new(size: usize) -> BlockGroups {
        BlockGroups {
            parent: (0..size).collect(),
        }
    }

    fn root(&mut self, block: usize) -> usize {
        let mut root = block.min(self.parent.len().saturating_sub(1));
        while self.parent[root] != root {
            self.parent[root] = self.parent[self.parent[root]];
            root = self.parent[root];
        }
        root
    }

    fn join(&mut self, first: usize, second: usize) {
        let (first, second) = (self.root(first), self.root(second));
        self.parent[first.max(second)] = first.min(second);
    }
}

/// The rounds of the search over one group's relations (`members`, relation indices).
fn analyse_group(
    document: &Document,
    relations: &Relations,
    members: &[usize],
    status: &mut [Status],
) -> Vec<Finding> {
    let mut by_cell: HashMap<CellRef, Vec<usize>> = HashMap::new();
    for &index in members {
        for cell in relations.list[index].cells() {
            by_cell.entry(cell).or_default().push(index);
        }
    }
    let mut overrides: HashMap<CellRef, Decimal> = HashMap::new();
    let mut findings = Vec::new();
    // Each round explains at least one failing relation, so this many rounds always suffice.
    let rounds = members
        .iter()
        .filter(|&&index| matches!(status[index], Status::Fails { .. }))
        .count();
    for _ in 0..rounds {
        let failing: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&index| matches!(status[index], Status::Fails { .. }))
            .collect();
        if failing.is_empty() {
            break;
        }
        let read = |cell: CellRef| {
            overrides
                .get(&cell)
                .map_or_else(|| operand(document, cell), |&value| Operand::Value(value))
        };
        let candidates = candidates(relations, &by_cell, status, &failing, &read);
        let best_count = candidates
            .iter()
            .map(|candidate| candidate.explains.len())
            .max()
            .unwrap_or(0);
        let best: Vec<&Candidate> = candidates
            .iter()
            .filter(|candidate| candidate.explains.len() == best_count)
            .collect();
        let mut chosen: Vec<(Candidate, bool)> = Vec::new();
        // A candidate whose repairs no other equally good candidate shares is singled out:
        // one mistyped cell per failing row-and-column pair, however many pairs there are.
        for candidate in &best {
            let alone = best.iter().all(|other| {
                (other.cell == candidate.cell && other.value == candidate.value)
                    || !other
                        .explains
                        .iter()
                        .any(|relation| candidate.explains.contains(relation))
            });
            if alone && !chosen.iter().any(|(known, _)| known.cell == candidate.cell) {
                chosen.push(((*candidate).clone(), false));
            }
        }
        if chosen.is_empty() {
            // Several changes repair the same failures: a failing total is presumed wrong.
            for &relation in &failing {
                let Some(total) = relations.list[relation].total() else {
                    continue;
                };
                let presumed = best.iter().find(|candidate| {
                    candidate.cell == total && candidate.explains.contains(&relation)
                });
                if let Some(candidate) = presumed {
                    if !chosen.iter().any(|(known, _)| known.cell == candidate.cell) {
                        let mut candidate = (*candidate).clone();
                        // The relation whose total this is comes first: its message leads.
                        candidate
                            .explains
                            .retain(|&explained| explained != relation);
                        candidate.explains.insert(0, relation);
                        chosen.push((candidate, true));
                    }
                }
            }
        }
        if chosen.is_empty() {
            findings.extend(failing.iter().map(|&relation| Finding::Ambiguous {
                relation,
                total_fixable: relations.list[relation].total().is_some_and(|total| {
                    candidates.iter().any(|candidate| {
                        candidate.cell == total && candidate.explains.contains(&relation)
                    })
                }),
            }));
            break;
        }
        let written: Vec<Option<Decimal>> = chosen
            .iter()
            .map(|(candidate, _)| match read(candidate.cell) {
                Operand::Value(value) => Some(value),
                _ => None,
            })
            .collect();
        for ((candidate, presumed), written) in chosen.into_iter().zip(written) {
            let Some(written) = written else { continue };
            overrides.insert(candidate.cell, candidate.value);
            findings.push(Finding::Cell {
                cell: candidate.cell,
                value: candidate.value,
                written,
                explains: candidate.explains,
                presumed,
            });
        }
        let read = |cell: CellRef| {
            overrides
                .get(&cell)
                .map_or_else(|| operand(document, cell), |&value| Operand::Value(value))
        };
        for &index in members {
            if matches!(status[index], Status::Fails { .. }) {
                status[index] = evaluate(&relations.list[index], &read);
            }
        }
    }
    // Whatever still fails after the rounds (only possible if a change did not take) is ambiguous.
    for &index in members {
        let relation_status = status[index];
        let reported = findings.iter().any(|finding| match finding {
            Finding::Cell { explains, .. } => explains.contains(&index),
            Finding::Ambiguous { relation, .. } => *relation == index,
        });
        if matches!(relation_status, Status::Fails { .. }) && !reported {
            findings.push(Finding::Ambiguous {
                relation: index,
                total_fixable: false,
            });
        }
    }
    findings
}

/// A single-cell change and the failing relations it repairs.
#[derive(Debug, Clone)]
struct Candidate {
    cell: CellRef,
    value: Decimal,
    explains: Vec<usize>,
}

fn candidates(
    relations: &Relations,
    by_cell: &HashMap<CellRef, Vec<usize>>,
    status: &[Status],
    failing: &[usize],
    read: &impl Fn(CellRef) -> Operand,
) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = Vec::new();
    for &relation_index in failing {
        let relation = &relations.list[relation_index];
        let all_non_negative = relation
            .cells()
            .all(|cell| matches!(read(cell), Operand::Value(value) if !value.is_negative()));
        for cell in relation.cells() {
            let Some(value) = solve(relation, cell, read) else {
                continue;
            };
            if all_non_negative && value.is_negative() {
                continue;
            }
            if found
                .iter()
                .any(|known| known.cell == cell && known.value == value)
            {
                continue;
            }
            let changed = |probe: CellRef| {
                if probe == cell {
                    Operand::Value(value)
                } else {
                    read(probe)
                }
            };
            let mut explains = Vec::new();
            let mut breaks = false;
            for &other in by_cell.get(&cell).map_or(&[][..], Vec::as_slice) {
                let after = evaluate(&relations.list[other], &changed);
                match (status[other], after) {
                    (Status::Holds, Status::Holds) => {}
                    (Status::Holds, _) => breaks = true,
                    (Status::Fails { .. }, Status::Holds) => explains.push(other),
                    _ => {}
                }
            }
            if !breaks && !explains.is_empty() {
                found.push(Candidate {
                    cell,
                    value,
                    explains,
                });
            }
        }
    }
    found
}

/// The value `cell` must take for `relation` to hold, other cells as they are.
fn solve(
    relation: &Relation,
    cell: CellRef,
    read: &impl Fn(CellRef) -> Operand,
) -> Option<Decimal> {
    let in_left = relation.left.iter().filter(|&&known| known == cell).count();
    let in_right = relation
        .right
        .iter()
        .filter(|&&known| known == cell)
        .count();
    if in_left + in_right != 1 {
        return None;
    }
    let sum = |cells: &[CellRef]| -> Option<Decimal> {
        cells
            .iter()
            .filter(|&&known| known != cell)
            .try_fold(Decimal::ZERO, |total, &known| match read(known) {
                Operand::Value(value) => total.checked_add(value),
                _ => None,
            })
    };
    let (left_rest, right_rest) = (sum(&relation.left)?, sum(&relation.right)?);
    // Sums and balances alike: the cell's side must make up the other side's total.
    if in_left == 1 {
        right_rest.checked_sub(left_rest)
    } else {
        left_rest.checked_sub(right_rest)
    }
}
