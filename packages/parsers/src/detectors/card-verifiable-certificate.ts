/**
 * Card verifiable certificates (CVCs): the compact certificates of smart cards and their terminals
 * (German ID card and passports' Extended Access Control, SmartCard-HSM, OpenSC's `etc/` CA roots),
 * BER-TLV with application tags rather than X.509's DER. A certificate is tag 7F21 holding a body
 * (7F4E) and its signature (5F37); the body is a profile identifier (5F29), the authority's reference
 * (42), a public key (7F49), the holder's reference (5F20), an optional role (7F4C) and, in a
 * certificate, the effective and expiry dates (5F25, 5F24: six unpacked BCD digits YYMMDD).
 * Public material: readable by cvc-print, OpenSC and any TLV reader. Without this the signature and
 * key bytes left it to statistics (opaque or worse).
 * A certificate request sent for signing is wrapped in an authentication (tag 67) with the receiving
 * authority's reference and an outer signature.
 * Reference: BSI TR-03110 part 3, appendix C (CV certificates, C.2 requests); ISO/IEC 7816-8. Fixtures by
 * openpace; the request is Botan's.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain } from './util.js';

interface Tlv {
  tag: number;
  /** Where the value starts and ends. */
  start: number;
  end: number;
}

/** One BER-TLV element at `at` (tags of one or two bytes, lengths up to 82 xx xx), inside `limit`. */
function tlv(b: Uint8Array, at: number, limit: number): Tlv | undefined {
  if (at + 2 > limit) return undefined;
  let tag = b[at]!;
  let p = at + 1;
  if ((tag & 0x1f) === 0x1f) {
    const next = b[p]!;
    if (next & 0x80) return undefined;
    tag = (tag << 8) | next;
    p++;
  }
  if (p >= limit) return undefined;
  const first = b[p++]!;
  let length: number;
  if (first < 0x80) length = first;
  else if (first === 0x81 && p + 1 <= limit) length = b[p++]!;
  else if (first === 0x82 && p + 2 <= limit) {
    length = (b[p]! << 8) | b[p + 1]!;
    p += 2;
  } else return undefined;
  return p + length <= limit ? { tag, start: p, end: p + length } : undefined;
}

/** A reference (authority or holder): 1-16 ISO/IEC 8859-1 characters (TR-03110 part 3 §A.6.1), no control codes. */
function reference(b: Uint8Array, e: Tlv): string | undefined {
  const v = b.subarray(e.start, e.end);
  if (v.length < 1 || v.length > 16 || !v.every((c) => (c >= 0x20 && c < 0x7f) || c >= 0xa0)) return undefined;
  return Buffer.from(v).toString('latin1');
}

/** A date: six unpacked BCD digits YYMMDD with a month 1-12 and a day 1-31, as 20YY-MM-DD. */
function date(b: Uint8Array, e: Tlv): string | undefined {
  const v = b.subarray(e.start, e.end);
  if (v.length !== 6 || !v.every((d) => d <= 9)) return undefined;
  const [y1, y2, m1, m2, d1, d2] = v;
  const month = m1! * 10 + m2!;
  const day = d1! * 10 + d2!;
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return `20${y1}${y2}-${m1}${m2}-${d1}${d2}`;
}

interface Body {
  holder: string;
  authority?: string;
  effective?: string;
  expires?: string;
}

/** The body's elements in their order, each well formed, ending exactly at the body's end. */
function body(b: Uint8Array, e: Tlv): Body | undefined {
  const profile = tlv(b, e.start, e.end);
  if (!profile || profile.tag !== 0x5f29 || profile.end - profile.start !== 1) return undefined;
  let at = profile.end;
  let authority: string | undefined;
  let holder: string | undefined;
  let key = false;
  const dates: Record<number, string> = {};
  const seen = new Set<number>();
  while (at < e.end) {
    const el = tlv(b, at, e.end);
    if (!el || seen.has(el.tag)) return undefined;
    seen.add(el.tag);
    if (el.tag === 0x42) authority = reference(b, el) ?? '';
    else if (el.tag === 0x5f20) holder = reference(b, el) ?? '';
    else if (el.tag === 0x7f49)
      key = tlv(b, el.start, el.end)?.tag === 0x06; // the key's algorithm OID first
    else if (el.tag === 0x5f25 || el.tag === 0x5f24) dates[el.tag] = date(b, el) ?? '';
    else if (el.tag !== 0x7f4c && el.tag !== 0x65) return undefined;
    at = el.end;
  }
  if (!key || !holder || authority === '' || Object.values(dates).includes('')) return undefined;
  return {
    holder,
    ...(authority ? { authority } : {}),
    ...(dates[0x5f25] ? { effective: dates[0x5f25] } : {}),
    ...(dates[0x5f24] ? { expires: dates[0x5f24] } : {}),
  };
}

export const cardVerifiableCertificateDetector = defineDetector({
  meta: {
    id: 'card-verifiable-certificate',
    version: '1.0.0',
    title: 'Card verifiable certificates (BSI TR-03110, ISO/IEC 7816-8: tag 7F21, body 7F4E, signature 5F37)',
    formats: [
      {
        id: 'cv-certificate',
        name: 'Card verifiable certificate (smart-card CVC)',
        status: 'analysable',
        how: 'structure',
        extensions: ['cvcert', 'cvc', 'cer', 'bin'],
      },
    ],
  },
  minSize: 16,
  maxSize: 16384,
  priority: 30,
  signatures: [
    { offset: 0, hex: '7f21' },
    { offset: 0, hex: '6781' },
    { offset: 0, hex: '6782' },
  ],
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h.length < probe.size) return undefined;
    const outer = tlv(h, 0, h.length);
    if (!outer || outer.end !== probe.size) return undefined;
    let cert = outer;
    let request = '';
    if (outer.tag === 0x67) {
      // An authentication request (TR-03110 part 3 §C.2): the request (a 7F21 certificate) followed by the
      // reference of the authority it is sent to (42) and the outer signature (5F37) that ends the wrapper.
      const inner = tlv(h, outer.start, outer.end);
      const to = inner && tlv(h, inner.end, outer.end);
      const signed = to && tlv(h, to.end, outer.end);
      if (!inner || inner.tag !== 0x7f21 || !to || to.tag !== 0x42 || !signed || signed.tag !== 0x5f37)
        return undefined;
      const authority = reference(h, to);
      if (!authority || signed.end !== outer.end) return undefined;
      [cert, request] = [
        inner,
        ` inside an authentication request (tag 67) to "${authority}", with its outer signature,`,
      ];
    } else if (outer.tag !== 0x7f21) return undefined;
    const inner = tlv(h, cert.start, cert.end);
    const signature = inner && tlv(h, inner.end, cert.end);
    if (!inner || inner.tag !== 0x7f4e || !signature || signature.tag !== 0x5f37 || signature.end !== cert.end)
      return undefined;
    const b = body(h, inner);
    if (!b) return undefined;
    const validity =
      b.effective && b.expires ? `, valid ${b.effective} to ${b.expires}` : ' (no validity dates: a request)';
    return plain('analysable', {
      id: 'cv-certificate',
      name: 'Card verifiable certificate (smart-card CVC)',
      confidence: 0.9,
      code: 'CV_CERTIFICATE',
      message: `Card verifiable certificate${request}: tag 7F21 holding a body (7F4E: profile, public key, holder "${b.holder}"${b.authority ? `, authority "${b.authority}"` : ''}${validity}) and a ${signature.end - signature.start}-byte signature (5F37)${request ? '' : ' that ends the file'}: public material, readable without a secret.`,
      figures: {
        holder: b.holder,
        ...(b.authority ? { authority: b.authority } : {}),
        ...(b.effective ? { effective: b.effective } : {}),
        ...(b.expires ? { expires: b.expires } : {}),
      },
    });
  },
});
