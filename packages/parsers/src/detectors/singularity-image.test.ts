import fs from 'node:fs';
import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { singularityImageDetector } from './singularity-image.js';

// Written by the reference library github.com/sylabs/sif (fixtures/singularity-image/make-sif.go).
testDetector(
  singularityImageDetector,
  {
    fixtures: new URL('../../fixtures/singularity-image/', import.meta.url),
    valid: [
      { file: 'plain.sif', format: 'sif', status: 'analysable', reasons: ['SIF_HEADER'] },
      {
        file: 'encrypted.sif',
        format: 'sif-encrypted',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['SIF_ENCRYPTED_PARTITION'],
        encryption: { scope: 'partial', scheme: 'sif-encrypted-squashfs-rsa-oaep', keyHint: { kind: 'key-file' } },
      },
      // An OpenPGP clear-signature message is a signature, not a wrapped key.
      { file: 'signed.sif', format: 'sif', status: 'analysable', reasons: ['SIF_HEADER'] },
    ],
    invalid: [{ file: 'bad-table.sif' }],
    ignore: ['make-sif.go'],
  },
  { framework: { describe, it } },
);

describe('fuzz: singularityImageDetector', () => {
  fuzzFlipCutGrow(
    singularityImageDetector,
    ['plain.sif', 'encrypted.sif', 'signed.sif'].map(
      (name) => [name, fs.readFileSync(new URL(`../../fixtures/singularity-image/${name}`, import.meta.url))] as const,
    ),
    20,
  );
});
