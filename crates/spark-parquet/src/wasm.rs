//! The page's door: one Parquet file's factors as typed arrays.

use wasm_bindgen::prelude::*;

/// Reads one file of factors: `{ ids: Int32Array, values: Float32Array }`, every row `rank`
/// numbers long; a bad file throws an Error whose message says what is wrong.
#[wasm_bindgen(js_name = readFactors)]
pub fn read_factors(bytes: Vec<u8>, rank: u32) -> Result<JsValue, JsError> {
    let f = super::read(bytes, rank as usize).map_err(|m| JsError::new(&m))?;
    let out = js_sys::Object::new();
    js_sys::Reflect::set(
        &out,
        &"ids".into(),
        &js_sys::Int32Array::from(&f.ids[..]).into(),
    )
    .map_err(|_| JsError::new("cannot build the result"))?;
    js_sys::Reflect::set(
        &out,
        &"values".into(),
        &js_sys::Float32Array::from(&f.values[..]).into(),
    )
    .map_err(|_| JsError::new("cannot build the result"))?;
    Ok(out.into())
}
