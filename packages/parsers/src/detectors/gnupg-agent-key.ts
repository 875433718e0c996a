/**
 * GnuPG's secret keys as gpg-agent stores them (GnuPG 2.1+,
 * `~/.gnupg/private-keys-v1.d/<keygrip>.key`): one S-expression per file,
 * either in the extended format (text "Name: value" lines, the key under
 * "Key:") or in the older canonical format (length-prefixed tokens). A key
 * with a passphrase is a `protected-private-key` whose secret parameters sit
 * in a `(protected <mode> ((<hash> <salt> <count>) <iv>) <ciphertext>)` list;
 * a key without one is a clear `private-key`, and a key whose secret lives on
 * a smartcard a `shadowed-private-key` (the card's serial number in place of
 * the secret): both readable key files, named so (the canonical form is binary
 * and would otherwise reach the statistics).
 * GnuPG's own test data keeps such files ASCII-armored (`gpg --enarmor`: a
 * "PGP ARMORED FILE" block whose base64 body is the key file): the body is
 * decoded and read the same way.
 * References: GnuPG agent/keyformat.txt (protected-private-key, the
 * openpgp-s2k3-sha1-aes-cbc and openpgp-s2k3-ocb-aes modes, the extended key
 * format). Fixtures made by gpg (fixtures/gnupg-agent-key/generate.sh).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { armorAfterTextAt } from './openpgp.js';
import { ascii, dearmor, locked, plain } from './util.js';

const MODES = ['openpgp-s2k3-ocb-aes', 'openpgp-s2k3-sha1-aes-cbc', 'openpgp-native'];
const EXTENDED = /^(?:[A-Za-z][A-Za-z0-9-]*:[^\n]*\n(?:[ \t][^\n]*\n)*)*?Key: *\(protected-private-key *\(([a-z0-9-]+)/;
/**
 * The protected list in the advanced S-expression form. libgcrypt writes the salt as hex (`#…#`) or, when its
 * bytes are printable enough, as a quoted string with escapes (about one key in eight): both are taken, as
 * are base64 (`|…|`) and a bare token.
 */
const PROTECTED_MODE = /\(protected\s+([a-z0-9-]+)/;
const EXTENDED_PROTECTED =
  /\(protected\s+([a-z0-9-]+)\s*\(\((sha1|sha256)\s+(?:#[0-9A-Fa-f\s]+#|"(?:[^"\\]|\\[\s\S])*"|\|[A-Za-z0-9+/=\s]*\||[^\s()"#|]+)\s*"?(\d+)/;
const CANONICAL = /^\(21:protected-private-key\((\d+):/;
const CANONICAL_PROTECTED = /\(9:protected(\d+):([a-z0-9-]+)\(\((\d+):(sha1|sha256)/;
const CANONICAL_CLEAR = /^\((11:private-key|20:shadowed-private-key)\((\d+):/;
/** The advanced (human-readable) transport form, as `gpg-protect-tool` and GnuPG's test keys write it. */
const ADVANCED = /^\(\s*(private-key|shadowed-private-key|protected-private-key)\s*\(\s*([a-z0-9][a-z0-9.-]*)\s/;
const EXTENDED_CLEAR =
  /^(?:[A-Za-z][A-Za-z0-9-]*:[^\n]*\n(?:[ \t][^\n]*\n)*)*?Key: *\((private-key|shadowed-private-key) *\(([a-z0-9-]+)/;
/** The public-key algorithms libgcrypt's S-expressions name (or by OID, `oid.1.2.840.113549.1.1.1`). */
const ALGORITHMS = new Set([
  'rsa',
  'dsa',
  'elg',
  'ecc',
  'ecdsa',
  'eddsa',
  'ecdh',
  'openpgp-rsa',
  'openpgp-dsa',
  'openpgp-elg',
]);
const knownAlgorithm = (name: string) => ALGORITHMS.has(name) || /^oid\.[0-9]+(\.[0-9]+)+$/.test(name);
/** The first line of `gpg --enarmor` output. */
const ENARMORED = '-----BEGIN PGP ARMORED FILE-----';
const ENARMORED_LINE = Buffer.from(`\n${ENARMORED}`, 'latin1');
/** openpgp-native keys carry the OpenPGP secret key's own protection: "none", or its S2K and cipher. */
const NATIVE_PROTECTION = /\(10:protection(\d+):([a-z0-9-]+)/;

function verdict(form: string, algorithm: string, mode: string, hash: string, count?: number): Detection {
  return locked({
    id: 'gnupg-protected-private-key',
    name: 'GnuPG secret key protected by a passphrase (gpg-agent key file)',
    confidence: 0.96,
    code: 'GNUPG_PROTECTED_PRIVATE_KEY',
    message:
      `gpg-agent key file (${form} format): a protected-private-key (${algorithm}) whose secret parameters are ` +
      `encrypted in mode ${mode}, key derived by ${hash} S2K${count ? ` with count ${count}` : ''}.`,
    figures: { form, algorithm, mode, s2kHash: hash, ...(count ? { s2kCount: count } : {}) },
    scheme: `gnupg-${mode}`,
    keyHint: {
      description:
        "The key's GnuPG passphrase (gpg-agent derives the AES key from it with an iterated and salted S2K). The public part and the key's user IDs are in clear in pubring.kbx beside private-keys-v1.d.",
      kind: 'password',
      present: 'unknown',
      lookFor: ['**/.gnupg/pubring.kbx', '**/.gnupg/pubring.gpg'],
    },
  });
}

/**
 * The verdict on a text-form protected key: its `(protected <mode> …)` list decides; the S2K hash and count
 * are read when their fields parse (figures only).
 */
function protectedList(text: string, form: string, algorithm: string): Detection | undefined {
  const mode = PROTECTED_MODE.exec(text)?.[1];
  if (!mode || !MODES.includes(mode)) return undefined;
  const p = EXTENDED_PROTECTED.exec(text);
  return verdict(form, algorithm, mode, p?.[2] ?? 'unknown', p ? Number(p[3]) : undefined);
}

/** A key file whose secret parameters are in clear (`private-key`) or on a smartcard (`shadowed-private-key`). */
function clearKey(form: string, kind: string, algorithm: string): Detection {
  const shadowed = kind === 'shadowed-private-key';
  return plain('analysable', {
    id: 'gnupg-private-key',
    name: 'GnuPG secret key in clear or on a smartcard (gpg-agent key file)',
    confidence: 0.95,
    code: shadowed ? 'GNUPG_SHADOWED_PRIVATE_KEY' : 'GNUPG_CLEAR_PRIVATE_KEY',
    message: shadowed
      ? `gpg-agent key file (${form} format): a shadowed-private-key (${algorithm}): the secret stays on a smartcard, the file holds the public parameters and the card's serial number; readable, not encrypted.`
      : `gpg-agent key file (${form} format): a private-key (${algorithm}) with no passphrase: the secret parameters are in clear; readable key material, not encrypted.`,
    figures: { form, algorithm },
  });
}

export const gnupgAgentKeyDetector = defineDetector({
  meta: {
    id: 'gnupg-agent-key',
    version: '1.1.0',
    title: "GnuPG secret keys in gpg-agent's key files (private-keys-v1.d)",
    formats: [
      {
        id: 'gnupg-protected-private-key',
        name: 'GnuPG secret key protected by a passphrase (gpg-agent key file)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['key'],
      },
      {
        id: 'gnupg-private-key',
        name: 'GnuPG secret key in clear or on a smartcard (gpg-agent key file)',
        status: 'analysable',
        how: 'structure',
        extensions: ['key'],
      },
    ],
    indexPatterns: ['**/.gnupg/pubring.kbx', '**/.gnupg/pubring.gpg'],
  },
  signatures: [
    { offset: 0, ascii: '(21:protected-private-key(' },
    { offset: 0, ascii: '(11:private-key(' },
    { offset: 0, ascii: '(20:shadowed-private-key(' },
    { offset: 0, ascii: 'Key: (private-key', within: 4096 },
    { offset: 0, ascii: 'Key: (shadowed-private-key', within: 4096 },
    { offset: 0, ascii: '(private-key', within: 4 },
    { offset: 0, ascii: '(protected-private-key', within: 4 },
    { offset: 0, ascii: '(shadowed-private-key', within: 4 },
    { offset: 0, ascii: 'Key: (protected-private-key', within: 4096 },
    { offset: 0, ascii: ENARMORED, within: 4096 },
  ],
  minSize: 40,
  priority: 20,
  detect(probe): Detection | undefined {
    let text = ascii(probe.head);
    let armor = '';
    // The armor first, or after a note saying whose key it is (GnuPG's tests/openpgp/privkeys).
    const begin = text.startsWith(ENARMORED) ? 0 : armorAfterTextAt(probe, ENARMORED_LINE) + 1;
    if (begin >= 0 && text.startsWith(ENARMORED, begin)) {
      const decoded = dearmor(text, text.indexOf('\n', begin) + 1);
      if (!decoded) return undefined;
      text = ascii(decoded);
      armor = `, ASCII-armored by gpg --enarmor${begin > 0 ? ` after ${begin} bytes of text` : ''}`;
    }
    const canonical = CANONICAL.exec(text);
    if (canonical) {
      const algorithm = text.substr(canonical[0].length, Number(canonical[1]));
      // A key imported from OpenPGP keeps that key's parameters and protection (gpg-agent's openpgp-native mode).
      const native = text.includes('(9:protected14:openpgp-native(') ? NATIVE_PROTECTION.exec(text) : null;
      if (native?.[2] === 'none')
        return clearKey(`canonical${armor}, OpenPGP-native with protection none`, 'private-key', algorithm);
      if (native) return verdict(`canonical${armor}`, algorithm, 'openpgp-native', native[2]!);
      const p = CANONICAL_PROTECTED.exec(text);
      if (!p || Number(p[1]) !== p[2]!.length || !MODES.includes(p[2]!)) return undefined;
      return verdict(`canonical${armor}`, algorithm, p[2]!, p[4]!);
    }
    const clear = CANONICAL_CLEAR.exec(text);
    if (clear) {
      const algorithm = text.substr(clear[0].length, Number(clear[2]));
      return knownAlgorithm(algorithm) ? clearKey(`canonical${armor}`, clear[1]!.slice(3), algorithm) : undefined;
    }
    const extendedClear = EXTENDED_CLEAR.exec(text);
    if (extendedClear && knownAlgorithm(extendedClear[2]!))
      return clearKey(`extended${armor}`, extendedClear[1]!, extendedClear[2]!);
    const advanced = ADVANCED.exec(text);
    if (advanced && knownAlgorithm(advanced[2]!)) {
      if (advanced[1] !== 'protected-private-key') return clearKey(`advanced${armor}`, advanced[1]!, advanced[2]!);
      return protectedList(text, `advanced${armor}`, advanced[2]!);
    }
    const extended = EXTENDED.exec(text);
    if (!extended) return undefined;
    return protectedList(text, `extended${armor}`, extended[1]!);
  },
});
