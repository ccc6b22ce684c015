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

/// Runs rounds of pieces in order: each round's pieces on as many threads as there are (each
/// thread taking the next piece not yet taken), a round starting only once the one before has
/// finished on every thread. The threads are asked for once for all the rounds, not once a round:
/// for many short rounds (an epoch's strata) that saves a wake-up of the pool per round.
pub fn rounds<T: Sync>(rounds: &[Vec<T>], f: impl Fn(&T) + Sync + Send) {
    #[cfg(any(not(target_arch = "wasm32"), feature = "threads"))]
    {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let n = threads();
        if n > 1 && rounds.iter().any(|r| r.len() > 1) {
            let barrier = std::sync::Barrier::new(n);
            let next: Vec<AtomicUsize> = rounds.iter().map(|_| AtomicUsize::new(0)).collect();
            rayon::broadcast(|_| {
                for (pieces, next) in rounds.iter().zip(&next) {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(piece) = pieces.get(i) else { break };
                        f(piece);
                    }
                    // What a round wrote is seen by every thread in the next (the barrier
                    // orders them).
                    barrier.wait();
                }
            });
            return;
        }
    }
    rounds.iter().flatten().for_each(f);
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

    #[test]
    fn rounds_run_every_piece_once_and_in_round_order() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Mutex;
        let done = AtomicUsize::new(0);
        let seen = Mutex::new(Vec::new());
        let plan: Vec<Vec<usize>> = (0..20)
            .map(|r| (0..5).map(|i| r * 5 + i).collect())
            .collect();
        rounds(&plan, |&x| {
            // Every piece of the rounds before this one has finished.
            assert!(
                done.load(Ordering::SeqCst) >= (x / 5) * 5,
                "piece {x} ran early"
            );
            seen.lock().unwrap().push(x);
            done.fetch_add(1, Ordering::SeqCst);
        });
        let mut seen = seen.into_inner().unwrap();
        seen.sort();
        assert_eq!(seen, (0..100).collect::<Vec<_>>());
    }
}
