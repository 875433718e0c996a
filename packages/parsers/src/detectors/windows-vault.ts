/**
 * Windows Vault files, the stores behind Credential Manager's "Web Credentials" and "Windows Credentials"
 * (AppData/Local/Microsoft/Vault/<GUID>/ and ProgramData's system vault). Neither has a magic number: each is
 * recognised by its fields holding together.
 * - Policy.vpol: version 1, the vault GUID, a UTF-16 description, 12 unknown bytes, the key size, two GUIDs, the
 *   blob size and a DPAPI blob (version 1, provider df9d8cd0-1501-11d1-8c7a-00c04fc297eb) that wraps the vault's
 *   two AES keys.
 * - <hex>.vcrd: the schema GUID, a FILETIME, a UTF-16 friendly name, an attribute map (id, offset, unknown) whose
 *   offsets point at attributes starting with the same id; attribute data (resource, user, password) is AES
 *   encrypted with the keys of the vault's Policy.vpol.
 * - Protect/<SID>/Preferred: 24 bytes, the GUID of the user's current DPAPI master key and the FILETIME when it
 *   expires. Clear (a pointer, not a key), though its size and random GUID make statistics call it key material.
 * References: impacket impacket/dpapi.py (VAULT_VPOL, VAULT_VCRD, VAULT_ATTRIBUTE_MAP_ENTRY, VAULT_ATTRIBUTE),
 * mimikatz modules/kull_m_cred.h (KULL_M_CRED_VAULT_POLICY, KULL_M_CRED_VAULT_CREDENTIAL).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { guidAt, locked, plain, u32le, u64le } from './util.js';

const DPAPI_PROVIDER = Buffer.from('d08c9ddf0115d1118c7a00c04fc297eb', 'hex');
const VPOL = { id: 'windows-vault-policy', name: 'Windows Vault policy (Policy.vpol)' };
const VCRD = { id: 'windows-vault-credential', name: 'Windows Vault credential (.vcrd)' };
const PREFERRED = { id: 'dpapi-preferred', name: 'Windows DPAPI preferred master key pointer' };
/** FILETIMEs of 1 Jan 2000 and 1 Jan 2100: a vault credential was written between them. */
const FILETIME_2000 = 125_911_584_000_000_000;
const FILETIME_2100 = 157_469_184_000_000_000;
const FILETIME_1970 = 116_444_736_000_000_000;
const MAX_NAME = 512;
const MAX_ATTRIBUTES = 64;

export const windowsVaultDetector = defineDetector({
  meta: {
    id: 'windows-vault',
    version: '1.0.0',
    title: 'Windows Vault policy and credential files (Credential Manager vaults)',
    formats: [
      { ...VPOL, status: 'encrypted', how: 'structure', extensions: ['vpol'] },
      { ...VCRD, status: 'encrypted', how: 'structure', extensions: ['vcrd'] },
      { ...PREFERRED, status: 'analysable', how: 'structure' },
    ],
    indexPatterns: ['**/Microsoft/Vault/*/Policy.vpol'],
  },
  minSize: 24,
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (probe.size === 24) return probe.name === 'Preferred' ? preferred(h) : undefined;
    if (probe.size < 64) return undefined;
    // Both start with a little-endian word then a GUID; a vpol's word is 1, a vcrd's GUID is random. Cheap reads only.
    return u32le(h, 0) === 1
      ? (policy(h) ?? credential(h, probe.size, probe.logicalPath))
      : credential(h, probe.size, probe.logicalPath);
  },
});

/** A UTF-16LE name of `length` bytes at `at`: printable, optionally NUL-terminated. */
function utf16Name(h: Uint8Array, at: number, length: number): string | undefined {
  if (length < 2 || length > MAX_NAME || length % 2 !== 0 || at + length > h.length) return undefined;
  const name = Buffer.from(h.subarray(at, at + length))
    .toString('utf16le')
    .replace(/\0$/, '');
  return name.length > 0 && /^[\x20-\x7e\u00a0-\uffef]+$/.test(name) ? name : undefined;
}

/** Protect/<SID>/Preferred: a version-4 GUID (as Windows makes master key GUIDs) and an expiry FILETIME. */
function preferred(h: Uint8Array): Detection | undefined {
  const expires = u64le(h, 16) ?? 0;
  if ((h[7]! & 0xf0) !== 0x40 || (h[8]! & 0xc0) !== 0x80) return undefined;
  if (expires < FILETIME_2000 || expires > FILETIME_2100) return undefined;
  const masterKey = guidAt(h, 0);
  const when = new Date((expires - FILETIME_1970) / 10_000).toISOString();
  return plain('analysable', {
    ...PREFERRED,
    confidence: 0.9,
    code: 'DPAPI_PREFERRED',
    message: `DPAPI "Preferred" file: 24 bytes, the GUID of the current master key (${masterKey}, version 4) and its expiry (${when}): a clear pointer to the master key file beside it, not key material.`,
    figures: { masterKey, expires: when },
  });
}

function policy(h: Uint8Array): Detection | undefined {
  const descriptionLength = u32le(h, 20) ?? 0;
  const description = utf16Name(h, 24, descriptionLength);
  if (description === undefined) return undefined;
  const keyAt = 24 + descriptionLength + 12;
  const keySize = u32le(h, keyAt) ?? 0;
  const blobSize = u32le(h, keyAt + 36) ?? 0;
  const blobAt = keyAt + 40;
  // The key record holds the two GUIDs, the blob size and the blob; the blob is a DPAPI blob, version 1.
  if (blobSize < 64 || keySize < blobSize + 36 || u32le(h, blobAt) !== 1) return undefined;
  if (!Buffer.from(h.subarray(blobAt + 4, blobAt + 20)).equals(DPAPI_PROVIDER)) return undefined;
  const masterKey = guidAt(h, blobAt + 24);
  const vault = guidAt(h, 4);
  return locked({
    ...VPOL,
    confidence: 0.95,
    code: 'WINDOWS_VAULT_POLICY',
    message: `Windows Vault policy: version 1, vault ${vault} "${description}", and a ${blobSize}-byte DPAPI blob (master key ${masterKey}) that wraps the AES keys every credential (.vcrd) of this vault is encrypted with.`,
    figures: { vault, description, masterKey, blobBytes: blobSize },
    scheme: 'dpapi',
    keyHint: {
      description: `The DPAPI master key ${masterKey} (user vaults: AppData/Roaming/Microsoft/Protect/<SID>/, system vault: the SYSTEM master keys) and the user's Windows password.`,
      kind: 'key-file',
      present: 'unknown',
      lookFor: [`**/Protect/S-1-*/${masterKey}`, `**/Protect/S-1-5-18/**/${masterKey}`],
    },
  });
}

function credential(h: Uint8Array, size: number, logicalPath: string): Detection | undefined {
  const written = u64le(h, 20) ?? 0;
  if (written < FILETIME_2000 || written > FILETIME_2100) return undefined;
  const nameLength = u32le(h, 36) ?? 0;
  const name = utf16Name(h, 40, nameLength);
  if (name === undefined) return undefined;
  const mapAt = 40 + nameLength + 4;
  const mapSize = u32le(h, mapAt - 4) ?? 0;
  if (mapSize === 0 || mapSize % 12 !== 0 || mapSize / 12 > MAX_ATTRIBUTES || mapAt + mapSize > h.length) {
    return undefined;
  }
  // Attributes follow the map in order, each beginning with the id its map entry names.
  let expected = mapAt + mapSize;
  let encrypted = 0;
  for (let at = mapAt; at < mapAt + mapSize; at += 12) {
    const id = u32le(h, at) ?? 0;
    const offset = u32le(h, at + 4) ?? 0;
    if (offset < expected || offset + 16 > size) return undefined;
    if (offset + 16 <= h.length && u32le(h, offset) !== id) return undefined;
    expected = offset + 16;
    // Past the 16-byte head (and a 4-byte extra word for ids 100 and up): data size, IV flag, IV size 16.
    const ivAt = offset + 16 + (id >= 100 ? 4 : 0) + 4;
    if (h[ivAt] === 1 && u32le(h, ivAt + 1) === 16) encrypted++;
  }
  if (encrypted === 0) return undefined;
  const schema = guidAt(h, 0);
  const folder = /\/([0-9A-Fa-f]{8}-[0-9A-Fa-f-]{27})\/[^/]+$/.exec(`/${logicalPath}`)?.[1];
  return locked({
    ...VCRD,
    confidence: 0.93,
    code: 'WINDOWS_VAULT_CREDENTIAL',
    message: `Windows Vault credential: schema ${schema} "${name}", written ${new Date((written - FILETIME_1970) / 10_000).toISOString()}, ${mapSize / 12} attributes in its map, ${encrypted} of them AES-encrypted with an IV: the resource, user and password need the vault keys of the folder's Policy.vpol (itself DPAPI-protected).`,
    figures: { schema, name, attributes: mapSize / 12, encryptedAttributes: encrypted },
    scheme: 'windows-vault-aes',
    scope: 'partial',
    keyHint: {
      description:
        "The vault's Policy.vpol in the same folder, whose DPAPI blob needs the user's master key and Windows password.",
      kind: 'key-file',
      present: 'unknown',
      lookFor: [folder ? `**/${folder}/Policy.vpol` : '**/Vault/*/Policy.vpol'],
    },
  });
}
