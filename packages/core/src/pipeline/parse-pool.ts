/**
 * The parse pool: parsers loaded from modules run in supervised child
 * processes (parse-worker.ts), one item at a time per child, so no file can
 * stop, stall or swell the scan through a parser:
 *
 * - a parser stuck in a synchronous loop is stopped: each applicable parser
 *   gets `pluginTimeoutMs` plus a grace (so an async hang is still reported by
 *   the child's own timer as PLUGIN_TIMEOUT, exactly as on the main thread);
 *   past it the child is SIGKILLed and the item gets ITEM_TIMEOUT naming the
 *   parser. The clock restarts at each parser and covers the engine's work
 *   for it (reading the item, opening the SQLite copy), so an item's total is
 *   at most (parsers x that budget);
 * - a child that dies (V8 fatal error, process.abort, heap cap
 *   `workerHeapMb`) takes no other item with it: its item is retried once on
 *   a fresh child, and an item that kills a child twice gets WORKER_CRASHED,
 *   or MEMORY_LIMIT when the child hit its heap cap, naming the parser.
 *
 * Items whose applicable parsers all come from the pool's modules go to a
 * child: a folder file is read there in place; an archive member is read
 * here, through its container (the child asks for byte ranges and companions
 * such as `-wal`, and this side answers from the entry's reader). The rest
 * run on the main thread as before, so parser order and results never depend
 * on where an item ran. The child returns the item; it is copied into the
 * caller's item.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScanLimits } from '../limits.js';
import type { EvidenceItem } from '../model/evidence-item.js';
import type { ParserPlugin, Probe } from '../plugin/types.js';
import type { ByteReader, SourceEntry } from '../sources/source.js';
import type { SourceIndex } from './source-index.js';
import { exportedPlugins } from './identify-worker.js';
import { applicable, parseItem, sizeFits, type ParseStageDeps } from './parse.js';
import { pushError } from './item-errors.js';
import { parseChildEnv, parseChildExecArgv } from './parse-child-options.js';
import { PRIVATE_TMPDIR_ENV, PRIVATE_TMPDIR_PREFIX, removePrivateTmp } from './parse-private-tmp.js';
import { adoptParseChild, forgetParseChild, parkParseChild, settleChildren, type SpareChild } from './parse-spares.js';
import type { FromParseChild, ToParseChild } from './parse-worker.js';

// The compiled child entry next to this module (dist). From TypeScript sources there is none: no pool then.
const WORKER_FILE = fileURLToPath(new URL('./parse-worker.js', import.meta.url));
/** Stderr kept per child, to tell a heap-limit abort from another crash. */
const STDERR_TAIL_BYTES = 8 * 1024;
/** Children started by default at most, whatever the core count. */
const MAX_DEFAULT_CHILDREN = 4;
/** Children that die before they are ready, in a row, before the pool gives up and parses in-process. */
const MAX_START_FAILURES = 3;

export interface ParsePoolOptions {
  /** Module URLs whose exported parsers may run in the children. */
  modules: readonly string[];
  /** The registry's parsers, in order. */
  parsers: readonly ParserPlugin[];
  limits: ScanLimits;
  /** The index snapshot the children answer `findInSource` from (complete: a pre-pass ran, or no plugin asks). */
  indexPaths: readonly string[];
  /**
   * Child processes (default: available cores less the scan's own, 1 to MAX_DEFAULT_CHILDREN: each holds the plugin modules,
   * about 100 MiB, and parsing is a small share of a scan's CPU; docs/performance.md).
   */
  children?: number;
  /** The scan's interruption: stops the children at once, so an interrupted scan does not wait out a stuck parser. */
  signal?: AbortSignal;
}

export interface ParsePool {
  /** Parses the item: in a child when it can go there, else on this thread (`parseItem`). */
  parse(item: EvidenceItem, entry: SourceEntry, probe: Probe, deps: ParseStageDeps): Promise<void>;
  /** Stops every child (killing busy ones); pending items fail. Safe to call twice. */
  close(): Promise<void>;
  /** Ids of the parsers that run in the children. */
  readonly parserIds: readonly string[];
}

interface Job {
  item: EvidenceItem;
  /** The entry: a folder file (`localPath`, read by the child) or a member, read here for the child. */
  entry: SourceEntry;
  /** The member's reader, opened at the child's first read and closed when the job ends. */
  reader?: Promise<ByteReader>;
  probe: Probe;
  formatId: string;
  /** The archive's own index the item's parsers see beside the scan's (source-index.ts, scopedIndex). */
  scope?: SourceIndex['scope'];
  /** Children this item was on when they died. */
  deaths: number;
  /** Parses it on this thread instead (when children cannot start). */
  inProcess(): Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

interface Child extends SpareChild {
  /** The pool it works for; undefined while it is a spare between scans (parse-spares.ts). */
  owner: SupervisedParsePool | undefined;
  ready: boolean;
  job?: Job;
  jobId: number;
  parser?: string;
  /** The item as the child last reported it (after the parsers before `parser`). */
  latest?: EvidenceItem;
  timer?: NodeJS.Timeout;
  /** Set when the supervisor killed it on purpose (deadline, close). */
  killed?: 'deadline' | 'close';
  stderr: string;
  /** The archive index it was last told (a job names it again without its paths while it is the same). */
  scopeId?: number;
}

/**
 * A busy child keeps the scan's process alive; an idle one does not, so that a
 * scan left waiting on something that will never come is seen as stalled
 * (stall.ts) rather than kept alive by children with nothing to do.
 */
function hold(proc: ChildProcess, busy: boolean): void {
  const stderr = proc.stderr as Socket | null;
  for (const h of [proc, proc.channel, stderr]) {
    if (busy) h?.ref();
    else h?.unref();
  }
}

/** Ids of `parsers` that the modules export as the very same objects (a module that fails to load adds none). */
export async function moduleParserIds(parsers: readonly ParserPlugin[], modules: readonly string[]): Promise<string[]> {
  const exported = new Set<unknown>();
  for (const url of modules) {
    try {
      for (const p of exportedPlugins((await import(url)) as Record<string, unknown>)) exported.add(p);
    } catch {
      // Not loadable here, so not in a child either: its parsers run on the main thread.
    }
  }
  return parsers.filter((p) => exported.has(p)).map((p) => p.meta.id);
}

/**
 * A pool for the module parsers, or undefined when none of `parsers` comes
 * from a module (or there is no compiled child entry).
 */
export async function createParsePool(options: ParsePoolOptions): Promise<ParsePool | undefined> {
  if (!fs.existsSync(WORKER_FILE)) return undefined;
  const ids = await moduleParserIds(options.parsers, options.modules);
  if (ids.length === 0) return undefined;
  return new SupervisedParsePool(options, ids);
}

class SupervisedParsePool implements ParsePool {
  readonly parserIds: readonly string[];
  private readonly pooled: ReadonlySet<string>;
  private readonly size: number;
  private readonly children = new Set<Child>();
  private readonly queue: Job[] = [];
  private nextJobId = 1;
  private startFailures = 0;
  /** Set when children cannot be started: everything parses on this thread from then on. */
  private broken = false;
  private closed = false;
  /** Set when the scan was interrupted: no child is kept for another scan then. */
  private interrupted = false;
  /** What a child must have been started with to serve this pool (parse-spares.ts). */
  private readonly key: string;
  private readonly execArgv: string[];
  private readonly onExit = () => {
    for (const c of this.children) c.proc.kill('SIGKILL');
  };

  constructor(
    private readonly options: ParsePoolOptions,
    ids: readonly string[],
  ) {
    this.parserIds = ids;
    this.pooled = new Set(ids);
    // One core is the scan's own (enumeration, order, the probe workers): the children share the others.
    this.size = Math.max(1, options.children ?? Math.min(os.availableParallelism() - 1, MAX_DEFAULT_CHILDREN));
    // If this process ends without close(), no child is left running (a busy one would not see its channel close).
    process.on('exit', this.onExit);
    this.execArgv = parseChildExecArgv(process.execArgv, options.limits.workerHeapMb);
    this.key = JSON.stringify([options.modules, ids, this.execArgv, os.tmpdir(), process.env]);
    const interrupt = () => {
      this.interrupted = true;
      void this.close();
    };
    if (options.signal?.aborted) interrupt();
    else options.signal?.addEventListener('abort', interrupt, { once: true });
  }

  async parse(item: EvidenceItem, entry: SourceEntry, probe: Probe, deps: ParseStageDeps): Promise<void> {
    const formatId = item.format?.id;
    if (!formatId || item.kind !== 'file') return;
    const parsers = applicable(deps.parsers, formatId);
    if (parsers.length === 0) return;
    const readable = entry.localPath !== undefined || entry.open !== undefined;
    // An item no parser will take for its size is only skipped (parseItem records why): no child needed.
    const inChild =
      !this.broken &&
      readable &&
      parsers.some((p) => sizeFits(p, item.size)) &&
      parsers.every((p) => this.pooled.has(p.meta.id));
    if (!inChild) return parseItem(item, entry, probe, deps);
    // After an interruption nothing more is recorded: never fall back to parsing here then.
    if (this.closed) throw new Error('the scan stopped before the item was parsed');
    const job: Job = {
      item,
      entry,
      probe,
      formatId,
      ...(deps.index.scope ? { scope: deps.index.scope } : {}),
      deaths: 0,
      resolve: () => undefined,
      reject: () => undefined,
      inProcess: () => parseItem(item, entry, probe, deps),
    };
    try {
      await new Promise<void>((resolve, reject) => {
        job.resolve = resolve;
        job.reject = reject;
        this.queue.push(job);
        this.dispatch();
      });
    } finally {
      // A member's reader lives as long as its job (retries on a fresh child included).
      await job.reader?.then((r) => r.close()).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the scan stopped before the item was parsed'));
    const ending: Child[] = [];
    for (const c of this.children) {
      if (c.job) {
        c.killed = 'close';
        c.proc.kill('SIGKILL');
      } else if (c.ready && !c.killed && c.proc.connected && !this.interrupted && !this.broken) {
        this.children.delete(c);
        c.owner = undefined;
        parkParseChild(c);
        continue;
      } else if (c.proc.connected) c.proc.disconnect();
      ending.push(c);
    }
    // An idle child exits when its channel closes; one that does not within a second is killed.
    await settleChildren(ending);
    process.off('exit', this.onExit);
  }

  /** Gives queued items to idle ready children, starting children up to the pool size. */
  private dispatch(): void {
    if (this.broken) {
      for (const job of this.queue.splice(0))
        job.inProcess().then(
          () => job.resolve(),
          (err: unknown) => job.reject(err),
        );
      return;
    }
    for (const c of this.children) {
      if (this.queue.length === 0) return;
      if (c.ready && !c.job && !c.killed) this.send(c, this.queue.shift()!);
    }
    const starting = [...this.children].filter((c) => !c.ready).length;
    let wanted = Math.min(this.queue.length - starting, this.size - this.children.size);
    while (wanted-- > 0) {
      try {
        this.start();
      } catch {
        // No process or temporary folder to be had (EAGAIN, ENOSPC): parse here rather than wait forever.
        this.giveUp();
        return;
      }
    }
  }

  private start(): void {
    const spare = adoptParseChild<Child>(this.key);
    if (spare) {
      hold(spare.proc, true);
      spare.owner = this;
      spare.ready = false;
      spare.stderr = '';
      this.children.add(spare);
      this.init(spare);
      return;
    }
    // A private temporary folder per child (TMPDIR), removed when it exits: a parser's spooled files go with it.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), PRIVATE_TMPDIR_PREFIX));
    // EVTRIAGE_PARSE_TMPDIR names it as this pool's, for the child to remove if the scan's process dies first.
    const env = parseChildEnv(process.env, { TMPDIR: tmp, TMP: tmp, TEMP: tmp, [PRIVATE_TMPDIR_ENV]: tmp });
    const proc = fork(WORKER_FILE, [], {
      serialization: 'advanced',
      execArgv: this.execArgv,
      env,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let exited!: () => void;
    const child: Child = {
      proc,
      owner: this,
      key: this.key,
      ready: false,
      jobId: 0,
      stderr: '',
      exited: new Promise<void>((r) => (exited = r)),
    };
    this.children.add(child);
    // The stderr tail is complete when the pipe ends ('close' of the process may not come after a disconnect).
    let stderrEnded!: () => void;
    const stderrDone = new Promise<void>((r) => (stderrEnded = r));
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (chunk: string) => {
      child.stderr = (child.stderr + chunk).slice(-STDERR_TAIL_BYTES);
    });
    proc.stderr?.on('error', stderrEnded);
    proc.stderr?.on('close', stderrEnded);
    let ended = false;
    const end = (code: number | null, signal: NodeJS.Signals | null) => {
      if (ended) return;
      ended = true;
      // A child's last words (the fatal error line) may still be in the pipe: wait for its end, briefly.
      const grace = new Promise<void>((r) => setTimeout(r, 500).unref());
      void Promise.race([stderrDone, grace]).then(() => {
        removePrivateTmp(tmp);
        exited();
        if (child.owner) child.owner.onClose(child, code, signal);
        else forgetParseChild(child);
      });
    };
    // A process that never started may not report 'exit': its 'error' ends it then.
    proc.on('error', () => {
      if (proc.pid === undefined) end(null, null);
    });
    proc.on('message', (m: FromParseChild) => child.owner?.onMessage(child, m));
    proc.once('exit', end);
    this.init(child);
  }

  /** Tells a child (new, or a spare from an earlier scan) this scan's parsers and source index. */
  private init(child: Child): void {
    delete child.scopeId;
    const init: ToParseChild = {
      type: 'init',
      modules: this.options.modules,
      ids: this.parserIds,
      indexPaths: this.options.indexPaths,
    };
    child.proc.send(init, (err) => {
      if (err) child.proc.kill('SIGKILL'); // its channel is gone: 'exit' follows, and the start counts as failed
    });
  }

  private send(child: Child, job: Job): void {
    hold(child.proc, true);
    child.job = job;
    child.jobId = this.nextJobId++;
    delete child.parser;
    delete child.latest;
    this.arm(child);
    const message: ToParseChild = {
      type: 'job',
      job: child.jobId,
      item: job.item,
      ...(job.entry.localPath !== undefined ? { localPath: job.entry.localPath } : {}),
      probe: job.probe,
      formatId: job.formatId,
      limits: this.options.limits,
      ...(job.scope
        ? { scope: { id: job.scope.id, ...(child.scopeId === job.scope.id ? {} : { paths: job.scope.paths }) } }
        : {}),
    };
    if (job.scope) child.scopeId = job.scope.id;
    try {
      child.proc.send(message);
    } catch {
      // Something in the item cannot be serialised (a value a parser put there earlier?): parse it here instead.
      clearTimeout(child.timer);
      delete child.job;
      hold(child.proc, false);
      job.inProcess().then(
        () => job.resolve(),
        (err: unknown) => job.reject(err),
      );
      queueMicrotask(() => this.dispatch()); // the child is free again
    }
  }

  /** (Re)starts the child's clock: one parser's budget plus a grace for the child's own timer to answer first. */
  private arm(child: Child): void {
    clearTimeout(child.timer);
    child.timer = setTimeout(() => this.onDeadline(child), this.deadlineMs());
  }

  private deadlineMs(): number {
    const t = this.options.limits.pluginTimeoutMs;
    return t + Math.max(1000, Math.ceil(t / 2));
  }

  private onMessage(child: Child, m: FromParseChild): void {
    if (m.type === 'ready') {
      child.ready = true;
      this.startFailures = 0;
      this.dispatch();
      if (!child.job) hold(child.proc, false);
      return;
    }
    if (m.type === 'init-failed') {
      // The modules load here but not in a child (e.g. a loader the child lacks): parse in-process from now on.
      child.killed = 'close';
      child.proc.kill('SIGKILL');
      this.giveUp();
      return;
    }
    const job = child.job;
    if (!job || m.job !== child.jobId) return;
    if (m.type === 'parser') {
      child.parser = m.parser;
      if (m.item) child.latest = m.item;
      this.arm(child);
      return;
    }
    if (m.type === 'read' || m.type === 'sibling') {
      void this.serve(child, job, m);
      return;
    }
    clearTimeout(child.timer);
    delete child.job;
    delete child.parser;
    copyInto(job.item, m.item);
    if (m.type === 'done') job.resolve();
    else job.reject(Object.assign(new Error(m.error.message), m.error.code ? { code: m.error.code } : {}));
    this.dispatch();
    if (!child.job) hold(child.proc, false);
  }

  /** Answers a child's read of an archive member (or of its companion) from the member's entry. */
  private async serve(child: Child, job: Job, m: Extract<FromParseChild, { type: 'read' | 'sibling' }>): Promise<void> {
    let reply: ToParseChild;
    try {
      const data =
        m.type === 'read'
          ? await (job.reader ??= job.entry.open!()).then((r) => r.read(m.position, m.length))
          : await job.entry.readSibling?.(m.suffix, m.maxBytes);
      reply = { type: 'bytes', job: m.job, request: m.request, ...(data ? { data } : {}) };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      reply = {
        type: 'bytes',
        job: m.job,
        request: m.request,
        error: { message: e?.message ?? String(err), ...(typeof e?.code === 'string' ? { code: e.code } : {}) },
      };
    }
    // The child may have been stopped meanwhile: its end is handled where it is noticed.
    if (child.job !== job || !child.proc.connected) return;
    child.proc.send(reply, () => undefined);
  }

  private onDeadline(child: Child): void {
    const job = child.job;
    if (!job) return;
    child.killed = 'deadline';
    child.proc.kill('SIGKILL');
    delete child.job;
    const ms = this.deadlineMs();
    const parser = child.parser;
    // What the parsers before the stopped one found is kept.
    if (child.latest) copyInto(job.item, child.latest);
    pushError(job.item, {
      stage: 'parse',
      code: 'ITEM_TIMEOUT',
      message:
        `${parser ? `parser ${parser}` : 'parsing'} did not finish within ${ms} ms ` +
        `(pluginTimeoutMs ${this.options.limits.pluginTimeoutMs} plus grace) and its worker process was stopped`,
      ...(parser ? { plugin: parser } : {}),
      severity: 'error',
    });
    job.resolve();
  }

  private onClose(child: Child, code: number | null, signal: NodeJS.Signals | null): void {
    clearTimeout(child.timer);
    this.children.delete(child);
    const job = child.job;
    if (!child.ready && !child.killed && !this.broken && !this.closed) {
      if (++this.startFailures >= MAX_START_FAILURES) this.giveUp();
    }
    if (job) {
      delete child.job;
      job.deaths++;
      if (this.closed) job.reject(new Error('the scan stopped before the item was parsed'));
      else if (job.deaths < 2)
        this.queue.unshift(job); // maybe not its fault: once more on a fresh child
      else this.poison(job, child, code, signal);
    }
    if (!this.closed) this.dispatch();
  }

  private poison(job: Job, child: Child, code: number | null, signal: NodeJS.Signals | null): void {
    const memory = /heap limit|heap out of memory/i.test(child.stderr);
    const fatal = child.stderr
      .split('\n')
      .find((l) => /fatal|error/i.test(l))
      ?.trim();
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    const parser = child.parser;
    if (child.latest) copyInto(job.item, child.latest);
    const who = parser ? `parser ${parser}` : 'parsing';
    pushError(job.item, {
      stage: 'parse',
      code: memory ? 'MEMORY_LIMIT' : 'WORKER_CRASHED',
      message: memory
        ? `${who} exceeded the worker heap cap (workerHeapMb ${this.options.limits.workerHeapMb}) twice; ` +
          `the worker process ended (${how})`
        : `${who} ended its worker process twice (${how}${fatal ? `: ${fatal.slice(0, 200)}` : ''})`,
      ...(parser ? { plugin: parser } : {}),
      severity: 'error',
    });
    job.resolve();
  }

  /** Children cannot run: queued and future items parse on the main thread. */
  private giveUp(): void {
    if (this.broken) return;
    this.broken = true;
    this.dispatch();
  }
}

/** Replaces `target`'s fields by `source`'s, in `source`'s key order (the manifest writes keys in that order). */
function copyInto(target: EvidenceItem, source: EvidenceItem): void {
  const t = target as unknown as Record<string, unknown>;
  for (const key of Object.keys(t)) delete t[key];
  Object.assign(t, source);
}
