//! A dense layer `y = act(W x + b)` for one example at a time: the forward pass keeps what the
//! backward pass needs, and the backward pass adds the layer's gradients into a buffer of the
//! same shape and returns the gradient of its input.

use crate::kernels::{axpy, dot};
use crate::rng::Rng;

/// What a layer applies after `W x + b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Activation {
    /// `max(0, z)`: the hidden layers of the MLP tower (He et al. 2017).
    Relu,
    /// `z`: the output layer, whose link (sigmoid or none) is the loss's business.
    Linear,
}

/// Weights `w` (`outputs` rows of `inputs`) and biases `b`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Dense {
    pub inputs: usize,
    pub outputs: usize,
    pub activation: Activation,
    /// Row `o` holds the weights of output `o`: `w[o * inputs + j]`.
    pub w: Vec<f32>,
    pub b: Vec<f32>,
}

impl Dense {
    /// Zeros of the given shape (a gradient buffer, or weights to fill).
    pub fn zeros(inputs: usize, outputs: usize, activation: Activation) -> Dense {
        Dense {
            inputs,
            outputs,
            activation,
            w: vec![0.0; inputs * outputs],
            b: vec![0.0; outputs],
        }
    }

    /// A layer initialised for its activation: He normal (standard deviation `sqrt(2 / inputs)`)
    /// before a ReLU, Glorot uniform (limit `sqrt(6 / (inputs + outputs))`) before a linear
    /// output; biases 0.
    pub fn init(inputs: usize, outputs: usize, activation: Activation, rng: &mut Rng) -> Dense {
        let mut d = Dense::zeros(inputs, outputs, activation);
        match activation {
            Activation::Relu => {
                let std = (2.0 / inputs as f64).sqrt();
                d.w.iter_mut()
                    .for_each(|w| *w = (rng.normal() * std) as f32);
            }
            Activation::Linear => {
                let limit = (6.0 / (inputs + outputs) as f64).sqrt();
                d.w.iter_mut()
                    .for_each(|w| *w = ((2.0 * rng.next_f64() - 1.0) * limit) as f32);
            }
        }
        d
    }

    pub fn n_parameters(&self) -> usize {
        self.w.len() + self.b.len()
    }

    /// `out = act(W x + b)`.
    pub fn forward(&self, x: &[f32], out: &mut [f32]) {
        debug_assert_eq!((x.len(), out.len()), (self.inputs, self.outputs));
        for (o, y) in out.iter_mut().enumerate() {
            let z = dot(&self.w[o * self.inputs..(o + 1) * self.inputs], x) + self.b[o];
            *y = match self.activation {
                Activation::Relu => z.max(0.0),
                Activation::Linear => z,
            };
        }
    }

    /// Given the input `x`, the output `y` of [`Dense::forward`] and the gradient `dy` of the
    /// loss with respect to `y`: adds `scale` times the weights' and biases' gradients into
    /// `grad`, and writes the gradient with respect to `x` into `dx` (when given).
    pub fn backward(
        &self,
        x: &[f32],
        y: &[f32],
        dy: &[f32],
        scale: f32,
        grad: &mut Dense,
        mut dx: Option<&mut [f32]>,
    ) {
        if let Some(dx) = dx.as_deref_mut() {
            dx.fill(0.0);
        }
        for o in 0..self.outputs {
            // ReLU passes the gradient where it was active (its output above 0).
            let dz = match self.activation {
                Activation::Relu if y[o] <= 0.0 => continue,
                _ => dy[o],
            };
            if dz == 0.0 {
                continue;
            }
            let row = o * self.inputs..(o + 1) * self.inputs;
            axpy(&mut grad.w[row.clone()], scale * dz, x);
            grad.b[o] += scale * dz;
            if let Some(dx) = dx.as_deref_mut() {
                axpy(dx, dz, &self.w[row]);
            }
        }
    }
}
