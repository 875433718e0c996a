/** Fixture cases for the text detector, with @evtriage/core/testing (fixtures: ../../fixtures/text/, generate.sh). */
import { testDetector } from '@evtriage/core/testing';
import { describe, it } from 'vitest';
import { textDetector } from './text.js';

testDetector(
  textDetector,
  {
    fixtures: new URL('../../fixtures/text/', import.meta.url),
    valid: [
      { file: 'notes.txt', format: 'text', status: 'analysable', reasons: ['TEXT_CONTENT'] },
      { file: 'utf16.txt', format: 'text', status: 'analysable', name: 'UTF-16 with a byte-order mark' },
      { file: 'app.log', format: 'log', status: 'analysable' },
      { file: 'doc.json', format: 'json', status: 'analysable', reasons: ['JSON_PARSES'] },
      { file: 'events.ndjson', format: 'ndjson', status: 'analysable', reasons: ['NDJSON_LINES_PARSE'] },
      { file: 'prefs.xml', format: 'xml', status: 'analysable', reasons: ['XML_PROLOG'] },
    ],
    invalid: [{ file: 'text-then-binary.bin', name: 'text followed by binary bytes' }],
  },
  { framework: { describe, it } },
);
