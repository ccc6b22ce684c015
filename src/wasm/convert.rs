//! Conversions between engine values and JavaScript values.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::data::{Feedback, Ratings, Scale};

/// What the page shows about a loaded data set.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DataSummary {
    pub n_users: usize,
    pub n_items: usize,
    pub n_ratings: usize,
    pub density: f64,
    pub scale: Scale,
    pub feedback: Feedback,
    pub user_ids: Vec<String>,
    pub item_labels: Vec<String>,
}

impl DataSummary {
    pub fn of(r: &Ratings) -> Self {
        DataSummary {
            n_users: r.n_users(),
            n_items: r.n_items(),
            n_ratings: r.len(),
            density: r.density(),
            scale: r.scale(),
            feedback: r.feedback(),
            user_ids: r.user_ids().to_vec(),
            item_labels: (0..r.n_items())
                .map(|i| r.item_label(i).to_string())
                .collect(),
        }
    }
}

/// Serialises a value as a plain JavaScript object (structs become objects with their serde
/// field names).
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::new())
        .map_err(|e| to_js_error("internal", &e.to_string()))
}

/// A JavaScript `Error` named `MfpError` with a `code` property.
pub fn to_js_error(code: &str, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name("MfpError");
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(code));
    err.into()
}

/// An engine error as a JavaScript `Error` with its stable code.
pub fn engine_error(e: &crate::Error) -> JsValue {
    to_js_error(e.code(), &e.to_string())
}

/// Training parameters from a plain object. serde-wasm-bindgen reads only the fields it knows,
/// so a misspelt knob (`learnRate`) would be silently ignored: check the keys first against the
/// fields that the defaults serialise to.
pub fn params_from_js(value: JsValue) -> Result<crate::train::TrainParams, JsValue> {
    if !value.is_object() {
        return Err(to_js_error("invalid_param", "parameters must be an object"));
    }
    let defaults: js_sys::Object = to_js(&crate::train::TrainParams::default())?.unchecked_into();
    let known = js_sys::Object::keys(&defaults);
    let given: &js_sys::Object = value.unchecked_ref();
    for key in js_sys::Object::keys(given).iter() {
        if !known.includes(&key, 0) {
            let names: Vec<String> = known.iter().filter_map(|k| k.as_string()).collect();
            return Err(to_js_error(
                "invalid_param",
                &format!(
                    "unknown parameter \"{}\" (known: {})",
                    key.as_string().unwrap_or_default(),
                    names.join(", ")
                ),
            ));
        }
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| to_js_error("invalid_param", &e.to_string()))
}
