//! One pointer gesture on the canvas, as plain data: press, move, release. Decides whether
//! the gesture pans the view, drags an item, or was a click, and what a drag saves. The
//! component feeds it pixel positions and applies what it returns. Pure, tested natively.

use super::geometry::Point;
use super::layout::Handle;
use sgplay_core::scenario::Position;

/// A pointer that moved less than this many pixels from where it was pressed clicked.
pub const CLICK_SLOP_PX: f64 = 4.0;

/// What the pointer was pressed on.
#[derive(Clone, Debug, PartialEq)]
pub enum Grab {
    /// The background: the gesture pans.
    Background,
    /// An item that can be moved: a node or a container's title bar. `node` is the node id
    /// when a click on it means something (selecting an instance, expanding a summary).
    Item { id: String, handle: Handle, node: Option<String> },
    /// A node that cannot be moved (read-only mode, summaries): the gesture pans, a click
    /// still selects it.
    Fixed { node: String },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Gesture {
    pub pointer_id: i32,
    grab: Grab,
    start_px: Point,
    last_px: Point,
    /// Canvas units per pixel when the gesture began.
    units_per_px: f64,
    moved: bool,
}

/// What a pointer move asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Motion {
    /// Pan the view by these pixels.
    Pan { dx: f64, dy: f64 },
    /// Draw item `id` (and what it contains) shifted by `offset` canvas units.
    Drag { id: String, offset: Point },
    /// Not yet past the click slop.
    Still,
}

/// What releasing the pointer asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// A click on node `id`.
    Click(String),
    /// A click on the background.
    ClickBackground,
    /// Save `position` under `key`: one undo step named after `name`.
    Drop { key: String, name: String, position: Position },
    /// Nothing to do: a pan ended, or a drag came back where it started.
    Nothing,
}

impl Gesture {
    pub fn begin(pointer_id: i32, grab: Grab, at_px: Point, units_per_px: f64) -> Gesture {
        let units_per_px = if units_per_px.is_finite() && units_per_px > 0.0 { units_per_px } else { 1.0 };
        Gesture { pointer_id, grab, start_px: at_px, last_px: at_px, units_per_px, moved: false }
    }

    fn offset(&self, at_px: Point) -> Point {
        at_px.minus(self.start_px).scaled(self.units_per_px)
    }

    pub fn motion(&mut self, at_px: Point) -> Motion {
        if !self.moved && at_px.minus(self.start_px).length() < CLICK_SLOP_PX {
            return Motion::Still;
        }
        self.moved = true;
        let last = std::mem::replace(&mut self.last_px, at_px);
        match &self.grab {
            Grab::Item { id, .. } => Motion::Drag { id: id.clone(), offset: self.offset(at_px) },
            Grab::Background | Grab::Fixed { .. } => Motion::Pan { dx: at_px.x - last.x, dy: at_px.y - last.y },
        }
    }

    /// Ends the gesture with the pointer at `at_px`.
    pub fn end(mut self, at_px: Point) -> Outcome {
        if !self.moved && at_px.minus(self.start_px).length() >= CLICK_SLOP_PX {
            self.moved = true;
        }
        match (self.moved, &self.grab) {
            (false, Grab::Item { node: Some(node), .. } | Grab::Fixed { node }) => Outcome::Click(node.clone()),
            (false, Grab::Background) => Outcome::ClickBackground,
            (false, Grab::Item { node: None, .. }) => Outcome::Nothing,
            (true, Grab::Item { handle, .. }) => match handle.dropped(self.offset(at_px)) {
                Some(position) => Outcome::Drop { key: handle.key.clone(), name: handle.name.clone(), position },
                None => Outcome::Nothing,
            },
            (true, _) => Outcome::Nothing,
        }
    }

    /// Does this gesture drag item `id`?
    pub fn drags(&self) -> Option<&str> {
        match &self.grab {
            Grab::Item { id, .. } if self.moved => Some(id),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> Grab {
        Grab::Item {
            id: "ecs-a".into(),
            handle: Handle { key: "ecs-a".into(), rel: Point::new(20.0, 40.0), min: Some(Point::new(14.0, 32.0)), name: "ECS-A".into() },
            node: Some("ecs-a".into()),
        }
    }

    fn at(x: f64, y: f64) -> Point {
        Point::new(x, y)
    }

    #[test]
    fn a_press_and_release_in_place_is_a_click_and_saves_nothing() {
        let mut g = Gesture::begin(1, item(), at(100.0, 100.0), 2.0);
        assert_eq!(g.motion(at(101.0, 102.0)), Motion::Still);
        assert_eq!(g.drags(), None);
        assert_eq!(g.end(at(101.0, 101.0)), Outcome::Click("ecs-a".into()));
        let g = Gesture::begin(1, Grab::Background, at(0.0, 0.0), 1.0);
        assert_eq!(g.end(at(1.0, 0.0)), Outcome::ClickBackground);
    }

    #[test]
    fn a_drag_moves_in_canvas_units_and_saves_once_on_release() {
        let mut g = Gesture::begin(1, item(), at(100.0, 100.0), 2.0);
        assert_eq!(g.motion(at(110.0, 100.0)), Motion::Drag { id: "ecs-a".into(), offset: at(20.0, 0.0) });
        assert_eq!(g.motion(at(130.0, 105.0)), Motion::Drag { id: "ecs-a".into(), offset: at(60.0, 10.0) });
        assert_eq!(g.drags(), Some("ecs-a"));
        assert_eq!(
            g.end(at(130.0, 105.0)),
            Outcome::Drop { key: "ecs-a".into(), name: "ECS-A".into(), position: Position { x: 80.0, y: 50.0 } }
        );
    }

    #[test]
    fn a_drag_that_comes_back_saves_nothing() {
        let mut g = Gesture::begin(1, item(), at(100.0, 100.0), 1.0);
        g.motion(at(150.0, 100.0));
        assert_eq!(g.end(at(100.2, 100.0)), Outcome::Nothing);
    }

    #[test]
    fn a_drag_against_the_container_edge_is_clamped() {
        let mut g = Gesture::begin(1, item(), at(100.0, 100.0), 1.0);
        g.motion(at(0.0, 0.0));
        assert_eq!(
            g.end(at(0.0, 0.0)),
            Outcome::Drop { key: "ecs-a".into(), name: "ECS-A".into(), position: Position { x: 14.0, y: 32.0 } }
        );
    }

    #[test]
    fn the_background_and_fixed_nodes_pan_by_pixel_deltas() {
        let mut g = Gesture::begin(1, Grab::Fixed { node: "ecs-a".into() }, at(0.0, 0.0), 3.0);
        assert_eq!(g.motion(at(10.0, 0.0)), Motion::Pan { dx: 10.0, dy: 0.0 });
        assert_eq!(g.motion(at(15.0, -5.0)), Motion::Pan { dx: 5.0, dy: -5.0 });
        assert_eq!(g.drags(), None);
        assert_eq!(g.end(at(15.0, -5.0)), Outcome::Nothing);
        // Pressed on a fixed node without moving: it is selected.
        let g = Gesture::begin(1, Grab::Fixed { node: "ecs-a".into() }, at(0.0, 0.0), 3.0);
        assert_eq!(g.end(at(0.0, 0.0)), Outcome::Click("ecs-a".into()));
    }

    #[test]
    fn a_quick_flick_without_move_events_still_drags() {
        let g = Gesture::begin(1, item(), at(0.0, 0.0), 1.0);
        assert!(matches!(g.end(at(50.0, 0.0)), Outcome::Drop { .. }));
    }

    #[test]
    fn nonsense_scale_falls_back_to_one() {
        let mut g = Gesture::begin(1, item(), at(0.0, 0.0), f64::NAN);
        assert_eq!(g.motion(at(10.0, 0.0)), Motion::Drag { id: "ecs-a".into(), offset: at(10.0, 0.0) });
    }
}
