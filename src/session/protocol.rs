//! The requests the page may make of the engine, each defined once, with what it does to the
//! session's state.
//!
//! The worker (`www/engine.worker.js`) answers exactly these requests: at start it checks that
//! its handlers and this table name the same requests, and every reply carries the request's
//! [`Effect`]. The engine client (`www/engine-client.js`) keeps its restart journal by that
//! effect alone, so a request that changes the state is journaled by construction: a new request
//! is added here, with its effect, and the journal follows.

use serde::Serialize;

/// What a request does to the session's state, and so what the restart journal keeps of it.
///
/// The journal is the list of requests that rebuild the current state in a new engine: the
/// data's requests, then the data's edits, then the model's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    /// Reads the state and changes nothing (or only the request in flight, as `interrupt`).
    Read,
    /// Reads a file into a pending preview; the data in use is untouched. Journaled only once
    /// committed.
    Preview,
    /// Replaces the data, and so everything that depends on it: the journal starts anew.
    Load,
    /// Loads the pending preview as the data: the journal starts anew from the preview.
    Commit,
    /// Changes the data in place (a rating set or removed), keeping the model.
    EditData,
    /// Shows the data otherwise (explicit ratings as 0/1, or back) and drops the model: it stays
    /// in the journal when a new model is made.
    Reshape,
    /// Makes a new model on the data: the previous model's requests leave the journal.
    Model,
    /// Changes the model in place (hyper-parameters, going back to the best epoch).
    EditModel,
    /// Trains the model for some epochs: the journal counts them.
    Train,
    /// Starts or advances a study beside the model (the race, cross-validation, the sweep, the
    /// lab). A restart does not bring a study back: the page's panel starts it again.
    Study,
    /// Makes the engine fail, for the recovery tests.
    Fault,
}

/// One request: its name (the worker's message `type`) and what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RequestKind {
    pub name: &'static str,
    pub effect: Effect,
}

const fn req(name: &'static str, effect: Effect) -> RequestKind {
    RequestKind { name, effect }
}

/// Every request the page may make, grouped by what it does.
pub const REQUESTS: &[RequestKind] = &[
    // What the engine has (its algorithms).
    req("describe", Effect::Read),
    // The data.
    req("loadData", Effect::Load),
    req("previewFile", Effect::Preview),
    req("commitPreview", Effect::Commit),
    req("setRating", Effect::EditData),
    req("setTitles", Effect::EditData),
    req("setFeatures", Effect::EditData),
    req("setThreshold", Effect::Reshape),
    req("setTestFile", Effect::Reshape),
    req("setHoldout", Effect::Reshape),
    // The model.
    req("configure", Effect::Model),
    req("importModel", Effect::Model),
    req("importSpark", Effect::Model),
    req("openRun", Effect::Model),
    req("setParams", Effect::EditModel),
    req("restoreBest", Effect::EditModel),
    req("train", Effect::Train),
    req("interrupt", Effect::Read),
    // What the model says.
    req("views", Effect::Read),
    req("explain", Effect::Read),
    req("embeddings", Effect::Read),
    req("mapStart", Effect::Study),
    req("mapStep", Effect::Study),
    req("recommend", Effect::Read),
    req("similar", Effect::Read),
    req("foldIn", Effect::Read),
    req("evaluate", Effect::Read),
    // Runs: the model kept as one, runs compared, read from and written to a file.
    req("makeRun", Effect::Read),
    req("compareRuns", Effect::Read),
    req("compareMaps", Effect::Read),
    req("readRuns", Effect::Read),
    req("writeRuns", Effect::Read),
    // Studies.
    req("raceStart", Effect::Study),
    req("raceStep", Effect::Study),
    req("cvStart", Effect::Study),
    req("cvFold", Effect::Read),
    req("sweepStart", Effect::Study),
    req("sweepPoint", Effect::Study),
    req("sweepFronts", Effect::Read),
    req("sweepRecord", Effect::Study),
    req("labStart", Effect::Study),
    req("labStep", Effect::Study),
    req("aaPeeking", Effect::Read),
    req("labOffPolicy", Effect::Read),
    // Taking results out.
    req("exportModel", Effect::Read),
    req("exportCode", Effect::Read),
    req("exportProjector", Effect::Read),
    req("exportPredictions", Effect::Read),
    req("exportRecommendations", Effect::Read),
    req("exportRatings", Effect::Read),
    req("randomSeed", Effect::Read),
    // The recovery tests.
    req("simulateFault", Effect::Fault),
];

/// The request named `name`, if there is one.
pub fn request(name: &str) -> Option<&'static RequestKind> {
    REQUESTS.iter().find(|r| r.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_request_is_named_once() {
        for (k, r) in REQUESTS.iter().enumerate() {
            assert!(
                REQUESTS[..k].iter().all(|o| o.name != r.name),
                "{} twice",
                r.name
            );
            assert_eq!(request(r.name), Some(r));
        }
        assert_eq!(request("noSuchRequest"), None);
    }

    #[test]
    fn effects_serialise_as_the_journal_reads_them() {
        let json = serde_json::to_string(&request("setThreshold").unwrap()).unwrap();
        assert_eq!(json, r#"{"name":"setThreshold","effect":"reshape"}"#);
        let json = serde_json::to_string(&Effect::EditModel).unwrap();
        assert_eq!(json, r#""edit-model""#);
    }
}
