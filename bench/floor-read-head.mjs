/**
 * The floor: the least work any identification can do — walk the tree
 * (sync readdir + lstat), open each regular file, read its first 4 KiB,
 * close it. One thread, synchronous calls, nothing else. evtriage's
 * identification is measured against this (target: at least half of it).
 *
 * Usage: node bench/floor-read-head.mjs <folder>
 * Prints one JSON line: { files, bytes, seconds, maxRssKiB }.
 */
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] ?? '.');
const buf = Buffer.allocUnsafe(4096);
let files = 0;
let bytes = 0;
const t0 = process.hrtime.bigint();
const stack = [root];
while (stack.length > 0) {
  const dir = stack.pop();
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    const st = fs.lstatSync(p);
    if (st.isDirectory()) stack.push(p);
    else if (st.isFile()) {
      const fd = fs.openSync(p, 'r');
      bytes += fs.readSync(fd, buf, 0, 4096, 0);
      fs.closeSync(fd);
      files++;
    }
  }
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ files, bytes, seconds, maxRssKiB: process.resourceUsage().maxRSS }));
