/**
 * Writes a ZIP64 archive by hand for tests and benchmarks, so a 4 GiB member
 * costs no disk: its bytes are a hole in a sparse file (zeros) between a head
 * and a tail marker. Every member is stored; sizes and offsets past 4 GiB go
 * in the Zip64 extended-information extra field (0x0001), and the archive
 * ends with a Zip64 end record, its locator and an end record of 0xFFFF/
 * 0xFFFFFFFF markers. Reference: PKWARE APPNOTE 6.3.10 §4.3.14-4.3.16, §4.5.3.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';

export interface Zip64Member {
  name: string;
  /** Small members: their bytes. */
  data?: Buffer;
  /** A large sparse member: its size, with `head` at the start and `tail` at the end, zeros between. */
  sparse?: { size: number; head: Buffer; tail: Buffer };
}

const MAX32 = 0xffffffff;
const DOS_TIME = (3 << 11) | (4 << 5) | 2; // 03:04:04
const DOS_DATE = ((2026 - 1980) << 9) | (1 << 5) | 2; // 2026-01-02

function crcOfSparse(size: number, head: Buffer, tail: Buffer): number {
  let crc = zlib.crc32(head);
  const zeros = Buffer.alloc(64 * 1024 * 1024);
  let left = size - head.length - tail.length;
  while (left > 0) {
    const n = Math.min(left, zeros.length);
    crc = zlib.crc32(n === zeros.length ? zeros : zeros.subarray(0, n), crc);
    left -= n;
  }
  return zlib.crc32(tail, crc);
}

/** Writes the archive; returns its size. */
export function writeZip64(file: string, members: readonly Zip64Member[]): number {
  const fd = fs.openSync(file, 'w');
  let pos = 0;
  const write = (buf: Buffer) => {
    fs.writeSync(fd, buf, 0, buf.length, pos);
    pos += buf.length;
  };
  const central: Buffer[] = [];
  try {
    for (const m of members) {
      const name = Buffer.from(m.name, 'utf8');
      const size = m.data ? m.data.length : m.sparse!.size;
      const crc = m.data ? zlib.crc32(m.data) : crcOfSparse(m.sparse!.size, m.sparse!.head, m.sparse!.tail);
      const offset = pos;
      const big = size >= MAX32;
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(45, 4);
      local.writeUInt16LE(0x0800, 6);
      local.writeUInt16LE(0, 8);
      local.writeUInt16LE(DOS_TIME, 10);
      local.writeUInt16LE(DOS_DATE, 12);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(big ? MAX32 : size, 18);
      local.writeUInt32LE(big ? MAX32 : size, 22);
      local.writeUInt16LE(name.length, 26);
      const localExtra = big ? Buffer.alloc(20) : Buffer.alloc(0);
      if (big) {
        localExtra.writeUInt16LE(0x0001, 0);
        localExtra.writeUInt16LE(16, 2);
        localExtra.writeBigUInt64LE(BigInt(size), 4);
        localExtra.writeBigUInt64LE(BigInt(size), 12);
      }
      local.writeUInt16LE(localExtra.length, 28);
      write(Buffer.concat([local, name, localExtra]));
      if (m.data) write(m.data);
      else {
        const { head, tail } = m.sparse!;
        write(head);
        pos += size - head.length - tail.length; // a hole
        write(tail);
      }
      const z: Buffer[] = [];
      if (big) z.push(u64(size), u64(size));
      if (offset >= MAX32) z.push(u64(offset));
      const extra = z.length ? Buffer.concat([u16(0x0001), u16(z.length * 8), ...z]) : Buffer.alloc(0);
      const cd = Buffer.alloc(46);
      cd.writeUInt32LE(0x02014b50, 0);
      cd.writeUInt16LE((3 << 8) | 45, 4);
      cd.writeUInt16LE(45, 6);
      cd.writeUInt16LE(0x0800, 8);
      cd.writeUInt16LE(0, 10);
      cd.writeUInt16LE(DOS_TIME, 12);
      cd.writeUInt16LE(DOS_DATE, 14);
      cd.writeUInt32LE(crc, 16);
      cd.writeUInt32LE(big ? MAX32 : size, 20);
      cd.writeUInt32LE(big ? MAX32 : size, 24);
      cd.writeUInt16LE(name.length, 28);
      cd.writeUInt16LE(extra.length, 30);
      cd.writeUInt32LE((0o100644 << 16) >>> 0, 38);
      cd.writeUInt32LE(offset >= MAX32 ? MAX32 : offset, 42);
      central.push(cd, name, extra);
    }
    const cdStart = pos;
    // Written in slices so a 70,000-member directory is not one huge concat.
    for (let i = 0; i < central.length; i += 3000) write(Buffer.concat(central.slice(i, i + 3000)));
    const cdSize = pos - cdStart;
    const eocd64At = pos;
    const eocd64 = Buffer.alloc(56);
    eocd64.writeUInt32LE(0x06064b50, 0);
    eocd64.writeBigUInt64LE(44n, 4);
    eocd64.writeUInt16LE((3 << 8) | 45, 12);
    eocd64.writeUInt16LE(45, 14);
    eocd64.writeBigUInt64LE(BigInt(members.length), 24);
    eocd64.writeBigUInt64LE(BigInt(members.length), 32);
    eocd64.writeBigUInt64LE(BigInt(cdSize), 40);
    eocd64.writeBigUInt64LE(BigInt(cdStart), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(eocd64At), 8);
    locator.writeUInt32LE(1, 16);
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(0xffff, 8);
    eocd.writeUInt16LE(0xffff, 10);
    eocd.writeUInt32LE(cdSize >= MAX32 ? MAX32 : cdSize, 12);
    eocd.writeUInt32LE(MAX32, 16);
    write(Buffer.concat([eocd64, locator, eocd]));
    return pos;
  } finally {
    fs.closeSync(fd);
  }
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}
function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}
