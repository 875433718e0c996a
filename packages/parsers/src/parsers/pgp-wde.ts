/**
 * PGP Whole Disk Encryption (Symantec Encryption Desktop): the disk keeps its
 * MBR (PGP BootGuard), so it looks like a plain partitioned disk, but its
 * first megabyte holds sector-sized user records (size 512, version 0, magic
 * "WDi" 0x57446900) carrying the disk session key encrypted to each user's
 * passphrase (or public key / token / TPM). Found on an item called an MBR
 * disk, such records make it an encrypted volume.
 * References: PGP Desktop 10 source, clients2/wde/wdelib/include/pgpWDEUser.h
 * (PGPdiskOnDiskUserInfoHeader, kPGPWDEUserInfoMagic, user record types), as
 * JtR pgpwde2john documents them (read for the layout).
 */
import { defineParser, type ParseResult } from '@evtriage/core/contract';

const SCAN_BYTES = 1 << 20;
const SECTOR = 512;
const MAGIC = 0x57446900;
const USER_TYPES: Record<number, string> = {
  0x01: 'session keys',
  0x02: 'link key',
  0x08: 'passphrase',
  0x09: 'token',
  0x0a: 'public key',
  0x0b: 'TPM',
};

export const pgpWdeParser = defineParser({
  meta: {
    id: 'pgp-wde',
    version: '1.0.0',
    title: 'PGP Whole Disk Encryption user records on an MBR disk',
    formats: ['mbr-disk'],
    diagnostics: { PGP_WDE_NO_MAIN_RECORD: 'PGP WDE record headers without a main record: {reason}.' },
  },
  priority: 40,
  async parse(ctx): Promise<ParseResult | undefined> {
    const b = await ctx.read(0, Math.min(SCAN_BYTES, ctx.item.size));
    const users: string[] = [];
    let first = -1;
    let secondary = 0;
    for (let at = SECTOR; at + 16 <= b.length && users.length < 32; at += SECTOR) {
      if (b.readUInt16LE(at) !== SECTOR || b[at + 2] !== 0 || b.readUInt32LE(at + 4) !== MAGIC) continue;
      if (b[at + 9] !== 0) {
        secondary++; // a continuation of a multi-sector record
        continue;
      }
      if (first < 0) first = at;
      const type = USER_TYPES[b[at + 3]!] ?? `type ${b[at + 3]}`;
      const name =
        type === 'passphrase'
          ? b
              .subarray(at + 12 + 14 + 8, at + 12 + 14 + 8 + 128)
              .toString('latin1')
              .split('\0')[0]!
              .replace(/[^ -~]/g, '')
          : '';
      users.push(name ? `${type} (${name})` : type);
    }
    if (users.length === 0) {
      if (secondary > 0)
        ctx.report({
          code: 'PGP_WDE_NO_MAIN_RECORD',
          severity: 'info',
          message: `PGP WDE record headers without a main record: ${secondary} continuation record(s) and no first record, so no user could be read.`,
        });
      return undefined;
    }
    return {
      details: { pgpWdeRecords: users.length, users, firstRecordAt: first },
      reclassify: {
        status: 'encrypted',
        confidence: 0.95,
        format: { id: 'pgp-wde', name: 'PGP Whole Disk Encryption volume' },
        reasons: [
          {
            code: 'PGP_WDE_USER_RECORDS',
            message: `${users.length} PGP WDE user record(s) ("WDi" magic, 512-byte records from offset ${first}): ${users.join(', ')}; the disk behind the BootGuard MBR is encrypted with a session key those records wrap.`,
            figures: { records: users.length },
          },
        ],
      },
      encryption: {
        scheme: 'pgp-wde',
        scope: 'full',
        keyHint: {
          description:
            "A WDE user passphrase (or the user's PGP key, token or the TPM), or a Whole Disk Recovery Token.",
          kind: 'password',
          present: 'unknown',
        },
      },
    };
  },
});
