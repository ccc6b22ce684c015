//! Built-in data sets that ship inside the engine.
//!
//! `seed-10x10` is the worked example of the source article (section 4.3): ten users, ten items,
//! 1 where the user interacted with the item and 0 where not. The article calls it "100 users and
//! 100 items" but prints a 10 x 10 table; the table is what we ship. As in the article, every cell
//! is treated as observed (a 0 is a known "did not interact"), so this is implicit feedback fit
//! with logistic loss, and the model's prediction for a cell is a probability.
//!
//! `article-random` is the data of the article's own code (section 5.2): a 100 x 100 matrix of
//! uniform random numbers, 1 above 0.5 and 0 below, every cell observed. It has no structure at
//! all, so it is the control a learner needs: a model can memorise it and learn nothing (its
//! held-out AUC is about 0.5). Drawn from a fixed seed, so every page gets the same matrix.

use super::{Feedback, Ratings};
use crate::error::{Error, Result};
use crate::rng::Rng;

/// The article's 10 x 10 interaction table, row = user, column = item.
pub const SEED_10X10: [[u8; 10]; 10] = [
    [1, 0, 1, 0, 0, 0, 0, 0, 0, 0],
    [0, 1, 0, 1, 0, 0, 0, 0, 0, 0],
    [1, 0, 1, 0, 1, 0, 0, 0, 0, 0],
    [0, 1, 0, 1, 0, 1, 0, 0, 0, 0],
    [0, 0, 0, 1, 1, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 1, 1, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 1, 1, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 1, 1, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 1, 1],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
];

/// Names of the built-in data sets, for menus and error messages.
pub const NAMES: &[&str] = &["seed-10x10", "article-random"];

/// The article's example as fully observed implicit feedback.
pub fn seed_10x10() -> Ratings {
    let rows: Vec<Vec<Option<f32>>> = SEED_10X10
        .iter()
        .map(|row| row.iter().map(|&v| Some(v as f32)).collect())
        .collect();
    Ratings::from_dense(&rows, Feedback::Implicit).expect("the built-in table is valid")
}

/// The article's random 0/1 matrix, 100 x 100, every cell observed.
pub fn article_random() -> Ratings {
    let mut rng = Rng::new(20_230_501);
    let rows: Vec<Vec<Option<f32>>> = (0..100)
        .map(|_| {
            (0..100)
                .map(|_| Some(if rng.next_f64() > 0.5 { 1.0 } else { 0.0 }))
                .collect()
        })
        .collect();
    Ratings::from_dense(&rows, Feedback::Implicit).expect("the generated matrix is valid")
}

/// A built-in data set by name.
pub fn by_name(name: &str) -> Result<Ratings> {
    match name {
        "seed-10x10" => Ok(seed_10x10()),
        "article-random" => Ok(article_random()),
        _ => Err(Error::invalid(
            "dataset",
            name,
            format!(
                "is not a built-in data set (choose one of {})",
                NAMES.join(", ")
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_articles_random_matrix_is_fully_observed_half_ones_and_fixed() {
        let r = article_random();
        assert_eq!((r.n_users(), r.n_items(), r.len()), (100, 100, 10_000));
        let ones = r.values().iter().filter(|&&v| v == 1.0).count();
        assert!((4_700..5_300).contains(&ones), "{ones}");
        assert_eq!(
            r.fingerprint(),
            by_name("article-random").unwrap().fingerprint()
        );
    }

    #[test]
    fn seed_matrix_is_fully_observed_and_binary() {
        let r = seed_10x10();
        assert_eq!((r.n_users(), r.n_items(), r.len()), (10, 10, 100));
        assert_eq!(r.feedback(), Feedback::Implicit);
        assert_eq!(r.values().iter().filter(|&&v| v == 1.0).count(), 21);
        assert_eq!(r.to_dense()[2 * 10 + 4], 1.0); // user 3 interacted with item 5
    }

    #[test]
    fn unknown_name_lists_the_choices() {
        let e = by_name("nope").unwrap_err();
        assert!(e.to_string().contains("seed-10x10"), "{e}");
    }
}
