/**
 * DuckDB database files, plain or encrypted. The main header (DuckDB's storage_info.hpp, MainHeader) follows
 * an 8-byte block checksum: the magic "DUCK" at offset 8, the storage version (u64) at 12, four u64 flag
 * words at 20 (flags[0] bit 0: ENCRYPTED_DATABASE_FLAG), the library version ("v1.5.6") at 52 and the source
 * id at 84, then, in an encrypted file, 8 bytes of encryption metadata at 116 (byte 2: the cipher, 1 AES-GCM,
 * 2 AES-CTR, 3 AES-CBC), the database identifier at 124 and the encrypted canary ("DUCKKEY") at 140.
 * DuckDB 1.4 and later encrypt every block with a key derived from the ENCRYPTION_KEY given to ATTACH;
 * libmagic names the file ("DuckDB database file") but not its encryption, so an encrypted one was called
 * readable. Plain files are read by the duckdb command: analysable.
 */
import { defineDetector, u32le, type Detection } from '@evtriage/core/contract';
import { ascii, locked, passwordHint, plain } from './util.js';
import { trimEndOf } from '../text-ends.js';

const ENCRYPTED_DATABASE_FLAG = 1;
const CIPHERS: Record<number, string> = { 1: 'gcm', 2: 'ctr', 3: 'cbc' };
const FORMATS = {
  plain: { id: 'duckdb', name: 'DuckDB database' },
  encrypted: { id: 'duckdb-encrypted', name: 'DuckDB database, encrypted' },
} as const;

/** A NUL-padded printable field (the library version, the source id), possibly empty. */
function printableField(h: Uint8Array, at: number, length: number): string | undefined {
  const s = trimEndOf(ascii(h, at, at + length), '\0');
  return /^[\x20-\x7e]*$/.test(s) ? s : undefined;
}

export const duckdbDetector = defineDetector({
  meta: {
    id: 'duckdb',
    version: '1.0.0',
    title: 'DuckDB database files, plain or encrypted (main header flags and cipher)',
    formats: [
      { ...FORMATS.plain, status: 'analysable', how: 'header-field', extensions: ['duckdb', 'ddb', 'db'] },
      { ...FORMATS.encrypted, status: 'encrypted', how: 'header-field', extensions: ['duckdb', 'ddb', 'db'] },
    ],
  },
  signatures: [{ offset: 8, hex: Buffer.from('DUCK').toString('hex') }],
  minSize: 148,
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (ascii(h, 8, 12) !== 'DUCK' || h.length < 148) return undefined;
    // Storage versions are small integers (39 for 0.9, 64 for 1.0–1.1, 68 for 1.4 and later).
    const version = u32le(h, 12)!;
    const flagsWords = [20, 28, 36, 44].map((o) => ({ low: u32le(h, o)!, high: u32le(h, o + 4)! }));
    if (version === 0 || version > 0xffff || u32le(h, 16) !== 0) return undefined;
    if (flagsWords.some(({ low, high }, i) => high !== 0 || (i === 0 && low > 0xff))) return undefined;
    const library = printableField(h, 52, 32);
    if (library === undefined || printableField(h, 84, 32) === undefined) return undefined;
    const base = { storageVersion: version, library: library || 'not given' };
    const at = library ? `, written by DuckDB ${library}` : '';
    if ((flagsWords[0]!.low & ENCRYPTED_DATABASE_FLAG) === 0)
      return plain('analysable', {
        ...FORMATS.plain,
        confidence: 0.95,
        code: 'DUCKDB_MAIN_HEADER',
        message: `DuckDB main header: "DUCK" at offset 8, storage version ${version}${at}; the encryption flag is clear, so the duckdb command opens it.`,
        figures: base,
      });
    const cipher = CIPHERS[h[118]!];
    return locked({
      ...FORMATS.encrypted,
      confidence: 0.97,
      code: 'DUCKDB_ENCRYPTED',
      message: `DuckDB main header: "DUCK" at offset 8, storage version ${version}${at}, with the encrypted-database flag set; its encryption metadata names ${cipher ? `AES-${cipher.toUpperCase()}` : `cipher ${h[118]} (not one DuckDB defines)`}. Every block is encrypted with a key derived from the ENCRYPTION_KEY given to ATTACH; the encrypted canary at offset 140 checks a key.`,
      figures: { ...base, cipher: h[118]! },
      scheme: `duckdb-aes-${cipher ?? 'unknown'}`,
      keyHint: passwordHint(
        'The ENCRYPTION_KEY the database was attached with (a passphrase, or a key the app keeps).',
      ),
    });
  },
});
