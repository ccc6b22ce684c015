//! Conversions between engine values and JavaScript values.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::train::TrainParams;

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

/// A value of `T` from a plain object. serde-wasm-bindgen reads only the fields it knows, so a
/// misspelt option (`learnRate`) would be silently ignored: the keys are first checked against
/// the fields that `defaults` serialises to. `undefined` or `null` give the defaults.
pub fn from_js<T: DeserializeOwned + Serialize>(
    value: JsValue,
    defaults: &T,
) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return serde_wasm_bindgen::from_value(to_js(defaults)?)
            .map_err(|e| to_js_error("internal", &e.to_string()));
    }
    if !value.is_object() {
        return Err(to_js_error("invalid_param", "options must be an object"));
    }
    let known_obj: js_sys::Object = to_js(defaults)?.unchecked_into();
    let known = js_sys::Object::keys(&known_obj);
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

/// Training parameters from a plain object (see [`from_js`]).
pub fn params_from_js(value: JsValue) -> Result<TrainParams, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Err(to_js_error("invalid_param", "parameters must be an object"));
    }
    from_js(value, &TrainParams::default())
}
