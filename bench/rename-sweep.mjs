/**
 * What a file's name decides: copies (a sample of) a tree four ways and scans each copy with the CLI —
 *   named:    under its own relative path (the baseline),
 *   bare:     flat, as `fNNNNN` with no extension,
 *   shuffled: flat, as `fNNNNN.<another sampled file's extension>` (seeded draw),
 *   lying:    flat, under names that claim encryption or key material (`encrypted_fNNNNN.<ext>`,
 *             `fNNNNN.<ext>.enc`, `fNNNNN.key`, `fNNNNN.<ext>.locked`, in turn),
 * and lists every file whose status or format differs from the named scan, with the winning reason.
 * With --labels (labels.tsv files of the tree, comma-separated) it writes relabelled copies for score.py beside
 * each folder (`<mode>.<labels file name>`).
 * The source tree is only read.
 *
 * Usage: node bench/rename-sweep.mjs --root DIR --out /tmp/x [--max 3000] [--max-size 2097152] [--seed 1]
 *        [--labels a.tsv,b.tsv] [--modes bare,shuffled,lying]
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { regularFiles } from '../scripts/regular-files.mjs';

const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : process.argv[at + 1];
};
const root = option('--root');
const out = option('--out');
if (!root || !out) throw new Error('--root and --out are required');
const max = Number(option('--max', 3000));
const maxSize = Number(option('--max-size', 2 * 1024 * 1024));
const modes = option('--modes', 'bare,shuffled,lying').split(',');
const labelsPaths = option('--labels', '').split(',').filter(Boolean);
let seed = Number(option('--seed', 1)) >>> 0;
const random = () => {
  // mulberry32: a fixed seed gives the same sample and the same extension draw on every run
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const files = regularFiles(root, maxSize);
for (let i = files.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [files[i], files[j]] = [files[j], files[i]];
}
const sample = files.slice(0, max).sort();
const extensionOf = (path) => extname(path).slice(1);
const extensions = sample.map(extensionOf).filter((e) => e !== '' && e.length <= 8);
const lyingName = (n, ext) => {
  const dot = ext ? `.${ext}` : '';
  return [`encrypted_${n}${dot}`, `${n}${dot}.enc`, `${n}.key`, `${n}${dot}.locked`][Number(n.slice(1)) % 4];
};
const nameFor = {
  named: (path) => relative(root, path),
  bare: (_path, n) => n,
  shuffled: (_path, n) => `${n}.${extensions[Math.floor(random() * extensions.length)] ?? 'bin'}`,
  lying: (path, n) => lyingName(n, extensionOf(path)),
};

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'cli', 'dist', 'bin.js');
const scan = (mode) => {
  const folder = join(out, mode);
  rmSync(folder, { recursive: true, force: true });
  const names = new Map();
  sample.forEach((path, i) => {
    const name = nameFor[mode](path, `f${String(i).padStart(5, '0')}`);
    mkdirSync(dirname(join(folder, name)), { recursive: true });
    copyFileSync(path, join(folder, name));
    names.set(name, relative(root, path));
  });
  const manifest = join(out, `${mode}.ndjson`);
  // the CLI's exit status reports findings (encrypted items, errors); only a missing manifest is a failure
  const run = spawnSync('node', [cli, 'scan', folder, '-o', manifest, '-f', 'ndjson', '-q'], { stdio: 'inherit' });
  if (run.error) throw run.error;
  const verdicts = new Map();
  for (const line of readFileSync(manifest, 'utf8').split('\n')) {
    if (!line) continue;
    const item = JSON.parse(line);
    if (item.type !== 'item' || item.path.includes('!/') || !names.has(item.path)) continue;
    const reason = item.classification?.reasons?.[0];
    verdicts.set(names.get(item.path), {
      name: item.path,
      status: item.classification?.status,
      format: item.format?.id ?? '-',
      reason: `${reason?.code ?? ''}: ${(reason?.message ?? '').slice(0, 160)}`,
    });
  }
  for (const labels of labelsPaths) {
    const byOriginal = new Map([...names].map(([name, original]) => [original, name]));
    const lines = readFileSync(labels, 'utf8').split('\n');
    const relabelled = [lines[0]];
    for (const line of lines.slice(1)) {
      const [path, ...rest] = line.split('\t');
      if (byOriginal.has(path)) relabelled.push([byOriginal.get(path), ...rest].join('\t'));
    }
    writeFileSync(join(out, `${mode}.${basename(labels)}`), `${relabelled.join('\n')}\n`);
  }
  return verdicts;
};

mkdirSync(out, { recursive: true });
const named = scan('named');
console.log(`${sample.length} files of ${files.length} (≤ ${maxSize} bytes) from ${root}`);
for (const mode of modes) {
  const renamed = scan(mode);
  const changed = [];
  for (const [original, before] of named) {
    const after = renamed.get(original);
    if (!after || (after.status === before.status && after.format === before.format)) continue;
    changed.push({ original, before, after });
  }
  console.log(`\n== ${mode}: ${changed.length} of ${named.size} changed`);
  for (const { original, before, after } of changed)
    console.log(
      `${before.status}/${before.format} -> ${after.status}/${after.format}  ${original}  as ${after.name}\n    ${after.reason}\n    was ${before.reason}`,
    );
}
