import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { dicomDetector } from './dicom.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

// Files by dcmtk 3.6.7 and pydicom 2.3.1; near misses from them (fixtures/dicom/generate.sh).
const fixtures = new URL('../../fixtures/dicom/', import.meta.url);
const read = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, fixtures)));
const detect = (bytes: Uint8Array, name = 'x.dcm') =>
  dicomDetector.detect(wholeFileProbe(bytes, name), { limits: {} as never }) as Detection | undefined;

testDetector(
  dicomDetector,
  {
    fixtures,
    valid: [
      { file: 'explicit-le.dcm', format: 'dcm', status: 'analysable', reasons: ['DICOM_FILE_META'] },
      { file: 'deflated.dcm', format: 'dcm', status: 'analysable', reasons: ['DICOM_FILE_META'] },
      { file: 'tiff-preamble.dcm', format: 'dcm', status: 'analysable', reasons: ['DICOM_FILE_META'] },
      { file: 'bare-implicit.dcm', format: 'dcm', status: 'analysable', reasons: ['DICOM_DATA_SET'] },
      { file: 'bare-big-endian.dcm', format: 'dcm', status: 'analysable', reasons: ['DICOM_DATA_SET'] },
      // De-identified by gdcmanon: the replaced attributes sealed, the data set readable (rule 1).
      {
        file: 'encrypted-attributes.dcm',
        format: 'dcm',
        status: 'analysable',
        reasons: ['DICOM_FILE_META', 'DICOM_ENCRYPTED_ATTRIBUTES'],
      },
      // Near miss: the same with the envelopedData OID broken: a DICOM file, no sealed attributes named.
      { file: 'encrypted-attributes-no-cms.dcm', format: 'dcm', status: 'analysable', reasons: ['DICOM_FILE_META'] },
    ],
    invalid: [
      { file: 'bare-odd-length.dcm', name: 'a bare data set whose first value length is odd' },
      { file: 'not-dicom.bin', name: '"DICM" at offset 128 followed by text, not a meta group' },
    ],
  },
  { framework: { describe, it } },
);

describe('DICOM fields', () => {
  it('names the transfer syntax and the TIFF preamble of a dual-personality file', () => {
    const figures = detect(read('tiff-preamble.dcm'))?.reasons[0]?.figures;
    expect(figures).toMatchObject({ preamble: 'tiff', transferSyntax: '1.2.840.10008.1.2.1' });
    const deflated = detect(read('deflated.dcm'))?.reasons[0];
    expect(deflated?.figures).toMatchObject({ preamble: 'zero', transferSyntax: '1.2.840.10008.1.2.1.99' });
    expect(deflated?.message).toContain('raw DEFLATE, compressed by design');
  });

  it('names the Encrypted Attributes Sequence only when its content is CMS envelopedData', () => {
    const sealed = detect(read('encrypted-attributes.dcm'))?.reasons[1];
    expect(sealed?.code).toBe('DICOM_ENCRYPTED_ATTRIBUTES');
    expect(sealed?.figures).toEqual({ encryptedContentBytes: 610 });
    expect(detect(read('encrypted-attributes-no-cms.dcm'))?.reasons.map((r) => r.code)).toEqual(['DICOM_FILE_META']);
    expect(detect(read('explicit-le.dcm'))?.reasons).toHaveLength(1);
  });

  it('reads each bare encoding as itself', () => {
    expect(detect(read('bare-implicit.dcm'))?.reasons[0]?.figures?.encoding).toBe('implicit VR little endian');
    expect(detect(read('bare-big-endian.dcm'))?.reasons[0]?.figures?.encoding).toBe('explicit VR big endian');
  });

  it('takes no random body behind a data set opening or a DICM marker', () => {
    let taken = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const body = seededBytes(seed, 400);
      const bare = Uint8Array.from([0x08, 0x00, 0x05, 0x00, ...body]);
      const marked = Uint8Array.from([...new Uint8Array(128), ...Buffer.from('DICM'), 0x02, 0x00, ...body]);
      if (detect(bare) || detect(marked)) taken++;
    }
    expect(taken).toBe(0);
  });
});

describe('fuzz: dicomDetector', () => {
  fuzzFlipCutGrow(
    dicomDetector,
    [
      'explicit-le.dcm',
      'tiff-preamble.dcm',
      'bare-implicit.dcm',
      'bare-big-endian.dcm',
      'encrypted-attributes.dcm',
    ].map((name) => [name, read(name)] as const),
    20,
  );
});
