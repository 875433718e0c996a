/**
 * Runs of zero bytes (2 B to 1 KiB) in front of random bytes and of sparse low-entropy records, through every
 * built-in detector and the classify stage: what the registry says of a file whose header is zero-filled (a
 * pre-allocated or wiped header, a database page not yet written). A zero run matches weak magic rules (libmagic's
 * Matlab v4 takes four zero bytes) and decodes as range-coded data for as long as it lasts, so such a verdict must
 * be confirmed by the bytes after it. Lists each verdict other than random, unknown structure or a zero fill, with
 * the zero-run lengths that gave it (r: random body, s: sparse records) and the winning reason.
 *
 * Usage: node bench/zero-prefix-sweep.mjs [--files 60]
 */
import { RANDOM_VERDICTS, loadRegistry, option, seededFill, underTsx } from './from-sources.mjs';

underTsx(import.meta.url);
const perLength = Number(option('--files', 60));
const { verdict } = await loadRegistry();
const UNNAMED = new Set(['binary-unknown', 'compressed-unknown', 'zero-filled']);

const found = new Map();
let seed = 1;
for (const zeros of [2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 100, 128, 256, 512, 1024]) {
  for (let k = 0; k < perLength; k++) {
    const file = new Uint8Array(4096);
    seededFill(seed++)(file);
    const sparse = k % 2 === 1;
    if (sparse) for (let i = 0; i < file.length; i++) file[i] = i % 16 < 4 ? file[i] & 0x0f : i % 7 === 0 ? file[i] : 0;
    file.fill(0, 0, zeros);
    const { classification, format } = await verdict(file, 'f.bin');
    if (format && (RANDOM_VERDICTS.has(format.id) || UNNAMED.has(format.id))) continue;
    const key = `${classification.status} ${format?.id ?? '-'} (${format?.detector ?? '-'})`;
    const entry = found.get(key) ?? { runs: new Set(), reason: classification.reasons[0]?.message ?? '' };
    entry.runs.add(`${zeros}${sparse ? 's' : 'r'}`);
    found.set(key, entry);
  }
}
console.log(`${perLength} files of 4 KiB for each zero-run length: ${found.size} verdict(s) to look at`);
for (const [key, { runs, reason }] of found)
  console.log(`${key}: ${[...runs].join(', ')}\n    ${reason.slice(0, 200)}`);
