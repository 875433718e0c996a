/**
 * Classify stage: resolve the candidates visibly, in a stated order of
 * evidence (docs/detection.md, "Order of decisions"). Among believed
 * candidates (confidence >= 0.5) the strongest basis wins: structure, then
 * container facts, then the app catalogue, then path and name heuristics,
 * then statistics; within a basis the highest confidence, and ties go to the
 * more specific detector (lower priority). A candidate nobody believes (a
 * chance match) wins only when nothing is believed. Losing candidates are
 * kept as reasons, so an analyst sees what else was considered.
 */
import { certaintyOf, type Classification } from '../model/classification.js';
import type { Format } from '../model/format.js';
import type { Reason } from '../model/reason.js';
import { EVIDENCE_BASES, type EvidenceBasis, type Probe } from '../plugin/types.js';
import type { Candidate } from './identify.js';

export interface Verdict {
  classification: Classification;
  format?: Format;
  winner?: Candidate;
}

/** Below this confidence a candidate is recorded but not believed: the basis order does not lift it. */
export const BELIEVED = 0.5;

/** A candidate's basis: its own, else what its format's declaration says (`how`), else structure. */
export function basisOf(c: Candidate): EvidenceBasis {
  if (c.basis) return c.basis;
  const how = c.detector.meta.formats.find((f) => f.id === c.format.id)?.how;
  return how === 'statistics' ? 'statistics' : how === 'path' ? 'path' : 'structure';
}

const rankOf = (c: Candidate) => EVIDENCE_BASES.indexOf(basisOf(c));

/** True when `c` should win over `best`. */
function beats(c: Candidate, best: Candidate): boolean {
  const believedC = c.confidence >= BELIEVED;
  const believedBest = best.confidence >= BELIEVED;
  if (believedC !== believedBest) return believedC;
  if (believedC && rankOf(c) !== rankOf(best)) return rankOf(c) < rankOf(best);
  if (c.confidence !== best.confidence) return c.confidence > best.confidence;
  return (c.detector.priority ?? 50) < (best.detector.priority ?? 50);
}

export function pickWinner(candidates: readonly Candidate[]): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of candidates) if (!best || beats(c, best)) best = c;
  return best;
}

export function reasonsOf(c: Candidate): Reason[] {
  // Messages left to a meta.reasons template were filled by checkDetection when the candidate was accepted.
  return c.reasons.map((r) => ({ ...r, message: r.message ?? r.code, by: c.detector.meta.id }));
}

export function formatOf(c: Candidate, probe: Probe): Format {
  const declared = c.detector.meta.formats.find((f) => f.id === c.format.id);
  const format: Format = {
    id: c.format.id,
    name: c.format.name,
    extensionMismatch: false,
    detector: c.detector.meta.id,
  };
  const mime = c.format.mime ?? declared?.mime;
  if (mime) format.mime = mime;
  if (probe.extension) {
    format.extension = probe.extension;
    const known = c.format.extensions ?? declared?.extensions;
    if (known && known.length > 0 && !known.includes(probe.extension)) format.extensionMismatch = true;
  }
  return format;
}

export function classify(candidates: readonly Candidate[], probe: Probe): Verdict {
  const winner = pickWinner(candidates);
  if (!winner) {
    return {
      classification: {
        status: 'opaque',
        confidence: 0.3,
        certainty: 'suspected',
        reasons: [
          { code: 'NO_DETECTOR_MATCHED', message: 'No detector recognised this content.', by: 'engine:classify' },
        ],
      },
    };
  }
  const reasons = reasonsOf(winner);
  const format = formatOf(winner, probe);
  if (format.extensionMismatch) {
    reasons.push({
      code: 'EXTENSION_MISMATCH',
      message: `The extension .${probe.extension} is not one ${format.name} is known by; content decides.`,
      by: 'engine:classify',
    });
  }
  const others = candidates.filter((c) => c !== winner && c.format.id !== winner.format.id);
  if (others.length > 0) {
    reasons.push({
      code: 'OTHER_CANDIDATES',
      message: `Also considered: ${others.map((o) => `${o.format.id} (${o.detector.meta.id}, ${o.confidence}${o.basis ? `, ${o.basis}` : ''})`).join(', ')}.`,
      by: 'engine:classify',
    });
  }
  const classification: Classification = {
    status: winner.status,
    confidence: winner.confidence,
    certainty: certaintyOf(winner.confidence),
    reasons,
  };
  if (winner.entropy) classification.entropy = winner.entropy;
  return { classification, format, winner };
}
