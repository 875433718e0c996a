/**
 * Samsung's own backup and export files.
 *
 * Kies and Smart Switch PC (`.spb` contacts, `.sme` messages, `.ssc` calendar, `.smm` memos, `.ebk`
 * Smart Switch items, their `a` variants): a clear stream (an XML `<HeaderData xmlns="Kies.Common.Data">`
 * header padded with 0x10 to 256 or 512 bytes, then the packed data: gzip for Kies 2.x/Kies3, a ZIP for
 * Kies4) cut into 256-byte pieces, each piece AES-256-CBC encrypted on its own with PKCS#7 padding
 * (272 bytes out) under one key and IV fixed in Samsung's software, published by the public Kies
 * decrypters (kiesdmod's CRYPT_BLOCK_LEN 0x110 loop) and simpler-dev.blogspot.com's 2017 analysis.
 * A published key is no secret: not encrypted, but a container only Samsung's tools read: opaque.
 * No magic number and no name rule: the first piece decrypting to that XML header, with the padding
 * block the layout puts at its end, is the proof.
 *
 * Smart Switch PC app backups (`APKFILE/<package>.penc`): a u32 big-endian length, then that many bytes of
 * AES-128-CBC ciphertext of the APK's first MiB (PKCS#7), then the rest of the APK in clear. The key is SHA-256
 * of a "dummy" credential cut to 16 bytes, with a fixed IV: older Smart Switch versions used one fixed dummy
 * for every backup (published by the open-source smartswitch-explorer decryptor), newer ones a per-backup
 * session value that Smart Switch for Windows keeps in the same backup folder's `backupHistoryInfo.xml`
 * (`<Dummy>`, AES-ECB under another fixed key). Under the fixed dummy: opaque (a published key); otherwise
 * encrypted, the key hint pointing at that file (its app data beside it, `<package>.data`, is an
 * `ANDROID BACKUP` stream the android-backup detector reads, encrypted under the same credential).
 *
 * Samsung Pass exports (`.spass`): the whole file is base64 of a 20-byte salt, a 16-byte IV and AES-256-CBC
 * ciphertext under PBKDF2-HMAC-SHA256 (70,000 iterations) of the password typed at export (the public
 * spass-manager and Unsealer decryptors). No marker: the name, the base64 body and a decoded length of
 * salt, IV and whole blocks of random-looking bytes together decide.
 */
import { createDecipheriv, createHash } from 'node:crypto';
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { spreadLikeRandom } from './statistics-figures.js';
import { fromBase64, indexOf, locked, passwordHint, plain, u32be } from './util.js';

const KIES_KEY = Buffer.from('epovviwlx,dirwq;sor0-fvksz,erwog', 'latin1');
const KIES_IV = Buffer.from('afie,crywlxoetka', 'latin1');
/**
 * 256 clear bytes encrypted alone, then a 16-byte block of 0x10: PKCS#7 padding encrypted with them (Kies
 * files: the Windows decrypters' CryptDecrypt checks it), or, as simpler-dev saw in real Smart Switch `.ebk`
 * files, sixteen 0x10 bytes in clear after the 256 encrypted ones. Either is accepted, nothing else.
 */
const PIECE = 272;
const CLEAR = 256;

const allPadding = (b: Uint8Array) => b.every((x) => x === 0x10);

/** One 272-byte piece decrypted under Samsung's fixed key, or undefined when its padding block is wrong. */
function decryptPiece(piece: Uint8Array): Buffer | undefined {
  const d = createDecipheriv('aes-256-cbc', KIES_KEY, KIES_IV);
  d.setAutoPadding(false);
  const out = Buffer.concat([d.update(piece), d.final()]);
  return allPadding(out.subarray(CLEAR)) || allPadding(piece.subarray(CLEAR)) ? out.subarray(0, CLEAR) : undefined;
}

/** What the packed data after the header starts as. */
function payloadKind(clear: Uint8Array): string {
  if (clear[0] === 0x1f && clear[1] === 0x8b) return 'gzip';
  if (clear[0] === 0x50 && clear[1] === 0x4b && clear[2] === 0x03 && clear[3] === 0x04) return 'ZIP';
  if (/^\s*(\uFEFF)?</.test(Buffer.from(clear.subarray(0, 16)).toString('utf8'))) return 'XML';
  return 'other';
}

const tagValue = (xml: string, tag: string) => new RegExp(`<${tag}>([^<]{1,32})</${tag}>`).exec(xml)?.[1]?.trim();

function kies(head: Uint8Array, size: number): Detection | undefined {
  if (size < 2 * PIECE || size % PIECE !== 0 || head.length < PIECE) return undefined;
  // One block first: almost every file fails here, before the other 16 blocks are decrypted.
  const first = createDecipheriv('aes-256-cbc', KIES_KEY, KIES_IV).setAutoPadding(false).update(head.subarray(0, 16));
  if (!/^(\xEF\xBB\xBF)?<\?xml/.test(first.toString('latin1'))) return undefined;
  const pieces: Buffer[] = [];
  for (let at = 0; at + PIECE <= Math.min(head.length, 3 * PIECE) && at + PIECE <= size; at += PIECE) {
    const clear = decryptPiece(head.subarray(at, at + PIECE));
    if (!clear) break;
    pieces.push(clear);
  }
  if (pieces.length === 0) return undefined;
  const text = Buffer.concat(pieces).toString('latin1');
  const end = text.indexOf('</HeaderData>');
  if (!/<HeaderData[\s>]/.test(text) || end < 0) return undefined;
  const version = tagValue(text, 'version');
  const zipType = tagValue(text, 'zipType');
  // The header is padded with 0x10 to a fixed size (256 bytes for version 1.x, 512 after): skip padding pieces.
  let headerPieces = Math.ceil((end + '</HeaderData>'.length) / CLEAR);
  while (pieces[headerPieces]?.every((b) => b === 0x10)) headerPieces++;
  const after = pieces[headerPieces];
  const payload = after ? payloadKind(after) : undefined;
  const kiesNs = text.includes('Kies.Common.Data');
  return plain('opaque', {
    id: 'samsung-kies-backup',
    name: 'Samsung Kies / Smart Switch PC backup file',
    confidence: 0.96,
    code: 'SAMSUNG_KIES_HEADER',
    message:
      `${size / PIECE} pieces of ${PIECE} bytes, the first decrypting under Samsung's published fixed AES-256-CBC key and IV ` +
      `to an XML <HeaderData> header${kiesNs ? ' (namespace Kies.Common.Data)' : ''}` +
      `${version ? `, version ${version}` : ''}${zipType ? `, packing ${zipType}` : ''}` +
      `${payload ? `; the packed data after it starts as ${payload}` : ''}. ` +
      'The key is public (Samsung Kies / Smart Switch PC use it for every backup), so this is not encryption; ' +
      'only Samsung tools and public decrypters read the container.',
    figures: {
      pieces: size / PIECE,
      headerBytes: headerPieces * CLEAR,
      ...(version ? { version } : {}),
      ...(zipType ? { zipType } : {}),
      ...(payload ? { payload } : {}),
    },
  });
}

const PENC_LEGACY_KEY = createHash('sha256').update('9AB412D3C1F2EF658BFC0CFFCCC344D44C0A').digest().subarray(0, 16);
const PENC_IV = Buffer.from('26c7d1d26c142de0a3b82f7e8f90860a', 'hex');
/** Smart Switch encrypts at most the APK's first MiB; PKCS#7 adds a block to a whole MiB. */
const PENC_MAX = 1024 * 1024 + 16;

function penc(probe: Probe): Detection | undefined {
  const { head, size } = probe;
  if (head.length < 4 + 16) return undefined;
  const length = u32be(head, 0) ?? 0;
  if (length < 16 || length % 16 !== 0 || length > PENC_MAX || 4 + length > size) return undefined;
  // A clear remainder only follows a whole encrypted MiB, and it is the rest of a ZIP: its end record is in the tail.
  if (4 + length < size) {
    if (length !== PENC_MAX) return undefined;
    const tail = probe.complete ? head : probe.tail;
    if (indexOf(tail, 'PK\x05\x06') < 0) return undefined;
  }
  if (!spreadLikeRandom(head.subarray(4, Math.min(head.length, 4 + length, 4 + 4096)))) return undefined;
  const first = createDecipheriv('aes-128-cbc', PENC_LEGACY_KEY, PENC_IV)
    .setAutoPadding(false)
    .update(head.subarray(4, 20));
  const clearRest = size - 4 - length;
  const layout =
    clearRest > 0
      ? `a ${length}-byte AES-128-CBC segment (the APK's first MiB) and ${clearRest} clear bytes of the rest of the APK, ending in a ZIP end record`
      : `a ${length}-byte AES-128-CBC segment holding the whole APK (under a MiB)`;
  const figures = { encryptedBytes: length, clearBytes: clearRest };
  if (first[0] === 0x50 && first[1] === 0x4b && first[2] === 0x03 && first[3] === 0x04)
    return plain('opaque', {
      id: 'smart-switch-penc',
      name: 'Smart Switch PC app backup (APK, fixed key)',
      confidence: 0.95,
      code: 'SMART_SWITCH_PENC',
      message: `Smart Switch .penc: ${layout}; the segment decrypts to a ZIP local header under the fixed legacy key Smart Switch used for every backup (published), so the APK is obfuscated, not encrypted.`,
      figures: { ...figures, legacyKey: true },
    });
  return locked({
    id: 'smart-switch-penc-encrypted',
    name: 'Smart Switch PC app backup (APK), encrypted',
    confidence: 0.9,
    code: 'SMART_SWITCH_PENC',
    message: `Smart Switch .penc: ${layout}; random-looking, and not under the fixed legacy key: encrypted under the backup's session credential.`,
    figures: { ...figures, legacyKey: false },
    scheme: 'smart-switch-penc-aes-128-cbc',
    keyHint: {
      description:
        "Smart Switch's per-backup credential: Smart Switch for Windows keeps it in the backup folder's backupHistoryInfo.xml (<Dummy>, AES-ECB under a fixed key); the key is SHA-256 of it cut to 16 bytes.",
      kind: 'key-file',
      present: 'unknown',
      lookFor: ['**/backupHistoryInfo.xml'],
    },
  });
}

/** Salt, IV and at least one cipher block. */
const SPASS_MIN = 20 + 16 + 16;

function spass(head: Uint8Array, size: number, complete: boolean): Detection | undefined {
  // Base64 of the whole file, on one line or wrapped (Android's Base64.DEFAULT breaks lines at 76 characters,
  // and the decryptors skip line breaks): read up to 4 KiB of it (a whole number of quads) from the head.
  const text = Buffer.from(head.subarray(0, Math.min(head.length, 4096)))
    .toString('latin1')
    .replace(/\r?\n/g, '');
  const body = complete ? text.trim() : text.slice(0, text.length - (text.length % 4));
  if (/\s/.test(body)) return undefined;
  const decoded = fromBase64(body);
  if (!decoded || decoded.length < SPASS_MIN) return undefined;
  if (complete && (decoded.length - 36) % 16 !== 0) return undefined;
  if (!spreadLikeRandom(decoded.subarray(0, Math.min(decoded.length, 1024)))) return undefined;
  // A file larger than the head: its size less line breaks (about one in 77 characters when wrapped) gives the length.
  const wrapped = /\n/.test(Buffer.from(head.subarray(0, 4096)).toString('latin1'));
  const digits = wrapped ? Math.round((size * 76) / 77) : size;
  const cipherBytes = complete ? decoded.length - 36 : Math.floor((digits * 3) / 4) - 36;
  return locked({
    id: 'samsung-pass-export',
    name: 'Samsung Pass export, password-encrypted',
    confidence: 0.93,
    code: 'SAMSUNG_PASS_EXPORT',
    message:
      `Samsung Pass export (.spass): base64 of a 20-byte salt, a 16-byte IV and ${complete ? '' : 'about '}${cipherBytes} bytes ` +
      'of random-looking AES-256-CBC ciphertext in whole blocks, the key PBKDF2-HMAC-SHA256 (70,000 iterations) of the export password.',
    figures: { ciphertextBytes: cipherBytes },
    scheme: 'samsung-pass-pbkdf2-aes-256-cbc',
    keyHint: passwordHint('The password typed when the Samsung Pass data was exported (Samsung Pass > Export data).'),
  });
}

export const samsungBackupsDetector = defineDetector({
  meta: {
    id: 'samsung-backups',
    version: '1.0.0',
    title: "Samsung's backup and export files (Kies / Smart Switch PC fixed-key files, Samsung Pass exports)",
    formats: [
      {
        id: 'samsung-kies-backup',
        name: 'Samsung Kies / Smart Switch PC backup file',
        status: 'opaque',
        how: 'header-field',
        extensions: ['spb', 'spba', 'sme', 'smea', 'ssc', 'smm', 'ebk'],
      },
      {
        id: 'smart-switch-penc',
        name: 'Smart Switch PC app backup (APK, fixed key)',
        status: 'opaque',
        how: 'header-field',
        extensions: ['penc'],
      },
      {
        id: 'smart-switch-penc-encrypted',
        name: 'Smart Switch PC app backup (APK), encrypted',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['penc'],
      },
      {
        id: 'samsung-pass-export',
        name: 'Samsung Pass export, password-encrypted',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['spass'],
      },
    ],
  },
  minSize: SPASS_MIN,
  priority: 30,
  detect(probe): Detection | undefined {
    if (probe.extension === 'spass') return spass(probe.head, probe.size, probe.complete);
    if (probe.extension === 'penc') return penc(probe);
    return kies(probe.head, probe.size);
  },
});
