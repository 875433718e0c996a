/**
 * BinHex 4.0 files (`.hqx`): a Mac file (name, type, creator, data and
 * resource forks) as 7-bit text, how Mac software travelled by mail, Usenet
 * and FTP. The text detector would call it plain text and stop there; what
 * matters is the file inside. The head is decoded (64-character alphabet, 0x90
 * run-length coding) and the header's CRC-16 checked; the data fork's first
 * bytes then go to the detectors of the archives Macs sent this way
 * (`stuffit`): a password-protected StuffIt archive makes the BinHex file
 * encrypted, as its content needs the password. Otherwise it is readable.
 * References: BinHex 4.0 definition (Peter N. Lewis, 1991: the alphabet, the
 * 0x90 run-length marker, the header with its CRC-16/XMODEM); RFC 1741.
 */
import { defineDetector, type DetectResult, type Detection, type Probe } from '@evtriage/core/contract';
import { stuffitDetector } from './stuffit.js';
import { indexOf, plain } from './util.js';

const ALPHABET = '!"#$%&\'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;
const BANNER = '(This file must be converted with BinHex';
/** Bytes of text decoded at most (the probe's head): enough for the header and the start of the data fork. */
const MAX_TEXT = 64 * 1024;

function crcXmodem(b: Uint8Array, from: number, to: number): number {
  let c = 0;
  for (let i = from; i < to; i++) {
    c ^= b[i]! << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
  }
  return c;
}

/** The bytes the text encodes, as far as the head goes: 6-bit groups, then the 0x90 run-length coding undone. */
function decode(text: string, start: number): Buffer | undefined {
  const packed: number[] = [];
  let bits = 0;
  let n = 0;
  for (let i = start; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x3a) break; // the closing colon
    if (ch === 0x0a || ch === 0x0d || ch === 0x20 || ch === 0x09) continue;
    const v = ch < 128 ? VALUE[ch]! : -1;
    if (v < 0) return undefined;
    bits = ((bits << 6) | v) & 0xffffff;
    n += 6;
    if (n >= 8) {
      n -= 8;
      packed.push((bits >> n) & 0xff);
    }
  }
  const out: number[] = [];
  let last = 0;
  for (let i = 0; i < packed.length; i++) {
    const b = packed[i]!;
    if (b !== 0x90) {
      out.push(b);
      last = b;
      continue;
    }
    const count = packed[++i];
    if (count === undefined) break;
    if (count === 0) {
      out.push(0x90);
      last = 0x90;
    } else for (let k = 1; k < count; k++) out.push(last);
  }
  return Buffer.from(out);
}

/** A detector's first answer (it may answer with several candidates). */
function firstOf(d: DetectResult): Detection | undefined {
  return isList(d) ? d[0] : d;
}
function isList(d: DetectResult): d is readonly Detection[] {
  return Array.isArray(d);
}

export const binhexDetector = defineDetector({
  meta: {
    id: 'binhex',
    version: '1.0.0',
    title: 'BinHex 4.0 files, and the archive they carry',
    formats: [
      {
        id: 'binhex',
        name: 'BinHex 4.0 encoded Mac file',
        status: 'analysable',
        how: 'structure',
        mime: 'application/mac-binhex40',
        extensions: ['hqx'],
      },
      {
        id: 'binhex-encrypted-payload',
        name: 'BinHex 4.0 file carrying a password-protected archive',
        status: 'encrypted',
        how: 'structure',
        mime: 'application/mac-binhex40',
        extensions: ['hqx'],
      },
    ],
  },
  // The banner in the first 4 KiB (after a mail's or a newsgroup's lines): searched by the engine's dispatch, so
  // the detector runs on those files alone.
  signatures: [{ offset: 0, ascii: BANNER, within: 4096 }],
  minSize: 64,
  priority: 30,
  async detect(probe): Promise<Detection | undefined> {
    // The banner opens the file, or follows a mail's or a newsgroup's lines.
    const banner = indexOf(probe.head.subarray(0, 4096 + BANNER.length), BANNER);
    if (banner < 0) return undefined;
    const text = Buffer.from(probe.head.subarray(0, MAX_TEXT)).toString('latin1');
    const colon = text.indexOf(':', text.indexOf(')', banner));
    if (colon < 0 || colon - banner > 200) return undefined;
    const bytes = decode(text, colon + 1);
    if (!bytes || bytes.length < 2) return undefined;
    const nameLength = bytes[0]!;
    const p = 1 + nameLength + 1;
    if (nameLength < 1 || nameLength > 63 || bytes.length < p + 20) return undefined;
    if (crcXmodem(bytes, 0, p + 18) !== bytes.readUInt16BE(p + 18)) return undefined;
    const name = bytes.toString('latin1', 1, 1 + nameLength);
    const type = bytes.toString('latin1', p, p + 4);
    const creator = bytes.toString('latin1', p + 4, p + 8);
    const dataLength = bytes.readUInt32BE(p + 10);
    const rsrcLength = bytes.readUInt32BE(p + 14);
    const fork = bytes.subarray(p + 20, p + 20 + dataLength);
    const figures = { name, type, creator, dataForkBytes: dataLength, resourceForkBytes: rsrcLength };
    const about = `BinHex 4.0 text of the Mac file "${name}" (type ${JSON.stringify(type)}, creator ${JSON.stringify(creator)}; ${dataLength}-byte data fork, ${rsrcLength}-byte resource fork; header CRC verified)`;
    const inner: Probe = {
      ...probe,
      head: fork,
      tail: new Uint8Array(0),
      samples: [],
      size: dataLength,
      complete: fork.length === dataLength,
    };
    const found =
      fork.length >= 22
        ? await stuffitDetector.detect(inner, {
            limits: { probeHeadBytes: fork.length, probeTailBytes: 0 },
            signal: new AbortController().signal,
          })
        : undefined;
    const d = found === undefined ? undefined : firstOf(found);
    if (d?.status === 'encrypted' && d.encryption) {
      return {
        format: {
          id: 'binhex-encrypted-payload',
          name: 'BinHex 4.0 file carrying a password-protected archive',
          mime: 'application/mac-binhex40',
        },
        status: 'encrypted',
        confidence: Math.min(0.93, d.confidence),
        reasons: [
          {
            code: 'BINHEX_PAYLOAD_ENCRYPTED',
            message: `${about}; its data fork is a ${d.format.name}: what stuffit found follows.`,
            figures,
          },
          ...d.reasons,
        ],
        encryption: d.encryption,
      };
    }
    return plain('analysable', {
      id: 'binhex',
      name: 'BinHex 4.0 encoded Mac file',
      mime: 'application/mac-binhex40',
      confidence: 0.93,
      code: 'BINHEX_HEADER',
      message: `${about}${d ? `; the data fork is a ${d.format.name}, not password-protected` : ''}.`,
      figures,
    });
  },
});
