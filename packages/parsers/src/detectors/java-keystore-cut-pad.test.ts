import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { javaKeystoreDetector } from './java-keystore.js';

// The real keytool stores of fixtures/java-keystore/, cut in half and padded with zeros to 4 KiB
// (fixtures/java-keystore/cut-pad/make.sh).
testDetector(
  javaKeystoreDetector,
  {
    fixtures: new URL('../../fixtures/java-keystore/cut-pad/', import.meta.url),
    valid: [
      {
        file: 'private-key-half.jks',
        name: 'a private-key entry in sight, cut inside it: encrypted, cut short',
        format: 'jks',
        status: 'encrypted',
        confidence: 0.9,
        reasons: ['KEYSTORE_CUT_SHORT_KEYS'],
        encryption: { scheme: 'jks-sha1-xor', scope: 'partial' },
      },
      { file: 'secret-half.jceks', format: 'jceks', status: 'encrypted', reasons: ['KEYSTORE_PRIVATE_KEYS'] },
      {
        file: 'truststore-half.jks',
        name: 'a truststore cut inside its certificate: certificates only in sight, readable',
        format: 'jks-truststore',
        status: 'analysable',
        confidence: 0.6,
        reasons: ['KEYSTORE_CUT_SHORT_CERTIFICATES'],
      },
      {
        file: 'truststore-half-padded.jks',
        name: 'cut, then padded: zeros where the digest should be are no digest',
        format: 'jks-truststore',
        status: 'analysable',
        reasons: ['KEYSTORE_CUT_SHORT_CERTIFICATES'],
      },
      { file: 'private-key-padded.jks', format: 'jks', status: 'encrypted', reasons: ['KEYSTORE_PRIVATE_KEYS'] },
      {
        file: 'truststore-padded.jks',
        format: 'jks-truststore',
        status: 'analysable',
        confidence: 0.95,
        reasons: ['KEYSTORE_CERTIFICATES_ONLY', 'TRAILING_ZERO_PADDING'],
      },
    ],
    invalid: [{ file: 'bad-version-padded.jks', name: 'the JKS magic with an unknown version, then zeros' }],
  },
  { framework: { describe, it } },
);
