//! A Spark `ALSModel` folder on disk: reading it (any number of part files, as a cluster
//! writes them) and writing one that `ALSModel.load` accepts.

use std::path::Path;

use super::layout::layout;
use super::{Factors, SparkModel};
use crate::error::{Error, Result};

fn io(file: &Path, e: std::io::Error) -> Error {
    Error::BadFile {
        file: file.display().to_string(),
        message: e.to_string(),
    }
}

/// The paths of a saved model's files, relative to `dir`: its own files and those of its
/// `metadata/`, `userFactors/` and `itemFactors/` folders (what [`layout`] looks at).
fn listing(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for sub in ["", "metadata", "userFactors", "itemFactors"] {
        let d = dir.join(sub);
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            if e.path().is_file() {
                let name = e.file_name().to_string_lossy().into_owned();
                out.push(if sub.is_empty() {
                    name
                } else {
                    format!("{sub}/{name}")
                });
            }
        }
    }
    Ok(out)
}

/// One side's factors from all its part files.
fn read_side(dir: &Path, files: &[String], parts: &[usize], rank: usize) -> Result<Factors> {
    let mut all = Factors {
        ids: Vec::new(),
        values: Vec::new(),
    };
    for &k in parts {
        let p = dir.join(&files[k]);
        let bytes = std::fs::read(&p).map_err(|e| io(&p, e))?;
        let f = spark_parquet::read(bytes, rank).map_err(|message| Error::BadFile {
            file: p.display().to_string(),
            message,
        })?;
        all.ids.extend(f.ids);
        all.values.extend(f.values);
    }
    Ok(all)
}

/// Reads a saved `ALSModel` folder: the metadata's class and rank, then both sides' factors,
/// each row's length checked against the rank, and the id maps mfp writes beside them.
pub fn read_dir(dir: &Path) -> Result<SparkModel> {
    if !dir.is_dir() {
        return Err(Error::BadFile {
            file: dir.display().to_string(),
            message: "not a folder: a saved ALS model is a folder (metadata/, userFactors/, itemFactors/)".into(),
        });
    }
    let files = listing(dir)?;
    let name = dir.display().to_string();
    let meta = dir.join(&files[layout(&files, &name, false)?.metadata]);
    let text = std::fs::read_to_string(&meta).map_err(|e| io(&meta, e))?;
    let (rank, user_col, item_col, spark_version) =
        SparkModel::read_metadata(&text, &meta.display().to_string())?;
    let l = layout(&files, &name, true)?;
    let map = |at: Option<usize>| -> Result<Option<super::IdMap>> {
        let Some(k) = at else { return Ok(None) };
        let path = dir.join(&files[k]);
        let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
        super::read_id_map(&text, &path.display().to_string()).map(Some)
    };
    let names = match (map(l.user_map)?, map(l.item_map)?) {
        (Some(u), Some(i)) => Some((u, i)),
        _ => None,
    };
    Ok(SparkModel {
        rank,
        users: read_side(dir, &files, &l.users, rank)?,
        items: read_side(dir, &files, &l.items, rank)?,
        user_col,
        item_col,
        spark_version,
        names,
    })
}

/// Writes `m` as a saved `ALSModel` folder (created; refused when it exists and is not empty).
pub fn write_dir(dir: &Path, m: &SparkModel) -> Result<()> {
    if dir.read_dir().is_ok_and(|mut d| d.next().is_some()) {
        return Err(Error::BadFile {
            file: dir.display().to_string(),
            message: "exists and is not empty: choose a new folder".into(),
        });
    }
    let write = |path: &Path, bytes: &[u8]| -> Result<()> {
        std::fs::create_dir_all(path.parent().expect("inside the folder"))
            .map_err(|e| io(path, e))?;
        std::fs::write(path, bytes).map_err(|e| io(path, e))
    };
    // A uid of Spark's form, from the content (the same model, the same folder).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for v in m.users.values.iter().chain(&m.items.values) {
        h = (h ^ u64::from(v.to_bits())).wrapping_mul(0x100_0000_01b3);
    }
    let uid = format!("ALS_{:012x}", h & 0xffff_ffff_ffff);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    write(
        &dir.join("metadata/part-00000"),
        format!("{}\n", m.metadata_json(&uid, now)).as_bytes(),
    )?;
    write(&dir.join("metadata/_SUCCESS"), b"")?;
    for (side, f) in [("userFactors", &m.users), ("itemFactors", &m.items)] {
        let bytes =
            spark_parquet::write(&f.ids, &f.values, m.rank).map_err(|message| Error::BadFile {
                file: dir.join(side).display().to_string(),
                message,
            })?;
        write(
            &dir.join(side).join("part-00000-mfp.snappy.parquet"),
            &bytes,
        )?;
        write(&dir.join(side).join("_SUCCESS"), b"")?;
    }
    Ok(())
}
