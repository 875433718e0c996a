/**
 * The guest disk inside a block-mapped image container (VMDK, VHD, VHDX, VDI, QED, QCOW2, EWF): its bytes rebuilt
 * block by block from where the container's own allocation table says each block is stored (EWF: inflated from its
 * zlib chunk; a compressed QCOW2 cluster or VMDK grain: inflated, at most one block's size), zeros where it stores nothing. Only the guest's first and last window are rebuilt (a few table
 * entries and at most 2 x 16 KiB of data are read; a partitioned guest's partition starts too), then judged by guest-volume.ts as the QCOW2 and Android sparse readers' guests are.
 */
import { defineParser, type ParseResult } from '@evtriage/core/contract';
import { guestVolumeVerdict, type Guest } from './guest-volume.js';

export type Read = (offset: number, length: number) => Promise<Buffer>;

/**
 * Where guest block `index` starts in the file; or its bytes, inflated, when the container stores this block
 * compressed (a compressed QCOW2 cluster, a stream-optimized VMDK grain); or undefined (not stored, zero, not
 * readable or out of bounds).
 */
export type LocateBlock = (index: number) => Promise<number | Buffer | undefined>;

/** The guest's window read at each end. */
export const GUEST_WINDOW = 16 * 1024;

/** Guest block `index`, whole, for a container that stores blocks compressed (EWF chunks): undefined when unreadable. */
export type ReadBlock = (index: number) => Promise<Buffer | undefined>;

/** Where each guest block is: a file offset (stored as is) or the inflated block. */
export type Blocks = { locate: LocateBlock } | { readBlock: ReadBlock };

/** Guest bytes [from, from + length), block by block (zeros where nothing readable is stored). */
async function guestBytes(
  blockSize: number,
  blocks: Blocks,
  from: number,
  length: number,
  read: Read,
  fileSize: number,
): Promise<Buffer> {
  const out = Buffer.alloc(length);
  for (let at = from; at < from + length;) {
    const index = Math.floor(at / blockSize);
    const end = Math.min(from + length, (index + 1) * blockSize);
    const within = at - index * blockSize;
    if ('readBlock' in blocks) {
      const block = await blocks.readBlock(index);
      block?.subarray(within, within + (end - at)).copy(out, at - from);
    } else {
      const start = await blocks.locate(index);
      const host = typeof start === 'number' ? start + within : undefined;
      if (Buffer.isBuffer(start)) start.subarray(within, within + (end - at)).copy(out, at - from);
      else if (host !== undefined && host >= 0 && host + (end - at) <= fileSize)
        (await read(host, end - at)).copy(out, at - from);
    }
    at = end;
  }
  return out;
}

/** The guest's first and last window, and a reader of any other guest bytes, through the container's block map. */
export async function guestWindows(
  guestSize: number,
  blockSize: number,
  blocks: Blocks,
  read: Read,
  fileSize: number,
): Promise<Guest> {
  const window = Math.min(GUEST_WINDOW, guestSize);
  const guestRead: Read = (offset, length) => {
    const from = Math.max(0, Math.min(offset, guestSize));
    return guestBytes(blockSize, blocks, from, Math.max(0, Math.min(length, guestSize - from)), read, fileSize);
  };
  return {
    size: guestSize,
    head: await guestRead(0, window),
    tail: await guestRead(guestSize - window, window),
    read: guestRead,
  };
}

/** A little- or big-endian table entry of `bytes` (4 or 8) at `offset`, or undefined when the file is too short. */
export async function tableEntry(
  read: Read,
  offset: number,
  bytes: 4 | 8,
  bigEndian: boolean,
  fileSize: number,
): Promise<number | undefined> {
  if (offset < 0 || offset + bytes > fileSize) return undefined;
  const b = await read(offset, bytes);
  if (b.length < bytes) return undefined;
  if (bytes === 4) return bigEndian ? b.readUInt32BE(0) : b.readUInt32LE(0);
  const v = bigEndian ? b.readBigUInt64BE(0) : b.readBigUInt64LE(0);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(v);
}

/** A container's guest disk, as its header and allocation table describe it. */
export type BlockLayout = Blocks & {
  guestSize: number;
  blockSize: number;
  /** "The VDI image stores a guest disk of …": the start of the verdict's sentence. */
  holds: string;
  figures: Record<string, number>;
  /** The backing (parent) file the header names: the guest blocks this overlay does not store are there. */
  backing?: string;
};

/**
 * A file of the container that holds part of a guest disk but not its start (a later extent of a split VMDK, an
 * EWF segment after the first): why its guest is not judged from it.
 */
export interface NotJudged {
  notJudged: string;
}

interface ContainerSpec {
  id: string;
  version?: string;
  title: string;
  formats: string[];
  /** The encrypted-guest format: its id and name. */
  encrypted: { id: string; name: string };
  /** Diagnostic and reason codes' prefix, e.g. "VDI". */
  code: string;
  /** The container may be split across files, of which only the first holds the guest's start (VMDK, EWF). */
  split?: true;
  /** The container may be an overlay over a backing file its header names (QCOW2). */
  backing?: true;
  /**
   * The layout, a reason the tables cannot be followed, why this file's guest is not judged, or undefined (not this
   * container, or nothing to read). `name` is the file's name (a split disk's extents are told apart by it).
   */
  layout: (read: Read, fileSize: number, name: string) => Promise<BlockLayout | NotJudged | string | undefined>;
}

/** A parser that reads a block-mapped container's guest through its layout and gives guest-volume's verdict. */
export function defineGuestContainerParser(spec: ContainerSpec) {
  const damaged = `${spec.code}_TABLES_DAMAGED`;
  const notJudged = `${spec.code}_GUEST_NOT_JUDGED`;
  const inBacking = `${spec.code}_GUEST_IN_BACKING_FILE`;
  return defineParser({
    meta: {
      id: spec.id,
      version: spec.version ?? '1.0.0',
      title: spec.title,
      formats: spec.formats,
      diagnostics: {
        [damaged]: `The ${spec.code} header cannot be followed to the guest disk: {reason}. What the guest holds was not read.`,
        ...(spec.split
          ? { [notJudged]: `The ${spec.code} file holds part of a guest disk but not its start: {reason}.` }
          : {}),
        ...(spec.backing
          ? {
              [inBacking]: `The ${spec.code} image is an overlay over the backing file {backing}, not read here: the guest blocks it does not store, and so what its guest holds, are in that file.`,
            }
          : {}),
      },
    },
    priority: 35,
    async parse(ctx): Promise<ParseResult | undefined> {
      const size = ctx.item.size;
      const read: Read = (o, n) => ctx.read(o, n);
      const layout = await spec.layout(read, size, ctx.probe.name);
      if (typeof layout === 'string')
        ctx.report({
          code: damaged,
          severity: 'warning',
          message: `The ${spec.code} header cannot be followed to the guest disk: ${layout}. What the guest holds was not read.`,
        });
      if (layout && typeof layout === 'object' && 'notJudged' in layout)
        ctx.report({
          code: notJudged,
          severity: 'info',
          message: `The ${spec.code} file holds part of a guest disk but not its start: ${layout.notJudged}.`,
        });
      if (!layout || typeof layout === 'string' || 'notJudged' in layout) return undefined;
      const guest = await guestWindows(layout.guestSize, layout.blockSize, layout, read, size);
      const verdict = await guestVolumeVerdict(ctx.probe, guest, {
        format: spec.encrypted,
        holds: layout.holds,
        codes: {
          named: `${spec.code}_GUEST_ENCRYPTED_VOLUME`,
          random: `${spec.code}_GUEST_RANDOM_START`,
          partition: `${spec.code}_GUEST_ENCRYPTED_PARTITION`,
        },
        details: layout.figures,
        figures: layout.figures,
        randomKey: "The guest's disk-encryption passphrase (or its recovery key).",
      });
      // An overlay whose own blocks say nothing: the guest's start may be in its backing file (an encrypted base).
      if (!verdict && spec.backing && layout.backing !== undefined)
        ctx.report({
          code: inBacking,
          severity: 'info',
          message: `The ${spec.code} image is an overlay over the backing file "${layout.backing}", not read here: the guest blocks it does not store, and so what its guest holds, are in that file.`,
        });
      return verdict;
    },
  });
}
