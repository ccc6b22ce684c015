//! The registry of training algorithms: each optimiser is one type behind the
//! [`Algorithm`] trait, registered once, and everything else learns what exists from here. The
//! [`Trainer`](super::Trainer) drives whichever learner the named algorithm starts,
//! [`TrainParams::check`] applies the algorithm's own rules, the page builds its optimiser menu,
//! the knobs it enables and its race from [`describe`], and `mfp` lists (`mfp algorithms`) and
//! parses the names.
//!
//! Adding an optimiser: write one file with a type that implements [`Algorithm`] (its
//! [`AlgorithmInfo`] and a learner), add it to [`builtin`] (or, at run time, [`register`] it),
//! and translate its label for the page (`www/i18n-zh.js`). `docs/architecture.md` has the
//! recipe; `tests/registry.rs` registers a toy optimiser and trains with it.

use std::borrow::Cow;
use std::sync::{LazyLock, RwLock};

use super::algorithm::{Algorithm, AlgorithmInfo};
use super::params::{Optimizer, TrainParams};
use super::Loss;
use crate::data::preprocess::Normalization;
use crate::error::{Error, Result};

/// The algorithms that come with the engine, in menu order.
pub fn builtin() -> Vec<&'static dyn Algorithm> {
    vec![
        &super::sgd::Sgd,
        &super::adaptive::ADAM,
        &super::adaptive::RMSPROP,
        &super::als::Als,
        &super::wals::WeightedAls,
    ]
}

static REGISTRY: LazyLock<RwLock<Vec<&'static dyn Algorithm>>> =
    LazyLock::new(|| RwLock::new(builtin()));

/// Adds an algorithm to the registry (after the built-in ones). Its name must be new.
pub fn register(algorithm: &'static dyn Algorithm) -> Result<()> {
    let name = algorithm.info().name;
    let valid = !name.is_empty()
        && name.len() <= 40
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        return Err(Error::invalid(
            "algorithm",
            name,
            "a name is 1 to 40 lower-case letters, digits and '-'",
        ));
    }
    let mut all = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
    if all.iter().any(|a| a.info().name == name) {
        return Err(Error::invalid("algorithm", name, "is registered already"));
    }
    all.push(algorithm);
    Ok(())
}

/// Every registered algorithm, in menu order.
pub fn all() -> Vec<&'static dyn Algorithm> {
    REGISTRY.read().unwrap_or_else(|e| e.into_inner()).clone()
}

/// The registered algorithm called `name`.
pub fn find(name: &str) -> Option<&'static dyn Algorithm> {
    all().into_iter().find(|a| a.info().name == name)
}

/// What the engine has, as the page asks for it (`describe`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Description {
    pub algorithms: Vec<AlgorithmInfo>,
    /// The model families, MF first (see [`super::family`]).
    pub families: Vec<super::family::FamilyInfo>,
    /// The losses, in menu order.
    pub losses: Vec<super::loss::LossInfo>,
}

impl Description {
    /// Everything the engine has.
    pub fn now() -> Description {
        Description {
            algorithms: describe(),
            families: super::Family::ALL.iter().map(|f| f.info()).collect(),
            losses: super::Loss::ALL.iter().map(|l| l.info()).collect(),
        }
    }
}

/// What every registered algorithm is, for the page and the command line.
pub fn describe() -> Vec<AlgorithmInfo> {
    all().iter().map(|a| a.info()).collect()
}

impl Optimizer {
    /// The registered algorithm of this name.
    pub fn algorithm(&self) -> Result<&'static dyn Algorithm> {
        find(self.name()).ok_or_else(|| {
            Error::invalid(
                "optimizer",
                self.name(),
                format!("choose one of {}", names().join(", ")),
            )
        })
    }

    /// Parses a registered name: `"sgd"`, ...
    pub fn from_name(name: &str) -> Result<Self> {
        let o = Optimizer(Cow::Owned(name.to_string()));
        let a = o.algorithm()?;
        Ok(Optimizer(Cow::Borrowed(a.info().name)))
    }

    /// Every registered optimiser, in menu order.
    pub fn all() -> Vec<Optimizer> {
        names()
            .into_iter()
            .map(|n| Optimizer(Cow::Borrowed(n)))
            .collect()
    }
}

/// The registered names, in menu order.
fn names() -> Vec<&'static str> {
    all().iter().map(|a| a.info().name).collect()
}

impl TrainParams {
    /// Validates every field, then the algorithm's own rules; the error names the first bad
    /// one and its value.
    pub fn check(self) -> Result<Self> {
        self.check_ranges()?;
        if self.family.is_neural() {
            return self.check_neural();
        }
        let algo = self.optimizer.algorithm()?;
        if self.family == super::Family::Hybrid
            && !super::family::HYBRID_OPTIMIZERS.contains(&self.optimizer)
        {
            let names: Vec<&str> = super::family::HYBRID_OPTIMIZERS
                .iter()
                .map(|o| o.name())
                .collect();
            return Err(Error::invalid(
                "optimizer",
                self.optimizer.name(),
                format!("the hybrid model trains with {}", names.join(" or ")),
            ));
        }
        if self.normalization != Normalization::None
            && (self.loss != Loss::Squared || !algo.info().normalizes)
        {
            return Err(Error::invalid(
                "normalization",
                self.normalization.name(),
                format!(
                    "applies to ratings fitted with squared loss: set it to none for 0/1 data, \
                     logistic loss or {}",
                    all()
                        .iter()
                        .filter(|a| !a.info().normalizes)
                        .map(|a| a.info().name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        algo.check(&self)?;
        Ok(self)
    }

    /// A neural family's rules: its shape, Adam or SGD, no normalisation (the output layer's
    /// bias starts at the mean rating instead).
    fn check_neural(self) -> Result<Self> {
        super::family::check_shape(self.family, self.n_factors, &self.layers)?;
        if !super::family::NEURAL_OPTIMIZERS.contains(&self.optimizer) {
            return Err(Error::invalid(
                "optimizer",
                self.optimizer.name(),
                format!("{} trains with adam or sgd", self.family.name()),
            ));
        }
        if self.normalization != Normalization::None {
            return Err(Error::invalid(
                "normalization",
                self.normalization.name(),
                format!(
                    "applies to matrix factorisation, not {}",
                    self.family.name()
                ),
            ));
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optimizer_names_parse() {
        for o in Optimizer::all() {
            assert_eq!(Optimizer::from_name(o.name()).unwrap(), o);
        }
        assert_eq!(
            Optimizer::all(),
            [
                Optimizer::SGD,
                Optimizer::ADAM,
                Optimizer::RMSPROP,
                Optimizer::ALS,
                Optimizer::ALS_IMPLICIT
            ]
        );
        let e = Optimizer::from_name("magic").unwrap_err();
        assert!(
            e.to_string()
                .contains("choose one of sgd, adam, rmsprop, als, als-implicit"),
            "{e}"
        );
    }
}
