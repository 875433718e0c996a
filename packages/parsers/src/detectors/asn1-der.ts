/**
 * ASN.1 DER for files no specific detector recognised: keys, certificates,
 * OCSP responses, CMS blobs written as binary DER. Short DER files (a 91-byte
 * public key) look random to statistics; their structure says otherwise: one
 * SEQUENCE whose length is exactly the file's, holding elements whose
 * lengths nest exactly (strict DER: definite, minimal lengths). Random bytes
 * pass that with negligible probability.
 * A structure that names a password-based or content encryption algorithm
 * (PKCS#5 PBES, PKCS#12 PBE, CMS EncryptedData/EnvelopedData) is left to
 * the detectors that know those formats: this one only speaks for readable DER.
 * Reference: ITU-T X.690 §8.1 (TLV), §10.1 (DER definite minimal lengths).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { derTlv, type Tlv } from './util.js';

/** Whole files up to this size are walked (DER keys, certificates and OCSP responses are a few KiB). */
const MAX_BYTES = 64 * 1024;
const MAX_DEPTH = 32;

/** Arc prefixes of algorithms that encrypt: the item is not plain readable DER. */
const ENCRYPTION_OIDS = [
  '1.2.840.113549.1.5.',
  '1.2.840.113549.1.12.1.',
  '1.2.840.113549.1.7.3',
  '1.2.840.113549.1.7.6',
  '1.2.840.113549.1.9.16.1.23',
];

/** A few object identifiers worth naming in the reason. */
const OID_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'rsaEncryption',
  '1.2.840.10045.2.1': 'ecPublicKey',
  '1.2.840.10045.3.1.7': 'prime256v1',
  '1.3.132.0.34': 'secp384r1',
  '1.3.101.112': 'Ed25519',
  '1.3.6.1.5.5.7.48.1.1': 'id-pkix-ocsp-basic',
  '1.2.840.113549.1.7.2': 'signedData',
  '2.5.4.3': 'commonName',
};

interface Walk {
  elements: number;
  depth: number;
  oids: string[];
}

function oidText(b: Uint8Array, start: number, end: number): string | undefined {
  if (end <= start) return undefined;
  const arcs: number[] = [];
  let v = 0;
  for (let i = start; i < end; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if ((b[i]! & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    } else if (v > 2 ** 40) return undefined;
  }
  return (b[end - 1]! & 0x80) === 0 ? arcs.join('.') : undefined;
}

/** Walks the TLVs of [start, end) exactly; undefined when anything does not fit. */
function walk(b: Uint8Array, start: number, end: number, depth: number, out: Walk): boolean {
  if (depth > MAX_DEPTH) return false;
  out.depth = Math.max(out.depth, depth);
  let at = start;
  while (at < end) {
    const tag = b[at]!;
    if ((tag & 0x1f) === 0x1f || tag === 0) return false; // high tag numbers and zero tags do not occur in keys or certificates
    const first = b[at + 1];
    if (first === undefined) return false;
    let len = first;
    let header = 2;
    if (first & 0x80) {
      const n = first & 0x7f;
      if (n === 0 || n > 3 || at + 2 + n > end) return false; // indefinite (BER) or absurd lengths
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + b[at + 2 + i]!;
      if (len < 0x80 || b[at + 2] === 0) return false; // DER: the shortest length form
      header = 2 + n;
    }
    const body = at + header;
    if (body + len > end) return false;
    out.elements++;
    if (tag === 0x06) {
      const oid = oidText(b, body, body + len);
      if (!oid) return false;
      out.oids.push(oid);
    }
    if (tag & 0x20 && !walk(b, body, body + len, depth + 1, out)) return false;
    // DER inside an OCTET or BIT STRING (a key in PKCS#8, a response in OCSP): counted when it nests exactly.
    const inner = tag === 0x03 ? body + 1 : body;
    if ((tag === 0x04 || (tag === 0x03 && b[body] === 0)) && b[inner] === 0x30 && len > 2) {
      const nested: Walk = { elements: 0, depth: 0, oids: [] };
      if (walk(b, inner, body + len, depth + 1, nested)) {
        out.elements += nested.elements;
        out.depth = Math.max(out.depth, nested.depth);
        out.oids.push(...nested.oids);
      }
    }
    at = body + len;
  }
  return at === end;
}

/**
 * A SEQUENCE of exactly two INTEGERs in minimal DER, the first of at least 64 bytes: an RSA public key
 * (PKCS#1 RSAPublicKey: modulus, exponent) or Diffie-Hellman parameters (PKCS#3: prime, generator). Only three
 * elements, but each integer's encoding is checked on top of every length fitting exactly.
 */
function bigIntegerPair(b: Uint8Array): boolean {
  const outer = derTlv(b, 0);
  if (!outer || outer.tag !== 0x30) return false;
  const first = derTlv(b, outer.start);
  const second = first && derTlv(b, first.end);
  if (!first || !second || second.end !== outer.end) return false;
  return [first, second].every((t) => t.tag === 0x02 && minimalInteger(b, t)) && first.end - first.start >= 64;
}

/** DER integers carry no redundant leading byte: 00 only before a byte with its top bit set, ff only before one without. */
function minimalInteger(b: Uint8Array, t: Tlv): boolean {
  if (t.end - t.start < 1) return false;
  if (t.end - t.start === 1) return true;
  const [x, y] = [b[t.start]!, b[t.start + 1]!];
  return !(x === 0 && y < 0x80) && !(x === 0xff && y >= 0x80);
}

/** The end of the first TLV (tag, definite length), when its header reads. */
function firstSpan(b: Uint8Array): number | undefined {
  const first = b[1];
  if (first === undefined) return undefined;
  if ((first & 0x80) === 0) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 3 || b.length < 2 + n) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[2 + i]!;
  return 2 + n + len;
}

export const asn1DerDetector = defineDetector({
  meta: {
    id: 'asn1-der',
    version: '1.0.0',
    title: 'ASN.1 DER structures (keys, certificates, OCSP, CMS) no specific detector named',
    formats: [
      {
        id: 'asn1-der',
        name: 'ASN.1 DER structure',
        status: 'analysable',
        how: 'structure',
        extensions: ['der', 'cer', 'crt', 'key', 'pub', 'p8', 'pk8', 'ocsp', 'bin'],
      },
    ],
  },
  fallback: true,
  minSize: 8,
  maxSize: MAX_BYTES,
  priority: 70,
  detect(probe): Detection | undefined {
    const b = probe.head;
    if (!probe.complete || b[0] !== 0x30) return undefined;
    let w: Walk = { elements: 0, depth: 0, oids: [] };
    let span = b.length;
    if (!walk(b, 0, b.length, 0, w)) {
      // DER first, then other data (a cache entry's metadata after the response): the SEQUENCE must still nest exactly.
      span = firstSpan(b) ?? 0;
      w = { elements: 0, depth: 0, oids: [] };
      if (span < 64 || span >= b.length || !walk(b, 0, span, 0, w) || w.elements < 8) return undefined;
    }
    if ((w.elements < 4 && !(span === b.length && bigIntegerPair(b))) || w.depth < 1) return undefined;
    const encrypting = w.oids.find((o) => ENCRYPTION_OIDS.some((p) => o.startsWith(p)));
    if (encrypting) return undefined;
    const named = [...new Set(w.oids)].slice(0, 4).map((o) => (OID_NAMES[o] ? `${OID_NAMES[o]} (${o})` : o));
    return {
      format: { id: 'asn1-der', name: 'ASN.1 DER structure' },
      status: 'analysable',
      confidence: span === b.length ? 0.7 : 0.65,
      reasons: [
        {
          code: 'ASN1_DER_STRUCTURE',
          message: `One DER SEQUENCE spans ${span === b.length ? `all ${probe.size} bytes` : `the first ${span} of ${probe.size} bytes (the rest is other data)`}, with ${w.elements} elements nested ${w.depth} deep, every length exact${named.length > 0 ? `; object identifiers ${named.join(', ')}` : ''}: structured data (a key, certificate or protocol message), readable without a secret.`,
          figures: { elements: w.elements, depth: w.depth, oids: w.oids.length, derBytes: span },
        },
      ],
    };
  },
});
