/**
 * Every two-byte prefix in front of uniformly random bytes, through every built-in detector and the
 * classify stage: what the registry says of ciphertext that happens to start like a format. Encrypted data
 * starts with any given two bytes once in 65,536 files, so a magic number short enough to be hit this way
 * must be confirmed by structure (a header checksum, frames that chain, a trial decode) or it turns
 * ciphertext into a readable format. Lists each prefix whose verdict is not encrypted (or key-sized random
 * material), grouped by format, with the winning reason.
 *
 * Usage: node bench/prefix-sweep.mjs [--size 4096] [--seed 1] [--ext bin] [--third <hex byte>] [--at 0]
 *   --third fixes a third byte (e.g. 08 after 1F 8B) to sweep three-byte prefixes that start the same way;
 *   --at puts the two bytes at another offset (signatures inside a header: 510, 1024, 1080...).
 */
import { RANDOM_VERDICTS, loadRegistry, option, seededFill, underTsx } from './from-sources.mjs';

underTsx(import.meta.url);
const size = Number(option('--size', 4096));
const name = `f.${option('--ext', 'bin')}`;
const third = option('--third');
const at = Number(option('--at', 0));
const fill = seededFill(Number(option('--seed', 1)));
const { verdict } = await loadRegistry();

const found = new Map();
const t0 = process.cpuUsage();
const file = new Uint8Array(size);
for (let prefix = 0; prefix < 0x10000; prefix++) {
  fill(file);
  file[at] = prefix >> 8;
  file[at + 1] = prefix & 0xff;
  if (third !== undefined) file[at + 2] = parseInt(third, 16);
  const { classification, format } = await verdict(file, name);
  if (format && RANDOM_VERDICTS.has(format.id)) continue;
  const key = `${classification.status} ${format?.id ?? '-'} (${format?.detector ?? '-'})`;
  const list = found.get(key) ?? { reason: classification.reasons[0]?.message ?? '', prefixes: [] };
  list.prefixes.push(prefix.toString(16).padStart(4, '0') + (third ?? ''));
  found.set(key, list);
}
const cpu = process.cpuUsage(t0);
console.log(
  `${size}-byte random bodies, 65,536 two-byte values at ${at}, ${((cpu.user + cpu.system) / 65536).toFixed(0)} µs CPU each`,
);
for (const [key, { reason, prefixes }] of [...found].sort((a, b) => b[1].prefixes.length - a[1].prefixes.length)) {
  console.log(`${String(prefixes.length).padStart(6)}  ${key}: ${prefixes.slice(0, 12).join(' ')}`);
  console.log(`        ${reason.slice(0, 200)}`);
}
