//! A network (GMF, MLP, NeuMF) as a JSON document that re-imports to continue training or
//! predicting, beside the factorisation's ([`super::SavedModel`]):
//!
//! ```json
//! { "format": "mf-playground-network", "version": 1,
//!   "network": { "arch": { "family": "neumf", "factors": 8, "layers": [64, 32, 16, 8] },
//!                "n_users": .., "n_items": .., "gmf_user": [..], "gmf_item": [..],
//!                "mlp_user": [..], "mlp_item": [..], "tower": [{ "inputs": 64, "outputs": 32,
//!                "activation": "relu", "w": [..], "b": [..] }, ..], "head": {..}, "output": "sigmoid" },
//!   "userIds": [..], "itemIds": [..], "itemLabels": [..],
//!   "params": { ..TrainParams.. }, "epoch": 20, "data": { "name": "clicks.csv", "nRatings": 1000 } }
//! ```
//!
//! Reading checks what a hand-edited or truncated file could get wrong: the format tag and
//! version, the network's shape against its architecture and the parameters', finite numbers,
//! the ids' count and uniqueness.

use serde::{Deserialize, Serialize};

use super::{check_tag, unique_ids, DataRef};
use crate::error::{Error, Result};
use crate::neural::{Architecture, NcfModel};
use crate::train::TrainParams;

pub const FORMAT: &str = "mf-playground-network";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NetworkFile {
    format: String,
    version: u32,
    network: NcfModel,
    user_ids: Vec<String>,
    item_ids: Vec<String>,
    item_labels: Vec<String>,
    params: TrainParams,
    epoch: usize,
    data: DataRef,
}

/// A network with the ids and labels that give its indices meaning.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedNetwork {
    pub network: NcfModel,
    pub user_ids: Vec<String>,
    pub item_ids: Vec<String>,
    pub item_labels: Vec<String>,
    pub params: TrainParams,
    pub epoch: usize,
    pub data: DataRef,
}

impl SavedNetwork {
    /// The JSON document (compact).
    pub fn to_json(&self) -> String {
        let file = NetworkFile {
            format: FORMAT.into(),
            version: VERSION,
            network: self.network.clone(),
            user_ids: self.user_ids.clone(),
            item_ids: self.item_ids.clone(),
            item_labels: self.item_labels.clone(),
            params: self.params.clone(),
            epoch: self.epoch,
            data: self.data.clone(),
        };
        serde_json::to_string(&file).expect("a network serialises")
    }

    /// Reads and checks a network document.
    pub fn from_json(text: &str) -> Result<SavedNetwork> {
        let f: NetworkFile = serde_json::from_str(text)
            .map_err(|e| Error::parse(e.line(), e.column(), format!("not a network file: {e}")))?;
        check_tag(&f.format, FORMAT, f.version, VERSION)?;
        let params = f.params.check()?;
        let n = &f.network;
        if n.arch != Architecture::of(&params) {
            return Err(Error::invalid(
                "network.arch",
                format!("{} with {} factors", n.arch.family.name(), n.arch.factors),
                format!(
                    "params say {} with {} factors and the tower {:?}",
                    params.family.name(),
                    params.n_factors,
                    params.layers
                ),
            ));
        }
        n.check_shape()?;
        for (name, len, want) in [
            ("userIds", f.user_ids.len(), n.n_users),
            ("itemIds", f.item_ids.len(), n.n_items),
            ("itemLabels", f.item_labels.len(), n.n_items),
        ] {
            if len != want {
                return Err(Error::invalid(
                    name,
                    format!("{len} values"),
                    format!("the network has {want}"),
                ));
            }
        }
        unique_ids(&f.user_ids, &f.item_ids)?;
        Ok(SavedNetwork {
            network: f.network,
            user_ids: f.user_ids,
            item_ids: f.item_ids,
            item_labels: f.item_labels,
            params,
            epoch: f.epoch,
            data: f.data,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::builtin::seed_10x10;
    use crate::neural::NcfTrainer;
    use crate::train::Family;

    fn saved() -> SavedNetwork {
        let data = seed_10x10();
        let p = TrainParams {
            n_factors: 3,
            layers: vec![8, 4],
            n_epochs: 3,
            ..TrainParams::for_family(Family::NeuMf)
        };
        let mut t = NcfTrainer::new(data.clone(), p).unwrap();
        for _ in 0..3 {
            t.step();
        }
        SavedNetwork {
            network: t.model().clone(),
            user_ids: data.user_ids().to_vec(),
            item_ids: data.item_ids().to_vec(),
            item_labels: (0..10).map(|i| data.item_label(i).to_string()).collect(),
            params: t.params().clone(),
            epoch: t.epoch(),
            data: DataRef {
                name: "seed-10x10".into(),
                n_ratings: data.len(),
            },
        }
    }

    #[test]
    fn a_network_comes_back_exactly() {
        let s = saved();
        let back = SavedNetwork::from_json(&s.to_json()).unwrap();
        assert_eq!(back, s);
        assert_eq!(
            back.network.scores_for_user(3),
            s.network.scores_for_user(3)
        );
    }

    #[test]
    fn a_damaged_network_names_what_is_wrong() {
        let json = saved().to_json();
        let e = SavedNetwork::from_json(&json[..json.len() / 2]).unwrap_err();
        assert_eq!(e.code(), "parse_error");
        let e =
            SavedNetwork::from_json(&json.replace("\"n_users\":10", "\"n_users\":11")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("gmf_user = 30 values: the shape needs 33"),
            "{e}"
        );
        let e =
            SavedNetwork::from_json(&json.replace("\"factors\":3", "\"factors\":4")).unwrap_err();
        assert!(
            e.to_string().contains("params say neumf with 3 factors"),
            "{e}"
        );
        let e =
            SavedNetwork::from_json(&json.replacen("\"inputs\":8", "\"inputs\":9", 1)).unwrap_err();
        assert!(
            e.to_string().contains("the architecture needs 8 x 4"),
            "{e}"
        );
        let e = SavedNetwork::from_json(&json.replace(FORMAT, "other")).unwrap_err();
        assert!(e.to_string().starts_with("format = other"), "{e}");
    }
}
