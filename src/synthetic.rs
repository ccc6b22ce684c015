//! Synthetic rating matrices with planted structure, whose ground truth is known.
//!
//! Items belong to genres and users to taste groups that each favour one genre. The true model
//! is a biased factorisation: genre `g` has a random unit direction `d_g` in `R^rank`; item `i`
//! of genre `g` has factors `q_i = d_g + spread * noise`, user `u` of group `g` has
//! `p_u = scale * d_g + spread * noise`, and biases are small normal draws around a mean of 3.
//! Observed cells are a random `density` fraction of each user's row. Explicit values are the
//! true score plus Gaussian noise of standard deviation `noise` (optionally rounded and clamped
//! to 1..5); implicit values are 1 with probability `sigmoid(score - 3 - click_offset)`, else 0
//! (the offset keeps clicks the minority, as in real interaction logs).
//!
//! The items' genres and the users' favourite genres come with the ratings as their features
//! (see [`crate::data::features`]), the side information a hybrid model can use.
//!
//! Because the generating model is known, a learned model can be compared with the truth, and
//! the noise level is the best test RMSE any model can reach.

use std::sync::Arc;

use crate::data::{FeatureMatrix, Feedback, Ratings, RatingsBuilder, Side};
use crate::error::{Error, Result};
use crate::model::{sigmoid, MfModel, Output};
use crate::rng::Rng;

/// Genre names for the first clusters (more clusters are numbered).
pub const GENRES: &[&str] = &[
    "Action",
    "Comedy",
    "Drama",
    "Sci-Fi",
    "Romance",
    "Horror",
    "Documentary",
    "Animation",
];

/// How to generate.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SyntheticParams {
    pub n_users: usize,
    pub n_items: usize,
    /// Genres / taste groups.
    pub n_clusters: usize,
    /// Dimension of the true factors.
    pub rank: usize,
    /// Fraction of each user's row that is observed.
    pub density: f64,
    /// Standard deviation of the rating noise (explicit only).
    pub noise: f32,
    /// How strongly a user's taste follows their group.
    pub taste: f32,
    /// Spread of individual factors around their cluster.
    pub spread: f32,
    pub implicit: bool,
    /// Implicit only: how far below even odds a neutral user-item pair clicks.
    pub click_offset: f32,
    /// Round explicit values to whole stars and clamp them to 1..5.
    pub round: bool,
    pub seed: u64,
}

impl Default for SyntheticParams {
    fn default() -> Self {
        SyntheticParams {
            n_users: 60,
            n_items: 40,
            n_clusters: 4,
            rank: 4,
            density: 0.3,
            noise: 0.3,
            taste: 1.0,
            spread: 0.3,
            implicit: false,
            click_offset: 2.0,
            round: false,
            seed: 1,
        }
    }
}

/// A generated data set and the truth behind it.
#[derive(Debug, Clone)]
pub struct Synthetic {
    pub ratings: Ratings,
    /// The generating model; its scores before noise.
    pub truth: MfModel,
    pub user_cluster: Vec<usize>,
    pub item_cluster: Vec<usize>,
    pub cluster_names: Vec<String>,
}

/// Generates a data set. Fails with a named parameter if a size is zero or too large for the
/// page, or the density is not in (0, 1].
pub fn generate(p: &SyntheticParams) -> Result<Synthetic> {
    check(p)?;
    let mut rng = Rng::new(p.seed);
    let k = p.rank;
    let directions: Vec<Vec<f32>> = (0..p.n_clusters)
        .map(|_| {
            let mut v: Vec<f32> = (0..k).map(|_| rng.normal() as f32).collect();
            let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
            v.iter_mut().for_each(|x| *x /= n);
            v
        })
        .collect();
    let mut truth = MfModel::zeros(
        p.n_users,
        p.n_items,
        k,
        if p.implicit {
            Output::Sigmoid
        } else {
            Output::Identity
        },
    );
    truth.mu = 3.0;
    let item_cluster: Vec<usize> = (0..p.n_items).map(|i| i % p.n_clusters).collect();
    let user_cluster: Vec<usize> = (0..p.n_users).map(|_| rng.below(p.n_clusters)).collect();
    for (i, &g) in item_cluster.iter().enumerate() {
        truth.item_bias[i] = 0.3 * rng.normal() as f32;
        for (w, d) in truth.item_factors.row_mut(i).iter_mut().zip(&directions[g]) {
            *w = d + p.spread * rng.normal() as f32;
        }
    }
    for (u, &g) in user_cluster.iter().enumerate() {
        truth.user_bias[u] = 0.3 * rng.normal() as f32;
        for (w, d) in truth.user_factors.row_mut(u).iter_mut().zip(&directions[g]) {
            *w = p.taste * d + p.spread * rng.normal() as f32;
        }
    }
    let cluster_names: Vec<String> = (0..p.n_clusters)
        .map(|g| {
            GENRES
                .get(g)
                .map_or_else(|| format!("Genre {}", g + 1), |s| s.to_string())
        })
        .collect();
    let feedback = if p.implicit {
        Feedback::Implicit
    } else {
        Feedback::Explicit
    };
    let mut b = RatingsBuilder::new(feedback);
    let item_ids: Vec<String> = (0..p.n_items).map(|i| format!("i{}", i + 1)).collect();
    for (i, id) in item_ids.iter().enumerate() {
        b.add_item(id);
        b.label_item(
            id,
            &format!(
                "{} #{}",
                cluster_names[item_cluster[i]],
                i / p.n_clusters + 1
            ),
        );
    }
    let per_user = ((p.density * p.n_items as f64).round() as usize).clamp(1, p.n_items);
    let mut items: Vec<usize> = (0..p.n_items).collect();
    for u in 0..p.n_users {
        let uid = format!("u{}", u + 1);
        b.add_user(&uid);
        // Partial Fisher-Yates: the first `per_user` entries become a uniform random subset.
        for j in 0..per_user {
            let pick = j + rng.below(p.n_items - j);
            items.swap(j, pick);
        }
        let mut row: Vec<usize> = items[..per_user].to_vec();
        row.sort_unstable();
        for i in row {
            let s = truth.score(u, i);
            let v = if p.implicit {
                (rng.next_f32() < sigmoid(s - truth.mu - p.click_offset)) as u8 as f32
            } else {
                let v = s + p.noise * rng.normal() as f32;
                if p.round {
                    v.round().clamp(1.0, 5.0)
                } else {
                    v
                }
            };
            b.push(&uid, &item_ids[i], v)?;
        }
    }
    if p.implicit {
        // The truth's probabilities are sigmoid(score - 3 - offset): fold both into mu.
        truth.mu = -p.click_offset;
    }
    // The planted structure, as side information a hybrid model can use: each item's genre,
    // and each user's favourite (the genre their taste group leans to).
    let mut ratings = b.build()?;
    let genres: Vec<Vec<&str>> = item_cluster
        .iter()
        .map(|&g| vec![cluster_names[g].as_str()])
        .collect();
    let fans: Vec<Vec<String>> = user_cluster
        .iter()
        .map(|&g| vec![format!("likes {}", cluster_names[g])])
        .collect();
    ratings.set_features(
        Side::Item,
        Some(Arc::new(FeatureMatrix::from_lists(&genres)?)),
    )?;
    ratings.set_features(
        Side::User,
        Some(Arc::new(FeatureMatrix::from_lists(&fans)?)),
    )?;
    Ok(Synthetic {
        ratings,
        truth,
        user_cluster,
        item_cluster,
        cluster_names,
    })
}

/// Largest users x items the generator accepts (the page sets tighter limits of its own).
pub const MAX_CELLS: usize = 200_000_000;

fn check(p: &SyntheticParams) -> Result<()> {
    for (name, v) in [
        ("n_users", p.n_users),
        ("n_items", p.n_items),
        ("n_clusters", p.n_clusters),
        ("rank", p.rank),
    ] {
        if v == 0 {
            return Err(Error::invalid(name, v, "must be at least 1"));
        }
    }
    if p.n_users.saturating_mul(p.n_items) > MAX_CELLS {
        return Err(Error::invalid(
            "n_users",
            p.n_users,
            format!("times n_items ({}) must be at most {MAX_CELLS}", p.n_items),
        ));
    }
    if p.rank > 64 {
        return Err(Error::invalid("rank", p.rank, "must be at most 64"));
    }
    if !(p.density > 0.0 && p.density <= 1.0) {
        return Err(Error::invalid("density", p.density, "must be in (0, 1]"));
    }
    for (name, v) in [("noise", p.noise), ("taste", p.taste), ("spread", p.spread)] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(Error::invalid(name, v, "must be zero or a positive number"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_density_and_determinism() {
        let p = SyntheticParams {
            n_users: 50,
            n_items: 20,
            density: 0.25,
            ..Default::default()
        };
        let a = generate(&p).unwrap();
        assert_eq!(
            (a.ratings.n_users(), a.ratings.n_items(), a.ratings.len()),
            (50, 20, 250)
        );
        assert_eq!(a.ratings, generate(&p).unwrap().ratings);
        let other = generate(&SyntheticParams {
            seed: 2,
            ..p.clone()
        })
        .unwrap();
        assert_ne!(a.ratings, other.ratings);
        assert_eq!(a.ratings.item_label(1), "Comedy #1");
    }

    #[test]
    fn explicit_noise_is_as_asked() {
        let p = SyntheticParams {
            n_users: 200,
            n_items: 50,
            density: 0.5,
            noise: 0.5,
            ..Default::default()
        };
        let s = generate(&p).unwrap();
        let r = &s.ratings;
        let mse: f64 = (0..r.len())
            .map(|k| {
                let (u, i, v) = r.get(k);
                ((v - s.truth.score(u, i)) as f64).powi(2)
            })
            .sum::<f64>()
            / r.len() as f64;
        assert!((mse.sqrt() - 0.5).abs() < 0.03, "noise {}", mse.sqrt());
    }

    #[test]
    fn implicit_values_are_binary_and_rounded_values_are_stars() {
        let s = generate(&SyntheticParams {
            implicit: true,
            ..Default::default()
        })
        .unwrap();
        assert!(s.ratings.values().iter().all(|&v| v == 0.0 || v == 1.0));
        assert_eq!(s.ratings.feedback(), Feedback::Implicit);
        let s = generate(&SyntheticParams {
            round: true,
            noise: 1.0,
            ..Default::default()
        })
        .unwrap();
        assert!(s
            .ratings
            .values()
            .iter()
            .all(|&v| v.fract() == 0.0 && (1.0..=5.0).contains(&v)));
    }

    #[test]
    fn bad_sizes_are_refused() {
        let e = generate(&SyntheticParams {
            n_users: 0,
            ..Default::default()
        })
        .unwrap_err();
        assert!(e.to_string().starts_with("n_users = 0"));
        let e = generate(&SyntheticParams {
            n_users: 20_000,
            n_items: 20_000,
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.code(), "invalid_param");
        assert!(generate(&SyntheticParams {
            density: 0.0,
            ..Default::default()
        })
        .is_err());
    }
}
