//! One budget for every search the validator runs on a module: the runs below `pass_score`, the
//! safety policy's proof, reachability, best paths and "did you mean" suggestions all draw from
//! it, so a module of hundreds of scenarios built to be slow costs no more than the budget,
//! however its work is spread. A pack's modules also draw from one budget for the whole pack.
//!
//! The unit is one elementary step: a choice looked at, one term of a compiled condition, a
//! character pair compared for a suggestion; a run state costs [`STATE_COST`] (it is hashed and
//! stored). The sizes are set so that a module within every cap is checked in well under a second
//! in a release build on a two-core laptop (`FARO_BENCH_ONLY=hostile`, `docs/performance.md`).

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

/// Steps one module's searches may take together.
pub const MODULE_SEARCH_BUDGET: u64 = 4_000_000;

/// Steps the searches of all the modules of one pack may take together.
pub const PACK_SEARCH_BUDGET: u64 = 40_000_000;

/// What one run state costs, in steps: it is hashed, compared and stored.
pub const STATE_COST: u64 = 16;

/// A pack's budget, shared by the validations of its modules (and safe to share between threads).
#[derive(Debug)]
pub struct PackBudget {
    left: AtomicU64,
}

impl Default for PackBudget {
    fn default() -> Self {
        Self::new(PACK_SEARCH_BUDGET)
    }
}

impl PackBudget {
    pub fn new(steps: u64) -> Self {
        Self { left: AtomicU64::new(steps) }
    }

    /// Steps left for the pack's remaining modules.
    pub fn left(&self) -> u64 {
        self.left.load(Ordering::Relaxed)
    }

    /// Takes up to `steps` for one module: what the pack still has, at most that.
    fn lend(&self, steps: u64) -> u64 {
        let mut taken = 0;
        let _ = self.left.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
            taken = left.min(steps);
            Some(left - taken)
        });
        taken
    }

    /// Gives back what a module did not use.
    fn repay(&self, steps: u64) {
        self.left.fetch_add(steps, Ordering::Relaxed);
    }
}

/// What is left of one module's budget. Interior mutability, so the searches of one validation
/// (each holding a shared reference) draw from the same budget.
#[derive(Debug)]
pub struct SearchBudget<'p> {
    left: Cell<u64>,
    spent: Cell<u64>,
    exhausted: Cell<bool>,
    pack: Option<&'p PackBudget>,
}

impl<'p> SearchBudget<'p> {
    /// A module's budget of `steps`.
    pub fn new(steps: u64) -> Self {
        Self { left: Cell::new(steps), spent: Cell::new(0), exhausted: Cell::new(false), pack: None }
    }

    /// A module's budget, lent by its pack: at most [`MODULE_SEARCH_BUDGET`], and no more than
    /// the pack has left; what is not spent goes back to the pack when this is dropped.
    pub fn for_module(pack: Option<&'p PackBudget>) -> Self {
        match pack {
            Some(pack) => Self {
                left: Cell::new(pack.lend(MODULE_SEARCH_BUDGET)),
                spent: Cell::new(0),
                exhausted: Cell::new(false),
                pack: Some(pack),
            },
            None => Self::new(MODULE_SEARCH_BUDGET),
        }
    }

    /// Takes `steps`; false (and exhausted from then on) when there are not enough left. Once
    /// one search has run out, the others stop too: what is reported as checked was.
    pub fn take(&self, steps: u64) -> bool {
        if self.exhausted.get() {
            return false;
        }
        match self.left.get().checked_sub(steps) {
            Some(left) => {
                self.left.set(left);
                self.spent.set(self.spent.get().saturating_add(steps));
                true
            }
            None => {
                self.exhausted.set(true);
                false
            }
        }
    }

    /// Whether some search ran out of budget.
    pub fn exhausted(&self) -> bool {
        self.exhausted.get()
    }

    /// Steps taken so far.
    pub fn spent(&self) -> u64 {
        self.spent.get()
    }
}

impl Drop for SearchBudget<'_> {
    fn drop(&mut self) {
        if let Some(pack) = self.pack {
            pack.repay(self.left.get());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_runs_out_and_stays_out() {
        let budget = SearchBudget::new(10);
        assert!(budget.take(6));
        assert!(!budget.take(5), "only 4 left");
        assert!(budget.exhausted());
        assert!(!budget.take(1), "once out, every search stops");
        assert_eq!(budget.spent(), 6);
    }

    #[test]
    fn a_pack_lends_each_module_what_it_has_left_and_gets_the_rest_back() {
        let pack = PackBudget::new(MODULE_SEARCH_BUDGET + 100);
        {
            let first = SearchBudget::for_module(Some(&pack));
            assert!(first.take(MODULE_SEARCH_BUDGET - 50));
        }
        assert_eq!(pack.left(), 150, "the unused 50 came back");
        let second = SearchBudget::for_module(Some(&pack));
        assert!(second.take(150));
        assert!(!second.take(1), "the pack had only 150 left");
    }
}
