//! # mf-playground
//!
//! A matrix-factorisation recommender engine in plain Rust, built to run natively (tests, the
//! `mfp` command line) and as WebAssembly inside a Web Worker behind a teaching playground.
//!
//! * [`data`]: sparse ratings with id maps, labels and scale; built-in data sets.
//! * [`model`]: the biased model `r_hat = mu + b_u + b_i + p_u . q_i` and its explanations.
//! * [`train`]: hyper-parameters, losses and the steppable [`train::Trainer`].
//! * [`rng`]: the seeded generator behind every random choice.
//!
//! Only the `wasm` module (compiled for `wasm32` alone) touches JavaScript.
//!
//! ```
//! use mf_playground::data::builtin;
//! use mf_playground::train::{Loss, TrainParams, Trainer};
//!
//! // The source article's 10 x 10 example: implicit 0/1 data, so logistic loss.
//! let params = TrainParams::new(2).loss(Loss::Logistic).learning_rate(0.1).n_epochs(100);
//! let mut trainer = Trainer::new(builtin::seed_10x10(), params)?;
//! for report in trainer.fit() {
//!     assert!(report.loss.is_finite());
//! }
//! let p = trainer.model().predict(0, 2); // user 1, item 3: a 1 in the table
//! assert!(p > 0.5);
//! # Ok::<(), mf_playground::Error>(())
//! ```

// The layers, lowest first. A module may use only the modules declared above it (the test
// `tests/layers.rs` reads this list and checks every `crate::` path in src/ against it), so the
// arrows point down and there is no import cycle.

// Maths: the foundations.
pub mod error;
pub mod rng;
pub mod parallel;
pub mod kernels;
pub mod linalg;
pub mod ranking;
// Maths: data, the model, training and measuring it.
pub mod data;
pub mod model;
pub mod train;
pub mod neural;
pub mod fit;
pub mod metrics;
pub mod baseline;
pub mod synthetic;
pub mod project;
pub mod layout;
// The application: what the page and the command line do with the maths.
pub mod view;
pub mod cv;
pub mod sweep;
pub mod model_file;
pub mod run;
pub mod code;
pub mod lab;
pub mod session;

pub use error::{Error, Result};

#[cfg(target_arch = "wasm32")]
pub mod wasm;
