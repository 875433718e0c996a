/**
 * A PKCS#12 PFX cut short (its outer SEQUENCE's length runs past the end of the file, or a BER one lacks its
 * closing end-of-contents): the PFX, its id-data authenticated safe and its ContentInfos are read as far as the
 * bytes go (`der-prefix.ts`), and each element the prefix shows is judged the way RFC 7292 defines it:
 * an encryptedData or envelopedData ContentInfo, or a pkcs8ShroudedKeyBag, is encrypted (with the algorithm
 * its AlgorithmIdentifier names); keyBag, certBag, crlBag and secretBag in an id-data ContentInfo are in clear.
 * References: RFC 7292 §4 (PFX, AuthenticatedSafe), §4.2 (SafeBag types), appendix C (PBE OIDs); RFC 8018.
 */
import { CIPHER_OIDS, PBE_OIDS } from './der-keys.js';
import { oidHex, prefixChildren, prefixNode, prefixOctets, type PrefixNode } from './der-prefix.js';

const PKCS7 = '2a864886f70d0107';
const DATA = `${PKCS7}01`;
const ENVELOPED = `${PKCS7}03`;
const ENCRYPTED = `${PKCS7}06`;
const BAGS: Record<string, string> = {
  '2a864886f70d010c0a0101': 'keyBag',
  '2a864886f70d010c0a0102': 'pkcs8ShroudedKeyBag',
  '2a864886f70d010c0a0103': 'certBag',
  '2a864886f70d010c0a0104': 'crlBag',
  '2a864886f70d010c0a0105': 'secretBag',
  '2a864886f70d010c0a0106': 'safeContentsBag',
};

/** An encrypted element's AlgorithmIdentifier (whole) and the first bytes of its ciphertext, for a password trial. */
export interface EncryptedPrefix {
  algorithm: Uint8Array;
  ciphertext: Uint8Array;
}

export interface Pkcs12Prefix {
  /** The encrypted elements whose algorithm and some ciphertext are in sight (at most 8), for a password trial. */
  trials: EncryptedPrefix[];
  /** Encrypted elements seen, e.g. "encryptedData (pbes2-aes-256-cbc)", "pkcs8ShroudedKeyBag (pkcs12-sha1-3des)". */
  encrypted: string[];
  /** Elements in clear seen, e.g. "certBag". */
  clear: string[];
  /** The outer length declared, or undefined for an indefinite (BER) one. */
  declared?: number | undefined;
}

/**
 * Reads a PFX cut short from `b` (the file's first bytes; `size` the file's size, at least b.length).
 * Undefined when it is not a PFX (INTEGER 3, ContentInfo of id-data) or its outer length fits the file.
 */
export function pkcs12Prefix(b: Uint8Array, size: number): Pkcs12Prefix | undefined {
  const pfx = prefixNode(b, 0);
  if (!pfx || pfx.tag !== 0x30) return undefined;
  if (pfx.declaredEnd !== undefined ? pfx.declaredEnd <= size : !(size <= b.length && !endsWithEoc(b)))
    return undefined;
  const [version, authSafe] = prefixChildren(b, pfx) ?? [];
  if (version?.tag !== 0x02 || version.end - version.start !== 1 || b[version.start] !== 3) return undefined;
  if (authSafe?.tag !== 0x30) return undefined;
  const [type, explicit] = prefixChildren(b, authSafe) ?? [];
  if (oidHex(b, type) !== DATA || explicit?.tag !== 0xa0) return undefined;
  const out: Pkcs12Prefix = { encrypted: [], clear: [], trials: [], declared: pfx.declaredEnd };
  const safe = octetsIn(b, explicit);
  const seq = safe && prefixNode(safe, 0);
  if (!safe || seq?.tag !== 0x30) return out;
  for (const info of prefixChildren(safe, seq) ?? []) judgeContentInfo(safe, info, out);
  return out;
}

/** The OCTET STRING inside an [0] EXPLICIT, as far as it goes. */
function octetsIn(b: Uint8Array, explicit: PrefixNode): Uint8Array | undefined {
  const octets = prefixChildren(b, explicit)?.[0];
  return octets ? prefixOctets(b, octets) : undefined;
}

function judgeContentInfo(b: Uint8Array, info: PrefixNode, out: Pkcs12Prefix): void {
  if (info.tag !== 0x30) return;
  const [type, explicit] = prefixChildren(b, info) ?? [];
  const oid = oidHex(b, type);
  if (oid === ENCRYPTED || oid === ENVELOPED) {
    const what = oid === ENCRYPTED ? 'encryptedData' : 'envelopedData';
    const eci = explicit?.tag === 0xa0 ? encryptedContentInfo(b, explicit) : undefined;
    const [, alg, content] = eci ? (prefixChildren(b, eci) ?? []) : [];
    const algorithm = alg?.tag === 0x30 ? algorithmName(b, alg) : undefined;
    out.encrypted.push(algorithm ? `${what} (${algorithm})` : what);
    // encryptedContent [0] IMPLICIT OCTET STRING: primitive (0x80) or chunked (0xa0).
    const data =
      content?.tag === 0x80 || content?.tag === 0xa0
        ? prefixOctets(b, { ...content, tag: content.tag === 0x80 ? 0x04 : 0x24 })
        : undefined;
    if (what === 'encryptedData') noteTrial(b, alg, data, out);
    return;
  }
  if (oid !== DATA || explicit?.tag !== 0xa0) return;
  const contents = octetsIn(b, explicit);
  const seq = contents && prefixNode(contents, 0);
  if (!contents || seq?.tag !== 0x30) return;
  for (const bag of prefixChildren(contents, seq) ?? []) {
    if (bag.tag !== 0x30) continue;
    const [bagId, value] = prefixChildren(contents, bag) ?? [];
    const name = BAGS[oidHex(contents, bagId) ?? ''];
    if (!name) continue;
    if (name !== 'pkcs8ShroudedKeyBag') out.clear.push(name);
    else {
      // [0] EXPLICIT EncryptedPrivateKeyInfo: SEQUENCE { AlgorithmIdentifier, OCTET STRING }
      const epki = value?.tag === 0xa0 ? prefixChildren(contents, value)?.[0] : undefined;
      const [alg, octets] = epki?.tag === 0x30 ? (prefixChildren(contents, epki) ?? []) : [];
      const algorithm = alg?.tag === 0x30 ? algorithmName(contents, alg) : undefined;
      out.encrypted.push(algorithm ? `${name} (${algorithm})` : name);
      noteTrial(contents, alg, octets ? prefixOctets(contents, octets) : undefined, out);
    }
  }
}

/** EncryptedData { version, EncryptedContentInfo { contentType, AlgorithmIdentifier, [0] ... } } (RFC 5652 §8). */
function encryptedContentInfo(b: Uint8Array, explicit: PrefixNode): PrefixNode | undefined {
  const body = prefixChildren(b, explicit)?.[0];
  const fields = body?.tag === 0x30 ? prefixChildren(b, body) : undefined;
  // EnvelopedData puts recipient infos first: the EncryptedContentInfo is the first SEQUENCE after the SET.
  return fields?.find((f, i) => i > 0 && f.tag === 0x30);
}

/** Keeps an encrypted element whose AlgorithmIdentifier is whole and two cipher blocks are in sight. */
function noteTrial(b: Uint8Array, alg: PrefixNode | undefined, data: Uint8Array | undefined, out: Pkcs12Prefix): void {
  if (out.trials.length >= 8 || alg?.tag !== 0x30 || alg.cut || !data || data.length < 32) return;
  out.trials.push({ algorithm: b.subarray(alg.at, alg.end), ciphertext: data });
}

/** An AlgorithmIdentifier's name: a PBE scheme (PBES2 with its cipher) or a bare cipher. */
function algorithmName(b: Uint8Array, alg: PrefixNode): string | undefined {
  const [oid, params] = prefixChildren(b, alg) ?? [];
  const hex = oidHex(b, oid);
  if (!hex) return undefined;
  const pbe = PBE_OIDS[hex];
  if (pbe !== 'pbes2') return pbe ?? CIPHER_OIDS[hex];
  const scheme = params?.tag === 0x30 ? prefixChildren(b, params)?.[1] : undefined;
  const cipher = scheme?.tag === 0x30 ? CIPHER_OIDS[oidHex(b, prefixChildren(b, scheme)?.[0]) ?? ''] : undefined;
  return cipher ? `pbes2-${cipher}` : 'pbes2';
}

function endsWithEoc(b: Uint8Array): boolean {
  return b.length >= 4 && b[b.length - 1] === 0 && b[b.length - 2] === 0;
}
