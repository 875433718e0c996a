/**
 * Uniformly random bytes under every file extension a built-in detector declares, through every detector and
 * the classify stage: what a name alone makes of ciphertext. A verdict other than encrypted (or random key
 * material) is a name rule outranking the bytes: listed with its reason. Sizes 64 B to 64 KiB.
 *
 * Usage: node bench/extension-sweep.mjs [--seed 1]
 */
import { RANDOM_VERDICTS, loadRegistry, option, seededFill, underTsx } from './from-sources.mjs';

underTsx(import.meta.url);
const fill = seededFill(Number(option('--seed', 1)));
const { detectors, verdict } = await loadRegistry();

const extensions = new Set();
for (const d of detectors) for (const f of d.meta.formats) for (const e of f.extensions ?? []) extensions.add(e);
const found = new Map();
for (const ext of [...extensions].sort()) {
  for (const size of [64, 1000, 4096, 40000, 65536]) {
    const file = new Uint8Array(size);
    fill(file);
    const { classification, format } = await verdict(file, `f.${ext}`);
    if ((format && RANDOM_VERDICTS.has(format.id)) || classification.status === 'encrypted') continue;
    const key = `${classification.status} ${format?.id ?? '-'} (${format?.detector ?? '-'})`;
    const entry = found.get(key) ?? { reason: classification.reasons[0]?.message ?? '', cases: [] };
    entry.cases.push(`.${ext}@${size}`);
    found.set(key, entry);
  }
}
console.log(`${extensions.size} extensions, 5 sizes each`);
for (const [key, { reason, cases }] of [...found].sort((a, b) => b[1].cases.length - a[1].cases.length)) {
  console.log(`${String(cases.length).padStart(5)}  ${key}: ${cases.slice(0, 10).join(' ')}`);
  console.log(`       ${reason.slice(0, 200)}`);
}
