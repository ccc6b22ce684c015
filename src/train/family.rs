//! The model family a run trains: biased matrix factorisation, or one of the neural
//! collaborative-filtering families of He et al. (WWW 2017) that [`crate::neural`] implements.
//! The family and its MLP tower are training parameters like the factors, so a link, a model
//! file, the command line and the balance sweep carry them as they carry the factors.

use crate::error::{Error, Result};

/// Which model a run trains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// `mu + b_u + b_i + p_u . q_i`, trained by any algorithm of the registry.
    #[default]
    Mf,
    /// Generalised MF: `h . (p_u * q_i) + b`.
    Gmf,
    /// An MLP tower over the user's and the item's embeddings side by side.
    Mlp,
    /// GMF and MLP side by side under one output layer.
    NeuMf,
}

/// He et al.'s tower: a 64-wide input (32 per side), then 32, 16 and 8 ReLU units.
pub const DEFAULT_TOWER: [usize; 4] = [64, 32, 16, 8];

/// The widest layer the engine accepts (a 4096 x 4096 layer is 16M weights already).
pub const MAX_WIDTH: usize = 4096;

impl Family {
    pub const ALL: [Family; 4] = [Family::Mf, Family::Gmf, Family::Mlp, Family::NeuMf];

    pub fn name(self) -> &'static str {
        match self {
            Family::Mf => "mf",
            Family::Gmf => "gmf",
            Family::Mlp => "mlp",
            Family::NeuMf => "neumf",
        }
    }

    pub fn from_name(name: &str) -> Result<Family> {
        Family::ALL
            .into_iter()
            .find(|f| f.name() == name)
            .ok_or_else(|| Error::invalid("family", name, "choose mf, gmf, mlp or neumf"))
    }

    /// A neural family (trained by [`crate::neural`], with Adam or SGD).
    pub fn is_neural(self) -> bool {
        self != Family::Mf
    }

    /// Whether it has the element-wise product of GMF (its embeddings are `n_factors` wide).
    pub fn has_gmf(self) -> bool {
        matches!(self, Family::Gmf | Family::NeuMf)
    }

    /// Whether it has the MLP tower.
    pub fn has_mlp(self) -> bool {
        matches!(self, Family::Mlp | Family::NeuMf)
    }
}

/// Checks a neural family's sizes: at least 1 factor with GMF; for the MLP an input and at
/// least one layer, an even input (half per side), no layer of size 0 or above [`MAX_WIDTH`].
pub fn check_shape(family: Family, factors: usize, layers: &[usize]) -> Result<()> {
    if family.has_gmf() && factors == 0 {
        return Err(Error::invalid(
            "n_factors",
            0,
            "GMF and NeuMF need at least 1 factor",
        ));
    }
    if family.has_mlp() {
        let shown = layers
            .iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join(",");
        if layers.len() < 2 {
            return Err(Error::invalid(
                "layers",
                shown,
                "name the input width and at least one layer, e.g. 64,32,16,8",
            ));
        }
        if layers.contains(&0) {
            return Err(Error::invalid(
                "layers",
                shown,
                "a layer of size 0 has no units",
            ));
        }
        if layers.iter().any(|&w| w > MAX_WIDTH) {
            return Err(Error::invalid(
                "layers",
                shown,
                format!("a layer is at most {MAX_WIDTH} wide"),
            ));
        }
        if !layers[0].is_multiple_of(2) {
            return Err(Error::invalid(
                "layers",
                shown,
                "the first width is the user's and the item's embeddings side by side, so it is even",
            ));
        }
    }
    Ok(())
}
