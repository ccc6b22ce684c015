//! Work spread over the cores: the engine's one door to threads.
//!
//! Natively the pieces run on rayon's pool (as many threads as cores, or what `mfp --threads`
//! set); so do they in the threaded WebAssembly package (feature `threads`: rayon's threads are
//! Web Workers sharing the module's memory, started by the page where it is cross-origin
//! isolated); in the plain package they run one after another on the calling thread. Every
//! caller hands over pieces that share nothing mutable and whose results do not depend on which
//! thread ran them or when, so one thread and many give the same numbers.

/// How many threads the pieces may run on.
pub fn threads() -> usize {
    #[cfg(any(not(target_arch = "wasm32"), feature = "threads"))]
    {
        rayon::current_num_threads()
    }
    #[cfg(all(target_arch = "wasm32", not(feature = "threads")))]
    {
        1
    }
}

/// Runs `f` on every piece, on as many threads as there are (in no particular order).
pub fn for_each<T: Send>(pieces: Vec<T>, f: impl Fn(T) + Sync + Send) {
    #[cfg(any(not(target_arch = "wasm32"), feature = "threads"))]
    {
        use rayon::prelude::*;
        if pieces.len() > 1 && threads() > 1 {
            pieces.into_par_iter().for_each(f);
            return;
        }
    }
    pieces.into_iter().for_each(f);
}

/// `f` of every piece, in the pieces' order, computed on as many threads as there are.
pub fn map<T: Send, R: Send>(pieces: Vec<T>, f: impl Fn(T) -> R + Sync + Send) -> Vec<R> {
    #[cfg(any(not(target_arch = "wasm32"), feature = "threads"))]
    {
        use rayon::prelude::*;
        if pieces.len() > 1 && threads() > 1 {
            return pieces.into_par_iter().map(f).collect();
        }
    }
    pieces.into_iter().map(f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_piece_runs_once_and_map_keeps_the_order() {
        let out = map((0..1000).collect(), |x: u64| x * x);
        assert_eq!(out, (0..1000).map(|x| x * x).collect::<Vec<_>>());
        let mut cells = vec![0u32; 100];
        for_each(cells.chunks_mut(7).collect(), |c| {
            c.iter_mut().for_each(|x| *x += 1)
        });
        assert!(cells.iter().all(|&x| x == 1));
    }
}
