/**
 * Windows DPAPI blobs stored base64-encoded as a whole text file (LastPass's
 * local vault `*.sxml` for Firefox/IE, and other apps that write
 * CryptProtectData output as text). The base64 of a DPAPI blob always starts
 * "AQAAANCMnd8BFdERjHoAwE/Cl+s" (version 1 and the provider GUID
 * df9d8cd0-1501-11d1-8c7a-00c04fc297eb); the decoded blob is then checked
 * field by field: master key version and GUID, flags, the description
 * length, and a known CryptoAPI cipher id after the description.
 * References: the DPAPI blob layout as read by dpapick (blob.py) and
 * impacket (dpapi.py DPAPI_BLOB); JtR's DPAPImk2john for the master keys.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, guidAt, locked, u32le } from './util.js';
import { trimEndOf } from '../text-ends.js';

const PREFIX = 'AQAAANCMnd8BFdERjHoAwE/Cl+s';
const PROVIDER = Buffer.from('d08c9ddf0115d1118c7a00c04fc297eb', 'hex');
/** CryptoAPI ALG_IDs seen as a DPAPI blob's cipher: 3DES, AES-128/192/256, RC4. */
const CIPHERS: Record<number, string> = {
  0x6603: '3des',
  0x660e: 'aes-128',
  0x660f: 'aes-192',
  0x6610: 'aes-256',
  0x6801: 'rc4',
};
const DESCRIPTION_LENGTH_AT = 44;
const DESCRIPTION_AT = 48;

/** The fields of a DPAPI blob that name its key and cipher. */
export interface DpapiBlobFields {
  /** GUID of the master key file that unlocks it (under `Protect/<SID>/`). */
  masterKey: string;
  cipher: string;
  cipherId: number;
  description: string;
}

/**
 * Reads a DPAPI blob's header field by field (version 1, the DPAPI provider GUID, master key version 1,
 * an even description length, a known cipher id after it); undefined when any check fails.
 *
 * @example
 * dpapiBlobFields(Buffer.from(base64Text, 'base64'))?.masterKey; // 'b1c2…'
 */
export function dpapiBlobFields(blob: Uint8Array): DpapiBlobFields | undefined {
  if (blob.length < DESCRIPTION_AT + 8 || u32le(blob, 0) !== 1) return undefined;
  if (!Buffer.from(blob.subarray(4, 20)).equals(PROVIDER)) return undefined;
  const masterKeyVersion = u32le(blob, 20) ?? 0;
  const descriptionLength = u32le(blob, DESCRIPTION_LENGTH_AT) ?? 0xffffffff;
  // The description is UTF-16LE (even length, small); the cipher id follows it.
  if (masterKeyVersion !== 1 || descriptionLength % 2 !== 0 || descriptionLength > 1024) return undefined;
  const cipherId = u32le(blob, DESCRIPTION_AT + descriptionLength) ?? 0;
  const cipher = CIPHERS[cipherId];
  if (cipher === undefined) return undefined;
  const description = trimEndOf(
    Buffer.from(blob.subarray(DESCRIPTION_AT, DESCRIPTION_AT + descriptionLength)).toString('utf16le'),
    '\0',
  );
  return { masterKey: guidAt(blob, 24), cipher, cipherId, description };
}

export const dpapiBase64Detector = defineDetector({
  meta: {
    id: 'dpapi-base64',
    version: '1.1.0',
    title: 'Windows DPAPI blobs stored as base64 text',
    formats: [
      {
        id: 'dpapi-blob-base64',
        name: 'Windows DPAPI blob, base64 text (LastPass local vault .sxml and others)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['sxml', 'txt', 'dat'],
      },
    ],
  },
  signatures: [{ offset: 0, ascii: PREFIX }],
  minSize: 128,
  priority: 20,
  detect(probe): Detection | undefined {
    // The whole head must be base64, wrapped or not (a file that only starts with the prefix is something else);
    // NULs that end it (slack, a byte a copy appended) are set aside, as textInfo does for the text detectors.
    const text = trimEndOf(ascii(probe.head), '\0').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
    const blob = Buffer.from(text.slice(0, text.length - (text.length % 4)), 'base64');
    const fields = dpapiBlobFields(blob);
    if (!fields) return undefined;
    const { masterKey, cipher, cipherId, description } = fields;
    return locked({
      id: 'dpapi-blob-base64',
      name: 'Windows DPAPI blob, base64 text (LastPass local vault .sxml and others)',
      confidence: 0.93,
      code: 'DPAPI_BLOB_BASE64',
      message:
        `The file is one base64 text whose bytes are a DPAPI blob (version 1, provider df9d8cd0-1501-11d1-8c7a-00c04fc297eb, ` +
        `master key ${masterKey}, cipher ${cipher} 0x${cipherId.toString(16)}${description ? `, description "${description}"` : ''}).`,
      figures: { masterKey, cipher, description },
      scheme: `dpapi-${cipher}`,
      keyHint: {
        description: `The DPAPI master key ${masterKey} (under AppData/Roaming/Microsoft/Protect/<SID>/) and the user's Windows password.`,
        kind: 'key-file',
        present: 'unknown',
        lookFor: [`**/Protect/S-1-*/${masterKey}`],
      },
    });
  },
});
