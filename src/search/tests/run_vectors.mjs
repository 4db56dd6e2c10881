// Runs the shared analysis vectors through qissa-analyze.js.
// usage: node run_vectors.mjs <qissa-analyze.js> <lexicon.json> <vectors.json>
// Prints the failing cases and exits 1 when any fails.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [modulePath, lexiconPath, vectorsPath] = process.argv.slice(2);
const { analyze, compileLexicon } = await import(pathToFileURL(modulePath));
const lex = compileLexicon(JSON.parse(readFileSync(lexiconPath, 'utf8')));
const vectors = JSON.parse(readFileSync(vectorsPath, 'utf8'));
let failed = 0;
for (const { text, tokens } of vectors.cases) {
  const got = analyze(text, lex).map((t) => t.readings.map((r) => [r.key, r.stem]));
  if (JSON.stringify(got) !== JSON.stringify(tokens)) {
    failed++;
    console.log(`MISMATCH ${JSON.stringify(text)}\n  rust ${JSON.stringify(tokens)}\n  js   ${JSON.stringify(got)}`);
  }
}
console.log(`${vectors.cases.length - failed}/${vectors.cases.length} vectors agree`);
process.exit(failed ? 1 : 0);
