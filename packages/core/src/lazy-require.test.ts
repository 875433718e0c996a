/**
 * The CommonJS dependencies that most scans' processes never use are not
 * loaded with core, only on first use. Checked in a fresh process over the
 * build (another test file in this worker may already have loaded them).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');

const script = (core: string, lazy: string) => `
import { createRequire } from 'node:module';
const loaded = () => [...new Set(Object.keys(createRequire(import.meta.url).cache)
  .map((k) => /node_modules\\/(better-sqlite3|tar-stream|yauzl)\\//.exec(k)?.[1]).filter(Boolean))].sort();
await import(${JSON.stringify(core)});
const lazy = await import(${JSON.stringify(lazy)});
const atStart = loaded();
const modules = [lazy.betterSqlite3(), lazy.tarStream(), lazy.yauzlModule()];
console.log(JSON.stringify({ atStart, afterUse: loaded(), same: lazy.yauzlModule() === modules[2], open: typeof modules[0] }));
`;

describe('dependencies loaded on first use', () => {
  it('importing @evtriage/core loads none of better-sqlite3, tar-stream and yauzl; the first call loads each, once', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        script(pathToFileURL(path.join(dist, 'index.js')).href, pathToFileURL(path.join(dist, 'lazy-require.js')).href),
      ],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(out)).toEqual({
      atStart: [],
      afterUse: ['better-sqlite3', 'tar-stream', 'yauzl'],
      same: true,
      open: 'function',
    });
  });
});

const plistScript = (core: string) => `
import { createRequire } from 'node:module';
const loaded = () => [...new Set(Object.keys(createRequire(import.meta.url).cache)
  .map((k) => /node_modules\\/(@xmldom\\/xmldom|saxes|xmlbuilder)\\//.exec(k)?.[1]).filter(Boolean))].sort();
const core = await import(${JSON.stringify(core)});
const atStart = loaded();
const xml = core.decodePlist(Buffer.from('<?xml version="1.0"?><plist version="1.0"><dict><key>a</key><integer>1</integer></dict></plist>'));
const afterXml = loaded();
const openStep = core.decodePlist(Buffer.from('{ b = "two"; }'));
console.log(JSON.stringify({ atStart, afterXml, afterOpenStep: loaded(), xml, openStep }));
`;

describe('plist decoding loaded on first use', () => {
  it('importing @evtriage/core loads no plist library; an XML plist loads saxes, an OpenStep one the plist package', () => {
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', plistScript(pathToFileURL(path.join(dist, 'index.js')).href)],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(out)).toEqual({
      atStart: [],
      afterXml: ['saxes'],
      afterOpenStep: ['@xmldom/xmldom', 'saxes', 'xmlbuilder'],
      xml: { a: 1 },
      openStep: { b: 'two' },
    });
  });
});
