/**
 * Realm databases. An unencrypted Realm file has the "T-DB" mnemonic at
 * offset 16 of its header. An encrypted one has no clear header at all: the
 * file is made of 4 KiB pages, and every group of up to 64 data pages is
 * preceded by an IV table page of 64-byte entries (iv1 u32, hmac1 28 bytes,
 * iv2 u32, hmac2 28 bytes; entries of pages never written are zero). So: a
 * size that is a multiple of 4096, a first page of small non-zero counters
 * each followed by a random HMAC-SHA224, zeros after the last written page,
 * and random pages after it.
 * References: realm-core src/realm/alloc_slab.hpp (file header, "T-DB"),
 * src/realm/util/aes_cryptor.hpp and encrypted_file_mapping.cpp (iv_table,
 * page layout).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, plain, u32le } from './util.js';

const PAGE = 4096;
const ENTRY = 64;

/** The IV table entries in use (by index), or undefined when the first page is not an IV table. */
function ivTableEntries(h: Uint8Array): number[] | undefined {
  const used: number[] = [];
  for (let e = 0; e < PAGE / ENTRY; e++) {
    const at = e * ENTRY;
    if (h.subarray(at, at + ENTRY).every((b) => b === 0)) continue; // a page never written
    const iv1 = u32le(h, at)!;
    if (iv1 === 0 || iv1 > 0x00ffffff) return undefined;
    if (new Set(h.subarray(at + 4, at + 32)).size < 18) return undefined; // HMAC-SHA224 bytes look random
    const iv2 = u32le(h, at + 32)!;
    if (iv2 > 0x00ffffff) return undefined;
    if (iv2 !== 0 && new Set(h.subarray(at + 36, at + 64)).size < 18) return undefined;
    used.push(e);
  }
  return used;
}

export const realmDetector = defineDetector({
  meta: {
    id: 'realm',
    version: '1.1.0',
    title: 'Realm databases, clear (T-DB header) and encrypted (IV table)',
    formats: [
      { id: 'realm', name: 'Realm database', status: 'analysable', how: 'signature', extensions: ['realm'] },
      {
        id: 'realm-encrypted',
        name: 'Realm database, encrypted',
        status: 'encrypted',
        how: 'structure',
        extensions: ['realm'],
      },
    ],
  },
  minSize: 24,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (ascii(h, 16, 20) === 'T-DB') {
      return plain('analysable', {
        id: 'realm',
        name: 'Realm database',
        confidence: 0.93,
        code: 'REALM_TDB_HEADER',
        message: `Realm file header with the "T-DB" mnemonic and file format version ${h[20] ?? 0}/${h[21] ?? 0}: an unencrypted Realm database.`,
        figures: { formatVersion: h[20] ?? 0 },
      });
    }
    if (probe.size < 2 * PAGE || h.length < 2 * PAGE) return undefined;
    const entries = ivTableEntries(h);
    if (!entries || entries.length === 0) return undefined;
    // Pages whose entry is used and that the head holds are ciphertext: nearly every byte value occurs.
    const inHead = entries.filter((e) => (e + 2) * PAGE <= h.length);
    if (inHead.length === 0 || inHead.some((e) => new Set(h.subarray((e + 1) * PAGE, (e + 2) * PAGE)).size < 240))
      return undefined;
    const used = entries.length;
    // A file cut short (carved, partly copied): not whole pages, or IV entries for pages past its end. The IV
    // table and the ciphertext pages in sight are the same evidence; the reason says what is missing.
    const dataPages = Math.ceil(probe.size / PAGE) - 1;
    const lastEntry = entries[entries.length - 1]!;
    const cut = probe.size % PAGE !== 0 || lastEntry >= dataPages;
    const table = `the first 4 KiB page is an IV table (${used} entries of IV counter + HMAC-SHA224, unwritten pages zero) and the written pages it covers that are in sight are random`;
    return locked({
      id: 'realm-encrypted',
      name: 'Realm database, encrypted',
      confidence: cut ? 0.85 : 0.88,
      code: cut ? 'REALM_IV_TABLE_CUT_SHORT' : 'REALM_IV_TABLE',
      message: cut
        ? `No Realm header; ${table}. The file is cut short (${probe.size} bytes: ${probe.size % PAGE !== 0 ? 'not a whole number of 4 KiB pages' : 'whole pages'}${lastEntry >= dataPages ? `, the table has an entry for data page ${lastEntry + 1} and the file holds ${dataPages}` : ''}): an encrypted Realm database (AES-256-CBC per page), judged on what is left.`
        : `No Realm header; ${table}: an encrypted Realm database (AES-256-CBC per page).`,
      figures: cut
        ? { ivEntries: used, fileBytes: probe.size, lastIvEntryPage: lastEntry + 1, dataPagesInFile: dataPages }
        : { ivEntries: used, pages: probe.size / PAGE },
      scheme: 'realm-aes-256-cbc-hmac-sha224',
      keyHint: {
        description:
          "The app's 64-byte Realm encryption key, usually kept in the Android Keystore or the iOS keychain.",
        kind: 'keystore',
        present: 'unknown',
      },
    });
  },
});
