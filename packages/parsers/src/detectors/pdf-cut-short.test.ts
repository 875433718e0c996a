import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { pdfDetector } from './pdf.js';
import { encryptionDictionaryByKeys } from './pdf-cut-short.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

// qpdf-made PDFs cut to their first half (trailer and /Encrypt lost), or just after the encryption dictionary
// (generate.sh beside them).
testDetector(
  pdfDetector,
  {
    fixtures: new URL('../../fixtures/pdf/cut-short/', import.meta.url),
    valid: [
      {
        file: 'clear-first-half.pdf',
        name: 'a clear PDF cut short: its deflated streams inflate',
        format: 'pdf',
        status: 'analysable',
        reasons: ['PDF_HEADER'],
      },
      ...['aes128-first-half.pdf', 'rc4-128-first-half.pdf', 'aes256-first-half.pdf'].map((file) => ({
        file,
        name: `${file}: no stream inflates`,
        format: 'pdf-encrypted',
        status: 'encrypted' as const,
        reasons: ['PDF_CUT_SHORT_STREAMS_ENCRYPTED'],
      })),
      {
        file: 'aes128-cut-after-dictionary.pdf',
        format: 'pdf-encrypted',
        status: 'encrypted',
        reasons: ['PDF_ENCRYPTION_DICTIONARY_BY_KEYS'],
      },
      // Cut inside the dictionary (cut-inside-dictionary.sh): /O in sight, /U and /P lost, no deflated stream.
      {
        file: 'aes256-cut-inside-dictionary.pdf',
        format: 'pdf-encrypted',
        status: 'encrypted',
        reasons: ['PDF_ENCRYPTION_DICTIONARY_BY_KEYS'],
      },
      {
        file: 'clear-cut-at-the-same-offset.pdf',
        name: 'the clear copy cut at the same offset',
        format: 'pdf',
        status: 'analysable',
        reasons: ['PDF_HEADER'],
      },
    ],
    invalid: [{ file: 'header-then-random.pdf', name: 'a carver false hit: a header line, then random bytes' }],
  },
  { framework: { describe, it } },
);

const fixture = (name: string) =>
  new Uint8Array(fs.readFileSync(new URL(`../../fixtures/pdf/cut-short/${name}`, import.meta.url)));
type Reason = { message: string; figures?: Record<string, unknown> };
const reasonOf = (name: string) =>
  (pdfDetector.detect(wholeFileProbe(fixture(name), name), {} as never) as { reasons: Reason[] }).reasons[0]!;

describe('pdf: files cut short', () => {
  it('says the file is cut short and gives the stream figures', () => {
    const r = reasonOf('aes128-first-half.pdf');
    expect(r.message).toMatch(/cut short/);
    expect(r.figures).toMatchObject({ cutShort: true, inflating: 0 });
    expect(r.figures?.judged).toBeGreaterThanOrEqual(1);
    // AES streams are a 16-byte IV and whole blocks.
    expect(r.figures?.aesShaped).toBeGreaterThanOrEqual(1);
  });

  it('a clear cut PDF says it is cut short and that its streams inflate', () => {
    expect(reasonOf('clear-first-half.pdf').message).toMatch(/cut short.*no stream judged encrypted/);
  });

  it('the whole dictionary found by its keys names the standard handler', () => {
    const r = reasonOf('aes128-cut-after-dictionary.pdf');
    expect(r.message).toMatch(/\/Filter \/Standard with \/O, \/U and \/P/);
    expect(r.figures).toMatchObject({ filter: 'Standard', cutShort: true });
  });

  it('a dictionary running to the cut needs its whole /O string, and only in a file cut short', () => {
    const r = reasonOf('aes256-cut-inside-dictionary.pdf');
    expect(r.message).toMatch(/owner-password string \/O, running to the cut/);
    expect(r.figures).toMatchObject({ filter: 'Standard', cutShort: true, cutInsideDictionary: true });
    const text = Buffer.from(fixture('aes256-cut-inside-dictionary.pdf')).toString('latin1');
    expect(encryptionDictionaryByKeys(text, true)).toBe('Standard');
    expect(encryptionDictionaryByKeys(text, false)).toBeUndefined();
    // /O's string itself cut: not enough.
    const o = text.indexOf('/O <');
    expect(encryptionDictionaryByKeys(text.slice(0, o + 40), true)).toBeUndefined();
  });
});

describe('pdf cut-short mutation fuzz', () => {
  fuzzFlipCutGrow(
    pdfDetector,
    ['clear-first-half.pdf', 'aes128-first-half.pdf', 'aes256-first-half.pdf', 'aes128-cut-after-dictionary.pdf'].map(
      (n) => [n, fixture(n)] as const,
    ),
    50,
  );
});
