/**
 * Folder source: a read-only, depth-first walk of an extraction folder, sorted
 * by raw name bytes. Symlinks are recorded, never followed (so neither loops
 * nor escapes are possible). FIFOs, sockets and devices are recorded and never
 * opened. Names are handled as raw bytes, so non-UTF-8 names survive.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EntryKind, Times } from '../model/evidence-item.js';
import type { SourceInfo } from '../model/manifest.js';
import { escapePathBangs, unescapePathBangs } from './manifest-paths.js';
import { openReadOnly } from './read-only.js';
import { readSmallLocalFile, resolveUnder } from './read-small.js';
import type { ByteReader, EvidenceSource, SourceEntry } from './source.js';
import type { FolderLayout, FolderLayoutIndex } from './folder-layout.js';

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const SLASH = Buffer.from('/');

export function isoTime(ms: number): string | undefined {
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : undefined;
}

export function timesOf(st: fs.Stats): Times {
  const times: Times = {};
  const m = isoTime(st.mtimeMs),
    a = isoTime(st.atimeMs),
    c = isoTime(st.ctimeMs),
    b = isoTime(st.birthtimeMs);
  if (m) times.modified = m;
  if (a) times.accessed = a;
  if (c) times.changed = c;
  if (b) times.created = b;
  return times;
}

export function kindOf(st: fs.Stats): EntryKind {
  if (st.isFile()) return 'file';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isBlockDevice()) return 'block-device';
  if (st.isCharacterDevice()) return 'char-device';
  return 'other';
}

/** Decodes raw name bytes; `raw` is set only when they are not valid UTF-8. */
export function decodeName(bytes: Buffer): { text: string; raw?: string } {
  try {
    return { text: utf8Strict.decode(bytes) };
  } catch {
    return { text: bytes.toString('utf8'), raw: bytes.toString('base64') };
  }
}

/** A reader over a local file opened read-only (O_NOATIME where allowed). */
export async function openLocalReader(file: string | Buffer): Promise<ByteReader> {
  const fd = openReadOnly(file);
  const size = fs.fstatSync(fd).size;
  return {
    size,
    read: (position, length) =>
      new Promise((resolve, reject) => {
        const len = Math.max(0, Math.min(length, size - position));
        const buf = Buffer.allocUnsafe(len);
        if (len === 0) return resolve(buf);
        fs.read(fd, buf, 0, len, position, (err, n) =>
          err ? reject(err) : resolve(n < len ? buf.subarray(0, n) : buf),
        );
      }),
    close: async () => fs.closeSync(fd),
  };
}

/** A folder with a known layout (an iOS backup) and its path in the source. */
interface LayoutFrame {
  index: FolderLayoutIndex;
  prefix: string;
}

interface DirFrame {
  abs: Buffer;
  rel: Buffer;
  names: Buffer[];
  next: number;
  layout?: LayoutFrame | undefined;
}

export interface FolderSourceOptions {
  /**
   * Folder layouts (an iOS backup) to recognise in sub-folders; none by
   * default. `openSource` passes those of its source definitions
   * (`builtinSources`: the iOS backup).
   */
  layouts?: readonly FolderLayout[];
}

export class FolderSource implements EvidenceSource {
  readonly info: SourceInfo;
  readonly root: string;
  private readonly known: readonly FolderLayout[];
  /** Layout folders found so far, by their path in the source (null: looked, none). */
  private readonly layouts = new Map<string, FolderLayoutIndex | null>();

  constructor(root: string, given = root, options: FolderSourceOptions = {}) {
    this.root = path.resolve(root);
    this.info = { path: given, kind: 'folder' };
    this.known = options.layouts ?? [];
  }

  /**
   * The layout of a sub-folder from the names it holds, read once. Not for
   * the root (a source kind handles that) nor inside another layout folder.
   */
  private layoutOf(abs: Buffer, rel: Buffer, names: readonly Buffer[]): LayoutFrame | undefined {
    if (this.known.length === 0 || rel.length === 0) return undefined;
    const { text, raw } = decodeName(rel);
    if (raw) return undefined;
    let index = this.layouts.get(text);
    if (index === undefined) {
      const held = new Set(names.map((n) => n.toString('utf8')));
      const layout = this.known.find((l) => l.matches(held));
      index = null;
      if (layout) {
        try {
          index = layout.open(abs.toString('utf8'));
        } catch {
          index = null; // Its index files are unreadable: the folder is walked as a plain folder.
        }
      }
      this.layouts.set(text, index);
    }
    return index ? { index, prefix: text } : undefined;
  }

  async *entries(signal?: AbortSignal): AsyncIterable<SourceEntry> {
    const rootBuf = Buffer.from(this.root);
    const stack: DirFrame[] = [];
    const first = this.listDir(rootBuf, Buffer.alloc(0), undefined);
    if ('error' in first) {
      throw Object.assign(new Error(`cannot list ${this.root}: ${first.error.message}`), { code: first.error.code });
    }
    stack.push(first.frame);
    let sinceYield = 0;
    while (stack.length > 0) {
      if (signal?.aborted) return;
      const top = stack[stack.length - 1]!;
      if (top.next >= top.names.length) {
        stack.pop();
        continue;
      }
      const name = top.names[top.next++]!;
      const abs = Buffer.concat([top.abs, SLASH, name]);
      const rel = top.rel.length ? Buffer.concat([top.rel, SLASH, name]) : name;
      const decoded = decodeName(rel);
      const text = escapePathBangs(decoded.text);
      const raw = decoded.raw;
      let st: fs.Stats;
      try {
        st = fs.lstatSync(abs);
      } catch (err) {
        // Vanished or unreadable between readdir and lstat: still an item.
        yield {
          path: text,
          ...(raw ? { rawPath: raw } : {}),
          kind: 'other',
          size: 0,
          times: {},
          depth: 0,
          error: errorOf(err),
        };
        continue;
      }
      const kind = kindOf(st);
      if (kind === 'directory') {
        const listed = this.listDir(abs, rel, top.layout);
        if ('error' in listed) {
          yield {
            path: text,
            ...(raw ? { rawPath: raw } : {}),
            kind,
            size: 0,
            times: timesOf(st),
            mode: st.mode,
            depth: 0,
            error: listed.error,
          };
        } else {
          stack.push(listed.frame);
        }
        continue;
      }
      const entry: SourceEntry = {
        path: text,
        kind,
        size: kind === 'file' ? st.size : 0,
        times: timesOf(st),
        mode: st.mode,
        depth: 0,
      };
      if (raw) entry.rawPath = raw;
      if (kind === 'symlink') {
        try {
          entry.linkTarget = decodeName(fs.readlinkSync(abs, { encoding: 'buffer' })).text;
        } catch (err) {
          entry.error = errorOf(err);
        }
      } else if (kind === 'file') {
        entry.localPath = abs;
        entry.open = () => openLocalReader(abs);
      }
      if (top.layout) {
        const { index, prefix } = top.layout;
        index.annotate(entry, text.slice(prefix.length + 1), prefix, (inside, maxBytes) =>
          this.readPath(`${prefix}/${inside}`, maxBytes),
        );
      }
      yield entry;
      // Let timers and signals run on huge flat folders.
      if (++sinceYield >= 512) {
        sinceYield = 0;
        await new Promise((r) => setImmediate(r));
      }
    }
  }

  async *listPaths(signal?: AbortSignal): AsyncIterable<string> {
    // Same order and names as entries(), from dirent types alone (no lstat); a layout folder's
    // stored files are each followed by their logical path (key files are looked for by real path).
    const walk = function* (
      this: FolderSource,
      abs: Buffer,
      rel: Buffer,
      layout: LayoutFrame | undefined,
    ): Generator<string> {
      let dirents: fs.Dirent<Buffer>[];
      try {
        dirents = fs.readdirSync(abs, { encoding: 'buffer', withFileTypes: true });
      } catch {
        return;
      }
      dirents.sort((a, b) => Buffer.compare(a.name, b.name));
      const here =
        layout ??
        this.layoutOf(
          abs,
          rel,
          dirents.map((d) => d.name),
        );
      for (const d of dirents) {
        const r = rel.length ? Buffer.concat([rel, SLASH, d.name]) : d.name;
        if (d.isDirectory()) {
          yield* walk.call(this, Buffer.concat([abs, SLASH, d.name]), r, here);
          continue;
        }
        const text = decodeName(r).text;
        yield text;
        const logical = here?.index.logicalOf(text.slice(here.prefix.length + 1));
        if (here && logical) yield escapePathBangs(`${here.prefix}/${logical}`);
      }
    };
    for (const p of walk.call(this, Buffer.from(this.root), Buffer.alloc(0), undefined)) {
      if (signal?.aborted) return;
      yield p;
    }
  }

  /** Reads a small file by its source path (the app-metadata pre-pass); never follows a symlink. */
  async readPath(rel: string, maxBytes: number): Promise<Buffer | undefined> {
    rel = unescapePathBangs(rel);
    // A logical path inside a layout folder (an iOS backup's domain path) reads its stored file.
    for (const [prefix, index] of this.layouts) {
      if (!index || !rel.startsWith(`${prefix}/`)) continue;
      const stored = index.storedOf(rel.slice(prefix.length + 1));
      if (stored) {
        rel = `${prefix}/${stored}`;
        break;
      }
    }
    const abs = resolveUnder(this.root, rel);
    return abs === undefined ? undefined : readSmallLocalFile(abs, maxBytes);
  }

  private listDir(
    abs: Buffer,
    rel: Buffer,
    parent: LayoutFrame | undefined,
  ): { frame: DirFrame } | { error: { code: string; message: string } } {
    try {
      const names = fs.readdirSync(abs, { encoding: 'buffer' }).sort((a, b) => Buffer.compare(a, b));
      return { frame: { abs, rel, names, next: 0, layout: parent ?? this.layoutOf(abs, rel, names) } };
    } catch (err) {
      return { error: errorOf(err) };
    }
  }

  async close(): Promise<void> {}
}

export function errorOf(err: unknown): { code: string; message: string } {
  const e = err as NodeJS.ErrnoException;
  return { code: `E_${(e.code ?? 'IO').replace(/^E/, '')}`, message: e.message ?? String(err) };
}
