/**
 * Every signature a built-in detector declares (anchored at a fixed offset), with uniformly random bytes
 * around and after it, through every detector and the classify stage. A format whose body is structured must
 * not be believed from its magic alone: random bytes there are a damaged file or ciphertext with a chance
 * prefix. Lists each signature whose verdict is readable (analysable), with the reason, so each can be
 * checked: a format whose body is compressed or encrypted by design may rightly be named.
 *
 * Usage: node bench/magic-sweep.mjs [--seed 1] [--sizes 4096,40000]
 */
import { loadRegistry, option, seededFill, underTsx } from './from-sources.mjs';

underTsx(import.meta.url);
const fill = seededFill(Number(option('--seed', 1)));
const sizes = option('--sizes', '4096,40000').split(',').map(Number);
const { detectors, verdict } = await loadRegistry();

const found = [];
let tried = 0;
for (const d of detectors) {
  for (const s of d.signatures ?? []) {
    if (s.fromEnd || s.within) continue;
    const magic = s.hex ? Buffer.from(s.hex, 'hex') : Buffer.from(s.ascii ?? '', 'latin1');
    for (const size of sizes) {
      if (s.offset + magic.length > size) continue;
      const file = new Uint8Array(size);
      fill(file);
      file.set(magic, s.offset);
      tried++;
      const { classification, format } = await verdict(file, 'f.bin');
      if (classification.status !== 'analysable') continue;
      found.push(
        `${d.meta.id} @${s.offset} ${s.hex ?? JSON.stringify(s.ascii)} (${size} B) -> ${format?.id} (${format?.detector}): ${classification.reasons[0]?.message.slice(0, 160)}`,
      );
    }
  }
}
console.log(`${tried} signature and size pairs; ${found.length} called readable:`);
for (const line of found) console.log(`  ${line}`);
