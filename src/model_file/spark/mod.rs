//! Spark MLlib's saved `ALSModel`, in and out.
//!
//! Spark's `ALSModel.save(dir)` writes three folders:
//!
//! ```text
//! dir/metadata/part-00000      one line of JSON: class, sparkVersion, uid, paramMap, ..., rank
//! dir/userFactors/part-*.parquet   rows (id: int, features: array<float>), one per user
//! dir/itemFactors/part-*.parquet   the same per item
//! ```
//!
//! and serves `prediction = userFactors[user] . itemFactors[item]`: no biases, no global mean,
//! no clipping. So a biased model goes out folded into rank `k + 2`, user `[p_u, mu + b_u, 1]`
//! and item `[q_i, 1, b_i]`, whose plain dot product is exactly `mu + b_u + b_i + p_u . q_i`;
//! a per-user normalisation (offset `o_u`, divisor `s_u`) folds in too (user
//! `[s_u p_u, s_u (mu + b_u) + o_u, s_u]`), and a per-item offset joins `b_i`. A model folded so
//! comes back biased when it is read again.
//!
//! Spark's ids are 32-bit integers; the playground's are text. A model goes out with the data's
//! own ids when they are all such integers, else with their indices (and the maps beside them:
//! see `mfp export`). A model comes in with the ratings file whose ids it was trained on: each
//! Spark id must be one of that file's, and the file's users and items that Spark has no
//! factors for (cold: Spark predicts NaN for them, or drops them) get zero vectors.
//!
//! Reading and writing the folders is [`files`] (native; the page reads the Parquet with the
//! same crate compiled on its own, `www/pkg-spark/`); this module converts.

use crate::data::{Feedback, Ratings};
use crate::error::{Error, Result};
use crate::model::{MfModel, Output};
use crate::model_file::SavedModel;
use crate::train::{Optimizer, TrainParams};

#[cfg(not(target_arch = "wasm32"))]
pub mod files;
pub mod layout;

/// The class name Spark writes and checks.
pub const CLASS: &str = "org.apache.spark.ml.recommendation.ALSModel";

/// One side's factors: an id per row and `rank` numbers per row, row-major (read and written
/// as Parquet by the `spark-parquet` crate, natively here and on demand in the page).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Factors {
    pub ids: Vec<i32>,
    pub values: Vec<f32>,
}

/// A Spark ALS model: its rank, both sides' factors and the metadata's columns.
#[derive(Debug, Clone, PartialEq)]
pub struct SparkModel {
    pub rank: usize,
    pub users: Factors,
    pub items: Factors,
    /// The metadata's `userCol` and `itemCol` (Spark's `transform` reads these columns).
    pub user_col: String,
    pub item_col: String,
    /// The Spark version that wrote it (read), or that the folder claims (written).
    pub spark_version: String,
    /// When the folder has `users.csv` and `items.csv` (`index,id`, as `mfp export` and `mfp
    /// spark-job` write them for ids that are not integers): the data's id of each Spark id.
    pub names: Option<(IdMap, IdMap)>,
}

/// Spark's integer ids to the data's own.
pub type IdMap = std::collections::HashMap<i32, String>;

/// Reads an `index,id` map (a header line, then one index and one id per line, the id quoted
/// where it needs to be); `file` names it in errors.
pub fn read_id_map(text: &str, file: &str) -> Result<IdMap> {
    let mut out = IdMap::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| Error::BadFile {
            file: file.into(),
            message: format!("line {}: {message}", n + 1),
        };
        let (index, id) = line
            .split_once(',')
            .ok_or_else(|| bad("write index,id".into()))?;
        let index: i32 = index
            .trim()
            .parse()
            .map_err(|_| bad(format!("index \"{index}\" is not an integer")))?;
        let id = match id.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
            Some(quoted) => quoted.replace("\"\"", "\""),
            None => id.to_string(),
        };
        if out.insert(index, id).is_some() {
            return Err(bad(format!("index {index} appears twice")));
        }
    }
    Ok(out)
}

/// What a conversion did that its user should know.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Notes(pub Vec<String>);

/// How a model's ids go to Spark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SparkIds {
    /// The data's own ids (all 32-bit integers).
    Own,
    /// Row indices: the data's ids are not all 32-bit integers.
    Indices,
}

/// The data's ids as Spark's, when every one is a 32-bit integer written plainly.
pub fn int_ids(ids: &[String]) -> Option<Vec<i32>> {
    ids.iter()
        .map(|s| s.parse::<i32>().ok().filter(|v| v.to_string() == *s))
        .collect()
}

impl SparkModel {
    /// The model as Spark serves it: see the module's text for the folding. Networks cannot go
    /// (Spark's ALS serves a dot product); a sigmoid output goes as its logit, said in the notes.
    pub fn from_saved(saved: &SavedModel) -> Result<(SparkModel, SparkIds, Notes)> {
        let m = &saved.model;
        let (k, nu, ni) = (m.n_factors(), m.n_users(), m.n_items());
        if nu > i32::MAX as usize || ni > i32::MAX as usize {
            return Err(Error::TooLarge(
                "Spark's ids are 32-bit: too many users or items".into(),
            ));
        }
        let biased = m.mu != 0.0
            || m.user_bias.iter().any(|&b| b != 0.0)
            || m.item_bias.iter().any(|&b| b != 0.0)
            || m.norm.is_some();
        let rank = if biased { k + 2 } else { k };
        let mut notes = Notes::default();
        let item_kind = matches!(
            m.norm.as_ref().map(|n| n.kind),
            Some(crate::data::preprocess::Normalization::ItemMean)
        );
        let mut users = Vec::with_capacity(nu * rank);
        for u in 0..nu {
            let (o, s) = if item_kind {
                (0.0, 1.0)
            } else {
                m.offset_at(u, 0)
            };
            users.extend(m.user_row(u).iter().map(|&x| s * x));
            if biased {
                users.extend([s * (m.mu + m.user_bias[u]) + o, s]);
            }
        }
        let mut items = Vec::with_capacity(ni * rank);
        for i in 0..ni {
            items.extend_from_slice(m.item_row(i));
            if biased {
                let o = if item_kind { m.offset_at(0, i).0 } else { 0.0 };
                items.extend([1.0, m.item_bias[i] + o]);
            }
        }
        if biased {
            notes.0.push(format!(
                "the biases{} are folded into rank {rank} = {k} + 2: user [p_u, mu + b_u, 1], \
                 item [q_i, 1, b_i], so Spark's dot product serves mu + b_u + b_i + p_u.q_i",
                if m.norm.is_some() {
                    " and the normalisation"
                } else {
                    ""
                }
            ));
        }
        if let Some((lo, hi)) = m.clip {
            notes.0.push(format!(
                "Spark does not clip: mfp clips predictions to [{lo}, {hi}], Spark serves the value as it is"
            ));
        }
        if m.output == Output::Sigmoid {
            notes.0.push(
                "Spark serves the score before the sigmoid (the logit): the same ranking; \
                 apply 1 / (1 + exp(-x)) for the probability"
                    .into(),
            );
        }
        let (user_ids, item_ids, how) = match (int_ids(&saved.user_ids), int_ids(&saved.item_ids)) {
            (Some(u), Some(i)) => (u, i, SparkIds::Own),
            _ => {
                notes.0.push(
                    "the data's ids are not all 32-bit integers, which Spark needs: the model \
                         uses their indices (users.csv and items.csv map them back)"
                        .into(),
                );
                let index = |n: usize| (0..n as i32).collect::<Vec<_>>();
                (index(nu), index(ni), SparkIds::Indices)
            }
        };
        Ok((
            SparkModel {
                rank,
                users: Factors {
                    ids: user_ids,
                    values: users,
                },
                items: Factors {
                    ids: item_ids,
                    values: items,
                },
                user_col: "user".into(),
                item_col: "item".into(),
                spark_version: "3.5.0".into(),
                names: None,
            },
            how,
            notes,
        ))
    }

    /// The model on `data`'s users and items (matched by id: each Spark id must be one of the
    /// data's, written as a 32-bit integer), as a model file of the playground. `implicit`: it
    /// was trained with `implicitPrefs` (None: as the data's feedback says). `name`: the data's
    /// file name, for the model's data reference.
    pub fn to_saved(
        &self,
        data: &Ratings,
        implicit: Option<bool>,
        name: &str,
    ) -> Result<(SavedModel, Notes)> {
        let k = self.rank;
        for (file, f) in [("userFactors", &self.users), ("itemFactors", &self.items)] {
            if f.values.len() != f.ids.len() * k {
                return Err(Error::BadFile {
                    file: file.into(),
                    message: format!(
                        "{} numbers for {} rows of rank {k}",
                        f.values.len(),
                        f.ids.len()
                    ),
                });
            }
        }
        let mut notes = Notes::default();
        let place = |side: &str,
                     file: &str,
                     ids: &[String],
                     f: &Factors,
                     names: Option<&IdMap>|
         -> Result<Vec<Option<usize>>> {
            let index: std::collections::HashMap<&str, usize> = ids
                .iter()
                .enumerate()
                .map(|(j, s)| (s.as_str(), j))
                .collect();
            let mut row_of = vec![None; ids.len()];
            for (r, id) in f.ids.iter().enumerate() {
                // The data's id: through the folder's map when it has one.
                let own = match names {
                    Some(map) => map.get(id).cloned().ok_or_else(|| Error::BadFile {
                        file: format!("{side}s.csv"),
                        message: format!("{side} {id} of {file} is not in the map"),
                    })?,
                    None => id.to_string(),
                };
                let Some(&j) = index.get(own.as_str()) else {
                    return Err(Error::BadFile {
                        file: file.into(),
                        message: format!(
                            "{side} {own} is not a {side} of {name}: open a Spark model with the \
                             ratings file it was trained on"
                        ),
                    });
                };
                if row_of[j].replace(r).is_some() {
                    return Err(Error::BadFile {
                        file: file.into(),
                        message: format!("{side} {own} has two rows"),
                    });
                }
            }
            Ok(row_of)
        };
        let names = self.names.as_ref();
        let user_rows = place(
            "user",
            "userFactors",
            data.user_ids(),
            &self.users,
            names.map(|n| &n.0),
        )?;
        let item_rows = place(
            "item",
            "itemFactors",
            data.item_ids(),
            &self.items,
            names.map(|n| &n.1),
        )?;
        let (nu, ni) = (data.n_users(), data.n_items());
        let fill = |rows: &[Option<usize>], f: &Factors| {
            let mut out = vec![0.0f32; rows.len() * k];
            for (j, r) in rows.iter().enumerate() {
                if let Some(r) = r {
                    out[j * k..(j + 1) * k].copy_from_slice(&f.values[r * k..(r + 1) * k]);
                }
            }
            out
        };
        let (users, items) = (fill(&user_rows, &self.users), fill(&item_rows, &self.items));
        let cold = |rows: &[Option<usize>]| rows.iter().filter(|r| r.is_none()).count();
        let (cu, ci) = (cold(&user_rows), cold(&item_rows));
        if cu + ci > 0 {
            notes.0.push(format!(
                "{cu} users and {ci} items of {name} have no factors in the Spark model (not in \
                 the data it was trained on): they get zero vectors, where Spark predicts NaN"
            ));
        }
        // A model mfp folded (user [p, mu + b_u, 1], item [q, 1, b_i]) comes back biased.
        let folded = k >= 3
            && cu == 0
            && ci == 0
            && (0..nu).all(|u| users[u * k + k - 1] == 1.0)
            && (0..ni).all(|i| items[i * k + k - 2] == 1.0);
        let kept = if folded { k - 2 } else { k };
        let mut model = MfModel::zeros(nu, ni, kept, Output::Identity);
        if folded {
            let c: Vec<f32> = (0..nu).map(|u| users[u * k + k - 2]).collect();
            model.mu = (c.iter().map(|&x| x as f64).sum::<f64>() / nu.max(1) as f64) as f32;
            let mu = model.mu;
            model.user_bias = c.iter().map(|&x| x - mu).collect();
            for i in 0..ni {
                model.item_bias[i] = items[i * k + k - 1];
            }
            notes.0.push(format!(
                "rank {k} is a biased model of {kept} factors folded for Spark: read back with its biases"
            ));
        }
        for u in 0..nu {
            for f in 0..kept {
                model.user_factors[[u, f]] = users[u * k + f];
            }
        }
        for i in 0..ni {
            for f in 0..kept {
                model.item_factors[[i, f]] = items[i * k + f];
            }
        }
        let implicit = implicit.unwrap_or(data.feedback() == Feedback::Implicit);
        if !implicit {
            notes.0.push(
                "Spark does not clip predictions to the rating scale, and neither does this model: it predicts what Spark predicts"
                    .into(),
            );
        }
        let params = TrainParams::new(kept)
            .optimizer(if implicit {
                Optimizer::ALS_IMPLICIT
            } else {
                Optimizer::ALS
            })
            .biases(folded);
        Ok((SavedModel::of(model, data, params, 0, name), notes))
    }

    /// The metadata's one line, as Spark's `DefaultParamsWriter` writes it.
    pub fn metadata_json(&self, uid: &str, timestamp_ms: u64) -> String {
        serde_json::json!({
            "class": CLASS,
            "timestamp": timestamp_ms,
            "sparkVersion": self.spark_version,
            "uid": uid,
            "paramMap": { "userCol": self.user_col, "itemCol": self.item_col },
            "defaultParamMap": {
                "blockSize": 4096,
                "coldStartStrategy": "nan",
                "itemCol": "item",
                "predictionCol": "prediction",
                "userCol": "user",
            },
            "rank": self.rank,
        })
        .to_string()
    }

    /// Reads the metadata's line: the class must be `ALSModel`; gives the rank, the columns and
    /// the Spark version. `file` names it in errors.
    pub fn read_metadata(text: &str, file: &str) -> Result<(usize, String, String, String)> {
        let bad = |message: String| Error::BadFile {
            file: file.into(),
            message,
        };
        let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let v: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| bad(format!("not Spark's metadata (one line of JSON): {e}")))?;
        let class = v["class"].as_str().unwrap_or("");
        if class != CLASS {
            return Err(bad(format!(
                "the class is \"{class}\", not {CLASS}: this is not a saved ALS model"
            )));
        }
        let rank = v["rank"]
            .as_u64()
            .filter(|&r| r > 0)
            .ok_or_else(|| bad("no rank (a positive integer) in the metadata".into()))?;
        let col = |name: &str, default: &str| {
            v["paramMap"][name]
                .as_str()
                .or(v["defaultParamMap"][name].as_str())
                .unwrap_or(default)
                .to_string()
        };
        let version = v["sparkVersion"].as_str().unwrap_or("unknown").to_string();
        Ok((
            rank as usize,
            col("userCol", "user"),
            col("itemCol", "item"),
            version,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::preprocess::Normalization;
    use crate::synthetic::{generate, SyntheticParams};
    use crate::train::Trainer;

    /// A biased model trained with `norm` on generated ratings (ids "u1", "i7": not integers).
    fn saved(norm: Normalization) -> (SavedModel, Ratings) {
        let data = generate(&SyntheticParams {
            n_users: 40,
            n_items: 30,
            ..SyntheticParams::default()
        })
        .unwrap()
        .ratings;
        let mut p = TrainParams::new(3).n_epochs(5);
        p.normalization = norm;
        let mut t = Trainer::new(data.clone(), p).unwrap();
        t.fit();
        let s = SavedModel::of(t.model().clone(), &data, t.params().clone(), 5, "g");
        (s, data)
    }

    fn dot(m: &SparkModel, u: usize, i: usize) -> f32 {
        let k = m.rank;
        (0..k)
            .map(|f| m.users.values[u * k + f] * m.items.values[i * k + f])
            .sum()
    }

    /// Spark's dot product serves mfp's prediction before clipping, whatever the normalisation;
    /// read back, the folded model is biased again with the same predictions.
    #[test]
    fn biases_and_normalisations_fold_into_the_dot_product_and_back() {
        for norm in [
            Normalization::None,
            Normalization::UserMean,
            Normalization::ItemMean,
            Normalization::UserZScore,
            Normalization::GlobalMean,
            Normalization::MinMax,
        ] {
            let (s, data) = saved(norm);
            let m = &s.model;
            let (spark, ids, notes) = SparkModel::from_saved(&s).unwrap();
            assert_eq!((spark.rank, ids), (5, SparkIds::Indices), "{norm:?}");
            assert!(
                notes.0.iter().any(|n| n.contains("folded into rank 5")),
                "{notes:?}"
            );
            for u in 0..m.n_users() {
                for i in 0..m.n_items() {
                    let want = m.unnormalise(u, i, m.score(u, i));
                    assert!(
                        (dot(&spark, u, i) - want).abs() < 1e-4,
                        "{norm:?} ({u}, {i})"
                    );
                }
            }
            // The indices are the ids of a file written with them.
            let mut b = crate::data::RatingsBuilder::new(Feedback::Explicit);
            for k in 0..data.len() {
                let (u, i, v) = data.get(k);
                b.push(&u.to_string(), &i.to_string(), v).unwrap();
            }
            let indexed = b.build().unwrap();
            let (back, notes) = spark.to_saved(&indexed, None, "ratings.csv").unwrap();
            let folded = !matches!(norm, Normalization::UserZScore | Normalization::MinMax);
            assert_eq!(back.params.use_user_bias, folded, "{norm:?} {notes:?}");
            for u in 0..m.n_users() {
                let bu = indexed
                    .user_ids()
                    .iter()
                    .position(|id| *id == u.to_string())
                    .unwrap();
                for i in 0..m.n_items() {
                    let bi = indexed
                        .item_ids()
                        .iter()
                        .position(|id| *id == i.to_string())
                        .unwrap();
                    let want = m.unnormalise(u, i, m.score(u, i));
                    assert!((back.model.predict(bu, bi) - want).abs() < 1e-4, "{norm:?}");
                }
            }
        }
    }

    #[test]
    fn integer_ids_go_as_they_are_and_bad_metadata_is_named() {
        assert_eq!(int_ids(&["3".into(), "-7".into()]), Some(vec![3, -7]));
        assert_eq!(int_ids(&["03".into()]), None, "not written plainly");
        assert_eq!(int_ids(&["u1".into()]), None);
        assert_eq!(int_ids(&["4294967296".into()]), None, "beyond 32 bits");
        let e = SparkModel::read_metadata("{\"class\":\"x.Y\"}", "m/part-0").unwrap_err();
        assert!(
            e.to_string().starts_with("m/part-0: the class is \"x.Y\""),
            "{e}"
        );
        let e = SparkModel::read_metadata("not json", "m/part-0").unwrap_err();
        assert!(e.to_string().contains("not Spark's metadata"), "{e}");
        let e = SparkModel::read_metadata(&format!("{{\"class\":\"{CLASS}\"}}"), "m").unwrap_err();
        assert!(e.to_string().contains("no rank"), "{e}");
    }
}
