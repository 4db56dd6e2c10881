// qissa-analyze.js: the Arabic analysis of qissa's search, the same rules as the Rust side
// (src/search/analyze/). Text in, searchable words out, each with a whole-word key and a
// stem key. Shared vectors (src/search/tests/vectors.json) keep the two sides equal; change
// both together.

const RUNS = /[\p{Alphabetic}\p{N}\p{M}\u200C\u200D]+/gu;
const WORD_CHAR = /[\p{Alphabetic}\p{N}]/u;
const IGNORABLE = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200B-\u200F\u061C\u202A-\u202E\u2066-\u2069\uFEFF]/u;
const ALEFS = 'أإآٱ\u0672\u0673';
const PARTICLES = 'وفبلك';
const SUFFIXES = [['هما', 3], ['ها', 3], ['هم', 4], ['تين', 3], ['تان', 3], ['ات', 3], ['ون', 3],
  ['ين', 3], ['ان', 3], ['ه', 3]];
const AGREEMENT = new Set(['تين', 'تان', 'ات', 'ون', 'ين', 'ان', 'ه']);
const MAX_STEPS = 6;

/** The lists from the index's meta file, as sets and maps. */
export function compileLexicon(json) {
  return {
    fixed: new Set(json.fixed),
    names: new Set(json.names),
    stop: new Set(json.stop),
    broken: new Map(Object.entries(json.broken)),
    variants: new Map(Object.entries(json.variants)),
    joined: new Map(Object.entries(json.joined)),
  };
}

const letters = (word) => [...word].length;
const isArabic = (c) => /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]/u.test(c);
const isArabicWord = (word) => /^[\u0621-\u06FF]/u.test(word);

function foldChar(c) {
  if (IGNORABLE.test(c)) return '';
  if (ALEFS.includes(c)) return 'ا';
  if (c === 'ؤ' || c === 'ئ') return 'ء';
  if (c === 'ة') return 'ه';
  if (c === 'ى' || c === 'ی') return 'ي';
  if (c === 'ک') return 'ك';
  const code = c.codePointAt(0);
  if (code >= 0x660 && code <= 0x669) return String(code - 0x660);
  if (code >= 0x6f0 && code <= 0x6f9) return String(code - 0x6f0);
  if (code >= 0x621 && code <= 0x6ff) return c;
  return c.toLowerCase();
}

/** One run (letters, digits, marks) folded: NFKC, no tashkeel, one spelling per letter. */
export function foldRun(run) {
  let out = '';
  for (const c of run.normalize('NFKC')) out += foldChar(c);
  return out;
}

/** The words of a folded run: split at non-word characters and at script changes. */
export function words(folded) {
  const out = [];
  let word = '';
  let arabic = false;
  for (const c of folded) {
    const inWord = WORD_CHAR.test(c);
    if (word && (!inWord || isArabic(c) !== arabic)) {
      out.push(word);
      word = '';
    }
    if (inWord) {
      if (!word) arabic = isArabic(c);
      word += c;
    }
  }
  if (word) out.push(word);
  return out;
}

function stripArticle(word) {
  for (const article of ['لل', 'ال']) {
    if (word.startsWith(article) && letters(word) - 2 >= 2) return word.slice(2);
  }
  return null;
}

const canonical = (lex, word) => lex.variants.get(word) ?? word;

/**
 * The whole-word keys a normalised word may stand for, most literal first: after the
 * article the rest is the word; a one-letter particle (و ف ب ل ك) is ambiguous, so the
 * word reads both with and without it. Names and kept words stop the peeling.
 */
export function readings(lex, word) {
  const keys = [];
  const push = (key) => { if (!keys.includes(key)) keys.push(key); };
  let rest = word;
  if (isArabicWord(word)) {
    for (;;) {
      if (lex.fixed.has(rest)) break;
      const particle = PARTICLES.includes(rest[0]) && letters(rest) - 1 >= 3;
      // A particle before a name comes off before any article (stem.rs: للبنان).
      if (particle && lex.fixed.has(rest.slice(1))) {
        push(canonical(lex, rest));
        rest = rest.slice(1);
        continue;
      }
      const bare = stripArticle(rest);
      if (bare !== null) {
        rest = bare;
        break;
      }
      if (!particle) break;
      push(canonical(lex, rest));
      rest = rest.slice(1);
    }
  }
  push(canonical(lex, rest));
  return keys;
}

function nisbaBase(lex, rest) {
  for (const name of [rest, rest + 'ا', rest + 'يا']) {
    if (lex.names.has(name)) return name;
  }
  return letters(rest) >= 4 ? rest : null;
}

function stripSuffix(lex, word) {
  for (const [suffix, keep] of SUFFIXES) {
    if (!word.endsWith(suffix) || letters(word) - letters(suffix) < keep) continue;
    const rest = word.slice(0, -suffix.length);
    // A name never takes a feminine, dual or plural ending (stem.rs: AGREEMENT).
    if (AGREEMENT.has(suffix) && lex.fixed.has(rest) && lex.names.has(rest)) continue;
    return rest;
  }
  if (word.endsWith('ي')) return nisbaBase(lex, word.slice(0, -1));
  if (word.endsWith('ا') && letters(word) - 1 >= 4) return word.slice(0, -1);
  return null;
}

/** The stem key of a whole-word key. */
export function stem(lex, key) {
  let stem = key;
  if (!isArabicWord(key)) return stem;
  let pluralSeen = false;
  for (let step = 0; step < MAX_STEPS; step++) {
    if (lex.fixed.has(stem)) break;
    const singular = lex.broken.get(stem);
    if (singular !== undefined && !pluralSeen) {
      stem = singular;
      pluralSeen = true;
      continue;
    }
    const shorter = stripSuffix(lex, stem);
    if (shorter === null) break;
    stem = shorter;
  }
  return canonical(lex, stem);
}

function isStop(lex, surface, last) {
  const afterConjunction = (surface.startsWith('و') || surface.startsWith('ف'))
    && lex.stop.has(surface.slice(1));
  return lex.stop.has(surface) || afterConjunction || lex.stop.has(last);
}

function joinedForm(lex, first, second) {
  for (const reading of first.readings) {
    const pair = (lex.joined.get(reading.key) ?? []).find(([half]) => half === second.surface);
    if (pair) return pair[1];
  }
  return null;
}

/**
 * The searchable words of `text`, in order: `{readings: [{key, stem}], start, end}`, where
 * start and end are the UTF-16 offsets of the written word(s) in `text` (for marking them).
 */
export function analyze(text, lex) {
  const tokens = [];
  const emit = (w) => {
    if (!w.stop) tokens.push({ readings: w.readings, start: w.start, end: w.end });
  };
  let pending = null;
  for (const match of text.matchAll(RUNS)) {
    const start = match.index;
    const end = start + match[0].length;
    for (const surface of words(foldRun(match[0]))) {
      const keys = readings(lex, surface);
      const word = {
        surface,
        readings: keys.map((key) => ({ key, stem: stem(lex, key) })),
        stop: isStop(lex, surface, keys[keys.length - 1]),
        start,
        end,
      };
      if (pending) {
        const joined = joinedForm(lex, pending, word);
        if (joined !== null) {
          const key = canonical(lex, joined);
          emit({ readings: [{ key, stem: key }], stop: false, start: pending.start, end });
          pending = null;
          continue;
        }
        emit(pending);
        pending = null;
      }
      if (word.readings.some((r) => lex.joined.has(r.key))) pending = word;
      else emit(word);
    }
  }
  if (pending) emit(pending);
  return tokens;
}
