import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { softHsmAttributes, softHsmObjectsDetector } from './softhsm-objects.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/softhsm-objects/', import.meta.url);

// Made by softhsm2-util 2.6.1 and pkcs11-tool (fixtures/softhsm-objects/generate.sh).
testDetector(
  softHsmObjectsDetector,
  {
    fixtures,
    valid: [
      {
        file: 'ec-private-key-private.object',
        format: 'softhsm-object-private',
        status: 'encrypted',
        reasons: ['SOFTHSM_PRIVATE_OBJECT'],
        encryption: { scheme: 'softhsm2-token-key-aes-256-cbc', keyHint: { kind: 'password' } },
      },
      {
        file: 'token.object',
        format: 'softhsm-token',
        status: 'encrypted',
        reasons: ['SOFTHSM_TOKEN_KEY_WRAPPED'],
        encryption: { scheme: 'softhsm2-token-key' },
      },
      // CKA_PRIVATE false: stored in clear, the AES key's value too.
      {
        file: 'ec-public-key-clear.object',
        format: 'softhsm-object',
        status: 'analysable',
        reasons: ['SOFTHSM_PUBLIC_OBJECT'],
      },
      { file: 'aes-key-clear.object', format: 'softhsm-object', status: 'analysable' },
      // Clear bytes after the last attribute (fixtures/softhsm-objects/appended/make.sh): set aside and named.
      ...[
        ['private-lf.object', 'softhsm-object-private', 'TRAILING_DATA'],
        ['private-nul.object', 'softhsm-object-private', 'TRAILING_ZERO_PADDING'],
        ['private-text2k.object', 'softhsm-object-private', 'TRAILING_DATA'],
        ['token-text2k.object', 'softhsm-token', 'TRAILING_DATA'],
        ['token-zpad4k.object', 'softhsm-token', 'TRAILING_ZERO_PADDING'],
      ].map(([file, format, note]) => ({
        file: `appended/${file}`,
        format: format!,
        status: 'encrypted' as const,
        reasons: [format === 'softhsm-token' ? 'SOFTHSM_TOKEN_KEY_WRAPPED' : 'SOFTHSM_PRIVATE_OBJECT', note!],
      })),
    ],
    invalid: [
      { file: 'generate.sh' },
      { file: 'appended/private-cut-text2k.object', name: 'cut inside its last attribute, then text' },
      { file: 'appended/private-random-after.object', name: 'random bytes after the last attribute' },
    ],
  },
  { framework: { describe, it } },
);

describe('softHsmAttributes', () => {
  const read = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, fixtures)));

  it('reads every attribute to the end of the file, and nothing that stops short or runs past it', () => {
    const aes = read('aes-key-clear.object');
    const attrs = softHsmAttributes(aes)!;
    expect(attrs[0]).toEqual({ type: 0, kind: 2, value: 4 }); // CKA_CLASS CKO_SECRET_KEY
    expect(attrs.find((a) => a.type === 0x11)).toMatchObject({ kind: 3, value: 16 }); // CKA_VALUE: the AES-128 key
    expect(softHsmAttributes(aes.subarray(0, aes.length - 1))).toBeUndefined();
    expect(softHsmAttributes(new Uint8Array([...aes, 0]))).toBeUndefined();
  });

  it('needs attribute types in rising order, as the writer keeps them', () => {
    const b = Buffer.from(read('aes-key-clear.object'));
    b.writeUInt32BE(0x99, 8 + 4); // the first attribute's type (CKA_CLASS) above the next ones
    expect(softHsmAttributes(b)).toBeUndefined();
  });
});

describe('softhsm-objects mutation fuzz', () => {
  const seeds = ['ec-private-key-private.object', 'token.object', 'aes-key-clear.object'].map(
    (name) => [name, new Uint8Array(fs.readFileSync(new URL(name, fixtures)))] as const,
  );
  fuzzFlipCutGrow(softHsmObjectsDetector, seeds, 200, { wholeHalf: true });
});
