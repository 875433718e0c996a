/**
 * Windows private key containers: the files CryptoAPI and CNG keep per key (certificates' private
 * keys, TLS/RDP machine keys, Windows Hello and app keys). Each private key inside is a DPAPI blob,
 * so the key needs a DPAPI master key: the user's (Protect/<SID>/, unlocked by the Windows
 * password) or, for machine keys, SYSTEM's (Protect/S-1-5-18/, unlocked by the DPAPI_SYSTEM secret in
 * the SECURITY and SYSTEM hives). Neither layout has a magic number; both are recognised by lengths
 * that add up to the file (bytes after them are set aside and named) and a DPAPI blob exactly where the private key
 * starts.
 * - CryptoAPI (Microsoft/Crypto/RSA/<SID>/, RSA/MachineKeys/, DSS/): version 2, then the lengths of
 *   the container name, signature public/private key, exchange public/private key, hash and the two
 *   export-flag blobs; the fields follow in the order name, hash, signature public, signature
 *   private, signature export flag, exchange public, exchange private, exchange export flag.
 * - CNG (Microsoft/Crypto/Keys/, SystemKeys/): version 1, the name length, a type, the lengths of
 *   the public properties, the private properties (a DPAPI blob) and the private key (a DPAPI blob),
 *   16 bytes, then the UTF-16 name and the fields in that order.
 * References: mimikatz modules/kull_m_key.h (KULL_M_KEY_CAPI_BLOB, KULL_M_KEY_CNG_BLOB) and
 * kull_m_key.c (field order); dpapick's CryptoAPI/CNG key probes.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { dpapiBlobFields } from './dpapi-base64.js';
import { afterStructureEnd, locked, notingZeroPadding, u32le } from './util.js';
import { trimEndOf } from '../text-ends.js';

const CAPI = { id: 'capi-private-key', name: 'Windows CryptoAPI private key container (DPAPI-protected)' };
const CNG = { id: 'cng-private-key', name: 'Windows CNG private key file (DPAPI-protected)' };
const CAPI_HEADER = 40;
const CNG_HEADER = 44;
const MAX_FIELD = 1024 * 1024;
/** CRYPTPROTECT_LOCAL_MACHINE in a DPAPI blob's flags: SYSTEM's master keys, not a user's. */
const LOCAL_MACHINE = 0x4;

export const windowsKeyContainersDetector = defineDetector({
  meta: {
    id: 'windows-key-containers',
    version: '1.1.0',
    title: 'Windows CryptoAPI and CNG private key files (DPAPI-protected keys)',
    formats: [
      { ...CAPI, status: 'encrypted', how: 'structure' },
      { ...CNG, status: 'encrypted', how: 'structure' },
    ],
  },
  minSize: 128,
  maxSize: 4 * 1024 * 1024,
  priority: 20,
  signatures: [
    { offset: 0, hex: '0200000000000000' },
    { offset: 0, hex: '0100000000000000' },
  ],
  detect(probe): Detection | undefined {
    const h = probe.head;
    const version = u32le(h, 0);
    const found =
      version === 2
        ? capi(h, probe.size, probe.logicalPath)
        : version === 1
          ? cng(h, probe.size, probe.logicalPath)
          : undefined;
    if (!found) return undefined;
    // Bytes after the fields the lengths name (a line feed, slack, a carve that ran on) are set aside and named.
    return notingZeroPadding(found.detection, afterStructureEnd(probe, found.end), 'the key container before them');
  },
});

/** The lengths at `at`, each within reason, and where their fields end. */
function lengths(h: Uint8Array, at: number, count: number): number[] | undefined {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const v = u32le(h, at + 4 * i);
    if (v === undefined || v > MAX_FIELD) return undefined;
    out.push(v);
  }
  return out;
}

/** A container found: its detection, and where its fields end (at most the file's size). */
type Found = { detection: Detection; end: number };

function capi(h: Uint8Array, size: number, path: string): Found | undefined {
  const l = lengths(h, 8, 8);
  if (!l) return undefined;
  // Lengths in header order: name, signature public/private, exchange public/private, hash, signature export flag
  // (the exchange export flag, last, only counts toward the total).
  const [name, siPublic, siPrivate, exPublic, exPrivate, hash, siFlag] = l as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const end = CAPI_HEADER + l.reduce((a, b) => a + b, 0);
  if (name < 2 || name > 512 || end > size) return undefined;
  // The container name: printable ASCII, NUL-terminated.
  const label = Buffer.from(h.subarray(CAPI_HEADER, CAPI_HEADER + name)).toString('latin1');
  if (!/^[\x20-\x7e]+\0*$/.test(label)) return undefined;
  const siAt = CAPI_HEADER + name + hash + siPublic;
  const exAt = siAt + siPrivate + siFlag + exPublic;
  const at = exPrivate > 0 ? exAt : siPrivate > 0 ? siAt : undefined;
  if (at === undefined) return undefined;
  const detection = protectedKey(
    h,
    at,
    CAPI,
    trimEndOf(label, '\0'),
    path,
    exPrivate > 0 ? 'exchange' : 'signature',
    end < size,
  );
  return detection && { detection, end };
}

function cng(h: Uint8Array, size: number, path: string): Found | undefined {
  const l = lengths(h, 8, 5);
  if (!l) return undefined;
  const [name, , publicProps, privateProps, privateKey] = l as [number, number, number, number, number];
  if (name < 2 || name > 512 || name % 2 !== 0 || privateKey === 0) return undefined;
  const end = CNG_HEADER + name + publicProps + privateProps + privateKey;
  if (end > size) return undefined;
  const label = trimEndOf(Buffer.from(h.subarray(CNG_HEADER, CNG_HEADER + name)).toString('utf16le'), '\0');
  if (label.length === 0 || !/^[\x20-\x7e\u00a0-\uffef]+$/.test(label)) return undefined;
  const detection = protectedKey(
    h,
    CNG_HEADER + name + publicProps + privateProps,
    CNG,
    label,
    path,
    'private',
    end < size,
  );
  return detection && { detection, end };
}

function protectedKey(
  h: Uint8Array,
  at: number,
  format: { id: string; name: string },
  label: string,
  path: string,
  which: string,
  bytesAfter: boolean,
): Detection | undefined {
  const blob = dpapiBlobFields(h.subarray(at));
  if (!blob) return undefined;
  const flags = u32le(h, at + 40) ?? 0;
  const machine = (flags & LOCAL_MACHINE) !== 0 || /(?:^|\/)(?:MachineKeys|SystemKeys|S-1-5-18)\//i.test(path);
  return locked({
    ...format,
    confidence: 0.95,
    code: format === CAPI ? 'CAPI_KEY_DPAPI' : 'CNG_KEY_DPAPI',
    message: `${format.name} "${label}": the field lengths add up to the file${bytesAfter ? ' up to the bytes after them' : ''} and the ${which} key is a DPAPI blob (${blob.cipher}, master key ${blob.masterKey}${machine ? ', machine key' : ''}).`,
    figures: { masterKey: blob.masterKey, cipher: blob.cipher, machine },
    scheme: 'dpapi',
    keyHint: machine
      ? {
          description: `SYSTEM's DPAPI master key ${blob.masterKey} (Windows/System32/Microsoft/Protect/S-1-5-18/), unlocked by the DPAPI_SYSTEM secret in the SECURITY and SYSTEM hives.`,
          kind: 'key-file',
          present: 'unknown',
          lookFor: [`**/Protect/S-1-5-18/**/${blob.masterKey}`, '**/config/SECURITY', '**/config/SYSTEM'],
        }
      : {
          description: `The DPAPI master key ${blob.masterKey} (under AppData/Roaming/Microsoft/Protect/<SID>/) and the user's Windows password.`,
          kind: 'key-file',
          present: 'unknown',
          lookFor: [`**/Protect/S-1-*/${blob.masterKey}`],
        },
  });
}
