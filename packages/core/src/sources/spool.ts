/**
 * Keeping a streamed member's bytes readable after the stream has moved on
 * (TAR.GZ and GZIP members). The pipeline works on a window of entries at
 * once and opens nested archives after their container, so each member is
 * kept until the pipeline releases it:
 * - small members (up to `memberMemoryBytes`, while the pool holds less than
 *   `poolBytes`) stay in memory;
 * - larger ones, up to `spoolMaxBytes`, are written to a private temporary
 *   file (a 0700 folder under the OS temp dir, files 0600), deleted when the
 *   member is released and in any case when the source closes;
 * - larger still, only the probe windows (head, sampled blocks, tail) are
 *   kept as the bytes pass; reading elsewhere reports that the member was too
 *   large to keep from a single-pass stream.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ByteReader } from './source.js';
import { bufferReader } from './readers.js';

export interface SpoolLimits {
  /** Largest member kept in memory. */
  memberMemoryBytes: number;
  /** Memory all kept members may use together. */
  poolBytes: number;
  /** Largest member written to a temporary file; bigger ones keep only their probe windows. */
  spoolMaxBytes: number;
}

export const DEFAULT_SPOOL_LIMITS: Readonly<SpoolLimits> = Object.freeze({
  memberMemoryBytes: 8 * 1024 * 1024,
  poolBytes: 128 * 1024 * 1024,
  spoolMaxBytes: 4 * 1024 * 1024 * 1024,
});

/** One member's kept bytes. */
export interface Kept {
  readonly where: 'memory' | 'file' | 'windows';
  open(): Promise<ByteReader>;
  release(): void;
}

/** Collects one member's bytes chunk by chunk as the stream passes. */
export interface KeepWriter {
  write(chunk: Buffer): void;
  finish(): Kept;
  abort(): void;
}

export class Spool {
  private dir: string | undefined;
  private memory = 0;
  /** Temporary files still kept, with their open descriptors. */
  private files = new Map<string, number>();
  private seq = 0;
  private readonly exitHook = () => this.removeAllSync();

  constructor(readonly limits: SpoolLimits = DEFAULT_SPOOL_LIMITS) {}

  /** Bytes held in memory now. */
  get memoryInUse(): number {
    return this.memory;
  }

  /** Starts keeping a member of `size` bytes; `windows` are what to keep when it is too large to spool. */
  begin(size: number, windows: ReadonlyArray<{ offset: number; length: number }>): KeepWriter {
    if (size <= this.limits.memberMemoryBytes && this.memory + size <= this.limits.poolBytes)
      return this.memoryWriter(size);
    if (size <= this.limits.spoolMaxBytes) return this.fileWriter(size);
    return this.windowWriter(size, windows);
  }

  private memoryWriter(size: number): KeepWriter {
    this.memory += size;
    const buf = Buffer.allocUnsafe(size);
    let n = 0;
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        this.memory -= size;
      }
    };
    return {
      write: (chunk) => {
        const take = Math.min(chunk.length, size - n);
        chunk.copy(buf, n, 0, take);
        n += take;
      },
      finish: () => {
        const bytes = n < size ? buf.subarray(0, n) : buf;
        return { where: 'memory', open: async () => bufferReader(bytes), release };
      },
      abort: release,
    };
  }

  private ensureDir(): string {
    if (!this.dir) {
      this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-spool-'));
      fs.chmodSync(this.dir, 0o700);
      process.once('exit', this.exitHook);
    }
    return this.dir;
  }

  private fileWriter(size: number): KeepWriter {
    const file = path.join(this.ensureDir(), `m${++this.seq}`);
    const fd = fs.openSync(file, 'wx+', 0o600);
    this.files.set(file, fd);
    let n = 0;
    const remove = () => {
      if (!this.files.has(file)) return;
      this.files.delete(file);
      fs.closeSync(fd);
      fs.rmSync(file, { force: true });
    };
    return {
      write: (chunk) => {
        const take = Math.min(chunk.length, size - n);
        let off = 0;
        while (off < take) off += fs.writeSync(fd, chunk, off, take - off);
        n += take;
      },
      finish: () => {
        const length = n;
        return {
          where: 'file',
          open: async () => {
            if (!this.files.has(file))
              throw Object.assign(new Error('the member was already released'), { code: 'ERELEASED' });
            return {
              size: length,
              read: (position, len) =>
                new Promise((resolve, reject) => {
                  const l = Math.max(0, Math.min(len, length - position));
                  const buf = Buffer.allocUnsafe(l);
                  if (l === 0) return resolve(buf);
                  fs.read(fd, buf, 0, l, position, (err, got) =>
                    err ? reject(err) : resolve(got < l ? buf.subarray(0, got) : buf),
                  );
                }),
              close: async () => undefined,
            };
          },
          release: remove,
        };
      },
      abort: remove,
    };
  }

  private windowWriter(size: number, windows: ReadonlyArray<{ offset: number; length: number }>): KeepWriter {
    const kept = windows.map((w) => ({
      offset: w.offset,
      bytes: Buffer.alloc(Math.max(0, Math.min(w.length, size - w.offset))),
      filled: 0,
    }));
    let n = 0;
    return {
      write: (chunk) => {
        for (const w of kept) {
          const s = Math.max(w.offset, n);
          const e = Math.min(w.offset + w.bytes.length, n + chunk.length);
          if (e > s) {
            chunk.copy(w.bytes, s - w.offset, s - n, e - n);
            w.filled = Math.max(w.filled, e - w.offset);
          }
        }
        n += chunk.length;
      },
      finish: () => ({
        where: 'windows',
        open: async () => ({
          size: Math.min(n, size),
          read: async (position, len) => {
            const l = Math.max(0, Math.min(len, size - position));
            if (l === 0) return Buffer.alloc(0);
            for (const w of kept) {
              if (position >= w.offset && position + l <= w.offset + w.filled)
                return w.bytes.subarray(position - w.offset, position - w.offset + l);
            }
            throw Object.assign(
              new Error(
                `the member is ${size} bytes, more than the ${this.limits.spoolMaxBytes}-byte spool limit for a single-pass stream; only its head, sampled blocks and tail were kept`,
              ),
              { code: 'EMEMBER_NOT_KEPT' },
            );
          },
          close: async () => undefined,
        }),
        release: () => undefined,
      }),
      abort: () => undefined,
    };
  }

  private removeAllSync(): void {
    for (const [f, fd] of this.files) {
      try {
        fs.closeSync(fd);
      } catch {
        // Already closed.
      }
      fs.rmSync(f, { force: true });
    }
    this.files.clear();
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Deletes every temporary file and the folder. */
  close(): void {
    this.removeAllSync();
    if (this.dir) process.off('exit', this.exitHook);
    this.dir = undefined;
  }
}
