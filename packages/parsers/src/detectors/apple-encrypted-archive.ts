/**
 * Apple Encrypted Archives (AEA: iOS and macOS update images, signed Shortcuts,
 * `aea` tool output): the magic "AEA1", a 3-byte profile id, a scrypt strength
 * byte and the size of the auth data (key-value pairs or a blob) that follows.
 * The profile says what locks the content: profile 0 is signed but not
 * encrypted (its key derivation seed is in the file, so Apple's tools read it
 * without a secret); 1-2 use a symmetric key, 3-4 the recipient's private key
 * (ECDHE P-256), 5 a password (scrypt).
 * Reference: Apple Developer "ArchiveEncryptionContext.Profile"; the layout as
 * documented by kinnay/AEA FORMAT.md. Fixtures written from that layout
 * (fixtures/apple-encrypted-archive/generate.py): no program on Debian writes AEA.
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { locked, plain, startsWith, u32le } from './util.js';

const HEADER = 12;

const PROFILES: Array<{ name: string; key?: KeyHint }> = [
  { name: 'signed, not encrypted (hkdf_sha256_hmac__none__ecdsa_p256)' },
  {
    name: 'symmetric encryption (hkdf_sha256_aesctr_hmac__symmetric__none)',
    key: { description: 'The 256-bit symmetric key it was encrypted with.', kind: 'key-file', present: 'unknown' },
  },
  {
    name: 'symmetric encryption, signed (hkdf_sha256_aesctr_hmac__symmetric__ecdsa_p256)',
    key: { description: 'The 256-bit symmetric key it was encrypted with.', kind: 'key-file', present: 'unknown' },
  },
  {
    name: 'public-key encryption (hkdf_sha256_aesctr_hmac__ecdhe_p256__none)',
    key: { description: "The recipient's P-256 private key.", kind: 'key-file', present: 'unknown' },
  },
  {
    name: 'public-key encryption, signed (hkdf_sha256_aesctr_hmac__ecdhe_p256__ecdsa_p256)',
    key: { description: "The recipient's P-256 private key.", kind: 'key-file', present: 'unknown' },
  },
  {
    name: 'password encryption (hkdf_sha256_aesctr_hmac__scrypt__none)',
    key: { description: 'The password it was encrypted with (scrypt).', kind: 'password', present: 'unknown' },
  },
];

/** Auth data read as key-value pairs (u32 length, key, NUL, value) that tile it exactly; undefined when they do not. */
function authPairs(b: Uint8Array, from: number, size: number): number | undefined {
  let pairs = 0;
  for (let at = from; at < from + size; pairs++) {
    const length = u32le(b, at);
    if (length === undefined || length < 5 || at + length > from + size) return undefined;
    if (b.subarray(at + 4, Math.min(at + length, b.length)).indexOf(0) < 0) return undefined;
    at += length;
  }
  return pairs;
}

export const appleEncryptedArchiveDetector = defineDetector({
  meta: {
    id: 'apple-encrypted-archive',
    version: '1.0.0',
    title: 'Apple Encrypted Archives (AEA1)',
    formats: [
      {
        id: 'aea',
        name: 'Apple Encrypted Archive, signed only',
        status: 'analysable',
        how: 'header-field',
        extensions: ['aea', 'shortcut'],
      },
      {
        id: 'aea-encrypted',
        name: 'Apple Encrypted Archive, encrypted',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['aea', 'shortcut', 'ipsw'],
      },
    ],
  },
  signatures: [{ offset: 0, ascii: 'AEA1' }],
  minSize: HEADER + 64,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (!startsWith(h, 'AEA1')) return undefined;
    const profileId = (h[4] ?? 0) | ((h[5] ?? 0) << 8) | ((h[6] ?? 0) << 16);
    const profile = PROFILES[profileId];
    const scrypt = h[7] ?? 0xff;
    const authSize = u32le(h, 8) ?? 0xffffffff;
    // The scrypt strength only means something for the password profile; the auth data must fit the file.
    if (!profile || (profileId === 5 ? scrypt > 3 : scrypt !== 0) || HEADER + authSize + 64 > probe.size)
      return undefined;
    const pairs = authSize > 0 && HEADER + authSize <= h.length ? authPairs(h, HEADER, authSize) : undefined;
    const auth =
      authSize === 0
        ? 'no auth data'
        : pairs !== undefined
          ? `${pairs} auth-data pairs`
          : `${authSize} bytes of auth data`;
    const figures = {
      profile: profileId,
      authDataBytes: authSize,
      ...(profileId === 5 ? { scryptStrength: scrypt } : {}),
    };
    if (!profile.key) {
      return plain('analysable', {
        id: 'aea',
        name: 'Apple Encrypted Archive, signed only',
        confidence: 0.9,
        code: 'AEA_SIGNED_ONLY',
        message: `"AEA1" header, profile ${profileId}: ${profile.name}, ${auth}. The key its MACs derive from is in the file: readable without a secret.`,
        figures,
      });
    }
    return locked({
      id: 'aea-encrypted',
      name: 'Apple Encrypted Archive, encrypted',
      confidence: 0.93,
      code: 'AEA_ENCRYPTED',
      message: `"AEA1" header, profile ${profileId}: ${profile.name}, ${auth}: the archive's content is AES-CTR encrypted.`,
      figures,
      scheme: `aea-profile-${profileId}`,
      keyHint: profile.key,
    });
  },
});
