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
use crate::number::{Decimal, MAX_DIGITS};
use std::collections::{HashMap, HashSet};

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
                groups.join(first.block(), cell.block());
            }
        }
    }
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for (index, relation) in relations.list.iter().enumerate() {
        if let Some(first) = relation.cells().next() {
            members
                .entry(groups.root(first.block()))
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
    let mut by_cell: HashMap<CellRef, Vec<Membership>> = HashMap::new();
    for &index in members {
        let relation = &relations.list[index];
        for (cells, on_left) in [(&relation.left, true), (&relation.right, false)] {
            for &cell in cells {
                let memberships = by_cell.entry(cell).or_default();
                let membership = match memberships.last_mut() {
                    Some(last) if last.relation == index => last,
                    _ => {
                        memberships.push(Membership {
                            relation: index,
                            left: 0,
                            right: 0,
                        });
                        memberships.last_mut().expect("just pushed")
                    }
                };
                if on_left {
                    membership.left += 1;
                } else {
                    membership.right += 1;
                }
            }
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
        let read = |cell: CellRef| read_with(document, &overrides, cell);
        // Both sides of every relation the search can touch, summed once per round, so that
        // trying a change costs as much as the relations its cell is in, not their size.
        let touched: HashSet<usize> = failing
            .iter()
            .flat_map(|&index| relations.list[index].cells())
            .flat_map(|cell| by_cell.get(&cell).into_iter().flatten())
            .map(|membership| membership.relation)
            .collect();
        let sides: HashMap<usize, Sides> = touched
            .into_iter()
            .map(|index| (index, Sides::of(&relations.list[index], &read)))
            .collect();
        let candidates = candidates(relations, &by_cell, status, &failing, &sides, &read);
        let best_count = candidates
            .iter()
            .map(|candidate| candidate.explains.len())
            .max()
            .unwrap_or(0);
        let best: Vec<&Candidate> = candidates
            .iter()
            .filter(|candidate| candidate.explains.len() == best_count)
            .collect();
        // How many equally good candidates repair each relation.
        let mut sharing: HashMap<usize, usize> = HashMap::new();
        for candidate in &best {
            for &relation in &candidate.explains {
                *sharing.entry(relation).or_default() += 1;
            }
        }
        let mut chosen: Vec<(Candidate, bool)> = Vec::new();
        let mut chosen_cells: HashSet<CellRef> = HashSet::new();
        // A candidate whose repairs no other equally good candidate shares is singled out:
        // one mistyped cell per failing row-and-column pair, however many pairs there are.
        for candidate in &best {
            let alone = candidate
                .explains
                .iter()
                .all(|relation| sharing.get(relation) == Some(&1));
            if alone && chosen_cells.insert(candidate.cell) {
                chosen.push(((*candidate).clone(), false));
            }
        }
        if chosen.is_empty() {
            // Several changes repair the same failures: a failing total is presumed wrong.
            let by_total: HashMap<(CellRef, usize), &Candidate> = best
                .iter()
                .flat_map(|candidate| {
                    candidate
                        .explains
                        .iter()
                        .map(move |&relation| ((candidate.cell, relation), *candidate))
                })
                .collect();
            for &relation in &failing {
                let Some(total) = relations.list[relation].total() else {
                    continue;
                };
                if let Some(candidate) = by_total.get(&(total, relation)) {
                    if chosen_cells.insert(candidate.cell) {
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
            let fixable: HashSet<(CellRef, usize)> = candidates
                .iter()
                .flat_map(|candidate| {
                    candidate
                        .explains
                        .iter()
                        .map(move |&relation| (candidate.cell, relation))
                })
                .collect();
            findings.extend(failing.iter().map(|&relation| {
                Finding::Ambiguous {
                    relation,
                    total_fixable: relations.list[relation]
                        .total()
                        .is_some_and(|total| fixable.contains(&(total, relation))),
                }
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
        let read = |cell: CellRef| read_with(document, &overrides, cell);
        for &index in &failing {
            status[index] = evaluate(&relations.list[index], &read);
        }
    }
    // Whatever still fails after the rounds (only possible if a change did not take) is ambiguous.
    let reported: HashSet<usize> = findings
        .iter()
        .flat_map(|finding| match finding {
            Finding::Cell { explains, .. } => explains.clone(),
            Finding::Ambiguous { relation, .. } => vec![*relation],
        })
        .collect();
    for &index in members {
        if matches!(status[index], Status::Fails { .. }) && !reported.contains(&index) {
            findings.push(Finding::Ambiguous {
                relation: index,
                total_fixable: false,
            });
        }
    }
    findings
}

/// A cell's value with the scratch changes the search has made so far.
fn read_with(document: &Document, overrides: &HashMap<CellRef, Decimal>, cell: CellRef) -> Operand {
    overrides
        .get(&cell)
        .map_or_else(|| operand(document, cell), |&value| Operand::Value(value))
}

/// The two sides of a relation as currently read, or `None` where a cell is not a value.
#[derive(Debug, Clone, Copy)]
struct Sides {
    sums: Option<(Decimal, Decimal)>,
}

impl Sides {
    fn of(relation: &Relation, read: &impl Fn(CellRef) -> Operand) -> Sides {
        let side = |cells: &[CellRef]| {
            cells
                .iter()
                .try_fold(Decimal::ZERO, |total, &cell| match read(cell) {
                    Operand::Value(value) => total.checked_add(value),
                    _ => None,
                })
        };
        Sides {
            sums: side(&relation.left).zip(side(&relation.right)),
        }
    }
}

/// A cell's place in one relation: how often it is on each side (almost always once on
/// one side). Counted once per group, so that trying a change never scans a relation.
#[derive(Debug, Clone, Copy)]
struct Membership {
    relation: usize,
    left: u32,
    right: u32,
}

/// Whether `relation` holds with a cell of it changed by `delta`, its sides known.
fn holds_after(
    relation: &Relation,
    sides: Sides,
    membership: Membership,
    delta: Decimal,
) -> Option<bool> {
    let (mut left, mut right) = sides.sums?;
    for _ in 0..membership.left {
        left = left.checked_add(delta)?;
    }
    for _ in 0..membership.right {
        right = right.checked_add(delta)?;
    }
    Some(match relation.kind {
        RelationKind::AtMost => left <= right,
        RelationKind::Sum | RelationKind::Balance => left == right,
    })
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
    by_cell: &HashMap<CellRef, Vec<Membership>>,
    status: &[Status],
    failing: &[usize],
    sides: &HashMap<usize, Sides>,
    read: &impl Fn(CellRef) -> Operand,
) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = Vec::new();
    let mut seen: HashSet<(CellRef, Decimal)> = HashSet::new();
    for &relation_index in failing {
        let relation = &relations.list[relation_index];
        let Some(Sides {
            sums: Some((left_sum, right_sum)),
        }) = sides.get(&relation_index).copied()
        else {
            continue;
        };
        let all_non_negative = relation
            .cells()
            .all(|cell| matches!(read(cell), Operand::Value(value) if !value.is_negative()));
        for cell in relation.cells() {
            let Operand::Value(current) = read(cell) else {
                continue;
            };
            let memberships = by_cell.get(&cell).map_or(&[][..], Vec::as_slice);
            let Some(own) = memberships
                .iter()
                .find(|membership| membership.relation == relation_index)
            else {
                continue;
            };
            let (in_left, in_right) = (own.left, own.right);
            // The value that makes this relation hold, other cells as they are.
            // An overflow leaves the cell without a candidate, never with a wrong one.
            let value = match (in_left, in_right) {
                (1, 0) => left_sum
                    .checked_sub(current)
                    .and_then(|others| right_sum.checked_sub(others)),
                (0, 1) => right_sum
                    .checked_sub(current)
                    .and_then(|others| left_sum.checked_sub(others)),
                _ => None,
            };
            // A value that cannot be written into a cell explains nothing.
            let Some(value) = value.filter(|value| value.digits() <= MAX_DIGITS) else {
                continue;
            };
            if (all_non_negative && value.is_negative()) || !seen.insert((cell, value.normalized()))
            {
                continue;
            }
            let Some(delta) = value.checked_sub(current) else {
                continue;
            };
            let mut explains = Vec::new();
            let mut breaks = false;
            for &membership in memberships {
                let other = membership.relation;
                let Some(&other_sides) = sides.get(&other) else {
                    continue;
                };
                let after = holds_after(&relations.list[other], other_sides, membership, delta);
                match (status[other], after) {
                    (Status::Holds, Some(false) | None) => breaks = true,
                    (Status::Fails { .. }, Some(true)) => explains.push(other),
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
