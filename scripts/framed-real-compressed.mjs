#!/usr/bin/env node
/**
 * Real compressed data in the shapes the statistics' framing rules look at (record-framing.ts), to check they do
 * not call it encrypted: 1,500 of Debian's gzip files under /usr/share (every ninth, sorted), each as its DEFLATE
 * body (RFC 1952 header skipped) or its text re-encoded as Brotli (node:zlib), behind a made 24-byte header, cut
 * into records of 16-250 bytes behind a 3-letter tag and a 1-, 2- or 4-byte length, or in blocks of 128-512 bytes
 * behind a 32-bit counter. Every file is compressed data: any `encrypted` outcome is a false positive.
 * Run: node scripts/framed-real-compressed.mjs /tmp/rf; node packages/cli/dist/bin.js scan /tmp/rf/files -o rf.ndjson -f ndjson -q
 */
import { readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import zlib from 'node:zlib';
const out = `${process.argv[2] ?? '/tmp/framed-real-compressed'}/files`;
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const list = execFileSync(
  'bash',
  ['-c', 'find /usr/share -name "*.gz" -size +1k -size -2M | sort | awk "NR%9==0" | head -1500'],
  { maxBuffer: 1 << 26 },
)
  .toString()
  .trim()
  .split('\n');
let x = 12345;
const r = (lo, hi) => {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return lo + ((x >>> 0) % (hi - lo + 1));
};
function body(gz) {
  let at = 10;
  const f = gz[3];
  if (f & 4) at += 2 + gz.readUInt16LE(at);
  if (f & 8) at = gz.indexOf(0, at) + 1;
  if (f & 16) at = gz.indexOf(0, at) + 1;
  if (f & 2) at += 2;
  return gz.subarray(at, gz.length - 8);
}
function records(b, w) {
  const parts = [Buffer.from('VLT2\x01\x00')];
  for (let at = 0; at < b.length;) {
    const n = Math.min(r(16, 250), b.length - at);
    if (n < 8) break;
    const len = Buffer.alloc(w);
    if (w === 1) len[0] = n;
    else if (w === 2) len.writeUInt16BE(n);
    else len.writeUInt32LE(n);
    parts.push(Buffer.from('K' + String.fromCharCode(r(65, 90), r(65, 90))), len, b.subarray(at, at + n));
    at += n;
  }
  return Buffer.concat(parts);
}
function blocks(b, size) {
  const parts = [Buffer.from('BLK1\x00\x02\x00\x00')];
  let i = 0;
  for (let at = 0; at + size - 4 <= b.length; at += size - 4) {
    const h = Buffer.alloc(4);
    h.writeUInt32LE(i++);
    parts.push(h, b.subarray(at, at + size - 4));
  }
  return Buffer.concat(parts);
}
let n = 0;
for (const [i, f] of list.entries()) {
  let gz;
  try {
    gz = readFileSync(f);
  } catch {
    continue;
  }
  if (gz[0] !== 0x1f || gz[1] !== 0x8b) continue;
  const d = body(gz);
  let plain;
  try {
    plain = zlib.gunzipSync(gz);
  } catch {
    continue;
  }
  const br = zlib.brotliCompressSync(plain);
  const hdr = Buffer.concat([Buffer.from('QXZT'), Buffer.from([1, 0, 0, 0]), Buffer.alloc(16, 0x5a)]);
  const v = i % 6;
  const file =
    v === 0
      ? Buffer.concat([hdr, d])
      : v === 1
        ? Buffer.concat([hdr, br])
        : v === 2
          ? records(d, [1, 2, 4][i % 3])
          : v === 3
            ? records(br, [1, 2, 4][i % 3])
            : v === 4
              ? blocks(d, [128, 256, 512][i % 3])
              : blocks(br, [128, 256, 512][i % 3]);
  writeFileSync(
    `${out}/r${String(i).padStart(5, '0')}-${['hdr-deflate', 'hdr-brotli', 'rec-deflate', 'rec-brotli', 'blk-deflate', 'blk-brotli'][v]}.dat`,
    file,
  );
  n++;
}
console.log(n, 'files');
