/**
 * GnuPG's secret keys as gpg-agent stores them (GnuPG 2.1+,
 * `~/.gnupg/private-keys-v1.d/<keygrip>.key`): one S-expression per file,
 * either in the extended format (text "Name: value" lines, the key under
 * "Key:") or in the older canonical format (length-prefixed tokens). A key
 * with a passphrase is a `protected-private-key` whose secret parameters sit
 * in a `(protected <mode> ((<hash> <salt> <count>) <iv>) <ciphertext>)` list;
 * a key without one is a clear `private-key` (left to the text detector).
 * GnuPG's own test data keeps such files ASCII-armored (`gpg --enarmor`: a
 * "PGP ARMORED FILE" block whose base64 body is the key file): the body is
 * decoded and read the same way.
 * References: GnuPG agent/keyformat.txt (protected-private-key, the
 * openpgp-s2k3-sha1-aes-cbc and openpgp-s2k3-ocb-aes modes, the extended key
 * format). Fixtures made by gpg (fixtures/gnupg-agent-key/generate.sh).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, dearmor, locked } from './util.js';

const MODES = ['openpgp-s2k3-ocb-aes', 'openpgp-s2k3-sha1-aes-cbc', 'openpgp-native'];
const EXTENDED = /^(?:[A-Za-z][A-Za-z0-9-]*:[^\n]*\n(?:[ \t][^\n]*\n)*)*?Key: *\(protected-private-key *\(([a-z0-9-]+)/;
const EXTENDED_PROTECTED = /\(protected\s+([a-z0-9-]+)\s*\(\((sha1|sha256)\s+#[0-9A-Fa-f\s]+#\s*"?(\d+)/;
const CANONICAL = /^\(21:protected-private-key\((\d+):/;
const CANONICAL_PROTECTED = /\(9:protected(\d+):([a-z0-9-]+)\(\((\d+):(sha1|sha256)/;
/** The first line of `gpg --enarmor` output. */
const ENARMORED = '-----BEGIN PGP ARMORED FILE-----';

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

export const gnupgAgentKeyDetector = defineDetector({
  meta: {
    id: 'gnupg-agent-key',
    version: '1.0.0',
    title: "GnuPG secret keys in gpg-agent's key files (private-keys-v1.d)",
    formats: [
      {
        id: 'gnupg-protected-private-key',
        name: 'GnuPG secret key protected by a passphrase (gpg-agent key file)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['key'],
      },
    ],
    indexPatterns: ['**/.gnupg/pubring.kbx', '**/.gnupg/pubring.gpg'],
  },
  signatures: [
    { offset: 0, ascii: '(21:protected-private-key(' },
    { offset: 0, ascii: 'Key: (protected-private-key', within: 4096 },
    { offset: 0, ascii: ENARMORED },
  ],
  minSize: 40,
  priority: 20,
  detect(probe): Detection | undefined {
    let text = ascii(probe.head);
    let armor = '';
    if (text.startsWith(ENARMORED)) {
      const decoded = dearmor(text, text.indexOf('\n') + 1);
      if (!decoded) return undefined;
      text = ascii(decoded);
      armor = ', ASCII-armored by gpg --enarmor';
    }
    const canonical = CANONICAL.exec(text);
    if (canonical) {
      const algorithm = text.substr(canonical[0].length, Number(canonical[1]));
      const p = CANONICAL_PROTECTED.exec(text);
      if (!p || Number(p[1]) !== p[2]!.length || !MODES.includes(p[2]!)) return undefined;
      return verdict(`canonical${armor}`, algorithm, p[2]!, p[4]!);
    }
    const extended = EXTENDED.exec(text);
    if (!extended) return undefined;
    const p = EXTENDED_PROTECTED.exec(text);
    if (!p || !MODES.includes(p[1]!)) return undefined;
    return verdict(`extended${armor}`, extended[1]!, p[1]!, p[2]!, Number(p[3]));
  },
});
