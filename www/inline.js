// Small data sets travel inside a shared link: the ratings as CSV, deflated and base64url-encoded
// into the hash's `inline` parameter (CompressionStream, no library).

/** Data sets up to this many ratings are put in links; bigger ones would make unwieldy URLs. */
export const MAX_INLINE_RATINGS = 2000;

/** @param {Uint8Array} bytes */
function toBase64Url(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** @param {string} s */
function fromBase64Url(s) {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}

/**
 * @param {Uint8Array} bytes
 * @param {CompressionStream | DecompressionStream} transform
 */
async function pipe(bytes, transform) {
  const stream = new Blob([/** @type {BlobPart} */ (/** @type {unknown} */ (bytes))]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** @param {string} text @returns {Promise<string>} */
export async function encodeInline(text) {
  return toBase64Url(await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw')));
}

/** @param {string} encoded @returns {Promise<Uint8Array>} the CSV bytes */
export async function decodeInline(encoded) {
  return pipe(fromBase64Url(encoded), new DecompressionStream('deflate-raw'));
}

/**
 * The URL with `data=file&inline=...` in its hash.
 * @param {string} url @param {string} inline
 */
export function withInline(url, inline) {
  const u = new URL(url);
  const params = new URLSearchParams(u.hash.replace(/^#/, ''));
  params.set('data', 'file');
  params.set('inline', inline);
  u.hash = params.toString();
  return u.href;
}
