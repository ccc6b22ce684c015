//! Finite-difference checks of every gradient (each layer, each loss, each family's score), and
//! training that learns what there is to learn and nothing more.

use super::dense::{Activation, Dense};
use super::model::{Architecture, Grads, NcfModel, Work};
use super::NcfTrainer;
use crate::data::{Feedback, RatingsBuilder};
use crate::model::Output;
use crate::rng::Rng;
use crate::train::Loss;
use crate::train::{Family, Optimizer, TrainParams};

const NEURAL: [Family; 3] = [Family::Gmf, Family::Mlp, Family::NeuMf];

/// Central differences in f64 of `f` around `x[j]`.
fn numeric(x: &mut [f32], j: usize, f: &mut dyn FnMut(&[f32]) -> f64) -> f64 {
    let h = 1e-3f32;
    let keep = x[j];
    x[j] = keep + h;
    let up = f(x);
    x[j] = keep - h;
    let down = f(x);
    x[j] = keep;
    (up - down) / (2.0 * h as f64)
}

fn close(analytic: f64, numeric: f64, what: &str) {
    let tol = 2e-2 * numeric.abs().max(analytic.abs()).max(1e-2);
    assert!(
        (analytic - numeric).abs() <= tol,
        "{what}: analytic {analytic} vs numeric {numeric}"
    );
}

#[test]
fn dense_layers_backpropagate_what_finite_differences_measure() {
    let mut rng = Rng::new(3);
    for act in [Activation::Relu, Activation::Linear] {
        let mut layer = Dense::init(5, 3, act, &mut rng);
        // The second unit's bias keeps it below 0: the ReLU's gradient is checked where it
        // passes nothing, too.
        let off = if act == Activation::Relu { -50.0 } else { -0.2 };
        layer.b = vec![0.1, off, 0.3];
        let mut x: Vec<f32> = (0..5).map(|_| rng.normal() as f32).collect();
        // The loss: a fixed weighting of the outputs, so dL/dy is that weighting.
        let weights = [0.7f32, -1.3, 0.4];
        let loss = |l: &Dense, x: &[f32]| {
            let mut y = vec![0.0; 3];
            l.forward(x, &mut y);
            y.iter()
                .zip(weights)
                .map(|(y, w)| (y * w) as f64)
                .sum::<f64>()
        };
        let mut y = vec![0.0; 3];
        layer.forward(&x, &mut y);
        let mut grad = Dense::zeros(5, 3, act);
        let mut dx = vec![0.0; 5];
        layer.backward(&x, &y, &weights, 1.0, &mut grad, Some(&mut dx));
        for (j, &d) in dx.iter().enumerate() {
            let n = numeric(&mut x, j, &mut |x| loss(&layer, x));
            close(d as f64, n, &format!("{act:?} dx[{j}]"));
        }
        for j in 0..layer.w.len() {
            let mut w = layer.w.clone();
            let n = numeric(&mut w, j, &mut |w| {
                let l = Dense {
                    w: w.to_vec(),
                    ..layer.clone()
                };
                loss(&l, &x)
            });
            close(grad.w[j] as f64, n, &format!("{act:?} dw[{j}]"));
        }
        for j in 0..3 {
            let mut b = layer.b.clone();
            let n = numeric(&mut b, j, &mut |b| {
                let l = Dense {
                    b: b.to_vec(),
                    ..layer.clone()
                };
                loss(&l, &x)
            });
            close(grad.b[j] as f64, n, &format!("{act:?} db[{j}]"));
        }
        if act == Activation::Relu {
            assert_eq!(y[1], 0.0);
        }
    }
}

#[test]
fn both_losses_give_the_derivative_finite_differences_measure() {
    for loss in [Loss::Squared, Loss::Logistic] {
        for target in [0.0f32, 1.0] {
            for s in [-3.0f32, -0.5, 0.0, 0.7, 4.0] {
                let (_, d) = loss.value_and_grad(s, target);
                let mut x = [s];
                let n = numeric(&mut x, 0, &mut |x| {
                    loss.value_and_grad(x[0], target).0 as f64
                });
                close(d as f64, n, &format!("{loss:?} at s={s}, y={target}"));
            }
        }
    }
}

/// Every parameter of `m` in one order, as mutable references.
fn parameters(m: &mut NcfModel) -> Vec<&mut f32> {
    let mut all: Vec<&mut f32> = Vec::new();
    all.extend(m.gmf_user.iter_mut());
    all.extend(m.gmf_item.iter_mut());
    all.extend(m.mlp_user.iter_mut());
    all.extend(m.mlp_item.iter_mut());
    for d in m.tower.iter_mut().chain(std::iter::once(&mut m.head)) {
        all.extend(d.w.iter_mut());
        all.extend(d.b.iter_mut());
    }
    all
}

/// The gradient `g` in the order of [`parameters`], dense.
fn flatten(m: &NcfModel, g: &Grads) -> Vec<f32> {
    let (k, h) = (m.k(), m.half());
    let table = |rg: &super::model::RowGrads, rows: usize, width: usize| {
        let mut out = vec![0.0; rows * width];
        for (s, &r) in rg.rows.iter().enumerate() {
            out[r as usize * width..(r as usize + 1) * width]
                .copy_from_slice(&rg.data[s * width..(s + 1) * width]);
        }
        out
    };
    let mut v = table(&g.gmf_user, m.n_users, k);
    v.extend(table(&g.gmf_item, m.n_items, k));
    v.extend(table(&g.mlp_user, m.n_users, h));
    v.extend(table(&g.mlp_item, m.n_items, h));
    for d in g.tower.iter().chain(std::iter::once(&g.head)) {
        v.extend(&d.w);
        v.extend(&d.b);
    }
    v
}

fn small(family: Family) -> NcfModel {
    let arch = Architecture {
        family,
        factors: 3,
        layers: vec![6, 5, 4],
    };
    // Larger initial embeddings than training uses, so the ReLUs are not all near 0.
    let mut m = NcfModel::init(arch, 4, 5, Output::Sigmoid, 0.8, 0.1, 11).unwrap();
    for d in &mut m.tower {
        d.b.iter_mut()
            .enumerate()
            .for_each(|(j, b)| *b = 0.05 * j as f32);
    }
    m
}

#[test]
fn every_familys_loss_gradient_matches_finite_differences_in_every_parameter() {
    for family in NEURAL {
        for loss in [Loss::Logistic, Loss::Squared] {
            let mut m = small(family);
            let examples = [(1usize, 2usize, 1.0f32), (3, 0, 0.0), (1, 4, 1.0)];
            let batch_loss = |m: &NcfModel| -> f64 {
                examples
                    .iter()
                    .map(|&(u, i, y)| loss.value_and_grad(m.score(u, i), y).0 as f64)
                    .sum::<f64>()
                    / examples.len() as f64
            };
            let mut g = Grads::new(&m);
            let mut work = Work::new(&m);
            let mut t = m.trace();
            for &(u, i, y) in &examples {
                let s = m.forward(u, i, &mut t);
                let (_, ds) = loss.value_and_grad(s, y);
                m.backward(
                    (u, i),
                    &t,
                    ds,
                    1.0 / examples.len() as f32,
                    &mut g,
                    &mut work,
                );
            }
            let analytic = flatten(&m, &g);
            let n = analytic.len();
            assert_eq!(n, m.n_parameters());
            let mut checked = 0;
            for (j, &a) in analytic.iter().enumerate() {
                let keep = *parameters(&mut m)[j];
                let h = 1e-3f32;
                *parameters(&mut m)[j] = keep + h;
                let up = batch_loss(&m);
                *parameters(&mut m)[j] = keep - h;
                let down = batch_loss(&m);
                *parameters(&mut m)[j] = keep;
                let num = (up - down) / (2.0 * h as f64);
                close(a as f64, num, &format!("{family:?} {loss:?} parameter {j}"));
                checked += usize::from(num.abs() > 1e-4);
            }
            // The examples reach the embeddings of the users and items they name, the tower
            // and the head: a good share of the parameters has a gradient that is not 0.
            assert!(
                checked > n / 5,
                "{family:?}: only {checked} of {n} gradients not 0"
            );
        }
    }
}

#[test]
fn parameter_counts_include_the_tower_and_the_output_layer() {
    let arch = |family| Architecture {
        family,
        factors: 8,
        layers: vec![64, 32, 16, 8],
    };
    let (users, items) = (943, 1682);
    // GMF: two tables of 8, the output layer 8 weights and a bias.
    assert_eq!(
        arch(Family::Gmf).n_parameters(users, items),
        (users + items) * 8 + 9
    );
    let tower = 64 * 32 + 32 + 32 * 16 + 16 + 16 * 8 + 8;
    assert_eq!(
        arch(Family::Mlp).n_parameters(users, items),
        (users + items) * 32 + tower + 9
    );
    assert_eq!(
        arch(Family::NeuMf).n_parameters(users, items),
        (users + items) * 40 + tower + 17
    );
    for f in NEURAL {
        let m = NcfModel::init(arch(f), users, items, Output::Sigmoid, 0.01, 0.0, 1).unwrap();
        assert_eq!(
            m.n_parameters(),
            arch(f).n_parameters(users, items),
            "{f:?}"
        );
    }
}

#[test]
fn a_bad_tower_is_a_clear_error() {
    let arch = |layers: Vec<usize>| Architecture {
        family: Family::NeuMf,
        factors: 8,
        layers,
    };
    let msg = |a: Architecture| a.check().unwrap_err().to_string();
    assert!(
        msg(arch(vec![64, 0, 8])).contains("size 0"),
        "{}",
        msg(arch(vec![64, 0, 8]))
    );
    assert!(msg(arch(vec![63, 16])).contains("even"));
    assert!(msg(arch(vec![64])).contains("at least one layer"));
    let gmf = Architecture {
        family: Family::Gmf,
        factors: 0,
        layers: vec![],
    };
    assert!(msg(gmf).contains("at least 1 factor"));
    assert!(Family::from_name("transformer")
        .unwrap_err()
        .to_string()
        .contains("gmf, mlp or neumf"));
}

/// 0/1 data with a planted structure: two groups of users, each liking one half of the items.
fn two_tastes(users: usize, items: usize, seed: u64) -> crate::data::Ratings {
    let mut rng = Rng::new(seed);
    let mut b = RatingsBuilder::new(Feedback::Implicit);
    for u in 0..users {
        for i in 0..items {
            let likes = (u % 2) == (i % 2);
            if likes && rng.next_f64() < 0.5 {
                b.push(&format!("u{u}"), &format!("i{i}"), 1.0).unwrap();
            }
        }
    }
    b.build().unwrap()
}

#[test]
fn each_family_learns_a_planted_taste_and_the_same_seed_gives_the_same_model() {
    let data = two_tastes(40, 30, 5);
    for family in NEURAL {
        let mut p = TrainParams::for_family(family);
        p.n_factors = 4;
        p.layers = vec![16, 8, 4];
        p.learning_rate = 0.01;
        p.n_epochs = 15;
        p.batch_size = 32;
        let mut t = NcfTrainer::new(data.clone(), p.clone()).unwrap();
        let first = t.step().unwrap();
        let mut last = first.clone();
        for _ in 1..p.n_epochs {
            last = t.step().unwrap();
        }
        assert!(!last.diverged);
        assert!(
            last.loss < 0.8 * first.loss,
            "{family:?}: {} -> {}",
            first.loss,
            last.loss
        );
        // A liked-kind item outscores an other-kind item for most users.
        let m = t.model();
        // Indices follow the file's order; the taste is in the ids' numbers.
        let parity = |id: &str| id[1..].parse::<usize>().unwrap() % 2;
        let right = (0..data.n_users())
            .filter(|&u| {
                let s = m.scores_for_user(u);
                let (mut same, mut other) = (0.0, 0.0);
                for (i, v) in s.iter().enumerate() {
                    if parity(&data.item_ids()[i]) == parity(&data.user_ids()[u]) {
                        same += v
                    } else {
                        other += v
                    }
                }
                same > other
            })
            .count();
        assert!(right >= 36, "{family:?}: {right} of 40 users");
        // Reproducible, and the same in slices as whole.
        let mut again = NcfTrainer::new(data.clone(), p.clone()).unwrap();
        let mut sliced = NcfTrainer::new(data.clone(), p.clone()).unwrap();
        let whole = again.step().unwrap();
        let mut report = None;
        while report.is_none() {
            report = sliced.advance(70);
        }
        assert_eq!(whole.loss, report.unwrap().loss);
        assert_eq!(again.model(), sliced.model());
        assert_eq!(whole.loss, first.loss);
    }
}

#[test]
fn squared_loss_fits_ratings_and_log_loss_refuses_them() {
    let mut b = RatingsBuilder::new(Feedback::Explicit);
    let mut rng = Rng::new(2);
    for u in 0..30 {
        for i in 0..20 {
            if rng.next_f64() < 0.4 {
                let v = if (u % 3) == (i % 3) { 5.0 } else { 2.0 };
                b.push(&format!("u{u}"), &format!("i{i}"), v).unwrap();
            }
        }
    }
    let data = b.build().unwrap();
    let mut p = TrainParams::for_family(Family::NeuMf);
    p.n_factors = 4;
    p.layers = vec![8, 4];
    p.loss = Loss::Squared;
    p.learning_rate = 0.01;
    p.batch_size = 16;
    let mut t = NcfTrainer::new(data.clone(), p.clone()).unwrap();
    let first = t.step().unwrap();
    let last = (0..40).map(|_| t.step().unwrap()).last().unwrap();
    assert!(
        last.rmse < 0.5 * first.rmse,
        "{} -> {}",
        first.rmse,
        last.rmse
    );
    p.loss = Loss::Logistic;
    let err = NcfTrainer::new(data, p).err().unwrap().to_string();
    assert!(err.contains("log loss fits 0/1 data"), "{err}");
}

#[test]
fn sgd_trains_too_and_a_huge_rate_diverges_as_data() {
    let data = two_tastes(20, 16, 9);
    let mut p = TrainParams::for_family(Family::Gmf);
    p.n_factors = 4;
    p.optimizer = Optimizer::SGD;
    p.learning_rate = 0.5;
    p.init_std = 0.1;
    let mut t = NcfTrainer::new(data.clone(), p.clone()).unwrap();
    let first = t.step().unwrap();
    let last = (0..30).map(|_| t.step().unwrap()).last().unwrap();
    assert!(last.loss < first.loss, "{} -> {}", first.loss, last.loss);
    p.loss = Loss::Squared;
    p.learning_rate = 100.0;
    let mut t = NcfTrainer::new(data, p).unwrap();
    let diverged = (0..20).filter_map(|_| t.step()).any(|r| r.diverged);
    assert!(diverged);
    assert!(t.step().is_none(), "a diverged trainer refuses more epochs");
}
