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

const MAX_DEPTH = 32;
/**
 * Files the probe's head holds whole are walked whole (DER keys, certificates and OCSP responses are a few
 * KiB). Larger DER (a revocation list, a Windows catalog, a PKCS#7 bundle: hundreds of KiB) is believed from the
 * probe's head when the outer length gives the file's size exactly (a 1-in-16-million chance for other
 * bytes), and this many elements, an object identifier among them, nest exactly up to where the head ends.
 */
const MIN_PREFIX_ELEMENTS = 8;

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
    const head = tlvHeader(b, at);
    if (!head || head === 'cut') return false;
    const { tag, body, len } = head;
    if (body + len > end || !element(b, head, depth, out)) return false;
    // DER inside an OCTET or BIT STRING (a key in PKCS#8, a response in OCSP): counted when it nests exactly.
    const inner = tag === 0x03 ? body + 1 : body;
    if ((tag === 0x04 || (tag === 0x03 && b[body] === 0)) && b[inner] === 0x30 && len > 2) {
      const nested: Walk = { elements: 0, depth: 0, oids: [] };
      if (walk(b, inner, body + len, depth + 1, nested)) merge(out, nested);
    }
    at = body + len;
  }
  return at === end;
}

function merge(out: Walk, nested: Walk): void {
  out.elements += nested.elements;
  out.depth = Math.max(out.depth, nested.depth);
  out.oids.push(...nested.oids);
}

/** Counts one element wholly inside the bytes: an OID must read, a constructed element must nest exactly. */
function element(b: Uint8Array, { tag, body, len }: Header, depth: number, out: Walk): boolean {
  out.elements++;
  if (tag === 0x06) {
    const oid = oidText(b, body, body + len);
    if (!oid) return false;
    out.oids.push(oid);
  }
  return !(tag & 0x20) || walk(b, body, body + len, depth + 1, out);
}

/**
 * Walks [start, end) where the bytes stop at `b.length` < end, the rest of the file unread: every element
 * wholly inside the bytes must nest exactly as in `walk`; the one that runs past their end must fit its
 * parent, and its own elements are walked as far as the bytes go.
 */
function walkPrefix(b: Uint8Array, start: number, end: number, depth: number, out: Walk): boolean {
  if (depth > MAX_DEPTH) return false;
  out.depth = Math.max(out.depth, depth);
  let at = start;
  while (at < end) {
    const head = tlvHeader(b, at);
    if (head === 'cut') return true;
    if (!head || head.body + head.len > end) return false;
    if (head.body + head.len > b.length) {
      // The element the bytes end in: a constructed one is walked on; a primitive one (a large OCTET
      // STRING: signed content) is taken as read.
      out.elements++;
      if (head.tag & 0x20) return walkPrefix(b, head.body, head.body + head.len, depth + 1, out);
      // DER inside (a PKCS#12 AuthenticatedSafe) counts, its algorithms included, when it nests exactly.
      const nested: Walk = { elements: 0, depth: 0, oids: [] };
      if (
        head.tag === 0x04 &&
        b[head.body] === 0x30 &&
        walkPrefix(b, head.body, head.body + head.len, depth + 1, nested)
      )
        merge(out, nested);
      return true;
    }
    if (!element(b, head, depth, out)) return false;
    at = head.body + head.len;
  }
  return at === end;
}

interface Header {
  tag: number;
  body: number;
  len: number;
}

/** Tag, body offset and length of the TLV at `at` (strict DER); 'cut' when the bytes end inside its header. */
function tlvHeader(b: Uint8Array, at: number): Header | 'cut' | undefined {
  const tag = b[at];
  const first = b[at + 1];
  if (tag === undefined || first === undefined) return 'cut';
  // High tag numbers and zero tags do not occur in keys or certificates; indefinite (BER) or absurd lengths fail.
  if ((tag & 0x1f) === 0x1f || tag === 0) return undefined;
  if ((first & 0x80) === 0) return { tag, body: at + 2, len: first };
  const n = first & 0x7f;
  if (n === 0 || n > 3) return undefined;
  if (at + 2 + n > b.length) return 'cut';
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[at + 2 + i]!;
  if (len < 0x80 || b[at + 2] === 0) return undefined; // DER: the shortest length form
  return { tag, body: at + 2 + n, len };
}

/** DER larger than the probe's head: the outer SEQUENCE spans the file exactly and nests exactly as far as seen. */
function largeDer(probe: { head: Uint8Array; size: number }): Walk | undefined {
  const b = probe.head;
  const outer = tlvHeader(b, 0);
  if (!outer || outer === 'cut' || outer.tag !== 0x30 || outer.body + outer.len !== probe.size) return undefined;
  const w: Walk = { elements: 0, depth: 0, oids: [] };
  return walkPrefix(b, 0, probe.size, 0, w) && w.elements >= MIN_PREFIX_ELEMENTS && w.oids.length > 0 ? w : undefined;
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

/**
 * A DSA or ECDSA signature as `openssl dgst -sign`, OpenSSH's and most libraries write it (Dss-Sig-Value,
 * ECDSA-Sig-Value: RFC 3279 §2.2.2-2.2.3): a SEQUENCE of exactly two positive minimal INTEGERs, r and s, each
 * as long as the group order (16 to 67 bytes: 160-bit DSA to P-521), the two within 2 bytes of each other
 * (a shorter one lost leading zero bytes, 1 chance in 256 each). Its numbers look random to statistics; its
 * five header bytes fitting exactly, the sign bits and the lengths leave random bytes about 1 chance in 2^44.
 */
function signatureValue(b: Uint8Array): { r: number; s: number } | undefined {
  const outer = derTlv(b, 0);
  if (!outer || outer.tag !== 0x30 || outer.end !== b.length) return undefined;
  const r = derTlv(b, outer.start);
  const s = r && derTlv(b, r.end);
  if (!r || !s || s.end !== outer.end) return undefined;
  const sizes = [r.end - r.start, s.end - s.start];
  const positive = [r, s].every((t) => t.tag === 0x02 && minimalInteger(b, t) && b[t.start]! < 0x80);
  if (!positive || sizes.some((n) => n < 16 || n > 67) || Math.abs(sizes[0]! - sizes[1]!) > 2) return undefined;
  return { r: sizes[0]!, s: sizes[1]! };
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
        extensions: [
          'der',
          'cer',
          'crt',
          'crl',
          'key',
          'pub',
          'p8',
          'pk8',
          'p7',
          'p7b',
          'p7c',
          'p7s',
          'cat',
          'ocsp',
          'bin',
        ],
      },
    ],
  },
  fallback: true,
  minSize: 8,
  priority: 70,
  detect(probe): Detection | undefined {
    const b = probe.head;
    if (b[0] !== 0x30) return undefined;
    let w: Walk | undefined = { elements: 0, depth: 0, oids: [] };
    let span = b.length;
    if (!probe.complete) {
      w = largeDer(probe);
      if (!w) return undefined;
      span = probe.size;
    } else if (!walk(b, 0, b.length, 0, w)) {
      // DER first, then other data (a cache entry's metadata after the response): the SEQUENCE must still nest exactly.
      span = firstSpan(b) ?? 0;
      w = { elements: 0, depth: 0, oids: [] };
      if (span < 64 || span >= b.length || !walk(b, 0, span, 0, w) || w.elements < 8) return undefined;
    }
    const signature = w.elements === 3 && span === b.length ? signatureValue(b) : undefined;
    if ((w.elements < 4 && !(span === b.length && bigIntegerPair(b)) && !signature) || w.depth < 1) return undefined;
    const encrypting = w.oids.find((o) => ENCRYPTION_OIDS.some((p) => o.startsWith(p)));
    if (encrypting) return undefined;
    const named = [...new Set(w.oids)].slice(0, 4).map((o) => (OID_NAMES[o] ? `${OID_NAMES[o]} (${o})` : o));
    const extent = !probe.complete
      ? `all ${probe.size} bytes by its length; in the first ${b.length} bytes read it holds`
      : span === b.length
        ? `all ${probe.size} bytes, with`
        : `the first ${span} of ${probe.size} bytes (the rest is other data), with`;
    return {
      format: { id: 'asn1-der', name: 'ASN.1 DER structure' },
      status: 'analysable',
      confidence: span === probe.size ? 0.7 : 0.65,
      reasons: [
        {
          code: 'ASN1_DER_STRUCTURE',
          message: signature
            ? `One DER SEQUENCE of two positive INTEGERs (${signature.r} and ${signature.s} bytes) spans all ${probe.size} bytes, every length exact and minimal: a DSA or ECDSA signature value (r, s; RFC 3279 Dss-Sig-Value / ECDSA-Sig-Value), public, readable without a secret.`
            : `One DER SEQUENCE spans ${extent} ${w.elements} elements nested ${w.depth} deep, every length exact${named.length > 0 ? `; object identifiers ${named.join(', ')}` : ''}: structured data (a key, certificate or protocol message), readable without a secret.`,
          figures: {
            elements: w.elements,
            depth: w.depth,
            oids: w.oids.length,
            derBytes: span,
            ...(signature ? { rBytes: signature.r, sBytes: signature.s } : {}),
          },
        },
      ],
    };
  },
});
