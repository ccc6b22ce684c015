//! A small, seeded, portable pseudo-random generator.
//!
//! Every random choice in the engine (initial factors, visiting order, splits, simulated clicks)
//! draws from an [`Rng`] built from a `u64` seed, so a run is reproducible number for number on
//! every platform, native or WebAssembly. The generator is xoshiro256++ seeded through SplitMix64
//! (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2021). It is not for
//! cryptography.

/// A 64-bit FNV-1a hash (Fowler, Noll & Vo): seeds named by a string, fingerprints of data.
/// Not for security.
///
/// ```
/// use mf_playground::rng::Fnv1a;
/// let mut h = Fnv1a::new();
/// h.write(b"a");
/// assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fnv1a(u64);

impl Fnv1a {
    pub fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    /// Adds `bytes` to the hash.
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub fn finish(self) -> u64 {
        self.0
    }

    /// The hash of one string.
    pub fn of(s: &str) -> u64 {
        let mut h = Fnv1a::new();
        h.write(s.as_bytes());
        h.finish()
    }
}

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a::new()
    }
}

/// xoshiro256++ state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng {
    s: [u64; 4],
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator whose whole future is fixed by `seed`.
    ///
    /// ```
    /// use mf_playground::rng::Rng;
    /// let (mut a, mut b) = (Rng::new(7), Rng::new(7));
    /// assert_eq!(a.next_u64(), b.next_u64());
    /// ```
    pub fn new(seed: u64) -> Self {
        let mut sm = seed;
        let s = [
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
        ];
        Rng { s }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = (self.s[0].wrapping_add(self.s[3]))
            .rotate_left(23)
            .wrapping_add(self.s[0]);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in `[0, 1)` with 53 bits of precision.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `[0, 1)`.
    pub fn next_f32(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 * (1.0 / (1u32 << 24) as f32)
    }

    /// Uniform integer in `0..n` (Lemire's multiply-shift; the tiny bias for huge `n` is
    /// irrelevant here). Panics if `n == 0`.
    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "Rng::below(0)");
        let x = self.next_u64();
        #[cfg(target_pointer_width = "64")]
        {
            ((x as u128 * n as u128) >> 64) as usize
        }
        #[cfg(not(target_pointer_width = "64"))]
        {
            high_word_u32(x, n as u32) as usize
        }
    }

    /// A standard normal draw (Box-Muller; the second value is discarded to keep the stream
    /// simple to reason about).
    pub fn normal(&mut self) -> f64 {
        // 1 - u keeps the argument of ln in (0, 1].
        let u1 = 1.0 - self.next_f64();
        let u2 = self.next_f64();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }

    /// Fisher-Yates shuffle in place.
    pub fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }
}

/// `(x n) >> 64` for `n < 2^32`, from two 64-bit products of 32-bit halves: the same value
/// as the 128-bit product, for targets where that product is a library call (WebAssembly has
/// no 64 x 64 -> 128 multiply, and the shuffles draw once per rating). With `x = xh 2^32 + xl`,
/// `x n / 2^64 = (xh n + xl n / 2^32) / 2^32`, and dropping the inner fraction cannot change
/// the outer floor; `xh n + (xl n >> 32) < 2^64`, so nothing overflows.
#[cfg_attr(target_pointer_width = "64", allow(dead_code))]
#[inline(always)]
fn high_word_u32(x: u64, n: u32) -> u64 {
    let n = n as u64;
    ((x >> 32) * n + (((x & 0xffff_ffff) * n) >> 32)) >> 32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_32_bit_draw_equals_the_128_bit_product() {
        let mut r = Rng::new(11);
        let edges = [0, 1, 2, u32::MAX as u64, 1 << 32, u64::MAX - 1, u64::MAX];
        for n in [1u32, 2, 3, 7, 1000, 65_537, u32::MAX - 1, u32::MAX] {
            for x in edges.into_iter().chain((0..2000).map(|_| r.next_u64())) {
                let want = ((x as u128 * n as u128) >> 64) as u64;
                assert_eq!(high_word_u32(x, n), want, "x={x} n={n}");
            }
        }
    }

    #[test]
    fn same_seed_same_stream_other_seed_other_stream() {
        let mut a = Rng::new(1);
        let mut b = Rng::new(1);
        let mut c = Rng::new(2);
        let xa: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let xb: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        let xc: Vec<u64> = (0..5).map(|_| c.next_u64()).collect();
        assert_eq!(xa, xb);
        assert_ne!(xa, xc);
    }

    #[test]
    fn uniform_and_normal_have_the_right_moments() {
        let mut r = Rng::new(42);
        let n = 200_000;
        let (mut s, mut s2, mut u) = (0.0, 0.0, 0.0);
        for _ in 0..n {
            let z = r.normal();
            s += z;
            s2 += z * z;
            let x = r.next_f32();
            assert!((0.0..1.0).contains(&x));
            u += x as f64;
        }
        let mean = s / n as f64;
        let var = s2 / n as f64 - mean * mean;
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((var - 1.0).abs() < 0.02, "var {var}");
        assert!((u / n as f64 - 0.5).abs() < 0.005);
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut r = Rng::new(3);
        let mut v: Vec<u32> = (0..100).collect();
        r.shuffle(&mut v);
        assert_ne!(v, (0..100).collect::<Vec<_>>());
        v.sort();
        assert_eq!(v, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = Rng::new(9);
        let mut seen = [false; 7];
        for _ in 0..1000 {
            seen[r.below(7)] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }
}
