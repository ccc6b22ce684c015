//! The model family a run trains: biased matrix factorisation, or one of the neural
//! collaborative-filtering families of He et al. (WWW 2017) that [`crate::neural`] implements.
//! The family and its MLP tower are training parameters like the factors, so a link, a model
//! file, the command line and the balance sweep carry them as they carry the factors.

use super::{Optimizer, TrainParams};
use crate::error::{Error, Result};

/// Which model a run trains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// `mu + b_u + b_i + p_u . q_i`, trained by any algorithm of the registry.
    #[default]
    Mf,
    /// MF whose vectors and biases are sums of their id's and their features' (LightFM).
    Hybrid,
    /// Generalised MF: `h . (p_u * q_i) + b`.
    Gmf,
    /// An MLP tower over the user's and the item's embeddings side by side.
    Mlp,
    /// GMF and MLP side by side under one output layer.
    NeuMf,
}

/// The optimisers that train the hybrid model (updates through the features, rating by rating
/// or in mini-batches).
pub static HYBRID_OPTIMIZERS: [Optimizer; 3] =
    [Optimizer::SGD, Optimizer::ADAM, Optimizer::RMSPROP];

/// The optimisers that train a network: Adam (He et al.'s) and plain SGD.
pub static NEURAL_OPTIMIZERS: [Optimizer; 2] = [Optimizer::ADAM, Optimizer::SGD];

/// He et al.'s tower: a 64-wide input (32 per side), then 32, 16 and 8 ReLU units.
pub const DEFAULT_TOWER: [usize; 4] = [64, 32, 16, 8];

/// The widest layer the engine accepts (a 4096 x 4096 layer is 16M weights already).
pub const MAX_WIDTH: usize = 4096;

impl Family {
    pub const ALL: [Family; 5] = [
        Family::Mf,
        Family::Hybrid,
        Family::Gmf,
        Family::Mlp,
        Family::NeuMf,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Family::Mf => "mf",
            Family::Hybrid => "hybrid",
            Family::Gmf => "gmf",
            Family::Mlp => "mlp",
            Family::NeuMf => "neumf",
        }
    }

    pub fn from_name(name: &str) -> Result<Family> {
        Family::ALL
            .into_iter()
            .find(|f| f.name() == name)
            .ok_or_else(|| Error::invalid("family", name, "choose mf, hybrid, gmf, mlp or neumf"))
    }

    /// A neural family (trained by [`crate::neural`], with Adam or SGD).
    pub fn is_neural(self) -> bool {
        matches!(self, Family::Gmf | Family::Mlp | Family::NeuMf)
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

/// What a family is, for the page (the `describe` request) and the command line.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FamilyInfo {
    pub name: &'static str,
    /// The name a person reads (the page translates it).
    pub label: &'static str,
    pub summary: &'static str,
    /// The optimisers that train it (`None`: every registered algorithm).
    pub optimizers: Option<Vec<&'static str>>,
    /// The knobs it reads beyond factors, epochs, seed and initialisation, whatever its
    /// optimiser reads, as the page names them (`biases`, `normalization`, `layers`,
    /// `negatives`, `learningRate`, `batchSize`; `features`: the data's features, always;
    /// `useFeatures`: the knob that gives a network the features as inputs).
    pub uses: Vec<&'static str>,
    /// Its defaults for the knobs a change of family sets, as the page names them.
    pub defaults: FamilyDefaults,
    /// Whether a data set's preset knobs (its learning rate, factors, ...) suit it, as they suit
    /// matrix factorisation; else a change to it sets its own defaults.
    pub data_presets: bool,
    /// Whether the optimiser race runs it beside MF's optimisers (the neural families; the
    /// hybrid is MF with features, compared with MF on new items instead).
    pub race: bool,
}

/// A family's name and sentence for people.
struct Text {
    label: &'static str,
    summary: &'static str,
}

/// A family's defaults for the page's knobs (from [`TrainParams::for_family`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FamilyDefaults {
    pub algorithm: String,
    pub n_factors: usize,
    pub learning_rate: f64,
    pub reg: f64,
    pub init_std: f64,
    pub negatives: usize,
    pub layers: String,
}

/// An f32 as the f64 of its shortest decimal (0.01, not 0.009999999776), for a page that shows
/// the number in a box.
fn shortest(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(x as f64)
}

impl Family {
    /// What it is.
    pub fn info(self) -> FamilyInfo {
        let text = match self {
            Family::Mf => Text {
                label: "Matrix factorisation",
                summary: "mu + b_u + b_i + p_u . q_i: biases and a dot product of factors",
            },
            Family::Hybrid => Text {
                label: "Hybrid MF (features)",
                summary: "MF whose vectors and biases add up their id's and their features' \
                          (genres, tags, age): items and users without ratings get them too",
            },
            Family::Gmf => Text {
                label: "GMF",
                summary: "a learnt weighting of the factors' element-wise product",
            },
            Family::Mlp => Text {
                label: "MLP",
                summary: "ReLU layers over the user's and the item's embeddings side by side",
            },
            Family::NeuMf => Text {
                label: "NeuMF",
                summary: "GMF and an MLP side by side under one output layer (He et al. 2017)",
            },
        };
        let d = TrainParams::for_family(self);
        let uses = match self {
            Family::Mf => vec!["biases", "normalization"],
            Family::Hybrid => vec!["biases", "normalization", "features"],
            // A network trains in mini-batches whatever its optimiser.
            Family::Gmf => vec!["learningRate", "batchSize", "negatives", "useFeatures"],
            Family::Mlp | Family::NeuMf => vec![
                "learningRate",
                "batchSize",
                "negatives",
                "layers",
                "useFeatures",
            ],
        };
        FamilyInfo {
            name: self.name(),
            label: text.label,
            summary: text.summary,
            optimizers: match self {
                Family::Mf => None,
                Family::Hybrid => Some(HYBRID_OPTIMIZERS.iter().map(|o| o.name()).collect()),
                _ => Some(NEURAL_OPTIMIZERS.iter().map(|o| o.name()).collect()),
            },
            uses,
            data_presets: !self.is_neural(),
            race: self.is_neural(),
            defaults: FamilyDefaults {
                algorithm: d.optimizer.name().to_string(),
                n_factors: d.n_factors,
                learning_rate: shortest(d.learning_rate),
                reg: shortest(d.reg_factor),
                init_std: shortest(d.init_std),
                negatives: d.negatives,
                layers: d
                    .layers
                    .iter()
                    .map(|w| w.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
            },
        }
    }
}

/// An embedding table a map can show, by the name the engine uses and the label people read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct TableInfo {
    pub name: &'static str,
    pub label: &'static str,
}

/// Every embedding table: MF's factors, a network's GMF and MLP embeddings.
pub const TABLES: [TableInfo; 3] = [
    TableInfo {
        name: "factors",
        label: "Factors",
    },
    TableInfo {
        name: "gmf",
        label: "GMF embeddings",
    },
    TableInfo {
        name: "mlp",
        label: "MLP embeddings",
    },
];

/// The table called `name`.
pub fn table(name: &str) -> Option<TableInfo> {
    TABLES.into_iter().find(|t| t.name == name)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_of_each_family_follows_its_defaults_and_rules() {
        for f in Family::ALL {
            let info = f.info();
            assert_eq!(Family::from_name(info.name).unwrap(), f);
            let d = TrainParams::for_family(f);
            assert_eq!(info.defaults.n_factors, d.n_factors);
            assert_eq!(info.defaults.learning_rate as f32, d.learning_rate);
            assert_eq!(info.defaults.algorithm, d.optimizer.name());
            assert_eq!(info.uses.contains(&"layers"), f.has_mlp());
            // Every optimiser it names trains it.
            for o in info.optimizers.iter().flatten() {
                let p = TrainParams {
                    optimizer: Optimizer::from_name(o).unwrap(),
                    ..d.clone()
                };
                assert!(p.check().is_ok(), "{} with {o}", info.name);
            }
        }
        assert_eq!(Family::Mf.info().optimizers, None);
        assert_eq!(Family::Gmf.info().defaults.layers, "64,32,16,8");
        assert_eq!(Family::NeuMf.info().defaults.init_std, 0.01);
    }
}
