/**
 * A VMDK descriptor file (a split disk's `<disk>.vmdk`, twoGbMaxExtentSparse or monolithicFlat, or a differencing
 * disk's): text naming the extent files that hold the guest's bytes. Its guest is not in it: each extent is an item
 * of its own (a sparse extent judged by vmdk-volume, the first one where the guest starts; a flat extent is the raw
 * disk, read by the disk-encryption detector). This records which files the descriptor names and whether each is
 * in the source beside it, so an analyst can tie an encrypted `-s001.vmdk` or `-flat.vmdk` to its disk, or see
 * that the extents were not seized. Reference: VMware "Virtual Disk Format 5.0" §"The Descriptor File" (header
 * `# Disk DescriptorFile`, `createType`, `parentFileNameHint`, extent lines `RW|RDONLY|NOACCESS <sectors> <type>
 * "<file>" [<offset>]`).
 */
import { defineParser, type ParseResult } from '@evtriage/core/contract';

/** A descriptor is a few hundred bytes; VMware's and qemu-img's are under 2 KiB. */
const DESCRIPTOR_MAX = 64 * 1024;
/** Extent lines recorded at most (a 2 TB disk in 2 GB extents has about a thousand). */
const EXTENTS_MAX = 4096;
const EXTENT_LINE = /^(RW|RDONLY|NOACCESS)\s+(\d+)\s+(\w+)\s+"([^"]*)"/;

interface Extent {
  access: string;
  sectors: number;
  type: string;
  file: string;
  /** Whether a file of that name is in the same folder of the source. */
  inSource: boolean;
}

function folderOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at + 1);
}

export const vmdkDescriptorParser = defineParser({
  meta: {
    id: 'vmdk-descriptor',
    version: '1.0.0',
    title: "A VMDK descriptor file: the extent files that hold its disk's bytes, and whether they were seized",
    formats: ['vmdk'],
    indexPatterns: ['**/*.vmdk'],
  },
  priority: 40,
  async parse(ctx): Promise<ParseResult | undefined> {
    const text = (await ctx.read(0, Math.min(ctx.item.size, DESCRIPTOR_MAX))).toString('latin1');
    if (!text.startsWith('# Disk DescriptorFile')) return undefined;
    const folder = folderOf(ctx.item.path);
    const present = new Set(ctx.findInSource('**/*.vmdk').filter((p) => folderOf(p) === folder));
    const extents: Extent[] = [];
    let createType: string | undefined;
    let parent: string | undefined;
    for (const line of text.split(/\r?\n/)) {
      const m = EXTENT_LINE.exec(line.trim());
      if (m && extents.length < EXTENTS_MAX)
        extents.push({
          access: m[1]!,
          sectors: Number(m[2]),
          type: m[3]!,
          file: m[4]!,
          inSource: present.has(`${folder}${m[4]!}`),
        });
      createType ??= /^createType\s*=\s*"([^"]*)"/.exec(line)?.[1];
      parent ??= /^parentFileNameHint\s*=\s*"([^"]*)"/.exec(line)?.[1];
    }
    if (extents.length === 0 && createType === undefined) return undefined;
    const sectors = extents.reduce((n, e) => n + e.sectors, 0);
    return {
      details: {
        ...(createType !== undefined ? { createType } : {}),
        guestBytes: sectors * 512,
        extents: extents.map(
          (e) => `${e.file} (${e.type}, ${e.sectors} sectors${e.inSource ? '' : ', not in the source'})`,
        ),
        extentsInSource: extents.filter((e) => e.inSource).length,
        extentsNamed: extents.length,
        ...(parent !== undefined ? { parent } : {}),
      },
    };
  },
});
