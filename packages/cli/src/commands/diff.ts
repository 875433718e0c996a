/**
 * `evtriage diff <a> <b>`: compares two manifests of the same source (e.g.
 * before and after a new evtriage version): items added, removed, and items
 * whose classification, format, hash, size, app or encryption scheme changed.
 *
 * Memory: both manifests are streamed side by side. Scans of the same source
 * list items in the same deterministic order, so most items meet their
 * counterpart at once; only items that are out of step (added, removed, or
 * reordered) wait in a map of small fingerprints until their counterpart
 * arrives. Memory grows with the number of differences, not with the size of
 * the manifests (about 200 bytes per waiting item).
 *
 * Items are matched by path (and raw name bytes, when the name was not
 * UTF-8: two such names can share a lossy path). A path listed more than
 * once on a side (a hand-edited or hostile manifest) waits as a queue, so
 * each copy is matched, added or removed, never one silently kept for all.
 */
import fs from 'node:fs';
import type { EvidenceItem, ManifestHeader, ManifestProblem } from '@evtriage/core';
import { readManifest } from '@evtriage/core/internal-manifest';
import { CliError, EXIT } from '../exit-codes.js';

export interface DiffCommandOptions {
  json?: boolean;
  max?: number;
}

/** What is compared per item. */
interface Fingerprint {
  status: string;
  certainty: string;
  format: string;
  size: number;
  hash?: { md5?: string | undefined; sha1?: string | undefined; sha256?: string | undefined } | undefined;
  app: string;
  encryption: string;
}

function fingerprint(item: EvidenceItem): Fingerprint {
  return {
    status: item.classification.status,
    certainty: item.classification.certainty,
    format: item.format?.id ?? '',
    size: item.size,
    hash: item.hashes,
    app: item.app?.id ?? '',
    encryption: item.encryption?.scheme ?? '',
  };
}

export interface ItemChange {
  field: 'status' | 'format' | 'hash' | 'size' | 'app' | 'encryption';
  from: string;
  to: string;
}

/** The differences between two fingerprints of the same path. */
function compare(a: Fingerprint, b: Fingerprint): ItemChange[] {
  const out: ItemChange[] = [];
  if (a.status !== b.status || a.certainty !== b.certainty)
    out.push({ field: 'status', from: `${a.status} (${a.certainty})`, to: `${b.status} (${b.certainty})` });
  if (a.format !== b.format) out.push({ field: 'format', from: a.format || '(none)', to: b.format || '(none)' });
  if (a.size !== b.size) out.push({ field: 'size', from: String(a.size), to: String(b.size) });
  for (const alg of ['sha256', 'sha1', 'md5'] as const) {
    const x = a.hash?.[alg];
    const y = b.hash?.[alg];
    if (x && y && x !== y) {
      out.push({ field: 'hash', from: `${alg}:${x}`, to: `${alg}:${y}` });
      break;
    }
  }
  if (a.app !== b.app) out.push({ field: 'app', from: a.app || '(none)', to: b.app || '(none)' });
  if (a.encryption !== b.encryption)
    out.push({ field: 'encryption', from: a.encryption || '(none)', to: b.encryption || '(none)' });
  return out;
}

/** An item's key: its path, and its raw name bytes when the path is a lossy form of them. */
const keyOf = (i: Pick<EvidenceItem, 'path' | 'rawPath'>) => (i.rawPath ? `raw:${i.rawPath}\u0000${i.path}` : i.path);

/** Items waiting for their counterpart: per key, the copies in manifest order. */
class Waiting {
  private byKey = new Map<string, { path: string; queue: Fingerprint[] }>();
  size = 0;
  add(item: EvidenceItem): void {
    const k = keyOf(item);
    const have = this.byKey.get(k);
    if (have) have.queue.push(fingerprint(item));
    else this.byKey.set(k, { path: item.path, queue: [fingerprint(item)] });
    this.size++;
  }
  /** The first waiting copy with the item's key, taken out. */
  take(item: EvidenceItem): Fingerprint | undefined {
    const k = keyOf(item);
    const have = this.byKey.get(k);
    if (!have) return undefined;
    const f = have.queue.shift()!;
    if (have.queue.length === 0) this.byKey.delete(k);
    this.size--;
    return f;
  }
  /** Every waiting copy, by path. */
  sorted(): Array<[string, Fingerprint]> {
    return [...this.byKey.values()]
      .sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0))
      .flatMap((w) => w.queue.map((f): [string, Fingerprint] => [w.path, f]));
  }
}

type Side = { header?: ManifestHeader; items: AsyncIterator<EvidenceItem>; problems: ManifestProblem[]; count: number };

function side(file: string): Side {
  const s: Side = { problems: [], items: undefined as never, count: 0 };
  s.items = (async function* () {
    for await (const rec of readManifest(file, (p) => s.problems.push(p))) {
      if (rec.type === 'header') s.header = rec.header;
      else if (rec.type === 'item') {
        s.count++;
        yield rec.item;
      }
    }
  })();
  return s;
}

export async function runDiff(fileA: string, fileB: string, opts: DiffCommandOptions): Promise<number> {
  for (const f of [fileA, fileB])
    if (!fs.existsSync(f))
      throw new CliError(`${f} does not exist. Give the paths of two manifests written by evtriage scan.`);
  const a = side(fileA);
  const b = side(fileB);
  const pendingA = new Waiting();
  const pendingB = new Waiting();
  const totals = { added: 0, removed: 0, changed: 0, same: 0 };
  const max = opts.max ?? Infinity;
  let printed = 0;
  const emit = (kind: 'added' | 'removed' | 'changed', path: string, detail: Fingerprint | ItemChange[]) => {
    totals[kind]++;
    if (printed >= max) return;
    printed++;
    if (opts.json) {
      process.stdout.write(
        JSON.stringify(
          kind === 'changed' ? { type: kind, path, changes: detail } : { type: kind, path, ...(detail as Fingerprint) },
        ) + '\n',
      );
    } else if (kind === 'changed') {
      process.stdout.write(
        `~ ${path}\n${(detail as ItemChange[]).map((c) => `    ${c.field}: ${c.from} -> ${c.to}\n`).join('')}`,
      );
    } else {
      const f = detail as Fingerprint;
      process.stdout.write(
        `${kind === 'added' ? '+' : '-'} ${path}  [${f.status}${f.format ? `, ${f.format}` : ''}]\n`,
      );
    }
  };
  const match = (path: string, x: Fingerprint, y: Fingerprint) => {
    const changes = compare(x, y);
    if (changes.length) emit('changed', path, changes);
    else totals.same++;
  };
  const takeA = (item: EvidenceItem) => {
    const other = pendingB.take(item);
    if (other) match(item.path, fingerprint(item), other);
    else pendingA.add(item);
  };
  const takeB = (item: EvidenceItem) => {
    const other = pendingA.take(item);
    if (other) match(item.path, other, fingerprint(item));
    else pendingB.add(item);
  };

  let doneA = false;
  let doneB = false;
  let peakPending = 0;
  while (!doneA || !doneB) {
    const [ra, rb] = await Promise.all([doneA ? undefined : a.items.next(), doneB ? undefined : b.items.next()]);
    if (ra?.done) doneA = true;
    if (rb?.done) doneB = true;
    const ia = ra && !ra.done ? ra.value : undefined;
    const ib = rb && !rb.done ? rb.value : undefined;
    if (ia && ib && keyOf(ia) === keyOf(ib) && pendingA.size === 0 && pendingB.size === 0) {
      match(ia.path, fingerprint(ia), fingerprint(ib));
      continue;
    }
    if (ia) takeA(ia);
    if (ib) takeB(ib);
    peakPending = Math.max(peakPending, pendingA.size + pendingB.size);
  }
  for (const [p, f] of pendingA.sorted()) emit('removed', p, f);
  for (const [p, f] of pendingB.sorted()) emit('added', p, f);

  const notes: string[] = [];
  if (a.header && b.header && a.header.source.path !== b.header.source.path)
    notes.push(`the manifests describe different sources (${a.header.source.path} and ${b.header.source.path})`);
  if (a.header && b.header && a.header.tool.version !== b.header.tool.version)
    notes.push(`tool versions: ${a.header.tool.version} -> ${b.header.tool.version}`);
  for (const [f, s] of [
    [fileA, a],
    [fileB, b],
  ] as const)
    if (s.problems.length)
      notes.push(`${f}: ${s.problems.length} problem(s), first at ${s.problems[0]!.where}: ${s.problems[0]!.message}`);
  const line = `${a.count} item(s) in ${fileA}, ${b.count} in ${fileB}: ${totals.added} added, ${totals.removed} removed, ${totals.changed} changed, ${totals.same} unchanged.`;
  if (opts.json)
    process.stdout.write(
      JSON.stringify({ type: 'totals', a: a.count, b: b.count, ...totals, notes, peakPending }) + '\n',
    );
  else {
    if (printed < totals.added + totals.removed + totals.changed)
      process.stdout.write(
        `... ${totals.added + totals.removed + totals.changed - printed} more difference(s) not shown (--max)\n`,
      );
    process.stdout.write(`${line}\n`);
    for (const n of notes) process.stdout.write(`note: ${n}\n`);
  }
  if (a.problems.length || b.problems.length) return EXIT.USAGE;
  return totals.added + totals.removed + totals.changed > 0 ? 1 : EXIT.OK;
}
