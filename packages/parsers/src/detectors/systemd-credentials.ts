/**
 * systemd's encrypted credentials (`systemd-creds encrypt`, the files in
 * /etc/credstore.encrypted, ~/.config/credstore.encrypted and the
 * `SetCredentialEncrypted=` lines it prints with --pretty). The file is
 * base64 text (or the raw bytes) of a binary header: a 128-bit id naming how
 * the AES-256-GCM key was sealed, then the key, block, IV and tag sizes; the
 * credential's name and timestamps are inside the ciphertext.
 * - The host key (/var/lib/systemd/credential.secret), a TPM2 HMAC key sealed
 *   to the machine's TPM (optionally to a signed PCR policy), or both: the key
 *   is not in the file, so encrypted.
 * - The "null" key (`--with-key=null`/`tpm2-absent`, and what the initrd
 *   falls back to without a TPM): a fixed empty key, "no confidentiality" in
 *   systemd's words, so not encrypted; opaque (no general reader).
 * Without this the base64 text was called analysable text.
 * Reference: systemd src/shared/creds-util.h (CRED_AES256_GCM_BY_* ids,
 * struct encrypted_credential_header). Fixtures made by systemd-creds 252
 * (fixtures/systemd-credentials/generate.sh).
 */
import { defineDetector, type Detection, type KeyHint, type Probe } from '@evtriage/core/contract';
import { ascii, fromBase64, hexOf, locked, plain, u32le } from './util.js';

interface Sealing {
  label: string;
  host: boolean;
  tpm2: boolean;
  scoped?: boolean;
}

// The ids as creds-util.h spells them (SD_ID128_MAKE byte order is the on-disk order).
const SEALINGS: ReadonlyMap<string, Sealing> = new Map([
  ['5a1c6a86df9d4096b1d5a65e0862f19a', { label: 'host key', host: true, tpm2: false }],
  ['55b9ed1d38594d43a8319d2ebb332ac6', { label: 'host key, per-user scope', host: true, tpm2: false, scoped: true }],
  ['0c7cc07b117645919c4b0bea08bc20fe', { label: 'TPM2 HMAC key', host: false, tpm2: true }],
  ['faf7eb9341e3412ca1a436f95a29362f', { label: 'TPM2 HMAC key with a signed PCR policy', host: false, tpm2: true }],
  ['93a894094874449090caf2fc93cab553', { label: 'host key and TPM2 HMAC key', host: true, tpm2: true }],
  [
    'ef4ac13679a9480ea7db68897f9f165d',
    { label: 'host key and TPM2 HMAC key, per-user scope', host: true, tpm2: true, scoped: true },
  ],
  [
    'af4950a849134eb1a73846304ff30c05',
    { label: 'host key and TPM2 HMAC key with a signed PCR policy', host: true, tpm2: true },
  ],
  [
    'adbc4ca3efb64201ba881b6f2e4095ea',
    {
      label: 'host key and TPM2 HMAC key with a signed PCR policy, per-user scope',
      host: true,
      tpm2: true,
      scoped: true,
    },
  ],
  ['058469daf6f54324800549da0f8ea2fb', { label: 'null key', host: false, tpm2: false }],
]);

const ids = [...SEALINGS.keys()].map((hex) => Buffer.from(hex, 'hex'));
// base64 of the id's first 15 bytes: 20 characters every base64 credential with that id starts with.
const BASE64_LEADS = ids.map((id) => id.subarray(0, 15).toString('base64'));
const PRETTY = 'SetCredentialEncrypted=';

/** How far into a unit file the first `SetCredentialEncrypted=` line is looked for (its sections come first). */
const UNIT_WINDOW = 16384;
/** A line of a unit file: `[Section]`, `Key=value`, a `#`/`;` comment, an indented continuation, or blank. */
const UNIT_LINE = /^(?:\[[\w .@-]+\]\s*|[A-Za-z][\w.-]*\s*=.*|[#;].*|\s.*|)$/;

/**
 * The binary credential: from the raw head, or decoded from the base64 text (bare or in the --pretty form).
 * `inUnit`: the --pretty line sits in a unit file or drop-in after other lines (`[Service]` first), so the
 * file's other settings are clear.
 */
function credentialBytes(probe: Probe): { bytes: Uint8Array; encoding: string; inUnit: boolean } | undefined {
  const h = probe.head;
  if (SEALINGS.has(hexOf(h, 0, 16))) return { bytes: h, encoding: 'binary', inUnit: false };
  let text = ascii(h, 0, Math.min(h.length, UNIT_WINDOW));
  let encoding = 'base64';
  let line = text.startsWith(PRETTY) ? 0 : text.indexOf(`\n${PRETTY}`) + 1;
  // Only in a unit file: every line before it a section header, a setting, a comment, a continuation or blank
  // (systemd's own CREDENTIALS.md quotes a real credential after prose: a document, not a unit).
  if (
    line > 0 &&
    !text
      .slice(0, line)
      .split(/\r?\n/)
      .every((l) => UNIT_LINE.test(l))
  )
    line = 0;
  if (line > 0 || text.startsWith(PRETTY)) {
    // SetCredentialEncrypted=<name>: \ then indented base64 lines, each ending in " \".
    const colon = text.indexOf(':', line + PRETTY.length);
    if (colon < 0 || colon > line + PRETTY.length + 256) return undefined;
    text = text.slice(colon + 1).replace(/\\\r?\n/g, '');
    encoding =
      line > 0 ? 'base64, SetCredentialEncrypted= line of a unit file' : 'base64, SetCredentialEncrypted= line';
  } else text = text.slice(0, 4096);
  const lead = text.replace(/\s+/g, '').slice(0, 64);
  const bytes = fromBase64(lead);
  return bytes ? { bytes, encoding, inUnit: line > 0 } : undefined;
}

function keyHint(sealing: Sealing): KeyHint {
  const parts = [
    sealing.host
      ? `the host key (/var/lib/systemd/credential.secret${sealing.scoped ? ", combined with the user's identity" : ''})`
      : '',
    sealing.tpm2 ? "an HMAC key sealed to this machine's TPM2 (the TPM must unseal it, under its PCR policy)" : '',
  ].filter(Boolean);
  return {
    description: `systemd-creds decrypt on the machine: ${parts.join(' and ')}.`,
    kind: sealing.tpm2 ? 'hardware' : 'key-file',
    present: 'unknown',
    ...(sealing.host ? { lookFor: ['**/var/lib/systemd/credential.secret'] } : {}),
  };
}

export const systemdCredentialsDetector = defineDetector({
  meta: {
    id: 'systemd-credentials',
    version: '1.0.0',
    title: "systemd's encrypted credentials (systemd-creds encrypt): host key, TPM2 or null key",
    formats: [
      {
        id: 'systemd-credential',
        name: 'systemd encrypted credential',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['cred'],
      },
      {
        id: 'systemd-credential-null-key',
        name: 'systemd credential sealed with the null key',
        status: 'opaque',
        how: 'header-field',
        extensions: ['cred'],
      },
    ],
  },
  signatures: [
    ...ids.map((id) => ({ offset: 0, hex: id.toString('hex') })),
    ...BASE64_LEADS.map((lead) => ({ offset: 0, ascii: lead })),
    { offset: 0, ascii: PRETTY },
    // A unit file or drop-in holding the --pretty line under its [Service] header.
    { offset: 0, ascii: `\n${PRETTY}`, within: UNIT_WINDOW },
  ],
  minSize: 32,
  priority: 20,
  detect(probe): Detection | undefined {
    const found = credentialBytes(probe);
    if (!found || found.bytes.length < 32) return undefined;
    const b = found.bytes;
    const sealing = SEALINGS.get(hexOf(b, 0, 16));
    const field = (at: number): number => u32le(b, at) ?? 0;
    const keySize = field(16);
    const blockSize = field(20);
    const ivSize = field(24);
    const tagSize = field(28);
    // AES-256-GCM as systemd writes it: a 32-byte key, block size 1, a 12-byte IV and a 16-byte tag; allow other sane sizes.
    if (!sealing || keySize !== 32 || blockSize < 1 || blockSize > 64 || ivSize < 1 || ivSize > 64) return undefined;
    if (tagSize < 1 || tagSize > 64) return undefined;
    const figures = { sealing: sealing.label, keySize, ivSize, tagSize, encoding: found.encoding };
    const what = `systemd credential header (${found.encoding}): sealing id ${hexOf(b, 0, 16)} (${sealing.label}), AES-256-GCM with a ${keySize}-byte key, ${ivSize}-byte IV and ${tagSize}-byte tag`;
    if (!sealing.host && !sealing.tpm2)
      return plain('opaque', {
        id: 'systemd-credential-null-key',
        name: 'systemd credential sealed with the null key',
        confidence: 0.95,
        code: 'SYSTEMD_CREDENTIAL_NULL_KEY',
        message: `${what}: the key is derived from an empty secret (systemd-creds --with-key=null, or an initrd without a TPM), so anyone can decrypt it; not encrypted, but no general reader opens it.`,
        figures,
      });
    return locked({
      id: 'systemd-credential',
      name: 'systemd encrypted credential',
      confidence: 0.97,
      code: 'SYSTEMD_CREDENTIAL',
      message: `${what}: the credential's name, timestamps and value are ciphertext under a key derived from the ${sealing.label}${found.inUnit ? "; the unit's other settings are clear" : ''}.`,
      figures,
      scope: found.inUnit ? 'partial' : 'full',
      scheme: `systemd-creds-aes256-gcm-${sealing.host && sealing.tpm2 ? 'host-tpm2' : sealing.tpm2 ? 'tpm2' : 'host'}`,
      keyHint: keyHint(sealing),
    });
  },
});
