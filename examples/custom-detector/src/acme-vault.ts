/**
 * A detector for a made-up app format: ACME Secure Notes vaults (`.acmevault`).
 * The example shows the common shape of a detector for an app's container:
 * a magic signature declared as data, then a few header fields read from the
 * probe to confirm the version and tell a locked vault from an open one.
 *
 * Layout (invented for this example; all integers big-endian):
 *   0  "ACMEVLT\0"  magic, 8 bytes
 *   8  version      1 byte, 1 or 2
 *   9  flags        1 byte, bit 0 = payload encrypted
 *  10  iterations   4 bytes, PBKDF2 rounds (version 2; zero in version 1)
 *  14  salt         16 bytes
 *  30  payload      JSON when open, AES-256-CBC when encrypted
 */
import { defineDetector, type Detection } from '@evtriage/core';

const HEADER_BYTES = 30;

export const acmeVaultDetector = defineDetector({
  meta: {
    id: 'acme-vault',
    version: '1.0.0',
    title: 'ACME Secure Notes vault',
    description:
      'Vault files of the (made-up) ACME Secure Notes app: open vaults hold JSON notes, locked ones AES-256 ciphertext behind a PBKDF2 password.',
    formats: [
      {
        id: 'acme-vault',
        name: 'ACME Secure Notes vault',
        status: 'analysable',
        how: 'header-field',
        extensions: ['acmevault'],
      },
      {
        id: 'acme-vault-encrypted',
        name: 'ACME Secure Notes vault (locked)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['acmevault'],
      },
    ],
  },
  // The engine calls detect() only for files that start with the magic.
  signatures: [{ offset: 0, hex: '41434d45564c5400' }],
  minSize: 8,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h.length < HEADER_BYTES) return undefined; // the magic alone is not a vault
    const version = h[8]!;
    if (version !== 1 && version !== 2) return undefined; // no such version: a look-alike
    const encrypted = (h[9]! & 1) === 1;
    const iterations = ((h[10]! << 24) >>> 0) + (h[11]! << 16) + (h[12]! << 8) + h[13]!;
    const figures = { version, flags: h[9]!, iterations };
    const magic = { code: 'ACME_VAULT_HEADER', message: `ACME vault magic at offset 0, version ${version}.`, figures };
    if (!encrypted) {
      return {
        format: { id: 'acme-vault', name: 'ACME Secure Notes vault' },
        status: 'analysable',
        confidence: 0.97,
        reasons: [magic],
      };
    }
    return {
      format: { id: 'acme-vault-encrypted', name: 'ACME Secure Notes vault (locked)' },
      status: 'encrypted',
      confidence: 0.97,
      reasons: [
        magic,
        {
          code: 'ACME_VAULT_LOCKED',
          message: `Flag bit 0 is set: the notes are encrypted${iterations ? ` (PBKDF2, ${iterations} rounds)` : ''}.`,
          figures,
        },
      ],
      encryption: {
        scheme: version === 1 ? 'acme-vault-v1' : 'acme-vault-v2-aes256',
        scope: 'full',
        keyHint: {
          description: 'The vault password the user types into ACME Secure Notes; it is not stored on the device.',
          kind: 'password',
          present: 'no',
        },
      },
    };
  },
});
