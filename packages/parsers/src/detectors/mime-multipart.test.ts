import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { mimeMultipartDetector } from './mime-multipart.js';

testDetector(
  mimeMultipartDetector,
  {
    fixtures: new URL('../../fixtures/mime-multipart/', import.meta.url),
    valid: [
      { file: 'camera/stream.mjpg', format: 'mime-multipart', status: 'analysable', reasons: ['MIME_MULTIPART_BODY'] },
      {
        file: 'upload/form-post.bin',
        format: 'mime-multipart',
        status: 'analysable',
        reasons: ['MIME_MULTIPART_BODY'],
      },
    ],
    // Text parts only make a text file; a delimiter line before random bytes is not a part.
    invalid: [{ file: 'look-alike/form-text.bin' }, { file: 'look-alike/delimiter-then-random.bin' }],
  },
  { framework: { describe, it } },
);

describe('mime-multipart on look-alikes', () => {
  const probeOf = (head: Uint8Array) => ({
    path: 'x.bin',
    logicalPath: 'x.bin',
    name: 'x.bin',
    extension: 'bin',
    size: head.length,
    head,
    tail: new Uint8Array(0),
    samples: [],
    complete: true,
  });
  const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };
  const enc = (s: string) => new TextEncoder().encode(s);

  it('needs the delimiter where the Content-Length says the part ends', () => {
    const part = (length: number) =>
      Uint8Array.from([
        ...enc(`--xyz\r\nContent-Type: application/octet-stream\r\nContent-Length: ${length}\r\n\r\n`),
        0,
        1,
        2,
        0xff,
        0xfe,
        ...enc('\r\n--xyz--\r\n'),
      ]);
    expect(mimeMultipartDetector.detect(probeOf(part(5)), ctx)).toMatchObject({ format: { id: 'mime-multipart' } });
    expect(mimeMultipartDetector.detect(probeOf(part(4)), ctx)).toBeUndefined();
  });

  it('calls none of 2,000 seeded random buffers behind a delimiter line a multipart body', () => {
    let seed = 2026120702;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    let claimed = 0;
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: 512 + (next() << 3) }, next);
      bytes.set(enc('--boundary\r\nContent-'));
      if (mimeMultipartDetector.detect(probeOf(bytes), ctx)) claimed++;
    }
    expect(claimed).toBe(0);
  });
});

describe('mime-multipart with a binary part longer than the bytes read (a browser uploading a photo)', () => {
  // urllib3's form post (fixtures/mime-multipart/upload/form-post.bin) seen as a large file: the head stops inside
  // the PNG part, the tail holds the body's end.
  const body = new Uint8Array(
    fs.readFileSync(new URL('../../fixtures/mime-multipart/upload/form-post.bin', import.meta.url)),
  );
  const pngAt = body.findIndex((b, i) => b === 0x89 && body[i + 1] === 0x50);
  const probeOf = (head: Uint8Array, tail: Uint8Array) => ({
    path: 'capture.raw',
    logicalPath: 'capture.raw',
    name: 'capture.raw',
    extension: 'raw',
    size: body.length,
    head,
    tail,
    samples: [],
    complete: false,
  });
  const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };

  it("takes the closing delimiter at the end of the file as the part's end", () => {
    const found = mimeMultipartDetector.detect(probeOf(body.subarray(0, pngAt + 200), body.subarray(-120)), ctx) as
      Detection | undefined;
    expect(found).toMatchObject({ format: { id: 'mime-multipart' } });
    expect(found?.reasons[0]?.figures).toMatchObject({ binaryPart: 2, closedAtEnd: true });
  });

  it('refuses when the file does not end with the closing delimiter, or the part read is text', () => {
    const cut = body.subarray(0, body.length - 60);
    expect(
      mimeMultipartDetector.detect(probeOf(body.subarray(0, pngAt + 200), cut.subarray(-120)), ctx),
    ).toBeUndefined();
    expect(
      mimeMultipartDetector.detect(probeOf(body.subarray(0, pngAt - 10), body.subarray(-120)), ctx),
    ).toBeUndefined();
  });
});
