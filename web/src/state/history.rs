//! Undo and redo: snapshots of the document before each edit, with the edit's name so the
//! buttons can say what they will undo. Pure data, tested natively.

/// The most snapshots kept; older ones are dropped first.
pub const LIMIT: usize = 200;

#[derive(Clone, Debug, PartialEq)]
pub struct History<T> {
    past: Vec<(String, T)>,
    future: Vec<(String, T)>,
}

impl<T> Default for History<T> {
    fn default() -> Self {
        History { past: Vec::new(), future: Vec::new() }
    }
}

impl<T> History<T> {
    /// Remembers `before`, the document as it was before the edit called `label`. A new edit
    /// forgets what could have been redone.
    pub fn record(&mut self, label: impl Into<String>, before: T) {
        self.past.push((label.into(), before));
        if self.past.len() > LIMIT {
            self.past.remove(0);
        }
        self.future.clear();
    }

    /// The document to go back to, given the current one (kept for redo).
    pub fn undo(&mut self, current: T) -> Option<T> {
        let (label, before) = self.past.pop()?;
        self.future.push((label, current));
        Some(before)
    }

    /// The document to go forward to, given the current one (kept for undo).
    pub fn redo(&mut self, current: T) -> Option<T> {
        let (label, after) = self.future.pop()?;
        self.past.push((label, current));
        Some(after)
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.past.last().map(|(l, _)| l.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.future.last().map(|(l, _)| l.as_str())
    }

    pub fn clear(&mut self) {
        self.past.clear();
        self.future.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_then_redo_returns_to_each_state() {
        let mut h = History::default();
        h.record("add rule", 1);
        h.record("delete rule", 2);
        assert_eq!(h.undo_label(), Some("delete rule"));
        assert_eq!(h.undo(3), Some(2));
        assert_eq!(h.undo(2), Some(1));
        assert_eq!(h.undo(1), None);
        assert_eq!(h.redo_label(), Some("add rule"));
        assert_eq!(h.redo(1), Some(2));
        assert_eq!(h.redo(2), Some(3));
        assert_eq!(h.redo(3), None);
    }

    #[test]
    fn a_new_edit_forgets_the_redo_branch() {
        let mut h = History::default();
        h.record("a", 1);
        assert_eq!(h.undo(2), Some(1));
        h.record("b", 1);
        assert_eq!(h.redo_label(), None);
    }

    #[test]
    fn the_oldest_snapshots_go_first() {
        let mut h = History::default();
        for i in 0..LIMIT + 10 {
            h.record("e", i);
        }
        let mut count = 0;
        let mut cur = usize::MAX;
        while let Some(prev) = h.undo(cur) {
            cur = prev;
            count += 1;
        }
        assert_eq!(count, LIMIT);
        assert_eq!(cur, 10);
    }
}
