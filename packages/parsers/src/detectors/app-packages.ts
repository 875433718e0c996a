/**
 * App packages whose own header, not a ZIP, says what they are (the ZIP ones, MSIX/APPX, split APKs, IPA and
 * NuGet, are named by the zip-encryption parser from their members):
 * - Windows encrypted app packages (`.eappx`, `.emsix`, `.eappxbundle`, `.emsixbundle`: `makeappx encrypt`,
 *   IAppxEncryptionFactory). Microsoft documents the API (appxpackaging.h: key length, encryption algorithm,
 *   block-map hash algorithm) but not the file; the header read here follows the reverse-engineered layout
 *   published at https://pastebin.com/zH5tet0b (magic, header size, footer offset and length, file count,
 *   key ids, the package full name and the algorithm names in UTF-16).
 * - APKMirror's older encrypted split bundles (`.apkm` v1): libsodium secretstream (XChaCha20-Poly1305) under a
 *   key derived with Argon2 from a password fixed in the APKMirror Installer and published by unapkm
 *   (github.com/souramoo/unapkm): 1 byte, the Argon2 variant, opslimit, memlimit and chunk size (u64 LE), a
 *   16-byte salt, the 24-byte secretstream header, then chunks of (chunk size + 17) bytes.
 * - APK signature scheme v4 files (`.apk.idsig`, apksigner --v4-signing-enabled, for incremental install):
 *   version, then hashing info, signing info and the Merkle tree, each length-prefixed, filling the file.
 * Fixtures: fixtures/app-packages/generate.sh (apksigner for the v4 file; the other two written from their
 * layouts, no Linux tool writes them).
 */
import { ascii, defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { locked, plain, probeBytes, u16le, u32le, u64le } from './util.js';

/** The encrypted package's magic and what it is (EXSH: listed by the layout, its use not stated there). */
const EAPPX_MAGICS: Readonly<Record<string, string>> = {
  EXPH: 'encrypted app package (.eappx/.emsix)',
  EXBH: 'encrypted app bundle (.eappxbundle/.emsixbundle)',
  EXSH: 'encrypted app package (EXSH header)',
};
/** Bytes of the EAPPX header before its key ids (magic to key-id count). */
const EAPPX_FIXED_BYTES = 88;
const EAPPX_KEY_ID_BYTES = 32;
const EAPPX_FOOTER_ENTRY_BYTES = 0x28;
/** Key-id index of a file the writer left plain (an exempted file). */
const EAPPX_PLAIN_FILE = 0xffff;

/** A UTF-16LE string of `chars` characters at `at`, when all of it is printable. */
function utf16At(b: Uint8Array, at: number, chars: number): string | undefined {
  if (chars <= 0 || at + chars * 2 > b.length) return undefined;
  let s = '';
  for (let i = 0; i < chars; i++) {
    const c = b[at + 2 * i]! | (b[at + 2 * i + 1]! << 8);
    if (c < 0x20 || c === 0x7f || (c >= 0xd800 && c <= 0xdfff)) return undefined;
    s += String.fromCharCode(c);
  }
  return s;
}

interface EappxHeader {
  magic: string;
  headerBytes: number;
  footerOffset: number;
  footerBytes: number;
  files: number;
  keyIds: number;
  packageFullName: string;
  algorithm: string;
}

/** The EAPPX header, when its sizes hold inside the file and its names read as UTF-16 text. */
function eappxHeader(probe: Probe): EappxHeader | undefined {
  const h = probe.head;
  const magic = ascii(h, 0, 4);
  const headerBytes = u16le(h, 4);
  const footerOffset = u64le(h, 14);
  const footerBytes = u64le(h, 22);
  const files = u64le(h, 30);
  const keyIds = u16le(h, 86);
  if (!(magic in EAPPX_MAGICS) || headerBytes === undefined || footerOffset === undefined) return undefined;
  if (footerBytes === undefined || files === undefined || keyIds === undefined) return undefined;
  if (headerBytes < EAPPX_FIXED_BYTES || headerBytes > probe.size || headerBytes > h.length) return undefined;
  // The footer (one 40-byte entry per file) lies after the header and inside the file.
  if (files < 1 || footerOffset < headerBytes || footerOffset + footerBytes > probe.size) return undefined;
  if (footerBytes < files * EAPPX_FOOTER_ENTRY_BYTES) return undefined;
  if (keyIds < 1 || keyIds > 64) return undefined;
  let at = EAPPX_FIXED_BYTES + keyIds * EAPPX_KEY_ID_BYTES;
  const nameChars = u16le(h, at);
  const nameBytes = u16le(h, at + 2);
  if (nameChars === undefined || nameBytes !== nameChars * 2) return undefined;
  const packageFullName = utf16At(h, at + 4, nameChars);
  at += 4 + nameBytes;
  const algorithmBytes = u16le(h, at);
  if (packageFullName === undefined || algorithmBytes === undefined || algorithmBytes % 2 !== 0) return undefined;
  const algorithm = utf16At(h, at + 2, algorithmBytes / 2);
  if (algorithm === undefined || at + 2 + algorithmBytes > headerBytes) return undefined;
  return { magic, headerBytes, footerOffset, footerBytes, files, keyIds, packageFullName, algorithm };
}

/**
 * The footer's file entries ("EF", entry size, key-id index): how many were read and how many carry a key (the
 * rest were exempted); 'unread' when the footer is beyond the probe, 'damaged' when an entry is not one.
 */
function footerEntries(probe: Probe, header: EappxHeader): { read: number; encrypted: number } | 'unread' | 'damaged' {
  const count = Math.min(header.files, 1024);
  const footer = probeBytes(probe, header.footerOffset, count * EAPPX_FOOTER_ENTRY_BYTES);
  if (footer === undefined) return 'unread';
  let encrypted = 0;
  for (let i = 0; i < count; i++) {
    const at = i * EAPPX_FOOTER_ENTRY_BYTES;
    if (ascii(footer, at, at + 2) !== 'EF' || (u16le(footer, at + 2) ?? 0) < EAPPX_FOOTER_ENTRY_BYTES) return 'damaged';
    if (u16le(footer, at + 4) !== EAPPX_PLAIN_FILE) encrypted++;
  }
  return { read: count, encrypted };
}

function encryptedAppx(probe: Probe): Detection | undefined {
  const header = eappxHeader(probe);
  if (header === undefined) return undefined;
  const footer = footerEntries(probe, header);
  if (footer === 'damaged') return undefined;
  const entries = footer === 'unread' ? undefined : footer;
  const what = EAPPX_MAGICS[header.magic]!;
  const counted = entries ? `; its footer's ${entries.read} entries: ${entries.encrypted} encrypted` : '';
  const bundle = header.magic === 'EXBH';
  return locked({
    id: bundle ? 'eappxbundle' : 'eappx',
    name: bundle ? 'Windows encrypted app bundle (EAPPX)' : 'Windows encrypted app package (EAPPX)',
    confidence: 0.9,
    code: 'EAPPX_HEADER',
    message: `"${header.magic}" header of a Windows ${what} for ${header.packageFullName}: ${header.files} files, encrypted with ${header.algorithm} under ${header.keyIds} key id${header.keyIds === 1 ? '' : 's'}, footer at ${header.footerOffset} (${header.footerBytes} bytes)${counted}. Windows decrypts it on install with the key the Store (or the publisher) holds.`,
    figures: {
      magic: header.magic,
      packageFullName: header.packageFullName,
      algorithm: header.algorithm,
      files: header.files,
      keyIds: header.keyIds,
      ...(entries ? { encryptedFiles: entries.encrypted } : {}),
    },
    scheme: `eappx-${header.algorithm.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    scope: entries !== undefined && entries.encrypted < entries.read ? 'partial' : 'full',
    keyHint: {
      description:
        "The package's encryption key, held by the Microsoft Store or the publisher (makeappx encrypt /kf or /kt).",
      kind: 'key-file',
      present: 'unknown',
    },
  });
}

/** Argon2 variants libsodium's crypto_pwhash numbers (ALG_ARGON2I13, ALG_ARGON2ID13) and their least opslimit. */
const APKM_ARGON2: Readonly<Record<number, [string, number]>> = { 1: ['argon2i13', 3], 2: ['argon2id13', 1] };
const APKM_HEADER_BYTES = 66;
/** A secretstream chunk's overhead: the encrypted tag byte and the 16-byte Poly1305 MAC. */
const SECRETSTREAM_ABYTES = 17;

function apkmV1(probe: Probe): Detection | undefined {
  const h = probe.head;
  const variant = APKM_ARGON2[h[1] ?? 0];
  const ops = u64le(h, 2);
  const mem = u64le(h, 10);
  const chunk = u64le(h, 18);
  if (variant === undefined || ops === undefined || mem === undefined || chunk === undefined) return undefined;
  // libsodium's bounds (opslimit from 1 or 3, memlimit from 8 KiB) and unapkm's 512 MiB memory cap.
  if (ops < variant[1] || ops > 0xffff || mem < 8192 || mem > 512 * 1024 * 1024) return undefined;
  if (chunk < 1 || chunk > 64 * 1024 * 1024) return undefined;
  // Whole chunks, then a last one holding at least its tag and MAC.
  const body = probe.size - APKM_HEADER_BYTES;
  const last = body % (chunk + SECRETSTREAM_ABYTES);
  if (body < SECRETSTREAM_ABYTES || (last !== 0 && last < SECRETSTREAM_ABYTES)) return undefined;
  const chunks = Math.ceil(body / (chunk + SECRETSTREAM_ABYTES));
  // The fields are small integers another binary header could hold (none of 156,158 files in /usr, /etc and the
  // corpus does): the .apkm name adds its weight.
  return plain('opaque', {
    id: 'apkm-v1',
    name: 'APKMirror split bundle, v1 (libsodium secretstream under a published password)',
    confidence: probe.extension === 'apkm' ? 0.85 : 0.7,
    code: 'APKM_V1_HEADER',
    message: `APKMirror .apkm v1 header: ${variant[0]} (opslimit ${ops}, memlimit ${mem}), ${chunk}-byte chunks, a 16-byte salt and the secretstream header, then ${chunks} XChaCha20-Poly1305 chunk${chunks === 1 ? '' : 's'} filling the file. The key is Argon2 of a password fixed in every copy of the APKMirror Installer (published by unapkm, which decrypts it to a ZIP of split APKs): not encrypted against an analyst.`,
    figures: { argon2: variant[0], opslimit: ops, memlimit: mem, chunkBytes: chunk, chunks, firstByte: h[0] ?? 0 },
  });
}

/** The v4 signature's hashing info: SHA-256 (1) over 4 KiB blocks (log2 12), a salt and the 32-byte root hash. */
function apkSignatureV4(probe: Probe): Detection | undefined {
  const h = probe.head;
  const version = u32le(h, 0);
  if (version !== 2 && version !== 3) return undefined;
  const hashingBytes = u32le(h, 4);
  const saltBytes = u32le(h, 13);
  const rootBytes = saltBytes === undefined ? undefined : u32le(h, 17 + saltBytes);
  if (hashingBytes === undefined || saltBytes === undefined || rootBytes === undefined) return undefined;
  if (u32le(h, 8) !== 1 || h[12] !== 12 || saltBytes > 32 || rootBytes !== 32) return undefined;
  if (hashingBytes !== 4 + 1 + 4 + saltBytes + 4 + rootBytes) return undefined;
  // Signing info and the Merkle tree follow, length-prefixed, and end the file.
  const signingAt = 8 + hashingBytes;
  const signingBytes = u32le(h, signingAt);
  if (signingBytes === undefined || signingBytes < 8) return undefined;
  const treeAt = signingAt + 4 + signingBytes;
  const treeBytes = probeBytes(probe, treeAt, 4);
  const tree = treeBytes && u32le(treeBytes, 0);
  if (tree === undefined || treeAt + 4 + tree !== probe.size || tree % 4096 !== 0) return undefined;
  return plain('analysable', {
    id: 'apk-v4-signature',
    name: 'APK signature scheme v4 file (.idsig)',
    confidence: 0.9,
    code: 'APK_V4_SIGNATURE',
    message: `APK signature scheme v4 file, version ${version}: SHA-256 over 4096-byte blocks with a ${saltBytes}-byte salt and a 32-byte root hash, ${signingBytes} bytes of signing info (certificate and signature), a ${tree}-byte Merkle tree, filling the file: apksigner's .idsig for incremental install, a clear signature (apksigner verify --v4-signature-file).`,
    figures: { version, saltBytes, signingInfoBytes: signingBytes, merkleTreeBytes: tree },
  });
}

export const appPackagesDetector = defineDetector({
  meta: {
    id: 'app-packages',
    version: '1.0.0',
    title: 'App packages with a header of their own: encrypted Windows app packages, APKMirror v1, APK v4 signatures',
    formats: [
      {
        id: 'eappx',
        name: 'Windows encrypted app package (EAPPX)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['eappx', 'emsix'],
      },
      {
        id: 'eappxbundle',
        name: 'Windows encrypted app bundle (EAPPX)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['eappxbundle', 'emsixbundle'],
      },
      {
        id: 'apkm-v1',
        name: 'APKMirror split bundle, v1 (libsodium secretstream under a published password)',
        status: 'opaque',
        how: 'structure',
        extensions: ['apkm'],
      },
      {
        id: 'apk-v4-signature',
        name: 'APK signature scheme v4 file (.idsig)',
        status: 'analysable',
        how: 'structure',
        extensions: ['idsig'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'EXPH' },
    { offset: 0, ascii: 'EXBH' },
    { offset: 0, ascii: 'EXSH' },
    { offset: 8, hex: '010000000c' },
    { offset: 1, hex: '01' },
    { offset: 1, hex: '02' },
  ],
  minSize: APKM_HEADER_BYTES + SECRETSTREAM_ABYTES,
  priority: 30,
  detect(probe): Detection | undefined {
    return encryptedAppx(probe) ?? apkSignatureV4(probe) ?? apkmV1(probe);
  },
});
