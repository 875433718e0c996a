/**
 * What the kit does with one fixture file: builds the entry and probe the
 * engine would build, runs one plugin through the engine's own stages
 * (identify with signatures, parse with requirement checks), with inputs
 * frozen, and reports what came back. Shared by the detector and parser testers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_LIMITS, type ScanLimits } from '../limits.js';
import type { EvidenceItem } from '../model/evidence-item.js';
import { classify } from '../pipeline/classify.js';
import { createIdentifier, type Candidate, type DetectorFailure } from '../pipeline/identify.js';
import { parseItem } from '../pipeline/parse.js';
import { createSourceIndex } from '../pipeline/source-index.js';
import { createProber } from '../pipeline/probe.js';
import { baseItem } from '../pipeline/process-entry.js';
import type { DetectorPlugin, ParserPlugin, Probe } from '../plugin/types.js';
import { openLocalReader } from '../sources/folder.js';
import type { SourceEntry } from '../sources/source.js';

export function kitLimits(timeoutMs: number | undefined, limits: Partial<ScanLimits> | undefined): ScanLimits {
  return Object.freeze({ ...DEFAULT_LIMITS, pluginTimeoutMs: timeoutMs ?? 5_000, ...limits });
}

/** The entry a folder source would give for the file (with `logicalPath` when the case names a path). */
export function fixtureEntry(dir: string, file: string, logicalPath?: string): SourceEntry {
  const abs = path.join(dir, file);
  const st = fs.statSync(abs);
  return {
    path: logicalPath ?? file,
    ...(logicalPath ? { logicalPath } : {}),
    kind: 'file',
    size: st.size,
    times: {},
    depth: 0,
    localPath: abs,
    open: () => openLocalReader(abs),
  };
}

interface ProbeGuard {
  probe: Probe;
  /** Names of the probe's byte buffers that changed while the plugin ran. */
  changed(): string[];
}

/** A frozen probe (the object and its sample list) plus a check that its bytes were left alone. */
async function guardedProbe(entry: SourceEntry, limits: ScanLimits): Promise<ProbeGuard> {
  const raw = await createProber(limits).probe(entry);
  const copies = {
    head: Buffer.from(raw.head),
    tail: Buffer.from(raw.tail),
    samples: raw.samples.map((s) => Buffer.from(s.bytes)),
  };
  const probe = Object.freeze({ ...raw, samples: Object.freeze(raw.samples.map((s) => Object.freeze({ ...s }))) });
  return {
    probe,
    changed() {
      const out: string[] = [];
      if (!copies.head.equals(probe.head)) out.push('probe.head');
      if (!copies.tail.equals(probe.tail)) out.push('probe.tail');
      probe.samples.forEach((s, i) => {
        if (!copies.samples[i]!.equals(s.bytes)) out.push(`probe.samples[${i}].bytes`);
      });
      return out;
    },
  };
}

export interface DetectOutcome {
  candidates: Candidate[];
  failures: DetectorFailure[];
  mutated: string[];
}

export async function detectOnce(
  detector: DetectorPlugin,
  entry: SourceEntry,
  limits: ScanLimits,
  alongside: readonly DetectorPlugin[] = [],
): Promise<DetectOutcome> {
  const guard = await guardedProbe(entry, limits);
  const { candidates, failures } = await createIdentifier([...alongside, detector], limits).identify(guard.probe);
  // Only the detector under test answers for the case; the others set the scene (what a fallback sees).
  return { candidates: candidates.filter((c) => c.detector === detector), failures, mutated: guard.changed() };
}

export interface ParseOutcome {
  item: EvidenceItem;
  /** Why the engine did not call the parser, when it did not. */
  skipped?: string;
  called: boolean;
  rawDiagnostics: unknown[];
  rawResult?: unknown;
  mutated: string[];
}

/**
 * Runs one parser over a fixture as the engine would: the item is identified by
 * `detectors` when given (else it gets `format`), then the parse stage runs with
 * only this parser, inputs frozen.
 */
export async function parseOnce(
  parser: ParserPlugin,
  entry: SourceEntry,
  limits: ScanLimits,
  format: string | undefined,
  detectors: readonly DetectorPlugin[] | undefined,
): Promise<ParseOutcome> {
  const guard = await guardedProbe(entry, limits);
  const item = baseItem(entry);
  if (detectors && detectors.length > 0) {
    const { candidates } = await createIdentifier(detectors, limits).identify(guard.probe);
    const verdict = classify(candidates, guard.probe);
    item.classification = verdict.classification;
    if (verdict.format) item.format = verdict.format;
    if (verdict.winner?.encryption && verdict.winner.status === 'encrypted')
      item.encryption = verdict.winner.encryption;
  } else if (format) {
    item.classification = {
      status: 'analysable',
      confidence: 1,
      certainty: 'certain',
      reasons: [{ code: 'TEST_CASE_FORMAT', message: `The test case gives the format ${format}.`, by: 'testing' }],
    };
    item.format = { id: format, name: format, extensionMismatch: false, detector: 'testing' };
  }
  const outcome: ParseOutcome = { item, called: false, rawDiagnostics: [], mutated: [] };
  const index = createSourceIndex(parser.meta.indexPatterns ?? []);
  index.add(entry.path);
  await parseItem(item, entry, guard.probe, {
    parsers: [parser],
    limits,
    index,
    freezeInputs: true,
    observe: {
      skipped: (_id, why) => void (outcome.skipped = why),
      called: (_id, o) => {
        outcome.called = true;
        outcome.rawDiagnostics = [...o.diagnostics];
        if ('result' in o) outcome.rawResult = o.result;
      },
    },
  });
  outcome.mutated = guard.changed();
  return outcome;
}

/** Whether an error is what writing to a frozen object throws. */
export function isFrozenWrite(message: string): boolean {
  return /read[- ]only|not extensible|Cannot (assign|add|delete|define|redefine)|object is not extensible|frozen/i.test(
    message,
  );
}
