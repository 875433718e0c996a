import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { javaKeystoreDetector } from './java-keystore.js';

testDetector(javaKeystoreDetector, {
  fixtures: new URL('../../fixtures/java-keystore/', import.meta.url),
  valid: [
    { file: 'private-key.jks', format: 'jks', status: 'encrypted', confidence: { min: 0.9 }, reasons: ['KEYSTORE_PRIVATE_KEYS'], encryption: { scope: 'partial', keyHint: { kind: 'password' } } },
    { file: 'truststore.jks', format: 'jks-truststore', status: 'analysable', reasons: ['KEYSTORE_CERTIFICATES_ONLY'] },
    { file: 'secret.jceks', format: 'jceks', status: 'encrypted', reasons: ['KEYSTORE_PRIVATE_KEYS'] },
  ],
  invalid: [{ file: 'bad-version.jks' }],
}, { framework: { describe, it } });
