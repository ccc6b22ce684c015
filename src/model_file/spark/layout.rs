//! Which files of a saved `ALSModel` folder hold what, from the folder's file paths alone: one
//! rule for the command line (a folder on disk) and the page (a folder picked, dropped or
//! unzipped, as a list of paths).
//!
//! The metadata and each side's factors are the `part-*` files (not the `.crc` checksums nor
//! `_SUCCESS`) in `metadata/`, `userFactors/` and `itemFactors/`, in name order; the id maps mfp
//! writes when the data's ids are not integers, `users.csv` and `items.csv`, sit in the model's
//! own folder, the one that holds `metadata/`.

use crate::error::{Error, Result};

/// Indices into the list of paths given to [`layout`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Layout {
    pub metadata: usize,
    pub users: Vec<usize>,
    pub items: Vec<usize>,
    pub user_map: Option<usize>,
    pub item_map: Option<usize>,
}

/// The layout of a folder whose files have these paths (`/`-separated, relative to the folder
/// or to one above it). Fails, naming `folder` and what is missing, when the metadata is not
/// there, or with `sides`, when a factor table is not: a reader first checks the metadata (a
/// folder of another Spark model is refused as that), then asks again with `sides`.
///
/// ```
/// use mf_playground::model_file::spark::layout::layout;
/// let paths = ["m/itemFactors/part-1", "m/metadata/part-0", "m/metadata/_SUCCESS",
///     "m/userFactors/part-0", "m/userFactors/.part-0.crc", "m/users.csv", "m/items.csv"];
/// let l = layout(&paths.map(String::from), "m", true).unwrap();
/// assert_eq!((l.metadata, l.users, l.items), (1, vec![3], vec![0]));
/// assert_eq!((l.user_map, l.item_map), (Some(5), Some(6)));
/// ```
pub fn layout(paths: &[String], folder: &str, sides: bool) -> Result<Layout> {
    let parts = |dir: &str| -> Vec<usize> {
        let mut found: Vec<usize> = (0..paths.len())
            .filter(|&k| {
                let mut segments = paths[k].rsplit('/');
                let name = segments.next().unwrap_or("");
                segments.next() == Some(dir) && name.starts_with("part-")
            })
            .collect();
        found.sort_by(|&a, &b| paths[a].cmp(&paths[b]));
        found
    };
    let (metadata, users, items) = (
        parts("metadata"),
        parts("userFactors"),
        parts("itemFactors"),
    );
    let missing: Vec<&str> = [
        ("metadata/", &metadata),
        ("userFactors/", &users),
        ("itemFactors/", &items),
    ]
    .iter()
    .filter(|(_, p)| p.is_empty())
    .map(|(d, _)| *d)
    .collect();
    // Without the metadata nothing is known; without a table, the reader asks with `sides`.
    if metadata.is_empty() || (sides && !missing.is_empty()) {
        return Err(Error::BadFile {
            file: folder.to_string(),
            message: format!(
                "not a saved Spark ALS model: no part files in {} (ALSModel.save writes metadata/, \
                 userFactors/ and itemFactors/)",
                missing.join(", ")
            ),
        });
    }
    let meta = &paths[metadata[0]];
    let root: Vec<&str> = meta.split('/').collect();
    let root = root[..root.len().saturating_sub(2)].join("/");
    let map = |name: &str| {
        let want = if root.is_empty() {
            name.to_string()
        } else {
            format!("{root}/{name}")
        };
        paths.iter().position(|p| *p == want)
    };
    Ok(Layout {
        metadata: metadata[0],
        users,
        items,
        user_map: map("users.csv"),
        item_map: map("items.csv"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_metadata_is_found_first_and_missing_tables_named_when_asked() {
        let paths = [
            "x/metadata/part-00000".to_string(),
            "x/userFactors/_SUCCESS".to_string(),
        ];
        // Without the tables: found, for the metadata to be read (and refused if it is not an
        // ALS model's); asked with the tables, the missing ones are named.
        assert_eq!(layout(&paths, "x", false).unwrap().metadata, 0);
        let e = layout(&paths, "x", true).unwrap_err().to_string();
        assert!(
            e.starts_with(
                "x: not a saved Spark ALS model: no part files in userFactors/, itemFactors/"
            ),
            "{e}"
        );
        let e = layout(&[], "y", false).unwrap_err().to_string();
        assert!(
            e.contains("no part files in metadata/, userFactors/, itemFactors/"),
            "{e}"
        );
    }
}
