import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParseContext } from '@evtriage/core/contract';
import { testParser } from '@evtriage/core/testing';
import { encryptedEmailDetector } from '../detectors/encrypted-email.js';
import { textDetector } from '../detectors/text.js';
import { mailShape } from '../detectors/mail-text.js';
import { mailHeadersParser } from './mail-headers.js';

// Identified as a scan would: the encrypted-email detector looks in the first 8 KiB, the text detector names the rest `eml`.
testParser(
  mailHeadersParser,
  {
    fixtures: new URL('../../fixtures/mail-headers/', import.meta.url),
    detectors: [encryptedEmailDetector, textDetector],
    valid: [
      {
        file: 'long-trace-smime.eml',
        format: 'email-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'smime-cms-enveloped', scope: 'partial', keyHint: { kind: 'keystore' } },
      },
      {
        file: 'long-trace-pgp-mime.eml',
        format: 'email-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'pgp-mime', scope: 'partial' },
      },
      // Its Content-Type is inside the probe but past the detector's 8 KiB: judged from the probe, nothing read.
      {
        file: 'exchange-smime.eml',
        format: 'email-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'smime-cms-enveloped' },
      },
    ],
    invalid: [
      { file: 'long-trace-signed.eml', format: 'eml', diagnostics: [] },
      { file: 'long-trace-plain.eml', format: 'eml', diagnostics: [] },
    ],
  },
  { framework: { describe, it } },
);

describe('mail header blocks that run past the text read', () => {
  const fields = (n: number): string =>
    Array.from(
      { length: n },
      (_, i) => `Received: from relay${i}.example.net by mx.example.org; Mon, 7 Dec 2026\n`,
    ).join('');

  it('names a message whose header block is still running where the head ends', () => {
    const head = `${fields(40)}From: a@example.org\nTo: b@example.org\nSubject: hi\n`.repeat(2).slice(0, 4000);
    expect(mailShape(head, true)).toEqual({ kind: 'eml', headerOpen: true });
    // The whole file is this text: a header block with no end is not a message.
    expect(mailShape(head, false)).toBeUndefined();
  });

  it('takes a header block of more than 200 lines as still running', () => {
    const text = `${fields(250)}\nbody\n`;
    expect(mailShape(text, false)).toEqual({ kind: 'eml', headerOpen: true });
  });

  it('keeps refusing "Name: value" text without two mail fields', () => {
    const text = Array.from({ length: 300 }, (_, i) => `Key${i}: value ${i}\n`).join('');
    expect(mailShape(text, true)).toBeUndefined();
  });
});

// Flipped and cut copies (fixed seed), the header block's end and the body's start among the bytes changed: every
// answer is a result or none, never an exception, and no read asks for more than the header cap and the body's start.
describe('fuzz: mail-headers on damaged messages', () => {
  const seeds = ['long-trace-smime.eml', 'long-trace-pgp-mime.eml', 'exchange-smime.eml'].map((name) =>
    fs.readFileSync(new URL(`../../fixtures/mail-headers/${name}`, import.meta.url)),
  );
  it('no exception, bounded reads', async () => {
    let encrypted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.nat(),
        async (seed, flips, cut) => {
          const bytes = Buffer.from(cut % 2 === 0 ? seed : seed.subarray(0, cut % (seed.length + 1)));
          // Half the flips land where the header block ends and the body starts (the last 1 KiB).
          for (const [at, v] of flips)
            if (bytes.length > 0)
              bytes[at % 2 === 0 ? at % bytes.length : Math.max(0, bytes.length - 1024 + (at % 1024))] = v;
          let largest = 0;
          const ctx = {
            item: { size: bytes.length },
            probe: { head: bytes.subarray(0, 16384) },
            read: (position: number, length: number) => {
              largest = Math.max(largest, length);
              return Promise.resolve(Buffer.from(bytes.subarray(position, position + length)));
            },
            report: () => undefined,
          } as unknown as ParseContext;
          const result = await mailHeadersParser.parse(ctx);
          if (result?.reclassify?.status === 'encrypted') encrypted++;
          expect(largest).toBeLessThanOrEqual(320 * 1024);
        },
      ),
      { seed: 20261207, numRuns: 400 },
    );
    // Most copies keep their header block and Content-Type whole: the rule still holds on them.
    expect(encrypted).toBeGreaterThan(100);
  });
});
