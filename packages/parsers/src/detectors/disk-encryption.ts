/**
 * Encrypted volumes and containers with a header in clear: LUKS1 and LUKS2
 * (cipher, key slots, UUID, label), BitLocker (-FVE-FS-), FileVault 2 /
 * CoreStorage (encryption method in the volume header), APFS containers that
 * hold a keybag (some volume is encrypted), QCOW2 images with crypt_method set,
 * and BitLocker external key files (.BEK), which hold a key in clear and are
 * opaque key material, not encrypted.
 * Apple encrypted disk images (encrcdsa) too.
 * References: LUKS1 On-Disk Format Specification 1.2.3 §2.4; LUKS2 On-Disk
 * Format Specification §2-3; libbde documentation (BitLocker Drive Encryption
 * format, FVE metadata and startup key files); libfvde documentation
 * (CoreStorage volume header); Apple File System Reference (nx_superblock_t,
 * nx_keylocker); QEMU docs/interop/qcow2.txt (crypt_method), block/qcow.c (QCOW1); FreeBSD
 * sys/geom/eli/g_eli.h (metadata "GEOM::ELI" in the provider's last sector);
 * OpenBSD sys/dev/softraidvar.h (metadata at block 16, magic "marcCRAM",
 * level 'C' for crypto); dmg2john / vfdecrypt (v1 trailer "cdsaencr");
 * Android system/vold cryptfs.h (crypt footer magic 0xD0B5B1C4); eCryptfs
 * fs/ecryptfs/ecryptfs_kernel.h (MAGIC_ECRYPTFS_MARKER 0x3c81b7f5 XORed into
 * the two words after the plaintext size); BestCrypt 8 db_header.h as JtR
 * bestcrypt2john documents it ("LOCOS94 " at 3, "BC_KeyGenID" at 43, algorithm,
 * mode and hash ids at 128).
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { ascii, hexOf, locked, plain, startsWith, u16be, u16le, u32be, u32le, u64be, u64le } from './util.js';

const LUKS_MAGIC = Uint8Array.from([0x4c, 0x55, 0x4b, 0x53, 0xba, 0xbe]);
const cstr = (b: Uint8Array, start: number, len: number) =>
  ascii(b, start, start + len)
    .split('\0')[0]!
    .trim();

const luksHint: KeyHint = {
  description: 'A passphrase or key file for one of the active key slots (or the volume key from a header backup).',
  kind: 'password',
  present: 'unknown',
};

function luks1(h: Uint8Array): Detection {
  const cipher = cstr(h, 8, 32);
  const mode = cstr(h, 40, 32);
  const hash = cstr(h, 72, 32);
  const keyBytes = u32be(h, 108) ?? 0;
  const uuid = cstr(h, 168, 40);
  let active = 0;
  for (let i = 0; i < 8; i++) if (u32be(h, 208 + i * 48) === 0x00ac71f3) active++;
  return locked({
    id: 'luks1',
    name: 'LUKS1 encrypted volume',
    confidence: 0.99,
    code: 'LUKS1_HEADER',
    message: `LUKS1 header: cipher ${cipher}-${mode}, ${keyBytes * 8}-bit key, hash ${hash}, ${active} active key slot(s), UUID ${uuid}${cipher === 'cipher_null' ? ' (cipher_null: the header says encrypted although the data is not transformed)' : ''}.`,
    figures: { cipher, mode, hash, keyBits: keyBytes * 8, activeKeySlots: active, uuid },
    scheme: `luks1-${cipher}-${mode}`,
    keyHint: luksHint,
  });
}

function luks2(h: Uint8Array): Detection {
  const label = cstr(h, 24, 48);
  const uuid = cstr(h, 168, 40);
  const headerSize = u64be(h, 8) ?? 0;
  let encryption = 'unknown';
  let keyslots = 0;
  const jsonEnd = Math.min(h.length, headerSize || h.length);
  if (h.length > 4096) {
    const raw = ascii(h, 4096, jsonEnd).split('\0')[0]!;
    try {
      const meta = JSON.parse(raw) as {
        keyslots?: Record<string, unknown>;
        segments?: Record<string, { encryption?: string }>;
      };
      keyslots = Object.keys(meta.keyslots ?? {}).length;
      encryption = Object.values(meta.segments ?? {})[0]?.encryption ?? 'unknown';
    } catch {
      encryption = /"encryption"\s*:\s*"([^"]+)"/.exec(raw)?.[1] ?? 'unknown';
    }
  }
  return locked({
    id: 'luks2',
    name: 'LUKS2 encrypted volume',
    confidence: 0.99,
    code: 'LUKS2_HEADER',
    message: `LUKS2 header${label ? ` labelled "${label}"` : ''}, UUID ${uuid}${encryption !== 'unknown' ? `, segment encryption ${encryption}` : ''}${keyslots ? `, ${keyslots} key slot(s)` : ''}.`,
    figures: { label, uuid, encryption, keySlots: keyslots, headerSize },
    scheme: `luks2-${encryption}`,
    keyHint: luksHint,
  });
}

/** The BitLocker identifier as stored (mixed-endian GUID {4967d63b-2e29-4ad8-8399-f6a339e3d001}). */
const BITLOCKER_GUID = '3bd66749292ed84a8399f6a339e3d001';

const BITLOCKER_KEY: KeyHint = {
  description:
    'The user password, the 48-digit recovery password, a startup key file (.BEK) or the TPM of the original machine.',
  kind: 'password',
  present: 'unknown',
  lookFor: ['**/*.BEK', '**/*.bek', '**/BitLocker Recovery Key*.txt'],
};

export const diskEncryptionDetector = defineDetector({
  meta: {
    id: 'disk-encryption',
    version: '1.2.0',
    title: 'Encrypted volumes with a clear header (LUKS, BitLocker, FileVault 2, APFS, QCOW2)',
    formats: [
      {
        id: 'luks1',
        name: 'LUKS1 encrypted volume',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['img', 'luks', 'bin', 'raw', 'dd'],
      },
      {
        id: 'luks2',
        name: 'LUKS2 encrypted volume',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['img', 'luks', 'bin', 'raw', 'dd'],
      },
      {
        id: 'dmg-encrypted',
        name: 'Apple encrypted disk image',
        status: 'encrypted',
        how: 'signature',
        extensions: ['dmg', 'sparseimage', 'sparsebundle', 'img'],
      },
      {
        id: 'bitlocker',
        name: 'BitLocker encrypted volume',
        status: 'encrypted',
        how: 'signature',
        extensions: ['img', 'raw', 'dd', 'bin', 'vhd'],
      },
      {
        id: 'bitlocker-bek',
        name: 'BitLocker external key file (key in clear)',
        status: 'opaque',
        how: 'structure',
        extensions: ['bek'],
      },
      {
        id: 'fvde',
        name: 'FileVault 2 / CoreStorage encrypted volume',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['img', 'raw', 'dd', 'dmg', 'bin'],
      },
      { id: 'corestorage', name: 'CoreStorage volume (not encrypted)', status: 'analysable', how: 'header-field' },
      {
        id: 'apfs',
        name: 'APFS container',
        status: 'analysable',
        how: 'signature',
        extensions: ['img', 'raw', 'dd', 'dmg', 'bin', 'apfs'],
      },
      {
        id: 'apfs-encrypted',
        name: 'APFS container with a keybag (encrypted volumes suspected)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['img', 'raw', 'dd', 'dmg', 'bin', 'apfs'],
      },
      {
        id: 'geli',
        name: 'FreeBSD GELI encrypted provider',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['img', 'raw', 'dd', 'eli'],
      },
      {
        id: 'softraid-crypto',
        name: 'OpenBSD softraid CRYPTO volume',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['img', 'raw', 'dd'],
      },
      {
        id: 'softraid',
        name: 'OpenBSD softraid volume (not CRYPTO)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['img', 'raw', 'dd'],
      },
      {
        id: 'android-fde-footer',
        name: 'Android full-disk-encryption crypto footer',
        status: 'encrypted',
        how: 'signature',
      },
      {
        id: 'bestcrypt',
        name: 'Jetico BestCrypt container',
        status: 'encrypted',
        how: 'signature',
        extensions: ['jbc'],
      },
      {
        id: 'ecryptfs-file',
        name: 'eCryptfs encrypted file (lower file)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['ecryptfs'],
      },
      {
        id: 'qcow2',
        name: 'QCOW2 disk image',
        status: 'analysable',
        how: 'header-field',
        extensions: ['qcow2', 'qcow', 'img'],
      },
      {
        id: 'qcow2-encrypted',
        name: 'QCOW2 disk image, encrypted',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['qcow2', 'qcow', 'img'],
      },
    ],
  },
  minSize: 64,
  priority: 15,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (startsWith(h, LUKS_MAGIC)) {
      const version = u16be(h, 6);
      if (version === 1) return luks1(h);
      if (version === 2) return luks2(h);
      return undefined;
    }
    const more = moreVolumes(probe.head, probe.tail, probe.size, probe.complete);
    if (more) return more;
    if (startsWith(h, 'encrcdsa')) {
      return locked({
        id: 'dmg-encrypted',
        name: 'Apple encrypted disk image',
        confidence: 0.97,
        code: 'DMG_ENCRCDSA',
        message: `"encrcdsa" header (version ${u32be(h, 8) ?? 0}): an encrypted Apple disk image (AES; key wrapped by a password-derived key or a certificate).`,
        figures: { version: u32be(h, 8) ?? 0 },
        scheme: 'dmg-aes',
        keyHint: {
          description: 'The disk image password (or the private key of a certificate it was encrypted to).',
          kind: 'password',
          present: 'unknown',
        },
      });
    }
    if (ascii(h, 3, 11) === '-FVE-FS-') {
      return locked({
        id: 'bitlocker',
        name: 'BitLocker encrypted volume',
        confidence: 0.98,
        code: 'BITLOCKER_SIGNATURE',
        message:
          'Volume boot record with the BitLocker signature "-FVE-FS-" at offset 3: the volume is BitLocker-encrypted.',
        scheme: 'bitlocker',
        keyHint: BITLOCKER_KEY,
      });
    }
    // BitLocker To Go: a FAT32 "discovery volume" (readable by old Windows, holding the reader program) whose boot
    // sector carries the BitLocker identifier GUID at 424, followed by the three FVE metadata offsets.
    if (ascii(h, 3, 11) === 'MSWIN4.1' && hexOf(h, 424, 440) === BITLOCKER_GUID) {
      const offsets = [u64le(h, 440), u64le(h, 448), u64le(h, 456)];
      return locked({
        id: 'bitlocker',
        name: 'BitLocker encrypted volume',
        confidence: 0.97,
        code: 'BITLOCKER_TO_GO',
        message: `FAT32 discovery-volume boot sector ("MSWIN4.1") carrying the BitLocker identifier {4967d63b-2e29-4ad8-8399-f6a339e3d001} at offset 424 and FVE metadata at ${offsets.map((o) => o ?? '?').join(', ')}: a BitLocker To Go volume; the FAT32 part is only the reader, the data is encrypted.`,
        figures: { fveMetadataOffset: offsets[0] ?? 0 },
        scheme: 'bitlocker',
        keyHint: BITLOCKER_KEY,
      });
    }
    // BitLocker startup key file: an FVE metadata block whose size fields equal the file size.
    if (
      u32le(h, 0) === probe.size &&
      u32le(h, 4) === 1 &&
      u32le(h, 8) === 0x30 &&
      u32le(h, 12) === probe.size &&
      probe.size < 4096
    ) {
      return plain('opaque', {
        id: 'bitlocker-bek',
        name: 'BitLocker external key file (key in clear)',
        confidence: 0.93,
        code: 'BITLOCKER_STARTUP_KEY',
        message: `BitLocker external key: an FVE metadata block of ${probe.size} bytes (version 1) holding a startup key in clear; key material for a BitLocker volume, not itself encrypted.`,
        figures: { size: probe.size },
      });
    }
    // "CS" and version 1 are four bytes other files hold by chance (a Java class's constant pool did): the block
    // header's version 1 and block type 0x10 at 8 and 10, and an encryption method CoreStorage defines, must agree.
    const method = u32le(h, 172) ?? 0;
    if (
      ascii(h, 88, 90) === 'CS' &&
      u16le(h, 90) === 1 &&
      u16le(h, 8) === 1 &&
      u16le(h, 10) === 0x10 &&
      (method === 0 || method === 1 || method === 2)
    ) {
      if (method === 2) {
        return locked({
          id: 'fvde',
          name: 'FileVault 2 / CoreStorage encrypted volume',
          confidence: 0.95,
          code: 'CORESTORAGE_ENCRYPTED',
          message:
            'CoreStorage physical volume header ("CS", version 1) with encryption method 2 (AES-XTS): a FileVault 2 volume.',
          figures: { encryptionMethod: method },
          scheme: 'fvde-aes-xts',
          keyHint: {
            description: "A user's login password, the FileVault recovery key, or the institutional recovery keychain.",
            kind: 'password',
            present: 'unknown',
          },
        });
      }
      return plain('analysable', {
        id: 'corestorage',
        name: 'CoreStorage volume (not encrypted)',
        confidence: 0.85,
        code: 'CORESTORAGE_CLEAR',
        message: `CoreStorage physical volume header with encryption method ${method}.`,
        figures: { encryptionMethod: method },
      });
    }
    if (ascii(h, 32, 36) === 'NXSB') {
      const keylockerBlocks = u64le(h, 1304) ?? 0;
      const flags = u64le(h, 1264) ?? 0;
      if (keylockerBlocks > 0) {
        return locked({
          id: 'apfs-encrypted',
          name: 'APFS container with a keybag (encrypted volumes suspected)',
          confidence: 0.6,
          code: 'APFS_KEYBAG_PRESENT',
          message: `APFS container superblock with a container keybag (nx_keylocker, ${keylockerBlocks} block(s)): at least one volume is probably encrypted (FileVault or iOS data protection).`,
          figures: { keylockerBlocks, softwareCrypto: (flags & 4) !== 0 },
          scheme: 'apfs',
          scope: 'partial',
          keyHint: {
            description:
              "A user's password or the recovery key (macOS); on iOS the device's hardware UID and passcode.",
            kind: 'password',
            present: 'unknown',
          },
        });
      }
      return plain('analysable', {
        id: 'apfs',
        name: 'APFS container',
        confidence: 0.9,
        code: 'APFS_NO_KEYBAG',
        message: 'APFS container superblock ("NXSB") with no container keybag: no volume is encrypted.',
      });
    }
    if (startsWith(h, 'QFI\xfb')) {
      const version = u32be(h, 4) ?? 0;
      // QCOW version 1 has a 32-bit mtime before the size, so its crypt_method sits 4 bytes later (QEMU block/qcow.c).
      const crypt = u32be(h, version === 1 ? 36 : 32) ?? 0;
      if (crypt === 1 || crypt === 2) {
        return locked({
          id: 'qcow2-encrypted',
          name: 'QCOW2 disk image, encrypted',
          confidence: 0.97,
          code: 'QCOW2_CRYPT_METHOD',
          message: `QCOW${version} header with crypt_method ${crypt} (${crypt === 1 ? 'legacy AES' : 'LUKS'}).`,
          figures: { version, cryptMethod: crypt },
          scheme: crypt === 1 ? 'qcow2-aes' : 'qcow2-luks',
          keyHint: { description: 'The image passphrase (QEMU secret).', kind: 'password', present: 'unknown' },
        });
      }
      return plain('analysable', {
        id: 'qcow2',
        name: 'QCOW2 disk image',
        confidence: 0.95,
        code: 'QCOW2_HEADER',
        message: `QCOW${version} header with crypt_method 0 (not encrypted).`,
        figures: { version, cryptMethod: crypt },
      });
    }
    return undefined;
  },
});

const ECRYPTFS_MARKER = 0x3c81b7f5;
const SOFTRAID_OFFSET = 16 * 512;

/** GELI, OpenBSD softraid, old DMG (cdsaencr trailer), the Android FDE footer and eCryptfs lower files. */
function moreVolumes(h: Uint8Array, tail: Uint8Array, size: number, complete: boolean): Detection | undefined {
  const end = complete ? h : tail;
  const lastSector = end.length >= 512 && size % 512 === 0 ? end.subarray(end.length - 512) : undefined;
  if (lastSector && startsWith(lastSector, 'GEOM::ELI')) {
    const version = u32le(lastSector, 16) ?? 0;
    const flags = u32le(lastSector, 20) ?? 0;
    const keyBits = u16le(lastSector, 26) ?? 0;
    return locked({
      id: 'geli',
      name: 'FreeBSD GELI encrypted provider',
      confidence: 0.96,
      code: 'GELI_METADATA',
      message: `GELI metadata ("GEOM::ELI", version ${version}, ${keyBits}-bit key, flags 0x${flags.toString(16)}) in the last sector: the provider is encrypted; its master key is wrapped by a passphrase and/or key files.`,
      figures: { version, keyBits, flags },
      scheme: 'geli',
      keyHint: {
        description: 'The GELI passphrase and/or key file(s) given to geli attach (-k), or the boot-time passphrase.',
        kind: 'password',
        present: 'unknown',
      },
    });
  }
  if (ascii(h, 3, 11) === 'LOCOS94 ' && ascii(h, 43, 54) === 'BC_KeyGenID') {
    const alg = u32le(h, 128) ?? 0;
    const mode = u32le(h, 132) ?? 0;
    const modes: Record<number, string> = {
      0xbc000001: 'lrw',
      0xbc000002: 'cbc',
      0xbc000004: 'xts',
      0xbc000008: 'ecb',
    };
    const cipher = alg === 240 ? 'aes' : `alg-${alg}`;
    return locked({
      id: 'bestcrypt',
      name: 'Jetico BestCrypt container',
      confidence: 0.96,
      code: 'BESTCRYPT_HEADER',
      message: `BestCrypt container header ("LOCOS94 ", key generator "BC_KeyGenID", ${cipher}-${modes[mode] ?? 'unknown mode'}): the volume key is wrapped in key slots opened by a password or key file.`,
      figures: { algorithm: alg, mode: modes[mode] ?? mode },
      scheme: `bestcrypt-${cipher}-${modes[mode] ?? 'unknown'}`,
      keyHint: {
        description: 'The BestCrypt container password (or its key file / public key).',
        kind: 'password',
        present: 'unknown',
      },
    });
  }
  if (end.length >= 8 && ascii(end, end.length - 8, end.length) === 'cdsaencr') {
    return locked({
      id: 'dmg-encrypted',
      name: 'Apple encrypted disk image',
      confidence: 0.95,
      code: 'DMG_CDSAENCR_TRAILER',
      message:
        '"cdsaencr" at the end of the file: an Apple encrypted disk image with the version 1 trailer (older Disk Utility).',
      scheme: 'dmg-v1',
      keyHint: { description: 'The disk image password.', kind: 'password', present: 'unknown' },
    });
  }
  if (h.length >= SOFTRAID_OFFSET + 64 && ascii(h, SOFTRAID_OFFSET, SOFTRAID_OFFSET + 8) === 'marcCRAM') {
    const level = u32le(h, SOFTRAID_OFFSET + 52) ?? 0;
    const version = u32le(h, SOFTRAID_OFFSET + 8) ?? 0;
    if (level === 0x43) {
      return locked({
        id: 'softraid-crypto',
        name: 'OpenBSD softraid CRYPTO volume',
        confidence: 0.95,
        code: 'SOFTRAID_CRYPTO',
        message: `OpenBSD softraid metadata ("marcCRAM", version ${version}) at block 16 with RAID level 'C' (CRYPTO): the volume is encrypted with a mask key wrapped by the passphrase or a key disk.`,
        figures: { version, level: 'C' },
        scheme: 'softraid-crypto-aes-xts',
        keyHint: {
          description: 'The bioctl passphrase, or the key disk (a softraid KEYDISK chunk).',
          kind: 'password',
          present: 'unknown',
        },
      });
    }
    return plain('analysable', {
      id: 'softraid',
      name: 'OpenBSD softraid volume (not CRYPTO)',
      confidence: 0.85,
      code: 'SOFTRAID_NOT_CRYPTO',
      message: `OpenBSD softraid metadata ("marcCRAM", version ${version}) with RAID level ${level}: not an encrypted volume.`,
      figures: { version, level },
    });
  }
  if (u32le(h, 0) === 0xd0b5b1c4 && (u16le(h, 4) ?? 9) <= 1) {
    const major = u16le(h, 4) ?? 0;
    const minor = u16le(h, 6) ?? 0;
    const keyBytes = u32le(h, 16) ?? 0;
    const cipher = ascii(h, 0x24, 0x64)
      .split('\0')[0]!
      .replace(/[^ -~]/g, '');
    return locked({
      id: 'android-fde-footer',
      name: 'Android full-disk-encryption crypto footer',
      confidence: 0.93,
      code: 'ANDROID_FDE_FOOTER',
      message: `Android cryptfs footer (magic 0xD0B5B1C4, version ${major}.${minor}, ${keyBytes * 8}-bit key${cipher ? `, ${cipher}` : ''}): the encrypted master key of a full-disk-encrypted userdata partition.`,
      figures: { major, minor, keyBits: keyBytes * 8, cipher },
      scheme: `android-fde${cipher ? `-${cipher}` : ''}`,
      keyHint: {
        description:
          "The device's lock-screen PIN, pattern or password (or 'default_password'), combined with the hardware-bound key on newer versions.",
        kind: 'password',
        present: 'unknown',
      },
    });
  }
  const m1 = u32be(h, 8);
  const m2 = u32be(h, 12);
  if (
    m1 !== undefined &&
    m2 !== undefined &&
    (m1 ^ m2) >>> 0 === ECRYPTFS_MARKER &&
    size >= 8192 &&
    (u32be(h, 0) ?? 1) === 0
  ) {
    const plainSize = (u32be(h, 0) ?? 0) * 0x1_0000_0000 + (u32be(h, 4) ?? 0);
    const version = h[16] ?? 0;
    return locked({
      id: 'ecryptfs-file',
      name: 'eCryptfs encrypted file (lower file)',
      confidence: 0.95,
      code: 'ECRYPTFS_MARKER',
      message: `eCryptfs header: plaintext size ${plainSize} bytes, the marker words XOR to 0x3C81B7F5, header version ${version}: the file key is wrapped with the mount passphrase's key.`,
      figures: { plainSize, version },
      scheme: 'ecryptfs',
      keyHint: {
        description:
          'The eCryptfs mount passphrase, unwrapped with the login password from ~/.ecryptfs/wrapped-passphrase.',
        kind: 'password',
        present: 'unknown',
        lookFor: ['**/.ecryptfs/wrapped-passphrase'],
      },
    });
  }
  return undefined;
}
