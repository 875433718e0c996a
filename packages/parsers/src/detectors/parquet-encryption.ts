/**
 * Parquet files with modular encryption (Apache parquet-format, Encryption.md), which pyarrow, Spark and
 * parquet-java write. Two modes:
 * - encrypted footer: the file starts and ends with "PARE" instead of "PAR1"; the footer length points at a
 *   plaintext FileCryptoMetaData (field 1: the algorithm, a union of AES_GCM_V1 (1) and AES_GCM_CTR_V1 (2);
 *   field 2: the footer key's metadata), then the encrypted footer;
 * - plaintext footer: "PAR1" as usual, but FileMetaData field 8 names the algorithm and field 9 the footer
 *   signing key's metadata; the column chunks are encrypted with column keys, the schema and row counts are not.
 * libmagic and file-type know only the magic numbers, so both were called readable Parquet. The key metadata
 * written by the standard key tools (PKMT1 JSON) names the master key and the key-management service.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { afterStructureEnd, ascii, locked, notingZeroPadding, u32le } from './util.js';
import { THRIFT_BINARY, THRIFT_STRUCT, ThriftCursor } from './thrift-compact.js';

const ALGORITHMS: Record<number, { scheme: string; label: string }> = {
  1: { scheme: 'parquet-aes-gcm', label: 'AES_GCM_V1 (AES-GCM for every module)' },
  2: { scheme: 'parquet-aes-gcm-ctr', label: 'AES_GCM_CTR_V1 (AES-GCM for metadata, AES-CTR for pages)' },
};

type Footer = { magic: string; bytes: Uint8Array | undefined; length: number; end: number };

/**
 * The footer's bytes (FileMetaData or FileCryptoMetaData) when the probe holds them, with the magic ending the
 * last `n` bytes the probe read of the file (`end`: that magic's end in the file).
 */
function footer(probe: Probe, n: number): Footer | undefined {
  const last = probe.complete ? probe.head : probe.tail;
  const magic = ascii(last, n - 4, n);
  if ((magic !== 'PAR1' && magic !== 'PARE') || ascii(probe.head, 0, 4) !== magic) return undefined;
  const end = probe.size - last.length + n;
  const length = u32le(last, n - 8) ?? 0;
  if (length < 2 || length + 12 > end) return undefined;
  const bytes = length + 8 <= n ? last.subarray(n - 8 - length, n - 8) : undefined;
  return { magic, bytes, length, end };
}

/** The most bytes after the footer's magic that are looked past (a line feed, a note, slack to 4 KiB). */
const MAX_APPENDED = 8192;

/**
 * The footer whose magic ends the file; else the last one within MAX_APPENDED bytes of the end whose footer the
 * probe holds (its struct is then read before it is taken): bytes appended after the file's own end.
 */
function footers(probe: Probe): Footer[] {
  const last = probe.complete ? probe.head : probe.tail;
  const atEnd = footer(probe, last.length);
  if (atEnd) return [atEnd];
  const magic = ascii(probe.head, 0, 4);
  if (magic !== 'PAR1' && magic !== 'PARE') return [];
  const b = Buffer.from(last.buffer, last.byteOffset, last.byteLength);
  const out: Footer[] = [];
  const floor = Math.max(12, last.length - MAX_APPENDED);
  for (
    let i = b.lastIndexOf(magic, last.length - 5, 'latin1');
    i + 4 >= floor;
    i = b.lastIndexOf(magic, i - 1, 'latin1')
  ) {
    const f = footer(probe, i + 4);
    if (f?.bytes) out.push(f);
    if (i <= 0 || out.length >= 4) break;
  }
  return out;
}

/** The algorithm union's member (1 or 2) read at the cursor, the union's own struct. */
function algorithm(c: ThriftCursor): number | undefined {
  let member: number | undefined;
  const ok = c.struct((id) => {
    member ??= id;
    return 'skip';
  });
  return ok && member !== undefined && ALGORITHMS[member] ? member : undefined;
}

/** What PKMT1 key metadata (JSON) says of the key, if it is that. */
function keyMaterial(bytes: Uint8Array | undefined): string | undefined {
  if (!bytes?.length || bytes[0] !== 0x7b) return undefined;
  try {
    const k = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
    const master = typeof k.masterKeyID === 'string' ? k.masterKeyID : undefined;
    const kms = typeof k.kmsInstanceID === 'string' ? k.kmsInstanceID : undefined;
    if (!master) return undefined;
    return `master key "${master}"${kms ? ` of key-management service "${kms}"` : ''}`;
  } catch {
    return undefined;
  }
}

/** The fields of one struct that this detector reads: the algorithm (at `algorithmField`) and a key's metadata. */
function readStruct(bytes: Uint8Array, algorithmField: number, keyField: number) {
  const c = new ThriftCursor(bytes);
  let member: number | undefined;
  let key: Uint8Array | undefined;
  const ok = c.struct((id, type) => {
    if (id === algorithmField && type === THRIFT_STRUCT) {
      member = algorithm(c);
      return member === undefined ? 'skip' : 'read';
    }
    if (id === keyField && type === THRIFT_BINARY) {
      key = c.binary();
      return 'read';
    }
    return 'skip';
  });
  return ok ? { member, key } : undefined;
}

function keyHint(key: Uint8Array | undefined) {
  const material = keyMaterial(key);
  return {
    description: material
      ? `The data keys, wrapped by ${material}: the key-management service, not a password, unwraps them.`
      : 'The footer and column keys, from the key-management service or application that wrote the file.',
    kind: 'keystore' as const,
    present: 'unknown' as const,
  };
}

function verdict(probe: Probe): Detection | undefined {
  for (const f of footers(probe)) {
    const found = judgeFooter(f);
    // Bytes after the footer's magic (a line feed, slack, a carve that ran on) are set aside and named.
    if (found) return notingZeroPadding(found, afterStructureEnd(probe, f.end), 'the Parquet file before them');
  }
  return undefined;
}

function judgeFooter(f: Footer): Detection | undefined {
  const name = 'Apache Parquet file with modular encryption';
  if (f.magic === 'PARE') {
    // The crypto metadata must read as such when the probe holds it; a footer past the probe leaves the magic.
    const meta = f.bytes ? readStruct(f.bytes, 1, 2) : undefined;
    if (f.bytes && meta?.member === undefined) return undefined;
    const alg = meta?.member !== undefined ? ALGORITHMS[meta.member]! : undefined;
    return locked({
      id: 'parquet-encrypted',
      name,
      confidence: 0.96,
      code: 'PARQUET_ENCRYPTED_FOOTER',
      message: `"PARE" at both ends: a Parquet file whose footer (schema, row groups) is encrypted${alg ? `, algorithm ${alg.label}` : ''}; its ${f.length}-byte footer starts with the plaintext crypto metadata.`,
      figures: { footerBytes: f.length, algorithm: meta?.member ?? 0 },
      scheme: alg?.scheme ?? 'parquet-aes-gcm',
      keyHint: keyHint(meta?.key),
    });
  }
  if (!f.bytes) return undefined;
  const meta = readStruct(f.bytes, 8, 9);
  if (meta?.member === undefined) return undefined;
  const alg = ALGORITHMS[meta.member]!;
  return locked({
    id: 'parquet-encrypted',
    name,
    confidence: 0.95,
    code: 'PARQUET_ENCRYPTED_COLUMNS',
    message: `A Parquet file in plaintext-footer mode: its footer (FileMetaData) names the encryption algorithm ${alg.label} in field 8, so the column data is encrypted with column keys while the schema and row counts stay readable.`,
    figures: { footerBytes: f.length, algorithm: meta.member },
    scheme: alg.scheme,
    scope: 'partial',
    keyHint: keyHint(meta.key),
  });
}

export const parquetEncryptionDetector = defineDetector({
  meta: {
    id: 'parquet-encryption',
    version: '1.1.0',
    title:
      'Parquet files with modular encryption (encrypted footer "PARE", or encrypted columns behind a plaintext footer)',
    formats: [
      {
        id: 'parquet-encrypted',
        name: 'Apache Parquet file with modular encryption',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['parquet', 'parq'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: Buffer.from('PAR1').toString('hex') },
    { offset: 0, hex: Buffer.from('PARE').toString('hex') },
  ],
  minSize: 16,
  priority: 20,
  detect: verdict,
});
