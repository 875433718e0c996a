import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { oublietteDetector } from './oubliette.js';
import { wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/oubliette/', import.meta.url);

testDetector(
  oublietteDetector,
  {
    fixtures,
    valid: [
      {
        file: 'blowfish-1.0.oub',
        format: 'oubliette',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['OUBLIETTE_HEADER'],
        encryption: { scheme: 'oubliette-blowfish', keyHint: { kind: 'password' } },
      },
      {
        file: 'idea-3.0.oub',
        format: 'oubliette',
        status: 'encrypted',
        reasons: ['OUBLIETTE_HEADER'],
        encryption: { scheme: 'oubliette-idea' },
      },
    ],
    invalid: [{ file: 'bad-cipher.oub' }, { file: 'oubpf-notes.txt' }],
  },
  { framework: { describe, it } },
);

describe('oubliette header fields', () => {
  const read = (name: string) => Buffer.from(fs.readFileSync(new URL(name, fixtures)));
  const detect = async (bytes: Uint8Array) =>
    (await oublietteDetector.detect(wholeFileProbe(bytes, 'x.oub'), { limits: {} as never })) as Detection | undefined;

  it('reads the version, the cipher and the data size', async () => {
    const d = await detect(read('idea-3.0.oub'));
    expect(d?.reasons[0]?.figures).toMatchObject({ version: '3.0', cipher: 'idea', dataSize: 2048 });
  });

  it('refuses a header whose encrypted hash is one repeated byte', async () => {
    const bytes = read('blowfish-1.0.oub');
    bytes.fill(0, 12, 44);
    expect(await detect(bytes)).toBeUndefined();
  });

  it('refuses a header cut inside the password hash', async () => {
    expect(await detect(read('idea-3.0.oub').subarray(0, 40))).toBeUndefined();
  });
});
