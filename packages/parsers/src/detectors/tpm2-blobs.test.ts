import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { tpm2BlobsDetector } from './tpm2-blobs.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/tpm2-blobs/', import.meta.url);
const hardware = { scheme: 'tpm2-wrapped', keyHint: { kind: 'hardware' as const } };

// Made by tpm2-tools 5.4 against swtpm (fixtures/tpm2-blobs/generate.sh).
testDetector(
  tpm2BlobsDetector,
  {
    fixtures,
    valid: [
      { file: 'seal.priv', format: 'tpm2-private-blob', status: 'encrypted', encryption: hardware },
      { file: 'rsa.priv', format: 'tpm2-private-blob', status: 'encrypted', encryption: hardware },
      { file: 'seal.pub', format: 'tpm2-public-blob', status: 'opaque', reasons: ['TPM2_PUBLIC_BLOB'] },
      { file: 'rsa.pub', format: 'tpm2-public-blob', status: 'opaque', reasons: ['TPM2_PUBLIC_BLOB'] },
      { file: 'primary.ctx', format: 'tpm2-saved-context', status: 'encrypted', reasons: ['TPM2_SAVED_CONTEXT'] },
      // Bytes after the structure's size (fixtures/tpm2-blobs/appended/make.sh): set aside and named.
      ...[
        ['seal-lf.priv', 'TRAILING_DATA'],
        ['rsa-text2k.priv', 'TRAILING_DATA'],
        ['seal-nul.priv', 'TRAILING_ZERO_PADDING'],
        ['seal-zpad4k.priv', 'TRAILING_ZERO_PADDING'],
      ].map(([file, code]) => ({
        file: `appended/${file}`,
        format: 'tpm2-private-blob',
        status: 'encrypted' as const,
        reasons: ['TPM2_PRIVATE_BLOB', code!],
        encryption: hardware,
      })),
      {
        file: 'appended/primary-text2k.ctx',
        format: 'tpm2-saved-context',
        status: 'encrypted',
        reasons: ['TPM2_SAVED_CONTEXT', 'TRAILING_DATA'],
      },
      {
        file: 'appended/primary-zpad4k.ctx',
        format: 'tpm2-saved-context',
        status: 'encrypted',
        reasons: ['TPM2_SAVED_CONTEXT', 'TRAILING_ZERO_PADDING'],
      },
    ],
    invalid: [
      { file: 'cut.priv', name: 'a private blob cut short' },
      { file: 'appended/cut-text2k.priv', name: 'a private blob cut short, then text: its size ends inside the text' },
      { file: 'appended/seal-random-after.priv', name: 'random bytes after the size: they could be more of it' },
    ],
  },
  { framework: { describe, it } },
);

describe('TPM2 blobs through the whole engine', () => {
  it('names the private blobs and contexts encrypted under the TPM, and the public areas opaque', async () => {
    const items = await scanFixtures('tpm2-blobs');
    expect(items.get('seal.priv')?.encryption?.scheme).toBe('tpm2-wrapped');
    expect(items.get('primary.ctx')?.encryption?.scheme).toBe('tpm2-context');
    expect(items.get('rsa.pub')?.format?.id).toBe('tpm2-public-blob');
    expect(items.get('cut.priv')?.format?.id).not.toBe('tpm2-private-blob');
  });
});

// Flipped, cut and grown copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: tpm2-blobs', () => {
  fuzzFlipCutGrow(
    tpm2BlobsDetector,
    ['seal.priv', 'rsa.pub', 'primary.ctx', 'seal.pub'].map(
      (name) => [name, fs.readFileSync(new URL(name, fixtures))] as const,
    ),
    20,
  );
});
