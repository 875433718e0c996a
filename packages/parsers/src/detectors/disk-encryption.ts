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
 * nx_keylocker); QEMU docs/interop/qcow2.txt (crypt_method).
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core';
import { latin1, locked, plain, startsWith, u16be, u16le, u32be, u32le, u64be, u64le } from './util.js';

const LUKS_MAGIC = Uint8Array.from([0x4c, 0x55, 0x4b, 0x53, 0xba, 0xbe]);
const cstr = (b: Uint8Array, start: number, len: number) => latin1(b, start, start + len).split('\0')[0]!.trim();

const luksHint: KeyHint = { description: 'A passphrase or key file for one of the active key slots (or the volume key from a header backup).', kind: 'password', present: 'unknown' };

function luks1(h: Uint8Array): Detection {
  const cipher = cstr(h, 8, 32);
  const mode = cstr(h, 40, 32);
  const hash = cstr(h, 72, 32);
  const keyBytes = u32be(h, 108) ?? 0;
  const uuid = cstr(h, 168, 40);
  let active = 0;
  for (let i = 0; i < 8; i++) if (u32be(h, 208 + i * 48) === 0x00ac71f3) active++;
  return locked({
    id: 'luks1', name: 'LUKS1 encrypted volume', confidence: 0.99, code: 'LUKS1_HEADER',
    message: `LUKS1 header: cipher ${cipher}-${mode}, ${keyBytes * 8}-bit key, hash ${hash}, ${active} active key slot(s), UUID ${uuid}${cipher === 'cipher_null' ? ' (cipher_null: the header says encrypted although the data is not transformed)' : ''}.`,
    figures: { cipher, mode, hash, keyBits: keyBytes * 8, activeKeySlots: active, uuid }, scheme: `luks1-${cipher}-${mode}`, keyHint: luksHint,
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
    const raw = latin1(h, 4096, jsonEnd).split('\0')[0]!;
    try {
      const meta = JSON.parse(raw) as { keyslots?: Record<string, unknown>; segments?: Record<string, { encryption?: string }> };
      keyslots = Object.keys(meta.keyslots ?? {}).length;
      encryption = Object.values(meta.segments ?? {})[0]?.encryption ?? 'unknown';
    } catch {
      encryption = /"encryption"\s*:\s*"([^"]+)"/.exec(raw)?.[1] ?? 'unknown';
    }
  }
  return locked({
    id: 'luks2', name: 'LUKS2 encrypted volume', confidence: 0.99, code: 'LUKS2_HEADER',
    message: `LUKS2 header${label ? ` labelled "${label}"` : ''}, UUID ${uuid}${encryption !== 'unknown' ? `, segment encryption ${encryption}` : ''}${keyslots ? `, ${keyslots} key slot(s)` : ''}.`,
    figures: { label, uuid, encryption, keySlots: keyslots, headerSize }, scheme: `luks2-${encryption}`, keyHint: luksHint,
  });
}

export const diskEncryptionDetector = defineDetector({
  meta: {
    id: 'disk-encryption',
    version: '1.0.0',
    title: 'Encrypted volumes with a clear header (LUKS, BitLocker, FileVault 2, APFS, QCOW2)',
    formats: [
      { id: 'luks1', name: 'LUKS1 encrypted volume', status: 'encrypted', how: 'header-field', extensions: ['img', 'luks', 'bin', 'raw', 'dd'] },
      { id: 'luks2', name: 'LUKS2 encrypted volume', status: 'encrypted', how: 'header-field', extensions: ['img', 'luks', 'bin', 'raw', 'dd'] },
      { id: 'dmg-encrypted', name: 'Apple encrypted disk image', status: 'encrypted', how: 'signature', extensions: ['dmg', 'sparseimage', 'sparsebundle', 'img'] },
      { id: 'bitlocker', name: 'BitLocker encrypted volume', status: 'encrypted', how: 'signature', extensions: ['img', 'raw', 'dd', 'bin', 'vhd'] },
      { id: 'bitlocker-bek', name: 'BitLocker external key file (key in clear)', status: 'opaque', how: 'structure', extensions: ['bek'] },
      { id: 'fvde', name: 'FileVault 2 / CoreStorage encrypted volume', status: 'encrypted', how: 'header-field', extensions: ['img', 'raw', 'dd', 'dmg', 'bin'] },
      { id: 'corestorage', name: 'CoreStorage volume (not encrypted)', status: 'analysable', how: 'header-field' },
      { id: 'apfs', name: 'APFS container', status: 'analysable', how: 'signature', extensions: ['img', 'raw', 'dd', 'dmg', 'bin', 'apfs'] },
      { id: 'apfs-encrypted', name: 'APFS container with a keybag (encrypted volumes suspected)', status: 'encrypted', how: 'header-field', extensions: ['img', 'raw', 'dd', 'dmg', 'bin', 'apfs'] },
      { id: 'qcow2', name: 'QCOW2 disk image', status: 'analysable', how: 'header-field', extensions: ['qcow2', 'qcow', 'img'] },
      { id: 'qcow2-encrypted', name: 'QCOW2 disk image, encrypted', status: 'encrypted', how: 'header-field', extensions: ['qcow2', 'qcow', 'img'] },
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
    if (startsWith(h, 'encrcdsa')) {
      return locked({
        id: 'dmg-encrypted', name: 'Apple encrypted disk image', confidence: 0.97, code: 'DMG_ENCRCDSA',
        message: `"encrcdsa" header (version ${u32be(h, 8) ?? 0}): an encrypted Apple disk image (AES; key wrapped by a password-derived key or a certificate).`,
        figures: { version: u32be(h, 8) ?? 0 }, scheme: 'dmg-aes',
        keyHint: { description: 'The disk image password (or the private key of a certificate it was encrypted to).', kind: 'password', present: 'unknown' },
      });
    }
    if (latin1(h, 3, 11) === '-FVE-FS-') {
      return locked({
        id: 'bitlocker', name: 'BitLocker encrypted volume', confidence: 0.98, code: 'BITLOCKER_SIGNATURE',
        message: 'Volume boot record with the BitLocker signature "-FVE-FS-" at offset 3: the volume is BitLocker-encrypted.',
        scheme: 'bitlocker',
        keyHint: { description: 'The user password, the 48-digit recovery password, a startup key file (.BEK) or the TPM of the original machine.', kind: 'password', present: 'unknown', lookFor: ['**/*.BEK', '**/*.bek', '**/BitLocker Recovery Key*.txt'] },
      });
    }
    // BitLocker startup key file: an FVE metadata block whose size fields equal the file size.
    if ((u32le(h, 0) === probe.size) && u32le(h, 4) === 1 && u32le(h, 8) === 0x30 && u32le(h, 12) === probe.size && probe.size < 4096) {
      return plain('opaque', {
        id: 'bitlocker-bek', name: 'BitLocker external key file (key in clear)', confidence: 0.93, code: 'BITLOCKER_STARTUP_KEY',
        message: `BitLocker external key: an FVE metadata block of ${probe.size} bytes (version 1) holding a startup key in clear; key material for a BitLocker volume, not itself encrypted.`,
        figures: { size: probe.size },
      });
    }
    if (latin1(h, 88, 90) === 'CS' && u16le(h, 90) === 1) {
      const method = u32le(h, 172) ?? 0;
      if (method === 2) {
        return locked({
          id: 'fvde', name: 'FileVault 2 / CoreStorage encrypted volume', confidence: 0.95, code: 'CORESTORAGE_ENCRYPTED',
          message: 'CoreStorage physical volume header ("CS", version 1) with encryption method 2 (AES-XTS): a FileVault 2 volume.',
          figures: { encryptionMethod: method }, scheme: 'fvde-aes-xts',
          keyHint: { description: "A user's login password, the FileVault recovery key, or the institutional recovery keychain.", kind: 'password', present: 'unknown' },
        });
      }
      return plain('analysable', { id: 'corestorage', name: 'CoreStorage volume (not encrypted)', confidence: 0.85, code: 'CORESTORAGE_CLEAR', message: `CoreStorage physical volume header with encryption method ${method}.`, figures: { encryptionMethod: method } });
    }
    if (latin1(h, 32, 36) === 'NXSB') {
      const keylockerBlocks = u64le(h, 1304) ?? 0;
      const flags = u64le(h, 1264) ?? 0;
      if (keylockerBlocks > 0) {
        return locked({
          id: 'apfs-encrypted', name: 'APFS container with a keybag (encrypted volumes suspected)', confidence: 0.6, code: 'APFS_KEYBAG_PRESENT',
          message: `APFS container superblock with a container keybag (nx_keylocker, ${keylockerBlocks} block(s)): at least one volume is probably encrypted (FileVault or iOS data protection).`,
          figures: { keylockerBlocks, softwareCrypto: (flags & 4) !== 0 }, scheme: 'apfs', scope: 'partial',
          keyHint: { description: "A user's password or the recovery key (macOS); on iOS the device's hardware UID and passcode.", kind: 'password', present: 'unknown' },
        });
      }
      return plain('analysable', { id: 'apfs', name: 'APFS container', confidence: 0.9, code: 'APFS_NO_KEYBAG', message: 'APFS container superblock ("NXSB") with no container keybag: no volume is encrypted.' });
    }
    if (startsWith(h, 'QFI\xfb')) {
      const version = u32be(h, 4) ?? 0;
      const crypt = u32be(h, 32) ?? 0;
      if (crypt === 1 || crypt === 2) {
        return locked({
          id: 'qcow2-encrypted', name: 'QCOW2 disk image, encrypted', confidence: 0.97, code: 'QCOW2_CRYPT_METHOD',
          message: `QCOW${version} header with crypt_method ${crypt} (${crypt === 1 ? 'legacy AES' : 'LUKS'}).`, figures: { version, cryptMethod: crypt },
          scheme: crypt === 1 ? 'qcow2-aes' : 'qcow2-luks', keyHint: { description: 'The image passphrase (QEMU secret).', kind: 'password', present: 'unknown' },
        });
      }
      return plain('analysable', { id: 'qcow2', name: 'QCOW2 disk image', confidence: 0.95, code: 'QCOW2_HEADER', message: `QCOW${version} header with crypt_method 0 (not encrypted).`, figures: { version, cryptMethod: crypt } });
    }
    return undefined;
  },
});
