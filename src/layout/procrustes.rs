//! Orthogonal Procrustes in two dimensions (Schoenemann 1966): the rotation, or rotation with a
//! reflection, that best turns one layout onto another, after centring both. Factors are defined
//! only up to such a turn, so two maps of the same items (two epochs, two runs) are compared
//! after it: what moves then is what truly moved.

/// `layout` (row-major `(n, 2)`) centred and turned to lie as close as possible to `reference`
/// (the same rows), by least squares over rotations and reflections; then moved onto the
/// reference's centre. The scale is kept. Returns the turned layout and the root mean square
/// distance left between matching points.
///
/// ```
/// use mf_playground::layout::align;
/// let a = [0.0f32, 0.0, 1.0, 0.0, 0.0, 2.0];
/// // `a` turned a quarter to the left and moved.
/// let b = [5.0f32, 5.0, 5.0, 6.0, 3.0, 5.0];
/// let (turned, rms) = align(&b, &a);
/// assert!(rms < 1e-5);
/// assert!((turned[2] - 1.0).abs() < 1e-5 && turned[3].abs() < 1e-5);
/// ```
pub fn align(layout: &[f32], reference: &[f32]) -> (Vec<f32>, f32) {
    let turn = Turn::fit(layout, reference);
    let out = turn.apply(layout);
    let rms = rms(&out, reference);
    (out, rms)
}

/// The root mean square distance between matching points of two layouts (row-major `(n, 2)`;
/// 0 for none).
pub fn rms(p: &[f32], q: &[f32]) -> f32 {
    let n = p.len() / 2;
    if n == 0 {
        return 0.0;
    }
    let sq: f64 = p
        .iter()
        .zip(q)
        .map(|(a, b)| (*a as f64 - *b as f64).powi(2))
        .sum();
    (sq / n as f64).sqrt() as f32
}

/// The turn [`align`] finds: moves the layout's centre to the origin, turns it by `r` (a
/// rotation or a reflection, applied to row vectors) and moves it onto the reference's centre.
/// The same turn can be applied to other points drawn on the layout's axes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Turn {
    from: (f64, f64),
    to: (f64, f64),
    r: [[f64; 2]; 2],
}

impl Turn {
    /// The turn of `layout` onto `reference` (the same rows, row-major `(n, 2)`).
    pub fn fit(layout: &[f32], reference: &[f32]) -> Turn {
        let n = layout.len() / 2;
        assert_eq!(layout.len(), reference.len(), "the same points");
        if n == 0 {
            return Turn {
                from: (0.0, 0.0),
                to: (0.0, 0.0),
                r: [[1.0, 0.0], [0.0, 1.0]],
            };
        }
        let centre = |p: &[f32]| {
            let (mut x, mut y) = (0.0f64, 0.0f64);
            for r in 0..n {
                x += p[2 * r] as f64;
                y += p[2 * r + 1] as f64;
            }
            (x / n as f64, y / n as f64)
        };
        let (ax, ay) = centre(layout);
        let (bx, by) = centre(reference);
        // M = A^T B, 2 x 2: the best orthogonal R maximises trace(R^T M) (A R ~ B).
        let (mut m00, mut m01, mut m10, mut m11) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
        for r in 0..n {
            let (a0, a1) = (layout[2 * r] as f64 - ax, layout[2 * r + 1] as f64 - ay);
            let (b0, b1) = (
                reference[2 * r] as f64 - bx,
                reference[2 * r + 1] as f64 - by,
            );
            m00 += a0 * b0;
            m01 += a0 * b1;
            m10 += a1 * b0;
            m11 += a1 * b1;
        }
        // A rotation by t: R = [[c, s], [-s, c]] (row vectors times R), trace(R^T M) =
        // c (m00 + m11) + s (m01 - m10), largest at t = atan2(m01 - m10, m00 + m11). A
        // reflection R = [[c, s], [s, -c]]: c (m00 - m11) + s (m01 + m10).
        let rot = (m00 + m11).hypot(m01 - m10);
        let refl = (m00 - m11).hypot(m01 + m10);
        let r = if rot >= refl {
            let (s, c) = (m01 - m10).atan2(m00 + m11).sin_cos();
            [[c, s], [-s, c]]
        } else {
            let (s, c) = (m01 + m10).atan2(m00 - m11).sin_cos();
            [[c, s], [s, -c]]
        };
        Turn {
            from: (ax, ay),
            to: (bx, by),
            r,
        }
    }

    /// `points` (row-major `(m, 2)`, on the layout's axes) turned.
    pub fn apply(&self, points: &[f32]) -> Vec<f32> {
        let r = &self.r;
        points
            .chunks(2)
            .flat_map(|p| {
                let (a0, a1) = (p[0] as f64 - self.from.0, p[1] as f64 - self.from.1);
                [
                    (a0 * r[0][0] + a1 * r[1][0] + self.to.0) as f32,
                    (a0 * r[0][1] + a1 * r[1][1] + self.to.1) as f32,
                ]
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn turn(p: &[f32], t: f32, flip: bool, dx: f32, dy: f32) -> Vec<f32> {
        let (s, c) = t.sin_cos();
        p.chunks(2)
            .flat_map(|q| {
                let y = if flip { -q[1] } else { q[1] };
                [c * q[0] - s * y + dx, s * q[0] + c * y + dy]
            })
            .collect()
    }

    #[test]
    fn a_turned_reflected_moved_copy_is_turned_back_exactly() {
        let mut rng = Rng::new(3);
        let a: Vec<f32> = (0..40).map(|_| rng.normal() as f32).collect();
        for (t, flip) in [(0.3, false), (2.5, false), (-1.2, true), (3.1, true)] {
            let b = turn(&a, t, flip, 4.0, -2.0);
            let (back, rms) = align(&b, &a);
            assert!(rms < 1e-4, "{t} {flip}: {rms}");
            for (x, y) in back.iter().zip(&a) {
                assert!((x - y).abs() < 1e-4);
            }
        }
    }

    #[test]
    fn the_turn_is_the_best_one() {
        // Noise added: no other angle (or its mirror) leaves less between the points.
        let mut rng = Rng::new(5);
        let a: Vec<f32> = (0..60).map(|_| rng.normal() as f32).collect();
        let b: Vec<f32> = turn(&a, 1.0, false, 0.0, 0.0)
            .iter()
            .map(|v| v + 0.3 * rng.normal() as f32)
            .collect();
        let (_, best) = align(&b, &a);
        for k in 0..72 {
            for flip in [false, true] {
                let t = k as f32 * std::f32::consts::PI / 36.0;
                let c = turn(&b, t, flip, 0.0, 0.0);
                let (_, rms) = align(&c, &a);
                // Aligning an already turned copy cannot do better than the best turn.
                assert!(rms >= best - 1e-4);
            }
        }
        assert!(best < 0.5);
    }
}
