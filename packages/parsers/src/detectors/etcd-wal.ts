/**
 * etcd's write-ahead log (`member/wal/0000000000000000-0000000000000000.wal`, preallocated to 64 MB). Layout from
 * etcd's wal package (encoder.go, walpb/record.proto): frames of a 64-bit little-endian word, the record's length
 * in the low 56 bits and, when bit 63 is set, the zero padding to 8 bytes in the top byte's low 3 bits; then the
 * record, a protobuf Record {type = 1, crc = 2, data = 3}. Every file starts with a CRC record (type 4) that
 * carries the previous file's running CRC, then a metadata (1) or snapshot (5) record. etcd does not encrypt its
 * WAL: etcd-dump-logs reads it (values Kubernetes encrypted itself stay ciphertext inside, "k8s:enc:…").
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { plain, u32le } from './util.js';

const CRC_TYPE = 4;
const MAX_TYPE = 5;

interface Frame {
  type: number;
  next: number;
}

/** A varint at `at`: its value and where it ends, or undefined past 5 bytes or the buffer. */
function varint(b: Uint8Array, at: number): { value: number; end: number } | undefined {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const c = b[at + i];
    if (c === undefined) return undefined;
    value += (c & 0x7f) * 2 ** (7 * i);
    if ((c & 0x80) === 0) return { value, end: at + i + 1 };
  }
  return undefined;
}

/** The frame at `at`: a length word whose padding agrees, then a Record with its type and crc fields. */
function frame(h: Uint8Array, at: number): Frame | undefined {
  const low = u32le(h, at);
  const high = u32le(h, at + 4);
  if (low === undefined || high === undefined) return undefined;
  const top = high >>> 24;
  const length = low + (high & 0xffffff) * 2 ** 32;
  const padding = top & 0x80 ? top & 0x07 : 0;
  if ((top & 0x78) !== 0 || (top !== 0 && (top & 0x80) === 0)) return undefined;
  if (length < 2 || length > 1 << 20 || (length + padding) % 8 !== 0) return undefined;
  const start = at + 8;
  if (h[start] !== 0x08) return undefined;
  const type = varint(h, start + 1);
  if (!type || type.value < 1 || type.value > MAX_TYPE) return undefined;
  // The crc field may be absent (0 is not encoded), else it follows the type.
  if (type.end < start + length && h[type.end] !== 0x10 && h[type.end] !== 0x1a) return undefined;
  const end = start + length;
  if (h.length >= end + padding && h.subarray(end, end + padding).some((b) => b !== 0)) return undefined;
  return { type: type.value, next: end + padding };
}

function verdict(probe: Probe): Detection | undefined {
  const h = probe.head;
  const first = frame(h, 0);
  if (first?.type !== CRC_TYPE) return undefined;
  const second = frame(h, first.next);
  if (!second || (second.type !== 1 && second.type !== 5)) return undefined;
  return plain('analysable', {
    id: 'etcd-wal',
    name: 'etcd write-ahead log',
    confidence: 0.85,
    code: 'ETCD_WAL_RECORDS',
    message: `etcd write-ahead log: a CRC record (type 4) in a length-prefixed frame whose padding agrees, then a ${second.type === 1 ? 'metadata' : 'snapshot'} record (type ${second.type}). etcd does not encrypt its WAL: etcd-dump-logs reads it.`,
    figures: { secondRecordType: second.type },
  });
}

export const etcdWalDetector = defineDetector({
  meta: {
    id: 'etcd-wal',
    version: '1.0.0',
    title: "etcd's write-ahead log, by its first two records",
    formats: [
      { id: 'etcd-wal', name: 'etcd write-ahead log', status: 'analysable', how: 'structure', extensions: ['wal'] },
    ],
  },
  minSize: 24,
  priority: 30,
  detect: verdict,
});
