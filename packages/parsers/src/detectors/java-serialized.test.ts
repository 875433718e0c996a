import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { javaSerializedDetector } from './java-serialized.js';

testDetector(
  javaSerializedDetector,
  {
    fixtures: new URL('../../fixtures/java-serialized/', import.meta.url),
    valid: [
      { file: 'map.ser', format: 'java-serialized', status: 'opaque', reasons: ['JAVA_SERIALIZATION_MAGIC'] },
      { file: 'bytes.ser', format: 'java-serialized', status: 'opaque', reasons: ['JAVA_SERIALIZATION_MAGIC'] },
    ],
    invalid: [{ file: 'bad-type.bin' }],
  },
  { framework: { describe, it } },
);
