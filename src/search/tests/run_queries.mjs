// Runs queries through qissa-search.js over an index written to a folder, with a `fetch`
// that reads the files (and counts their bytes), as a cold page would.
// usage: node run_queries.mjs <site folder> <query>...
// Prints one JSON object: {"results": {query: [...]}, "fetched": {query: bytes}}; each query
// runs in a fresh copy of the module (cold caches) so its transfer is what a first query costs.
// With QISSA_SERVE_INFLATED=1 the .gz files are served inflated, as a host that sets
// Content-Encoding: gzip hands them to the page.
import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const [site, ...queries] = process.argv.slice(2);
let fetched = 0;
globalThis.fetch = async (url) => {
  const file = fileURLToPath(new URL(url.toString().split('?')[0]));
  try {
    let bytes = readFileSync(file);
    if (process.env.QISSA_SERVE_INFLATED === '1' && file.endsWith('.gz')) bytes = gunzipSync(bytes);
    fetched += bytes.length;
    return new Response(bytes, { status: 200 });
  } catch {
    return new Response('', { status: 404 });
  }
};
const moduleFile = path.join(site, 'search', 'qissa-search.js');
const modules = statSync(moduleFile).size + statSync(path.join(site, 'search', 'qissa-analyze.js')).size;
const results = {};
const transfer = {};
for (const [n, query] of queries.entries()) {
  // A fresh module instance per query: a cold page.
  const { search } = await import(pathToFileURL(moduleFile) + `?cold=${n}`);
  fetched = 0;
  results[query] = await search(query);
  transfer[query] = fetched + modules;
}
console.log(JSON.stringify({ results, fetched: transfer }));
