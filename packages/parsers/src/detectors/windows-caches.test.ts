import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { windowsCachesDetector } from './windows-caches.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { wholeFileProbe } from './probe.test-helper.js';
import type { Detection } from '@evtriage/core/contract';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../fixtures/windows-caches/', import.meta.url));
const fixture = (file: string) => new Uint8Array(fs.readFileSync(path.join(dir, file)));
const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };

// Built from libyal's dtformats layouts; the thumbnail is a real JPEG from cjpeg (fixtures/windows-memory-files/generate.sh).
testDetector(
  windowsCachesDetector,
  {
    fixtures: new URL('../../fixtures/windows-caches/', import.meta.url),
    valid: [
      {
        file: 'AgGlFaultHistory.db',
        format: 'windows-superfetch-db',
        status: 'opaque',
        reasons: ['SUPERFETCH_COMPRESSED'],
      },
      { file: 'AgAppLaunch.db', format: 'windows-superfetch-db', status: 'opaque', reasons: ['SUPERFETCH_COMPRESSED'] },
      {
        file: 'AgGlGlobalHistory.db',
        format: 'windows-superfetch-db',
        status: 'opaque',
        reasons: ['SUPERFETCH_COMPRESSED'],
      },
      { file: 'thumbcache_256.db', format: 'windows-thumbcache', status: 'opaque', reasons: ['THUMBCACHE_HEADER'] },
      {
        file: 'thumbcache_idx.db',
        format: 'windows-thumbcache-index',
        status: 'opaque',
        reasons: ['THUMBCACHE_INDEX_HEADER'],
      },
    ],
    invalid: [
      { file: 'mem0-notes.txt', name: 'text starting "MEM0"' },
      { file: 'cmmm-notes.txt', name: 'text starting "CMMM"' },
    ],
  },
  { framework: { describe, it } },
);

describe('Windows caches through the whole engine', () => {
  it('a compressed SuperFetch database is not a VeraCrypt volume', async () => {
    const items = await scanFixtures('windows-caches');
    expect(items.get('AgGlFaultHistory.db')?.classification.status).toBe('opaque');
    expect(items.get('AgGlFaultHistory.db')?.format?.id).toBe('windows-superfetch-db');
    expect(items.get('thumbcache_256.db')?.format?.id).toBe('windows-thumbcache');
    expect(items.get('AgGlGlobalHistory.db')?.classification.status).toBe('opaque');
  });

  it('checks the first entry of a thumbnail cache and the uncompressed size of a SuperFetch file', () => {
    const thumbs = Uint8Array.from(fixture('thumbcache_256.db'));
    thumbs[24] = 0x58; // the first entry no longer starts "CMMM"
    expect(windowsCachesDetector.detect(wholeFileProbe(thumbs), ctx)).toBeUndefined();
    const mem = Uint8Array.from(fixture('AgGlFaultHistory.db'));
    new DataView(mem.buffer).setUint32(4, 100, true); // smaller than the compressed bytes
    expect(windowsCachesDetector.detect(wholeFileProbe(mem), ctx)).toBeUndefined();
  });
});

// Flipped and cut copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: windows-caches', () => {
  const seeds: Array<[string, Uint8Array]> = [
    'AgGlFaultHistory.db',
    'AgAppLaunch.db',
    'thumbcache_256.db',
    'thumbcache_idx.db',
  ].map((file) => [path.basename(file), fixture(file).subarray(0, 4096)]);
  it('no exception on flipped and cut inputs', () => {
    const formats = new Set(windowsCachesDetector.meta.formats.map((f) => f.id));
    let recognised = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.nat(),
        ([name, seed], flips, cut) => {
          // Half the runs keep the whole seed (flips only), half cut it anywhere.
          const bytes = Buffer.from(cut % 2 === 0 ? seed : seed.subarray(0, cut % (seed.length + 1)));
          for (const [at, v] of flips) if (bytes.length > 0) bytes[at % bytes.length] = v;
          const d = windowsCachesDetector.detect(wholeFileProbe(bytes, name), ctx);
          if (d && !Array.isArray(d)) {
            expect(formats.has((d as Detection).format.id)).toBe(true);
            recognised++;
          }
        },
      ),
      { numRuns: 1500, seed: 1206 },
    );
    expect(recognised).toBeGreaterThan(50);
  });
});
