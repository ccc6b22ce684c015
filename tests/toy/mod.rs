//! The toy optimiser the registry tests register (native, tests/registry.rs, and in the
//! WebAssembly build, tests/wasm_session.rs): one type behind the `Algorithm` trait.

use mf_playground::model::MfModel;
use mf_playground::train::algorithm::{Algorithm, AlgorithmInfo, Learner, Updates};
use mf_playground::train::{registry, Loss, Optimizer, TrainParams, Triplets};

/// A toy optimiser: gradient steps on the biases alone, factors left as they start. A real
/// algorithm in miniature (its training error falls, to the bias-only model's).
pub struct BiasSteps;

impl Algorithm for BiasSteps {
    fn info(&self) -> AlgorithmInfo {
        AlgorithmInfo {
            name: "toy-bias-steps",
            label: "Bias steps (toy)",
            summary: "gradient steps on the biases alone",
            losses: &[Loss::Squared],
            uses: &["learningRate"],
            biases: true,
            implicit: false,
            normalizes: false,
            race: true,
        }
    }

    fn start(&self, _model: &MfModel, _params: &TrainParams) -> Learner {
        Learner::Updates(Box::new(BiasUpdates))
    }
}

struct BiasUpdates;

impl Updates for BiasUpdates {
    fn granularity(&self, _params: &TrainParams) -> usize {
        1
    }

    fn update(&mut self, model: &mut MfModel, data: &Triplets, order: &[u32], p: &TrainParams) {
        for &k in order {
            let k = k as usize;
            let (u, i) = (data.users[k] as usize, data.items[k] as usize);
            let g = model.score(u, i) - data.values[k];
            model.user_bias[u] -= p.learning_rate * (g + p.reg_bias * model.user_bias[u]);
            model.item_bias[i] -= p.learning_rate * (g + p.reg_bias * model.item_bias[i]);
        }
    }
}

pub static TOY: BiasSteps = BiasSteps;

pub fn toy() -> Optimizer {
    // Registered once for the whole test binary (the registry is process-wide).
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| registry::register(&TOY).unwrap());
    Optimizer::from_name("toy-bias-steps").unwrap()
}
