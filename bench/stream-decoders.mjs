#!/usr/bin/env node
/**
 * Decoding throughput of the compressed-stream decoders as the sources use them (decompress() over a file read
 * in 1 MiB chunks, every chunk taken by nextChunk), against the Debian tool decoding the same file to /dev/null.
 * Reports MB of output per second of wall time and of CPU time, and the longest step (one nextChunk).
 *
 *   npm run build && node bench/stream-decoders.mjs [--bytes 50000000] [--runs 2] [--codecs lzma,lzip,xz]
 *
 * Input: the first --bytes of a tar of /usr/share/doc (mostly gzipped files), compressed by each tool, and a
 * 256 MiB run of zeros (a bomb). Needs xz, lzip, zstd, bzip2 and GNU tar.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { decompress } = await import(path.join(root, 'packages/core/dist/sources/compressed.js'));
const { nextChunk, readableFrom } = await import(path.join(root, 'packages/core/dist/sources/readers.js'));
const { openLocalReader } = await import(path.join(root, 'packages/core/dist/sources/folder.js'));

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const BYTES = Number(arg('bytes', 50_000_000));
const RUNS = Number(arg('runs', 2));
const CODECS = arg('codecs', 'lzma,lzip,xz,zstd,bzip2').split(',');
const TOOLS = {
  lzma: { ext: 'lzma', make: ['xz', '--format=lzma', '-6', '-c'], decode: ['xz', '--format=lzma', '-dc'] },
  lzip: { ext: 'lz', make: ['lzip', '-6', '-c'], decode: ['lzip', '-dc'] },
  xz: { ext: 'xz', make: ['xz', '-6', '-c'], decode: ['xz', '-dc'] },
  zstd: { ext: 'zst', make: ['zstd', '-q', '-3', '-c'], decode: ['zstd', '-q', '-dc'] },
  bzip2: { ext: 'bz2', make: ['bzip2', '-9', '-c'], decode: ['bzip2', '-dc'] },
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-stream-bench-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const plain = path.join(dir, 'doc.tar');
execFileSync('sh', ['-c', `tar -cf - -C /usr/share/doc . 2>/dev/null | head -c ${BYTES} > ${plain}`]);
const zeros = path.join(dir, 'zeros');
execFileSync('sh', ['-c', `head -c ${256 * 1024 * 1024} /dev/zero > ${zeros}`]);

function compress(codec, input) {
  const t = TOOLS[codec];
  const out = `${input}.${t.ext}`;
  const fd = fs.openSync(out, 'w');
  spawnSync(t.make[0], [...t.make.slice(1), input], { stdio: ['ignore', fd, 'inherit'] });
  fs.closeSync(fd);
  return out;
}

async function decode(codec, file) {
  const reader = await openLocalReader(file);
  const r = decompress(codec, readableFrom(reader, 0, reader.size, 1024 * 1024));
  let out = 0;
  let longest = 0;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  for (;;) {
    const s = performance.now();
    const c = await nextChunk(r);
    longest = Math.max(longest, performance.now() - s);
    if (c === null) break;
    out += c.length;
  }
  const wall = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu);
  await reader.close();
  return { out, wall, cpu: (used.user + used.system) / 1e6, longest };
}

function tool(codec, file) {
  const t = TOOLS[codec];
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', ...t.decode, file], { stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = (performance.now() - t0) / 1000;
  const [u, s] = r.stderr.toString().trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: u + s };
}

const mb = (n, s) => (n / 1e6 / s).toFixed(0);
console.log(`| codec | input | evtriage MB/s (wall / CPU) | longest step | the tool MB/s (wall / CPU) |`);
console.log(`|---|---|---|---|---|`);
for (const codec of CODECS) {
  for (const [label, input] of [
    ['doc tar', plain],
    ['zeros', zeros],
  ]) {
    const packed = compress(codec, input);
    let best;
    for (let i = 0; i < RUNS; i++) {
      const d = await decode(codec, packed);
      if (!best || d.wall < best.wall) best = d;
    }
    const size = fs.statSync(input).size;
    if (best.out !== size) throw new Error(`${codec}: ${best.out} bytes out of ${size}`);
    const t = tool(codec, packed);
    console.log(
      `| ${codec} | ${label} (${(size / 1e6).toFixed(0)} MB) | ${mb(size, best.wall)} / ${mb(size, best.cpu)} | ${best.longest.toFixed(0)} ms | ${mb(size, t.wall)} / ${mb(size, t.cpu)} |`,
    );
    fs.rmSync(packed);
  }
}
