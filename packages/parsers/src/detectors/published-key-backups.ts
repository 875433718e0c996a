/**
 * Device backups "encrypted" with a key every copy of the vendor's software
 * carries, which look like ciphertext to statistics but, by the class
 * conventions, are not encrypted (no secret outside the file is needed):
 * - Ubiquiti UniFi Network controller backups (`.unf`, UniFi OS `.unifi`
 *   network part): a ZIP (version, format, db.gz) encrypted with AES-128-CBC
 *   under the key "bcyangkmluohmars" and IV "ubntenterpriseap" from the
 *   controller's code. The first block decrypts to a ZIP local header.
 * - TP-Link router `config.bin` (TL-WR and Archer families): DES-ECB under
 *   the key 47 8D A5 0B F9 E3 D2 CF from the firmware, over either an MD5 of
 *   the settings followed by the settings as text, or a zlib stream of that.
 * Neither has a header: the check is a trial decryption of the first blocks
 * with the published key, believed only when the plaintext has the
 * structure (a ZIP header, a zlib stream that inflates, an MD5 that matches
 * or lines of settings). Named and opaque (no general reader decrypts them).
 * References: the UniFi key and IV as published in unifi backup decryption
 * write-ups (e.g. zhangyoufu/unifi-backup-decrypt); TP-Link: sta-c0000/
 * tpconf_bin_xml and the config.bin write-ups (DES key, MD5 + settings).
 * Fixtures made with openssl from those layouts (fixtures/published-key-backups/generate.sh).
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { isAsciiTextByte, plain } from './util.js';

const UNIFI_KEY = Buffer.from('bcyangkmluohmars', 'latin1');
const UNIFI_IV = Buffer.from('ubntenterpriseap', 'latin1');
/** DES under key K equals two-key triple DES under K ‖ K (EDE with K1 = K2): Node's OpenSSL 3 lacks single DES. */
const TPLINK_KEY = Buffer.from('478da50bf9e3d2cf478da50bf9e3d2cf', 'hex');

function decrypt(algorithm: string, key: Buffer, iv: Buffer | null, bytes: Uint8Array): Buffer | undefined {
  try {
    const d = crypto.createDecipheriv(algorithm, key, iv);
    d.setAutoPadding(false);
    return Buffer.concat([d.update(bytes), d.final()]);
  } catch {
    return undefined;
  }
}

function unifi(head: Uint8Array, size: number): Detection | undefined {
  if (size % 16 !== 0 || size < 64 || head.length < 32) return undefined;
  const first = decrypt('aes-128-cbc', UNIFI_KEY, UNIFI_IV, head.subarray(0, 32));
  // A ZIP local header: signature, then a "version needed" of 1.0–6.3 and a compression method ZIP knows.
  if (!first || first.readUInt32LE(0) !== 0x04034b50 || first[4]! > 63 || first[5] !== 0) return undefined;
  const method = first.readUInt16LE(8);
  if (![0, 8, 9, 12, 14, 93, 95].includes(method)) return undefined;
  return plain('opaque', {
    id: 'unifi-backup',
    name: 'Ubiquiti UniFi controller backup (.unf), AES with the published key',
    confidence: 0.95,
    code: 'UNIFI_BACKUP_PUBLISHED_KEY',
    message:
      'Decrypting the first blocks with AES-128-CBC under the key and IV published in the UniFi controller ("bcyangkmluohmars", "ubntenterpriseap") gives a ZIP local header: a UniFi backup, not encrypted (the key is in every copy of the software).',
    figures: { zipMethod: method },
  });
}

/** TP-Link settings as text: "name value" lines (or XML), most bytes printable. */
function settingsText(bytes: Uint8Array): boolean {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  const b = bytes.subarray(0, end);
  if (b.length < 32) return false;
  let text = 0;
  for (const c of b) if (isAsciiTextByte(c)) text++;
  if (text < b.length * 0.98) return false;
  const s = Buffer.from(b).toString('latin1');
  return (
    s.startsWith('<?xml') || /^[A-Za-z][A-Za-z0-9_.]{1,40} [^\r\n]*\r?\n[A-Za-z][A-Za-z0-9_.]{1,40}[ \r\n]/.test(s)
  );
}

/**
 * The 16-byte MD5 at the start is that of the rest: the writer padded to DES's 8 bytes (with zeros, or PKCS#5),
 * so each cut up to 8 bytes before the end is tried.
 */
function md5Matches(b: Uint8Array): boolean {
  const digest = b.subarray(0, 16);
  for (let pad = 0; pad <= 8 && b.length - pad > 16; pad++)
    if (
      crypto
        .createHash('md5')
        .update(b.subarray(16, b.length - pad))
        .digest()
        .equals(digest)
    )
      return true;
  return false;
}

function tplink(head: Uint8Array, size: number, complete: boolean): Detection | undefined {
  if (size % 8 !== 0 || size < 48 || head.length < 48) return undefined;
  // Three blocks first: a zlib header at 0, or settings text after the 16-byte MD5.
  const start = decrypt('des-ede-ecb', TPLINK_KEY, null, head.subarray(0, 24));
  if (!start) return undefined;
  const zlibHeader = (start[0]! & 0x0f) === 8 && start[0]! >> 4 <= 7 && ((start[0]! << 8) | start[1]!) % 31 === 0;
  if (!zlibHeader && !start.subarray(16, 24).every(isAsciiTextByte)) return undefined;
  // The probe's head (a whole config up to its size): decrypted only once the first blocks looked right.
  const window = head.subarray(0, head.length & ~7);
  const whole = complete && window.length === head.length;
  const plainBytes = decrypt('des-ede-ecb', TPLINK_KEY, null, window);
  if (!plainBytes) return undefined;
  let layout: string | undefined;
  if (zlibHeader) {
    layout = 'zlib stream of an MD5 and the settings';
    const inflated = inflateStart(plainBytes);
    if (
      !inflated ||
      inflated.length < 48 ||
      !(settingsText(inflated.subarray(16, 16 + 512)) || (whole && md5Matches(inflated)))
    )
      return undefined;
  } else {
    if (!((whole && md5Matches(plainBytes)) || settingsText(plainBytes.subarray(16, 16 + 1024)))) return undefined;
    layout = 'an MD5 and the settings as text';
  }
  return plain('opaque', {
    id: 'tplink-config',
    name: 'TP-Link router configuration backup (config.bin), DES with the published key',
    confidence: 0.93,
    code: 'TPLINK_CONFIG_PUBLISHED_KEY',
    message: `Decrypting with DES-ECB under the key published in TP-Link's firmware (478DA50BF9E3D2CF) gives ${layout}: a TP-Link config.bin, not encrypted (the key is in every copy of the firmware).`,
    figures: { layout: zlibHeader ? 'zlib' : 'md5-text' },
  });
}

/** The start of a zlib stream inflated (a stream cut by the trial window allowed), capped small. */
function inflateStart(bytes: Uint8Array): Buffer | undefined {
  try {
    return zlib.inflateSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: 64 * 1024 });
  } catch {
    return undefined;
  }
}

export const publishedKeyBackupsDetector = defineDetector({
  meta: {
    id: 'published-key-backups',
    version: '1.0.0',
    title: 'Device backups encrypted with a key published in the vendor software (UniFi .unf, TP-Link config.bin)',
    formats: [
      {
        id: 'unifi-backup',
        name: 'Ubiquiti UniFi controller backup (.unf), AES with the published key',
        status: 'opaque',
        how: 'structure',
        extensions: ['unf', 'unifi'],
      },
      {
        id: 'tplink-config',
        name: 'TP-Link router configuration backup (config.bin), DES with the published key',
        status: 'opaque',
        how: 'structure',
        extensions: ['bin'],
      },
    ],
  },
  fallback: true,
  minSize: 48,
  priority: 70,
  detect(probe): Detection | undefined {
    return unifi(probe.head, probe.size) ?? tplink(probe.head, probe.size, probe.complete);
  },
});
