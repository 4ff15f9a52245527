//! The step-through's arithmetic, apart from any view: the cursor is the number of steps shown
//! (`AppState::cursor`), so the current step is the last one shown. Sending shows them all;
//! Reset shows the first; Back and Step move by one and never leave `1..=len`. Also which key
//! does what, and how far to scroll the list so the current step stays in sight.

/// A move of the cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    /// Back to the first step.
    Reset,
    Back,
    Forward,
    /// Every step shown, as right after sending.
    End,
}

/// Where a step stands relative to the cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepState {
    /// Already walked past: shown, dimmed.
    Past,
    /// The step being looked at: highlighted.
    Current,
    /// Not reached yet: its room is kept, its text hidden.
    Future,
}

impl StepState {
    /// The CSS modifier of a step in this state.
    pub fn modifier(self) -> &'static str {
        match self {
            StepState::Past => "past",
            StepState::Current => "current",
            StepState::Future => "future",
        }
    }

    /// The class a step in this state has: `stepper__step--` and the modifier.
    pub fn class(self) -> &'static str {
        match self {
            StepState::Past => "stepper__step--past",
            StepState::Current => "stepper__step--current",
            StepState::Future => "stepper__step--future",
        }
    }
}

/// `cursor` brought into range: 0 when there are no steps, else `1..=len`.
pub fn clamp(cursor: usize, len: usize) -> usize {
    if len == 0 {
        0
    } else {
        cursor.clamp(1, len)
    }
}

/// The cursor after `m`.
pub fn apply(m: Move, cursor: usize, len: usize) -> usize {
    let cursor = clamp(cursor, len);
    let next = match m {
        Move::Reset => 1,
        Move::Back => cursor.saturating_sub(1),
        Move::Forward => cursor.saturating_add(1),
        Move::End => len,
    };
    clamp(next, len)
}

/// The index of the current step, if there is one.
pub fn current(cursor: usize, len: usize) -> Option<usize> {
    clamp(cursor, len).checked_sub(1)
}

/// How step `index` shows with the cursor at `cursor`.
pub fn state_of(index: usize, cursor: usize, len: usize) -> StepState {
    match current(cursor, len) {
        Some(c) if index == c => StepState::Current,
        Some(c) if index < c => StepState::Past,
        _ => StepState::Future,
    }
}

/// The steps whose state differs between the cursor at `before` and at `after`: those from the
/// one current before to the one current after, both included.
pub fn changed_by(before: usize, after: usize, len: usize) -> std::ops::Range<usize> {
    match (current(before, len), current(after, len)) {
        (Some(a), Some(b)) => a.min(b)..a.max(b) + 1,
        _ => 0..0,
    }
}

pub fn can_go_back(cursor: usize, len: usize) -> bool {
    clamp(cursor, len) > 1
}

pub fn can_go_forward(cursor: usize, len: usize) -> bool {
    clamp(cursor, len) < len
}

/// "step 5 of 17".
pub fn position_label(cursor: usize, len: usize) -> String {
    format!("step {} of {len}", clamp(cursor, len))
}

/// The move a key asks for while the tester has focus. `typing` is true when the key went to a
/// text field, whose arrows and Home move the caret instead.
pub fn key_move(key: &str, typing: bool) -> Option<Move> {
    if typing {
        return None;
    }
    match key {
        "ArrowRight" => Some(Move::Forward),
        "ArrowLeft" => Some(Move::Back),
        "Home" => Some(Move::Reset),
        "End" => Some(Move::End),
        _ => None,
    }
}

/// The scroll position that brings an item into a scrolled list's view, or `None` when it is
/// already in view. `item_top` is measured from the top of the list's content (not its view).
pub fn scroll_to_show(scroll_top: f64, view_height: f64, item_top: f64, item_height: f64) -> Option<f64> {
    if item_top < scroll_top {
        Some(item_top.max(0.0))
    } else if item_top + item_height > scroll_top + view_height {
        // Too tall to fit: show its top.
        Some((item_top + item_height - view_height).min(item_top).max(0.0))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_class_is_the_step_class_and_its_modifier() {
        for state in [StepState::Past, StepState::Current, StepState::Future] {
            assert_eq!(state.class(), format!("stepper__step--{}", state.modifier()));
        }
    }

    #[test]
    fn a_move_restyles_the_steps_between_the_two_current_ones() {
        // Every step whose state differs is in the range, and nothing else.
        for len in 0..6 {
            for before in 0..8 {
                for after in 0..8 {
                    let range = changed_by(before, after, len);
                    for i in 0..len {
                        let differs = state_of(i, before, len) != state_of(i, after, len);
                        assert!(!differs || range.contains(&i), "{before}→{after} of {len}: step {i} changes outside {range:?}");
                    }
                    assert!(range.end <= len);
                }
            }
        }
        assert_eq!(changed_by(600, 599, 600), 598..600);
    }

    #[test]
    fn the_cursor_stays_in_range() {
        assert_eq!(clamp(0, 17), 1);
        assert_eq!(clamp(40, 17), 17);
        assert_eq!(clamp(5, 17), 5);
        assert_eq!(clamp(3, 0), 0);
    }

    #[test]
    fn reset_back_forward_and_end() {
        assert_eq!(apply(Move::Reset, 17, 17), 1);
        assert_eq!(apply(Move::Forward, 1, 17), 2);
        assert_eq!(apply(Move::Back, 4, 17), 3);
        assert_eq!(apply(Move::End, 2, 17), 17);
    }

    #[test]
    fn moves_stop_at_the_ends() {
        assert_eq!(apply(Move::Back, 1, 17), 1);
        assert_eq!(apply(Move::Forward, 17, 17), 17);
        assert!(!can_go_back(1, 17));
        assert!(!can_go_forward(17, 17));
        assert!(can_go_back(2, 17) && can_go_forward(2, 17));
    }

    #[test]
    fn nothing_sent_means_no_step() {
        for m in [Move::Reset, Move::Back, Move::Forward, Move::End] {
            assert_eq!(apply(m, 0, 0), 0);
        }
        assert_eq!(current(0, 0), None);
        assert!(!can_go_back(0, 0) && !can_go_forward(0, 0));
        assert_eq!(state_of(0, 0, 0), StepState::Future);
    }

    #[test]
    fn the_current_step_is_the_last_one_shown() {
        assert_eq!(current(4, 17), Some(3));
        let states: Vec<StepState> = (0..5).map(|i| state_of(i, 3, 5)).collect();
        assert_eq!(states, [StepState::Past, StepState::Past, StepState::Current, StepState::Future, StepState::Future]);
    }

    #[test]
    fn a_stale_cursor_beyond_a_shorter_trace_shows_the_last_step() {
        assert_eq!(current(30, 5), Some(4));
        assert_eq!(state_of(4, 30, 5), StepState::Current);
    }

    #[test]
    fn the_position_reads_like_a_sentence() {
        assert_eq!(position_label(5, 17), "step 5 of 17");
        assert_eq!(position_label(0, 17), "step 1 of 17");
    }

    #[test]
    fn keys() {
        assert_eq!(key_move("ArrowRight", false), Some(Move::Forward));
        assert_eq!(key_move("ArrowLeft", false), Some(Move::Back));
        assert_eq!(key_move("Home", false), Some(Move::Reset));
        assert_eq!(key_move("End", false), Some(Move::End));
        assert_eq!(key_move("ArrowRight", true), None);
        assert_eq!(key_move("a", false), None);
    }

    #[test]
    fn scrolling_keeps_the_current_step_in_view() {
        // View of 100 px scrolled to 50: items from 50 to 150 are visible.
        assert_eq!(scroll_to_show(50.0, 100.0, 60.0, 20.0), None);
        assert_eq!(scroll_to_show(50.0, 100.0, 20.0, 20.0), Some(20.0));
        assert_eq!(scroll_to_show(50.0, 100.0, 140.0, 20.0), Some(60.0));
        // An item taller than the view: its top.
        assert_eq!(scroll_to_show(0.0, 100.0, 300.0, 150.0), Some(300.0));
    }
}
