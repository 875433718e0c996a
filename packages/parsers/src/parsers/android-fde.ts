/**
 * Android full-disk encryption keeps its crypto footer (magic 0xD0B5B1C4) in
 * the last 16 KiB of the userdata partition; everything before it is
 * ciphertext, so statistics call such an image random. Reading the footer
 * names the scheme and what unlocks it (the lock-screen secret, on newer
 * devices bound to the hardware keystore).
 * Reference: Android system/vold cryptfs.h (CRYPT_FOOTER_OFFSET 0x4000,
 * struct crypt_mnt_ftr: magic, version, ftr_size, flags, keysize,
 * crypto_type_name).
 */
import { defineParser, type ParseResult } from '@evtriage/core/contract';

const FOOTER = 0x4000;
const MAGIC = 0xd0b5b1c4;

export const androidFdeParser = defineParser({
  meta: {
    id: 'android-fde',
    version: '1.0.0',
    title: 'Android FDE crypto footer at the end of a random-looking partition image',
    formats: ['unknown-encrypted', 'truecrypt-veracrypt'],
    diagnostics: { ANDROID_FDE_FOOTER_UNKNOWN: 'An Android crypto footer of an unknown version: {reason}.' },
  },
  priority: 40,
  // The footer sits 16 KiB before the end of a partition image: a smaller item has none.
  requires: { minSize: 2 * FOOTER },
  async parse(ctx): Promise<ParseResult | undefined> {
    const f = await ctx.read(ctx.item.size - FOOTER, 0x64);
    if (f.length < 0x64 || f.readUInt32LE(0) !== MAGIC) return undefined;
    const major = f.readUInt16LE(4);
    if (major > 1) {
      ctx.report({
        code: 'ANDROID_FDE_FOOTER_UNKNOWN',
        severity: 'info',
        message: `An Android crypto footer of an unknown version: major version ${major} (vold writes 1), so the footer was not read.`,
      });
      return undefined;
    }
    const minor = f.readUInt16LE(6);
    const keyBits = f.readUInt32LE(16) * 8;
    const cipher = f
      .subarray(0x24, 0x64)
      .toString('latin1')
      .split('\0')[0]!
      .replace(/[^ -~]/g, '');
    return {
      details: { footerVersion: `${major}.${minor}`, keyBits, cipher },
      reclassify: {
        status: 'encrypted',
        confidence: 0.95,
        format: { id: 'android-fde', name: 'Android full-disk-encrypted userdata partition' },
        reasons: [
          {
            code: 'ANDROID_FDE_FOOTER_AT_END',
            message: `Android cryptfs footer 16 KiB before the end (version ${major}.${minor}, ${keyBits}-bit key${cipher ? `, ${cipher}` : ''}): a full-disk-encrypted userdata partition.`,
            figures: { keyBits, cipher },
          },
        ],
      },
      encryption: {
        scheme: `android-fde${cipher ? `-${cipher}` : ''}`,
        scope: 'full',
        keyHint: {
          description:
            "The device's lock-screen PIN, pattern or password (or 'default_password'), with the hardware-bound key on Android 5+.",
          kind: 'password',
          present: 'unknown',
        },
      },
    };
  },
});
