//! What an epoch reports, and the clock that times it.

/// What one epoch did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EpochReport {
    /// 1 for the first epoch.
    pub epoch: usize,
    /// Mean data loss over the training ratings after the epoch (without the regulariser).
    pub loss: f32,
    /// Root mean squared error of the predictions on the training ratings after the epoch.
    pub rmse: f32,
    /// Wall-clock time of the update pass, in milliseconds.
    pub millis: f64,
    /// True when the loss or a parameter is no longer a finite number.
    pub diverged: bool,
}

/// Milliseconds since an arbitrary origin.
pub type Clock = fn() -> f64;

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn default_clock() -> f64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1e3
}

// `Instant::now` panics on wasm32-unknown-unknown; the binding layer installs the host's clock.
#[cfg(target_arch = "wasm32")]
pub(crate) fn default_clock() -> f64 {
    0.0
}
