//! One Parquet file of factors, as Spark MLlib's ALS writes it: rows `(id: int, features:
//! array<float>)`, snappy-compressed. Errors are sentences for a person, without the file's name
//! (the caller knows it).

use bytes::Bytes;
use parquet::basic::{Compression, Type as Physical};
use parquet::data_type::{FloatType, Int32Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::record::{Field, ListAccessor};
use parquet::schema::types::Type;
use std::sync::Arc;

/// One side's factors: an id per row and `rank` numbers per row, row-major.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Factors {
    pub ids: Vec<i32>,
    pub values: Vec<f32>,
}

type Result<T> = std::result::Result<T, String>;

#[cfg(all(target_arch = "wasm32", feature = "wasm"))]
mod wasm;

/// The schema Spark writes (an `int` id that is never null, a nullable array of floats).
const SCHEMA: &str = "message spark_schema {
  required int32 id;
  optional group features (LIST) {
    repeated group list {
      required float element;
    }
  }
}";

/// Spark's own description of the rows, which Spark reads back before the Parquet schema.
const SPARK_ROW_METADATA: &str = r#"{"type":"struct","fields":[{"name":"id","type":"integer","nullable":false,"metadata":{}},{"name":"features","type":{"type":"array","elementType":"float","containsNull":false},"nullable":true,"metadata":{}}]}"#;

/// A column's type as Spark would name it, for messages.
fn describe(t: &Type) -> String {
    if t.is_primitive() {
        return match t.get_physical_type() {
            Physical::INT32 => "int",
            Physical::INT64 => "bigint",
            Physical::FLOAT => "float",
            Physical::DOUBLE => "double",
            Physical::BYTE_ARRAY => "string or binary",
            Physical::BOOLEAN => "boolean",
            _ => "another type",
        }
        .into();
    }
    // A list: group (LIST) { repeated group { element } }, or a legacy repeated field.
    let mut leaf = t;
    while !leaf.is_primitive() {
        match leaf.get_fields() {
            [only] => leaf = only,
            _ => return "a struct".into(),
        }
    }
    format!("array<{}>", describe(leaf))
}

/// Reads one file's rows; `rank` (the metadata's) is the length every row's features must have.
pub fn read(bytes: Vec<u8>, rank: usize) -> Result<Factors> {
    let bad = |message: String| message;
    let reader = SerializedFileReader::new(Bytes::from(bytes))
        .map_err(|e| bad(format!("not a Parquet file Spark wrote: {e}")))?;
    let schema = reader.metadata().file_metadata().schema();
    let columns: Vec<String> = schema
        .get_fields()
        .iter()
        .map(|f| format!("{}: {}", f.name(), describe(f)))
        .collect();
    let want = ["id: int", "features: array<float>"];
    if !want.iter().all(|w| columns.iter().any(|c| c == w)) {
        return Err(bad(format!(
            "the columns are ({}); a Spark ALS model's factors are (id: int, features: array<float>)",
            columns.join(", ")
        )));
    }
    let rows = reader
        .get_row_iter(None)
        .map_err(|e| bad(format!("cannot read its rows: {e}")))?;
    let mut out = Factors {
        ids: Vec::new(),
        values: Vec::new(),
    };
    for (n, row) in rows.enumerate() {
        let row = row.map_err(|e| bad(format!("row {}: {e}", n + 1)))?;
        let mut id = None;
        let mut features = None;
        for (name, field) in row.get_column_iter() {
            match (name.as_str(), field) {
                ("id", Field::Int(v)) => id = Some(*v),
                ("features", Field::ListInternal(list)) => features = Some(list),
                ("features", Field::Null) => {
                    return Err(bad(format!("row {}: its features are null", n + 1)))
                }
                _ => {}
            }
        }
        let (Some(id), Some(list)) = (id, features) else {
            return Err(bad(format!("row {}: no id or no features", n + 1)));
        };
        if list.len() != rank {
            return Err(bad(format!(
                "user or item {id} has {} features, but the metadata's rank is {rank}",
                list.len()
            )));
        }
        for j in 0..rank {
            let v = list
                .get_float(j)
                .map_err(|e| bad(format!("{id}'s feature {}: {e}", j + 1)))?;
            if !v.is_finite() {
                return Err(bad(format!("{id}'s feature {} is {v}", j + 1)));
            }
            out.values.push(v);
        }
        out.ids.push(id);
    }
    Ok(out)
}

/// Writes one side's factors (an id per row, `rank` values per row, row-major: the fields of
/// [`Factors`]) as one snappy-compressed Parquet file in Spark's layout.
pub fn write(ids: &[i32], values: &[f32], rank: usize) -> Result<Vec<u8>> {
    let fail = |e: parquet::errors::ParquetError| format!("writing Parquet failed: {e}");
    let schema = Arc::new(parquet::schema::parser::parse_message_type(SCHEMA).map_err(fail)?);
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_key_value_metadata(Some(vec![KeyValue::new(
            "org.apache.spark.sql.parquet.row.metadata".to_string(),
            SPARK_ROW_METADATA.to_string(),
        )]))
        .set_created_by("mf-playground".into())
        .build();
    let mut buf = Vec::new();
    let mut writer = SerializedFileWriter::new(&mut buf, schema, Arc::new(props)).map_err(fail)?;
    let mut group = writer.next_row_group().map_err(fail)?;
    // id: one value per row.
    let mut col = group.next_column().map_err(fail)?.expect("the id column");
    col.typed::<Int32Type>()
        .write_batch(ids, None, None)
        .map_err(fail)?;
    col.close().map_err(fail)?;
    // features: `rank` values per row; a new row starts at repetition level 0, and every value
    // is defined at the list's full depth (2: the optional list, then its repeated group).
    let mut col = group
        .next_column()
        .map_err(fail)?
        .expect("the features column");
    let n = values.len();
    let def = vec![2i16; n];
    let rep: Vec<i16> = (0..n).map(|j| i16::from(j % rank != 0)).collect();
    col.typed::<FloatType>()
        .write_batch(values, Some(&def), Some(&rep))
        .map_err(fail)?;
    col.close().map_err(fail)?;
    group.close().map_err(fail)?;
    writer.close().map_err(fail)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::data_type::{DoubleType, Int64Type};

    /// A file with Spark's shape but other types: `id: bigint`, `features: array<double>`.
    fn other_types() -> Vec<u8> {
        let schema = "message m { required int64 id; optional group features (LIST) { repeated group list { required double element; } } }";
        let schema = Arc::new(parquet::schema::parser::parse_message_type(schema).unwrap());
        let mut buf = Vec::new();
        let mut w = SerializedFileWriter::new(&mut buf, schema, Default::default()).unwrap();
        let mut g = w.next_row_group().unwrap();
        let mut c = g.next_column().unwrap().unwrap();
        c.typed::<Int64Type>()
            .write_batch(&[1], None, None)
            .unwrap();
        c.close().unwrap();
        let mut c = g.next_column().unwrap().unwrap();
        c.typed::<DoubleType>()
            .write_batch(&[0.5, 0.25], Some(&[2, 2]), Some(&[0, 1]))
            .unwrap();
        c.close().unwrap();
        g.close().unwrap();
        w.close().unwrap();
        buf
    }

    #[test]
    fn other_columns_are_named_in_the_message() {
        let e = read(other_types(), 2).unwrap_err();
        assert_eq!(
            e,
            "the columns are (id: bigint, features: array<double>); a Spark ALS model's factors are (id: int, features: array<float>)"
        );
    }

    #[test]
    fn factors_written_read_back_exactly() {
        let f = Factors {
            ids: vec![3, -7, 12],
            values: (0..12).map(|v| v as f32 * 0.25 - 1.0).collect(),
        };
        let bytes = write(&f.ids, &f.values, 4).unwrap();
        assert_eq!(read(bytes.clone(), 4).unwrap(), f);
        let e = read(bytes, 5).unwrap_err().to_string();
        assert!(
            e.starts_with("user or item 3 has 4 features, but the metadata's rank is 5"),
            "{e}"
        );
        let e = read(b"PAR1 not really".to_vec(), 4)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("not a Parquet file Spark wrote"), "{e}");
    }
}
