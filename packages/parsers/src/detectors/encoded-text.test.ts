import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { encodedTextDetector } from './encoded-text.js';

// Encodings written by coreutils, xxd and OpenSSL, and look-alikes (fixtures/encoded-text/generate.sh).
testDetector(
  encodedTextDetector,
  {
    fixtures: new URL('../../fixtures/encoded-text/', import.meta.url),
    valid: [
      {
        file: 'report.zip.b64',
        format: 'base64',
        status: 'analysable',
        confidence: { min: 0.8, max: 0.9 },
        reasons: ['ENCODED_TEXT'],
      },
      { file: 'notes.b32', format: 'base32', status: 'analysable', reasons: ['ENCODED_TEXT'] },
      { file: 'notes.hex', format: 'base16', status: 'analysable', reasons: ['ENCODED_TEXT'] },
      { file: 'notes.b64url', format: 'base64', status: 'analysable', reasons: ['ENCODED_TEXT'] },
      // Ciphertext in base64 is an encoding to this detector; ciphertext-payload reads what it encodes.
      { file: 'blob.dat', format: 'base64', status: 'analysable', reasons: ['ENCODED_TEXT'] },
    ],
    invalid: [
      // SHA-256 digests one a line: a list of hashes, not one stream.
      { file: 'hashes.txt' },
      // A column of four-digit hex codes: a table.
      { file: 'codes.txt' },
      // Padding, then more base64: two streams.
      { file: 'two-streams.b64' },
      // 60 bytes encoded: a token, not a file's worth.
      { file: 'token.b64' },
      { file: 'prose.txt' },
      { file: 'generate.sh' },
    ],
  },
  { framework: { describe, it } },
);
