import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { testDetector } from '@evtriage/core/testing';
import { mobileHttpCachesDetector } from './mobile-http-caches.js';
import { DEFAULT_LIMITS } from '@evtriage/core';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/mobile-http-caches/', import.meta.url);
const OKHTTP = 'okhttp/cache/http/';
const CTX = { limits: DEFAULT_LIMITS };

testDetector(
  mobileHttpCachesDetector,
  {
    fixtures,
    valid: [
      {
        file: 'volley/-1581298305427263452',
        format: 'volley-cache-entry',
        status: 'opaque',
        reasons: ['VOLLEY_CACHE_ENTRY'],
      },
      {
        file: 'volley/1204987221-88172634',
        format: 'volley-cache-entry',
        status: 'opaque',
        reasons: ['VOLLEY_CACHE_ENTRY'],
      },
      {
        file: 'volley/99876123-1209',
        format: 'volley-cache-entry',
        status: 'opaque',
        reasons: ['VOLLEY_CACHE_ENTRY'],
      },
      {
        file: `${OKHTTP}journal`,
        format: 'disklrucache-journal',
        status: 'analysable',
        reasons: ['DISKLRUCACHE_JOURNAL'],
      },
      {
        file: 'glide/image_manager_disk_cache/journal',
        format: 'disklrucache-journal',
        status: 'analysable',
        reasons: ['DISKLRUCACHE_JOURNAL'],
      },
      {
        file: `${OKHTTP}0a7f767af85c5f85293311faac8bfb47.0`,
        format: 'okhttp-cache-metadata',
        status: 'analysable',
        reasons: ['OKHTTP_CACHE_METADATA'],
      },
      {
        file: `${OKHTTP}5f6b36da018dc1a8c126f36809b78e90.0`,
        format: 'okhttp-cache-metadata',
        status: 'analysable',
        reasons: ['OKHTTP_CACHE_METADATA'],
      },
    ],
    invalid: [
      { file: 'not-cache/random-after-magic.bin', name: "Volley's magic before random bytes" },
      { file: 'not-cache/urls.txt', name: 'a list of URLs (no request method on line 2)' },
      { file: 'not-cache/journal', name: 'the journal magic before a line that is not an entry' },
      { file: `${OKHTTP}0a7f767af85c5f85293311faac8bfb47.1`, name: "OkHttp's Brotli body (its own format)" },
      { file: `${OKHTTP}5f6b36da018dc1a8c126f36809b78e90.1`, name: "OkHttp's gzip body (its own format)" },
      {
        file: 'glide/image_manager_disk_cache/e0f84265e05a979e982623a3aaacc6bce7e990d7c9237fc692f2c7a51e3d4b20.0',
        name: "Glide's cached JPEG (its own format)",
      },
    ],
  },
  { framework: { describe, it } },
);

describe('mobile-http-caches details', () => {
  const detect = (file: string) => {
    const bytes = readFileSync(new URL(file, fixtures));
    return mobileHttpCachesDetector.detect(wholeFileProbe(bytes, file), CTX);
  };

  it("reads a Volley entry's key, headers and body kind", () => {
    const d = detect('volley/1204987221-88172634') as {
      details?: Record<string, unknown>;
      reasons: { figures?: Record<string, unknown> }[];
    };
    expect(d.details).toMatchObject({
      key: 'https://img.example.com/avatars/42.jpg',
      contentType: 'image/jpeg',
      body: 'a JPEG image',
    });
    expect(d.reasons[0]!.figures).toMatchObject({ headers: 2 });
    const json = detect('volley/-1581298305427263452') as { details?: Record<string, unknown> };
    expect(json.details).toMatchObject({ etag: '"5f1e-abc"', body: 'JSON text' });
    const old = detect('volley/99876123-1209') as {
      details?: Record<string, unknown>;
      reasons: { message?: string }[];
    };
    expect(old.details).toMatchObject({ body: 'gzip-compressed data' });
    expect(old.reasons[0]!.message).toContain('pre-2015');
  });

  it('still reads an entry whose headers run past the probe head', () => {
    const bytes = readFileSync(new URL('volley/-1581298305427263452', fixtures));
    // Head cut inside the first response header's value: the file goes on (size is the whole file).
    const probe = { ...wholeFileProbe(bytes.subarray(0, 120), 'x'), size: bytes.length, complete: false };
    const d = mobileHttpCachesDetector.detect(probe, CTX) as {
      format: { id: string };
      reasons: { message?: string }[];
    };
    expect(d.format.id).toBe('volley-cache-entry');
    expect(d.reasons[0]!.message).toContain('the head ends inside them');
  });

  it('names the library from the journal header', () => {
    const ok = detect(`${OKHTTP}journal`) as { reasons: { message?: string }[] };
    expect(ok.reasons[0]!.message).toContain("OkHttp's HTTP cache");
    const glide = detect('glide/image_manager_disk_cache/journal') as { reasons: { message?: string }[] };
    expect(glide.reasons[0]!.message).toContain('Glide');
  });

  it("takes the keys of libcore's original DiskLruCache (any non-space characters) and declines a broken header", () => {
    const journal = (text: string) =>
      mobileHttpCachesDetector.detect(wholeFileProbe(Buffer.from(text), 'journal'), CTX);
    const d = journal('libcore.io.DiskLruCache\n1\n100\n2\n\nDIRTY Thumb.Key%41\nCLEAN Thumb.Key%41 12 30\n') as {
      format: { id: string };
    };
    expect(d.format.id).toBe('disklrucache-journal');
    expect(journal('libcore.io.DiskLruCache\n2\n100\n2\n\nDIRTY abc\n')).toBeUndefined();
    expect(journal('libcore.io.DiskLruCache\n1\n100\n2\nDIRTY abc\n')).toBeUndefined();
  });

  it('declines a Volley header cut short or with an implausible date', () => {
    const bytes = readFileSync(new URL('volley/-1581298305427263452', fixtures));
    const cut = bytes.subarray(0, 30);
    expect(mobileHttpCachesDetector.detect(wholeFileProbe(cut, 'x'), CTX)).toBeUndefined();
    const bad = Buffer.from(bytes);
    // The server date follows the 4-byte magic, the key (8 + 32 bytes) and the ETag (8 + 10 bytes).
    bad.writeUInt32LE(0xffffffff, 4 + 40 + 18 + 4);
    expect(mobileHttpCachesDetector.detect(wholeFileProbe(bad, 'x'), CTX)).toBeUndefined();
  });
});

describe('mobile-http-caches robustness', () => {
  const seeds = [
    'volley/-1581298305427263452',
    'volley/1204987221-88172634',
    `${OKHTTP}journal`,
    `${OKHTTP}0a7f767af85c5f85293311faac8bfb47.0`,
  ].map((f) => [f, new Uint8Array(readFileSync(new URL(f, fixtures)))] as const);
  fuzzFlipCutGrow(mobileHttpCachesDetector, seeds, 50);
});
