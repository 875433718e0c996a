/**
 * Exodus secure containers (`seed.seco`, `*.seco` in `exodus.wallet/`): the
 * wallet seed and other secrets of the Exodus desktop wallet, sealed with
 * AES-256-GCM under a key derived by scrypt from the wallet passphrase.
 * The container is self-describing: magic "SECO", version (u32 BE, 0), a
 * version tag ("seco-v0-scrypt-aes"), the writing app's name and version; at
 * 0xE0 a SHA-256 checksum over everything from 0x100 on (metadata, blob
 * length, blob); at 0x100 the metadata (32-byte scrypt salt, n, r, p as
 * u32 BE, the cipher name); at 0x200 the blob length (u32 BE), then the blob.
 * When the probe holds the whole file, the checksum is verified: a mismatch
 * says the copy is damaged, without any key.
 * References: Exodus's secure-container library README ("File Format
 * Description"); hashcat mode 28200 (tools/exodus2hashcat.py).
 */
import { createHash } from 'node:crypto';
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, u32be } from './util.js';

const HEADER_BYTES = 224;
const METADATA_AT = 256;
const BLOB_LENGTH_AT = 512;
const BLOB_AT = 516;

/** A u8-length-prefixed printable string at `at`: [text, next offset], or undefined when it is not one. */
function varString(h: Uint8Array, at: number, max: number): [string, number] | undefined {
  const len = h[at];
  if (len === undefined || len > max || at + 1 + len > HEADER_BYTES) return undefined;
  const text = ascii(h, at + 1, at + 1 + len);
  return /^[\x20-\x7e]*$/.test(text) ? [text, at + 1 + len] : undefined;
}

/** 'match' or 'mismatch' when the whole container is in the probe, else 'not checked'. */
function checksum(h: Uint8Array, complete: boolean): 'match' | 'mismatch' | 'not checked' {
  const len = u32be(h, BLOB_LENGTH_AT);
  if (!complete || len === undefined || BLOB_AT + len > h.length) return 'not checked';
  const digest = createHash('sha256')
    .update(h.subarray(METADATA_AT, BLOB_AT + len))
    .digest();
  return Buffer.from(h.subarray(HEADER_BYTES, METADATA_AT)).equals(digest) ? 'match' : 'mismatch';
}

export const exodusSecoDetector = defineDetector({
  meta: {
    id: 'exodus-seco',
    version: '1.0.0',
    title: 'Exodus wallet secure containers (.seco)',
    formats: [
      {
        id: 'exodus-seco',
        name: 'Exodus secure container (SECO)',
        status: 'encrypted',
        how: 'signature',
        extensions: ['seco'],
      },
    ],
    indexPatterns: ['**/exodus.wallet/passphrase.json'],
  },
  signatures: [{ offset: 0, hex: '5345434f00000000' }],
  minSize: BLOB_AT,
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h.length < BLOB_AT || ascii(h, 0, 4) !== 'SECO' || u32be(h, 4) !== 0) return undefined;
    const tag = varString(h, 12, 64);
    if (!tag || !tag[0].startsWith('seco-')) return undefined;
    const app = varString(h, tag[1], 64);
    const appVersion = app && varString(h, app[1], 64);
    if (!app || !appVersion) return undefined;
    const [n, r, p] = [
      u32be(h, METADATA_AT + 32) ?? 0,
      u32be(h, METADATA_AT + 36) ?? 0,
      u32be(h, METADATA_AT + 40) ?? 0,
    ];
    const cipher = ascii(h, METADATA_AT + 44, METADATA_AT + 76).replace(/\0.*$/s, '');
    const check = checksum(h, probe.complete);
    const written = app[0] ? ` written by ${app[0]} ${appVersion[0]}`.trimEnd() : '';
    return locked({
      id: 'exodus-seco',
      name: 'Exodus secure container (SECO)',
      confidence: check === 'mismatch' ? 0.9 : 0.98,
      code: 'SECO_HEADER',
      message:
        `SECO container version 0, tag ${tag[0]}${written}; cipher ${cipher || 'unnamed'}, key from scrypt (n=${n}, r=${r}, p=${p}); ` +
        (check === 'not checked'
          ? 'checksum not checked (the file is larger than the probe).'
          : check === 'match'
            ? 'the SHA-256 checksum over metadata and blob matches.'
            : 'the SHA-256 checksum does NOT match: a damaged or partial copy.'),
      figures: { versionTag: tag[0], app: app[0], appVersion: appVersion[0], cipher, n, r, p, checksum: check },
      scheme: `${tag[0]}-${cipher || 'unknown'}`,
      keyHint: {
        description:
          'The Exodus wallet passphrase (each guess costs one scrypt run); a wallet without a user password keeps its passphrase in clear in exodus.wallet/passphrase.json.',
        kind: 'password',
        present: 'unknown',
        lookFor: ['**/exodus.wallet/passphrase.json'],
      },
    });
  },
});
