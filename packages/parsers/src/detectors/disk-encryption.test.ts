import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { diskEncryptionDetector } from './disk-encryption.js';

testDetector(
  diskEncryptionDetector,
  {
    fixtures: new URL('../../fixtures/disk-encryption/', import.meta.url),
    valid: [
      {
        file: 'luks1-header.img',
        format: 'luks1',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['LUKS1_HEADER'],
        encryption: { scheme: 'luks1-aes-xts-plain64', keyHint: { kind: 'password' } },
      },
      {
        file: 'luks2-header.img',
        format: 'luks2',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['LUKS2_HEADER'],
        encryption: { scheme: 'luks2-aes-xts-plain64' },
      },
      {
        file: 'encrypted.qcow2',
        format: 'qcow2-encrypted',
        status: 'encrypted',
        reasons: ['QCOW2_CRYPT_METHOD'],
        encryption: { scheme: 'qcow2-luks' },
      },
      {
        file: 'encrypted.dmg',
        format: 'dmg-encrypted',
        status: 'encrypted',
        reasons: ['DMG_ENCRCDSA'],
        encryption: { scheme: 'dmg-aes', keyHint: { kind: 'password' } },
      },
      { file: 'plain.qcow2', format: 'qcow2', status: 'analysable', reasons: ['QCOW2_HEADER'] },
      {
        file: 'encrypted-v1.qcow',
        format: 'qcow2-encrypted',
        status: 'encrypted',
        reasons: ['QCOW2_CRYPT_METHOD'],
        encryption: { scheme: 'qcow2-aes' },
      },
      { file: 'plain-v1.qcow', format: 'qcow2', status: 'analysable', reasons: ['QCOW2_HEADER'] },
      {
        file: 'bitlocker-boot-sector.img',
        format: 'bitlocker',
        status: 'encrypted',
        reasons: ['BITLOCKER_SIGNATURE'],
        encryption: { keyHint: { lookFor: ['**/*.BEK', '**/*.bek', '**/BitLocker Recovery Key*.txt'] } },
      },
      {
        file: 'bitlocker-to-go.img',
        format: 'bitlocker',
        status: 'encrypted',
        reasons: ['BITLOCKER_TO_GO'],
        encryption: { scheme: 'bitlocker', keyHint: { kind: 'password' } },
      },
      {
        file: '4381F759-C4F8-4DE0-BB61-FC33A831BDA5.BEK',
        format: 'bitlocker-bek',
        status: 'opaque',
        reasons: ['BITLOCKER_STARTUP_KEY'],
      },
      {
        file: 'corestorage-fvde.img',
        format: 'fvde',
        status: 'encrypted',
        reasons: ['CORESTORAGE_ENCRYPTED'],
        encryption: { scheme: 'fvde-aes-xts' },
      },
      // An APFS keybag only says some volume is probably encrypted: suspected, never certain.
      {
        file: 'apfs-with-keybag.img',
        format: 'apfs-encrypted',
        status: 'encrypted',
        confidence: { max: 0.69 },
        reasons: ['APFS_KEYBAG_PRESENT'],
        encryption: { scope: 'partial' },
      },
      { file: 'apfs-no-keybag.img', format: 'apfs', status: 'analysable', reasons: ['APFS_NO_KEYBAG'] },
      {
        file: 'geli-provider.img',
        format: 'geli',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['GELI_METADATA'],
        encryption: { scheme: 'geli', keyHint: { kind: 'password' } },
      },
      { file: 'softraid-crypto.img', format: 'softraid-crypto', status: 'encrypted', reasons: ['SOFTRAID_CRYPTO'] },
      { file: 'softraid-raid1.img', format: 'softraid', status: 'analysable', reasons: ['SOFTRAID_NOT_CRYPTO'] },
      {
        file: 'legacy-v1.dmg',
        format: 'dmg-encrypted',
        status: 'encrypted',
        reasons: ['DMG_CDSAENCR_TRAILER'],
        encryption: { scheme: 'dmg-v1' },
      },
      {
        file: 'android-crypto-footer.bin',
        format: 'android-fde-footer',
        status: 'encrypted',
        reasons: ['ANDROID_FDE_FOOTER'],
        encryption: { scheme: 'android-fde-aes-cbc-essiv:sha256' },
      },
      {
        file: 'container.jbc',
        format: 'bestcrypt',
        status: 'encrypted',
        reasons: ['BESTCRYPT_HEADER'],
        encryption: { scheme: 'bestcrypt-aes-xts' },
      },
      {
        file: 'ecryptfs-lower-file',
        format: 'ecryptfs-file',
        status: 'encrypted',
        reasons: ['ECRYPTFS_MARKER'],
        encryption: { keyHint: { lookFor: ['**/.ecryptfs/wrapped-passphrase'] } },
      },
    ],
    // A swap area with a stray LUKS signature at 32 KiB is not a LUKS volume: only offset 0 counts.
    invalid: [
      { file: 'swap-with-luks-signature.img' },
      { file: 'fat32-mswin.img', name: 'a FAT32 boot sector with Windows’s OEM name and no BitLocker identifier' },
      // "CS" and 1 at offset 88 by chance, in a Java class's constant pool: had been a "CoreStorage volume".
      { file: 'Big5_HKSCS.class', name: 'a Java class with "CS" and 1 at offset 88' },
    ],
  },
  { framework: { describe, it } },
);
