/**
 * A parse child process (forked by parse-pool.ts): it loads the plugin
 * modules it is given, takes the parsers with the given ids (the very objects
 * those modules export, as identify-worker.ts finds them), and runs the same
 * `parseItem` as the main thread on one item at a time: a folder file, read
 * in place, or an archive member, whose bytes (and companions such as `-wal`)
 * it asks the supervisor for, as the container reads them on the main thread.
 *
 * Why a process and not a thread: a parser that loops synchronously can only
 * be stopped from outside, and a V8 fatal error (heap limit, invalid size)
 * ends the whole process. Here either ends this child only; the supervisor
 * records it on the item and starts another child.
 *
 * What a child touches: the source folder, read-only (the item and its
 * siblings, through the same readers the folder source uses), the bytes the
 * supervisor sends, and its private
 * temporary folder (TMPDIR, made and removed by the supervisor, or by the
 * child when the scan's process died: parse-private-tmp.ts). It writes
 * nothing else; it exits when its IPC channel closes (busy in a loop then, its
 * watchdog thread kills it: parse-watchdog.ts), so it never outlives the scan.
 * Nothing but this code enforces that: it is not an OS sandbox.
 */
import { Worker } from 'node:worker_threads';
import type { EvidenceItem } from '../model/evidence-item.js';
import type { ScanLimits } from '../limits.js';
import type { ParserPlugin, Probe } from '../plugin/types.js';
import type { SourceEntry } from '../sources/source.js';
import { openLocalReader } from '../sources/folder.js';
import { exportedPlugins } from './identify-worker.js';
import { parseItem } from './parse.js';
import { PRIVATE_TMPDIR_ENV, removePrivateTmp } from './parse-private-tmp.js';
import { fixedSourceIndex, scopedIndex, type SourceIndex } from './source-index.js';

/** Messages from the supervisor. */
export type ToParseChild =
  | {
      type: 'init';
      /** Module URLs to import. */
      modules: readonly string[];
      /** Parser ids to take from them, in registry order. */
      ids: readonly string[];
      /** The pre-pass index snapshot (paths only). */
      indexPaths: readonly string[];
    }
  | {
      type: 'job';
      job: number;
      item: EvidenceItem;
      /** A folder file, read in place; absent for an archive member (read through the supervisor). */
      localPath?: string | Buffer;
      probe: Probe;
      formatId: string;
      limits: ScanLimits;
      /**
       * The archive's own indexed paths the item's parsers see beside the snapshot (scan-walk.ts): sent with a
       * scope's first job on this child, named by id alone after.
       */
      scope?: { id: number; paths?: readonly string[] };
    }
  /** The answer to a `read` or `sibling` request. */
  | { type: 'bytes'; job: number; request: number; data?: Uint8Array; error?: { message: string; code?: string } };

/** Messages to the supervisor. */
export type FromParseChild =
  | { type: 'ready' }
  | { type: 'init-failed'; message: string }
  /** Sent before each applicable parser: the supervisor names it if this child must be stopped. */
  | {
      type: 'parser';
      job: number;
      parser: string;
      /** The item so far, when earlier parsers changed it: kept if this parser has to be stopped. */
      item?: EvidenceItem;
    }
  | { type: 'done'; job: number; item: EvidenceItem }
  /** An archive member's bytes, or a companion's (`data` undefined when it does not exist). */
  | { type: 'read'; job: number; request: number; position: number; length: number }
  | { type: 'sibling'; job: number; request: number; suffix: string; maxBytes: number }
  /** `parseItem` itself threw (not a parser: those become errors on the item). */
  | { type: 'failed'; job: number; item: EvidenceItem; error: { message: string; code?: string } };

let parsers: ParserPlugin[] = [];
let index: SourceIndex = fixedSourceIndex([]);
/** The archive index last sent, over the snapshot. */
let scoped: { id: number; index: SourceIndex } | undefined;

/** The index a job's parsers see: the snapshot, or the archive's own paths over it. */
function indexFor(scope: Extract<ToParseChild, { type: 'job' }>['scope']): SourceIndex {
  if (!scope) return index;
  if (scope.paths) scoped = { id: scope.id, index: scopedIndex(scope.paths, index) };
  // The supervisor sends the paths whenever this child was not last told this scope.
  return scoped?.id === scope.id ? scoped.index : index;
}

function send(message: FromParseChild): void {
  process.send?.(message);
}

async function init(message: Extract<ToParseChild, { type: 'init' }>): Promise<void> {
  try {
    const found = new Map<string, ParserPlugin>();
    for (const url of message.modules) {
      for (const p of exportedPlugins((await import(url)) as Record<string, unknown>))
        if (p.kind === 'parser' && !found.has(p.meta.id)) found.set(p.meta.id, p);
    }
    parsers = message.ids.map((id) => {
      const p = found.get(id);
      if (!p) throw new Error(`no module exports parser ${id}`);
      return p;
    });
    index = fixedSourceIndex(message.indexPaths);
    scoped = undefined;
    send({ type: 'ready' });
  } catch (err) {
    send({ type: 'init-failed', message: (err as Error)?.message ?? String(err) });
  }
}

/** Reads asked of the supervisor, by request number. */
const pending = new Map<number, { resolve: (data: Buffer | undefined) => void; reject: (err: Error) => void }>();
let nextRequest = 1;
/** Bytes asked for in one message at most: a parser's big read is cut into these. */
const READ_CHUNK = 4 * 1024 * 1024;

function ask(
  message:
    | { type: 'read'; job: number; position: number; length: number }
    | { type: 'sibling'; job: number; suffix: string; maxBytes: number },
): Promise<Buffer | undefined> {
  const request = nextRequest++;
  return new Promise((resolve, reject) => {
    pending.set(request, { resolve, reject });
    send({ ...message, request });
  });
}

/** An archive member as the supervisor reads it: through its container's reader, on the main thread. */
function memberEntry(job: number, item: EvidenceItem): SourceEntry {
  const read = async (position: number, length: number): Promise<Buffer> => {
    const parts: Buffer[] = [];
    for (let at = position, left = length; left > 0;) {
      const part =
        (await ask({ type: 'read', job, position: at, length: Math.min(left, READ_CHUNK) })) ?? Buffer.alloc(0);
      parts.push(part);
      if (part.length < Math.min(left, READ_CHUNK)) break; // the end of the member
      at += part.length;
      left -= part.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  };
  return {
    path: item.path,
    kind: 'file',
    size: item.size,
    times: item.times,
    depth: item.depth,
    open: () => Promise.resolve({ size: item.size, read, close: () => Promise.resolve() }),
    readSibling: (suffix, maxBytes) => ask({ type: 'sibling', job, suffix, maxBytes }),
  };
}

function answer(message: Extract<ToParseChild, { type: 'bytes' }>): void {
  const waiting = pending.get(message.request);
  if (!waiting) return;
  pending.delete(message.request);
  if (message.error) waiting.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
  else
    waiting.resolve(
      message.data ? Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength) : undefined,
    );
}

async function runJob(message: Extract<ToParseChild, { type: 'job' }>): Promise<void> {
  const { job, item, localPath, probe, limits } = message;
  const jobIndex = indexFor(message.scope);
  // A folder entry as the folder source makes it (reads through a local reader, siblings beside the file),
  // or an archive member read through the supervisor.
  const entry: SourceEntry =
    localPath === undefined
      ? memberEntry(job, item)
      : {
          path: item.path,
          kind: 'file',
          size: item.size,
          times: item.times,
          depth: item.depth,
          localPath,
          open: () => openLocalReader(localPath),
        };
  let sent = fingerprint(item);
  try {
    await parseItem(item, entry, probe, {
      parsers,
      limits,
      index: jobIndex,
      onParser: (parser) => {
        const now = fingerprint(item);
        const changed = now.some((v, i) => v !== sent[i]);
        sent = now;
        send({ type: 'parser', job, parser, ...(changed ? { item } : {}) });
      },
    });
    send({ type: 'done', job, item });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    send({
      type: 'failed',
      job,
      item,
      error: { message: e?.message ?? String(err), ...(typeof e?.code === 'string' ? { code: e.code } : {}) },
    });
  }
}

/**
 * What parseItem changes on an item: it replaces these fields with new objects
 * and appends errors (parse.ts, applyResult and pushError).
 */
function fingerprint(item: EvidenceItem): unknown[] {
  return [item.details, item.artifact, item.classification, item.format, item.encryption, item.errors.length];
}

process.on('message', (message: ToParseChild) => {
  if (message.type === 'init') void init(message);
  else if (message.type === 'bytes') answer(message);
  else void runJob(message);
});
const privateTmp = process.env[PRIVATE_TMPDIR_ENV];
// The scan ended or its process died: nothing more will come. If it died, only this child can remove its folder.
process.on('disconnect', () => {
  removePrivateTmp(privateTmp);
  process.exit(0);
});
// If the scan's process dies while a parser loops here, this thread ends the child (parse-watchdog.ts).
const watchdog = new Worker(new URL('./parse-watchdog.js', import.meta.url), {
  workerData: { parent: process.ppid, privateTmp },
});
// A watchdog that cannot run leaves this child as it was without one: the supervisor's kill still ends it.
watchdog.on('error', () => undefined);
watchdog.unref();
