// qissa-search.js: search a qissa site in the browser, with no server.
//
//   import { search } from '<base path>search/qissa-search.js';
//   const results = await search('أسعار الهواتف');
//
// `search(query)` resolves to every matching article, best first: objects with url, title,
// date, date_label, category, category_url, authors ([{name, url}]), excerpt and
// title_html (HTML-escaped, matched words in <mark>). Every query word must match (by its
// whole form or its stem). Ranking: more query words in the headline first, then more
// whole-word matches, then weight (headline, tags, summary above body), then newer.
//
// The index format is described in src/search/index/mod.rs. Files are fetched relative to
// this module, so any base path works; nothing is fetched from another origin.

import { analyze, compileLexicon } from './qissa-analyze.js';

const INDEX = new URL('./index/', import.meta.url);
const FORMAT = 3;
const loaded = new Map();
let metaPromise = null;

async function inflate(bytes) {
  // A host that sets Content-Encoding for .gz hands over the inflated bytes already.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function fetchData(name, version) {
  const url = new URL(name, INDEX);
  if (version) url.searchParams.set('v', version);
  const response = await fetch(url, version ? {} : { cache: 'no-cache' });
  if (!response.ok) throw new Error(`qissa-search: ${url.pathname}: HTTP ${response.status}`);
  return inflate(new Uint8Array(await response.arrayBuffer()));
}

const decodeJson = (bytes) => JSON.parse(new TextDecoder().decode(bytes));

function loadMeta() {
  metaPromise ??= fetchData('meta.json.gz').then((bytes) => {
    const meta = decodeJson(bytes);
    if (meta.format !== FORMAT) throw new Error(`qissa-search: index format ${meta.format}`);
    meta.lex = compileLexicon(meta.lexicon);
    return meta;
  });
  metaPromise.catch(() => { metaPromise = null; });
  return metaPromise;
}

function once(name, meta, decode) {
  if (!loaded.has(name)) {
    const promise = fetchData(name, meta.version).then(decode);
    promise.catch(() => loaded.delete(name));
    loaded.set(name, promise);
  }
  return loaded.get(name);
}

function shardOf(stem, shards) {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(stem)) hash = Math.imul(hash ^ byte, 0x01000193);
  return (hash >>> 0) % shards;
}

/** A terms shard: Map stem → {docs: Map id → weight, forms: Map key → Map id → weight}. */
function decodeShard(bytes) {
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  const decoder = new TextDecoder();
  const string = () => {
    const length = varint();
    at += length;
    return decoder.decode(bytes.subarray(at - length, at));
  };
  // A form's list of count 0 is its stem's (`same`).
  const postings = (same) => {
    const count = varint();
    if (count === 0 && same) return same;
    const list = new Map();
    for (let n = count, id = 0; n > 0; n--) {
      id += varint();
      list.set(id, bytes[at++]);
    }
    return list;
  };
  const stems = new Map();
  for (let count = varint(); count > 0; count--) {
    const stem = string();
    const docs = postings();
    const forms = new Map();
    for (let n = varint(); n > 0; n--) forms.set(string(), postings(docs));
    stems.set(stem, { docs, forms });
  }
  return stems;
}

/** How each document matches one query word (any of its readings): Map id → counts. */
function matchWord(word, shards, meta) {
  const best = new Map();
  for (const { key, stem } of word.readings) {
    const entry = shards.get(shardOf(stem, meta.shards)).get(stem);
    if (!entry) continue;
    const exact = entry.forms.get(key) ?? new Map();
    for (const [id, weight] of entry.docs) {
      const whole = exact.get(id);
      const counts = {
        headline: weight >> 7,
        exact: whole === undefined ? 0 : 1,
        weight: whole === undefined ? weight & 127 : 2 * (whole & 127),
      };
      const previous = best.get(id);
      if (!previous || better(counts, previous)) best.set(id, counts);
    }
  }
  return best;
}

const better = (a, b) => (a.headline - b.headline || a.exact - b.exact || a.weight - b.weight) > 0;

/** Documents matching every query word, each with its summed ranking counts. */
function match(words, shards, meta) {
  let found = null;
  for (const word of words) {
    const matches = matchWord(word, shards, meta);
    const next = new Map();
    for (const [id, counts] of matches) {
      const previous = found ? found.get(id) : { headline: 0, exact: 0, weight: 0 };
      if (!previous) continue;
      next.set(id, {
        headline: previous.headline + counts.headline,
        exact: previous.exact + counts.exact,
        weight: previous.weight + counts.weight,
      });
    }
    found = next;
  }
  return found ?? new Map();
}

const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `text` escaped, with the words matching the query in <mark>. */
function markup(text, words, lex) {
  const stems = new Set(words.flatMap((w) => w.readings.map((r) => r.stem)));
  let html = '';
  let at = 0;
  for (const token of analyze(text, lex)) {
    if (token.start < at || !token.readings.some((r) => stems.has(r.stem))) continue;
    html += escapeHtml(text.slice(at, token.start));
    html += `<mark>${escapeHtml(text.slice(token.start, token.end))}</mark>`;
    at = token.end;
  }
  return html + escapeHtml(text.slice(at));
}

/** The first `words` words of a headline as a slug (results.rs: `title_slug`). */
function titleSlug(title, words) {
  const runs = title.replace(/[\u064B-\u0652\u0670\u0640]/g, '')
    .match(/[\u0621-\u063A\u0641-\u064A\u0660-\u0669\u0671-\u06D3A-Za-z0-9]+/g) ?? [];
  return runs.slice(0, words).map((run) => run.replace(/[A-Z]/g, (c) => c.toLowerCase())).join('-');
}

function result(record, words, meta) {
  const [urlField, title, date, dateLabel, category, authors, text] = record;
  const [categoryName, categoryUrl] = meta.categories[category] ?? ['', ''];
  // A number: the URL is the category's and that many headline words.
  const url = typeof urlField === 'number' ? `${categoryUrl}${titleSlug(title, urlField)}/` : urlField;
  return {
    url,
    title,
    date,
    date_label: dateLabel,
    category: categoryName,
    category_url: categoryUrl,
    authors: authors.map((i) => ({ name: meta.authors[i][0], url: meta.authors[i][1] })),
    excerpt: markup(text, words, meta.lex),
    title_html: markup(title, words, meta.lex),
  };
}

function distinct(tokens) {
  const seen = new Set();
  return tokens.filter((t) => {
    const id = JSON.stringify(t.readings);
    return !seen.has(id) && seen.add(id);
  });
}

/**
 * Fetches what the results show, choosing per large chunk the cheaper of it and the small
 * chunks holding results; resolves to a lookup id → record.
 */
async function loadRecords(ids, meta) {
  const { small, large, small_bytes: smallBytes, large_bytes: largeBytes } = meta.chunks;
  const wanted = new Map();
  for (const id of ids) {
    const l = Math.floor(id / large);
    if (!wanted.has(l)) wanted.set(l, new Set());
    wanted.get(l).add(Math.floor(id / small));
  }
  const names = new Map();
  for (const [l, smalls] of wanted) {
    let cost = 0;
    for (const s of smalls) cost += smallBytes[s];
    if (cost > largeBytes[l]) names.set(`l${l}`, `docs-l${l}.json.gz`);
    else for (const s of smalls) names.set(`s${s}`, `docs-s${s}.json.gz`);
  }
  const chunks = new Map(await Promise.all([...names].map(async ([key, name]) =>
    [key, await once(name, meta, decodeJson)])));
  return (id) => {
    const l = chunks.get(`l${Math.floor(id / large)}`);
    return l ? l[id % large] : chunks.get(`s${Math.floor(id / small)}`)[id % small];
  };
}

/** Every article matching `query`, best first (see the top of this file). */
export async function search(query) {
  const meta = await loadMeta();
  const words = distinct(analyze(String(query ?? ''), meta.lex));
  if (words.length === 0) return [];
  const stems = words.flatMap((w) => w.readings.map((r) => r.stem));
  const shardIds = [...new Set(stems.map((stem) => shardOf(stem, meta.shards)))];
  const shardList = await Promise.all(
    shardIds.map((n) => once(`terms-${n.toString(16)}.bin.gz`, meta, decodeShard)));
  const found = match(words, new Map(shardIds.map((n, i) => [n, shardList[i]])), meta);
  const ids = [...found.keys()];
  const record = await loadRecords(ids, meta);
  ids.sort((a, b) => {
    const x = found.get(a);
    const y = found.get(b);
    return y.headline - x.headline || y.exact - x.exact || y.weight - x.weight
      || (record(a)[2] < record(b)[2] ? 1 : record(a)[2] > record(b)[2] ? -1 : a - b);
  });
  return ids.map((id) => result(record(id), words, meta));
}
