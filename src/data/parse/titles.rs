//! Item titles (and genres) from `u.item`, `movies.dat` or an `id,title` CSV.

use super::*;

/// Reads item titles: `u.item` (`id|title|...`), `movies.dat` (`id::title::genres`) or a CSV/TSV
/// `id,title[,...]` with or without a header. Titles of items the ratings do not mention are
/// ignored. Returns how many items got a title.
pub fn read_item_titles(bytes: &[u8], ratings: &mut Ratings) -> Result<usize> {
    read_item_metadata(bytes, ratings).map(|(n, _)| n)
}

/// [`read_item_titles`], also returning the first genre of each item from a third field that
/// lists genres separated by `|` (`Crime|Drama` gives `Crime`; `None` where there is none), as
/// MovieLens and MovieTweetings `movies.dat` do. One pass over the file for both.
pub fn read_item_metadata(
    bytes: &[u8],
    ratings: &mut Ratings,
) -> Result<(usize, Vec<Option<String>>)> {
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
    let mut genres = vec![None; ratings.n_items()];
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
            genres[k] = fields
                .get(2)
                .and_then(|g| g.split('|').next())
                .filter(|g| !g.is_empty())
                .map(str::to_string);
        }
    }
    let n = titles.len();
    for (k, t) in titles {
        ratings.set_item_label(k, t);
    }
    Ok((n, genres))
}
