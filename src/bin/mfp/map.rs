//! `mfp map`: a 2-D map of a model's item (or user) embeddings, or of any vectors, by PCA,
//! t-SNE or UMAP (see `mf_playground::layout`), written as CSV, with the time it took and how
//! well it keeps each point's neighbours.

use std::fmt::Write as _;
use std::time::Instant;

use clap::Args;
use ndarray::Array2;

use mf_playground::data::csv_field;
use mf_playground::layout::{trustworthiness, Tsne, TsneParams, Umap, UmapParams};
use mf_playground::model_file::Saved;

use crate::common::{self, load_model, Fail};

/// A 2-D map of embeddings: PCA, t-SNE or UMAP.
///
/// Maps the items' (or users') embeddings of a model written by mfp train --save (or a run), or
/// the rows of a tab-separated vectors file (the Embedding Projector's format), and writes
/// `index,id,x,y` as CSV. Prints how long the layout took and, with --trust K, its
/// trustworthiness at K (1: every map neighbour is a true neighbour; a random map scores about
/// 0.5).
#[derive(Args, Debug)]
pub struct MapArgs {
    /// Model JSON written by mfp train --save
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "vectors",
        conflicts_with = "vectors"
    )]
    pub model: Option<String>,
    /// Tab-separated vectors, one row per point (the Projector's vectors.tsv)
    #[arg(long, value_name = "FILE")]
    pub vectors: Option<String>,
    /// The model's items or users
    #[arg(long, default_value = "items", value_parser = ["items", "users"])]
    pub side: String,
    #[arg(long, default_value = "tsne", value_parser = ["pca", "tsne", "umap"])]
    pub method: String,
    /// t-SNE: the effective number of neighbours
    #[arg(long, default_value_t = TsneParams::default().perplexity)]
    pub perplexity: f32,
    /// t-SNE: Barnes-Hut's accuracy (0: every pair)
    #[arg(long, default_value_t = TsneParams::default().theta)]
    pub theta: f32,
    /// t-SNE: iterations
    #[arg(long, default_value_t = TsneParams::default().iterations)]
    pub iterations: usize,
    /// UMAP: neighbours of each point's graph
    #[arg(long, default_value_t = UmapParams::default().neighbours)]
    pub neighbours: usize,
    /// UMAP: how tightly points may pack
    #[arg(long, default_value_t = UmapParams::default().min_dist)]
    pub min_dist: f32,
    /// UMAP: epochs (0: 500 up to 10,000 points, else 200)
    #[arg(long, default_value_t = UmapParams::default().epochs)]
    pub epochs: usize,
    /// UMAP: seed of its sampling
    #[arg(long, default_value_t = UmapParams::default().seed)]
    pub seed: u64,
    /// Also measure the map's trustworthiness at this many neighbours
    #[arg(long, value_name = "K")]
    pub trust: Option<usize>,
    /// The CSV file to write (default: standard output)
    #[arg(long, value_name = "FILE")]
    pub out: Option<String>,
    /// Print the figures as one JSON object (the CSV goes to --out)
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &MapArgs) -> Result<(), Fail> {
    let (x, ids) = match (&a.model, &a.vectors) {
        (Some(path), _) => {
            let saved = load_model(path, None)?;
            let (users, items) = match &saved {
                Saved::Mf(s) => (s.model.user_factors.clone(), s.model.item_factors.clone()),
                Saved::Network(s) => s.network.embedding_tables(),
            };
            if a.side == "items" {
                (items, saved.item_ids().to_vec())
            } else {
                (users, saved.user_ids().to_vec())
            }
        }
        (None, Some(path)) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| Fail::Input(format!("{path}: {e}")))?;
            let x = read_vectors(&text).map_err(|e| Fail::Input(format!("{path}: {e}")))?;
            let ids = (0..x.nrows()).map(|r| r.to_string()).collect();
            (x, ids)
        }
        (None, None) => unreachable!("clap requires one"),
    };
    let n = x.nrows();
    let start = mf_playground::project::project_2d(&x).coords;
    let t0 = Instant::now();
    let map = match a.method.as_str() {
        "pca" => start.clone(),
        "tsne" => {
            let p = TsneParams {
                perplexity: a.perplexity,
                theta: a.theta,
                iterations: a.iterations,
            };
            let mut t = Tsne::new(&x, &start, &p).map_err(|e| Fail::Input(e.to_string()))?;
            t.step(usize::MAX);
            t.layout()
        }
        _ => {
            let p = UmapParams {
                neighbours: a.neighbours,
                min_dist: a.min_dist,
                epochs: a.epochs,
                seed: a.seed,
                ..UmapParams::default()
            };
            let mut u = Umap::new(&x, &start, &p).map_err(|e| Fail::Input(e.to_string()))?;
            u.step(usize::MAX);
            u.layout()
        }
    };
    let seconds = t0.elapsed().as_secs_f64();
    let trust = a.trust.map(|k| trustworthiness(&x, &map, k));
    let mut csv = String::from("index,id,x,y\n");
    for r in 0..n {
        let _ = writeln!(
            csv,
            "{r},{},{},{}",
            csv_field(&ids[r]),
            map[2 * r],
            map[2 * r + 1]
        );
    }
    match &a.out {
        Some(path) => common::write(std::path::Path::new(path), &csv)?,
        None if !a.json => print!("{csv}"),
        None => {}
    }
    let json = serde_json::json!({
        "method": a.method, "points": n, "dimensions": x.ncols(), "seconds": seconds,
        "trustworthiness": trust, "k": a.trust,
    });
    if a.json {
        println!("{json}");
    } else {
        eprintln!(
            "{} of {n} points in {} dimensions: {seconds:.2} s{}",
            a.method,
            x.ncols(),
            trust.map_or(String::new(), |t| format!(
                "; trustworthiness at {}: {t:.3}",
                a.trust.unwrap_or(0)
            ))
        );
    }
    Ok(())
}

/// Tab-separated rows of numbers, all of one length; a bad cell is named by line and column.
fn read_vectors(text: &str) -> Result<Array2<f32>, String> {
    let mut values = Vec::new();
    let mut width = None;
    let mut rows = 0;
    for (l, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut col = 1;
        let mut count = 0;
        for cell in line.split('\t') {
            let v: f32 = cell.trim().parse().map_err(|_| {
                format!(
                    "line {}, column {col}: \"{}\" is not a number",
                    l + 1,
                    cell.trim()
                )
            })?;
            if !v.is_finite() {
                return Err(format!("line {}, column {col}: not a finite number", l + 1));
            }
            values.push(v);
            col += cell.len() + 1;
            count += 1;
        }
        match width {
            None => width = Some(count),
            Some(w) if w != count => {
                return Err(format!(
                    "line {}: {count} values, but the first row has {w}",
                    l + 1
                ))
            }
            _ => {}
        }
        rows += 1;
    }
    let w = width.ok_or("no vectors in the file")?;
    Array2::from_shape_vec((rows, w), values).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_are_read_and_bad_cells_named() {
        let x = read_vectors("1\t2\n3\t4\n\n").unwrap();
        assert_eq!(x.dim(), (2, 2));
        assert_eq!(
            read_vectors("1\t2\n3\tx\n").unwrap_err(),
            "line 2, column 3: \"x\" is not a number"
        );
        assert_eq!(
            read_vectors("1\t2\n3\n").unwrap_err(),
            "line 2: 1 values, but the first row has 2"
        );
        assert!(read_vectors("").is_err());
    }
}
