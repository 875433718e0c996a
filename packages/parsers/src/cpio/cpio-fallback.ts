/**
 * The 7-Zip opener for cpio archives, with a fallback: when 7-Zip cannot list a cpio archive (its reader refuses
 * the ffffffff rdev fields SunOS cpio writes, "Headers Error"), the archive's own headers are read
 * (cpio-listing.ts) and its members handed out as windows of its bytes. Nothing is decompressed: cpio stores.
 */
import type { ContainerOpener } from '@evtriage/core/internal-readers';
import { MemberPaths, nameProblems, tidyMemberName, decodeZipName } from '@evtriage/core/internal-readers';
import type { ByteReader, EntryKind, EvidenceItem, EvidenceSource, SourceEntry } from '@evtriage/core';
import { listCpio, type CpioListing } from './cpio-listing.js';

const KIND_OF_TYPE: Record<number, EntryKind> = {
  0o100000: 'file',
  0o040000: 'directory',
  0o120000: 'symlink',
  0o010000: 'fifo',
  0o140000: 'socket',
  0o060000: 'block-device',
  0o020000: 'char-device',
};

class CpioSource implements EvidenceSource {
  readonly info: { path: string; kind: string };

  constructor(
    containerPath: string,
    private readonly base: ByteReader,
    private readonly listing: CpioListing,
  ) {
    this.info = { path: containerPath, kind: 'cpio' };
  }

  /** The stored paths of its regular files, from the listing: the archive's own index (core's scan-walk.ts). */
  async *memberPaths(): AsyncIterable<string> {
    for (const m of this.listing.members)
      if ((m.mode & 0o170000) === 0o100000) yield tidyMemberName(decodeZipName(m.name, 0x800, []).text);
  }

  /** Members in archive order, each a window of the archive's bytes. */
  async *entries(): AsyncIterable<SourceEntry> {
    const names = new MemberPaths();
    for (const m of this.listing.members) {
      const decoded = decodeZipName(m.name, 0x800, []);
      const claimed = names.claim(tidyMemberName(decoded.text));
      const problems = [...nameProblems(decoded.text), ...(claimed.problem ? [claimed.problem] : [])];
      const kind = KIND_OF_TYPE[m.mode & 0o170000] ?? 'other';
      const base = this.base;
      const window: ByteReader = {
        size: m.size,
        read: (position, length) => {
          const len = Math.max(0, Math.min(length, m.size - position));
          return len === 0 ? Promise.resolve(Buffer.alloc(0)) : base.read(m.offset + position, len);
        },
        close: () => Promise.resolve(),
      };
      const entry: SourceEntry = {
        path: claimed.path,
        ...(decoded.raw ? { rawPath: decoded.raw } : {}),
        kind,
        size: kind === 'file' ? m.size : 0,
        times: { modified: new Date(m.mtime * 1000).toISOString() },
        mode: m.mode & 0o7777,
        depth: 0,
        facts: {
          container: { archive: 'cpio', variant: this.listing.variant, offset: m.offset, listedBy: 'cpio headers' },
          ...(problems.length ? { problems } : {}),
        },
        ...(kind === 'file' ? { open: () => Promise.resolve(window) } : {}),
      };
      if (kind === 'symlink') entry.linkTarget = (await window.read(0, Math.min(m.size, 4096))).toString('utf8');
      yield entry;
    }
  }

  close(): Promise<void> {
    return this.base.close();
  }
}

function record(item: EvidenceItem, code: string, message: string): void {
  item.errors.push({ stage: 'container', code, message, severity: 'warning' });
}

/** `inner` (the 7-Zip opener), with cpio archives it cannot list read from their own headers. */
export function withCpioFallback(inner: ContainerOpener): ContainerOpener {
  return {
    ...inner,
    async open(entry, item, ctx): Promise<EvidenceSource> {
      try {
        return await inner.open(entry, item, ctx);
      } catch (e) {
        if (item.format?.id !== 'cpio' || !entry.open) throw e;
        const base = await entry.open();
        let listing: CpioListing;
        try {
          listing = await listCpio(base, base.size, ctx.limits.maxArchiveMembers);
        } catch {
          await base.close();
          throw e;
        }
        const why = e instanceof Error ? e.message : String(e);
        record(
          item,
          'CPIO_READ_FROM_HEADERS',
          `${why}; its ${listing.variant} headers were read instead: ${listing.members.length} member(s)${listing.trailer ? ' up to the TRAILER!!! entry' : ', the bytes ending or a header failing before any TRAILER!!! entry'}.`,
        );
        return new CpioSource(item.path, base, listing);
      }
    },
  };
}
