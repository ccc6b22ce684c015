//! The embedding map beyond PCA: a t-SNE or UMAP layout of the model's user or item
//! embeddings ([`crate::layout`]), started once and advanced step by step, so the page's map
//! moves as the layout converges and can be paused. Above [`MAX_MAP_POINTS`] points an evenly
//! spaced sample is laid out, and the answer says so. The layout belongs to the loaded data and
//! is dropped with it; it is of the model as it was when the layout started.

use ndarray::Array2;

use super::Session;
use crate::data::Side;
use crate::error::{Error, Result};
use crate::layout::{Tsne, TsneParams, Umap, UmapParams};

/// The most points a layout takes: past it, an evenly spaced sample.
pub const MAX_MAP_POINTS: usize = 5_000;

/// What to lay out and how.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct MapRequest {
    /// `"tsne"` or `"umap"`.
    pub method: String,
    /// `"items"` or `"users"`.
    pub side: String,
    /// The embedding table (a network's `gmf` or `mlp`; empty: the model's first).
    pub table: String,
    pub tsne: TsneParams,
    pub umap: UmapParams,
}

impl Default for MapRequest {
    fn default() -> Self {
        MapRequest {
            method: "tsne".into(),
            side: "items".into(),
            table: String::new(),
            tsne: TsneParams::default(),
            umap: UmapParams::default(),
        }
    }
}

/// A layout started: which rows (users or items, by index) it places, of how many.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MapStarted {
    pub method: &'static str,
    pub side: &'static str,
    pub rows: Vec<u32>,
    /// The rows' ids, as the data names them.
    pub ids: Vec<String>,
    pub total: usize,
    /// Steps in all (t-SNE's iterations, UMAP's epochs).
    pub steps: usize,
    /// t-SNE's perplexity as used (capped below a third of the points).
    pub perplexity: Option<f32>,
}

/// Where the layout stands.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MapStep {
    /// Row-major `(rows, 2)`.
    pub coords: Vec<f32>,
    pub step: usize,
    pub steps: usize,
    pub done: bool,
}

pub(super) enum Layout {
    Tsne(Box<Tsne>),
    Umap(Box<Umap>),
}

impl Session {
    /// Starts a layout of the model's user or item embeddings.
    pub fn map_start(&mut self, req: &MapRequest) -> Result<MapStarted> {
        let t = self.sound_trainer()?;
        let name = t.table_name(Some(req.table.as_str()).filter(|n| !n.is_empty()))?;
        let (users, items) = t.tables_named(name)?;
        let (side, all) = match req.side.as_str() {
            "items" => (Side::Item, items),
            "users" => (Side::User, users),
            other => return Err(Error::invalid("side", other, "choose items or users")),
        };
        // Only rows with training data: the others are their starting noise.
        let rated = t.data().has_ratings(side);
        let rated: Vec<usize> = (0..all.nrows()).filter(|&r| rated[r]).collect();
        let total = rated.len();
        let keep = total.min(MAX_MAP_POINTS);
        let rows: Vec<usize> = (0..keep).map(|j| rated[j * total / keep]).collect();
        let x: Array2<f32> = all.select(ndarray::Axis(0), &rows);
        let start = crate::project::project_2d(&x).coords;
        let (layout, method, steps, perplexity) = match req.method.as_str() {
            "tsne" => {
                let l = Tsne::new(&x, &start, &req.tsne)?;
                let (s, p) = (l.iterations(), l.perplexity);
                (Layout::Tsne(Box::new(l)), "tsne", s, Some(p))
            }
            "umap" => {
                let l = Umap::new(&x, &start, &req.umap)?;
                let s = l.epochs();
                (Layout::Umap(Box::new(l)), "umap", s, None)
            }
            other => return Err(Error::invalid("method", other, "choose tsne or umap")),
        };
        let names = match side {
            Side::Item => self.data_ref()?.item_ids(),
            Side::User => self.data_ref()?.user_ids(),
        };
        let ids = rows.iter().map(|&r| names[r].clone()).collect();
        self.loaded_mut()?.map = Some(layout);
        Ok(MapStarted {
            ids,
            method,
            side: if side == Side::Item { "items" } else { "users" },
            rows: rows.iter().map(|&r| r as u32).collect(),
            total,
            steps,
            perplexity,
        })
    }

    /// Advances the layout by up to `steps` steps (at least 0: the map as it stands).
    pub fn map_step(&mut self, steps: usize) -> Result<MapStep> {
        let map = self
            .loaded_mut()?
            .map
            .as_mut()
            .ok_or_else(|| Error::NotReady("start a t-SNE or UMAP map first".into()))?;
        Ok(match map {
            Layout::Tsne(l) => {
                l.step(steps);
                MapStep {
                    coords: l.layout(),
                    step: l.iteration(),
                    steps: l.iterations(),
                    done: l.done(),
                }
            }
            Layout::Umap(l) => {
                l.step(steps);
                MapStep {
                    coords: l.layout(),
                    step: l.epoch(),
                    steps: l.epochs(),
                    done: l.done(),
                }
            }
        })
    }
}
