//! Feature files: what each user or item is, beside its ratings.
//!
//! Read shapes, detected from the lines (separated as rating files are):
//!
//! * **lists**, `id,feature|feature|...`: an item's genres or tags (`1,Comedy|Drama`), one line
//!   per id or several (their features add up);
//! * **columns**, `id,attribute,attribute,...`, with a header naming them or without (then named
//!   `column 2`, ...): a column of words is categorical (`gender=M`), a column of numbers with
//!   more than [`MAX_LEVELS`] distinct values is cut into [`BINS`] bins of equal counts
//!   (`age 25-31`), one with fewer is categorical (a code); a cell may list several values
//!   separated by `|`; blank and `NA` cells are missing;
//! * MovieLens's own files, read as they come: `u.item` (its 19 genre flags), `movies.dat`
//!   (`id::title::genres`), `u.user` (`id|age|gender|occupation|zip`) and `users.dat`
//!   (`id::gender::age::occupation::zip`).
//!
//! A categorical column with a different value on almost every line (a zip code, a name) is an
//! identifier, not a feature: it is skipped and the notes say so. Ids the ratings do not have are
//! counted and skipped; a file none of whose ids the ratings have is refused, as is a number
//! column with a word in it and a side with more than [`MAX_FEATURES`] features, each with the
//! line and the column.

use super::titles::{line_genres, MOVIELENS_GENRES};
use super::*;
use crate::data::features::{FeatureBuilder, FeatureMatrix, MAX_FEATURES};
use crate::data::Side;

/// A numeric column with at most this many distinct values is read as categories (codes, bands).
pub const MAX_LEVELS: usize = 20;

/// How many bins of equal counts a numeric column is cut into.
pub const BINS: usize = 5;

/// A features file as read.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureFile {
    pub matrix: FeatureMatrix,
    /// What the file was read as (`lists`, `columns`, `u.item genres`, ...).
    pub format: &'static str,
    /// Each column read, and how.
    pub columns: Vec<ColumnRead>,
    /// Lines whose id the ratings have, and lines whose id they do not (skipped).
    pub matched: usize,
    pub unmatched: usize,
}

/// One column of a features file and what became of it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnRead {
    pub name: String,
    /// `list`, `categorical`, `numeric` (binned) or `skipped`.
    pub kind: &'static str,
    /// Its distinct features (or, skipped, its distinct values).
    pub distinct: usize,
}

/// How one column's cells become features.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// Each `|`-separated value is a feature.
    Categorical,
    /// Binned by these edges (a value goes to the bin of the edges at or below it), each bin
    /// named.
    Numeric {
        edges: Vec<f64>,
        names: Vec<String>,
    },
    Skipped,
}

/// Reads the features of `ratings`' users or items (see the module documentation).
pub fn read_features(bytes: &[u8], ratings: &Ratings, side: Side) -> Result<FeatureFile> {
    let (text, _) = decode(bytes);
    check_no_nul(&text)?;
    let lines: Vec<(usize, &str)> = content_lines(&text).collect();
    if lines.is_empty() {
        return Err(Error::parse(
            end_line(&text),
            1,
            "the features file has no lines",
        ));
    }
    let sample: Vec<&str> = lines.iter().take(SNIFF_LINES).map(|(_, l)| *l).collect();
    let delimiter = features_delimiter(&sample);
    let ids = ratings.ids(side);
    let index: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(k, id)| (id.as_str(), k))
        .collect();
    let mut rows: Vec<(usize, usize, Vec<String>)> = Vec::with_capacity(lines.len());
    for (line_no, line) in &lines {
        let fields = delimiter
            .split(line)
            .map_err(|(col, msg)| Error::parse(*line_no, col, msg))?;
        if fields.len() < 2 {
            return Err(Error::parse(
                *line_no,
                2,
                format!(
                    "expected {} id and its features: found one field (separated by {})",
                    match side {
                        Side::User => "a user",
                        Side::Item => "an item",
                    },
                    delimiter.name()
                ),
            ));
        }
        check_id(&fields[0], &format!("{} id", side.name()), *line_no, 1)?;
        rows.push((*line_no, usize::MAX, fields));
    }
    let mut matched = 0;
    for row in &mut rows {
        if let Some(&k) = index.get(row.2[0].as_str()) {
            row.1 = k;
            matched += 1;
        }
    }
    // A first line whose id the ratings lack, above lines whose ids they have, is a header.
    let header = rows[0].1 == usize::MAX && matched > 0;
    if matched == 0 {
        return Err(Error::parse(
            rows[0].0,
            1,
            format!(
                "none of the file's {} ids is one of the ratings' {}s (the first is \"{}\"): is it \
                 the {} features?",
                rows.len(),
                side.name(),
                clip(&rows[0].2[0]),
                match side {
                    Side::User => "items'",
                    Side::Item => "users'",
                }
            ),
        ));
    }
    let head = header.then(|| rows.remove(0).2);
    let unmatched = rows.iter().filter(|r| r.1 == usize::MAX).count();
    let width = rows.iter().map(|r| r.2.len()).max().unwrap_or(2);
    let (format, names, lists) = shape(side, delimiter, head.as_deref(), width, &rows)?;
    let mut per_row: Vec<Vec<String>> = vec![Vec::new(); ids.len()];
    let mut columns = Vec::new();
    let mut builder = FeatureBuilder::default();
    if let Some(lists) = lists {
        for (k, list) in lists {
            per_row[k].extend(list);
        }
        columns.push(ColumnRead {
            name: names[0].clone(),
            kind: "list",
            distinct: 0,
        });
    } else {
        let several = names.len() > 1;
        for (c, name) in names.iter().enumerate() {
            let col = c + 1; // the field after the id
                             // MovieLens's zip codes name places, one or a few users each (some are letters).
            let zip = matches!(format, "u.user" | "users.dat") && name == "zip";
            let kind = match zip {
                true => Kind::Skipped,
                false => column_kind(&rows, col, name)?,
            };
            let mut seen = std::collections::HashSet::new();
            for (_, k, fields) in rows.iter().filter(|r| r.1 != usize::MAX) {
                for value in cell_values(fields.get(col), &kind) {
                    let feature = match &kind {
                        Kind::Numeric { edges, names } => {
                            let v: f64 = value.parse().expect("checked numeric");
                            names[edges.partition_point(|e| *e <= v)].clone()
                        }
                        _ if several => format!("{name}={value}"),
                        _ => value.to_string(),
                    };
                    seen.insert(feature.clone());
                    per_row[*k].push(feature);
                }
            }
            columns.push(ColumnRead {
                name: name.clone(),
                kind: match kind {
                    Kind::Categorical => "categorical",
                    Kind::Numeric { .. } => "numeric",
                    Kind::Skipped => "skipped",
                },
                distinct: match kind {
                    Kind::Skipped => distinct_values(&rows, col),
                    _ => seen.len(),
                },
            });
        }
    }
    // Row by row, so the feature that crosses the limit is named with its line.
    let line_of: HashMap<usize, usize> = rows.iter().rev().map(|r| (r.1, r.0)).collect();
    for (k, list) in per_row.iter().enumerate() {
        for f in list {
            builder.add(f).map_err(|name| {
                Error::parse(
                    line_of.get(&k).copied().unwrap_or(1),
                    2,
                    format!(
                        "\"{}\" would be feature {}: a side has at most {MAX_FEATURES}",
                        clip(&name),
                        MAX_FEATURES + 1
                    ),
                )
            })?;
        }
        builder.end_row();
    }
    let matrix = builder.build();
    if let Some(list) = columns.iter_mut().find(|c| c.kind == "list") {
        list.distinct = matrix.n_features();
    }
    Ok(FeatureFile {
        matrix,
        format,
        columns,
        matched,
        unmatched,
    })
}

/// The delimiter of a features file: as a rating file's, except that `|` inside fields (a list
/// of features) does not outvote one comma or tab on every line.
fn features_delimiter(sample: &[&str]) -> Delimiter {
    let guess = guess_delimiter(sample);
    if guess != Delimiter::Pipe {
        return guess;
    }
    for (c, d) in [(',', Delimiter::Comma), ('\t', Delimiter::Tab)] {
        let n = sample[0].matches(c).count();
        if n > 0 && sample.iter().all(|l| l.matches(c).count() == n) {
            return d;
        }
    }
    guess
}

/// What lists each matched row's features, by the file's shape: the format's name, the
/// columns' names, and for a list-shaped file the lists themselves.
type Shape = (&'static str, Vec<String>, Option<Vec<(usize, Vec<String>)>>);

fn shape(
    side: Side,
    delimiter: Delimiter,
    head: Option<&[String]>,
    width: usize,
    rows: &[(usize, usize, Vec<String>)],
) -> Result<Shape> {
    let matched = || rows.iter().filter(|r| r.1 != usize::MAX);
    if side == Side::Item && head.is_none() {
        // u.item's flags, or movies.dat's `id::title::genres`.
        let flags = width == 5 + MOVIELENS_GENRES.len() && delimiter == Delimiter::Pipe;
        let dat = width == 3 && delimiter == Delimiter::DoubleColon;
        if flags || dat {
            let mut lists = Vec::new();
            for (line_no, k, fields) in matched() {
                let g = line_genres(fields, &MOVIELENS_GENRES).map_err(|col| {
                    Error::parse(
                        *line_no,
                        col,
                        format!(
                            "a genre flag of u.item is 0 or 1, not \"{}\"",
                            clip(&fields[col - 1])
                        ),
                    )
                })?;
                lists.push((*k, g));
            }
            let name = if flags {
                "u.item genres"
            } else {
                "movies.dat genres"
            };
            return Ok((name, vec!["genres".into()], Some(lists)));
        }
    }
    if side == Side::User && head.is_none() && width == 5 {
        if delimiter == Delimiter::Pipe {
            let names = ["age", "gender", "occupation", "zip"];
            return Ok(("u.user", names.map(String::from).to_vec(), None));
        }
        if delimiter == Delimiter::DoubleColon {
            let names = ["gender", "age", "occupation", "zip"];
            return Ok(("users.dat", names.map(String::from).to_vec(), None));
        }
    }
    let name_of = |c: usize| {
        head.and_then(|h| h.get(c))
            .filter(|n| !n.is_empty())
            .cloned()
            .unwrap_or_else(|| format!("column {}", c + 1))
    };
    let is_list = width == 2
        && delimiter != Delimiter::Pipe
        && matched().any(|r| r.2.get(1).is_some_and(|f| f.contains('|')));
    if is_list {
        let lists = matched()
            .map(|(_, k, f)| (*k, split_cell(f.get(1)).map(str::to_string).collect()))
            .collect();
        return Ok(("lists", vec![name_of(1)], Some(lists)));
    }
    Ok(("columns", (1..width).map(name_of).collect(), None))
}

/// The values of one cell: `|`-separated, trimmed, without the blank and `NA` ones.
fn split_cell(cell: Option<&String>) -> impl Iterator<Item = &str> {
    cell.map_or("", String::as_str)
        .split('|')
        .map(str::trim)
        .filter(|v| !is_missing_token(v))
}

fn cell_values<'a>(cell: Option<&'a String>, kind: &Kind) -> Vec<&'a str> {
    match kind {
        Kind::Skipped => Vec::new(),
        _ => split_cell(cell).collect(),
    }
}

fn distinct_values(rows: &[(usize, usize, Vec<String>)], col: usize) -> usize {
    let mut seen = std::collections::HashSet::new();
    for r in rows.iter().filter(|r| r.1 != usize::MAX) {
        seen.extend(split_cell(r.2.get(col)));
    }
    seen.len()
}

/// Whether column `col` is categorical, numeric (binned) or an identifier to skip. A column
/// at least nine in ten of whose values are numbers is numeric, and a word in it is an error.
fn column_kind(rows: &[(usize, usize, Vec<String>)], col: usize, name: &str) -> Result<Kind> {
    let cells: Vec<(usize, &str)> = rows
        .iter()
        .filter(|r| r.1 != usize::MAX)
        .flat_map(|r| split_cell(r.2.get(col)).map(move |v| (r.0, v)))
        .collect();
    let numbers: Vec<f64> = cells
        .iter()
        .filter_map(|(_, v)| v.parse::<f64>().ok().filter(|x| x.is_finite()))
        .collect();
    let mut distinct: Vec<&str> = cells.iter().map(|c| c.1).collect();
    distinct.sort_unstable();
    distinct.dedup();
    if !numbers.is_empty() && numbers.len() * 10 >= cells.len() * 9 {
        if let Some((line, v)) = cells
            .iter()
            .find(|(_, v)| !v.parse::<f64>().is_ok_and(f64::is_finite))
        {
            return Err(Error::parse(
                *line,
                col + 1,
                format!(
                    "column \"{}\" holds numbers, and \"{}\" is not one",
                    clip(name),
                    clip(v)
                ),
            ));
        }
        if distinct.len() > MAX_LEVELS {
            return Ok(bins(name, numbers));
        }
        return Ok(Kind::Categorical);
    }
    let rows_with = rows.iter().filter(|r| r.1 != usize::MAX).count();
    // An identifier: a different value on (almost) every line.
    if distinct.len() > 50 && distinct.len() * 10 > rows_with * 8 {
        return Ok(Kind::Skipped);
    }
    Ok(Kind::Categorical)
}

/// [`BINS`] bins of about equal counts, each named by the least and the greatest value in it.
fn bins(name: &str, mut values: Vec<f64>) -> Kind {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let mut edges: Vec<f64> = (1..BINS).map(|b| values[n * b / BINS]).collect();
    edges.dedup();
    edges.retain(|&e| e > values[0]);
    let mut names = Vec::new();
    for b in 0..=edges.len() {
        let lo_at = if b == 0 {
            0
        } else {
            values.partition_point(|v| *v < edges[b - 1])
        };
        let hi_at = if b == edges.len() {
            n
        } else {
            values.partition_point(|v| *v < edges[b])
        };
        let (lo, hi) = (values[lo_at], values[hi_at - 1]);
        names.push(if lo == hi {
            format!("{name} {lo}")
        } else {
            format!("{name} {lo}-{hi}")
        });
    }
    Kind::Numeric { edges, names }
}
