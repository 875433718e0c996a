#!/usr/bin/env node
/**
 * Container parity: the verdict on a file must not depend on the container it arrives in.
 * Packs a tree with the real tools into each container kind (ZIP stored and deflated, TAR,
 * TAR.GZ/.XZ/.ZST, 7z, cpio, ISO 9660, and two levels: a ZIP inside a TAR, a TAR.GZ inside a 7z),
 * puts each container in a folder of its own (so it is an archive *inside* the source, with the
 * ratio guard and the other limits of nested archives), scans it, maps each member's path back
 * (`wrap/tree.zip!/a/b` -> `a/b`) and lists every file whose status, format, encryption scheme, key
 * hint (`present`) or error codes differ from the flat scan of the tree, or which is missing or extra.
 * With `--top`, each archive that is also a source kind (ZIP, TAR, TAR.GZ/.XZ/.ZST, 7z) is scanned
 * as the source itself too (`<kind>@top`). Decisions that need sibling files (`indexPatterns`, key
 * hints, companions) are what this checks beyond the bytes.
 *
 * Usage: node bench/container-parity.mjs <tree> [--kinds zip,tar,...] [--out dir] [--show 20]
 *        [--top] [--bin path/to/bin.js] [--no-codes]
 * `--bin` scans with another build (a baseline); `--no-codes` leaves error codes out of the comparison.
 * Needs zip, tar, gzip, xz, zstd, 7zz, cpio, xorriso on PATH and a built CLI. Exit 1 when any
 * member differs. Prints one line per kind: `kind members differing / files`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { args, hasFlag, takeFlag } from './options.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.resolve(takeFlag('--bin', path.join(repo, 'packages/cli/dist/bin.js')));
const top = hasFlag('--top');
const codes = !hasFlag('--no-codes');
/** Kinds that are also sources of their own (scanned directly with --top). */
const SOURCE_KINDS = new Set(['zip', 'zip-stored', 'tar', 'tar.gz', 'tar.xz', 'tar.zst', '7z']);
const out = path.resolve(takeFlag('--out', fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-parity-'))));
const show = Number(takeFlag('--show', '20'));
const ALL = ['zip', 'zip-stored', 'tar', 'tar.gz', 'tar.xz', 'tar.zst', '7z', 'cpio', 'iso', 'zip-in-tar', 'tgz-in-7z'];
const kinds = takeFlag('--kinds', ALL.join(',')).split(',');
const tree = path.resolve(args[0] ?? '');
if (!args[0] || !fs.statSync(tree).isDirectory()) {
  console.error('usage: node bench/container-parity.mjs <tree> [--kinds k1,k2] [--out dir] [--show N]');
  process.exit(2);
}
fs.mkdirSync(out, { recursive: true });

const run = (cmd, argv, opts = {}) => execFileSync(cmd, argv, { stdio: ['ignore', 'ignore', 'inherit'], ...opts });
/** Regular files of the tree, relative, sorted (the list every packer is given). */
function filesOf(root) {
  const list = [];
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) list.push(r);
    }
  };
  walk('');
  return list.sort();
}

/** Packs the tree into `dest` with the real tool of `kind`. */
function pack(kind, dest) {
  const list = path.join(out, 'files.lst');
  const tar = (extra) => run('tar', ['-cf', dest, '-C', tree, ...extra, '-T', list]);
  switch (kind) {
    case 'zip':
    case 'zip-stored':
      return run('sh', ['-c', `cd "${tree}" && zip -q -X ${kind === 'zip' ? '-9' : '-0'} "${dest}" -@ < "${list}"`]);
    case 'tar':
      return tar([]);
    case 'tar.gz':
      return tar(['-z']);
    case 'tar.xz':
      return tar(['-J']);
    case 'tar.zst':
      return tar(['--zstd']);
    case '7z':
      return run('7zz', ['a', '-bd', '-y', dest, `@${list}`], { cwd: tree });
    case 'cpio':
      return run('sh', ['-c', `cd "${tree}" && cpio -o -H newc --quiet < "${list}" > "${dest}"`]);
    case 'iso':
      // Rock Ridge names (ISO level 3 so large files fit); -graft-points keeps each file's path.
      return run('xorriso', ['-as', 'mkisofs', '-quiet', '-R', '-iso-level', '3', '-o', dest, tree]);
    case 'zip-in-tar': {
      const inner = path.join(out, 'inner', 'tree.zip');
      fs.mkdirSync(path.dirname(inner), { recursive: true });
      fs.rmSync(inner, { force: true });
      pack('zip', inner);
      return run('tar', ['-cf', dest, '-C', path.dirname(inner), 'tree.zip']);
    }
    case 'tgz-in-7z': {
      const inner = path.join(out, 'inner', 'tree.tar.gz');
      fs.mkdirSync(path.dirname(inner), { recursive: true });
      fs.rmSync(inner, { force: true });
      pack('tar.gz', inner);
      return run('7zz', ['a', '-bd', '-y', dest, inner]);
    }
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}
const fileName = (kind) =>
  ({ 'zip-stored': 'tree.zip', 'zip-in-tar': 'outer.tar', 'tgz-in-7z': 'outer.7z' })[kind] ?? `tree.${kind}`;

function scan(input, manifest) {
  const r = spawnSync('nice', [process.execPath, bin, 'scan', input, '-o', manifest, '-f', 'ndjson', '-q'], {
    stdio: 'inherit',
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`scan of ${input} exited with ${r.status}`);
}

/** The verdict compared: status, format, scheme, key hint, error codes (sorted); by path with `prefix` cut. */
function verdicts(manifest, prefix) {
  const map = new Map();
  for (const line of fs.readFileSync(manifest, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const o = JSON.parse(line);
    if (o.type !== 'item' || o.kind === 'directory') continue;
    if (!o.path.startsWith(prefix)) continue;
    const errs = codes ? [...new Set((o.errors ?? []).map((e) => e.code))].sort().join(',') : '';
    const enc = o.encryption ? ` ${o.encryption.scheme ?? '-'} key:${o.encryption.keyHint?.present ?? '-'}` : '';
    map.set(o.path.slice(prefix.length), `${o.classification?.status} ${o.format?.id ?? '-'}${enc} [${errs}]`);
  }
  return map;
}

fs.writeFileSync(path.join(out, 'files.lst'), filesOf(tree).join('\n') + '\n');
const flatManifest = path.join(out, 'flat.ndjson');
scan(tree, flatManifest);
const flat = verdicts(flatManifest, '');
let failed = 0;
const summary = [];
/** Compares one scan's members with the flat scan's, and reports. */
function compare(kind, got) {
  const diffs = [];
  for (const [p, v] of flat) {
    const w = got.get(p);
    if (w !== v) diffs.push(`${p}\n    flat: ${v}\n    ${kind}: ${w ?? 'MISSING'}`);
  }
  for (const [p, w] of got) if (!flat.has(p)) diffs.push(`${p}\n    flat: MISSING\n    ${kind}: ${w}`);
  fs.writeFileSync(path.join(out, `${kind}.diff.txt`), diffs.join('\n') + '\n');
  summary.push(`${kind.padEnd(11)} ${String(diffs.length).padStart(5)} differing / ${flat.size} items`);
  console.log(summary.at(-1));
  for (const d of diffs.slice(0, show)) console.log(`  ${d}`);
  if (diffs.length) failed = 1;
}

for (const kind of kinds) {
  const wrap = path.join(out, `wrap-${kind}`);
  fs.rmSync(wrap, { recursive: true, force: true });
  fs.mkdirSync(wrap);
  const name = fileName(kind);
  pack(kind, path.join(wrap, name));
  const manifest = path.join(out, `${kind}.ndjson`);
  scan(wrap, manifest);
  const inner = { 'zip-in-tar': 'tree.zip!/', 'tgz-in-7z': 'tree.tar.gz!/' }[kind] ?? '';
  compare(kind, verdicts(manifest, `${name}!/${inner}`));
  if (top && SOURCE_KINDS.has(kind)) {
    // The archive as the source itself: its members' paths are the archive's own.
    const topManifest = path.join(out, `${kind}@top.ndjson`);
    scan(path.join(wrap, name), topManifest);
    compare(`${kind}@top`, verdicts(topManifest, ''));
  }
  fs.rmSync(wrap, { recursive: true, force: true });
}
console.log(`\n${summary.join('\n')}\n(differences in ${out}/<kind>.diff.txt)`);
process.exit(failed);
