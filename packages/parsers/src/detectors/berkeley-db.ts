/**
 * Berkeley DB 2.x-18.x database files, read from their metadata page (page 0). Berkeley DB encrypts a database
 * with AES when the application sets a password (`DB->set_encrypt`, `DB_ENV->set_encrypt`, `db_load -P`): every
 * page but the metadata page's first bytes is then ciphertext, and the metadata page says so in its
 * `encrypt_alg` byte. libmagic names both kinds "Berkeley DB (Btree, version 9...)", so an encrypted database
 * was a readable one. Access methods and their page-0 types: btree/recno (magic 0x053162, type 9), hash
 * (0x061561, 8), queue (0x042253, 10), heap (0x074582, 14).
 * Reference: Berkeley DB's dbinc/db_page.h (DBMETA: lsn, pgno, magic at 12, version at 16, pagesize at 20,
 * encrypt_alg at 24, type at 25, metaflags at 26) and crypto/crypto.c (DB_ENCRYPT_AES = 1).
 */
import { defineDetector, u32be, u32le, type Detection } from '@evtriage/core/contract';
import { locked, passwordHint, plain } from './util.js';

/** Metadata page magic -> access method, page-0 type and the versions Berkeley DB has written. */
const METHODS: ReadonlyMap<number, { method: string; type: number; versions: [number, number] }> = new Map([
  [0x053162, { method: 'btree', type: 9, versions: [6, 10] }],
  [0x061561, { method: 'hash', type: 8, versions: [4, 10] }],
  [0x042253, { method: 'queue', type: 10, versions: [1, 4] }],
  [0x074582, { method: 'heap', type: 14, versions: [1, 1] }],
]);
const AES = 1;

export const berkeleyDbDetector = defineDetector({
  meta: {
    id: 'berkeley-db',
    version: '1.0.0',
    title: 'Berkeley DB databases, AES-encrypted or not (metadata page)',
    formats: [
      {
        id: 'berkeley-db',
        name: 'Berkeley DB database',
        status: 'analysable',
        how: 'header-field',
        extensions: ['db'],
      },
      {
        id: 'berkeley-db-encrypted',
        name: 'Berkeley DB database encrypted with AES',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['db'],
      },
    ],
  },
  signatures: [...METHODS.keys()].flatMap((magic) => {
    const le = Buffer.alloc(4);
    le.writeUInt32LE(magic);
    const be = Buffer.alloc(4);
    be.writeUInt32BE(magic);
    return [
      { offset: 12, hex: le.toString('hex') },
      { offset: 12, hex: be.toString('hex') },
    ];
  }),
  minSize: 512,
  // After the Bitcoin wallet detector (25), which reads wallet records in a btree's pages; before libmagic.
  priority: 45,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h.length < 72) return undefined;
    // The metadata page is written in the byte order of the machine that made the file.
    const little = METHODS.has(u32le(h, 12)!);
    const u32 = (o: number) => (little ? u32le(h, o) : u32be(h, o))!;
    const found = METHODS.get(u32(12));
    if (!found) return undefined;
    const version = u32(16);
    const pageSize = u32(20);
    const algorithm = h[24]!;
    const powerOfTwo = (pageSize & (pageSize - 1)) === 0;
    if (
      version < found.versions[0] ||
      version > found.versions[1] ||
      !powerOfTwo ||
      pageSize < 512 ||
      pageSize > 65536 ||
      h[25] !== found.type ||
      u32(8) !== 0 || // page 0's own page number
      algorithm > AES
    )
      return undefined;
    const figures = { method: found.method, version, pageSize };
    const described = `Berkeley DB ${found.method} database, version ${version}, ${pageSize}-byte pages`;
    if (algorithm === AES)
      return locked({
        id: 'berkeley-db-encrypted',
        name: 'Berkeley DB database encrypted with AES',
        confidence: 0.95,
        code: 'BERKELEY_DB_ENCRYPT_ALG',
        message: `${described}: the metadata page's encrypt_alg is AES (1), so every page holding keys and data is AES-encrypted under the application's password.`,
        figures: { ...figures, encryptAlg: algorithm },
        scheme: 'berkeley-db-aes',
        keyHint: passwordHint(
          'the password the application gives Berkeley DB (DB->set_encrypt or DB_ENV->set_encrypt; db_load/db_dump -P)',
        ),
      });
    return plain('analysable', {
      id: 'berkeley-db',
      name: 'Berkeley DB database',
      confidence: 0.8,
      code: 'BERKELEY_DB_METADATA',
      message: `${described}, not encrypted (the metadata page's encrypt_alg is 0); db_dump reads it.`,
      figures,
    });
  },
});
