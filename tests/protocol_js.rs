//! `www/protocol.js` is generated from the engine's table of requests
//! (`src/session/protocol.rs`): the request names as a JSDoc type (so `tsc --checkJs` refuses a
//! request the engine does not define, and the worker's handler table must have exactly these
//! keys) and one function per request for the page's code to call. (The effects reach the
//! page at run time: the worker sends each reply's, from the engine.) This test
//! fails when the file is not what the table gives; `MFP_BLESS=1 cargo test --test protocol_js`
//! writes it.

use mf_playground::session::protocol::REQUESTS;

fn render() -> String {
    let mut out = String::from(
        "// Generated from src/session/protocol.rs by tests/protocol_js.rs; do not edit.\n\
         // Regenerate with: MFP_BLESS=1 cargo test --test protocol_js\n\n",
    );
    let names: Vec<String> = REQUESTS.iter().map(|r| format!("'{}'", r.name)).collect();
    out.push_str(&format!(
        "/** A request the engine answers. @typedef {{{}}} RequestType */\n\n",
        names.join(" | ")
    ));
    out.push_str(
        "/**\n * One function per request, each sending it through `request`: the page's code calls \
         these,\n * and a panel is handed only the ones it needs.\n \
         * @param {(type: RequestType, payload?: any, transfer?: Transferable[]) => Promise<any>} request\n */\n\
         export function createApi(request) {\n  return {\n",
    );
    for r in REQUESTS {
        out.push_str(&format!(
            "    /** @param {{any}} [payload] @param {{Transferable[]}} [transfer] */\n    {0}: (payload = {{}}, transfer = []) => request('{0}', payload, transfer),\n",
            r.name
        ));
    }
    out.push_str("  };\n}\n\n/** @typedef {ReturnType<typeof createApi>} EngineApi */\n");
    out
}

#[test]
fn www_protocol_js_is_generated_from_the_engines_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/protocol.js");
    let want = render();
    if std::env::var_os("MFP_BLESS").is_some() {
        std::fs::write(path, &want).unwrap();
    }
    let got = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        got == want,
        "www/protocol.js is not what src/session/protocol.rs gives: run MFP_BLESS=1 cargo test --test protocol_js"
    );
}
