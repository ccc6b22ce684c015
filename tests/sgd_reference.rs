//! SGD reproduces the classic biased-SGD update (Funk 2006, as Surprise's SVD performs it)
//! exactly: two epochs on a small fixture, from given initial factors and a given visiting order,
//! against an independent plain implementation written here.

// Index loops mirror the textbook notation of the reference.
#![allow(clippy::needless_range_loop)]
use mf_playground::data::{Feedback, RatingsBuilder};
use mf_playground::model::{MfModel, Output};
use mf_playground::train::{sgd::sgd_epoch, Loss, TrainParams, Triplets};
use ndarray::Array2;

/// The textbook loop, in f64, written without the engine's types.
#[allow(clippy::too_many_arguments)]
fn reference_epoch(
    ratings: &[(usize, usize, f64)],
    order: &[usize],
    mu: f64,
    bu: &mut [f64],
    bi: &mut [f64],
    p: &mut [Vec<f64>],
    q: &mut [Vec<f64>],
    lr: f64,
    reg: f64,
) {
    for &k in order {
        let (u, i, r) = ratings[k];
        let dot: f64 = p[u].iter().zip(&q[i]).map(|(a, b)| a * b).sum();
        let err = r - (mu + bu[u] + bi[i] + dot);
        bu[u] += lr * (err - reg * bu[u]);
        bi[i] += lr * (err - reg * bi[i]);
        for f in 0..p[u].len() {
            let (puf, qif) = (p[u][f], q[i][f]);
            p[u][f] += lr * (err * qif - reg * puf);
            q[i][f] += lr * (err * puf - reg * qif);
        }
    }
}

#[test]
fn two_epochs_match_the_classic_update_to_1e_5() {
    let fixture = [
        ("u1", "i1", 5.0),
        ("u1", "i2", 3.0),
        ("u2", "i1", 4.0),
        ("u2", "i3", 1.0),
        ("u3", "i2", 2.0),
        ("u3", "i3", 5.0),
        ("u4", "i1", 1.0),
        ("u4", "i4", 4.0),
        ("u1", "i4", 2.5),
        ("u3", "i4", 3.5),
    ];
    let mut b = RatingsBuilder::new(Feedback::Explicit);
    for (u, i, v) in fixture {
        b.push(u, i, v).unwrap();
    }
    let data = b.build().unwrap();
    let (n_users, n_items, k) = (4, 4, 3);
    let init_p: Vec<Vec<f64>> = (0..n_users)
        .map(|u| {
            (0..k)
                .map(|f| 0.1 * ((u * 3 + f) as f64 * 0.7).sin())
                .collect()
        })
        .collect();
    let init_q: Vec<Vec<f64>> = (0..n_items)
        .map(|i| {
            (0..k)
                .map(|f| 0.1 * ((i * 5 + f) as f64 * 1.3).cos())
                .collect()
        })
        .collect();
    let mu = data.mean() as f64;
    let orders: [Vec<usize>; 2] = [
        vec![3, 0, 7, 1, 9, 2, 5, 8, 4, 6],
        vec![9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ];
    let (lr, reg) = (0.05, 0.02);

    // Reference.
    let ratings: Vec<(usize, usize, f64)> = (0..data.len())
        .map(|j| {
            let (u, i, v) = data.get(j);
            (u, i, v as f64)
        })
        .collect();
    let (mut bu, mut bi) = (vec![0.0; n_users], vec![0.0; n_items]);
    let (mut p, mut q) = (init_p.clone(), init_q.clone());
    for order in &orders {
        reference_epoch(
            &ratings, order, mu, &mut bu, &mut bi, &mut p, &mut q, lr, reg,
        );
    }

    // Engine.
    let mut model = MfModel::zeros(n_users, n_items, k, Output::Identity);
    model.mu = mu as f32;
    model.user_factors = Array2::from_shape_fn((n_users, k), |(u, f)| init_p[u][f] as f32);
    model.item_factors = Array2::from_shape_fn((n_items, k), |(i, f)| init_q[i][f] as f32);
    let params = TrainParams::new(k)
        .learning_rate(lr as f32)
        .reg(reg as f32)
        .loss(Loss::Squared);
    for order in &orders {
        let order: Vec<u32> = order.iter().map(|&x| x as u32).collect();
        sgd_epoch(&mut model, &Triplets::of(&data), &order, &params);
    }

    let close =
        |a: f32, b: f64, what: &str| assert!((a as f64 - b).abs() < 1e-5, "{what}: {a} vs {b}");
    for u in 0..n_users {
        close(model.user_bias[u], bu[u], "b_u");
        for f in 0..k {
            close(model.user_factors[[u, f]], p[u][f], "p_u");
        }
    }
    for i in 0..n_items {
        close(model.item_bias[i], bi[i], "b_i");
        for f in 0..k {
            close(model.item_factors[[i, f]], q[i][f], "q_i");
        }
    }
    // The update moved the model: the test would notice an engine that did nothing.
    assert!(bu.iter().any(|b| b.abs() > 1e-2));
}
