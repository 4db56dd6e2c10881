// Runs queries through Pagefind's own browser module (pagefind/pagefind.js) over an index
// written to a folder, with a `fetch` that reads the files and counts their bytes, as a
// cold page would: the same harness as src/search/tests/run_queries.mjs for qissa.
// usage: node run_pagefind.mjs <site folder> <query>...
// Prints {"results": {query: [{url, title}, ...]}, "fetched": {query: bytes}}: every result,
// best first; each query runs in a fresh copy of the module (cold caches).
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const [site, ...queries] = process.argv.slice(2);
let fetched = 0;
globalThis.fetch = async (url) => {
  const file = fileURLToPath(new URL(url.toString().split('?')[0]));
  try {
    const bytes = readFileSync(file);
    fetched += bytes.length;
    return new Response(bytes, { status: 200, headers: file.endsWith('.wasm') || file.includes('wasm.') ? { 'content-type': 'application/wasm' } : {} });
  } catch {
    return new Response('', { status: 404 });
  }
};
const moduleFile = path.join(site, 'pagefind', 'pagefind.js');
const moduleBytes = statSync(moduleFile).size;
const results = {};
const brief = (data) => ({ url: data.url, title: data.meta?.title ?? '' });
const transfer = {};
for (const [n, query] of queries.entries()) {
  const pagefind = await import(pathToFileURL(moduleFile) + `?cold=${n}`);
  fetched = 0;
  await pagefind.options({ basePath: pathToFileURL(path.join(site, 'pagefind')) + '/' });
  const search = await pagefind.search(query);
  const urls = [];
  // Pagefind loads a result's fragment only when asked; a page shows the first few, so the
  // transfer counts the first five fragments, as its default UI does.
  for (const [i, result] of search.results.entries()) {
    if (i < 5) urls.push(brief(await result.data()));
    else urls.push(null);
  }
  transfer[query] = fetched + moduleBytes;
  // The URLs of the rest, without counting their fragments against the first query.
  for (const [i, result] of search.results.entries()) if (i >= 5) urls[i] = brief(await result.data());
  results[query] = urls;
  await pagefind.destroy?.();
}
console.log(JSON.stringify({ results, fetched: transfer }));
