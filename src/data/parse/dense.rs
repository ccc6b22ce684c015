//! The dense reader: a row per user and a column per item, blank, `?`, `NA` or `NaN` cells
//! missing, optionally a header row of item ids and a first column of user ids, optionally 0
//! read as "no interaction".

use super::*;

pub(super) fn read_dense(
    text: &str,
    d: &Detected,
    opts: &ReadOptions,
    progress: &mut dyn FnMut(f64),
) -> Result<Ratings> {
    let lines: Vec<(usize, &str)> = content_lines(text).collect();
    let split = |line_no: usize, l: &str| {
        d.delimiter
            .split(l)
            .map_err(|(col, msg)| Error::parse(line_no, col, msg))
    };
    let (header, body) = if d.header {
        let (n, l) = lines[0];
        (Some(split(n, l)?), &lines[1..])
    } else {
        (None, &lines[..])
    };
    if body.is_empty() {
        return Err(Error::parse(
            end_line(text),
            1,
            "the matrix has a header row but no rows",
        ));
    }
    let first_row = split(body[0].0, body[0].1)?;
    // A first column of user ids: a non-numeric cell in it, or a header one cell wider than it
    // has item columns.
    let labelled_rows = body.iter().take(SNIFF_LINES).any(|&(n, l)| {
        split(n, l)
            .ok()
            .and_then(|r| r.first().cloned())
            .is_some_and(|c| !is_number(&c) && !is_missing_token(&c))
    }) || header.as_ref().is_some_and(|h| {
        h.first().is_some_and(|c| c.is_empty() || !is_number(c))
            && h.len() == first_row.len()
            && h.first()
                .is_some_and(|c| c.is_empty() || c.eq_ignore_ascii_case("user"))
    });
    let skip = labelled_rows as usize;
    let n_items = first_row.len() - skip.min(first_row.len());
    if n_items == 0 {
        return Err(Error::parse(body[0].0, 1, "the row has no rating cells"));
    }
    let item_ids: Vec<String> = match &header {
        Some(h) => {
            let ids: Vec<String> = h
                .iter()
                .skip(h.len().saturating_sub(n_items))
                .cloned()
                .collect();
            if ids.len() != n_items {
                return Err(Error::parse(
                    lines[0].0,
                    h.len() + 1,
                    format!(
                        "the header has {} item names for {n_items} columns",
                        h.len()
                    ),
                ));
            }
            ids
        }
        None => (1..=n_items).map(|j| j.to_string()).collect(),
    };
    let mut dup = HashMap::new();
    for (j, id) in item_ids.iter().enumerate() {
        check_id(id, "item name", lines[0].0, j + 1 + skip)?;
        if let Some(k) = dup.insert(id.as_str(), j) {
            return Err(Error::parse(
                lines[0].0,
                j + 1 + skip,
                format!(
                    "item \"{}\" names columns {} and {}",
                    clip(id),
                    k + 1 + skip,
                    j + 1 + skip
                ),
            ));
        }
    }
    let mut rows = Vec::new();
    let mut user_ids = Vec::with_capacity(body.len());
    for (r, &(line_no, line)) in body.iter().enumerate() {
        if r % 4096 == 0 {
            progress(r as f64 / body.len() as f64);
        }
        let cells = split(line_no, line)?;
        if cells.len() != n_items + skip {
            return Err(Error::parse(
                line_no,
                cells.len().min(n_items + skip) + 1,
                format!(
                    "row has {} cells, the first row has {}",
                    cells.len(),
                    n_items + skip
                ),
            ));
        }
        let user = if skip == 1 {
            if cells[0].is_empty() {
                return Err(Error::parse(line_no, 1, "the user id is empty"));
            }
            check_id(&cells[0], "user id", line_no, 1)?;
            cells[0].clone()
        } else {
            (r + 1).to_string()
        };
        for (j, cell) in cells.iter().skip(skip).enumerate() {
            if is_missing_token(cell) {
                continue;
            }
            let v = parse_value(cell, line_no, j + 1 + skip)?;
            if opts.zero_is_missing && v == 0.0 {
                continue;
            }
            rows.push((
                user.clone(),
                item_ids[j].clone(),
                value_of(v, opts),
                line_no,
                j + 1 + skip,
                None,
            ));
        }
        user_ids.push(user);
    }
    progress(1.0);
    build(
        rows,
        user_ids,
        item_ids,
        opts,
        (body[0].0, skip + 1, "every cell of the matrix is missing"),
    )
}
