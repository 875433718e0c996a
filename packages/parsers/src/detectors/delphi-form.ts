/**
 * Delphi and C++Builder forms saved in binary (`.dfm`, and the form resources Kylix and Lazarus read): one
 * 16-bit Windows resource entry, a 0xFF then the resource type as an ordinal (10, RT_RCDATA), the form's name
 * as a NUL-terminated string, a flags word and the data's length, then the streamed component tree ("TPF0",
 * then the form's class and properties). Its first two bytes, FF 0A, are also the JPEG XL codestream
 * signature: file-type and libmagic called these forms JPEG XL images. The entry must read and its length
 * end the file.
 * Reference: Win16 resource file layout (Microsoft "Resource File Formats", 16-bit: type and name as 0xFF
 * and an ordinal, or a string); Delphi's Classes.TReader (the "TPF0" filer signature). Fixture: a form of
 * libmng 1.0.10's Delphi viewer (Debian source package libmng), as Delphi saved it; none of its tools is here.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, u16le, u32le } from './util.js';

const RT_RCDATA = 10;
const FILER_SIGNATURE = 'TPF0';
/** Longest form name read (Delphi's identifiers are well below). */
const MAX_NAME = 255;

export const delphiFormDetector = defineDetector({
  meta: {
    id: 'delphi-form',
    version: '1.0.0',
    title: 'Delphi and C++Builder binary forms (.dfm: a 16-bit RCDATA resource holding a "TPF0" component stream)',
    formats: [
      {
        id: 'delphi-form',
        name: 'Delphi binary form (.dfm)',
        status: 'analysable',
        how: 'structure',
        extensions: ['dfm', 'xfm', 'lfm'],
      },
    ],
  },
  minSize: 16,
  priority: 30,
  signatures: [{ offset: 0, hex: 'ff0a00' }],
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h[0] !== 0xff || u16le(h, 1) !== RT_RCDATA) return undefined;
    const nul = h.indexOf(0, 3);
    if (nul < 4 || nul - 3 > MAX_NAME || !h.subarray(3, nul).every((c) => c > 0x20 && c < 0x7f)) return undefined;
    const name = ascii(h, 3, nul);
    const flags = u16le(h, nul + 1);
    const length = u32le(h, nul + 3);
    const dataAt = nul + 7;
    if (flags === undefined || length === undefined || dataAt + length !== probe.size) return undefined;
    if (ascii(h, dataAt, dataAt + 4) !== FILER_SIGNATURE) return undefined;
    // The stream names the form's class: a length byte and that many identifier characters.
    const classLength = h[dataAt + 4] ?? 0;
    const className = ascii(h, dataAt + 5, dataAt + 5 + classLength);
    if (classLength === 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(className)) return undefined;
    return plain('analysable', {
      id: 'delphi-form',
      name: 'Delphi binary form (.dfm)',
      confidence: 0.9,
      code: 'DELPHI_FORM',
      message: `A 16-bit RCDATA resource named "${name}" whose ${length}-byte data ends the file and opens with the filer signature "TPF0" and the form class ${className}: a Delphi or C++Builder form saved in binary (not a JPEG XL codestream, whose signature FF 0A it shares).`,
      figures: { resourceName: name, formClass: className, bytes: length },
    });
  },
});
