/**
 * The built-in plugins load without the native LZMA addon; the first call
 * loads it, once. Checked in a fresh process over the build (another test
 * file in this worker may already have loaded it).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');

const script = (plugins: string, lazy: string) => `
import { createRequire } from 'node:module';
const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('/@napi-rs/')).length > 0;
await import(${JSON.stringify(plugins)});
const { napiLzma } = await import(${JSON.stringify(lazy)});
const atStart = loaded();
const first = napiLzma();
const packed = first.lzma.compressSync(Buffer.from('lzma on first use'));
console.log(JSON.stringify({ atStart, afterUse: loaded(), same: napiLzma() === first, text: first.lzma.decompressSync(packed).toString() }));
`;

describe('@napi-rs/lzma loaded on first use', () => {
  it('importing the built-in plugins does not load it; the first call does, once', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        script(
          pathToFileURL(path.join(dist, 'builtin-plugins.js')).href,
          pathToFileURL(path.join(dist, 'lzma.js')).href,
        ),
      ],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(out)).toEqual({ atStart: false, afterUse: true, same: true, text: 'lzma on first use' });
  });
});
