/**
 * One entry through the stages: probe -> identify -> classify -> parse ->
 * attribute -> key hints -> hashes. Each stage is its own module; this file
 * only composes them and turns every failure into an error on the item.
 */
import path from 'node:path';
import { certaintyOf } from '../model/classification.js';
import type { EvidenceItem } from '../model/evidence-item.js';
import type { KeyHint } from '../model/encryption.js';
import type { ItemError, Stage } from '../model/reason.js';
import type { ScanLimits } from '../limits.js';
import type { ParserPlugin } from '../plugin/types.js';
import type { EntryFacts, SourceEntry } from '../sources/source.js';
import { attributeItem, type Attributor } from './attribute.js';
import { classify } from './classify.js';
import { hashEntry, type HashAlgorithm } from './hash.js';
import type { Identifier } from './identify.js';
import { pushError } from './item-errors.js';
import { parseItem } from './parse.js';
import type { SourceIndex } from './source-index.js';
import type { ParsePool } from './parse-pool.js';
import type { Prober } from './probe.js';
import type { KnownMatcher } from '../known/known-sets.js';

export interface EntryProcessorDeps {
  prober: Prober;
  identifier: Identifier;
  parsers: readonly ParserPlugin[];
  attributor: Attributor;
  index: SourceIndex;
  limits: ScanLimits;
  hash: readonly HashAlgorithm[];
  /** True once the index holds every path of the source (a pre-pass ran), so absence means absent. */
  indexComplete: boolean;
  /**
   * The index is settled (what it holds does not depend on how far the walk ran) but may lack paths: an archive's
   * own index past its bound, or over an outer index still filling (scan-walk.ts). A key hint found in it is
   * present; one not found stays unknown.
   */
  indexPartial?: boolean;
  /** Why an archive's own index is partial (scan-walk.ts, ARCHIVE_INDEX_MAX_PATHS), said on the items it leaves undecided. */
  indexLimit?: string;
  /** Known-file sets to match the item's digests against. */
  known?: KnownMatcher;
  /** Runs module parsers in supervised child processes (parse-pool.ts); absent: all parse here. */
  parsePool?: ParsePool;
  /** The scan's stop: work that reads a whole item (hashing) ends when it is given. */
  signal?: AbortSignal;
  /**
   * Attribution and key hints are left to the walk (`attributeAndResolveKeyHint`): what the walk has learned of
   * container metadata decides them, and without a pre-pass it learns it in walk order.
   */
  attributeLater?: boolean;
}

const SPECIAL_KINDS = new Set(['fifo', 'socket', 'block-device', 'char-device', 'other']);

export function baseItem(entry: SourceEntry): EvidenceItem {
  const item: EvidenceItem = {
    path: entry.path,
    kind: entry.kind,
    size: entry.size,
    times: entry.times,
    depth: entry.depth,
    classification: {
      status: 'unreadable',
      confidence: 1,
      certainty: 'certain',
      reasons: [{ code: 'NOT_PROCESSED', message: 'The item was not processed.', by: 'engine' }],
    },
    errors: [],
  };
  if (entry.rawPath) item.rawPath = entry.rawPath;
  if (entry.logicalPath) item.logicalPath = entry.logicalPath;
  if (entry.mode !== undefined) item.mode = entry.mode;
  if (entry.linkTarget !== undefined) item.linkTarget = entry.linkTarget;
  for (const p of entry.facts?.problems ?? [])
    item.errors.push({ stage: 'container', code: p.code, message: p.message, severity: p.severity ?? 'warning' });
  if (entry.facts?.container) item.details = { container: entry.facts.container };
  return item;
}

function setStatus(
  item: EvidenceItem,
  status: EvidenceItem['classification']['status'],
  code: string,
  message: string,
  confidence = 1,
): void {
  item.classification = {
    status,
    confidence,
    certainty: certaintyOf(confidence),
    reasons: [{ code, message, by: 'engine' }],
  };
}

/**
 * zlib's errors for compressed bytes (a deflated ZIP member, a GZIP stream) that end early or are damaged, as an
 * analyst reads them: zlib's own words ("unexpected end of file", "invalid block type") name neither the cause
 * nor the data.
 */
const COMPRESSED_DATA_ERRORS: Readonly<Record<string, { code: string; says: string }>> = {
  Z_BUF_ERROR: {
    code: 'E_COMPRESSED_DATA_TRUNCATED',
    says: 'the compressed data ends early (the archive or stream holding it is cut short)',
  },
  Z_DATA_ERROR: { code: 'E_COMPRESSED_DATA_CORRUPT', says: 'the compressed data is damaged' },
};

/** What an item's failure says: zlib's errors in plain words (COMPRESSED_DATA_ERRORS), any other as it came. */
function describeFailure(err: unknown): { code: string; message: string } {
  const e = err as NodeJS.ErrnoException;
  const z = e?.code !== undefined ? COMPRESSED_DATA_ERRORS[String(e.code)] : undefined;
  if (z) return { code: z.code, message: `${z.says}; zlib: ${e.message}.` };
  return {
    code: e?.code ? `E_${String(e.code).replace(/^E_?/, '')}` : 'E_FAILED',
    message: e?.message ?? String(err),
  };
}

export function failItem(item: EvidenceItem, stage: Stage, err: unknown): void {
  pushError(item, { stage, ...describeFailure(err), severity: 'error' });
}

/** Symlinks are never followed; record whether the target would leave the source. */
function describeSymlink(item: EvidenceItem): void {
  const target = item.linkTarget ?? '';
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(item.path), target));
  const escapes = path.posix.isAbsolute(target) || resolved === '..' || resolved.startsWith('../');
  item.classification = {
    status: 'analysable',
    confidence: 1,
    certainty: 'certain',
    reasons: [
      {
        code: 'SYMLINK_NOT_FOLLOWED',
        message: `Symbolic link to ${JSON.stringify(target)}; recorded, never followed${escapes ? ' (it points outside the source)' : ''}.`,
        by: 'engine',
        figures: { pointsOutside: escapes },
      },
    ],
  };
  item.format = { id: 'symlink', name: 'Symbolic link', extensionMismatch: false, detector: 'engine' };
}

export function resolveKeyHint(
  hint: KeyHint,
  index: SourceIndex,
  indexComplete: boolean,
  indexPartial = false,
): KeyHint {
  if (!hint.lookFor || hint.lookFor.length === 0 || hint.present === 'no') return hint;
  // While an index is still filling (streamed sources), what it holds depends on how far enumeration ran
  // ahead, which depends on concurrency: items say "unknown" and the summary resolves at the end.
  if (!indexComplete && !indexPartial) return { ...hint, present: 'unknown' };
  const found = [...new Set(hint.lookFor.flatMap((p) => index.find(p)))].sort();
  if (found.length > 0) return { ...hint, present: 'yes', foundAt: found.slice(0, 20) };
  return { ...hint, present: indexComplete ? 'no' : 'unknown' };
}

/** Gives an item its app and resolves its key hint (at the end of processing, or where the walk reaches it). */
export function attributeAndResolveKeyHint(
  item: EvidenceItem,
  deps: Pick<EntryProcessorDeps, 'attributor' | 'index' | 'indexComplete' | 'indexPartial'>,
): void {
  try {
    attributeItem(item, deps.attributor);
  } catch (err) {
    failItem(item, 'attribute', err);
  }
  if (item.encryption?.keyHint)
    item.encryption.keyHint = resolveKeyHint(
      item.encryption.keyHint,
      deps.index,
      deps.indexComplete,
      deps.indexPartial,
    );
}

/** What the container says about an encrypted entry is structure: it decides the class, and names the format. */
function takeContainerEncryption(
  item: EvidenceItem,
  facts: NonNullable<EntryFacts['encryption']>,
  extension: string | undefined,
  second: EvidenceItem['classification']['reasons'][number],
): void {
  const { reason, format, ...encryption } = facts;
  item.encryption = encryption;
  item.format = {
    id: format.id,
    name: format.name,
    extensionMismatch: false,
    detector: 'engine:container',
    ...(extension ? { extension } : {}),
  };
  item.classification = {
    status: 'encrypted',
    confidence: 0.99,
    certainty: 'certain',
    reasons: [{ code: 'CONTAINER_SAYS_ENCRYPTED', message: reason, by: 'engine:container' }, second],
  };
}

/**
 * The bytes read are not as many as the entry was listed with. A file read in place (it has a local path) changed
 * between listing and reading; a member of a container did not: its container's header declares one size and its
 * data yields another (a damaged, cut or split container, or a false header), which says nothing about when.
 */
function sizeMismatch(entry: SourceEntry, read: number): ItemError {
  if (entry.localPath !== undefined)
    return {
      stage: 'probe',
      code: 'SIZE_CHANGED',
      message: `The size changed from ${entry.size} to ${read} bytes between listing and reading, while the scan ran.`,
      severity: 'warning',
    };
  return {
    stage: 'probe',
    code: 'MEMBER_SIZE_MISMATCH',
    message: `Its container declares ${Number.isFinite(entry.size) ? `${entry.size} bytes` : 'no valid size'} for this member and yields ${read}: the container is damaged, cut short or missing a volume, or its header is false; not a change during the scan.`,
    severity: 'warning',
  };
}

export async function processEntry(entry: SourceEntry, deps: EntryProcessorDeps): Promise<EvidenceItem> {
  const item = baseItem(entry);
  if (entry.error) {
    setStatus(item, 'unreadable', 'ENUMERATION_FAILED', `The entry could not be examined: ${entry.error.message}`);
    pushError(item, { stage: 'enumerate', code: entry.error.code, message: entry.error.message, severity: 'error' });
    if (!deps.attributeLater) attributeItem(item, deps.attributor);
    return item;
  }
  if (entry.kind === 'symlink') {
    describeSymlink(item);
    if (!deps.attributeLater) attributeItem(item, deps.attributor);
    return item;
  }
  if (SPECIAL_KINDS.has(entry.kind)) {
    setStatus(
      item,
      'unreadable',
      'SPECIAL_FILE_NOT_OPENED',
      `A ${entry.kind} is recorded but never opened for reading (opening it could block or change device state).`,
    );
    if (!deps.attributeLater) attributeItem(item, deps.attributor);
    return item;
  }
  if (entry.kind === 'directory') {
    setStatus(
      item,
      'unreadable',
      'FOLDER_NOT_LISTED',
      'The folder could not be listed; its contents are missing from this manifest.',
    );
    return item;
  }

  // An encrypted member whose ciphertext cannot be cut out alone (in a solid 7z block): the container's word is all there is.
  if (!entry.open && entry.facts?.encryption) {
    const name = path.posix.basename(entry.path);
    const dot = name.lastIndexOf('.');
    takeContainerEncryption(item, entry.facts.encryption, dot > 0 ? name.slice(dot + 1).toLowerCase() : undefined, {
      code: 'CIPHERTEXT_NOT_READ',
      message:
        "The container does not give this member's stored bytes apart from others (a solid block): nothing was read.",
      by: 'engine:container',
    });
    if (!deps.attributeLater) attributeAndResolveKeyHint(item, deps);
    return item;
  }

  let probe;
  try {
    probe = await deps.prober.probe(entry);
  } catch (err) {
    setStatus(item, 'unreadable', 'READ_FAILED', `The file could not be read: ${describeFailure(err).message}`);
    failItem(item, 'probe', err);
    if (!deps.attributeLater) attributeItem(item, deps.attributor);
    return item;
  }
  if (probe.size !== item.size && !entry.facts?.encryption) pushError(item, sizeMismatch(entry, probe.size));

  const { candidates, failures } = await deps.identifier.identify(probe, deps.prober.takeIdentification?.(probe));
  for (const f of failures) {
    const code = f.code ?? 'PLUGIN_THREW';
    const message = (f.error as Error)?.message ?? String(f.error);
    pushError(item, {
      stage: 'identify',
      code,
      message: code === 'PLUGIN_THREW' ? `detector ${f.detector} failed: ${message}` : message,
      plugin: f.detector,
      severity: 'error',
    });
  }
  const verdict = classify(candidates, probe);
  item.classification = verdict.classification;
  if (verdict.format) item.format = verdict.format;
  if (verdict.winner?.encryption && verdict.winner.status === 'encrypted') item.encryption = verdict.winner.encryption;
  if (verdict.winner?.details)
    item.details = { ...item.details, [verdict.winner.detector.meta.id]: verdict.winner.details };

  // What the container says about the entry (a ZIP member's encryption bit) is structure: it decides,
  // and the container names the format. The bytes the detectors saw are ciphertext, so their guess is
  // kept as a reason, not as the format.
  const facts = entry.facts?.encryption;
  if (facts) {
    const guessed = item.format ? `${item.format.id} (${item.format.detector})` : 'nothing';
    takeContainerEncryption(item, facts, probe.extension, {
      code: 'CIPHERTEXT_NOT_IDENTIFIED',
      message: `The stored bytes are ciphertext; what detectors made of them (${guessed}) says nothing about the content.`,
      by: 'engine:container',
    });
  } else {
    try {
      const parseDeps = { parsers: deps.parsers, limits: deps.limits, index: deps.index };
      if (deps.parsePool) await deps.parsePool.parse(item, entry, probe, parseDeps);
      else await parseItem(item, entry, probe, parseDeps);
    } catch (err) {
      failItem(item, 'parse', err);
    }
  }
  if (!deps.attributeLater) attributeAndResolveKeyHint(item, deps);
  if (deps.hash.length > 0) {
    // A worker prober may already have hashed the file in the same read as the probe.
    const pre = deps.prober.takeHashes?.(probe);
    if (pre instanceof Error) failItem(item, 'hash', pre);
    else if (pre) item.hashes = pre;
    else {
      try {
        item.hashes = await hashEntry(entry, deps.hash, deps.signal);
      } catch (err) {
        failItem(item, 'hash', err);
      }
    }
    const known = deps.known?.match(item.hashes);
    if (known) item.known = known;
  }
  return item;
}
