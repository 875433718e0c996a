/**
 * Windows DPAPI blobs written into a text file as hex or base64, among other
 * text or alone: PowerShell's ConvertFrom-SecureString output (one hex blob,
 * UTF-16LE from Windows PowerShell's Out-File), Export-Clixml credentials
 * (`<SS N="Password">` hex), Steam's local.vdf (ConnectCache values), Zoom's
 * Zoom.us.ini (win_osencrypt_key) and
 * apps' settings files. Each blob is found by its fixed start — version 1 and
 * the provider GUID df9d8cd0-1501-11d1-8c7a-00c04fc297eb, hex
 * "01000000d08c9ddf…" or base64 "AQAAANCMnd8BFdERjHoAwE/Cl+s" — then read
 * field by field (dpapi-base64's reader), so a GUID mentioned in prose is not a
 * blob. A file that is one base64 blob and nothing else is dpapi-base64's.
 * References: the DPAPI blob layout (dpapick blob.py, impacket dpapi.py
 * DPAPI_BLOB); PowerShell's ConvertFrom-SecureString documentation (without a
 * key, the Windows Data Protection API protects the string).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { dpapiBlobFields, type DpapiBlobFields } from './dpapi-base64.js';
import { locked, textInfo, textMarks } from './util.js';

const HEX_START = '01000000d08c9ddf0115d1118c7a00c04fc297eb';
/** What a blob's start looks like in the file's bytes: ASCII/UTF-8 and UTF-16LE, hex in either case. */
const hasMark = textMarks(['d08c9ddf0115d111', 'D08C9DDF0115D111', 'AQAAANCMnd8BFdERjHoAwE']);
/** A blob is at least its 48-byte header, a salt, a hash and data: 100 bytes is far below any real one. */
const HEX_BLOB = new RegExp(`${HEX_START}(?:[0-9a-f]{2}){60,}`, 'gi');
/** Base64 of the same start is "AQAAANCMnd8BFdERjHoAwE/Cl+s". */
const B64_BLOB = /AQAAANCMnd8BFdERjHoAwE\/Cl\+s[A-Za-z0-9+/]{110,}={0,2}/g;
const MAX_BLOBS = 64;
const MAX_LOOK_FOR = 8;

type Found = DpapiBlobFields & { encoding: 'hex' | 'base64'; text: string };

function blobsIn(text: string): Found[] {
  const found: Found[] = [];
  for (const [re, encoding] of [
    [HEX_BLOB, 'hex'],
    [B64_BLOB, 'base64'],
  ] as const) {
    for (const m of text.matchAll(re)) {
      if (found.length >= MAX_BLOBS) break;
      const fields = dpapiBlobFields(Buffer.from(m[0], encoding));
      if (fields) found.push({ ...fields, encoding, text: m[0] });
    }
  }
  return found;
}

export const dpapiTextDetector = defineDetector({
  meta: {
    id: 'dpapi-text',
    version: '1.0.0',
    title: 'Windows DPAPI blobs written into text (PowerShell SecureString, credential XML, app settings)',
    formats: [
      {
        id: 'dpapi-blob-text',
        name: 'Text holding Windows DPAPI blobs (hex or base64)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['txt', 'xml', 'vdf', 'ini', 'cred', 'json', 'config'],
      },
    ],
    indexPatterns: ['**/Protect/S-1-*/*'],
  },
  minSize: 128,
  priority: 35,
  detect(probe): Detection | undefined {
    if (!hasMark(probe.head)) return undefined;
    const info = textInfo(probe.head);
    if (!info) return undefined;
    const blobs = blobsIn(info.text);
    const first = blobs[0];
    if (!first) return undefined;
    const rest = info.text.trim();
    const alone = blobs.length === 1 && rest === first.text;
    // One base64 blob and nothing else is dpapi-base64's (the LastPass .sxml case).
    if (alone && first.encoding === 'base64') return undefined;
    const masterKeys = [...new Set(blobs.map((b) => b.masterKey))];
    const ciphers = [...new Set(blobs.map((b) => b.cipher))];
    return locked({
      id: 'dpapi-blob-text',
      name: 'Text holding Windows DPAPI blobs (hex or base64)',
      confidence: 0.96,
      code: alone ? 'DPAPI_BLOB_HEX_TEXT' : 'DPAPI_BLOBS_IN_TEXT',
      message: alone
        ? `The file is one hex-encoded DPAPI blob (${info.encoding}; master key ${first.masterKey}, cipher ${first.cipher}): a secret protected for a Windows user, as PowerShell's ConvertFrom-SecureString writes it.`
        : `${blobs.length} DPAPI blob(s) (${[...new Set(blobs.map((b) => b.encoding))].join(', ')}; master key ${masterKeys.join(', ')}, cipher ${ciphers.join(', ')}) inside readable ${info.encoding} text: the values are protected for a Windows user, the text around them is clear.`,
      figures: {
        blobs: blobs.length,
        masterKeys: masterKeys.join(','),
        ciphers: ciphers.join(','),
        textEncoding: info.encoding,
      },
      scope: alone ? 'full' : 'partial',
      scheme: `dpapi-${first.cipher}`,
      keyHint: {
        description: `The DPAPI master key${masterKeys.length > 1 ? 's' : ''} ${masterKeys.join(', ')} (under AppData/Roaming/Microsoft/Protect/<SID>/, or the machine's under Windows/System32/Microsoft/Protect/S-1-5-18/) and the user's Windows password.`,
        kind: 'key-file',
        present: 'unknown',
        lookFor: masterKeys.slice(0, MAX_LOOK_FOR).map((g) => `**/Protect/S-1-*/${g}`),
      },
    });
  },
});
