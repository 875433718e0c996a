/**
 * Hangul word-processor documents (HWP 5.x, Hancom): a compound file whose FileHeader stream says, in its
 * properties word, whether the document is locked and by what — a password, a DRM product, or an
 * accredited (NPKI) certificate. A distribution document (배포용 문서) scrambles its ViewText sections under
 * a key the file itself carries, so it stays readable; a privacy-protected document locks only the personal
 * details it marks.
 * Reference: Hancom, "한글 문서 파일 형식 5.0" revision 1.3, §3.2 (streams) and §4.1 (FileHeader: signature
 * "HWP Document File" in 32 bytes, version 0xMMnnPPrr at 32, properties at 36, licence at 40, encryption
 * version at 44 — 1 Hangul 2.5 and older, 2 Hangul 3.0 Enhanced, 3 Hangul 3.0 Old, 4 Hangul 7.0 and later).
 */
import type { KeyHint } from '@evtriage/core/contract';

/** What a compound file's stream says the document is (the shape `ole2-encryption` reports). */
export type DocumentVerdict = {
  id: string;
  name: string;
  encrypted: boolean;
  scheme?: string;
  code: string;
  message: string;
  keyHint?: KeyHint;
};

const SIGNATURE = 'HWP Document File';

const BIT = {
  password: 1 << 1,
  distribution: 1 << 2,
  drm: 1 << 4,
  certificate: 1 << 8,
  certificateDrm: 1 << 10,
  privacy: 1 << 13,
} as const;

const ENCRYPT_VERSIONS: Readonly<Record<number, string>> = {
  1: 'Hangul 2.5 and older',
  2: 'Hangul 3.0 Enhanced',
  3: 'Hangul 3.0 Old',
  4: 'Hangul 7.0 and later',
};

const DRM_SERVER: KeyHint = {
  description:
    "A licence from the document-security (DRM) product that wrapped it — in Korea usually Fasoo, MarkAny or SoftCamp — for an account the policy allows, on a machine with its client; the organisation's DRM server issues it. No document password opens it.",
  kind: 'keystore',
  present: 'unknown',
};

const CERTIFICATE: KeyHint = {
  description:
    "The accredited (공인인증서, NPKI) certificate's private key the document was encrypted to, and its password: signPri.key beside signCert.der in an NPKI folder, or a .pfx export.",
  kind: 'keystore',
  present: 'unknown',
  lookFor: ['**/NPKI/**/signPri.key', '**/*.pfx', '**/*.p12'],
};

const PASSWORD: KeyHint = {
  description: 'The document password Hangul asks for on opening (문서 암호).',
  kind: 'password',
  present: 'unknown',
};

/** The verdict for a FileHeader stream, or undefined when it is not a Hangul 5.x header. */
export function hwpVerdict(header: Buffer): DocumentVerdict | undefined {
  if (header.length < 40 || header.toString('latin1', 0, SIGNATURE.length) !== SIGNATURE) return undefined;
  if (header.subarray(SIGNATURE.length, 32).some((b) => b !== 0)) return undefined;
  const version = [35, 34, 33, 32].map((i) => header[i]).join('.');
  const props = header.readUInt32LE(36);
  const encryptVersion = header.length >= 48 ? header.readUInt32LE(44) : 0;
  const has = (bit: number): boolean => (props & bit) !== 0;
  const base = { name: 'Hangul document (HWP 5)' };
  const what = `Hangul ${version} document whose FileHeader properties are 0x${props.toString(16).padStart(8, '0')}`;
  if (has(BIT.drm) || has(BIT.certificateDrm))
    return {
      ...base,
      id: 'hwp-drm',
      name: 'Hangul document (HWP 5), DRM-secured',
      encrypted: true,
      scheme: has(BIT.certificateDrm) ? 'hwp-certificate-drm' : 'hwp-drm',
      code: 'HWP_DRM',
      message: `${what}: the ${has(BIT.certificateDrm) ? 'certificate DRM' : 'DRM'} security bit (${has(BIT.certificateDrm) ? 10 : 4}) is set, so the body is encrypted by a document-security product.`,
      keyHint: DRM_SERVER,
    };
  if (has(BIT.certificate))
    return {
      ...base,
      id: 'hwp-encrypted',
      name: 'Hangul document (HWP 5), encrypted to a certificate',
      encrypted: true,
      scheme: 'hwp-certificate',
      code: 'HWP_CERTIFICATE_ENCRYPTED',
      message: `${what}: the accredited-certificate encryption bit (8) is set, so the body is encrypted to a certificate's key.`,
      keyHint: CERTIFICATE,
    };
  if (has(BIT.password)) {
    const era = ENCRYPT_VERSIONS[encryptVersion];
    return {
      ...base,
      id: 'hwp-encrypted',
      name: 'Hangul document (HWP 5), password-protected',
      encrypted: true,
      scheme: 'hwp-password',
      code: 'HWP_PASSWORD',
      message: `${what}: the password bit (1) is set, so DocInfo and the body sections are encrypted with the document password (encryption version ${encryptVersion}${era ? `, ${era}` : ''}).`,
      keyHint: PASSWORD,
    };
  }
  const notes = [
    has(BIT.distribution)
      ? 'a distribution document: its ViewText sections are scrambled under a key the file itself carries, so readers decode them without a secret'
      : '',
    has(BIT.privacy) ? 'personal details it marks are locked with a password; the rest reads' : '',
  ].filter(Boolean);
  return {
    ...base,
    id: 'hwp',
    encrypted: false,
    code: has(BIT.distribution) ? 'HWP_DISTRIBUTION' : 'HWP_CLEAR',
    message: `${what}: no password, DRM or certificate encryption bit${notes.length ? `; ${notes.join('; ')}` : ''}.`,
  };
}
