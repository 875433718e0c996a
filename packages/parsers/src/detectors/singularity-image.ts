/**
 * Singularity Image Format (SIF): the single-file container images of Apptainer and SingularityCE
 * (`.sif`). A 128-byte header (a launch script line, "SIF_MAGIC\0", the spec version, the
 * descriptor table's place and size) is followed by a table of 585-byte descriptors, one per data
 * object: definition file, labels, file-system partitions, signatures, crypto messages, SBOMs.
 * An encrypted container keeps its root file system in a partition of type "encrypted squashfs"
 * (dm-crypt, unlocked with a passphrase or with an RSA key whose OAEP-wrapped secret is a
 * "crypto message" object); the table, the definition file and the signatures stay readable.
 * Reference: github.com/sylabs/sif pkg/sif (sif.go header, descriptor.go rawDescriptor, partition
 * and cryptoMessage extras; little-endian, packed).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, plain, u32le, u64le } from './util.js';

const MAGIC_AT = 32;
const MAGIC = 'SIF_MAGIC\0';
const HEADER_BYTES = 128;
const DESCRIPTOR_BYTES = 585;
const EXTRA_AT = 201; // DataType 4, Used 1, three ids 12, six int64 48, name 128
const MAX_DESCRIPTORS = 65_536;

const DATA_TYPES: Record<number, string> = {
  0x4001: 'deffile',
  0x4002: 'envvar',
  0x4003: 'labels',
  0x4004: 'partition',
  0x4005: 'signature',
  0x4006: 'generic-json',
  0x4007: 'generic',
  0x4008: 'crypto-message',
  0x4009: 'sbom',
};
const FS_ENCRYPTED_SQUASHFS = 5;
const FORMAT_PEM = 2;
const MESSAGE_RSA_OAEP = 0x200;

interface Table {
  counts: Record<string, number>;
  encryptedPartitions: number;
  rsaOaepMessages: number;
  walked: number;
}

/** Reads the used descriptors that lie in the probe head; undefined when one is not a SIF descriptor. */
function readTable(h: Uint8Array, offset: number, total: number): Table | undefined {
  const t: Table = { counts: {}, encryptedPartitions: 0, rsaOaepMessages: 0, walked: 0 };
  for (let i = 0; i < total; i++) {
    const at = offset + i * DESCRIPTOR_BYTES;
    if (at + DESCRIPTOR_BYTES > h.length) break;
    t.walked++;
    const used = h[at + 4];
    if (used === 0) continue;
    const kind = DATA_TYPES[u32le(h, at)!];
    if (used !== 1 || !kind) return undefined;
    t.counts[kind] = (t.counts[kind] ?? 0) + 1;
    const extra = at + EXTRA_AT;
    if (kind === 'partition' && u32le(h, extra) === FS_ENCRYPTED_SQUASHFS) t.encryptedPartitions++;
    if (kind === 'crypto-message' && u32le(h, extra) === FORMAT_PEM && u32le(h, extra + 4) === MESSAGE_RSA_OAEP)
      t.rsaOaepMessages++;
  }
  return t;
}

export const singularityImageDetector = defineDetector({
  meta: {
    id: 'singularity-image',
    version: '1.0.0',
    title: 'Singularity Image Format (Apptainer / SingularityCE container images)',
    formats: [
      {
        id: 'sif',
        name: 'Singularity Image Format container',
        status: 'analysable',
        how: 'structure',
        extensions: ['sif'],
      },
      {
        id: 'sif-encrypted',
        name: 'Singularity Image Format container with an encrypted root file system',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['sif'],
      },
    ],
  },
  minSize: HEADER_BYTES,
  priority: 20,
  signatures: [{ offset: MAGIC_AT, ascii: MAGIC }],
  detect(probe): Detection | undefined {
    const h = probe.head;
    const version = ascii(h, 42, 44);
    const free = u64le(h, 80);
    const total = u64le(h, 88);
    const offset = u64le(h, 96);
    const tableBytes = u64le(h, 104);
    const dataOffset = u64le(h, 112);
    if (!/^\d\d$/.test(version) || h[44] !== 0) return undefined;
    if (free === undefined || total === undefined || offset === undefined || dataOffset === undefined) return undefined;
    if (total < 1 || total > MAX_DESCRIPTORS || free > total || offset < HEADER_BYTES) return undefined;
    if (tableBytes !== total * DESCRIPTOR_BYTES || dataOffset < offset + tableBytes) return undefined;
    const table = readTable(h, offset, total);
    if (!table) return undefined;
    const objects = Object.values(table.counts).reduce((a, b) => a + b, 0);
    const figures = {
      version,
      descriptors: total,
      used: total - free,
      walkedDescriptors: table.walked,
      encryptedPartitions: table.encryptedPartitions,
      rsaOaepMessages: table.rsaOaepMessages,
      ...table.counts,
    };
    const listed = Object.entries(table.counts)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    const walkedAll = table.walked === total ? '' : ` (${table.walked} of ${total} descriptors lie in the probe)`;
    if (table.encryptedPartitions > 0 || table.rsaOaepMessages > 0) {
      const byKey = table.rsaOaepMessages > 0;
      return locked({
        id: 'sif-encrypted',
        name: 'Singularity Image Format container with an encrypted root file system',
        confidence: table.encryptedPartitions > 0 ? 0.95 : 0.85,
        code: 'SIF_ENCRYPTED_PARTITION',
        message: `SIF container (spec ${version}; ${listed}${walkedAll}): ${table.encryptedPartitions > 0 ? `${table.encryptedPartitions} partition${table.encryptedPartitions === 1 ? ' is' : 's are'} of type "encrypted squashfs"` : 'no encrypted partition read'}${byKey ? `, and ${table.rsaOaepMessages} RSA-OAEP crypto message${table.rsaOaepMessages === 1 ? '' : 's'} hold${table.rsaOaepMessages === 1 ? 's' : ''} the wrapped key` : ''}. The descriptor table, definition file and signatures are readable.`,
        figures,
        scope: 'partial',
        scheme: byKey ? 'sif-encrypted-squashfs-rsa-oaep' : 'sif-encrypted-squashfs',
        keyHint: byKey
          ? {
              description: 'The RSA private key (PEM) whose public key encrypted the container (apptainer --pem-path).',
              kind: 'key-file',
              present: 'unknown',
            }
          : {
              description:
                'The passphrase given at build time (apptainer build --passphrase, or APPTAINER_ENCRYPTION_PASSPHRASE).',
              kind: 'password',
              present: 'unknown',
            },
      });
    }
    return plain('analysable', {
      id: 'sif',
      name: 'Singularity Image Format container',
      confidence: objects > 0 ? 0.95 : 0.9,
      code: 'SIF_HEADER',
      message: `SIF container (spec ${version}) with ${objects === 0 ? 'no data objects' : listed}${walkedAll}; no partition is of the encrypted type.`,
      figures,
    });
  },
});
