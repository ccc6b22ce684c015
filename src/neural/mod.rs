//! Neural collaborative filtering: GMF, MLP and NeuMF (He et al., WWW 2017), the engine's own
//! forward and backward passes on its vector kernels, trained with Adam or SGD on mini-batches.
//!
//! * [`dense`]: a dense layer (ReLU or linear), forward and backward for one example;
//! * [`model`]: the three families as one model, the score's gradient into row-sparse embedding
//!   gradients and dense layer gradients;
//! * [`solver`]: Adam (lazy on embedding rows) and SGD, with L2;
//! * [`train`]: epochs of shuffled mini-batches with sampled negatives, sliceable;
//! * `fold_in`: a new user's rows fitted with the items and layers held fixed.
//!
//! Every gradient is checked against finite differences in the tests below.

pub mod dense;
pub mod explain;
pub mod features;
mod fold_in;
pub mod model;
pub mod solver;
pub mod train;

pub use model::{Architecture, NcfModel};
pub use solver::Solver;
pub use train::NcfTrainer;

#[cfg(test)]
mod tests;
