/**
 * Binary DER key material, told apart by a bounded ASN.1 walk rather than by
 * statistics (DER keys are dense and were taken for ciphertext):
 * PKCS#8 EncryptedPrivateKeyInfo (PBES2, PBES1, PKCS#12 PBE) is encrypted;
 * PKCS#8 PrivateKeyInfo, SEC1 ECPrivateKey, PKCS#1 RSAPrivateKey, a
 * DSA private key, a SubjectPublicKeyInfo, an OCSP response or request, and
 * the other public X.509 structures (CRL, PKCS#10 request, certificate pair,
 * PKCS#7 signed data) are readable. The whole file must
 * be one well-formed DER element (a Firefox cache2 entry's trailing metadata
 * after it is allowed: its last four bytes give the body length).
 * References: RFC 5958 §2-3 (OneAsymmetricKey, EncryptedPrivateKeyInfo);
 * RFC 8018 §6.1, §6.2, appendix A (PBES1/PBES2 OIDs); RFC 7292 appendix C
 * (pkcs-12PbeIds); RFC 5915 §3 (ECPrivateKey); RFC 8017 appendix A.1
 * (RSAPrivateKey); RFC 5280 §4.1.2.7 (SubjectPublicKeyInfo), §5.1 (CRL);
 * RFC 6960 §4.1.1, §4.2.1 (OCSPRequest, OCSPResponse); RFC 2986 (PKCS#10);
 * X.509 §11.2.3 (CertificatePair); RFC 5652 §5 (SignedData).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { DER_JUDGED, childrenFill, oidHex, prefixChildren, prefixNode } from './der-prefix.js';
import { derTlv, locked, notingZeroPadding, plain, u32be, afterStructureEnd, type Tlv } from './util.js';

/** Walks every element inside `tlv` (tag byte `tag`); false when any length is inconsistent. Bounded in depth and nodes. */
function wellFormed(b: Uint8Array, tag: number, tlv: Tlv, budget: { nodes: number }, depth = 0): boolean {
  if (--budget.nodes < 0 || depth > 24) return false;
  if ((tag & 0x20) === 0) return true;
  let at = tlv.start;
  while (at < tlv.end) {
    const child = derTlv(b.subarray(0, tlv.end), at);
    if (!child || (child.tag & 0x1f) === 0x1f) return false; // multi-byte tags do not occur in these structures
    if (!wellFormed(b, child.tag, child, budget, depth + 1)) return false;
    at = child.end;
  }
  return at === tlv.end;
}

/** Children of a constructed element (at most `max`), or undefined when malformed. */
function children(b: Uint8Array, parent: Tlv, max = 16): Tlv[] | undefined {
  const out: Tlv[] = [];
  let at = parent.start;
  while (at < parent.end && out.length < max) {
    const c = derTlv(b.subarray(0, parent.end), at);
    if (!c) return undefined;
    out.push(c);
    at = c.end;
  }
  return out;
}

const hex = (b: Uint8Array, t: Tlv) => Buffer.from(b.subarray(t.start, t.end)).toString('hex');

/** Encryption algorithm OIDs of an EncryptedPrivateKeyInfo (DER value bytes, hex). */
export const PBE_OIDS: Record<string, string> = {
  '2a864886f70d01050d': 'pbes2',
  '2a864886f70d010501': 'pbes1-md2-des',
  '2a864886f70d010503': 'pbes1-md5-des',
  '2a864886f70d010504': 'pbes1-md2-rc2',
  '2a864886f70d010506': 'pbes1-md5-rc2',
  '2a864886f70d01050a': 'pbes1-sha1-des',
  '2a864886f70d01050b': 'pbes1-sha1-rc2',
  '2a864886f70d010c0101': 'pkcs12-sha1-rc4-128',
  '2a864886f70d010c0102': 'pkcs12-sha1-rc4-40',
  '2a864886f70d010c0103': 'pkcs12-sha1-3des',
  '2a864886f70d010c0104': 'pkcs12-sha1-2des',
  '2a864886f70d010c0105': 'pkcs12-sha1-rc2-128',
  '2a864886f70d010c0106': 'pkcs12-sha1-rc2-40',
};

/** Public-key algorithm OIDs, for naming what a PKCS#8 or SPKI structure holds. */
const KEY_OIDS: Record<string, string> = {
  '2a864886f70d010101': 'rsa',
  '2a864886f70d01010a': 'rsa-pss',
  '2a8648ce3d0201': 'ec',
  '2b656e': 'x25519',
  '2b656f': 'x448',
  '2b6570': 'ed25519',
  '2b6571': 'ed448',
  '2a8648ce380401': 'dsa',
  '2a864886f70d010301': 'dh',
  '2a8648ce3e0201': 'dh-x942', // ANSI X9.42 dhpublicnumber (RFC 3279 §2.3.3)
};
const OCSP_BASIC = '2b0601050507300101';

function aboutPbes2(b: Uint8Array, params: Tlv | undefined): string {
  // PBES2-params: SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme AlgorithmIdentifier }
  const parts = params && params.tag === 0x30 ? children(b, params, 2) : undefined;
  const scheme = parts?.[1] && parts[1].tag === 0x30 ? children(b, parts[1], 1)?.[0] : undefined;
  const cipher = scheme?.tag === 0x06 ? CIPHER_OIDS[hex(b, scheme)] : undefined;
  return cipher ? `pbes2-${cipher}` : 'pbes2';
}

export const CIPHER_OIDS: Record<string, string> = {
  '608648016503040102': 'aes-128-cbc',
  '608648016503040116': 'aes-192-cbc',
  '60864801650304012a': 'aes-256-cbc',
  '2a864886f70d0307': 'des-ede3-cbc',
  '2b0e030207': 'des-cbc',
  '2a864886f70d0302': 'rc2-cbc',
};

type Kind = { kind: 'encrypted'; scheme: string } | { kind: 'clear'; id: string; name: string; what: string };

const clear = (id: string, name: string, what: string): Kind => ({ kind: 'clear', id, name, what });

/** A Certificate's shape: SEQUENCE { tbsCertificate SEQUENCE, AlgorithmIdentifier, BIT STRING }. */
function certificateShaped(b: Uint8Array, t: Tlv | undefined): boolean {
  const c = t?.tag === 0x30 ? children(b, t, 4) : undefined;
  return c?.length === 3 && c[0]!.tag === 0x30 && c[1]!.tag === 0x30 && c[2]!.tag === 0x03;
}

/**
 * The other signed X.509 structures, told by their to-be-signed part (RFC 5280 §5.1 TBSCertList: an optional
 * INTEGER version, AlgorithmIdentifier, issuer Name, then thisUpdate as a UTCTime or GeneralizedTime; RFC 2986
 * §4 CertificationRequestInfo: INTEGER 0, subject Name, SubjectPublicKeyInfo). A certificate is pkcs12's.
 */
function signedStructure(b: Uint8Array, tbs: Tlv): Kind | undefined {
  const c = children(b, tbs, 6);
  if (!c || c.length < 3) return undefined;
  const spki = c[2]!.tag === 0x30 ? children(b, c[2]!, 3) : undefined;
  if (c[0]!.tag === 0x02 && c[0]!.end - c[0]!.start === 1 && b[c[0]!.start] === 0 && c[1]!.tag === 0x30) {
    if (spki?.length === 2 && spki[0]!.tag === 0x30 && spki[1]!.tag === 0x03)
      return clear('csr-der', 'Certificate signing request (DER PKCS#10)', 'a PKCS#10 certificate signing request');
  }
  const i = c[0]!.tag === 0x02 ? 1 : 0;
  const time = c[i + 2]?.tag;
  if (c[i]?.tag === 0x30 && c[i + 1]?.tag === 0x30 && (time === 0x17 || time === 0x18))
    return clear('crl-der', 'Certificate revocation list (DER X.509 CRL)', 'an X.509 certificate revocation list');
  return undefined;
}

/**
 * RFC 6960 §4.1.1 OCSPRequest: SEQUENCE { tbsRequest SEQUENCE { [0] version, [1] requestorName, requestList
 * SEQUENCE OF Request { reqCert CertID { AlgorithmIdentifier, OCTET STRING, OCTET STRING, INTEGER } } },
 * [0] optionalSignature }.
 */
function ocspRequest(b: Uint8Array, parts: Tlv[]): boolean {
  if (parts[0]!.tag !== 0x30 || parts.length > 2 || (parts[1] && parts[1].tag !== 0xa0)) return false;
  const tbs = children(b, parts[0]!, 4)?.filter((t) => t.tag !== 0xa0 && t.tag !== 0xa1);
  const list = tbs?.[0]?.tag === 0x30 ? children(b, tbs[0], 1)?.[0] : undefined;
  const request = list?.tag === 0x30 ? children(b, list, 1)?.[0] : undefined;
  const certId = request?.tag === 0x30 ? children(b, request, 5) : undefined;
  return certId?.map((t) => t.tag).join() === '48,4,4,2';
}

const SIGNED_DATA = '2a864886f70d010702';

function classify(b: Uint8Array, top: Tlv): Kind | undefined {
  const parts = children(b, top, 12);
  if (!parts || parts.length === 0) return undefined;
  // X.509 CertificatePair (X.509 §11.2.3, the PKITS "certpairs"): [0] forward and/or [1] reverse certificate.
  if (
    parts.length <= 2 &&
    parts.every((t, i) => (t.tag === 0xa0 || t.tag === 0xa1) && (i === 0 || t.tag === 0xa1)) &&
    parts.every((t) => certificateShaped(b, children(b, t, 1)?.[0]))
  )
    return clear('x509-certificate-pair-der', 'X.509 certificate pair (DER)', 'an X.509 certificate pair');
  if (ocspRequest(b, parts)) return clear('ocsp-request-der', 'OCSP request (DER)', 'an OCSP request');
  // An OCSPResponse with no responseBytes: only its status (1 malformedRequest to 6 unauthorized, 4 unused).
  if (parts.length === 1 && parts[0]!.tag === 0x0a && parts[0]!.end - parts[0]!.start === 1) {
    const status = b[parts[0]!.start]!;
    if (status >= 1 && status <= 6 && status !== 4)
      return clear('ocsp-der', 'OCSP response (DER)', `an OCSP response carrying only its status (${status})`);
  }
  if (parts.length < 2) return undefined;
  const [p0, p1] = parts as [Tlv, Tlv];
  if (parts.length === 3 && p0.tag === 0x30 && p1.tag === 0x30 && parts[2]!.tag === 0x03) return signedStructure(b, p0);
  // ContentInfo { contentType signedData, [0] SignedData } (RFC 5652 §3, §5): certificate bundles (.p7b), signatures.
  if (p0.tag === 0x06 && hex(b, p0) === SIGNED_DATA && p1.tag === 0xa0)
    return clear('pkcs7-signed-der', 'PKCS#7/CMS signed data (DER)', 'a PKCS#7 signed-data structure');
  // EncryptedPrivateKeyInfo: SEQUENCE { AlgorithmIdentifier, OCTET STRING }
  if (parts.length === 2 && p0.tag === 0x30 && p1.tag === 0x04) {
    const alg = children(b, p0, 2);
    const oid = alg?.[0]?.tag === 0x06 ? hex(b, alg[0]) : '';
    const pbe = PBE_OIDS[oid];
    if (pbe) return { kind: 'encrypted', scheme: pbe === 'pbes2' ? aboutPbes2(b, alg?.[1]) : pbe };
    return undefined;
  }
  // SubjectPublicKeyInfo: SEQUENCE { AlgorithmIdentifier, BIT STRING }
  if (parts.length === 2 && p0.tag === 0x30 && p1.tag === 0x03) {
    const alg = children(b, p0, 2);
    const key = alg?.[0]?.tag === 0x06 ? KEY_OIDS[hex(b, alg[0])] : undefined;
    if (key)
      return {
        kind: 'clear',
        id: 'public-key-der',
        name: 'Public key (DER SubjectPublicKeyInfo)',
        what: `a ${key} public key`,
      };
    return undefined;
  }
  // OCSPResponse: SEQUENCE { ENUMERATED status, [0] { SEQUENCE { OID id-pkix-ocsp-basic, OCTET STRING } } }
  if (p0.tag === 0x0a && p0.end - p0.start === 1 && (parts.length === 1 || p1.tag === 0xa0)) {
    const inner = children(b, p1, 1)?.[0];
    const rb = inner?.tag === 0x30 ? children(b, inner, 2) : undefined;
    if (rb?.[0]?.tag === 0x06 && hex(b, rb[0]) === OCSP_BASIC) {
      return {
        kind: 'clear',
        id: 'ocsp-der',
        name: 'OCSP response (DER)',
        what: `an OCSP response (status ${b[p0.start]})`,
      };
    }
    return undefined;
  }
  if (p0.tag !== 0x02 || p0.end - p0.start !== 1) return undefined;
  const version = b[p0.start]!;
  // PrivateKeyInfo / OneAsymmetricKey: SEQUENCE { INTEGER 0|1, AlgorithmIdentifier, OCTET STRING, ... }
  if (version <= 1 && p1.tag === 0x30 && parts[2]?.tag === 0x04) {
    const alg = children(b, p1, 2);
    const key = alg?.[0]?.tag === 0x06 ? KEY_OIDS[hex(b, alg[0])] : undefined;
    if (key)
      return {
        kind: 'clear',
        id: 'pkcs8-der',
        name: 'Private key in clear (DER PKCS#8)',
        what: `a ${key} private key in clear`,
      };
    return undefined;
  }
  // ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING key, [0] parameters OPTIONAL, [1] publicKey OPTIONAL }
  if (version === 1 && p1.tag === 0x04 && parts.slice(2).every((t, i) => t.tag === 0xa0 + i || t.tag === 0xa1)) {
    return {
      kind: 'clear',
      id: 'ec-key-der',
      name: 'EC private key in clear (DER SEC1)',
      what: 'an EC private key in clear',
    };
  }
  // OpenSSL's DSA private key: SEQUENCE { INTEGER 0, p, q, g, y, x }.
  if (version === 0 && parts.length === 6 && parts.every((t) => t.tag === 0x02))
    return clear('dsa-key-der', 'DSA private key in clear (DER)', 'a DSA private key in clear');
  // RSAPrivateKey: SEQUENCE { INTEGER version, n, e, d, p, q, dP, dQ, qInv (, otherPrimeInfos) }
  if (version <= 1 && parts.length >= 9 && parts.slice(0, 9).every((t) => t.tag === 0x02)) {
    return {
      kind: 'clear',
      id: 'rsa-key-der',
      name: 'RSA private key in clear (DER PKCS#1)',
      what: 'an RSA private key in clear',
    };
  }
  return undefined;
}

/**
 * A PKCS#8 PrivateKeyInfo in clear whose file ends before its outer SEQUENCE does (a key cut short in a copy or
 * a carve): the version (0 or 1) is whole and the key's AlgorithmIdentifier starts with a whole OID naming a key
 * algorithm; when the AlgorithmIdentifier is whole, the next element, cut, is the key's OCTET STRING. The key bytes are not ciphertext (they read as random, as
 * any key does), so the statistics must not have it. Returns the key algorithm and the declared and real sizes.
 */
export function truncatedClearKey(b: Uint8Array): { key: string; declared: number } | undefined {
  const top = derTlv(b, 0, true);
  if (!top || top.tag !== 0x30 || top.end <= b.length) return undefined;
  const version = derTlv(b, top.start);
  if (!version || version.tag !== 0x02 || version.end - version.start !== 1 || b[version.start]! > 1) return undefined;
  // The AlgorithmIdentifier may itself be cut (a DH or DSA key's parameters are long); its OID must be whole.
  const alg = derTlv(b, version.end, true);
  if (!alg || alg.tag !== 0x30 || alg.end >= top.end) return undefined;
  const oid = derTlv(b, alg.start);
  const key = oid?.tag === 0x06 && oid.end <= alg.end ? KEY_OIDS[hex(b, oid)] : undefined;
  if (!key) return undefined;
  if (alg.end <= b.length) {
    const octets = derTlv(b, alg.end, true);
    if (!wellFormed(b, alg.tag, alg, { nodes: 64 }) || octets?.tag !== 0x04 || octets.end !== top.end) return undefined;
  }
  return { key, declared: top.end };
}

/**
 * A PKCS#8 EncryptedPrivateKeyInfo whose file ends before its outer SEQUENCE does (cut short in a copy or a carve):
 * the first element is the AlgorithmIdentifier, whose OID, whole, names a password-based scheme (PBES2, PBES1, a
 * PKCS#12 PBE), and the only thing after it in sight is the encryptedData OCTET STRING running into the cut. The
 * prefix is read by `der-prefix.ts`, so every element in sight must nest within its parent. Returns the scheme
 * (PBES2's cipher when its parameters are whole) and the declared size.
 */
export function truncatedEncryptedKey(b: Uint8Array): { scheme: string; declared: number } | undefined {
  const top = prefixNode(b, 0);
  if (!top || top.tag !== 0x30 || !top.cut || top.declaredEnd === undefined) return undefined;
  const parts = prefixChildren(b, top);
  const [alg, data] = parts ?? [];
  if (!parts || parts.length > 2 || alg?.tag !== 0x30 || (data && (data.tag !== 0x04 || !data.cut))) return undefined;
  const oid = prefixChildren(b, alg)?.[0];
  const pbe = PBE_OIDS[oidHex(b, oid) ?? ''];
  if (!pbe || !oid) return undefined;
  const scheme = pbe === 'pbes2' && !alg.cut ? aboutPbes2(b, derTlv(b.subarray(0, alg.end), oid.end)) : pbe;
  return { scheme, declared: top.declaredEnd };
}

export const derKeysDetector = defineDetector({
  meta: {
    id: 'der-keys',
    version: '1.4.0',
    title: 'DER keys: PKCS#8 encrypted and clear, SEC1, PKCS#1, DSA, SubjectPublicKeyInfo; CRLs, CSRs, OCSP, PKCS#7',
    formats: [
      {
        id: 'pkcs8-encrypted-der',
        name: 'Encrypted private key (DER PKCS#8)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['der', 'p8', 'pk8', 'key'],
      },
      {
        id: 'pkcs8-der',
        name: 'Private key in clear (DER PKCS#8)',
        status: 'analysable',
        how: 'structure',
        extensions: ['der', 'p8', 'pk8', 'key'],
      },
      {
        id: 'pkcs8-der-truncated',
        name: 'Private key in clear, cut short (DER PKCS#8)',
        status: 'opaque',
        how: 'structure',
        extensions: ['der', 'p8', 'pk8', 'key'],
      },
      {
        id: 'ec-key-der',
        name: 'EC private key in clear (DER SEC1)',
        status: 'analysable',
        how: 'structure',
        extensions: ['der', 'key'],
      },
      {
        id: 'rsa-key-der',
        name: 'RSA private key in clear (DER PKCS#1)',
        status: 'analysable',
        how: 'structure',
        extensions: ['der', 'key'],
      },
      {
        id: 'public-key-der',
        name: 'Public key (DER SubjectPublicKeyInfo)',
        status: 'analysable',
        how: 'structure',
        extensions: ['der', 'pub', 'key'],
      },
      {
        id: 'ocsp-der',
        name: 'OCSP response (DER)',
        status: 'analysable',
        how: 'structure',
        extensions: ['der', 'ocsp'],
      },
      {
        id: 'dsa-key-der',
        name: 'DSA private key in clear (DER)',
        status: 'analysable',
        how: 'structure',
        extensions: ['der', 'key'],
      },
      {
        id: 'crl-der',
        name: 'Certificate revocation list (DER X.509 CRL)',
        status: 'analysable',
        how: 'structure',
        extensions: ['der', 'crl'],
      },
      {
        id: 'csr-der',
        name: 'Certificate signing request (DER PKCS#10)',
        status: 'analysable',
        how: 'structure',
        extensions: ['der', 'csr', 'p10', 'req'],
      },
      {
        id: 'ocsp-request-der',
        name: 'OCSP request (DER)',
        status: 'analysable',
        how: 'structure',
        extensions: ['der', 'ocsp', 'req'],
      },
      {
        id: 'x509-certificate-pair-der',
        name: 'X.509 certificate pair (DER)',
        status: 'analysable',
        how: 'structure',
        extensions: ['der', 'cp'],
      },
      {
        id: 'pkcs7-signed-der',
        name: 'PKCS#7/CMS signed data (DER)',
        status: 'analysable',
        how: 'structure',
        extensions: ['der', 'p7b', 'p7c', 'p7s', 'spc'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: '30' }],
  minSize: 5, // an OCSP response that carries only its status is five bytes
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (!probe.complete) return undefined; // keys are small; a walk needs the whole element
    const top = derTlv(h, 0);
    const cut = top ? undefined : truncatedClearKey(h);
    if (cut)
      return plain('opaque', {
        id: 'pkcs8-der-truncated',
        name: 'Private key in clear, cut short (DER PKCS#8)',
        confidence: 0.85,
        code: 'DER_PKCS8_CLEAR_TRUNCATED',
        message: `DER PrivateKeyInfo (version and ${cut.key} key algorithm whole) declaring ${cut.declared} bytes in a file of ${h.length}: a private key in clear cut short, damaged, not ciphertext.`,
        figures: { keyAlgorithm: cut.key, declaredBytes: cut.declared, fileBytes: h.length },
      });
    const encryptedCut = top ? undefined : truncatedEncryptedKey(h);
    if (encryptedCut)
      return locked({
        id: 'pkcs8-encrypted-der',
        name: 'Encrypted private key (DER PKCS#8)',
        confidence: 0.85,
        code: 'DER_PKCS8_ENCRYPTED_CUT_SHORT',
        message: `DER EncryptedPrivateKeyInfo cut short (the outer SEQUENCE declares ${encryptedCut.declared} bytes, the file has ${h.length}): its algorithm identifier (${encryptedCut.scheme}) is whole and the encrypted key runs into the cut; the private key needs its password.`,
        figures: { algorithm: encryptedCut.scheme, declaredBytes: encryptedCut.declared, fileBytes: h.length },
        scheme: `pkcs8-${encryptedCut.scheme}`,
        keyHint: { description: 'The private key password.', kind: 'password', present: 'unknown' },
      });
    if (!top || top.tag !== 0x30) return undefined;
    const cacheTrailer = top.end !== h.length && h.length >= top.end + 4 && u32be(h, h.length - 4) === top.end;
    // Bytes after the element its outer length closes (zeros: a carve's slack, a block-rounded copy; other
    // bytes: appended data, a carve's overshoot) are set aside.
    const padding =
      top.end !== h.length && !cacheTrailer && childrenFill(h, top.start, top.end)
        ? afterStructureEnd(probe, top.end)
        : undefined;
    if (top.end !== h.length && !cacheTrailer && !padding) return undefined;
    if (!wellFormed(h, top.tag, top, { nodes: 2048 })) return undefined;
    const kind = classify(h, top);
    if (!kind) return undefined;
    return notingZeroPadding(verdict(kind, cacheTrailer), padding, DER_JUDGED);
  },
});

function verdict(kind: Kind, cacheTrailer: boolean): Detection {
  const trailer = cacheTrailer ? ', followed by Firefox cache2 metadata' : '';
  if (kind.kind === 'encrypted') {
    return locked({
      id: 'pkcs8-encrypted-der',
      name: 'Encrypted private key (DER PKCS#8)',
      confidence: 0.95,
      code: 'DER_PKCS8_ENCRYPTED',
      message: `DER EncryptedPrivateKeyInfo (algorithm ${kind.scheme}), a well-formed ASN.1 structure${trailer}: the private key needs its password.`,
      figures: { algorithm: kind.scheme },
      scheme: `pkcs8-${kind.scheme}`,
      keyHint: { description: 'The private key password.', kind: 'password', present: 'unknown' },
    });
  }
  return plain('analysable', {
    id: kind.id,
    name: kind.name,
    confidence: 0.93,
    code: 'DER_KEY_STRUCTURE',
    message: `Well-formed DER structure holding ${kind.what}${trailer}: readable without a secret.`,
    figures: { structure: kind.id },
  });
}
