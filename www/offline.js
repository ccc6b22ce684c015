// Entry of the single-file build (tools/build-offline.sh): the page opened from file://, with no
// server and no network. Chromium allows neither a module worker nor a fetch there, so the
// worker is a classic one made from a Blob of its source, which the build put in the page (with
// the wasm and the built-in data inside it). This module only installs that hook: the imports
// below run in order, the hook first.

import './offline-hook.js';
import './main.js';
