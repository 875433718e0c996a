/**
 * PDF documents, and whether their trailer names an encryption dictionary
 * (`/Encrypt`). An encrypted PDF is only "likely" locked here: many open with
 * an empty user password; the pdf-encryption parser decides.
 * A header is taken only with a PDF object, cross-reference or trailer in the bytes read, and not behind
 * a ZIP local header or a TAR header (there it is the archive's first member).
 * Reference: ISO 32000-2 §7.5.2 (header), §7.5.5 (trailer /Encrypt), §7.6 (encryption).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { headAndTail, indexOf, ascii, locked, plain, startsWith, tarChecksumOk, endOfFile } from './util.js';
import { encryptionDictionaryByKeys, judgeStreams, pdfEndMissing, streamsLookEncrypted } from './pdf-cut-short.js';

/**
 * A header found past offset 0 gives way to any format whose signature sits at offset 0: there the PDF is a
 * member or payload of that format (an ar or cpio member, the literals of an LZ4 or zstd stream, a cache entry
 * after its key), and calling the whole file a PDF would leave the container unopened. Below a magic-number
 * match (0.8), above the statistics (at most 0.65), so a PDF behind junk nobody claims is still a PDF.
 */
const BEHIND_A_PREFIX_CONFIDENCE = 0.72;

export const pdfDetector = defineDetector({
  meta: {
    id: 'pdf',
    version: '1.5.0',
    title: 'PDF documents and their encryption dictionary',
    formats: [
      {
        id: 'pdf',
        name: 'PDF document',
        status: 'analysable',
        how: 'signature',
        mime: 'application/pdf',
        extensions: ['pdf', 'ai'],
      },
      {
        id: 'pdf-encrypted',
        name: 'PDF document with an encryption dictionary',
        status: 'encrypted',
        how: 'header-field',
        mime: 'application/pdf',
        extensions: ['pdf', 'ai'],
      },
    ],
  },
  minSize: 8,
  priority: 20,
  signatures: [{ offset: 0, ascii: '%PDF-', within: 1019 }], // the header within the first KiB, as readers accept
  detect(probe): Detection | undefined {
    const h = probe.head;
    // The header may follow a little junk (§7.5.2 readers accept it within the first 1024 bytes).
    const at = indexOf(h.subarray(0, 1024), '%PDF-');
    if (at < 0) return undefined;
    // Behind a ZIP local header (a member stored uncompressed, as zip stores a PDF it cannot shrink) or a TAR
    // header whose checksum holds (GNU, POSIX or v7 tar), the PDF is the archive's first member: calling the
    // file a PDF would leave the archive unopened and its other members unlisted.
    if ((at >= 30 && startsWith(h, 'PK\x03\x04')) || (at >= 512 && tarChecksumOk(h))) return undefined;
    // Past offset 0 the header must still be followed by PDF objects, not be a mention in some text.
    if (at > 0 && !/\d+\s+\d+\s+obj\b/.test(ascii(h, at, at + 4096))) return undefined;
    const version = ascii(h, at + 5, at + 8);
    const confidence = (atStart: number): number => (at > 0 ? BEHIND_A_PREFIX_CONFIDENCE : atStart);
    if (!/^\d\.\d$/.test(version)) return undefined;
    const text = headAndTail(probe);
    // A PDF is objects, a cross-reference and a trailer: a header with none of them in the bytes read is a
    // damaged file, or a chance "%PDF-" (libmagic and the statistics judge it).
    if (!/\d+\s+\d+\s+obj\b|\bstartxref\b|\btrailer\b|%%EOF|\bxref\b/.test(text)) return undefined;
    const encrypt = /\/Encrypt\s*(\d+\s+\d+\s+R|<<)/.exec(text);
    if (encrypt) {
      const filter = /\/Filter\s*\/(\w+)/.exec(text.slice(encrypt.index, encrypt.index + 2000))?.[1];
      return locked({
        id: 'pdf-encrypted',
        name: 'PDF document with an encryption dictionary',
        mime: 'application/pdf',
        confidence: confidence(0.85),
        code: 'PDF_ENCRYPT_DICTIONARY',
        message: `PDF ${version} whose trailer names an encryption dictionary (/Encrypt ${encrypt[1]!.trim()}); whether a password is needed depends on the user password.`,
        figures: { version, headerOffset: at, ...(filter ? { filter } : {}) },
        scheme: 'pdf-standard',
        keyHint: {
          description: 'The PDF user (open) password, or the owner password.',
          kind: 'password',
          present: 'unknown',
        },
      });
    }
    const end = endOfFile(probe).bytes;
    const cut = pdfEndMissing(Buffer.from(end.buffer, end.byteOffset, end.byteLength).toString('latin1'));
    const cutNote = cut ? 'the file is cut short (no startxref or %%EOF at its end: the trailer is lost)' : '';
    const handler = encryptionDictionaryByKeys(text, cut);
    if (handler) {
      // Found only by the cut-short reading: the dictionary runs to the cut, its /O string in sight.
      const inside = encryptionDictionaryByKeys(text) === undefined;
      return locked({
        id: 'pdf-encrypted',
        name: 'PDF document with an encryption dictionary',
        mime: 'application/pdf',
        confidence: confidence(0.85),
        code: 'PDF_ENCRYPTION_DICTIONARY_BY_KEYS',
        message: `PDF ${version} holding an encryption dictionary found by its own keys (/Filter /${handler}${inside ? ' with its owner-password string /O, running to the cut' : handler === 'Standard' ? ' with /O, /U and /P' : ', public-key recipients'}), though no /Encrypt names it in the bytes read${cut ? `: ${cutNote}` : ''}.`,
        figures: {
          version,
          headerOffset: at,
          filter: handler,
          cutShort: cut,
          ...(inside ? { cutInsideDictionary: true } : {}),
        },
        scheme: 'pdf-standard',
        keyHint: {
          description: 'The PDF user (open) password, or the owner password.',
          kind: 'password',
          present: 'unknown',
        },
      });
    }
    if (cut) {
      const streams = judgeStreams(probe);
      if (streamsLookEncrypted(streams)) {
        return locked({
          id: 'pdf-encrypted',
          name: 'PDF document with an encryption dictionary',
          mime: 'application/pdf',
          confidence: confidence(0.82),
          code: 'PDF_CUT_SHORT_STREAMS_ENCRYPTED',
          message: `PDF ${version} cut short (no startxref or %%EOF at its end: the trailer and encryption dictionary are lost); judged by its streams: ${streams.judged} stream(s) declared /FlateDecode, none of which inflates (a clear PDF's do), their ${streams.bytes} bytes uniform (chi-square p ${streams.chiSquareP})${streams.aesShaped > 0 ? `, ${streams.aesShaped} of them whole AES blocks after an IV` : ''}: encrypted streams.`,
          figures: { version, headerOffset: at, cutShort: true, ...streams },
          scheme: 'pdf-standard',
          keyHint: {
            description: 'The PDF user (open) password, or the owner password.',
            kind: 'password',
            present: 'unknown',
          },
        });
      }
    }
    return plain('analysable', {
      id: 'pdf',
      name: 'PDF document',
      mime: 'application/pdf',
      confidence: confidence(0.92),
      code: 'PDF_HEADER',
      message: `"%PDF-${version}" header at offset ${at}; no /Encrypt in the trailer${probe.tail.length > 0 ? ' or first page (parts read)' : ''}${cut ? `; ${cutNote}, and no stream judged encrypted` : ''}.`,
      figures: { version, headerOffset: at },
    });
  },
});
