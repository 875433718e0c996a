/**
 * The bytes the world adds to a file, or takes from it, as the transform experiment and the fixtures'
 * `appended/make.sh` scripts make them: one definition of each change.
 *
 * CLI: node scripts/appended-bytes.mjs <lf|text2k|byte1|zpad4k|half> <file>  (the changed bytes on stdout;
 * `text2k /dev/null` gives the 2 KiB of log lines alone).
 */
import { readFileSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** 2 KiB of syslog-like lines, the same on every run. */
export const LOG_TEXT = (() => {
  const lines = [];
  for (let i = 0; lines.join('').length < 2048; i++) {
    const s = String(i % 60).padStart(2, '0');
    lines.push(
      `Dec  7 23:${String(10 + (i % 50)).padStart(2, '0')}:${s} host kernel: [${1000 + i * 7}.${String(i * 131).padStart(6, '0')}] usb 1-${1 + (i % 4)}: new high-speed USB device number ${i + 2} using xhci_hcd\n`,
    );
  }
  return Buffer.from(lines.join('')).subarray(0, 2048);
})();

/** The changed bytes, or undefined when the change does not apply (a file too small to halve). */
export const CHANGES = {
  lf: (b) => Buffer.concat([b, Buffer.from('\n')]),
  text2k: (b) => Buffer.concat([b, LOG_TEXT]),
  byte1: (b) => Buffer.concat([b, Buffer.alloc(1)]),
  zpad4k: (b) => Buffer.concat([b, Buffer.alloc(4096 - (b.length % 4096))]),
  half: (b) => (b.length >= 2 ? b.subarray(0, Math.floor(b.length / 2)) : undefined),
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [change, file] = process.argv.slice(2);
  if (!CHANGES[change] || !file) {
    process.stderr.write(`usage: node scripts/appended-bytes.mjs <${Object.keys(CHANGES).join('|')}> <file>\n`);
    process.exit(2);
  }
  const out = CHANGES[change](readFileSync(file));
  if (out) writeSync(1, out);
}
