import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { windowsCachesDetector } from './windows-caches.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';
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
  fuzzFlipCutGrow(windowsCachesDetector, seeds, 50, { wholeHalf: true, ctx });
});
