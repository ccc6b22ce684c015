//! Built-in data sets that ship inside the engine.
//!
//! `seed-10x10` is the worked example of the source article (section 4.3): ten users, ten items,
//! 1 where the user interacted with the item and 0 where not. The article calls it "100 users and
//! 100 items" but prints a 10 x 10 table; the table is what we ship. As in the article, every cell
//! is treated as observed (a 0 is a known "did not interact"), so this is implicit feedback fit
//! with logistic loss, and the model's prediction for a cell is a probability.

use super::{Feedback, Ratings};
use crate::error::{Error, Result};

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
pub const NAMES: &[&str] = &["seed-10x10"];

/// The article's example as fully observed implicit feedback.
pub fn seed_10x10() -> Ratings {
    let rows: Vec<Vec<Option<f32>>> = SEED_10X10
        .iter()
        .map(|row| row.iter().map(|&v| Some(v as f32)).collect())
        .collect();
    Ratings::from_dense(&rows, Feedback::Implicit).expect("the built-in table is valid")
}

/// A built-in data set by name.
pub fn by_name(name: &str) -> Result<Ratings> {
    match name {
        "seed-10x10" => Ok(seed_10x10()),
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
