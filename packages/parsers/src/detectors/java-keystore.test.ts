import fs from 'node:fs';
import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { javaKeystoreDetector } from './java-keystore.js';

testDetector(
  javaKeystoreDetector,
  {
    fixtures: new URL('../../fixtures/java-keystore/', import.meta.url),
    valid: [
      {
        file: 'private-key.jks',
        format: 'jks',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['KEYSTORE_PRIVATE_KEYS'],
        encryption: { scope: 'partial', keyHint: { kind: 'password' } },
      },
      {
        file: 'truststore.jks',
        format: 'jks-truststore',
        status: 'analysable',
        reasons: ['KEYSTORE_CERTIFICATES_ONLY'],
      },
      { file: 'secret.jceks', format: 'jceks', status: 'encrypted', reasons: ['KEYSTORE_PRIVATE_KEYS'] },
      // Bouncy Castle stores made by keytool with the Bouncy Castle provider.
      {
        file: 'private-key.bks',
        format: 'bks',
        status: 'encrypted',
        reasons: ['BKS_SEALED_KEYS'],
        encryption: { scope: 'partial' },
      },
      { file: 'truststore.bks', format: 'bks-truststore', status: 'analysable', reasons: ['BKS_CERTIFICATES_ONLY'] },
      { file: 'private-key.uber', format: 'uber', status: 'encrypted', reasons: ['UBER_KEYSTORE'] },
      // Empty stores (keytool -delete of the only entry): 53 and 64 bytes, too short for statistics.
      { file: 'empty.bks', format: 'bks-truststore', status: 'analysable', reasons: ['BKS_EMPTY'] },
      { file: 'empty.uber', format: 'uber', status: 'encrypted', reasons: ['UBER_KEYSTORE'] },
      // One line end or NUL after the last whole block (appended/make.sh): set aside and named.
      {
        file: 'appended/private-key-newline.uber',
        format: 'uber',
        status: 'encrypted',
        reasons: ['UBER_KEYSTORE', 'TRAILING_DATA'],
      },
      {
        file: 'appended/empty-nul.uber',
        format: 'uber',
        status: 'encrypted',
        reasons: ['UBER_KEYSTORE', 'TRAILING_ZERO_PADDING'],
      },
    ],
    invalid: [{ file: 'bad-version.jks' }, { file: 'appended/private-key-byte.uber' }],
    ignore: ['cut-pad/**'],
  },
  { framework: { describe, it } },
);

describe('fuzz: javaKeystoreDetector', () => {
  fuzzFlipCutGrow(
    javaKeystoreDetector,
    ['empty.bks', 'empty.uber', 'private-key.bks', 'private-key.uber'].map(
      (name) => [name, fs.readFileSync(new URL(`../../fixtures/java-keystore/${name}`, import.meta.url))] as const,
    ),
    20,
    { wholeHalf: true },
  );
});
