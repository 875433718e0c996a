/**
 * A container of one member whose bytes an opener has already made in memory (decoded text, a restored
 * quarantine file): the member is handed out once and its bytes dropped when the pipeline releases it.
 */
import type { ByteReader, EvidenceSource, SourceEntry } from '@evtriage/core';

export class MemoryMemberSource implements EvidenceSource {
  readonly info: { path: string; kind: string };
  private bytes: Buffer | undefined;

  constructor(
    containerPath: string,
    kind: string,
    private readonly member: string,
    bytes: Buffer,
    /** What `details.container` says of the member (its archive kind first). */
    private readonly container: Record<string, unknown>,
  ) {
    this.info = { path: containerPath, kind };
    this.bytes = bytes;
  }

  async *entries(): AsyncIterable<SourceEntry> {
    const bytes = this.bytes;
    if (!bytes) return;
    yield {
      path: this.member,
      kind: 'file',
      size: bytes.length,
      times: {},
      depth: 0,
      facts: { container: this.container },
      open: () => Promise.resolve(memoryReader(bytes)),
      release: () => (this.bytes = undefined),
    };
  }

  close(): Promise<void> {
    this.bytes = undefined;
    return Promise.resolve();
  }
}

function memoryReader(bytes: Buffer): ByteReader {
  return {
    size: bytes.length,
    read: (position, length) =>
      Promise.resolve(bytes.subarray(Math.min(position, bytes.length), Math.min(position + length, bytes.length))),
    close: () => Promise.resolve(),
  };
}
