/**
 * Binary configuration backups of home and small-office routers, as a
 * computer's Downloads folder keeps them:
 * - MikroTik RouterOS `.backup` (`/system backup save`): a little-endian magic
 *   and the file's length, then the `/flash/rw/store` .idx/.dat pairs in
 *   clear (magic 0xB1A1AC88), or the same body encrypted with a password:
 *   RC4 keyed by SHA-1(salt ‖ password) (magic 0x7291A8EF, RouterOS 6.13+) or
 *   AES-128-CTR keyed by SHA-256(salt ‖ password) with an HMAC-SHA256
 *   signature (magic 0x7391A8EF, 6.43+). The plain form is opaque: only
 *   RouterOS (or the reverse-engineered tools) reads it.
 * - ASUS (Asuswrt, and FreshTomato on ARM) `Settings_<model>.CFG`: "HDR2" (or "N55U"/"AC55U") and a
 *   24-bit length whose top byte is a random key; the NUL-separated nvram
 *   `name=value` pairs are obfuscated with that key byte. The key is in the
 *   file, so it is not encrypted (class conventions); "HDR1" keeps them clear.
 *   Opaque: no general reader decodes it.
 * - DD-WRT `nvrambak.bin` (Administration › Backup): "DD-WRT", a 16-bit
 *   count, then length-prefixed names and values in clear. Opaque.
 * References: BigNerd95/RouterOS-Backup-Tools README (header layouts);
 * Asuswrt-Merlin nvram/nvram_linux.c (HDR2 encoding); DD-WRT
 * services/sysinit nvram backup (the "DD-WRT" record layout).
 * Fixtures written from those layouts (fixtures/router-backups/generate.sh).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, passwordHint, plain } from './util.js';

const MIKROTIK_PLAIN = 0xb1a1ac88;
const MIKROTIK_RC4 = 0x7291a8ef;
const MIKROTIK_AES = 0x7391a8ef;

const u32 = (b: Uint8Array, at: number) =>
  at + 4 <= b.length ? (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0 : undefined;

/** A store file's name as RouterOS writes it (`user`, `net/devices`, `lcdstat`): short, printable, no spaces. */
function storeName(b: Uint8Array, at: number, length: number): string | undefined {
  if (length < 1 || length > 128 || at + length > b.length) return undefined;
  let name = '';
  for (let i = at; i < at + length; i++) {
    const c = b[i]!;
    if (c <= 0x20 || c >= 0x7f) return undefined;
    name += String.fromCharCode(c);
  }
  return name;
}

function mikrotik(head: Uint8Array, size: number): Detection | undefined {
  const magic = u32(head, 0);
  // The header's length field is the file's own length: a strong check on a four-byte magic.
  if (u32(head, 4) !== size) return undefined;
  if (magic === MIKROTIK_PLAIN) {
    if (size === 8) return undefined;
    // The first store pair: name length, name, then an .idx of 12-byte entries that fits in the file.
    const name = storeName(head, 12, u32(head, 8) ?? 0);
    const idx = name === undefined ? undefined : u32(head, 12 + name.length);
    if (name === undefined || idx === undefined || idx % 12 !== 0 || 16 + name.length + idx > size) return undefined;
    return plain('opaque', {
      id: 'mikrotik-backup',
      name: 'MikroTik RouterOS backup (.backup)',
      confidence: 0.95,
      code: 'MIKROTIK_BACKUP_PLAIN',
      message: `RouterOS backup: magic 0xB1A1AC88 and the file's length (${size}) in the header, then the store's .idx/.dat pairs in clear (first "${name}"); not encrypted, read only by RouterOS or its backup tools.`,
      figures: { firstStore: name },
    });
  }
  const rc4 = magic === MIKROTIK_RC4;
  if (!rc4 && magic !== MIKROTIK_AES) return undefined;
  // Salt (32), [HMAC-SHA256 signature (32)], the encrypted magic check (4), then the encrypted body.
  if (size < (rc4 ? 44 : 76)) return undefined;
  return locked({
    id: 'mikrotik-backup-encrypted',
    name: 'MikroTik RouterOS backup encrypted with a password (.backup)',
    confidence: 0.96,
    code: 'MIKROTIK_BACKUP_ENCRYPTED',
    message: rc4
      ? `RouterOS backup: magic 0x7291A8EF and the file's length (${size}): body encrypted with RC4 keyed by SHA-1 of a 32-byte salt and the backup password.`
      : `RouterOS backup: magic 0x7391A8EF and the file's length (${size}): body encrypted with AES-128-CTR keyed by SHA-256 of a 32-byte salt and the backup password, signed with HMAC-SHA256.`,
    scheme: rc4 ? 'mikrotik-backup-rc4-sha1' : 'mikrotik-backup-aes128-ctr-sha256',
    keyHint: passwordHint(
      "The password given to `/system backup save password=…` (from RouterOS 6.43, a backup saved without one is encrypted with the saving user's password unless dont-encrypt=yes). An encrypted magic check at the start lets a guess be tested cheaply.",
    ),
    figures: { cipher: rc4 ? 'RC4' : 'AES-128-CTR' },
  });
}

/** An nvram variable name as Asuswrt and DD-WRT use them (`lan_ipaddr`, `wl0.1_ssid`, `http_passwd`). */
const NVRAM_NAME = /^[A-Za-z0-9_.:-]{2,64}$/;

/** The first `name=value` pairs of an nvram dump (NUL-separated), decoded by `byteAt`; at least 3 must hold. */
function nvramPairs(length: number, byteAt: (i: number) => number): string[] | undefined {
  const names: string[] = [];
  let pair = '';
  for (let i = 0; i < length && names.length < 4; i++) {
    const c = byteAt(i);
    if (c !== 0) {
      if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return undefined;
      if (pair.length < 4096) pair += String.fromCharCode(c);
      continue;
    }
    if (pair === '') break;
    const eq = pair.indexOf('=');
    if (eq < 0 || !NVRAM_NAME.test(pair.slice(0, eq))) return undefined;
    names.push(pair.slice(0, eq));
    pair = '';
  }
  return names.length >= 3 ? names : undefined;
}

function asus(head: Uint8Array, size: number): Detection | undefined {
  const magic = String.fromCharCode(...head.subarray(0, 4));
  const ac55u = magic === 'AC55' && head[4] === 0x55;
  if (magic !== 'HDR1' && magic !== 'HDR2' && magic !== 'N55U' && !ac55u) return undefined;
  const at = ac55u ? 9 : 8;
  const word = u32(head, at - 4) ?? 0;
  const length = magic === 'HDR1' ? word : word & 0xffffff;
  const key = magic === 'HDR1' ? 0 : word >>> 24;
  if (length < 16 || length > size - at) return undefined;
  const available = Math.min(length, head.length - at);
  // HDR2: a NUL became 0xFD–0xFF, any other byte c became 0xFF − c + key.
  const names = nvramPairs(available, (i) => {
    const b = head[at + i]!;
    if (magic === 'HDR1') return b;
    return b >= 0xfd ? 0 : (0xff - b + key) & 0xff;
  });
  if (!names) return undefined;
  return plain('opaque', {
    id: 'asus-nvram-cfg',
    name: 'Asuswrt/Tomato router settings backup (Settings_*.CFG, nvram)',
    confidence: 0.94,
    code: 'ASUS_NVRAM_CFG',
    message:
      magic === 'HDR1'
        ? `Asuswrt settings backup: "HDR1", the length (${length}), then nvram name=value pairs in clear (${names.join(', ')}, …).`
        : `Asuswrt settings backup: "${ac55u ? 'AC55U' : magic}", the length (${length}) and a key byte (${key}) in the header; the nvram name=value pairs (${names.join(', ')}, …) are obfuscated with that byte, which the file itself gives: not encrypted.`,
    figures: { magic: ac55u ? 'AC55U' : magic, length, keyByte: key, firstName: names[0]! },
  });
}

/** DD-WRT's records with 16-bit counts and lengths in one byte order (the router's own: x86/ARM little, MIPS big). */
function ddwrtRecords(head: Uint8Array, size: number, big: boolean): { count: number; names: string[] } | undefined {
  const u16at = (at: number) =>
    at + 2 <= head.length ? (big ? (head[at]! << 8) | head[at + 1]! : head[at]! | (head[at + 1]! << 8)) : undefined;
  const count = u16at(6) ?? 0;
  if (count === 0) return undefined;
  let at = 8;
  const names: string[] = [];
  // Each record: u8 name length, the name, u16 value length, the value; the first ones must fit the file.
  for (let n = 0; n < Math.min(count, 8) && at < head.length; n++) {
    const nameLength = head[at]!;
    const name = storeName(head, at + 1, nameLength);
    const valueLength = u16at(at + 1 + nameLength);
    if (name === undefined || !NVRAM_NAME.test(name) || valueLength === undefined) return undefined;
    at += 3 + nameLength + valueLength;
    if (at > size) return undefined;
    names.push(name);
  }
  return names.length >= Math.min(count, 2) ? { count, names } : undefined;
}

function ddwrt(head: Uint8Array, size: number): Detection | undefined {
  if (String.fromCharCode(...head.subarray(0, 6)) !== 'DD-WRT') return undefined;
  const records = ddwrtRecords(head, size, false) ?? ddwrtRecords(head, size, true);
  if (!records) return undefined;
  const { count, names } = records;
  return plain('opaque', {
    id: 'ddwrt-nvram-backup',
    name: 'DD-WRT nvram backup (nvrambak.bin)',
    confidence: 0.94,
    code: 'DDWRT_NVRAM_BACKUP',
    message: `DD-WRT nvram backup: "DD-WRT", ${count} variables, length-prefixed names and values in clear (${names.slice(0, 4).join(', ')}, …); not encrypted.`,
    figures: { count, firstName: names[0]! },
  });
}

export const routerBackupsDetector = defineDetector({
  meta: {
    id: 'router-backups',
    version: '1.0.0',
    title: 'Router configuration backups (MikroTik .backup, ASUS Settings .CFG, DD-WRT nvrambak.bin)',
    formats: [
      {
        id: 'mikrotik-backup',
        name: 'MikroTik RouterOS backup (.backup)',
        status: 'opaque',
        how: 'structure',
        extensions: ['backup'],
      },
      {
        id: 'mikrotik-backup-encrypted',
        name: 'MikroTik RouterOS backup encrypted with a password (.backup)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['backup'],
      },
      {
        id: 'asus-nvram-cfg',
        name: 'Asuswrt/Tomato router settings backup (Settings_*.CFG, nvram)',
        status: 'opaque',
        how: 'structure',
        extensions: ['cfg'],
      },
      {
        id: 'ddwrt-nvram-backup',
        name: 'DD-WRT nvram backup (nvrambak.bin)',
        status: 'opaque',
        how: 'structure',
        extensions: ['bin'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: '88aca1b1' },
    { offset: 0, hex: 'efa89172' },
    { offset: 0, hex: 'efa89173' },
    { offset: 0, ascii: 'HDR1' },
    { offset: 0, ascii: 'HDR2' },
    { offset: 0, ascii: 'N55U' },
    { offset: 0, ascii: 'AC55U' },
    { offset: 0, ascii: 'DD-WRT' },
  ],
  minSize: 8,
  priority: 30,
  detect(probe): Detection | undefined {
    const { head, size } = probe;
    return mikrotik(head, size) ?? asus(head, size) ?? ddwrt(head, size);
  },
});
