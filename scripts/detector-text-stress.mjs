/**
 * Every built-in detector called directly on 16 KiB probes of repeated text: every ASCII character and a set of
 * tokens repeated, and, per detector, each string literal and regex fragment of its own built source repeated or
 * followed by long runs (the near-matches that make a backtracking regex quadratic or worse). Each probe is given
 * whole and as the head of a 16 MiB file. Prints every call slower than the threshold and every throw; about
 * 300,000 calls, 10 minutes on a 2-core machine (docs/forensic-soundness.md §6, twenty-second session).
 *
 * Usage: node scripts/detector-text-stress.mjs [detector-id-substring] [--slow-ms 40]   (after `pnpm build`)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { builtinPlugins } = await import(path.join(repo, 'packages/parsers/dist/index.js'));
const args = process.argv.slice(2);
const slowAt = args.includes('--slow-ms') ? Number(args[args.indexOf('--slow-ms') + 1]) : 40;
const only = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--slow-ms');
const HEAD = 16 * 1024;
const TAIL = 8 * 1024;
const encoder = new TextEncoder();
const repeat = (s, n) => (s.length === 0 ? '' : s.repeat(Math.ceil(n / s.length)).slice(0, n));

const TOKENS = [
  'a=',
  'a:',
  'A ',
  '0.',
  '\\x',
  '%2',
  '-----',
  '<a ',
  '{"a":',
  'aA0+/',
  '=?',
  'From ',
  'X-A: b\r\n\t',
  'a: b\n ',
  '\r\n',
  ' \t',
  'a,',
  '0,',
  '"a",',
  'a.b',
  '1.2.3.',
  '${',
  '::',
  'ab',
  '0x0',
  'a\n',
  '-- ',
  '<!--',
  '<![CDATA[',
  '\\"',
  "'a'",
  'A1',
  '$a',
  '@a',
  '#!',
  'a/',
  '../',
  '==',
  '00',
  'ff',
  'FF',
  'Zz',
  '..',
  '__',
  '//',
  '**',
  ' =',
  '= ',
  'a b ',
  '\u00e9',
  '\ufffd',
  '\0a',
  'a\0',
  '<!---->',
  '>\n',
];
const generic = [...Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)), ...TOKENS];

/** String literals and the literal pieces of regex literals in a detector's built source. */
function literalsOf(file) {
  let src;
  try {
    src = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out = new Set();
  for (const m of src.matchAll(/'((?:[^'\\\n]|\\.){2,40})'/g))
    out.add(m[1].replace(/\\n/g, '\n').replace(/\\r/g, '\r').replace(/\\t/g, '\t').replace(/\\'/g, "'"));
  for (const m of src.matchAll(/\/((?:[^/\\\n]|\\.){3,200})\/[dgimsuy]*/g))
    for (const piece of m[1].split(/[\\()[\]{}*+?|^$.]+/)) if (piece.length >= 2) out.add(piece);
  return [...out].slice(0, 120);
}

function probe(bytes, complete) {
  const head = bytes.subarray(0, HEAD);
  const common = { path: 'x.txt', logicalPath: 'x.txt', name: 'x.txt', extension: 'txt', head };
  return complete
    ? { ...common, size: head.length, tail: new Uint8Array(0), samples: [], complete: true }
    : {
        ...common,
        size: 16 * 1024 * 1024,
        tail: bytes.subarray(0, TAIL),
        samples: [{ offset: 8 << 20, bytes: bytes.subarray(0, 4096) }],
        complete: false,
      };
}

const nearMatches = (lit) => [
  repeat(lit, HEAD),
  lit + repeat('a', HEAD),
  lit + repeat(' ', HEAD),
  lit + repeat('0', HEAD),
  repeat(lit + ' ', HEAD),
  repeat(lit + '\n', HEAD),
  lit + repeat(lit.slice(-1), HEAD),
  lit + repeat(lit.slice(0, 1), HEAD),
];
const ctx = { limits: { probeHeadBytes: HEAD, probeTailBytes: TAIL }, declinedSignatures: [] };
let calls = 0;
let flagged = 0;
for (const plugin of builtinPlugins) {
  if (plugin.kind !== 'detector' || (only && !plugin.meta.id.includes(only))) continue;
  const own = literalsOf(path.join(repo, 'packages/parsers/dist/detectors', `${plugin.meta.id}.js`));
  for (const text of [...generic.map((g) => repeat(g, HEAD)), ...own.flatMap(nearMatches)])
    for (const complete of [false, true]) {
      const t0 = performance.now();
      let threw;
      try {
        await plugin.detect(probe(encoder.encode(text), complete), ctx);
      } catch (error) {
        threw = String(error).slice(0, 200);
      }
      const ms = performance.now() - t0;
      calls++;
      if (threw || ms > slowAt) {
        flagged++;
        console.log(
          JSON.stringify({ id: plugin.meta.id, ms: Math.round(ms), complete, threw, sample: text.slice(0, 60) }),
        );
      }
    }
}
console.log(`${calls} calls, ${flagged} slower than ${slowAt} ms or thrown`);
