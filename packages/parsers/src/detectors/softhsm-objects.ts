/**
 * SoftHSM v2 file-backed token store (`/var/lib/softhsm/tokens/<token uuid>/`): a
 * PKCS#11 software token as used by OpenDNSSEC, BIND, Knot, PowerDNS, openconnect and
 * CI signing set-ups. Every `<uuid>.object` and the `token.object` is a 64-bit big-endian
 * generation counter followed by attributes, each a 64-bit attribute type, a 64-bit kind
 * (1 boolean: one byte; 2 unsigned long: eight bytes; 3 byte string, 4 attribute map:
 * a 64-bit length and the bytes; 5 mechanism set: a 64-bit count and eight bytes each),
 * written in attribute-type order, to the end of the file. Bytes after the last
 * attribute the walk reads that cannot be one (NULs, one line end, 32 or more bytes of
 * text: `clearBytesAfter`) are set aside and named; any other byte refuses the file.
 * - An object with CKA_PRIVATE true keeps its byte-string attributes (label, id, key
 *   value) encrypted with the token key (AES-256-CBC): encrypted, unlocked by the
 *   token's user PIN.
 * - An object with CKA_PRIVATE false keeps them in clear (a secret or private key too):
 *   readable.
 * - `token.object` holds the token's label and serial in clear and the token key
 *   wrapped under the SO PIN and the user PIN (CKA_OS_SOPIN, CKA_OS_USERPIN): a key
 *   locked by those PINs, encrypted.
 * References: SoftHSMv2 src/lib/object_store/ObjectFile.cpp (writeAttributes,
 * refresh), OSAttributes.h (CKA_VENDOR_SOFTHSM 0x80005343 + 6..10), SecureDataManager.cpp
 * (token key under a PIN-derived key). Fixtures made by softhsm2-util 2.6.1 and
 * pkcs11-tool (OpenSC) (fixtures/softhsm-objects/generate.sh).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { clearBytesAfter } from './appended-clear.js';
import { locked, notingZeroPadding, plain, u64be } from './util.js';

const CKA_CLASS = 0;
const CKA_PRIVATE = 2;
const CKA_OS_TOKENLABEL = 0x80005349;
const CKA_OS_SOPIN = 0x8000534c;
const CKA_OS_USERPIN = 0x8000534d;
/** CKO_DATA … CKO_OTP_KEY (PKCS#11 v2.40 §4.1): the classes an object file holds. */
const CLASS_NAMES = [
  'data object',
  'certificate',
  'public key',
  'private key',
  'secret key',
  'hardware feature',
  'domain parameters',
  'mechanism',
  'OTP key',
];
/** More attributes than any PKCS#11 object has: a bound on the walk. */
const MAX_ATTRIBUTES = 512;

export interface SoftHsmAttribute {
  type: number;
  kind: number;
  /** Kinds 1 and 2: the value; kinds 3-5: the length in bytes. */
  value: number;
}

/** The attributes of a SoftHSM object file, or undefined unless they run exactly to the end of `b`. */
export function softHsmAttributes(b: Uint8Array): SoftHsmAttribute[] | undefined {
  const walk = softHsmAttributeWalk(b);
  return walk?.end === b.length ? walk.attributes : undefined;
}

/**
 * The attributes of a SoftHSM object file from its start, and where the last whole one ends (`end`): the walk stops
 * at the first bytes that are no attribute (a type not above the last, an unknown kind, a length past the end).
 * Undefined when the generation counter is not one.
 */
export function softHsmAttributeWalk(b: Uint8Array): { attributes: SoftHsmAttribute[]; end: number } | undefined {
  const generation = u64be(b, 0);
  if (generation === undefined || generation > 0xffffffff) return undefined;
  const out: SoftHsmAttribute[] = [];
  let at = 8;
  let previous = -1;
  while (at < b.length) {
    if (out.length >= MAX_ATTRIBUTES) return undefined;
    const type = u64be(b, at);
    const kind = u64be(b, at + 8);
    // Written from a std::map: types rise strictly, and each fits a CK_ULONG.
    if (type === undefined || kind === undefined || type <= previous || type > 0xffffffff) break;
    let value: number;
    let next = at + 16;
    if (kind === 1) {
      const v = b[next];
      if (v === undefined || (v !== 0 && v !== 0xff && v !== 1)) break;
      value = v;
      next += 1;
    } else if (kind === 2) {
      const v = u64be(b, next);
      if (v === undefined) break;
      value = v;
      next += 8;
    } else if (kind === 3 || kind === 4 || kind === 5) {
      const n = u64be(b, next);
      if (n === undefined) break;
      const bytes = kind === 5 ? n * 8 : n;
      if (bytes > b.length - next - 8) break;
      value = bytes;
      next += 8 + bytes;
    } else break;
    previous = type;
    at = next;
    out.push({ type, kind, value });
  }
  return { attributes: out, end: at };
}

const PIN_HINT = {
  description: "The token's user PIN (the token key is wrapped under it in token.object, in the same folder).",
  kind: 'password' as const,
  present: 'unknown' as const,
};

function tokenRecord(attrs: SoftHsmAttribute[]): Detection | undefined {
  const label = attrs.find((a) => a.type === CKA_OS_TOKENLABEL);
  const pins = attrs.filter(
    (a) => (a.type === CKA_OS_SOPIN || a.type === CKA_OS_USERPIN) && a.kind === 3 && a.value > 0,
  );
  if (label?.kind !== 3 || pins.length === 0 || attrs.some((a) => a.type < 0x80000000)) return undefined;
  return locked({
    id: 'softhsm-token',
    name: 'SoftHSM v2 token record (token.object)',
    confidence: 0.9,
    code: 'SOFTHSM_TOKEN_KEY_WRAPPED',
    message: `SoftHSM v2 token record: ${attrs.length} SoftHSM attributes to the end of the file, the token key wrapped under ${pins.length === 2 ? 'the SO PIN and the user PIN' : 'a PIN'} (${pins.map((p) => `${p.value} bytes`).join(', ')}).`,
    figures: { attributes: attrs.length, wrappedKeys: pins.length },
    scheme: 'softhsm2-token-key',
    keyHint: PIN_HINT,
  });
}

function objectRecord(attrs: SoftHsmAttribute[]): Detection | undefined {
  const cls = attrs[0];
  const priv = attrs.find((a) => a.type === CKA_PRIVATE);
  if (cls?.type !== CKA_CLASS || cls.kind !== 2 || cls.value >= CLASS_NAMES.length) return undefined;
  if (priv?.kind !== 1 || attrs.length < 4) return undefined;
  const what = CLASS_NAMES[cls.value]!;
  const figures = { objectClass: what, attributes: attrs.length, private: priv.value !== 0 };
  if (priv.value !== 0)
    return locked({
      id: 'softhsm-object-private',
      name: 'SoftHSM v2 private token object',
      confidence: 0.9,
      code: 'SOFTHSM_PRIVATE_OBJECT',
      message: `SoftHSM v2 token object (a ${what}, ${attrs.length} attributes to the end of the file) with CKA_PRIVATE true: its byte-string attributes are encrypted with the token key.`,
      figures,
      scheme: 'softhsm2-token-key-aes-256-cbc',
      keyHint: PIN_HINT,
    });
  return plain('analysable', {
    id: 'softhsm-object',
    name: 'SoftHSM v2 token object in clear',
    confidence: 0.88,
    code: 'SOFTHSM_PUBLIC_OBJECT',
    message: `SoftHSM v2 token object (a ${what}, ${attrs.length} attributes to the end of the file) with CKA_PRIVATE false: its attributes, key values included, are stored in clear.`,
    figures,
  });
}

export const softHsmObjectsDetector = defineDetector({
  meta: {
    id: 'softhsm-objects',
    version: '1.1.0',
    title: 'SoftHSM v2 token store files (token.object, <uuid>.object)',
    formats: [
      {
        id: 'softhsm-object-private',
        name: 'SoftHSM v2 private token object',
        status: 'encrypted',
        how: 'structure',
        extensions: ['object'],
      },
      {
        id: 'softhsm-object',
        name: 'SoftHSM v2 token object in clear',
        status: 'analysable',
        how: 'structure',
        extensions: ['object'],
      },
      {
        id: 'softhsm-token',
        name: 'SoftHSM v2 token record (token.object)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['object'],
      },
    ],
  },
  fallback: true,
  minSize: 8 + 3 * 17,
  detect(probe): Detection | undefined {
    // Object files are small; the walk needs all of one. The first attribute's type is 0 (CKA_CLASS) or a SoftHSM one.
    const h = probe.head;
    if (!probe.complete || h[0] !== 0 || h[1] !== 0 || h[2] !== 0 || h[3] !== 0) return undefined;
    const walk = softHsmAttributeWalk(h);
    if (!walk || walk.attributes.length < 3) return undefined;
    const after = walk.end < probe.size ? clearBytesAfter(probe, walk.end, true) : undefined;
    if (walk.end < probe.size && !after) return undefined;
    const attrs = walk.attributes;
    return notingZeroPadding(
      attrs[0]!.type === CKA_CLASS ? objectRecord(attrs) : tokenRecord(attrs),
      after,
      'the attributes before them',
    );
  },
});
