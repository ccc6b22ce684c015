//! Readers for rating files, with detection that the caller can override.
//!
//! Two shapes of file are read:
//!
//! * **triplets**, one rating per line: `user, item, rating[, timestamp]`, separated by commas,
//!   tabs, semicolons, pipes, `::` or whitespace, with or without a header line. MovieLens
//!   `u.data` (tab) and `ratings.dat` (`::`) are triplet files. A file with two fields per line
//!   is a list of interactions (implicit feedback, every value 1).
//! * **dense** matrices, a row per user and a column per item, whose blank, `?`, `NA` or `NaN`
//!   cells are missing; optionally a header row of item ids and a first column of user ids;
//!   optionally 0 read as "no interaction" (missing) rather than as a value.
//!
//! Every error names the line and the column (the field number, 1-based) and what is wrong. No
//! input makes a reader panic.

mod dense;
mod features;
mod time;
mod titles;

use std::collections::HashMap;

use super::text::{decode, guess_delimiter, Delimiter, Encoding};
use super::{DuplicatePolicy, Feedback, Ratings, RatingsBuilder, Scale};
use crate::error::{Error, Result};
use dense::read_dense;
pub use features::{read_features, ColumnRead, FeatureFile};
pub use time::parse_time;
pub use titles::{
    genre_features, genre_names, read_item_metadata, read_item_metadata_named, read_item_titles,
};

/// The shape of a rating file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Layout {
    Triplets,
    Dense,
}

/// How to read a file. `None` fields are detected.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ReadOptions {
    pub layout: Option<Layout>,
    pub delimiter: Option<Delimiter>,
    pub header: Option<bool>,
    /// Explicit ratings or 0/1 interactions; detected as implicit when every value is 0 or 1.
    pub feedback: Option<Feedback>,
    /// Turns ratings into 0/1: `rating >= threshold` becomes 1, anything lower 0.
    pub implicit_threshold: Option<f32>,
    /// Dense matrices only: a 0 cell means "no interaction" and is left missing.
    pub zero_is_missing: bool,
    /// The declared scale; values outside it are errors. Detected from the values when `None`.
    pub scale: Option<Scale>,
    pub duplicates: DuplicatePolicy,
}

/// What a reader found, for the preview shown before loading.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Detected {
    pub layout: Layout,
    pub delimiter: Delimiter,
    pub header: bool,
    pub encoding: Encoding,
    /// Fields on the first data line.
    pub n_fields: usize,
    /// Triplets only: the fourth column holds times (seconds since 1970 or dates), read with
    /// the ratings. A fourth column of something else is ignored.
    pub timestamps: bool,
}

/// Lines looked at to detect the layout.
const SNIFF_LINES: usize = 20;

/// Text that marks a missing cell in a dense matrix.
fn is_missing_token(s: &str) -> bool {
    matches!(
        s,
        "" | "?" | "NA" | "na" | "N/A" | "NaN" | "nan" | "NAN" | "null"
    )
}

fn is_number(s: &str) -> bool {
    s.parse::<f64>().is_ok()
}

/// Every line, with its 1-based number. `\r\n`, `\n` and a lone `\r` (old Mac files) each
/// end a line.
fn all_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n')
        .flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r'))
        .enumerate()
        .map(|(k, l)| (k + 1, l))
}

/// Non-blank, non-comment lines with their 1-based line numbers.
fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    all_lines(text).filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}

/// The line after the last one, where "nothing more" errors point.
fn end_line(text: &str) -> usize {
    let n = all_lines(text).count();
    if text.ends_with('\n') || text.ends_with('\r') {
        n
    } else {
        n + 1
    }
}

/// Ids longer than this are refused: they are not ids, and the page would have to draw them.
pub const MAX_ID_CHARS: usize = 1_000;

/// An error for an id longer than [`MAX_ID_CHARS`], if `id` is one.
fn check_id(id: &str, what: &str, line: usize, column: usize) -> Result<()> {
    if id.len() > MAX_ID_CHARS && id.chars().count() > MAX_ID_CHARS {
        return Err(Error::parse(
            line,
            column,
            format!(
                "the {what} is {} characters long; ids are at most {MAX_ID_CHARS}",
                id.chars().count()
            ),
        ));
    }
    Ok(())
}

/// A NUL character means binary data or UTF-16 without a byte-order mark: say so, and where,
/// rather than report the garbled fields it would make.
fn check_no_nul(text: &str) -> Result<()> {
    let Some(pos) = text.find('\0') else {
        return Ok(());
    };
    let (line_no, line) = all_lines(text)
        .find(|(_, l)| {
            let start = l.as_ptr() as usize - text.as_ptr() as usize;
            (start..=start + l.len()).contains(&pos)
        })
        .unwrap_or((1, text));
    let at = pos - (line.as_ptr() as usize - text.as_ptr() as usize);
    let sample: Vec<&str> = content_lines(text)
        .take(SNIFF_LINES)
        .map(|(_, l)| l)
        .collect();
    let column = guess_delimiter(&sample)
        .split(&line[..at])
        .map_or(1, |f| f.len().max(1));
    Err(Error::parse(
        line_no,
        column,
        format!(
            "the file holds a NUL character (character {} of the line): it looks like binary \
             data or UTF-16 text without a byte-order mark; save it as UTF-8 text",
            line[..at].chars().count() + 1
        ),
    ))
}

/// Detects layout, delimiter and header from the first lines of `text`, keeping any choice the
/// options already make.
pub fn detect(text: &str, encoding: Encoding, opts: &ReadOptions) -> Result<Detected> {
    let sample: Vec<&str> = content_lines(text)
        .take(SNIFF_LINES)
        .map(|(_, l)| l)
        .collect();
    if sample.is_empty() {
        return Err(Error::parse(
            end_line(text),
            1,
            "the file has no lines with data (only blank lines or # comments)",
        ));
    }
    let delimiter = opts.delimiter.unwrap_or_else(|| guess_delimiter(&sample));
    let split = |l: &str| delimiter.split(l).unwrap_or_default();
    let first = split(sample[0]);
    let body: Vec<Vec<String>> = sample.iter().skip(1).map(|l| split(l)).collect();
    let all: Vec<Vec<String>> = std::iter::once(first.clone())
        .chain(body.iter().cloned())
        .collect();
    // The most common width (ties: the earliest line's): a ragged line must not decide the
    // layout, it is reported when read.
    let typical = most_common_width(&all).unwrap_or(first.len());
    let layout = opts.layout.unwrap_or({
        let has_missing = all.iter().any(|r| {
            r.iter()
                .skip(1)
                .any(|c| c.is_empty() || is_missing_token(c) && c != "null")
        });
        if typical > 4 || (typical >= 3 && has_missing && !triplet_like(&all)) {
            Layout::Dense
        } else {
            Layout::Triplets
        }
    });
    let header = opts.header.unwrap_or_else(|| match layout {
        // A header names its columns: its rating field (or second field) is not a number.
        Layout::Triplets => {
            let k = if first.len() >= 3 {
                2
            } else {
                first.len().saturating_sub(1)
            };
            // With no line after it, only column names make a first line a header.
            let rating_is_text = first.get(k).is_some_and(|f| !is_number(f))
                && body
                    .first()
                    .and_then(|r| r.get(k))
                    .is_some_and(|f| is_number(f));
            // Two-column interaction lists have no rating to test: look for column names.
            let named = first.iter().all(|f| !is_number(f))
                && first.iter().any(|f| {
                    let f = f.to_ascii_lowercase();
                    ["user", "item", "movie", "product", "rating", "score"]
                        .iter()
                        .any(|w| f.contains(w))
                });
            first.len() >= 2 && (rating_is_text || named)
        }
        Layout::Dense => first
            .iter()
            .skip(1)
            .any(|c| !is_number(c) && !is_missing_token(c)),
    });
    let data_row = if header { body.first() } else { Some(&first) };
    let n_fields = data_row.map_or(first.len(), Vec::len);
    Ok(Detected {
        layout,
        delimiter,
        header,
        encoding,
        n_fields,
        timestamps: layout == Layout::Triplets
            && typical == 4
            && data_row
                .and_then(|r| r.get(3))
                .is_some_and(|f| parse_time(f).is_some()),
    })
}

/// Rows of 3-4 fields whose third field is a number on at least half of the lines (a header
/// line and a bad line among them) look like triplets.
fn triplet_like(rows: &[Vec<String>]) -> bool {
    let n = rows
        .iter()
        .filter(|r| {
            (r.len() == 3 || r.len() == 4)
                && r.get(2)
                    .is_some_and(|f| is_number(f) && !is_missing_token(f))
        })
        .count();
    n * 2 >= rows.len()
}

/// The width most lines have; ties go to the earliest line's.
fn most_common_width(rows: &[Vec<String>]) -> Option<usize> {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for r in rows {
        match counts.iter_mut().find(|(w, _)| *w == r.len()) {
            Some(c) => c.1 += 1,
            None => counts.push((r.len(), 1)),
        }
    }
    // max_by_key keeps the last of equal maxima: search in reverse for the first.
    counts.iter().rev().max_by_key(|(_, n)| *n).map(|(w, _)| *w)
}

/// Reads ratings from a file's bytes.
///
/// ```
/// use mf_playground::data::parse::{read_ratings, ReadOptions};
/// let (r, d) = read_ratings(b"user,item,rating\nann,heat,4\nbob,heat,5\n", &ReadOptions::default()).unwrap();
/// assert_eq!((r.n_users(), r.n_items(), r.len(), d.header), (2, 1, 2, true));
/// let e = read_ratings(b"ann,heat,4\nbob,heat,x\n", &ReadOptions::default()).unwrap_err();
/// assert_eq!(e.to_string(), "line 2, column 3: rating \"x\" is not a number");
/// ```
pub fn read_ratings(bytes: &[u8], opts: &ReadOptions) -> Result<(Ratings, Detected)> {
    read_ratings_with_progress(bytes, opts, &mut |_| {})
}

/// [`read_ratings`], calling `progress` with the fraction of lines read every 65,536 lines.
pub fn read_ratings_with_progress(
    bytes: &[u8],
    opts: &ReadOptions,
    progress: &mut dyn FnMut(f64),
) -> Result<(Ratings, Detected)> {
    if bytes.is_empty() {
        return Err(Error::parse(1, 1, "the file is empty"));
    }
    let (text, encoding) = decode(bytes);
    check_no_nul(&text)?;
    let detected = detect(&text, encoding, opts)?;
    let ratings = match detected.layout {
        Layout::Triplets => read_triplets(&text, &detected, opts, progress)?,
        Layout::Dense => read_dense(&text, &detected, opts, progress)?,
    };
    Ok((ratings, detected))
}

/// What a value becomes, given the options.
fn value_of(raw: f32, opts: &ReadOptions) -> f32 {
    match opts.implicit_threshold {
        Some(t) => (raw >= t) as u8 as f32,
        None => raw,
    }
}

fn parse_value(field: &str, line: usize, column: usize) -> Result<f32> {
    if field.is_empty() {
        return Err(Error::parse(line, column, "the rating is empty"));
    }
    let v: f32 = field.parse().map_err(|_| {
        // "4,5": a decimal comma, as some locales write numbers.
        let comma = field.split_once(',').is_some_and(|(a, b)| {
            !a.is_empty() && !b.is_empty() && is_number(a) && b.bytes().all(|c| c.is_ascii_digit())
        });
        let hint = if comma {
            ": write decimals with a point (4.5), or separate fields with something else"
        } else {
            ""
        };
        Error::parse(
            line,
            column,
            format!("rating \"{}\" is not a number{hint}", clip(field)),
        )
    })?;
    if v.is_infinite() && field.parse::<f64>().is_ok_and(f64::is_finite) {
        return Err(Error::parse(
            line,
            column,
            format!(
                "rating \"{}\" is too large (ratings are 32-bit numbers, at most 3.4e38)",
                clip(field)
            ),
        ));
    }
    if !v.is_finite() {
        return Err(Error::parse(
            line,
            column,
            format!("rating \"{}\" is not a finite number", clip(field)),
        ));
    }
    Ok(v)
}

/// At most 40 characters of a field, for messages.
fn clip(s: &str) -> String {
    if s.chars().count() <= 40 {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(40).collect::<String>())
    }
}

/// One rating as read: user, item, value, line, the value's column, and its time.
type Row = (String, String, f32, usize, usize, Option<i64>);

/// Collects raw values first, so feedback and scale can be decided once all are known.
struct Collector {
    rows: Vec<Row>,
}

fn build(
    rows: Vec<Row>,
    extra_users: Vec<String>,
    extra_items: Vec<String>,
    opts: &ReadOptions,
    empty: (usize, usize, &str),
) -> Result<Ratings> {
    if rows.is_empty() {
        return Err(Error::parse(empty.0, empty.1, empty.2));
    }
    let feedback = opts.feedback.unwrap_or_else(|| {
        if opts.implicit_threshold.is_some() || rows.iter().all(|r| r.2 == 0.0 || r.2 == 1.0) {
            Feedback::Implicit
        } else {
            Feedback::Explicit
        }
    });
    let mut b = RatingsBuilder::new(feedback).duplicates(opts.duplicates);
    if let Some(s) = opts.scale {
        for &(_, _, v, line, col, _) in &rows {
            if v < s.min || v > s.max {
                return Err(Error::parse(
                    line,
                    col,
                    format!(
                        "rating {v} is outside the declared scale {}..{}",
                        s.min, s.max
                    ),
                ));
            }
        }
        b = b.scale(s.min, s.max);
    }
    for u in &extra_users {
        b.add_user(u);
    }
    for i in &extra_items {
        b.add_item(i);
    }
    let mut lines: Vec<usize> = Vec::with_capacity(rows.len());
    for (user, item, v, line, col, time) in rows {
        if feedback == Feedback::Implicit && v != 0.0 && v != 1.0 {
            return Err(Error::parse(
                line,
                col,
                format!("value {v} is not 0 or 1, as implicit feedback must be"),
            ));
        }
        let before = b.len();
        b.push_tracked(&user, &item, v, time)
            .map_err(|(e, first)| match first {
                Some(k) => Error::parse(
                    line,
                    col,
                    format!(
                        "user \"{}\" already rated item \"{}\" on line {}",
                        clip(&user),
                        clip(&item),
                        lines[k]
                    ),
                ),
                None => Error::parse(line, col, e.to_string()),
            })?;
        if b.len() > before {
            lines.push(line);
        }
    }
    b.build()
}

fn read_triplets(
    text: &str,
    d: &Detected,
    opts: &ReadOptions,
    progress: &mut dyn FnMut(f64),
) -> Result<Ratings> {
    let total = text.len().max(1) as f64;
    let mut c = Collector { rows: Vec::new() };
    let mut expected: Option<usize> = None;
    let mut offset = 0usize;
    for (n, (line_no, line)) in content_lines(text).enumerate() {
        if n == 0 && d.header {
            continue;
        }
        if n % 65_536 == 0 {
            offset = line.as_ptr() as usize - text.as_ptr() as usize;
            progress(offset as f64 / total);
        }
        let fields = d
            .delimiter
            .split(line)
            .map_err(|(col, msg)| Error::parse(line_no, col, msg))?;
        let width = *expected.get_or_insert(fields.len());
        if fields.len() != width && (2..=4).contains(&width) {
            return Err(Error::parse(
                line_no,
                fields.len().min(width) + 1,
                format!(
                    "found {} field{} where earlier lines have {width}",
                    fields.len(),
                    if fields.len() == 1 { "" } else { "s" }
                ),
            ));
        }
        if fields.len() < 2 || fields.len() > 4 {
            return Err(Error::parse(
                line_no,
                fields.len().min(4) + 1,
                format!(
                    "expected user {} item {} rating (and an optional timestamp): found {} field{}",
                    d.delimiter.name(),
                    d.delimiter.name(),
                    fields.len(),
                    if fields.len() == 1 { "" } else { "s" }
                ),
            ));
        }
        for (col, what) in [(0, "user id"), (1, "item id")] {
            if fields[col].is_empty() {
                return Err(Error::parse(
                    line_no,
                    col + 1,
                    format!("the {what} is empty"),
                ));
            }
            check_id(&fields[col], what, line_no, col + 1)?;
        }
        let raw = if width == 2 {
            1.0
        } else {
            parse_value(&fields[2], line_no, 3)?
        };
        let time = match fields.get(3) {
            Some(t) if d.timestamps => Some(parse_time(t).ok_or_else(|| {
                Error::parse(
                    line_no,
                    4,
                    format!(
                        "timestamp \"{}\" is not a time: earlier lines give seconds since 1970 \
                         or a date such as 2015-03-01 14:30",
                        clip(t)
                    ),
                )
            })?),
            _ => None,
        };
        let mut f = fields.into_iter();
        let (user, item) = (f.next().unwrap_or_default(), f.next().unwrap_or_default());
        c.rows
            .push((user, item, value_of(raw, opts), line_no, 3.min(width), time));
    }
    let _ = offset;
    progress(1.0);
    build(
        c.rows,
        Vec::new(),
        Vec::new(),
        opts,
        (end_line(text), 1, "the file has a header but no ratings"),
    )
}

/// The first `n` data lines of a file split into fields the way `detected` says, header
/// included, for a preview table. Lines that do not split are shown whole.
pub fn preview_rows(bytes: &[u8], detected: &Detected, n: usize) -> Vec<Vec<String>> {
    let (text, _) = decode(bytes);
    content_lines(&text)
        .take(n)
        .map(|(_, l)| {
            detected
                .delimiter
                .split(l)
                .unwrap_or_else(|_| vec![l.to_string()])
        })
        .map(|r| r.into_iter().map(|f| clip(&f)).collect())
        .collect()
}

#[cfg(test)]
mod feature_tests;
#[cfg(test)]
mod tests;
