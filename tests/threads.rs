//! Every core, the same numbers: training on one thread and on several gives the same model,
//! number for number, because the schedule (strata of blocks that share no user and no item,
//! each block's order from its own seed) is fixed by the seed and not by thread timing.

mod cli_support;

use cli_support::{mfp, mfp_json, temp_dir};
use mf_playground::data::Ratings;
use mf_playground::synthetic::{generate, SyntheticParams};
use mf_playground::train::order::{Blocked, PARALLEL_RATINGS, STRATA};
use mf_playground::train::{Loss, Optimizer, TrainParams, Trainer};

/// About 130,000 ratings: enough for the grid of a data set worth threads.
fn big(implicit: bool) -> Ratings {
    generate(&SyntheticParams {
        n_users: 2_200,
        n_items: 1_000,
        density: 0.06,
        implicit,
        seed: 5,
        ..SyntheticParams::default()
    })
    .unwrap()
    .ratings
}

/// The model after `epochs`, trained on a pool of `threads`.
fn train(data: &Ratings, params: &TrainParams, threads: usize) -> Trainer {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let mut t = Trainer::new(data.clone(), params.clone()).unwrap();
        assert_eq!(mf_playground::parallel::threads(), threads);
        t.fit();
        t
    })
}

fn same_model(a: &Trainer, b: &Trainer) {
    let (a, b) = (a.model(), b.model());
    assert_eq!(a.user_factors, b.user_factors);
    assert_eq!(a.item_factors, b.item_factors);
    assert_eq!(a.user_bias, b.user_bias);
    assert_eq!(a.item_bias, b.item_bias);
}

#[test]
fn sgd_on_one_thread_and_on_four_gives_the_same_model() {
    let data = big(false);
    assert!(data.len() >= PARALLEL_RATINGS, "{}", data.len());
    let params = TrainParams::new(16).learning_rate(0.01).n_epochs(3).seed(9);
    let one = train(&data, &params, 1);
    let four = train(&data, &params, 4);
    same_model(&one, &four);
    // And it trained: the error fell.
    assert!(one.training_error().1 < 1.0, "{:?}", one.training_error());
    // The grid gives a stratum work for STRATA threads.
    let t = mf_playground::train::Triplets::of(&data);
    let b = Blocked::new(&t, data.n_users(), data.n_items(), 16);
    assert!(
        b.grid().0 >= STRATA && b.grid().1 >= STRATA,
        "{:?}",
        b.grid()
    );
}

#[test]
fn logistic_sgd_with_negatives_and_adam_give_the_same_model_on_any_number_of_threads() {
    let data = big(true);
    let sgd = TrainParams::new(8)
        .loss(Loss::Logistic)
        .learning_rate(0.05)
        .n_epochs(2)
        .seed(3);
    let sgd = TrainParams {
        negatives: 2,
        ..sgd
    };
    same_model(&train(&data, &sgd, 1), &train(&data, &sgd, 3));
    let adam = TrainParams {
        optimizer: Optimizer::ADAM,
        ..sgd.clone()
    };
    same_model(&train(&data, &adam, 1), &train(&data, &adam, 2));
    // Weighted ALS solves its rows on the threads, exactly and by conjugate gradient.
    for cg_steps in [0, 3] {
        let wals = TrainParams {
            optimizer: Optimizer::ALS_IMPLICIT,
            cg_steps,
            n_epochs: 2,
            ..TrainParams::new(8)
        };
        same_model(&train(&data, &wals, 1), &train(&data, &wals, 3));
    }
}

#[test]
fn an_epoch_in_small_slices_equals_the_epoch_run_whole_on_four_threads() {
    // The page trains in slices of a few thousand updates (a pause lands within milliseconds):
    // those run block after block, the whole epoch a stratum's blocks at once.
    let data = big(false);
    let params = TrainParams::new(8).learning_rate(0.01).n_epochs(2).seed(1);
    let whole = train(&data, &params, 4);
    let mut sliced = Trainer::new(data, params).unwrap();
    let mut epochs = 0;
    while epochs < 2 {
        if sliced.advance(3_000).is_some() {
            epochs += 1;
        }
    }
    same_model(&whole, &sliced);
}

#[test]
fn mfp_threads_sets_the_threads_and_changes_no_number() {
    let dir = temp_dir("threads");
    let data = big(false);
    let path = dir.join("big.csv");
    std::fs::write(&path, data.to_csv()).unwrap();
    let path = path.to_str().unwrap();
    // Without the run's timing, the final lines of one thread and of three are the same.
    let strip = |mut v: serde_json::Value| {
        for key in ["seconds", "examples_per_second", "threads"] {
            v.as_object_mut().unwrap().remove(key);
        }
        v
    };
    for algo in ["sgd", "als"] {
        let run = |threads: &str| {
            let args = [
                "--threads",
                threads,
                "train",
                "--train",
                path,
                "--algo",
                algo,
            ];
            let mut args = args.to_vec();
            args.extend_from_slice(&[
                "--split",
                "0.1",
                "--epochs",
                "2",
                "--factors",
                "8",
                "--json",
            ]);
            mfp_json(&args).last().unwrap().clone()
        };
        let (one, three) = (run("1"), run("3"));
        assert_eq!(
            (one["threads"].as_u64(), three["threads"].as_u64()),
            (Some(1), Some(3))
        );
        assert_eq!(strip(one), strip(three), "{algo}");
    }
    let cv = |threads: &str| {
        let args = [
            "--threads",
            threads,
            "cv",
            "--train",
            path,
            "--folds",
            "3",
            "--epochs",
            "1",
            "--json",
        ];
        mfp_json(&args).last().unwrap().clone()
    };
    assert_eq!(cv("1"), cv("2"));
    // The sweep's points train side by side: every figure but the time is the same.
    let sweep = |threads: &str| {
        let args = [
            "--threads",
            threads,
            "sweep",
            "--train",
            path,
            "--grid-factors",
            "2,8",
        ];
        let mut args = args.to_vec();
        args.extend_from_slice(&["--grid-regs", "0.05", "--grid-epochs", "1,2", "--json"]);
        let lines = mfp_json(&args);
        lines[..lines.len() - 1]
            .iter()
            .map(|l| strip(l.clone()))
            .collect::<Vec<_>>()
    };
    let (one, two) = (sweep("1"), sweep("2"));
    assert_eq!(one.len(), 4);
    assert_eq!(one, two);
    let bad = mfp(&["--threads", "0", "algorithms"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--threads"));
}

#[test]
fn the_a_a_tests_runs_go_on_the_threads_to_the_same_counts() {
    use mf_playground::lab::{ab, World};
    let world = World::generated(50, 40, 3, 1).unwrap();
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| ab::aa_peeking(&world, 100, 30, 200, 7).unwrap())
    };
    let (one, three) = (on(1), on(3));
    assert_eq!(one, three);
    assert!(one.false_alarms_peeking >= one.false_alarms_at_end);
}
