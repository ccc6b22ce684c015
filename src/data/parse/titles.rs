//! Item titles (and genres) from `u.item`, `movies.dat` or an `id,title` CSV.
//!
//! Genres come from a third field that lists them separated by `|` (`movies.dat`:
//! `Crime|Drama`), or from MovieLens 100K's 19 genre flags: `u.item` lines are
//! `id|title|release date|video release date|IMDb URL|unknown|Action|...|Western`, the last 19
//! fields 0 or 1, named as MovieLens's `u.genre` names them (or as a `u.genre` file given with
//! it names them: [`genre_names`]).

use super::*;
use crate::data::{FeatureMatrix, Side};

/// MovieLens 100K's genres, in the order of `u.item`'s flags (its `u.genre`).
pub const MOVIELENS_GENRES: [&str; 19] = [
    "unknown",
    "Action",
    "Adventure",
    "Animation",
    "Children's",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Fantasy",
    "Film-Noir",
    "Horror",
    "Musical",
    "Mystery",
    "Romance",
    "Sci-Fi",
    "Thriller",
    "War",
    "Western",
];

/// The genres of a `u.item` line from its 19 flags, if its fields end with them: every flagged
/// genre, "unknown" only when nothing else is flagged (an empty list when no flag is set). `Err`
/// holds the column of a flag that is not 0 or 1 on a line that has the flags' shape.
fn flagged_genres<'a>(
    fields: &[String],
    names: &[&'a str],
) -> Option<std::result::Result<Vec<&'a str>, usize>> {
    let n = names.len();
    // id, title, release date, video release date, IMDb URL, then the flags.
    if fields.len() != 5 + n {
        return None;
    }
    let flags = &fields[5..];
    // Only a line whose last fields are mostly 0/1 has the flags' shape.
    if flags.iter().filter(|f| *f == "0" || *f == "1").count() < n - 1 {
        return None;
    }
    if let Some(bad) = flags.iter().position(|f| f != "0" && f != "1") {
        return Some(Err(5 + bad + 1));
    }
    let on: Vec<usize> = (0..n).filter(|&g| flags[g] == "1").collect();
    let known: Vec<&str> = on.iter().filter(|&&g| g != 0).map(|&g| names[g]).collect();
    Some(Ok(if known.is_empty() {
        on.iter().map(|&g| names[g]).collect()
    } else {
        known
    }))
}

/// The genres of one titles line: its flags (`u.item`), else a third field listing them
/// separated by `|` (`movies.dat`), else none. `Err` holds a bad flag's column.
pub(super) fn line_genres(
    fields: &[String],
    names: &[&str],
) -> std::result::Result<Vec<String>, usize> {
    Ok(match flagged_genres(fields, names) {
        Some(Ok(g)) => g.into_iter().map(str::to_string).collect(),
        Some(Err(col)) => return Err(col),
        None => fields.get(2).map_or_else(Vec::new, |g| {
            g.split('|')
                .map(str::trim)
                .filter(|g| !g.is_empty())
                .map(str::to_string)
                .collect()
        }),
    })
}

/// The genre names of a MovieLens `u.genre` file (`name|index` lines, the indices 0, 1, 2... in
/// any order), if the bytes are one: `None` when they do not look like it (a titles file), an
/// error naming the line and column when they do but an index is missing, repeated or wrong.
pub fn genre_names(bytes: &[u8]) -> Option<Result<Vec<String>>> {
    let (text, _) = decode(bytes);
    let lines: Vec<(usize, &str)> = content_lines(&text).collect();
    let shaped = |l: &str| {
        l.rsplit_once('|').is_some_and(|(name, i)| {
            !name.is_empty() && !name.contains('|') && i.trim().parse::<usize>().is_ok()
        })
    };
    if lines.is_empty() || !lines.iter().all(|(_, l)| shaped(l)) {
        return None;
    }
    let mut names: Vec<Option<String>> = vec![None; lines.len()];
    for (line_no, l) in &lines {
        let (name, i) = l.rsplit_once('|').expect("shaped");
        let i: usize = i.trim().parse().expect("shaped");
        let col = name.chars().count() + 2;
        match names.get_mut(i) {
            None => {
                return Some(Err(Error::parse(
                    *line_no,
                    col,
                    format!(
                        "genre index {i}: a u.genre file numbers its {} genres from 0",
                        lines.len()
                    ),
                )))
            }
            Some(Some(_)) => {
                return Some(Err(Error::parse(
                    *line_no,
                    col,
                    format!("genre index {i} is given twice"),
                )))
            }
            Some(slot) => *slot = Some(name.to_string()),
        }
    }
    Some(Ok(names
        .into_iter()
        .map(|n| n.expect("every index once"))
        .collect()))
}

/// Reads item titles: `u.item` (`id|title|...`), `movies.dat` (`id::title::genres`) or a CSV/TSV
/// `id,title[,...]` with or without a header. Titles of items the ratings do not mention are
/// ignored. Returns how many items got a title.
pub fn read_item_titles(bytes: &[u8], ratings: &mut Ratings) -> Result<usize> {
    read_item_metadata(bytes, ratings).map(|(n, _)| n)
}

/// [`read_item_titles`], also returning each item's genres: from MovieLens 100K's genre flags
/// (`u.item`; see [`MOVIELENS_GENRES`]), else a third field that lists genres separated by `|`
/// (`Crime|Drama`), as MovieLens and MovieTweetings `movies.dat` do; empty where there are none.
/// One pass over the file for both.
pub fn read_item_metadata(
    bytes: &[u8],
    ratings: &mut Ratings,
) -> Result<(usize, Vec<Vec<String>>)> {
    read_item_metadata_named(bytes, ratings, &MOVIELENS_GENRES)
}

/// [`read_item_metadata`] with the genre flags of `u.item` named by `names` (a `u.genre` file's,
/// see [`genre_names`]; the flags are then as many as the names).
pub fn read_item_metadata_named(
    bytes: &[u8],
    ratings: &mut Ratings,
    names: &[&str],
) -> Result<(usize, Vec<Vec<String>>)> {
    let (text, _) = decode(bytes);
    let sample: Vec<&str> = content_lines(&text)
        .take(SNIFF_LINES)
        .map(|(_, l)| l)
        .collect();
    if sample.is_empty() {
        return Err(Error::parse(
            end_line(&text),
            1,
            "the titles file has no lines",
        ));
    }
    let delimiter = guess_delimiter(&sample);
    let index: HashMap<&str, usize> = ratings
        .item_ids()
        .iter()
        .enumerate()
        .map(|(k, id)| (id.as_str(), k))
        .collect();
    let mut titles = Vec::new();
    let mut genres = vec![Vec::new(); ratings.n_items()];
    let mut titled: Vec<Option<usize>> = vec![None; ratings.n_items()];
    for (line_no, line) in content_lines(&text) {
        let fields = delimiter
            .split(line)
            .map_err(|(col, msg)| Error::parse(line_no, col, msg))?;
        if fields.len() < 2 {
            return Err(Error::parse(
                line_no,
                2,
                format!(
                    "expected item id {} title: found one field",
                    delimiter.name()
                ),
            ));
        }
        if let Some(&k) = index.get(fields[0].as_str()) {
            if let Some(first) = titled[k] {
                return Err(Error::parse(
                    line_no,
                    1,
                    format!(
                        "item \"{}\" already has a title, on line {first}",
                        clip(&fields[0])
                    ),
                ));
            }
            titled[k] = Some(line_no);
            titles.push((k, fields[1].clone()));
            genres[k] = line_genres(&fields, names).map_err(|col| {
                Error::parse(
                    line_no,
                    col,
                    format!(
                        "a genre flag of u.item is 0 or 1, not \"{}\"",
                        clip(&fields[col - 1])
                    ),
                )
            })?;
        }
    }
    let n = titles.len();
    for (k, t) in titles {
        ratings.set_item_label(k, t);
    }
    Ok((n, genres))
}

/// Gives `data`'s items their genres as features (see [`read_item_metadata`]), when any item
/// has one; leaves the features as they are otherwise.
pub fn genre_features(data: &mut Ratings, genres: &[Vec<String>]) -> Result<()> {
    if genres.iter().all(Vec::is_empty) {
        return Ok(());
    }
    let m = FeatureMatrix::from_lists(genres)?;
    data.set_features(Side::Item, Some(std::sync::Arc::new(m)))
}
