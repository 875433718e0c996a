/**
 * DER-encoded PKCS#12 key stores (.p12/.pfx) and X.509 certificates. A
 * PKCS#12 file holds shrouded keys and encrypted certificate bags; whether
 * they open with an empty password is decided by the pkcs12-password parser
 * (MAC check), so the detector only says "likely encrypted". X.509 DER
 * certificates are public and analysable.
 * References: RFC 7292 §4 (PFX, version 3); RFC 5280 §4.1 (Certificate, TBSCertificate version [0]).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { pkcs12Prefix } from './pkcs12-cut-short.js';
import { DER_JUDGED, childrenFill } from './der-prefix.js';
import { berTlv, derTlv, indexOf, locked, notingZeroPadding, plain, afterStructureEnd } from './util.js';

const PKCS7_DATA = Uint8Array.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01]);

export const pkcs12Detector = defineDetector({
  meta: {
    id: 'pkcs12',
    version: '1.3.0',
    title: 'PKCS#12 key stores and X.509 DER certificates',
    formats: [
      {
        id: 'pkcs12',
        name: 'PKCS#12 key store',
        status: 'encrypted',
        how: 'structure',
        mime: 'application/x-pkcs12',
        extensions: ['p12', 'pfx', 'keystore', 'bks', 'jks', 'cer'],
      },
      {
        id: 'pkcs12-clear',
        name: 'PKCS#12 key store cut short, bags in clear',
        status: 'analysable',
        how: 'structure',
        mime: 'application/x-pkcs12',
        extensions: ['p12', 'pfx'],
      },
      {
        id: 'x509-der',
        name: 'X.509 certificate (DER)',
        status: 'analysable',
        how: 'structure',
        mime: 'application/pkix-cert',
        extensions: ['der', 'cer', 'crt', 'cert'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: '30' }],
  minSize: 32,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    // BER (indefinite lengths, as some Windows and Java exports write): SEQUENCE {, ending with end-of-contents octets.
    const ber = h[0] === 0x30 && h[1] === 0x80;
    const outer = ber ? berTlv(h, 0) : derTlv(h, 0, true);
    if (!outer) return undefined;
    if (ber ? !endsWithEndOfContents(probe) : outer.end! > probe.size) return cutShortVerdict(h, probe.size);
    // Bytes after the element its outer length closes (zeros: a carve's slack, a block-rounded copy; other
    // bytes: appended data, a carve's overshoot) are set aside.
    const padding =
      !ber && outer.end !== probe.size && childrenFill(h, outer.start, outer.end!)
        ? afterStructureEnd(probe, outer.end!)
        : undefined;
    if (!ber && outer.end !== probe.size && !padding) return undefined;
    return notingZeroPadding(wholeVerdict(h, outer, ber), padding, DER_JUDGED);
  },
});

/** A whole PFX or certificate (its outer element ends at the end of the file, or where zero padding starts). */
function wholeVerdict(h: Uint8Array, outer: { start: number }, ber: boolean): Detection | undefined {
  const first = derTlv(h, outer.start, true);
  if (!first) return undefined;
  // PFX: SEQUENCE { INTEGER 3, ContentInfo { id-data, ... }, MacData? }
  if (first.tag === 0x02 && first.end - first.start === 1 && h[first.start] === 3) {
    const content = berTlv(h, first.end);
    if (!content || content.tag !== 0x30 || indexOf(h.subarray(content.start, content.start + 11), PKCS7_DATA) !== 0)
      return undefined;
    return locked({
      id: 'pkcs12',
      name: 'PKCS#12 key store',
      mime: 'application/x-pkcs12',
      confidence: 0.85,
      code: 'PKCS12_PFX',
      message: `${ber ? 'BER' : 'DER'} PFX structure (version 3, id-data content): a PKCS#12 key store whose keys and certificates are normally password-protected.`,
      scheme: 'pkcs12',
      keyHint: { description: 'The PKCS#12 import/export password.', kind: 'password', present: 'unknown' },
    });
  }
  // Certificate: SEQUENCE { TBSCertificate SEQUENCE { [0] { INTEGER version } ... } ... }
  if (first.tag === 0x30) {
    const v = derTlv(h, first.start, true);
    const version =
      v && v.tag === 0xa0 && h[v.start] === 0x02 && h[v.start + 1] === 0x01 && (h[v.start + 2] ?? 9) <= 2
        ? (h[v.start + 2] ?? 0) + 1
        : v1Certificate(h, first)
          ? 1
          : 0;
    if (version > 0) {
      return plain('analysable', {
        id: 'x509-der',
        name: 'X.509 certificate (DER)',
        mime: 'application/pkix-cert',
        confidence: 0.92,
        code: 'X509_DER_CERTIFICATE',
        message: `DER X.509 v${version} certificate${version === 1 && v?.tag !== 0xa0 ? ' (no version field: serial number, signature algorithm, issuer, validity, subject, public key)' : ''}: public, readable.`,
      });
    }
  }
  return undefined;
}

/**
 * A PFX cut short: the prefix's ContentInfos and bags are judged (`pkcs12-cut-short.ts`). Encrypted when it
 * shows an encrypted element; readable when all it shows is in clear (the lost rest may hold more).
 */
function cutShortVerdict(h: Uint8Array, size: number): Detection | undefined {
  const prefix = pkcs12Prefix(h.subarray(0, Math.min(h.length, size)), size);
  if (!prefix) return undefined;
  const length =
    prefix.declared === undefined
      ? 'indefinite-length (BER) outer SEQUENCE has no end-of-contents'
      : `outer SEQUENCE declares ${prefix.declared} bytes`;
  const cut = `PFX cut short (the ${length}; the file has ${size})`;
  const figures = {
    declaredBytes: prefix.declared ?? 'indefinite',
    fileBytes: size,
    encrypted: prefix.encrypted.join(', '),
    clear: prefix.clear.join(', '),
  };
  const common = { id: 'pkcs12', name: 'PKCS#12 key store', mime: 'application/x-pkcs12', figures };
  if (prefix.encrypted.length > 0) {
    return locked({
      ...common,
      confidence: 0.85,
      code: 'PKCS12_CUT_SHORT_ENCRYPTED',
      message: `${cut}: the part that is there shows ${prefix.encrypted.join(', ')}${prefix.clear.length > 0 ? ` beside ${prefix.clear.join(', ')} in clear` : ''}, password-encrypted by PKCS#12's definition; the MAC is lost with the end of the file.`,
      scheme: 'pkcs12',
      keyHint: { description: 'The PKCS#12 import/export password.', kind: 'password', present: 'unknown' },
    });
  }
  return plain('analysable', {
    ...common,
    id: 'pkcs12-clear',
    name: 'PKCS#12 key store cut short, bags in clear',
    confidence: 0.6,
    code: 'PKCS12_CUT_SHORT_CLEAR',
    message: `${cut}: the part that is there shows ${prefix.clear.length > 0 ? `${prefix.clear.join(', ')} in clear` : 'no bag'} and no encrypted content; what was lost past the cut may hold encrypted bags.`,
  });
}

/** An indefinite-length SEQUENCE closes with end-of-contents octets (00 00): the file must end with them. */
function endsWithEndOfContents(probe: { head: Uint8Array; tail: Uint8Array; complete: boolean }): boolean {
  const end = probe.tail.length > 0 ? probe.tail : probe.head;
  return end.length >= 4 && end[end.length - 1] === 0 && end[end.length - 2] === 0;
}

/**
 * A version 1 certificate's TBSCertificate, which has no [0] version (old root certificates, test CAs): INTEGER
 * serialNumber, AlgorithmIdentifier { OID … }, issuer Name, Validity { two UTCTime or GeneralizedTime },
 * subject Name, SubjectPublicKeyInfo { AlgorithmIdentifier, BIT STRING } (RFC 5280 §4.1, §4.1.2.5). Every
 * field is read within the head; a certificate larger than the head is not taken.
 */
function v1Certificate(h: Uint8Array, tbs: { start: number; end: number }): boolean {
  if (tbs.end > h.length) return false;
  const fields: Array<{ tag: number; start: number; end: number }> = [];
  for (let at = tbs.start; at < tbs.end && fields.length < 7;) {
    const t = derTlv(h.subarray(0, tbs.end), at);
    if (!t) return false;
    fields.push(t);
    at = t.end;
  }
  if (fields.length !== 6 || fields.at(-1)!.end !== tbs.end) return false;
  const [serial, alg, issuer, validity, subject, spki] = fields as [Tlv, Tlv, Tlv, Tlv, Tlv, Tlv];
  if (serial.tag !== 0x02 || alg.tag !== 0x30 || issuer.tag !== 0x30 || subject.tag !== 0x30) return false;
  if (derTlv(h, alg.start)?.tag !== 0x06 || validity.tag !== 0x30 || spki.tag !== 0x30) return false;
  const notBefore = derTlv(h, validity.start);
  const notAfter = notBefore && derTlv(h, notBefore.end);
  const isTime = (t?: Tlv) => t?.tag === 0x17 || t?.tag === 0x18;
  if (!isTime(notBefore) || !isTime(notAfter) || notAfter!.end !== validity.end) return false;
  const keyAlg = derTlv(h, spki.start);
  const key = keyAlg && derTlv(h, keyAlg.end);
  return keyAlg?.tag === 0x30 && key?.tag === 0x03 && key.end === spki.end;
}

type Tlv = { tag: number; start: number; end: number };
