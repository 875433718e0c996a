/**
 * The keychain of an iTunes/Finder backup, `Keychain-backup.plist`
 * (KeychainDomain; stored as `51/51a4616e576dd33cd2abadfea874eb8ff246bf0e`):
 * a property list whose root holds the item classes (genp, inet, cert, keys),
 * each an array of items whose secret is `v_Data`, a blob with the keychain
 * layout (version u32 LE, protection class u32 LE, wrapped key, AES-GCM
 * ciphertext). In a backup without a password the class keys are wrapped by
 * the device key 0x835 (derived from the Secure Enclave UID); in an encrypted
 * backup by the backup keybag and its password. A dedicated secret store:
 * encrypted, scope partial (the item list and persistent references are
 * readable).
 * References: iphone-dataprotection (python_scripts/keychain/keychain_backup.py,
 * keychain4.py: v_Data, v_PersistentRef, the blob layout); Apple Platform
 * Security guide ("Keychain data protection", "Backup keybag").
 */
import { defineParser, type ParseResult } from '@evtriage/core/contract';

const FORMAT = { id: 'ios-keychain-backup', name: 'iOS backup keychain (Keychain-backup.plist)' };
const CLASSES = ['genp', 'inet', 'cert', 'keys'] as const;

function blobOf(item: unknown): Uint8Array | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const v = (item as Record<string, unknown>)['v_Data'];
  return v instanceof Uint8Array && v.length >= 8 ? v : undefined;
}

export const iosKeychainBackupParser = defineParser({
  meta: {
    id: 'ios-keychain-backup',
    version: '1.0.0',
    title: 'iOS backup keychain (Keychain-backup.plist)',
    formats: ['bplist', 'xml-plist'],
  },
  requires: { plistKeys: ['genp', 'inet'], maxSize: 64 * 1024 * 1024 },
  priority: 30,
  parse(ctx): ParseResult | undefined {
    const root = ctx.plist as Record<string, unknown> | undefined;
    if (!root || typeof root !== 'object') return undefined;
    const counts: Record<string, number> = {};
    let first: Uint8Array | undefined;
    for (const c of CLASSES) {
      const items = root[c];
      if (!Array.isArray(items)) continue;
      const blobs = items.map(blobOf).filter((b): b is Uint8Array => b !== undefined);
      counts[c] = blobs.length;
      first ??= blobs[0];
    }
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    if (total === 0 || !first) return { details: { keychainItems: 0 } };
    const view = Buffer.from(first.buffer, first.byteOffset, first.byteLength);
    const version = view.readUInt32LE(0);
    const protectionClass = view.readUInt32LE(4);
    return {
      details: { keychainItems: total, itemsByClass: counts, blobVersion: version },
      reclassify: {
        status: 'encrypted',
        confidence: 0.93,
        format: FORMAT,
        reasons: [
          {
            code: 'KEYCHAIN_BACKUP_ITEMS_ENCRYPTED',
            message: `Backup keychain plist: ${total} item(s) (${Object.entries(counts)
              .map(([c, n]) => `${c} ${n}`)
              .join(
                ', ',
              )}) whose v_Data blobs are encrypted (blob version ${version}, protection class ${protectionClass} on the first): each needs a class key of the backup or device keybag.`,
            figures: { items: total, ...counts, blobVersion: version, protectionClass },
          },
        ],
      },
      encryption: {
        scheme: `apple-keychain-v${version}`,
        scope: 'partial',
        keyHint: {
          description:
            "In a backup without a password, the device key 0x835 (derived from the Secure Enclave UID: not in any file); in an encrypted backup, the backup password that unlocks Manifest.plist's BackupKeyBag.",
          kind: 'hardware',
          present: 'no',
        },
      },
    };
  },
});
