use super::*;

fn vectors(n: usize) -> (Vec<f32>, Vec<f32>) {
    (
        (0..n).map(|x| x as f32 * 0.37 - 1.0).collect(),
        (0..n).map(|x| 2.0 - x as f32 * 0.21).collect(),
    )
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn dot_matches_naive_for_every_length() {
    for n in 0..70 {
        let (a, b) = vectors(n);
        let naive: f64 = a.iter().zip(&b).map(|(x, y)| (x * y) as f64).sum();
        assert!((dot(&a, &b) as f64 - naive).abs() < 1e-3, "n={n}");
        // The vector kernel adds in the portable order: equal to the last bit.
        assert_eq!(
            dot(&a, &b).to_bits(),
            dot_portable(&a, &b).to_bits(),
            "n={n}"
        );
        let (a, b): (Vec<f64>, Vec<f64>) = (
            a.iter().map(|&v| v as f64 / 3.0).collect(),
            b.iter().map(|&v| v as f64 / 7.0).collect(),
        );
        let naive: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot_f64(&a, &b) - naive).abs() < 1e-12, "n={n}");
        assert_eq!(
            dot_f64(&a, &b).to_bits(),
            dot_f64_portable(&a, &b).to_bits(),
            "n={n}"
        );
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn axpy_add_outer_and_sgd_pair_match_their_definitions() {
    for n in 0..23 {
        let (x, y0) = vectors(n);
        let mut y = y0.clone();
        axpy(&mut y, 0.5, &x);
        for j in 0..n {
            assert_eq!(y[j], y0[j] + 0.5 * x[j]);
        }
        let mut outer = vec![1.0f32; n * n];
        add_outer(&mut outer, &x);
        for (pq, v) in outer.iter().enumerate() {
            assert_eq!(*v, 1.0 + x[pq / n] * x[pq % n]);
        }
        let mut lower = vec![1.0f32; n * n];
        add_outer_lower(&mut lower, &x);
        for (pq, v) in lower.iter().enumerate() {
            let (r, c) = (pq / n, pq % n);
            let want = if c <= r { 1.0 + x[r] * x[c] } else { 1.0 };
            assert_eq!(*v, want, "row {r} column {c}");
        }
        // Four at once: the same as four single updates up to rounding, and exactly the
        // left-to-right sum its comment gives.
        let x4: Vec<f32> = (0..4)
            .flat_map(|t| x.iter().map(move |v| v * (t as f32 - 1.5)))
            .collect();
        let mut four = vec![1.0f32; n * n];
        add_outer_lower4(&mut four, &x4, n);
        for (pq, v) in four.iter().enumerate() {
            let (r, c) = (pq / n, pq % n);
            let mut want = 1.0f32;
            if c <= r {
                for t in 0..4 {
                    want += x4[t * n + r] * x4[t * n + c];
                }
            }
            assert_eq!(*v, want, "four: row {r} column {c}");
        }
        let (mut p, mut q) = (x.clone(), y0.clone());
        sgd_pair(&mut p, &mut q, 0.99, 0.1);
        for j in 0..n {
            assert_eq!(p[j], 0.99 * x[j] - 0.1 * y0[j]);
            assert_eq!(q[j], 0.99 * y0[j] - 0.1 * x[j]);
        }
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn adaptive_row_matches_its_definition() {
    for adam in [true, false] {
        let st = AdaptiveStep {
            adam,
            scale: 0.5,
            eta: 0.01,
            c1: 0.1,
            c2: 0.02,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
        };
        for n in [0usize, 3, 4, 9] {
            let (w0, g0) = vectors(n);
            let (m0, v0): (Vec<f32>, Vec<f32>) = (vec![0.1; n], vec![0.2; n]);
            let (mut w, mut g, mut m, mut v) = (w0.clone(), g0.clone(), m0.clone(), v0.clone());
            adaptive_row(&mut w, &mut g, &mut m, &mut v, &st);
            for j in 0..n {
                let gj = g0[j] * 0.5;
                let vj = 0.999 * v0[j] + (1.0 - 0.999) * gj * gj;
                let want = if adam {
                    let mj = 0.9 * m0[j] + (1.0 - 0.9) * gj;
                    assert!((m[j] - mj).abs() <= 1e-6 * mj.abs().max(1.0));
                    w0[j] - 0.01 * (mj / 0.1) / ((vj / 0.02).sqrt() + 1e-8)
                } else {
                    w0[j] - 0.01 * gj / (vj.sqrt() + 1e-8)
                };
                assert_eq!(g[j], 0.0);
                assert!((v[j] - vj).abs() <= 1e-6 * vj.abs().max(1.0));
                assert!(
                    (w[j] - want).abs() <= 1e-5 * want.abs().max(1.0),
                    "{adam} {n} {j}"
                );
            }
        }
    }
}
