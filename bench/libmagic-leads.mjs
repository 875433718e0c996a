/**
 * Checks the `leads` of the libmagic rules marked `highEntropy` against the libmagic evtriage runs
 * (wasmagic): every value of the first two bytes in front of two random bodies of 700 bytes (the second
 * with bytes 2-3 zero), 131,072 descriptions. Each answer a high-entropy rule maps must have its lead
 * bytes: the libmagic gate (packages/parsers/src/detectors/libmagic-gate.ts) relies on it, since a head
 * no lead accepts is not shown to libmagic when its bytes are random. Exits 1 on a counterexample.
 * About 30 s of CPU. Usage (after the build): node bench/libmagic-leads.mjs
 */
import { createHash } from 'node:crypto';
import { libmagic } from '../packages/parsers/dist/detectors/libmagic.js';
import { ruleFor } from '../packages/parsers/dist/detectors/libmagic-rules.js';

/** Fixed pseudo-random bytes for `seed`: SHA-512 in counter mode (the same on every run). */
function seededBytes(seed, n) {
  const blocks = [];
  for (let i = 0; i * 64 < n; i++) blocks.push(createHash('sha512').update(`${seed}:${i}`).digest());
  return new Uint8Array(Buffer.concat(blocks).subarray(0, n));
}

const magic = await libmagic();
let asked = 0;
let unled = 0;
const named = {};
for (const [seed, zeroes] of [
  [11, false],
  [12, true],
]) {
  const buf = seededBytes(seed * 7919, 700);
  if (zeroes) buf.fill(0, 2, 4);
  for (let v = 0; v < 65536; v++) {
    buf[0] = v >> 8;
    buf[1] = v & 0xff;
    const description = magic.describe(buf);
    asked++;
    const rule = ruleFor(description);
    if (!rule?.highEntropy) continue;
    named[rule.format.id] = (named[rule.format.id] ?? 0) + 1;
    if (!rule.leads?.(buf)) {
      unled++;
      console.log(`not led: ${rule.format.id} ${Buffer.from(buf.subarray(0, 8)).toString('hex')} "${description}"`);
    }
  }
}
console.log(JSON.stringify({ asked, named, unled }));
process.exit(unled ? 1 : 0);
