//! The session's files across the JavaScript boundary: the model file out and in, a Spark ALS
//! model in, the knobs as code, and the Projector's and CSV exports (a second `impl` block of
//! the one `Session` class, see the module above).

use wasm_bindgen::prelude::*;

use super::convert::engine_error;
use super::{js, JsResult, Session};

#[wasm_bindgen]
impl Session {
    /// The current model as a model file (JSON), naming the data `data_name`.
    #[wasm_bindgen(js_name = exportModel)]
    pub fn export_model(&self, data_name: &str) -> JsResult<String> {
        self.inner
            .export_model(data_name)
            .map_err(|e| engine_error(&e))
    }

    /// The current model's knobs as a script for `tool` ("pyspark", "implicit", "surprise"),
    /// with the split it reads: `{ script, train, test, users?, items? }` (CSV texts).
    #[wasm_bindgen(js_name = exportCode)]
    pub fn export_code(&self, tool: &str, k: u32, origin: &str) -> JsResult<JsValue> {
        #[derive(serde::Serialize)]
        struct Code {
            script: String,
            train: String,
            test: String,
            users: Option<String>,
            items: Option<String>,
        }
        js(crate::code::Tool::by_name(tool)
            .and_then(|t| self.inner.code(t, k as usize, origin))
            .map(|(script, f)| Code {
                script,
                train: f.train,
                test: f.test,
                users: f.users,
                items: f.items,
            }))
    }

    /// Takes a model file back onto the loaded data: `{ params, epoch }`.
    #[wasm_bindgen(js_name = importModel)]
    pub fn import_model(&mut self, json: &str, test_fraction: f64) -> JsResult<JsValue> {
        #[derive(serde::Serialize)]
        struct Imported {
            params: crate::train::TrainParams,
            epoch: usize,
            /// The imported model's figures, as an epoch's report.
            report: crate::session::EpochDto,
        }
        let session = &mut self.inner;
        js(session
            .import_model(json, test_fraction)
            .and_then(|(params, epoch)| {
                Ok(Imported {
                    params,
                    epoch,
                    report: session.model_report()?,
                })
            }))
    }

    /// Which of a Spark `ALSModel` folder's files (their paths, `/`-separated) are its metadata,
    /// its two factor tables' parts and mfp's id maps: `{ metadata, users, items, userMap,
    /// itemMap }`, indices into `paths`; `sides`: a missing factor table is an error too (see
    /// `model_file::spark::layout`).
    #[wasm_bindgen(js_name = sparkLayout)]
    pub fn spark_layout(paths: Vec<String>, folder: &str, sides: bool) -> JsResult<JsValue> {
        js(crate::model_file::spark::layout::layout(
            &paths, folder, sides,
        ))
    }

    /// A Spark `ALSModel` folder's metadata line (`file` names it in errors): `{ rank, userCol,
    /// itemCol, sparkVersion }`, once its class is checked. The worker reads the factor tables'
    /// Parquet with the rank (www/pkg-spark/), then calls `importSpark`.
    #[wasm_bindgen(js_name = sparkMetadata)]
    pub fn spark_metadata(text: &str, file: &str) -> JsResult<JsValue> {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Meta {
            rank: usize,
            user_col: String,
            item_col: String,
            spark_version: String,
        }
        js(
            crate::model_file::spark::SparkModel::read_metadata(text, file).map(
                |(rank, user_col, item_col, spark_version)| Meta {
                    rank,
                    user_col,
                    item_col,
                    spark_version,
                },
            ),
        )
    }

    /// Takes a Spark ALS model (both sides' ids and `rank` factors per row, and the folder's
    /// `users.csv` and `items.csv` id maps when it has them) onto the loaded data, whose ids it
    /// was trained on: `{ params, epoch, report, notes }`.
    #[wasm_bindgen(js_name = importSpark)]
    #[allow(clippy::too_many_arguments)]
    pub fn import_spark(
        &mut self,
        rank: u32,
        user_ids: Vec<i32>,
        user_values: Vec<f32>,
        item_ids: Vec<i32>,
        item_values: Vec<f32>,
        user_map: Option<String>,
        item_map: Option<String>,
        implicit: Option<bool>,
        test_fraction: f64,
    ) -> JsResult<JsValue> {
        use crate::model_file::spark::{self, Factors, SparkModel};
        #[derive(serde::Serialize)]
        struct Imported {
            params: crate::train::TrainParams,
            epoch: usize,
            report: crate::session::EpochDto,
            notes: Vec<String>,
        }
        let model = SparkModel {
            rank: rank as usize,
            users: Factors {
                ids: user_ids,
                values: user_values,
            },
            items: Factors {
                ids: item_ids,
                values: item_values,
            },
            user_col: "user".into(),
            item_col: "item".into(),
            spark_version: String::new(),
            names: match (user_map, item_map) {
                (Some(u), Some(i)) => Some((
                    spark::read_id_map(&u, "users.csv").map_err(|e| engine_error(&e))?,
                    spark::read_id_map(&i, "items.csv").map_err(|e| engine_error(&e))?,
                )),
                _ => None,
            },
        };
        let session = &mut self.inner;
        js(session
            .import_spark(&model, implicit, test_fraction)
            .and_then(|(params, epoch, notes)| {
                Ok(Imported {
                    params,
                    epoch,
                    report: session.model_report()?,
                    notes,
                })
            }))
    }

    /// Embeddings and metadata as TSV for the Embedding Projector:
    /// `{ itemVectors, itemMetadata, userVectors, userMetadata }`.
    pub fn projector(&self) -> JsResult<JsValue> {
        js(self.inner.projector())
    }

    /// Every known rating with its prediction, as CSV.
    #[wasm_bindgen(js_name = predictionsCsv)]
    pub fn predictions_csv(&self) -> JsResult<String> {
        self.inner.predictions_csv().map_err(|e| engine_error(&e))
    }

    /// Every user's top `n` recommendations, as CSV.
    #[wasm_bindgen(js_name = recommendationsCsv)]
    pub fn recommendations_csv(&self, n: u32) -> JsResult<String> {
        self.inner
            .recommendations_csv(n as usize)
            .map_err(|e| engine_error(&e))
    }

    /// The loaded ratings as `user,item,rating` CSV (to put small data sets in a link).
    #[wasm_bindgen(js_name = ratingsCsv)]
    pub fn ratings_csv(&self) -> JsResult<String> {
        self.inner.ratings_csv().map_err(|e| engine_error(&e))
    }
}
