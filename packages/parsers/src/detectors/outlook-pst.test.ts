import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { outlookPstDetector } from './outlook-pst.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';
import type { Detection } from '@evtriage/core/contract';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../fixtures/outlook-pst/', import.meta.url));
const fixture = (file: string) => new Uint8Array(fs.readFileSync(path.join(dir, file)));
const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };

// Headers written from [MS-PST] with both CRCs (fixtures/outlook-pst/generate.sh).
testDetector(
  outlookPstDetector,
  {
    fixtures: new URL('../../fixtures/outlook-pst/', import.meta.url),
    valid: [
      { file: 'none.pst', format: 'outlook-pst', status: 'analysable', reasons: ['PST_CRYPT_METHOD'] },
      // Outlook's default encoding: a byte substitution with no key, readable by every PST reader.
      { file: 'permute.pst', format: 'outlook-pst', status: 'analysable', reasons: ['PST_CRYPT_METHOD'] },
      { file: 'cyclic.ost', format: 'outlook-pst', status: 'analysable', reasons: ['PST_CRYPT_METHOD'] },
      { file: 'ansi.pst', format: 'outlook-pst', status: 'analysable', reasons: ['PST_CRYPT_METHOD'] },
      {
        file: 'wip.pst',
        format: 'outlook-pst-wip',
        status: 'encrypted',
        reasons: ['PST_CRYPT_EDP'],
        encryption: { scheme: 'pst-windows-information-protection' },
      },
    ],
    invalid: [
      { file: 'bad-crc.pst', name: 'a crypt byte the full header CRC does not cover' },
      { file: 'bdn-notes.txt', name: 'text starting "!BDN"' },
    ],
  },
  { framework: { describe, it } },
);

describe('Outlook stores through the whole engine', () => {
  it('the crypt byte decides: permute/cyclic readable, Windows Information Protection encrypted', async () => {
    const items = await scanFixtures('outlook-pst');
    expect(items.get('permute.pst')?.classification.status).toBe('analysable');
    expect(items.get('wip.pst')?.classification.status).toBe('encrypted');
    // A header whose CRC fails is left to libmagic (a PST, not encrypted).
    expect(items.get('bad-crc.pst')?.classification.status).not.toBe('encrypted');
  });

  it('reads the version and the crypt byte of ANSI and Unicode headers', () => {
    const ansi = outlookPstDetector.detect(wholeFileProbe(fixture('ansi.pst')), ctx) as Detection;
    expect(ansi.reasons[0]?.figures).toEqual({ wVer: 14, bCryptMethod: 1 });
    const cyclic = outlookPstDetector.detect(wholeFileProbe(fixture('cyclic.ost')), ctx) as Detection;
    expect(cyclic.reasons[0]?.message).toContain('offline store');
  });
});

// Flipped and cut copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: outlook-pst', () => {
  const seeds: Array<[string, Uint8Array]> = ['none.pst', 'ansi.pst', 'wip.pst'].map((file) => [
    file,
    fixture(file).subarray(0, 2048),
  ]);
  fuzzFlipCutGrow(outlookPstDetector, seeds, 20, { wholeHalf: true, ctx });
});
