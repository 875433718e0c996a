/**
 * What the compressed-stream tests share: a stream decoded whole (with the sizes of the chunks it came in, and
 * the error it ended on), and seeded mutants of a fixture (the same ones on every run).
 */
import { Readable } from 'node:stream';
import { decompress, type StreamCodec } from './compressed.js';
import { nextChunk } from './readers.js';
import type { SourceKind } from '../model/manifest.js';
import { guessTar, TarSource } from './tar.js';

export async function expand(
  codec: StreamCodec,
  bytes: Buffer,
): Promise<{ out: Buffer; chunks: number[]; error?: Error }> {
  const r = decompress(codec, Readable.from([bytes]));
  const parts: Buffer[] = [];
  try {
    for (;;) {
      const c = await nextChunk(r);
      if (c === null) break;
      parts.push(c);
    }
  } catch (err) {
    return { out: Buffer.concat(parts), chunks: parts.map((p) => p.length), error: err as Error };
  }
  return { out: Buffer.concat(parts), chunks: parts.map((p) => p.length) };
}

/** A small seeded generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One mutant of `seed`: bits flipped, a cut, a run of one byte, or bytes taken out. */
export function mutant(seed: Buffer, r: () => number): Buffer {
  const b = Buffer.from(seed);
  const kind = Math.floor(r() * 4);
  const at = Math.floor(r() * b.length);
  if (kind === 0)
    for (let i = 0; i < 1 + r() * 8; i++) {
      const k = Math.floor(r() * b.length);
      b[k] = b[k]! ^ (1 << Math.floor(r() * 8));
    }
  else if (kind === 1) return b.subarray(0, at);
  else if (kind === 2) b.fill(Math.floor(r() * 256), at, Math.min(b.length, at + 1 + Math.floor(r() * 64)));
  else return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + Math.floor(r() * 32)))]);
  return b;
}

/** A compressed TAR file read as a source: the kind guessed from its name, the kind the source says, its check, its members whole. */
export async function readCompressedTar(
  at: string,
  kind: SourceKind,
): Promise<{ guessed: string | undefined; kind: string; problem: unknown; members: Map<string, Buffer> }> {
  const guessed = guessTar(at, Buffer.alloc(0));
  const source = await TarSource.fromFile(at, at, kind);
  const problem = (await source.check()).problem;
  const members = new Map<string, Buffer>();
  for await (const e of source.entries()) {
    if (e.open) members.set(e.path, await (await e.open()).read(0, e.size));
    e.release?.();
  }
  await source.close();
  return { guessed, kind: source.info.kind, problem, members };
}
