//! Plain geometry for the canvas: points, rectangles, and the view (the SVG `viewBox`) with the
//! arithmetic of panning, zooming and fitting. No Leptos, no DOM: tested natively.
//!
//! The canvas is drawn with `preserveAspectRatio="xMidYMid meet"`: the whole view is shown,
//! scaled uniformly, centred in the element. [`View::to_canvas`] inverts exactly that mapping,
//! so a pointer at pixel `(px, py)` of the element lands on the right canvas point.

/// A point in canvas units (the `viewBox` coordinate system).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub const fn new(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    pub fn plus(self, other: Point) -> Point {
        Point::new(self.x + other.x, self.y + other.y)
    }

    pub fn minus(self, other: Point) -> Point {
        Point::new(self.x - other.x, self.y - other.y)
    }

    pub fn scaled(self, k: f64) -> Point {
        Point::new(self.x * k, self.y * k)
    }

    pub fn length(self) -> f64 {
        self.x.hypot(self.y)
    }

    /// The point `t` of the way from `self` to `to` (0 is `self`, 1 is `to`).
    pub fn lerp(self, to: Point, t: f64) -> Point {
        Point::new(self.x + (to.x - self.x) * t, self.y + (to.y - self.y) * t)
    }

    /// `self` moved `distance` units towards `to` (not beyond it).
    pub fn towards(self, to: Point, distance: f64) -> Point {
        let d = to.minus(self).length();
        if d <= f64::EPSILON {
            self
        } else {
            self.lerp(to, (distance / d).min(1.0))
        }
    }
}

/// An axis-aligned rectangle: top-left corner and size, in canvas units.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub const fn new(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h }
    }

    pub fn at(origin: Point, w: f64, h: f64) -> Rect {
        Rect::new(origin.x, origin.y, w, h)
    }

    pub fn origin(&self) -> Point {
        Point::new(self.x, self.y)
    }

    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    pub fn center(&self) -> Point {
        Point::new(self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    pub fn translated(&self, by: Point) -> Rect {
        Rect::new(self.x + by.x, self.y + by.y, self.w, self.h)
    }

    /// Grown by `margin` on every side.
    pub fn inflated(&self, margin: f64) -> Rect {
        Rect::new(self.x - margin, self.y - margin, self.w + 2.0 * margin, self.h + 2.0 * margin)
    }

    /// Do the interiors meet? Rectangles that only touch do not overlap.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right() && other.x < self.right() && self.y < other.bottom() && other.y < self.bottom()
    }

    /// Is `inner` entirely inside (edges may touch)?
    pub fn contains_rect(&self, inner: &Rect) -> bool {
        const E: f64 = 1e-6;
        inner.x >= self.x - E && inner.y >= self.y - E && inner.right() <= self.right() + E && inner.bottom() <= self.bottom() + E
    }

    pub fn contains_point(&self, p: Point) -> bool {
        p.x >= self.x && p.x <= self.right() && p.y >= self.y && p.y <= self.bottom()
    }

    /// The smallest rectangle holding both.
    pub fn union(&self, other: &Rect) -> Rect {
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        Rect::new(x, y, self.right().max(other.right()) - x, self.bottom().max(other.bottom()) - y)
    }

    /// Where the segment from the centre towards `to` leaves the rectangle (the centre itself
    /// when `to` is the centre).
    pub fn edge_towards(&self, to: Point) -> Point {
        let c = self.center();
        let d = to.minus(c);
        if d.x.abs() <= f64::EPSILON && d.y.abs() <= f64::EPSILON {
            return c;
        }
        let tx = if d.x.abs() > f64::EPSILON { (self.w / 2.0) / d.x.abs() } else { f64::INFINITY };
        let ty = if d.y.abs() > f64::EPSILON { (self.h / 2.0) / d.y.abs() } else { f64::INFINITY };
        let t = tx.min(ty).min(1.0);
        c.plus(d.scaled(t))
    }
}

/// The union of `rects`, or `None` for none.
pub fn bounding(rects: impl IntoIterator<Item = Rect>) -> Option<Rect> {
    rects.into_iter().reduce(|a, b| a.union(&b))
}

/// What part of the canvas the `<svg>` shows: its `viewBox`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// The narrowest view (most zoomed in), in canvas units: a node or two.
pub const MIN_VIEW_WIDTH: f64 = 160.0;
/// The widest view (most zoomed out), in canvas units.
pub const MAX_VIEW_WIDTH: f64 = 40_000.0;
/// How much one press of a zoom button zooms.
pub const ZOOM_STEP: f64 = 1.25;

impl View {
    /// The view showing `content` with `margin` around it, and at least `min` (width, height)
    /// big so a small world is not blown up to giant boxes; the content stays centred.
    pub fn fit(content: Rect, margin: f64, min: (f64, f64)) -> View {
        let r = content.inflated(margin);
        let (w, h) = (r.w.max(min.0).max(1.0), r.h.max(min.1).max(1.0));
        View { x: r.x - (w - r.w) / 2.0, y: r.y - (h - r.h) / 2.0, w, h }
    }

    /// The `viewBox` attribute value, rounded to a tenth of a unit.
    pub fn view_box(&self) -> String {
        fn r(v: f64) -> f64 {
            (v * 10.0).round() / 10.0
        }
        format!("{} {} {} {}", r(self.x), r(self.y), r(self.w), r(self.h))
    }

    pub fn center(&self) -> Point {
        Point::new(self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// Canvas units per pixel for an element of `size_px` (`meet`: the larger ratio wins).
    pub fn units_per_pixel(&self, size_px: (f64, f64)) -> f64 {
        let (cw, ch) = size_px;
        if cw <= 0.0 || ch <= 0.0 {
            return 1.0;
        }
        (self.w / cw).max(self.h / ch)
    }

    /// The canvas point under pixel `(px, py)` of an element of `size_px`, measured from the
    /// element's top-left corner.
    pub fn to_canvas(&self, size_px: (f64, f64), px: f64, py: f64) -> Point {
        let (cw, ch) = size_px;
        let k = self.units_per_pixel(size_px);
        // `meet` centres the view: the spare pixels are split evenly on both sides.
        let off_x = (cw - self.w / k) / 2.0;
        let off_y = (ch - self.h / k) / 2.0;
        Point::new(self.x + (px - off_x) * k, self.y + (py - off_y) * k)
    }

    /// The view moved so the content follows a pointer that moved `(dx, dy)` pixels.
    pub fn panned_by_pixels(&self, size_px: (f64, f64), dx: f64, dy: f64) -> View {
        let k = self.units_per_pixel(size_px);
        View { x: self.x - dx * k, y: self.y - dy * k, ..*self }
    }

    /// Zoomed by `factor` (> 1 zooms in) keeping canvas point `at` where it is on screen.
    /// The zoom is clamped to [`MIN_VIEW_WIDTH`], [`MAX_VIEW_WIDTH`].
    pub fn zoomed(&self, factor: f64, at: Point) -> View {
        if !factor.is_finite() || factor <= 0.0 {
            return *self;
        }
        let w = (self.w / factor).clamp(MIN_VIEW_WIDTH, MAX_VIEW_WIDTH.max(self.w));
        let k = w / self.w;
        View { x: at.x - (at.x - self.x) * k, y: at.y - (at.y - self.y) * k, w, h: self.h * k }
    }

    /// Zoom factor of one wheel event: scrolling down (positive `delta`) zooms out.
    /// `delta` is in pixels (lines are about 16 pixels).
    pub fn wheel_factor(delta_px: f64) -> f64 {
        (-delta_px.clamp(-400.0, 400.0) * 0.0015).exp()
    }
}

/// SVG path data of a `w` × `h` box at the origin with its top corners rounded by `r`: a
/// container's title bar.
pub fn top_rounded(w: f64, h: f64, r: f64) -> String {
    let r = r.min(w / 2.0).min(h).max(0.0);
    format!("M0 {h}V{r}Q0 0 {r} 0H{}Q{w} 0 {w} {r}V{h}Z", w - r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Point, b: Point) -> bool {
        (a.x - b.x).abs() < 1e-9 && (a.y - b.y).abs() < 1e-9
    }

    #[test]
    fn overlap_and_containment() {
        let a = Rect::new(0.0, 0.0, 10.0, 10.0);
        assert!(a.overlaps(&Rect::new(5.0, 5.0, 10.0, 10.0)));
        assert!(!a.overlaps(&Rect::new(10.0, 0.0, 10.0, 10.0)), "touching is not overlapping");
        assert!(a.contains_rect(&Rect::new(0.0, 0.0, 10.0, 10.0)));
        assert!(!a.contains_rect(&Rect::new(1.0, 1.0, 10.0, 1.0)));
        assert_eq!(a.union(&Rect::new(20.0, -5.0, 1.0, 1.0)), Rect::new(0.0, -5.0, 21.0, 15.0));
        assert_eq!(bounding([a, Rect::new(-1.0, 0.0, 1.0, 1.0)]), Some(Rect::new(-1.0, 0.0, 11.0, 10.0)));
        assert_eq!(bounding([]), None);
    }

    #[test]
    fn edges_are_where_a_line_leaves_the_rectangle() {
        let r = Rect::new(0.0, 0.0, 100.0, 50.0);
        assert!(close(r.edge_towards(Point::new(500.0, 25.0)), Point::new(100.0, 25.0)));
        assert!(close(r.edge_towards(Point::new(50.0, -300.0)), Point::new(50.0, 0.0)));
        assert!(close(r.edge_towards(r.center()), r.center()));
        // A target inside the rectangle is reached before the edge.
        assert!(close(r.edge_towards(Point::new(60.0, 25.0)), Point::new(60.0, 25.0)));
    }

    #[test]
    fn pixels_map_to_the_canvas_with_meet() {
        // A 200x100 view in a 400x400 element: 2 px per unit, 100 spare pixels above and below.
        let v = View { x: 10.0, y: 20.0, w: 200.0, h: 100.0 };
        assert_eq!(v.units_per_pixel((400.0, 400.0)), 0.5);
        assert!(close(v.to_canvas((400.0, 400.0), 0.0, 100.0), Point::new(10.0, 20.0)));
        assert!(close(v.to_canvas((400.0, 400.0), 400.0, 300.0), Point::new(210.0, 120.0)));
        assert!(close(v.to_canvas((400.0, 400.0), 200.0, 200.0), v.center()));
    }

    #[test]
    fn panning_follows_the_pointer() {
        let v = View { x: 0.0, y: 0.0, w: 200.0, h: 100.0 };
        let p = v.panned_by_pixels((400.0, 200.0), 40.0, -20.0);
        assert_eq!((p.x, p.y, p.w, p.h), (-20.0, 10.0, 200.0, 100.0));
        // The canvas point that was under pixel (100, 50) is now under pixel (140, 30).
        assert!(close(v.to_canvas((400.0, 200.0), 100.0, 50.0), p.to_canvas((400.0, 200.0), 140.0, 30.0)));
    }

    #[test]
    fn zooming_keeps_the_point_under_the_pointer() {
        let v = View { x: 0.0, y: 0.0, w: 1000.0, h: 500.0 };
        let at = Point::new(250.0, 100.0);
        let z = v.zoomed(2.0, at);
        assert_eq!((z.w, z.h), (500.0, 250.0));
        // `at` keeps its relative place in the view.
        assert!(((at.x - z.x) / z.w - (at.x - v.x) / v.w).abs() < 1e-12);
        assert!(((at.y - z.y) / z.h - (at.y - v.y) / v.h).abs() < 1e-12);
        // In then out again is where we started.
        let back = z.zoomed(0.5, at);
        assert!((back.x - v.x).abs() < 1e-9 && (back.w - v.w).abs() < 1e-9);
    }

    #[test]
    fn zoom_is_clamped_and_ignores_nonsense() {
        let v = View { x: 0.0, y: 0.0, w: 1000.0, h: 500.0 };
        assert_eq!(v.zoomed(1000.0, v.center()).w, MIN_VIEW_WIDTH);
        assert_eq!(v.zoomed(1e-9, v.center()).w, MAX_VIEW_WIDTH);
        assert_eq!(v.zoomed(f64::NAN, v.center()), v);
        assert_eq!(v.zoomed(-2.0, v.center()), v);
        assert!(View::wheel_factor(100.0) < 1.0 && View::wheel_factor(-100.0) > 1.0);
        assert_eq!(View::wheel_factor(1e9), View::wheel_factor(400.0));
    }

    #[test]
    fn title_bars_round_only_their_top() {
        assert_eq!(top_rounded(100.0, 30.0, 10.0), "M0 30V10Q0 0 10 0H90Q100 0 100 10V30Z");
        assert_eq!(top_rounded(10.0, 4.0, 10.0), "M0 4V4Q0 0 4 0H6Q10 0 10 4V4Z");
    }

    #[test]
    fn fit_and_view_box() {
        let v = View::fit(Rect::new(0.0, 0.0, 100.0, 50.0), 10.0, (0.0, 0.0));
        assert_eq!(v.view_box(), "-10 -10 120 70");
        // A small world is shown at a readable size, centred.
        let v = View::fit(Rect::new(0.0, 0.0, 100.0, 50.0), 10.0, (400.0, 300.0));
        assert_eq!(v.view_box(), "-150 -125 400 300");
        assert_eq!(v.center(), Point::new(50.0, 25.0));
        assert_eq!(View { x: 0.04, y: 1.26, w: 3.0, h: 4.0 }.view_box(), "0 1.3 3 4");
    }
}
