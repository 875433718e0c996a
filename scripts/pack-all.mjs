#!/usr/bin/env node
/**
 * Packs @evtriage/core, @evtriage/parsers and @evtriage/cli into
 * dist-packages/ (emptied first) with `pnpm pack`, which rewrites the
 * `workspace:*` dependencies to the packages' versions, so each tarball's
 * dependencies resolve from the registry or from a sibling tarball given in
 * the same `npm install`. Run it through `pnpm run pack:all` (which builds first).
 *
 * Prints the tarball paths, one a line.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist-packages');
const packages = ['core', 'parsers', 'cli'];

/** pnpm itself when this runs under `pnpm run`, else the pinned pnpm through npx. */
function pnpmCommand() {
  const execPath = process.env['npm_execpath'];
  if (execPath && /pnpm/.test(path.basename(execPath))) return [process.execPath, [execPath]];
  return ['npx', ['-y', 'pnpm@10.34.9']];
}

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
for (const name of packages) {
  if (!fs.existsSync(path.join(root, 'packages', name, 'dist', 'index.js'))) {
    console.error(`pack-all: packages/${name}/dist is missing; run "pnpm run build" first (pnpm run pack:all does).`);
    process.exit(2);
  }
}
// One pnpm for the three packages: a start of pnpm (through npx, outside `pnpm run`) costs more than a pack.
const [command, prefix] = pnpmCommand();
const filters = packages.flatMap((name) => ['--filter', `./packages/${name}`]);
const r = spawnSync(command, [...prefix, '-r', ...filters, 'pack', '--pack-destination', out], {
  cwd: root,
  encoding: 'utf8',
});
if (r.status !== 0) {
  console.error(`pack-all: pnpm pack failed:\n${r.stdout}${r.stderr}`);
  process.exit(r.status ?? 1);
}
for (const f of fs
  .readdirSync(out)
  .filter((f) => f.endsWith('.tgz'))
  .sort())
  console.log(path.join(out, f));
