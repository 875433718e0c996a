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
      {
        file: 'utf16-bom-emoji.txt',
        format: 'text',
        status: 'analysable',
        name: 'UTF-16 with a byte-order mark and emoji (surrogate pairs)',
      },
      { file: 'app.log', format: 'log', status: 'analysable' },
      { file: 'message.eml', format: 'eml', status: 'analysable', reasons: ['MAIL_HEADER_BLOCK'] },
      { file: 'inbox.mbox', format: 'mbox', status: 'analysable', reasons: ['MBOX_FROM_LINE'] },
      { file: 'package-info.txt', format: 'text', status: 'analysable', name: "a package's fields are no mail header" },
      { file: 'doc.json', format: 'json', status: 'analysable', reasons: ['JSON_PARSES'] },
      { file: 'events.ndjson', format: 'ndjson', status: 'analysable', reasons: ['NDJSON_LINES_PARSE'] },
      { file: 'prefs.xml', format: 'xml', status: 'analysable', reasons: ['XML_PROLOG'] },
      { file: 'latin1.txt', format: 'text', status: 'analysable', reasons: ['TEXT_LEGACY_ENCODING'] },
      { file: 'short-latin1.py', format: 'text', status: 'analysable', reasons: ['TEXT_LEGACY_ENCODING'] },
      { file: 'korean-cp949.txt', format: 'text', status: 'analysable', reasons: ['TEXT_LEGACY_ENCODING'] },
      { file: 'korean-johab.txt', format: 'text', status: 'analysable', reasons: ['TEXT_LEGACY_ENCODING'] },
      { file: 'korean-iso2022.txt', format: 'text', status: 'analysable', reasons: ['TEXT_LEGACY_ENCODING'] },
      { file: 'cpython-euc_jisx0213.txt', format: 'text', status: 'analysable', reasons: ['TEXT_LEGACY_ENCODING'] },
      { file: 'japanese-sjis.txt', format: 'text', status: 'analysable', reasons: ['TEXT_LEGACY_ENCODING'] },
      { file: 'utf16le-nobom.txt', format: 'text', status: 'analysable', name: 'UTF-16LE without a byte-order mark' },
      { file: 'utf16be-nobom-japanese.txt', format: 'text', status: 'analysable', name: 'UTF-16BE Japanese, no mark' },
      { file: 'large-utf16-bom.txt', format: 'text', status: 'analysable', name: 'UTF-16 larger than the probe' },
      {
        file: 'large-utf16be-japanese.txt',
        format: 'text',
        status: 'analysable',
        name: 'Japanese UTF-16BE larger than the probe, no mark',
      },
      { file: 'utf32-bom.txt', format: 'text', status: 'analysable', name: 'UTF-32 with a byte-order mark' },
      { file: 'utf32be-nobom-japanese.txt', format: 'text', status: 'analysable', name: 'UTF-32BE Japanese, no mark' },
      { file: 'short-gb18030.txt', format: 'text', status: 'analysable', reasons: ['TEXT_LEGACY_ENCODING'] },
      { file: 'short-sjis.txt', format: 'text', status: 'analysable', reasons: ['TEXT_LEGACY_ENCODING'] },
      {
        file: 'large-utf8-japanese.txt',
        format: 'text',
        status: 'analysable',
        reasons: ['TEXT_CONTENT'],
        name: 'UTF-8 larger than the probe, its tail starting inside a character',
      },
      {
        file: 'manual.info',
        format: 'text',
        status: 'analysable',
        reasons: ['TEXT_CONTENT'],
        name: "an Info manual whose tail holds the index's NUL and backspace markers",
      },
    ],
    invalid: [
      { file: 'text-then-binary.bin', name: 'text followed by binary bytes' },
      { file: 'random.bin', name: 'random bytes' },
      { file: 'high-bytes.bin', name: 'random bytes with the top bit set (no control, no space)' },
      { file: 'u16-samples.bin', name: '16-bit samples, some equal to a line feed' },
      { file: 'utf16be-bom-then-uniform-bytes.bin', name: 'a UTF-16 BE byte-order mark, then random bytes' },
      { file: 'utf16le-bom-then-uniform-bytes.bin', name: 'a UTF-16 LE byte-order mark, then random bytes' },
    ],
  },
  { framework: { describe, it } },
);
