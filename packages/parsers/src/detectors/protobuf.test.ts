import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { protobufDetector } from './protobuf.js';

testDetector(
  protobufDetector,
  {
    fixtures: new URL('../../fixtures/protobuf/', import.meta.url),
    valid: [
      { file: 'tombstone.pb', format: 'protobuf', status: 'opaque', confidence: 0.6, reasons: ['PROTOBUF_MESSAGE'] },
      { file: 'frames.binproto', format: 'protobuf', status: 'opaque', reasons: ['PROTOBUF_DELIMITED_STREAM'] },
      { file: 'two-fields-text.pb', format: 'protobuf', status: 'opaque', reasons: ['PROTOBUF_MESSAGE'] },
      // protobuf's own golden message: two proto2 groups (wire types 3 and 4) among its fields
      { file: 'golden_message.pb', format: 'protobuf', status: 'opaque', reasons: ['PROTOBUF_MESSAGE'] },
    ],
    // Random bytes (ciphertext-like) and text do not parse as protobuf.
    invalid: [
      { file: 'random.bin' },
      { file: 'short.txt' },
      { file: 'keys-then-ciphertext.bin', name: 'two chance keys and a length, then 40,000 random bytes' },
      { file: 'unclosed-group.bin', name: 'a group started and never ended' },
    ],
  },
  { framework: { describe, it } },
);
