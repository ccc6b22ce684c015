//! The inner loops' vector kernels: a dot product, `y += a x`, and SGD's paired factor update.
//!
//! Each has one portable version, written in whole eight-lane chunks with independent
//! accumulators so that the compiler vectorises it (8-wide AVX2 in the AVX2 copies of the
//! training loops, 4-wide SSE2 otherwise), and a WebAssembly version written with `simd128`
//! intrinsics (`core::arch::wasm32`), used when the wasm build enables that feature (ours does,
//! in `.cargo/config.toml`; a build without it falls back to the portable code).
//!
//! Both versions add in the same order, so native and wasm builds give the same numbers to the
//! last bit (the wasm benchmark checks that the test RMSEs agree).

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use core::arch::wasm32::*;

/// Whether the 256-bit copies (AVX, and AVX2 with FMA for the training loops) may run: the CPU
/// has them, and the environment does not say `MFP_SIMD=128`, which keeps a native run as wide
/// as WebAssembly's 128-bit SIMD (for the benchmark of the two; the numbers are the same).
#[cfg(target_arch = "x86_64")]
pub fn wide(features: &'static str) -> bool {
    static NARROW: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let narrow = *NARROW.get_or_init(|| std::env::var("MFP_SIMD").is_ok_and(|v| v == "128"));
    !narrow
        && match features {
            "avx" => std::is_x86_feature_detected!("avx"),
            _ => std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma"),
        }
}

/// `sum a[j] b[j]` over the shorter length.
#[inline(always)]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        dot_simd128(a, b)
    }
    #[cfg(target_arch = "x86_64")]
    if wide("avx") {
        // SAFETY: the CPU has AVX (checked just above, a cached flag).
        return unsafe { dot_avx(a, b) };
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        dot_portable(a, b)
    }
}

/// [`dot_portable`]'s sums with two 8-lane AVX registers. The compiler does not vectorise the
/// portable code's eight-lane accumulators into whole AVX registers by itself (it pairs lanes
/// into 2-wide operations), so x86-64 with AVX takes this copy; inlined into the training loops'
/// AVX2 copies.
#[cfg(target_arch = "x86_64")]
#[inline]
#[target_feature(enable = "avx")]
unsafe fn dot_avx(a: &[f32], b: &[f32]) -> f32 {
    use std::arch::x86_64::*;
    let n = a.len().min(b.len());
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let mut acc0 = _mm256_setzero_ps();
    let mut acc1 = _mm256_setzero_ps();
    let mut j = 0;
    // SAFETY (caller: AVX present): every load reads eight floats at j..j + 8 <= n.
    while j + 16 <= n {
        let x0 = _mm256_loadu_ps(pa.add(j));
        let y0 = _mm256_loadu_ps(pb.add(j));
        let x1 = _mm256_loadu_ps(pa.add(j + 8));
        let y1 = _mm256_loadu_ps(pb.add(j + 8));
        acc0 = _mm256_add_ps(acc0, _mm256_mul_ps(x0, y0));
        acc1 = _mm256_add_ps(acc1, _mm256_mul_ps(x1, y1));
        j += 16;
    }
    if j + 8 <= n {
        let x0 = _mm256_loadu_ps(pa.add(j));
        let y0 = _mm256_loadu_ps(pb.add(j));
        acc0 = _mm256_add_ps(acc0, _mm256_mul_ps(x0, y0));
        j += 8;
    }
    // The portable order's tree: (t0 + t4, ..., t3 + t7) = u, a last 4-chunk into u, then
    // (u0 + u2) + (u1 + u3).
    let t = _mm256_add_ps(acc0, acc1);
    let mut u = _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps::<1>(t));
    if j + 4 <= n {
        u = _mm_add_ps(
            u,
            _mm_mul_ps(_mm_loadu_ps(pa.add(j)), _mm_loadu_ps(pb.add(j))),
        );
        j += 4;
    }
    let h = _mm_add_ps(u, _mm_movehl_ps(u, u));
    let mut s = _mm_cvtss_f32(h) + _mm_cvtss_f32(_mm_shuffle_ps::<1>(h, h));
    while j < n {
        s += *pa.add(j) * *pb.add(j);
        j += 1;
    }
    s
}

/// Two accumulators of eight lanes: lanes 0-7 of each 16-chunk add into the first, 8-15 into the
/// second; a last 8-chunk into the first; the two folded into four lanes, a last 4-chunk added
/// to those, then the four summed as a tree, then the tail (under four) in order. (k = 100 is
/// 6 x 16 + 4: the 4-chunk keeps those four off a serial chain on the update's critical path.)
#[inline(always)]
#[doc(hidden)]
pub fn dot_portable(a: &[f32], b: &[f32]) -> f32 {
    let mut acc0 = [0.0f32; 8];
    let mut acc1 = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(16), b.chunks_exact(16));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        let (x0, x1) = x.split_at(8);
        let (y0, y1) = y.split_at(8);
        lanes_fma(&mut acc0, x0, y0);
        lanes_fma(&mut acc1, x1, y1);
    }
    let (ca, cb) = (ra.chunks_exact(8), rb.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        lanes_fma(&mut acc0, x, y);
    }
    // The lanes' sums as a tree, not a chain (the sum is on the update's critical path):
    // t = acc0 + acc1 lane-wise, u[l] = t[l] + t[l + 4], then (u0 + u2) + (u1 + u3).
    let mut t = [0.0f32; 8];
    for l in 0..8 {
        t[l] = acc0[l] + acc1[l];
    }
    let mut u = [t[0] + t[4], t[1] + t[5], t[2] + t[6], t[3] + t[7]];
    let (ca, cb) = (ra.chunks_exact(4), rb.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for l in 0..4 {
            u[l] += x[l] * y[l];
        }
    }
    let mut s = (u[0] + u[2]) + (u[1] + u[3]);
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

/// `acc[l] += x[l] * y[l]` for the eight lanes.
#[inline(always)]
fn lanes_fma(acc: &mut [f32; 8], x: &[f32], y: &[f32]) {
    let x: &[f32; 8] = x.try_into().expect("eight lanes");
    let y: &[f32; 8] = y.try_into().expect("eight lanes");
    for l in 0..8 {
        acc[l] += x[l] * y[l];
    }
}

/// [`dot_portable`]'s sums with four `f32x4` registers (lanes 0-3, 4-7 | 8-11, 12-15).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn dot_simd128(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len();
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let zero = f32x4_splat(0.0);
    let (mut v0, mut v1, mut v2, mut v3) = (zero, zero, zero, zero);
    let mut j = 0;
    // SAFETY: every load reads four floats at j..j + 4 <= n of slices of length n (wasm loads
    // need no alignment).
    unsafe {
        while j + 16 <= n {
            let x = |o: usize| v128_load(pa.add(j + o) as *const v128);
            let y = |o: usize| v128_load(pb.add(j + o) as *const v128);
            v0 = f32x4_add(v0, f32x4_mul(x(0), y(0)));
            v1 = f32x4_add(v1, f32x4_mul(x(4), y(4)));
            v2 = f32x4_add(v2, f32x4_mul(x(8), y(8)));
            v3 = f32x4_add(v3, f32x4_mul(x(12), y(12)));
            j += 16;
        }
        if j + 8 <= n {
            let x = |o: usize| v128_load(pa.add(j + o) as *const v128);
            let y = |o: usize| v128_load(pb.add(j + o) as *const v128);
            v0 = f32x4_add(v0, f32x4_mul(x(0), y(0)));
            v1 = f32x4_add(v1, f32x4_mul(x(4), y(4)));
            j += 8;
        }
    }
    // The portable order's tree: lanes (v0 + v2) + (v1 + v3), a last 4-chunk into them, then
    // (u0 + u2) + (u1 + u3).
    let mut w = f32x4_add(f32x4_add(v0, v2), f32x4_add(v1, v3));
    if j + 4 <= n {
        // SAFETY: four floats at j..j + 4 <= n.
        let (x, y) = unsafe {
            (
                v128_load(pa.add(j) as *const v128),
                v128_load(pb.add(j) as *const v128),
            )
        };
        w = f32x4_add(w, f32x4_mul(x, y));
        j += 4;
    }
    let h = f32x4_add(w, i32x4_shuffle::<2, 3, 2, 3>(w, w));
    let mut s = f32x4_extract_lane::<0>(h) + f32x4_extract_lane::<1>(h);
    while j < n {
        s += a[j] * b[j];
        j += 1;
    }
    s
}

/// `y[j] += a * x[j]` over the shorter length.
#[inline(always)]
pub fn axpy(y: &mut [f32], a: f32, x: &[f32]) {
    let n = y.len().min(x.len());
    let (y, x) = (&mut y[..n], &x[..n]);
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        let va = f32x4_splat(a);
        let mut j = 0;
        // SAFETY: each access is four floats at j..j + 4 <= n inside both slices.
        unsafe {
            while j + 4 <= n {
                let py = y.as_mut_ptr().add(j) as *mut v128;
                let vx = v128_load(x.as_ptr().add(j) as *const v128);
                v128_store(py, f32x4_add(v128_load(py), f32x4_mul(va, vx)));
                j += 4;
            }
        }
        for (y, x) in y[j..].iter_mut().zip(&x[j..]) {
            *y += a * x;
        }
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    for (y, x) in y.iter_mut().zip(x) {
        *y += a * x;
    }
}

/// `sum a[j] b[j]` in `f64` over the shorter length, for the Cholesky solves: eight independent
/// lanes (whole eight-chunks; four `f64x2` registers in wasm, 2-wide SSE2 natively, as the
/// solves are not in an AVX copy), added lane by lane, then the tail in order. A serial sum
/// would wait on each add's latency.
#[inline(always)]
pub fn dot_f64(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let zero = f64x2_splat(0.0);
        let mut v = [zero; 4];
        let mut j = 0;
        // SAFETY: every load reads two doubles at j..j + 2 <= n of slices of length n.
        unsafe {
            while j + 8 <= n {
                for (l, acc) in v.iter_mut().enumerate() {
                    let x = v128_load(pa.add(j + 2 * l) as *const v128);
                    let y = v128_load(pb.add(j + 2 * l) as *const v128);
                    *acc = f64x2_add(*acc, f64x2_mul(x, y));
                }
                j += 8;
            }
        }
        let mut s = 0.0;
        for acc in v {
            s += f64x2_extract_lane::<0>(acc);
            s += f64x2_extract_lane::<1>(acc);
        }
        while j < n {
            s += a[j] * b[j];
            j += 1;
        }
        s
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        dot_f64_portable(a, b)
    }
}

/// [`dot_f64`]'s order without intrinsics (what native builds run).
#[inline(always)]
#[doc(hidden)]
pub fn dot_f64_portable(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    let mut s = 0.0;
    for v in acc {
        s += v;
    }
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

/// `a += x x^T` for the row-major `n x n` matrix `a`, `n = x.len()`: one [`axpy`] a row (the
/// whole square, for the weighted-ALS Gram matrix the conjugate gradient multiplies with).
#[inline(always)]
pub fn add_outer(a: &mut [f32], x: &[f32]) {
    let n = x.len();
    for (row, &xp) in a.chunks_exact_mut(n.max(1)).zip(x) {
        axpy(row, xp, x);
    }
}

/// The lower triangle (diagonal included) of `a += x x^T`: row `p` gets `x[p] x[..=p]`. Half
/// the work of [`add_outer`], for a solve that reads only that triangle (explicit ALS's Cholesky).
#[inline(always)]
pub fn add_outer_lower(a: &mut [f32], x: &[f32]) {
    let n = x.len();
    for (p, (row, &xp)) in a.chunks_exact_mut(n.max(1)).zip(x).enumerate() {
        axpy(&mut row[..=p], xp, &x[..=p]);
    }
}

/// [`add_outer_lower`] for four vectors at once, `x = [x0 | x1 | x2 | x3]` (each of length `n`):
/// `a[p][j] = (((a[p][j] + x0[p] x0[j]) + x1[p] x1[j]) + x2[p] x2[j]) + x3[p] x3[j]` for `j <= p`.
/// One load and store of `a` serves four ratings, which is what bounds the one-vector update.
#[inline(always)]
pub fn add_outer_lower4(a: &mut [f32], x: &[f32], n: usize) {
    let (x0, rest) = x.split_at(n);
    let (x1, rest) = rest.split_at(n);
    let (x2, x3) = rest.split_at(n);
    let x3 = &x3[..n];
    for (p, row) in a.chunks_exact_mut(n.max(1)).take(n).enumerate() {
        let c = [x0[p], x1[p], x2[p], x3[p]];
        let m = p + 1;
        let y = &mut row[..m];
        let (x0, x1, x2, x3) = (&x0[..m], &x1[..m], &x2[..m], &x3[..m]);
        #[allow(unused_mut)]
        let mut j = 0;
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        {
            let cs = c.map(|v| f32x4_splat(v));
            // SAFETY: each access is four floats at j..j + 4 <= m inside all five slices.
            unsafe {
                while j + 4 <= m {
                    let at = |v: &[f32]| v128_load(v.as_ptr().add(j) as *const v128);
                    let py = y.as_mut_ptr().add(j) as *mut v128;
                    let mut acc = v128_load(py);
                    acc = f32x4_add(acc, f32x4_mul(cs[0], at(x0)));
                    acc = f32x4_add(acc, f32x4_mul(cs[1], at(x1)));
                    acc = f32x4_add(acc, f32x4_mul(cs[2], at(x2)));
                    acc = f32x4_add(acc, f32x4_mul(cs[3], at(x3)));
                    v128_store(py, acc);
                    j += 4;
                }
            }
        }
        for j in j..m {
            y[j] = y[j] + c[0] * x0[j] + c[1] * x1[j] + c[2] * x2[j] + c[3] * x3[j];
        }
    }
}

/// SGD's step on a pair of factor rows, both from their old values:
/// `p <- shrink p - step q` and `q <- shrink q - step p`.
#[inline(always)]
pub fn sgd_pair(p: &mut [f32], q: &mut [f32], shrink: f32, step: f32) {
    let n = p.len().min(q.len());
    let (p, q) = (&mut p[..n], &mut q[..n]);
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        let (vs, vt) = (f32x4_splat(shrink), f32x4_splat(step));
        let mut j = 0;
        // SAFETY: each access is four floats at j..j + 4 <= n inside both (distinct) slices.
        unsafe {
            // Sixteen floats a turn (four independent lane groups): the wasm engines do not
            // unroll loops, and the loop's own count and branch cost as much as one group.
            while j + 16 <= n {
                for o in [0, 4, 8, 12] {
                    let pp = p.as_mut_ptr().add(j + o) as *mut v128;
                    let pq = q.as_mut_ptr().add(j + o) as *mut v128;
                    let (p0, q0) = (v128_load(pp), v128_load(pq));
                    v128_store(pp, f32x4_sub(f32x4_mul(vs, p0), f32x4_mul(vt, q0)));
                    v128_store(pq, f32x4_sub(f32x4_mul(vs, q0), f32x4_mul(vt, p0)));
                }
                j += 16;
            }
            while j + 4 <= n {
                let pp = p.as_mut_ptr().add(j) as *mut v128;
                let pq = q.as_mut_ptr().add(j) as *mut v128;
                let (p0, q0) = (v128_load(pp), v128_load(pq));
                v128_store(pp, f32x4_sub(f32x4_mul(vs, p0), f32x4_mul(vt, q0)));
                v128_store(pq, f32x4_sub(f32x4_mul(vs, q0), f32x4_mul(vt, p0)));
                j += 4;
            }
        }
        for (pf, qf) in p[j..].iter_mut().zip(q[j..].iter_mut()) {
            let (p0, q0) = (*pf, *qf);
            *pf = shrink * p0 - step * q0;
            *qf = shrink * q0 - step * p0;
        }
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    for (pf, qf) in p.iter_mut().zip(q.iter_mut()) {
        let (p0, q0) = (*pf, *qf);
        *pf = shrink * p0 - step * q0;
        *qf = shrink * q0 - step * p0;
    }
}

/// One Adam or RMSprop step on a row of weights, from the row's accumulated gradient (which it
/// clears), with the optimiser's moving averages `m` (Adam only) and `v`.
#[derive(Debug, Clone, Copy)]
pub struct AdaptiveStep {
    /// Adam when true, RMSprop when false.
    pub adam: bool,
    /// Multiplies the accumulated gradient (1 / batch size).
    pub scale: f32,
    pub eta: f32,
    /// Adam's bias corrections `1 - beta^t` (1 for RMSprop).
    pub c1: f32,
    pub c2: f32,
    /// Adam's decay rates; RMSprop's rho is `beta2`.
    pub beta1: f32,
    pub beta2: f32,
    pub epsilon: f32,
}

/// Applies `step` to each weight of `w` (all slices the same length).
#[inline(always)]
pub fn adaptive_row(
    w: &mut [f32],
    grad: &mut [f32],
    m: &mut [f32],
    v: &mut [f32],
    st: &AdaptiveStep,
) {
    let n = w.len().min(grad.len()).min(m.len()).min(v.len());
    let (w, grad, m, v) = (&mut w[..n], &mut grad[..n], &mut m[..n], &mut v[..n]);
    #[allow(unused_mut)]
    let mut j = 0;
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        let scale = f32x4_splat(st.scale);
        let eta = f32x4_splat(st.eta);
        let (c1, c2) = (f32x4_splat(st.c1), f32x4_splat(st.c2));
        let (b1, b2) = (f32x4_splat(st.beta1), f32x4_splat(st.beta2));
        let (nb1, nb2) = (f32x4_splat(1.0 - st.beta1), f32x4_splat(1.0 - st.beta2));
        let eps = f32x4_splat(st.epsilon);
        let zero = f32x4_splat(0.0);
        // SAFETY: each access is four floats at j..j + 4 <= n inside the four (distinct) slices.
        unsafe {
            while j + 4 <= n {
                let pw = w.as_mut_ptr().add(j) as *mut v128;
                let pg = grad.as_mut_ptr().add(j) as *mut v128;
                let pm = m.as_mut_ptr().add(j) as *mut v128;
                let pv = v.as_mut_ptr().add(j) as *mut v128;
                let g = f32x4_mul(v128_load(pg), scale);
                v128_store(pg, zero);
                let vj = f32x4_add(
                    f32x4_mul(b2, v128_load(pv)),
                    f32x4_mul(f32x4_mul(nb2, g), g),
                );
                v128_store(pv, vj);
                let step = if st.adam {
                    let mj = f32x4_add(f32x4_mul(b1, v128_load(pm)), f32x4_mul(nb1, g));
                    v128_store(pm, mj);
                    let denom = f32x4_add(f32x4_sqrt(f32x4_max(f32x4_div(vj, c2), zero)), eps);
                    f32x4_div(f32x4_mul(eta, f32x4_div(mj, c1)), denom)
                } else {
                    f32x4_div(f32x4_mul(eta, g), f32x4_add(f32x4_sqrt(vj), eps))
                };
                v128_store(pw, f32x4_sub(v128_load(pw), step));
                j += 4;
            }
        }
    }
    let rest = (&mut w[j..], &mut grad[j..], &mut m[j..], &mut v[j..]);
    for (((w, g), m), v) in rest
        .0
        .iter_mut()
        .zip(rest.1.iter_mut())
        .zip(rest.2.iter_mut())
        .zip(rest.3.iter_mut())
    {
        let gj = *g * st.scale;
        *g = 0.0;
        *v = st.beta2 * *v + (1.0 - st.beta2) * gj * gj;
        if st.adam {
            *m = st.beta1 * *m + (1.0 - st.beta1) * gj;
            // max(0): v-hat is a sum of squares, but keep sqrt's argument safe from rounding.
            *w -= st.eta * (*m / st.c1) / ((*v / st.c2).max(0.0).sqrt() + st.epsilon);
        } else {
            *w -= st.eta * gj / (v.sqrt() + st.epsilon);
        }
    }
}

#[cfg(test)]
mod tests;
