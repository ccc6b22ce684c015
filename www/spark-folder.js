// A Spark ALSModel folder as the page gets it: a folder picked or dropped, or a .zip of one read
// here. The worker picks its parts (engine.worker.js, sparkParts).

/** @typedef {{ path: string, bytes: ArrayBuffer }} FolderFile */

/**
 * The files of a .zip archive (stored or deflated entries, as zip tools and Finder write them),
 * read with the browser's own DecompressionStream.
 * @param {ArrayBuffer} buffer
 * @param {string} name the archive's name, for messages
 * @returns {Promise<FolderFile[]>}
 */
export async function unzip(buffer, name) {
  const view = new DataView(buffer);
  const bad = (/** @type {string} */ what) => Object.assign(new Error(`${name}: ${what}`), { code: 'bad_file' });
  // The end of central directory record: signature 0x06054b50, within the last 64 KiB + 22.
  let end = -1;
  for (let i = buffer.byteLength - 22; i >= Math.max(0, buffer.byteLength - 65557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw bad('not a .zip archive');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  /** @type {FolderFile[]} */
  const out = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > buffer.byteLength || view.getUint32(at, true) !== 0x02014b50) throw bad('its table of contents is damaged');
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const path = decoder.decode(new Uint8Array(buffer, at + 46, nameLength));
    at += 46 + nameLength + extra + comment;
    if (path.endsWith('/')) continue; // a folder entry
    if (view.getUint32(local, true) !== 0x04034b50) throw bad(`${path}: damaged entry`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = new Uint8Array(buffer, start, size);
    if (method === 0) out.push({ path, bytes: data.slice().buffer });
    else if (method === 8) {
      const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
      out.push({ path, bytes: await new Response(stream).arrayBuffer() });
    } else throw bad(`${path}: compressed with method ${method}, which the page cannot read (zip it again with deflate)`);
  }
  return out;
}
