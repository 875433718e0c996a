#!/usr/bin/env node
/**
 * Gathers the fixtures of the plugins whose decisions need sibling files into one tree, for
 * bench/container-parity.mjs: every built-in plugin that declares `meta.indexPatterns` (paths looked
 * for beside an item: key files, playlists, backup descriptors) and those that read a companion
 * (`readSibling`: mmkv-meta's `.crc`, sqlite-wal's `-wal`), each fixture folder
 * (`packages/parsers/fixtures/<plugin id>`) copied under its id.
 *
 * Usage: node bench/context-fixtures.mjs <out dir>   (needs a built packages/parsers)
 * Prints the plugin ids copied, and those that declare patterns but have no fixture folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2];
if (!out) {
  console.error('usage: node bench/context-fixtures.mjs <out dir>');
  process.exit(2);
}
const { builtinPlugins } = await import(path.join(repo, 'packages/parsers/dist/index.js'));
/** Plugins that read a companion file by suffix (readSibling) rather than declare patterns. */
const COMPANION_READERS = ['mmkv-meta', 'sqlite-wal'];
/** Plugins whose fixtures lie in the folder of the detector they work beside. */
const FIXTURES_OF = { 'hls-segments': 'hls-playlist', 'mmkv-meta': 'mmkv', 'git-loose-objects': 'git-data' };
const ids = [
  ...new Set([
    ...builtinPlugins.filter((p) => p.meta?.indexPatterns?.length).map((p) => p.meta.id),
    ...COMPANION_READERS,
  ]),
].sort();
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const copied = [];
const missing = [];
for (const id of ids) {
  const dir = path.join(repo, 'packages/parsers/fixtures', FIXTURES_OF[id] ?? id);
  if (!fs.existsSync(dir)) {
    missing.push(id);
    continue;
  }
  fs.cpSync(dir, path.join(out, id), { recursive: true });
  copied.push(id);
}
console.log(`copied ${copied.length}: ${copied.join(' ')}`);
if (missing.length) console.log(`no fixture folder: ${missing.join(' ')}`);
